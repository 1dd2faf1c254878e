"""History: attempts by scenario, the trend of each competency, past debriefs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Static

from scoring.display import count
from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import OUTCOME_LABELS, cell, plain


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question; y confirms, n or Esc cancels."""

    BINDINGS = [Binding("y", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Please confirm"
            yield Static(Content.assemble(plain(self.question), "\n\n", ("y", "bold"), " yes    ", ("n", "bold"), " no"))

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


# The trend of one competency on one line, on the fixed 0-100 scale: one
# attempt at 40 is a low bar, not a full one.
BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 12  # the latest attempts shown in a trend
TRENDS_WIDTH = 48  # beside the table, from WIDE columns on
WIDE = 110
# Each column's cell padding (one each side, five columns) and the scrollbar.
PADDING_AND_SCROLLBAR = 2 * 5 + 2


def trend_line(values: list[float]) -> str:
    """``values`` (0-100, oldest first) as bars, one character an attempt."""
    return "".join(BARS[min(len(BARS) - 1, int(max(0.0, v) / 100 * len(BARS)))] for v in values[-TREND_POINTS:])


def shortened(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


class HistoryScreen(Screen):
    """Every attempt, newest first; the trend of the highlighted scenario."""

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "app.pop_screen", "Library"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = ("Your attempts, newest first. Enter opens a finished attempt's debrief or resumes an unfinished one; "
            "d deletes an attempt after asking. The trends show each competency over your finished attempts "
            "at the highlighted scenario, oldest on the left, on a scale from 0 to 100.")
    # Below 110 columns the trends go under the table, so every column fits.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]

    def compose(self) -> ComposeResult:
        yield Header()
        with Container(id="history"):
            yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
            yield Vertical(id="trends")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.sub_title = "History"
        table = self.query_one("#attempts", DataTable)
        # What a learner looks for first (when, how it went) before the title,
        # which is the widest and is shortened to fit.
        table.add_columns("Date", "Score", "Outcome", "Scenario", "Mode")
        self.reload()

    def on_resize(self) -> None:
        self.reload()

    def _title_width(self, others: int) -> int:
        """What the scenario column may take once the date, score, outcome
        and mode (``others`` characters, as wide as their widest cell) fit."""
        width = self.size.width or self.app.size.width
        table = width - TRENDS_WIDTH if width >= WIDE else width
        return max(16, table - others - PADDING_AND_SCROLLBAR)

    def reload(self) -> None:
        table = self.query_one("#attempts", DataTable)
        keep = self._selected_id()
        table.clear()
        attempts = self.app.store.attempts(learner=self.app.learner or None)
        rows = []
        for attempt in attempts:
            outcome = OUTCOME_LABELS.get(attempt.outcome, attempt.outcome) if attempt.finished else "unfinished"
            score = "" if attempt.overall is None else f"{attempt.overall:.0f}"
            rows.append((attempt, score, outcome))
        # The short columns are never cut (a mode read as "debr" says nothing):
        # the scenario's title gives way instead.
        others = (len("Date") if not rows else 10) + len("Score") + max([len("Outcome")] + [len(r[2]) for r in rows]) \
            + max([len("Mode")] + [len(r[0].mode) for r in rows])
        title_width = self._title_width(others)
        for attempt, score, outcome in rows:
            table.add_row(attempt.started_at[:10], score, outcome, cell(shortened(attempt.title, title_width)),
                          attempt.mode, key=str(attempt.id))
        if keep is not None and any(a.id == keep for a in attempts):
            table.move_cursor(row=table.get_row_index(str(keep)))
        trends = self.query_one("#trends", Vertical)
        if not attempts:
            trends.remove_children()
            trends.mount(Static("No attempts yet. Play a scenario from the library."))

    @on(DataTable.RowHighlighted, "#attempts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        attempt = self.app.store.attempt(int(event.row_key.value))
        if attempt is not None:
            self._show_trends(attempt.scenario_id, attempt.title)

    @on(DataTable.RowSelected, "#attempts")
    def _selected(self, event: DataTable.RowSelected) -> None:
        # The table takes Enter for itself and says so with this message.
        self.app.open_attempt(int(event.row_key.value))

    def _show_trends(self, scenario_id: str, title: str) -> None:
        trends = self.query_one("#trends", Vertical)
        trends.remove_children()
        finished = [a for a in reversed(self.app.store.attempts(scenario_id=scenario_id, learner=self.app.learner or None))
                    if a.finished]
        lines = [Content.assemble(plain(f"{title}: {count(len(finished), 'finished attempt')}", "bold"))]
        label_width = max(len(c.label) for c in self.app.catalogue.competencies)
        for competency in self.app.catalogue.competencies:
            values = [v for v in (a.competencies.get(competency.id) for a in finished) if v is not None]
            latest = f"{values[-1]:3.0f}" if values else "n/a"
            lines.append(Content.assemble(f"{competency.label:<{label_width}} ", (f"{latest:>3} ", "bold"),
                                          (trend_line(values), "$accent")))
        trends.mount(Static(Content("\n").join(lines), classes="trend"))

    def _selected_id(self) -> int | None:
        table = self.query_one("#attempts", DataTable)
        if table.row_count == 0:
            return None
        row_key, _ = table.coordinate_to_cell_key(table.cursor_coordinate)
        return int(row_key.value)

    def action_open(self) -> None:
        attempt_id = self._selected_id()
        if attempt_id is not None:
            self.app.open_attempt(attempt_id)

    def action_delete(self) -> None:
        attempt_id = self._selected_id()
        if attempt_id is None:
            return
        attempt = self.app.store.attempt(attempt_id)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.store.delete_attempt(attempt_id)
                self.reload()
                self.notify("Attempt deleted.")

        self.app.push_screen(ConfirmScreen(f"Delete your attempt at “{attempt.title}” from {attempt.started_at[:10]}? "
                                           "This cannot be undone."), answered)
