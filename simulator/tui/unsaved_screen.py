"""Quitting while steps are not saved yet: say so, and offer to wait."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from scoring.display import count
from simulator.tui.render import plain

CHECK_EVERY = 0.25  # seconds between looks at the queue while waiting


class UnsavedScreen(ModalScreen[bool]):
    """Shown on quitting with steps still queued; dismisses with True to quit.

    ``w`` waits and quits by itself once every step is saved; ``q`` quits now,
    losing the unsaved steps; Esc goes back to the app."""

    BINDINGS = [
        Binding("w", "wait", "Wait, then quit"),
        Binding("q", "quit_now", "Quit without them"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.waiting = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as box:
            box.border_title = "Not saved yet"
            yield Static(id="unsaved")

    def on_mount(self) -> None:
        self._draw()
        self.set_interval(CHECK_EVERY, self._look)

    def _draw(self) -> None:
        store = self.app.store
        left = count(store.pending, "step")
        reason = getattr(store, "trouble", None) or "Rehearse is still saving."
        if self.waiting:
            what: list = [("Waiting to save… ", "bold"), f"{left} to go. Rehearse quits by itself once they are "
                          "saved. ", ("q", "bold"), " quits now without them."]
        else:
            what = [("w", "bold"), " wait, then quit once they are saved    ", ("q", "bold"),
                    " quit now and lose them    ", ("Esc", "bold"), " back"]
        self.query_one("#unsaved", Static).update(Content.assemble(
            (f"{left} of this session {'is' if store.pending == 1 else 'are'} not in your history file yet.",
             "bold"), "\n\n", plain(reason), "\n\n", *what))

    def _look(self) -> None:
        if not self.app.store.pending:
            self.dismiss(True)
            return
        self._draw()

    def action_wait(self) -> None:
        self.waiting = True
        self._draw()

    def action_quit_now(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)
