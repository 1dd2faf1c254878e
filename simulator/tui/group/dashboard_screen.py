"""The facilitator's live view of a cohort: who has joined and where they are,
what the room chose at each decision, the room's profile, and the weaker
choices to talk about in the debrief.

The history file is read in a thread every couple of seconds, so a slow or
busy file never freezes the screen; each read opens the file afresh, takes
what has been committed and closes it again. The figures come from
``simulator.group.cohort_stats``; this module only draws them.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable, Sequence

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from scoring.catalogue import Catalogue, load_catalogue
from scoring.display import count, format_score, shorten
from simulator.group.cohort_stats import (
    CohortSummary,
    NodeDistribution,
    ParticipantStatus,
    Replays,
    ScenarioSummary,
    summarise,
    where,
)
from simulator.model.scenario import Scenario
from simulator.model.text import inert
from simulator.records.location import exists
from simulator.records.store import Cohort, Store, StoreError
from simulator.tui.fast_keys import Header
from simulator.tui.render import OUTCOME_LABELS, ShownLiterally, bar, plain

POLL_SECONDS = 1.5
MOMENTS_SHOWN = 5
BAR_WIDTH = 16
NAME_WIDTH = 16
NARROW = 110  # columns below which the room profile moves to a tab


def _local_now() -> datetime:
    return datetime.now().astimezone()


class CohortRead(Message):
    """A fresh summary, or why the file could not be read (posted from the reading thread)."""

    def __init__(self, summary: CohortSummary | None, problem: str = "") -> None:
        super().__init__()
        self.summary = summary
        self.problem = problem


class DashboardScreen(Screen):
    BINDINGS = [
        Binding("c", "show('choices')", "Choices"),
        Binding("d", "show('debrief')", "For the debrief"),
        Binding("p", "show('room-profile')", "Room profile"),
        Binding("r", "poll", "Refresh now"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, path: Path, cohort: Cohort, scenarios: Sequence[Scenario], catalogue: Catalogue,
                 poll_seconds: float = POLL_SECONDS, clock: Callable[[], datetime] = _local_now) -> None:
        super().__init__()
        self.path = path
        self.cohort = cohort
        self.scenarios = list(scenarios)
        self.catalogue = catalogue
        self.poll_seconds = poll_seconds
        self.clock = clock
        self.summary: CohortSummary | None = None
        self.read_at: datetime | None = None
        self.problem = ""
        self.timer = None
        # Only the reading thread touches this, and one read runs at a time.
        self.replays = Replays()
        self._reading = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="cohort-status")
        with Horizontal(id="room"):
            table = DataTable(id="participants", cursor_type="row", zebra_stripes=True)
            table.border_title = "Participants"
            yield table
            profile = Static(id="profile")
            profile.border_title = "Room profile"
            yield profile
        # Full width below, so the words of each option and the debrief notes have room.
        with TabbedContent(id="views", initial="choices"):
            with TabPane("Choices", id="choices"):
                with VerticalScroll(id="choices-scroll"):
                    yield Static(id="choices-body")
            with TabPane("For the debrief", id="debrief"):
                with VerticalScroll(id="debrief-scroll"):
                    yield Static(id="debrief-body")
            # On a narrow terminal the profile moves from beside the participants to a tab of its own.
            with TabPane("Room profile", id="room-profile"):
                with VerticalScroll(id="profile-scroll"):
                    yield Static(id="profile-body")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = inert(f"Cohort {self.cohort.name}")
        self._draw()
        self.poll()
        self.timer = self.set_interval(self.poll_seconds, self.poll)

    # -- reading ----------------------------------------------------------------
    def poll(self) -> None:
        """Read the file again in a thread (the timer calls this; so does r)."""
        if self._reading:
            return  # the last read is still running: a busy file is not asked twice
        self._reading = True
        self.run_worker(self._read, thread=True, group="cohort-read", exit_on_error=False)

    def action_poll(self) -> None:
        self.poll()

    def _read(self) -> None:
        try:
            if not exists(self.path):
                raise FileNotFoundError(f"{self.path} is no longer there")
            with Store(self.path, access="read") as store:
                attempts = store.cohort_attempts(self.cohort.name)
                members = store.cohort_members(self.cohort.name)
            message = CohortRead(summarise(attempts, self.scenarios, self.catalogue, self.replays, members))
        except Exception as exc:  # noqa: BLE001 - a facilitator's screen must keep running mid-session
            # A StoreError already says what is wrong in words (a damaged file, a newer one).
            message = CohortRead(None, str(exc) if isinstance(exc, StoreError) else f"{type(exc).__name__}: {exc}")
        finally:
            self._reading = False
        self.post_message(message)

    def on_cohort_read(self, message: CohortRead) -> None:
        if message.summary is not None:
            self.summary, self.problem, self.read_at = message.summary, "", self.clock()
        else:
            self.problem = message.problem
        self._draw()

    # -- drawing -------------------------------------------------------------------
    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def on_resize(self, event: events.Resize) -> None:
        views = self.query_one("#views", TabbedContent)
        self.set_class(self.narrow, "-narrow")
        if self.narrow:
            views.show_tab("room-profile")
        else:
            if views.active == "room-profile":
                views.active = "choices"
            views.hide_tab("room-profile")
        self.refresh_bindings()
        self._draw()

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "show" and parameters == ("room-profile",):
            return self.narrow  # beside the participants when the screen is wide enough
        return True

    def action_show(self, pane: str) -> None:
        self.query_one("#views", TabbedContent).active = pane

    def _draw(self) -> None:
        self.query_one("#cohort-status", Static).update(self._status())
        summary = self.summary
        self._draw_participants(summary)
        profile = self._profile(summary)
        self.query_one("#profile", Static).update(profile)
        self.query_one("#profile-body", Static).update(profile)
        self.query_one("#choices-body", Static).update(self._choices(summary))
        self.query_one("#debrief-body", Static).update(self._debrief(summary))

    def _status(self) -> Content:
        cohort = self.cohort
        parts: list = [("Cohort ", "bold"), plain(cohort.name, "bold"), " · join code ", (cohort.join_code, "bold $accent")]
        if cohort.scenario_id:
            title = next((s.title for s in self.scenarios if s.id == cohort.scenario_id), cohort.scenario_id)
            parts += [" · ", plain(shorten(title, 36))]
        if self.summary is not None:
            s = self.summary
            parts += [f" · {len(s.participants)} joined, {s.playing} playing, {s.done} finished"]
            if s.not_started:
                parts += [f", {s.not_started} not started"]
        if self.read_at is not None:
            parts += [(f" · read {self.read_at:%H:%M:%S}", "dim")]
        if self.problem:
            parts += ["\n", plain(f"Cannot read the history file just now ({self.problem}); trying again.", "$warning")]
        return Content.assemble(*parts)

    def _draw_participants(self, summary: CohortSummary | None) -> None:
        table = self.query_one("#participants", DataTable)
        several = summary is not None and len(summary.scenarios) > 1
        selected = None
        if table.row_count:
            selected = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        table.clear(columns=True)
        # Fixed widths: columns that resized to their contents would jump about
        # on every read as participants move on.
        table.add_column("Name", width=NAME_WIDTH)
        table.add_column("Now", width=28)
        if several:
            table.add_column("Scenario", width=12)
        if summary is None:
            return
        for row, participant in enumerate(summary.participants):
            name = participant.name or participant.key
            if participant.retries:
                name += f" (try {participant.attempts})"
            cells = [Text(inert(shorten(name, NAME_WIDTH))), _now(participant)]
            if several:
                cells.append(Text(inert(shorten(participant.scenario_id, 12))))
            table.add_row(*cells, key=participant.key)
            if participant.key == selected:
                table.move_cursor(row=row)

    def _profile(self, summary: CohortSummary | None) -> Content:
        if summary is None or summary.finished == 0:
            return Content("Averages appear here as participants finish.")
        rows: list = [(f"Average of {count(summary.finished, 'finished first attempt')}\n", "dim")]
        for average in (*summary.competencies, summary.overall):
            style = "bold" if average is summary.overall else ""
            label = shorten(average.label, 25).ljust(25)
            if average.mean is None:
                rows += [(label, style), " ", ("·" * 8, "dim"), ("  not assessed\n", "dim")]
                continue
            rows += [(label, style), " ", (bar(average.mean, 8), "$accent"),
                     (f" {format_score(average.mean):>4} {average.band}\n", style)]
        return Content.assemble(*rows).rstrip()

    def _width(self) -> int:
        # The tabs span the screen: its width less the padding and a scroll bar.
        # (A hidden tab has no size of its own to ask.)
        return max(40, (self.size.width or 80) - 4)

    def _choices(self, summary: CohortSummary | None) -> Content:
        if summary is None:
            return Content("Reading the history file…")
        if not summary.participants:
            return Content.assemble("No one has joined yet. Participants join with the code ",
                                    (self.cohort.join_code, "bold $accent"), ".")
        if not summary.scenarios:
            return Content(f"{count(len(summary.participants), 'participant')} joined; their choices appear "
                           "here once they start.")
        width = self._width()
        parts: list = [("Each participant's first attempt; a choice taken back by a rewind is not counted "
                        "(their first instinct is shown as “first”).\n", "dim italic")]
        for scenario in summary.scenarios:
            parts += self._scenario_heading(scenario)
            if not scenario.nodes:
                parts.append(("  No decisions yet.\n", "dim"))
            longest = max((cell_len(o.text) for n in scenario.nodes for o in n.options), default=0)
            for node in scenario.nodes:
                parts += _node_lines(node, width, longest)
        return Content.assemble(*parts).rstrip()

    def _scenario_heading(self, scenario: ScenarioSummary) -> list:
        heading: list = ["\n", plain(scenario.title, "bold underline"),
                         (f"  {count(scenario.participants, 'participant')}", "dim")]
        if not scenario.known:
            heading.append(("  (not in the library: choices shown by id)", "$warning"))
        if scenario.unreadable:
            heading.append((f"  ({scenario.unreadable} attempt(s) no longer fit the scenario)", "$warning"))
        heading.append("\n")
        return heading

    def _debrief(self, summary: CohortSummary | None) -> Content:
        if summary is None:
            return Content("Reading the history file…")
        if not summary.participants:
            return Content("Material for the debrief appears here as participants make their choices.")
        parts: list = []
        for scenario in summary.scenarios:
            parts += self._scenario_heading(scenario)
            if scenario.outcomes:
                parts.append("Endings: " + ", ".join(f"{OUTCOME_LABELS.get(o, o)} {n}" for o, n in scenario.outcomes)
                             + f" (of {scenario.finished} finished)\n")
            if not scenario.moments:
                parts.append(("No weaker choices to discuss yet.\n" if scenario.known else "", "dim"))
                continue
            parts.append(("Most common weaker choices\n", "bold"))
            width = self._width()
            for number, moment in enumerate(scenario.moments[:MOMENTS_SHOWN], start=1):
                where_said = f"at {moment.node_id}" + (f", to {moment.speaker}" if moment.speaker != "Narrator" else "")
                said = Content.assemble((f"{number}. {moment.count} of {moment.answered} ", "bold"), "said “",
                                        plain(moment.chosen_text), "” ", (f"({where_said})", "dim"))
                better = Content.assemble(("Better: ", "bold $success"), "“", plain(moment.better_text), "”")
                why = [("Why: ", "bold"), plain(moment.quality_label, "bold")]
                if moment.briefing:
                    why += [" (briefing: “", plain(moment.briefing, "italic"), "”)"]
                parts += [_hanging(said, width, 3, 0), _hanging(better, width, 3),
                          _hanging(Content.assemble(*why), width, 3)]
                if moment.better_feedback:
                    parts.append(_hanging(plain(moment.better_feedback, "dim"), width, 3))
        return Content.assemble(*parts).rstrip()


def _hanging(paragraph: Content, width: int, indent: int, first: int | None = None) -> Content:
    """``paragraph`` wrapped to ``width`` with every line after the first
    indented by ``indent`` (and the first by ``first``, default the same)."""
    first = indent if first is None else first
    lines = paragraph.wrap(max(20, width - indent))
    pieces: list = []
    for index, line in enumerate(lines):
        pieces += [" " * (first if index == 0 else indent), line, "\n"]
    return Content.assemble(*pieces)


def _now(participant: ParticipantStatus) -> Text:
    """What a participant is doing: the decision they are at, or how they finished."""
    if not participant.finished:
        return Text(inert(where(participant)))
    label = OUTCOME_LABELS.get(participant.outcome or "", participant.outcome or "finished")
    score = f" {format_score(participant.overall)}" if participant.overall is not None else ""
    return Text.assemble(("✓ ", "green"), inert(label + score))


def _node_lines(node: NodeDistribution, width: int, longest: int) -> list:
    """A decision's heading and one line per option: words, bar, count and,
    where it differs, the first instinct. ``longest`` (the longest option in
    the scenario) keeps the bars of every decision in one column."""
    count_width, first_width = 4, 10
    text_width = max(12, min(longest, width - 2 - 1 - BAR_WIDTH - count_width - first_width))
    # A scenario missing from the library has no words to show, only the node id.
    head = f"{node.speaker}: “{node.prompt}”" if node.speaker else ""
    notes = [f"{node.answered} answered"]
    if node.changed:
        notes.append(f"{node.changed} changed their mind")
    if node.said_first:
        notes.append(f"{node.said_first} said it first")
    if node.here_now:
        notes.append(f"{node.here_now} deciding now")
    note = "  " + " · ".join(notes)
    room = width - cell_len(inert(node.node_id)) - 2 - cell_len(note)
    parts: list = ["\n", (inert(node.node_id), "bold $accent"), "  ", plain(shorten(head, max(20, room))),
                   (f"{note}\n", "dim")]
    most = max((o.kept for o in node.options), default=0)
    for option in node.options:
        text = inert(shorten(option.text, text_width))
        text += " " * max(0, text_width - cell_len(text))
        filled = round(BAR_WIDTH * option.kept / node.answered) if node.answered else 0
        style = "bold" if option.kept and option.kept == most else ""
        parts += ["  ", (text, style), " ", ("█" * filled, "$accent"), ("░" * (BAR_WIDTH - filled), "dim"),
                  (f"{option.kept:>{count_width}}", style)]
        if node.first_instincts_differ and option.first != option.kept:
            parts.append((f"  first {option.first:>2}", "dim"))
        parts.append("\n")
    return parts


class DashboardApp(ShownLiterally, App):
    """The dashboard on its own: ``rehearse dashboard --cohort NAME``."""

    CSS_PATH = "dashboard.tcss"
    TITLE = "Rehearse · cohort dashboard"

    def __init__(self, path: Path, cohort: Cohort, scenarios: Sequence[Scenario], *,
                 poll_seconds: float = POLL_SECONDS, clock: Callable[[], datetime] = _local_now) -> None:
        super().__init__()
        self.dashboard = DashboardScreen(path, cohort, scenarios, load_catalogue(), poll_seconds, clock)

    def action_help_quit(self) -> None:
        # Ctrl+C quits, as in any terminal program: the dashboard only reads.
        self.exit()

    def on_mount(self) -> None:
        from simulator.tui.app import THEMES

        for theme in THEMES:
            self.register_theme(theme)
        self.theme = "rehearse-dark"
        self.push_screen(self.dashboard)
