"""History: attempts by scenario, the trend of each competency, past debriefs."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, Label, Sparkline, Static

from scoring.display import count
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


class HistoryScreen(Screen):
    """Every attempt, newest first; the trend of the highlighted scenario."""

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("d", "delete", "Delete"),
        Binding("escape", "app.pop_screen", "Library"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = ("Your attempts, newest first. Enter opens a finished attempt's debrief or resumes an unfinished one; "
            "d deletes an attempt after asking. The sparklines show each competency over your finished attempts "
            "at the highlighted scenario, oldest on the left.")

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="history"):
            yield DataTable(id="attempts", cursor_type="row", zebra_stripes=True)
            yield Vertical(id="trends")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "History"
        table = self.query_one("#attempts", DataTable)
        table.add_columns("Date", "Scenario", "Outcome", "Score", "Mode")
        self.reload()

    def reload(self) -> None:
        table = self.query_one("#attempts", DataTable)
        table.clear()
        attempts = self.app.store.attempts(learner=self.app.learner or None)
        for attempt in attempts:
            outcome = OUTCOME_LABELS.get(attempt.outcome, attempt.outcome) if attempt.finished else "unfinished"
            score = "" if attempt.overall is None else f"{attempt.overall:.0f}"
            table.add_row(attempt.started_at[:10], cell(attempt.title), outcome, score, attempt.mode, key=str(attempt.id))
        if not attempts:
            self.query_one("#trends", Vertical).mount(Static("No attempts yet. Play a scenario from the library."))

    @on(DataTable.RowHighlighted, "#attempts")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        attempt = self.app.store.attempt(int(event.row_key.value))
        if attempt is not None:
            self._show_trends(attempt.scenario_id, attempt.title)

    def _show_trends(self, scenario_id: str, title: str) -> None:
        trends = self.query_one("#trends", Vertical)
        trends.remove_children()
        finished = [a for a in reversed(self.app.store.attempts(scenario_id=scenario_id, learner=self.app.learner or None))
                    if a.finished]
        widgets = [Label(plain(f"{title}: {count(len(finished), 'finished attempt')}", "bold"))]
        for competency in self.app.catalogue.competencies:
            values = [a.competencies.get(competency.id) for a in finished]
            values = [v for v in values if v is not None]
            latest = f"{values[-1]:.0f}" if values else "n/a"
            widgets.append(Label(f"{competency.label} · latest {latest}"))
            widgets.append(Sparkline(values or [0], classes="trend"))
        trends.mount_all(widgets)

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
