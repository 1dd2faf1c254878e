"""The Rehearse app: screens, the store, and moving between them."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from simulator.format.library import load_all
from simulator.records.patient_store import PatientStore
from simulator.records.store import Store, scorecard_summary
from simulator.tui import export_folder
from simulator.tui.fast_keys import KeysStayOnTheirScreen
from simulator.tui.library_screen import LibraryScreen
from simulator.tui.render import ShownLiterally
from simulator.tui.unsaved_screen import UnsavedScreen

if TYPE_CHECKING:
    from scoring.catalogue import Catalogue
    from scoring.debrief import Debrief
    from simulator.engine.session import CompiledScenario, Session
    from simulator.format.library_entry import Entry
    from simulator.format.loader import LoadResult
    from simulator.model.scenario import Scenario

# Only what the first screen needs is imported up front (the library, the
# store): the engine, scoring and the other screens load when first used, so
# start-up stays close to a bare Textual app (benchmarks/bench_ui.py).

# How often the app asks the history file's writer what has happened, and how
# long quitting waits for the last steps to be saved when nothing is wrong.
NEWS_EVERY = 0.3
LAST_SAVE_SECONDS = 2.0

THEMES = [
    Theme(name="rehearse-dark", primary="#5fa8d3", secondary="#c792ea", accent="#7fd1b9", warning="#f2c14e",
          error="#ef6f6c", success="#8bd17c", background="#14171c", surface="#1c2128", panel="#262c35", dark=True),
    Theme(name="rehearse-light", primary="#1d5f8a", secondary="#6b3fa0", accent="#0f7a63", warning="#9a6700",
          error="#b42318", success="#2f6f1f", background="#fbfaf7", surface="#f1efe9", panel="#e4e1d8", dark=False),
    # High contrast: pure black and white with saturated accents, for projectors and low vision.
    Theme(name="rehearse-contrast", primary="#ffff00", secondary="#00ffff", accent="#ffff00", warning="#ffa500",
          error="#ff5555", success="#00ff00", foreground="#ffffff", background="#000000", surface="#000000",
          panel="#000000", dark=True),
]


def _scenario_commands() -> type:
    # The scenario search is imported when the command palette first opens.
    from simulator.tui.scenario_commands import ScenarioCommands

    return ScenarioCommands


class RehearseApp(KeysStayOnTheirScreen, ShownLiterally, App):
    # A full path: subclasses in other folders (the cohort and preview apps)
    # inherit it, and Textual reads a relative one beside the subclass's file.
    CSS_PATH = Path(__file__).parent / "app.tcss"
    TITLE = "Rehearse"
    COMMANDS = App.COMMANDS | {_scenario_commands}
    BINDINGS = [Binding("f1", "help", "Help", show=False)]

    def __init__(self, library: list[LoadResult | Entry], store: Store | PatientStore, learner: str = "",
                 export_dir: Path | None = None, clock: Callable[[], datetime] | None = None,
                 cohort: str | None = None, participant: str | None = None) -> None:
        super().__init__()
        self.library = library
        self.store = store
        # In a group session (`rehearse serve`) every attempt is tagged with
        # the cohort and the participant's pseudonymous id.
        self.cohort = cohort
        self.participant = participant
        self.learner = learner or store.get_setting("learner", "") or ""
        self.export_dir = export_dir
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._compiled: dict[str, CompiledScenario] = {}
        self._modes: dict[int, str] = {}
        self._abandon_unsaved = False
        for theme in THEMES:
            self.register_theme(theme)


    @cached_property
    def catalogue(self) -> Catalogue:
        from scoring.catalogue import load_catalogue

        return load_catalogue()

    def action_help_quit(self) -> None:
        # Ctrl+C quits, as in any terminal program (Textual would only say
        # "press Ctrl+Q"): every decision is already saved as it is made.
        self.exit()
    def on_mount(self) -> None:
        self.theme = self.store.get_setting("theme", "rehearse-dark") or "rehearse-dark"
        self.push_screen(self.home_screen())
        for note in getattr(self.store, "notes", ()):
            self.notify(note, timeout=10)
        if isinstance(self.store, PatientStore):
            self.set_interval(NEWS_EVERY, self._history_news)
        self.begin()

    # -- saving ----------------------------------------------------------------------
    def _history_news(self) -> None:
        """Say in words when saving to the history file stops and when it is back."""
        for news in self.store.news():
            if news.severity == "information":
                # Back to normal: the warning that saving was held up is over.
                self.clear_notifications()
            # A warning stays up for as long as saving is held up.
            self.notify(news.message, severity=news.severity, timeout=5 if news.severity == "information" else 3600)

    def saved_message(self) -> str:
        """What leaving a rehearsal says: saved, or kept and still being saved."""
        if getattr(self.store, "pending", 0):
            return ("Kept: your last steps are not in your history file yet; Rehearse keeps trying. "
                    "Press r in the library to resume.")
        return "Saved. Press r in the library to resume."

    async def action_quit(self) -> None:
        if not getattr(self.store, "pending", 0) or self._abandon_unsaved:
            self.exit()
            return

        def answered(quit_now: bool | None) -> None:
            if quit_now:
                self._abandon_unsaved = True
                self.exit()

        if not isinstance(self.screen, UnsavedScreen):
            self.push_screen(UnsavedScreen(), answered)

    def on_unmount(self) -> None:
        # The last step taken just before quitting is saved before the app goes
        # (unless the learner chose to quit without what could not be saved).
        if isinstance(self.store, PatientStore) and not self._abandon_unsaved:
            self.store.wait(LAST_SAVE_SECONDS)

    def home_screen(self) -> Screen:
        """The screen under all others: the library; a preview or a group
        session puts its own there."""
        return LibraryScreen()

    def begin(self) -> None:
        """What happens once the home screen is up (nothing, in the app)."""

    # -- lookups ----------------------------------------------------------------
    def scenario_by_id(self, scenario_id: str) -> Scenario | None:
        """The scenario in full (loaded now if it has not been yet)."""
        return next((r.scenario for r in self.library if r.summary is not None and r.summary.id == scenario_id), None)

    def open_by_id(self, scenario_id: str) -> None:
        scenario = self.scenario_by_id(scenario_id)
        if scenario is not None:
            self.open_briefing(scenario)

    def compiled(self, scenario: Scenario) -> CompiledScenario:
        if scenario.id not in self._compiled:
            from simulator.engine.session import CompiledScenario

            self._compiled[scenario.id] = CompiledScenario(scenario)
        return self._compiled[scenario.id]

    def default_mode(self) -> str:
        return self.store.get_setting("feedback_mode", "debrief") or "debrief"

    def say_first_default(self) -> bool:
        """Whether every decision begins with saying it in your own words."""
        return bool(self.store.get_setting("say_first", False))

    def mode_of(self, attempt_id: int) -> str:
        if attempt_id not in self._modes:
            attempt = self.store.attempt(attempt_id)
            self._modes[attempt_id] = attempt.mode if attempt else "debrief"
        return self._modes[attempt_id]

    # -- moving between screens ----------------------------------------------------
    def pop_to_library(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()

    def open_briefing(self, scenario: Scenario) -> None:
        from simulator.tui.briefing_screen import BriefingScreen

        self.pop_to_library()
        self.push_screen(BriefingScreen(scenario))

    def open_history(self) -> None:
        from simulator.tui.history_screen import HistoryScreen

        self.push_screen(HistoryScreen())

    def start_attempt(self, scenario: Scenario, mode: str) -> None:
        from simulator.engine.session import Session

        session = Session(scenario, self.compiled(scenario), learner=self.learner)
        attempt_id = self.store.start_attempt(scenario.id, scenario.title, learner=self.learner, mode=mode,
                                              cohort=self.cohort, participant=self.participant)
        self._modes[attempt_id] = mode
        self._play(session, attempt_id, mode)

    def _play(self, session: Session, attempt_id: int, mode: str) -> None:
        from simulator.tui.play_screen import PlayScreen

        self.pop_to_library()
        screen = PlayScreen(session, attempt_id, mode)
        self.push_screen(screen)
        if session.finished:
            # Only once the play screen is mounted: switching away from a
            # screen still mounting leaves its header half-built (a crash).
            self.call_after_refresh(self.finish_attempt, session, attempt_id, mode)

    def resume_attempt(self, attempt_id: int) -> None:
        from simulator.engine.session import Session

        attempt = self.store.attempt(attempt_id)
        scenario = self.scenario_by_id(attempt.scenario_id) if attempt else None
        if scenario is None:
            self.notify("That scenario is no longer in the library.", severity="error")
            return
        try:
            session = (Session.from_json(scenario, attempt.session_json, self.compiled(scenario))
                       if attempt.session_json else Session(scenario, self.compiled(scenario), learner=attempt.learner))
        except ValueError as exc:
            self.notify(f"This attempt cannot be resumed: {exc}", severity="error")
            return
        self._modes[attempt_id] = attempt.mode
        self._play(session, attempt_id, attempt.mode)

    def retake_from(self, session: Session, decision: int, mode: str) -> None:
        """A new attempt that keeps the decisions before ``decision`` and takes it again."""
        from simulator.engine.session import Session

        retake = Session.from_json(session.scenario, session.to_json(), self.compiled(session.scenario))
        retake.rewind(decision)
        scenario = session.scenario
        attempt_id = self.store.start_attempt(scenario.id, scenario.title, learner=self.learner, mode=mode,
                                              cohort=self.cohort, participant=self.participant)
        self._modes[attempt_id] = mode
        for move in retake.moves:
            self.store.record_decision(attempt_id, retake.to_json(), move.node_id, move.choice_id, move.hint_used,
                                       own_words=move.own_words)
        self._play(retake, attempt_id, mode)

    def finish_attempt(self, session: Session, attempt_id: int, mode: str) -> None:
        from scoring.debrief import prepare_debrief
        from scoring.json_report import stored_json
        from simulator.tui.debrief_screen import DebriefScreen

        debrief = prepare_debrief(session.evidence_log(), self.catalogue)
        ending = session.node
        self.store.finish_attempt(attempt_id, session.to_json(), ending.ending.outcome, ending.id,
                                  scorecard_summary(debrief.scorecard), stored_json(debrief))
        self.switch_screen(DebriefScreen(session, attempt_id, debrief))

    def open_attempt(self, attempt_id: int) -> None:
        from scoring.debrief import prepare_debrief
        from simulator.engine.session import Session
        from simulator.tui.debrief_screen import DebriefScreen

        attempt = self.store.attempt(attempt_id)
        if attempt is None:
            return
        if not attempt.finished:
            self.resume_attempt(attempt_id)
            return
        scenario = self.scenario_by_id(attempt.scenario_id)
        if scenario is None or attempt.session_json is None:
            self.notify("That scenario is no longer in the library.", severity="error")
            return
        session = Session.from_json(scenario, attempt.session_json, self.compiled(scenario))
        self.push_screen(DebriefScreen(session, attempt_id, prepare_debrief(session.evidence_log(), self.catalogue)))

    def export_folder(self) -> Path:
        """Where debriefs are saved: ``--export-dir`` (or what was chosen in
        settings this session), else the folder in settings, else the default."""
        if self.export_dir is not None:
            return self.export_dir
        chosen = self.store.get_setting(export_folder.SETTING)
        return Path(chosen).expanduser() if chosen else export_folder.default_export_dir()

    def export_report(self, debrief: Debrief, suffix: str) -> Path:
        """Save the debrief in a new owner-only file named to the second, never
        over another (a second export in the same second is numbered ``-2``)."""
        from scoring.private_files import stamp
        from scoring.reports import write_report

        folder = self.export_folder()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        now = self.clock().astimezone()  # the learner's local time, as their other files have
        path = folder / f"rehearse-{debrief.log.scenario_id}-{stamp(now)}{suffix}"
        return write_report(path, debrief.log, debrief.catalogue, scorecard=debrief.scorecard,
                            feedback=debrief.feedback, taken="number", now=now)

    # -- app-wide actions ----------------------------------------------------------
    def action_help(self) -> None:
        from simulator.tui.info_screens import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_show_briefing(self) -> None:
        from simulator.tui.info_screens import BriefingTextScreen

        self.push_screen(BriefingTextScreen())

    def action_settings(self) -> None:
        from simulator.tui.info_screens import SettingsScreen

        self.push_screen(SettingsScreen())

    def action_plans(self) -> None:
        from simulator.tui.plan_screen import PlansScreen

        self.push_screen(PlansScreen())

    # -- the local profile (prepare for my own meeting; placeholders in scenarios) --------
    def profile_path(self) -> Path:
        from simulator.prepare.profile import profile_beside

        return profile_beside(self.store.path)

    def local_profile(self):
        """The profile stored beside the history file, or the defaults; a stored
        one that does not load is said once, and the defaults used."""
        from simulator.prepare.profile import local_profile

        profile, diagnostics = local_profile(self.profile_path())
        if diagnostics and not getattr(self, "_profile_said", False):
            self._profile_said = True
            self.notify("Your local profile does not load, so the defaults are used: "
                        + diagnostics[0].format(), severity="error", timeout=15)
        return profile


def make_app(paths: list[str] | None = None, data: str | os.PathLike | None = None, learner: str = "",
             export_dir: Path | None = None) -> RehearseApp:
    """The app on a scenario library (default: the bundled one) and a history
    file, checked whole first: a damaged file is said before the app opens
    (``DamagedStoreError``), not met halfway through a rehearsal."""
    store = PatientStore(data)
    try:
        store.check()
    except BaseException:
        store.close(wait=0)
        raise
    use_profile_placeholders(store.path)
    return RehearseApp(load_all(paths), store, learner=learner, export_dir=export_dir)


def use_profile_placeholders(history: str | os.PathLike) -> None:
    """Scenarios shown from now on say the local profile's names ({{partnership}});
    the profile is read the first time one has a placeholder to fill."""
    from simulator.model import placeholders

    def values() -> dict[str, str]:
        from simulator.prepare.profile import local_profile, profile_beside

        return local_profile(profile_beside(history))[0].placeholders()

    placeholders.use_later(values)


def run(data: str | os.PathLike | None = None, paths: list[str] | None = None, export_dir: Path | None = None) -> int:
    app = make_app(paths, data, export_dir=export_dir)
    try:
        app.run()
    finally:
        app.store.close(wait=0 if app._abandon_unsaved else LAST_SAVE_SECONDS)
    return 0
