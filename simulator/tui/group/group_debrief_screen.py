"""The group debrief: where the room's choices led, how every vote split,
the scores of the path, and questions to talk over together."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from scoring.display import format_score
from simulator.group.facilitation import SKIPPED, TIE, GroupSession, Round
from simulator.group.facilitation_export import debrief_for, write_record
from simulator.tui.debrief_screen import GOOD_OUTCOMES
from simulator.tui.group.projector_widgets import keys, one_line, shorten
from simulator.tui.history_screen import ConfirmScreen
from simulator.tui.render import OUTCOME_LABELS, competency_row, plain


class GroupDebriefScreen(Screen):
    BINDINGS = [
        Binding("e", "export", "Export"),
        Binding("q", "quit_session", "Quit"),
    ]

    def __init__(self, record: GroupSession) -> None:
        super().__init__()
        self.record = record
        self.debrief = debrief_for(record)
        self.exported: list = []

    def compose(self) -> ComposeResult:
        yield Static(id="topbar-title", classes="topbar")
        with VerticalScroll(id="group-debrief"):
            yield Static(id="outcome")
            yield Static(id="path")
            yield Static(id="scores")
            if self.record.closing_discuss:
                yield Static("TALK ABOUT IT TOGETHER", id="room-questions-heading", classes="heading")
                yield from _list("•", self.record.closing_discuss, "room-question")
            yield Static("QUESTIONS TO REFLECT ON", classes="heading")
            yield from _list("{n}.", self.debrief.feedback.questions, "question")
        yield Static(id="saved")
        yield Static(keys(("↑↓ PgUp PgDn", "scroll"), ("E", "export the record"), ("T", "theme"), ("Q", "quit")),
                     id="keys")

    def on_mount(self) -> None:
        record, card = self.record, self.debrief.scorecard
        self.query_one("#topbar-title", Static).update(Content.assemble(
            ("GROUP DEBRIEF  ", "bold"), plain(record.scenario_title),
            f"   ·   {len(record.rounds)} decisions · {_count(record.ties, 'tie')} · {record.skipped} skipped"))
        ending = card.ending
        outcome = self.query_one("#outcome", Static)
        if ending is not None:
            outcome.add_class("good" if ending.outcome in GOOD_OUTCOMES else "poor")
            parts: list = [(OUTCOME_LABELS.get(ending.outcome, ending.outcome).upper(), "bold"), "  ",
                           plain(ending.title, "bold"), "\n", plain(one_line(ending.debrief))]
            if ending.impact:
                parts += ["\n", (f"For the {record.person_at_risk}  ", "bold"), plain(one_line(ending.impact))]
            outcome.update(Content.assemble(*parts))
        self.query_one("#path", Static).update(Content.assemble(
            ("THE ROOM'S PATH\n", "bold $accent"), Content("\n\n").join(_round(r) for r in record.rounds)
            if record.rounds else "The scenario ended before any decision."))

        rows = [competency_row(competency, label="  {:31}") for competency in card.competencies]
        overall = ("not assessed" if card.overall is None
                   else f"{format_score(card.overall)} out of 100 · {card.overall_band.label}")
        self.query_one("#scores", Static).update(Content.assemble(
            ("SCORES OF THIS PATH   ", "bold $accent"), ("Overall ", "bold"), overall, "\n",
            Content("\n").join(rows)))

        self.query_one("#saved", Static).display = False
        self.query_one("#group-debrief").focus()

    def action_export(self) -> None:
        saved = self.query_one("#saved", Static)
        try:
            self.exported = write_record(self.record, self.app.export_dir, self.debrief)
        except OSError as exc:
            saved.update(Content.assemble(("Could not save the record: ", "bold $error"),
                                          plain(f"{exc.strerror or exc} ({self.app.export_dir})")))
            saved.display = True
            return
        first = self.exported[0].resolve()
        saved.update(Content.assemble(
            ("Saved for your records (only you can read them)\n", "bold $success"), plain(str(first.with_suffix(""))),
            "  ", (" ".join(path.suffix for path in self.exported), "bold")))
        saved.display = True

    def action_quit_session(self) -> None:
        if self.exported:
            self.app.exit()
            return

        def answered(leave: bool | None) -> None:
            if leave:
                self.app.exit()

        self.app.push_screen(ConfirmScreen("Quit without exporting? The session's record will be lost "
                                           "(press n, then E to export)."), answered)


def _list(mark: str, items, kind: str):
    """One row per item, its mark in a column of its own so wrapped lines hang under the words."""
    for n, item in enumerate(items, start=1):
        yield Horizontal(Static(mark.format(n=n), classes="mark"), Static(plain(one_line(item)), classes="words"),
                         classes=f"list-row {kind}")


def _count(number: int, word: str) -> str:
    return f"{number} {word}" + ("" if number == 1 else "s")


def _round(r: Round) -> Content:
    """Three lines a room can read: who said what, how the hands went, what the room said."""
    width = 94  # the debrief's width at 100 columns, less its padding and scrollbar
    head = Content.assemble((f"{r.number:>2}  ", "bold"), plain(r.speaker, "bold"), "  ",
                            plain(f"“{shorten(r.line, width - 8 - len(r.speaker))}”", "italic $text-muted"))
    how, colour = {SKIPPED: ("vote skipped: facilitator chose", "$warning"),
                   TIE: ("tie: facilitator chose", "$warning")}.get(r.decided_by, ("most hands", "$success"))
    cells: list = [("    Hands  ", "bold")]
    if r.hands is None:
        cells.append(("no vote", "$text-muted"))
    else:
        shares = r.percentages
        for i, option in enumerate(r.options):
            style = "bold $success" if i == r.chosen else ""
            cells += [(f"{option.letter} ", "bold"), (f"{r.hands[i]} ({shares[i]}%)", style), "   "]
    cells += ["   ", (how, f"italic {colour}")]
    choice = Content.assemble(("    Chose  ", "bold"), (r.choice.letter, "bold $success"), "  ",
                              plain(f"“{shorten(r.choice.text, width - 16)}”"))
    return Content("\n").join([head, Content.assemble(*cells), choice])
