"""Debrief: the outcome, competency bars, qualities, key moments and questions."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from scoring.debrief import Debrief
from scoring.display import count
from simulator.engine.session import Session
from simulator.tui.debrief_rows import (
    moments_content,
    standing_content,
    work_ons_content,
)
from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import OUTCOME_LABELS, plain
from simulator.tui.say_first import own_words_content

GOOD_OUTCOMES = {"resolved", "escalated"}


class KeyMomentScreen(ModalScreen[int | None]):
    """Pick a key moment to go back to; returns the decision number (1-based)."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel")]

    def __init__(self, debrief: Debrief) -> None:
        super().__init__()
        self.debrief = debrief

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Go back to a decision and take the other road"
            options = OptionList(markup=False)
            for review in sorted(self.debrief.feedback.reviews, key=lambda r: r.number):
                mark = "★ " if review in self.debrief.feedback.key_moments else "  "
                options.add_option(Option(Content.assemble(
                    (f"{mark}Decision {review.number}: ", "bold"), plain(_short(review.said, 70))),
                    id=str(review.number)))
            options.highlighted = 0
            yield options

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class ExportScreen(ModalScreen[str | None]):
    """Choose a report format; returns the file suffix."""

    BINDINGS = [Binding("escape", "dismiss_none", "Cancel"), Binding("m", "pick('.md')"), Binding("h", "pick('.html')")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Export the debrief"
            options = OptionList(markup=False)
            options.add_option(Option("HTML — a page to print or keep (h)", id=".html"))
            options.add_option(Option("Markdown — plain text for notes or supervision (m)", id=".md"))
            options.highlighted = 0
            yield options

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_pick(self, suffix: str) -> None:
        self.dismiss(suffix)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


class DebriefScreen(Screen):
    """How the attempt went, decision by decision, in the briefing's terms."""

    BINDINGS = [
        Binding("t", "try_again", "Try again"),
        Binding("r", "rewind", "Rewind to a moment"),
        Binding("e", "export", "Export"),
        Binding("escape,l", "library", "Library"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = ("Read how the attempt went. t tries again from the start, r goes back to any decision to take the "
            "other road, e exports the debrief as HTML or Markdown, Esc returns to the library.")

    def __init__(self, session: Session, attempt_id: int, debrief: Debrief) -> None:
        super().__init__()
        self.session = session
        self.attempt_id = attempt_id
        self.debrief = debrief

    def compose(self) -> ComposeResult:
        yield Header()
        # One scrolling page: every row is reached by scrolling it, none sits
        # in a scroll area of its own (issue 12: at 80x24 the weak spots come first).
        with VerticalScroll(id="debrief"):
            yield Static(id="outcome")
            yield Static(id="standing")
            yield Static(id="ending-text")
            yield Static(id="work-ons")
            yield Static(id="moments")
            yield Static(id="own-words")
            yield Static(id="questions")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        card = self.debrief.scorecard
        ranked = self.debrief.standing
        self.sub_title = f"Debrief · {self.debrief.log.scenario_title}"
        ending = card.ending
        outcome = self.query_one("#outcome", Static)
        overall = "not scored" if ranked.overall is None else f"{ranked.overall} · {ranked.overall_band}"
        summary = [("Overall  ", "bold"), overall,
                   f"  ·  {count(card.decision_count, 'decision')} · hints used {card.hints_used} · rewinds {card.rewinds}"]
        if ending is not None:
            outcome.add_class("good" if ending.outcome in GOOD_OUTCOMES else "poor")
            outcome.update(Content.assemble(
                (OUTCOME_LABELS.get(ending.outcome, ending.outcome).upper(), "bold"), "  ", plain(ending.title, "bold"),
                "\n", *summary))
        else:
            outcome.update(Content.assemble(("NOT FINISHED", "bold"), "\n", *summary))
        self._draw_standing()
        text = self.query_one("#ending-text", Static)
        if ending is not None and (ending.debrief.strip() or ending.impact):
            text.update(Content.assemble(
                ("How it ended\n", "bold $accent"), plain(" ".join(ending.debrief.split())),
                *(["\n", (f"For the {self.session.scenario.person_at_risk}  ", "bold"),
                  plain(" ".join(ending.impact.split()))] if ending.impact else [])))
        else:
            text.display = False
        feedback = self.debrief.feedback
        work_ons = self.query_one("#work-ons", Static)
        if feedback.work_ons:
            work_ons.update(work_ons_content(self.debrief))
        else:
            work_ons.display = False
        self.query_one("#moments", Static).update(moments_content(self.debrief))
        own_words = own_words_content(feedback.reviews)
        self.query_one("#own-words", Static).update(own_words or "")
        self.query_one("#own-words", Static).display = own_words is not None
        questions = "\n".join(f"  {i}. {q}" for i, q in enumerate(feedback.questions, start=1))
        self.query_one("#questions", Static).update(
            Content.assemble(("Questions to reflect on\n", "bold $accent"), plain(questions)))

    def on_resize(self) -> None:
        self._draw_standing()

    def _draw_standing(self) -> None:
        # The page's padding (2 each side) and the scrollbar's column.
        width = max(40, self.app.size.width - 6)
        self.query_one("#standing", Static).update(standing_content(self.debrief.standing, width))

    def action_try_again(self) -> None:
        self.app.start_attempt(self.session.scenario, self.app.mode_of(self.attempt_id))

    def action_rewind(self) -> None:
        def chosen(number: int | None) -> None:
            if number is not None:
                self.app.retake_from(self.session, number - 1, self.app.mode_of(self.attempt_id))

        self.app.push_screen(KeyMomentScreen(self.debrief), chosen)

    def action_export(self) -> None:
        from simulator.tui.export_folder import fold, saved_message, shown

        def chosen(suffix: str | None) -> None:
            if suffix is None:
                return
            # A notification is at most 60 columns, or half the screen, less its padding and edge.
            width = min(60, self.app.size.width // 2) - 3
            try:
                path = self.app.export_report(self.debrief, suffix)
            except OSError as exc:
                where = "\n".join(fold(shown(self.app.export_folder()), width))
                self.notify(f"The debrief was not saved in\n{where}\n{exc.strerror or exc}. Choose another folder "
                            "in settings (s in the library).", severity="error", timeout=15)
                return
            self.notify(saved_message(path, width), timeout=12)

        self.app.push_screen(ExportScreen(), chosen)

    def action_library(self) -> None:
        self.app.pop_to_library()
