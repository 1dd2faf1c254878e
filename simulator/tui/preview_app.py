"""The app on one scenario file, for its author: ``rehearse preview``.

The author plays their draft as a learner would (the same play and debrief
screens), from any node with chosen variables. With ``--watch`` the file is
checked twice a second; a save reloads it and keeps the author's place. A
save with errors never ends the preview: the problems are listed, with
``path:line:col``, until the next save fixes them.
"""

from __future__ import annotations

import hashlib
import tempfile
from datetime import datetime
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from scoring.display import count
from simulator.authoring.preview import Origin, carry_over, resolve
from simulator.engine.session import Session
from simulator.format.loader import load_file
from simulator.model.scenario import Scenario
from simulator.records.store import Store
from simulator.tui.app import RehearseApp
from simulator.tui.fast_keys import Header
from simulator.tui.play_screen import PlayScreen
from simulator.tui.render import plain

POLL_SECONDS = 0.5


class PreviewScreen(Screen):
    """Home of a preview: the file, whether it loads, and its problems if not."""

    BINDINGS = [
        Binding("enter", "play", "Play"),
        Binding("s", "from_start", "From the start"),
        Binding("r", "reload", "Reload now"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]
    HELP = ("Enter plays the scenario (carrying on where you were), s starts again from the beginning, "
            "r reloads the file now. With --watch the file reloads by itself whenever you save it.")

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="preview-status")
        with VerticalScroll(id="preview-problems"):
            yield Static(id="problems")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def on_screen_resume(self) -> None:
        self.show()

    def show(self) -> None:
        app: PreviewApp = self.app  # type: ignore[assignment]
        result = app.result
        watching = "watching for saves" if app.watch else "press r to reload after saving"
        loaded_at = app.loaded_at.strftime("%H:%M:%S")
        self.sub_title = str(app.path)
        status = self.query_one("#preview-status", Static)
        problems = self.query_one("#problems", Static)
        errors = [d for d in result.diagnostics if d.severity == "error"]
        warnings = [d for d in result.diagnostics if d.severity == "warning"]
        if result.scenario is None:
            status.update(Content.assemble(
                (count(len(errors), "error"), "bold $error"),
                plain(f" in {app.path} (checked {loaded_at}, {watching}). Fix the file and save: the preview "
                "carries on from where you were.")))
            status.set_classes("preview-broken")
        else:
            scenario = result.scenario
            status.update(Content.assemble(
                ("Loaded", "bold $success"),
                plain(f" {scenario.title} · {len(scenario.nodes)} nodes · checked {loaded_at}, {watching}. "
                      f"Enter plays{' on' if app.session and app.session.moves else ''}; s starts from "
                      f"'{resolve(scenario, app.origin)[0]}'.")))
            status.set_classes("preview-ok")
        lines = [d.format() for d in errors + warnings] + app.origin_problems
        problems.update(plain("\n".join(lines) if lines else "No problems found."))

    def action_play(self) -> None:
        self.app.play_preview()  # type: ignore[attr-defined]

    def action_from_start(self) -> None:
        self.app.play_preview(fresh=True)  # type: ignore[attr-defined]

    def action_reload(self) -> None:
        self.app.reload(force=True)  # type: ignore[attr-defined]


class PreviewApp(RehearseApp):
    """``RehearseApp`` whose library is one file, reloaded when it changes.

    Attempts go to a throwaway store: rehearsing a draft is not history."""

    def __init__(self, path: Path, origin: Origin = Origin(), watch: bool = False, store: Store | None = None,
                 coach: bool = False, export_dir: Path | None = None) -> None:
        self._scratch = None
        if store is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="rehearse-preview-")
            store = Store(Path(self._scratch.name) / "preview.db")
        self.path = path
        self.origin = origin
        self.watch = watch
        self.result = load_file(path)
        self.digest = _digest(path)
        self._settling: bytes | None = None
        self.loaded_at = datetime.now()
        self.session: Session | None = None
        self.origin_problems: list[str] = []
        self.coach = coach
        super().__init__([self.result], store, export_dir=export_dir)

    def default_mode(self) -> str:
        # An author checking their feedback wants it after each choice.
        return "coach" if self.coach else "debrief"

    def home_screen(self) -> Screen:
        return PreviewScreen()

    def begin(self) -> None:
        if self.watch:
            self.set_interval(POLL_SECONDS, self.reload)
        if self.result.scenario is not None:
            self._check_origin(self.result.scenario)
            if not self.origin_problems:
                self.play_preview()

    def on_unmount(self) -> None:
        self.store.close()
        if self._scratch is not None:
            self._scratch.cleanup()

    # -- reloading -----------------------------------------------------------
    def reload(self, force: bool = False) -> None:
        digest = _digest(self.path)
        if digest == self.digest and not force:
            return
        if digest != self._settling and not force:
            # Editors save in steps (truncate, then write): reload once the
            # file has stayed the same for a whole poll, not half-written.
            self._settling = digest
            return
        self.digest = digest
        self.result = load_file(self.path)
        self.library = [self.result]
        self.loaded_at = datetime.now()
        self._compiled.clear()
        scenario = self.result.scenario
        if scenario is None:
            # Back to the problems list; the session is kept for when it is fixed.
            self.pop_to_library()
            self._refresh_home()
            self.notify("The file has errors: the list shows where.", severity="error", timeout=4)
            return
        self._check_origin(scenario)
        playing = isinstance(self.screen, PlayScreen) or self.session is not None
        if playing:
            self.play_preview()
            self.notify("Reloaded.", timeout=2)
        else:
            self._refresh_home()

    def _check_origin(self, scenario: Scenario) -> None:
        self.origin_problems = resolve(scenario, self.origin)[2]
        for problem in self.origin_problems:
            self.notify(problem, severity="warning", timeout=6)

    def _refresh_home(self) -> None:
        for screen in self.screen_stack:
            if isinstance(screen, PreviewScreen):
                screen.show()

    # -- playing ---------------------------------------------------------------
    def play_preview(self, fresh: bool = False) -> None:
        scenario = self.result.scenario
        if scenario is None:
            self.notify("Fix the errors listed first.", severity="error")
            return
        old = None if fresh else self.session
        if old is not None and old.scenario is not scenario:
            session, note = carry_over(old, scenario, self.origin, self.compiled(scenario))
        elif old is not None and not old.finished:
            session, note = old, ""
        else:
            session, note = carry_over(None, scenario, self.origin, self.compiled(scenario))
        if note:
            self.notify(note, timeout=5)
        self.session = session
        attempt_id = self.store.start_attempt(scenario.id, scenario.title, learner=self.learner,
                                              mode=self.default_mode(), session_json=session.to_json())
        self._modes[attempt_id] = self.default_mode()
        self._play(session, attempt_id, self.default_mode())

    def start_attempt(self, scenario: Scenario, mode: str) -> None:
        # "Try again" on the debrief: from the preview's starting point.
        self.play_preview(fresh=True)


def _digest(path: Path) -> bytes | None:
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return None


def run_preview(path: Path, origin: Origin, watch: bool = False, coach: bool = False,
                export_dir: Path | None = None) -> int:
    PreviewApp(path, origin, watch, coach=coach, export_dir=export_dir).run()
    return 0
