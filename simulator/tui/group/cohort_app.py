"""The app as one participant of a group session runs it, in their browser.

``rehearse serve`` starts one of these processes per browser connection
(``python -m simulator.tui.group.cohort_app --data FILE --cohort NAME``). It is the
ordinary app behind a join screen, writing to the shared store through a
``ParticipantStore`` under a random participant id.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import signal
import tempfile
import threading
from pathlib import Path
from typing import Callable

from textual.screen import Screen

from scoring.debrief import Debrief
from simulator.engine.session import Session
from simulator.format.library import load_all
from simulator.group.participant_store import (
    ParticipantStore,
    SessionRecordsUnavailable,
)
from simulator.group.serve import SERVER_PID, end_with_server, save_then_end
from simulator.model.scenario import Scenario
from simulator.model.text import inert
from simulator.records.location import STORE_ENV
from simulator.records.store import Cohort
from simulator.tui.app import RehearseApp
from simulator.tui.group.join_screen import JoinScreen
from simulator.tui.group.participant_driver import ParticipantDriver
from simulator.tui.library_screen import LibraryScreen

# How often what the participant's store has to say (a step not saved yet,
# saved again) is passed on; saving itself runs on the store's own thread.
FLUSH_EVERY = 3.0


def new_participant_id() -> str:
    """A pseudonymous id for one join: the display name is kept separately, as the learner."""
    return "p-" + secrets.token_hex(6)


class CohortApp(RehearseApp):
    # The palette would open scenarios before joining, and offers actions
    # (screenshots, quitting) that act on the facilitator's computer.
    ENABLE_COMMAND_PALETTE = False
    # In the browser xterm.js paints a highlighted cell flush to the next one,
    # so an option's band ran right up to the frame and its words touched the
    # band's ends: a cell of space inside each option keeps them apart.
    CSS = """
    OptionList > .option-list--option {
        padding: 0 1;
    }
    """

    def __init__(self, paths: list[str] | None, store: ParticipantStore, cohort: str, participant: str) -> None:
        # The library (``paths``, default the bundled one) is loaded on
        # joining, not before: the join screen appears sooner when a whole
        # room connects at once.
        super().__init__([], store, cohort=cohort, participant=participant)
        self._library_paths = paths
        store.notify = self._store_says

    def home_screen(self) -> Screen:
        return JoinScreen(self.cohort or "")

    def action_help_quit(self) -> None:
        # In a browser Ctrl+C is "copy": quitting would end the participant's
        # session and they would rejoin as somebody new.
        self.notify("Your decisions are saved as you go. To stop, close this tab.", title="Leaving?")

    # -- join codes are counted by the server, across every participant ----------------------
    def ask_to_join(self, answer: Callable[[bool, int], None]) -> None:
        """May a join code be checked now? ``answer(allowed, wait_seconds)``; at once outside a server."""
        driver = self._driver
        if isinstance(driver, ParticipantDriver):
            driver.ask_to_join(answer)
        else:
            answer(True, 0)

    def tell_join(self, right: bool | None) -> None:
        """After asking: the code was wrong (False), right (True), or never checked (None)."""
        driver = self._driver
        if isinstance(driver, ParticipantDriver):
            driver.tell_join(right is not False)

    def begin(self) -> None:
        self.set_interval(FLUSH_EVERY, self._flush_kept_writes)

    def joined(self, name: str, cohort: Cohort) -> str | None:
        """Called by the join screen with a good code; returns a problem to show, or None."""
        self.library = load_all(self._library_paths)
        if cohort.scenario_id is not None:
            # The room plays one scenario: the library holds only it.
            # By the summary, not ``r.scenario``: that would build every scenario in
            # the library in full, in every participant's memory, to keep one.
            chosen = [r for r in self.library if r.summary is not None and r.summary.id == cohort.scenario_id
                      and r.scenario is not None]
            if not chosen:
                return (f"This session's scenario ({cohort.scenario_id}) is not in the library here. "
                        "Tell the facilitator.")
            self.library = chosen
        self.learner = name
        try:
            self.store.record_join(name)
        except SessionRecordsUnavailable:
            pass  # only the dashboard's count of who has joined waits for their first step
        self.switch_screen(LibraryScreen())
        self.notify(f"You have joined {inert(cohort.name)}.", title="Rehearse", markup=False)
        if cohort.scenario_id is not None:
            self.open_briefing(self.library[0].scenario)
        return None

    # -- the shared store never fails loudly ------------------------------------------------
    def _store_says(self, message: str, severity: str) -> None:
        self.notify(message, severity=severity, timeout=10 if severity != "information" else 4)

    def _flush_kept_writes(self) -> None:
        self.store.flush()

    def start_attempt(self, scenario: Scenario, mode: str) -> None:
        try:
            super().start_attempt(scenario, mode)
        except SessionRecordsUnavailable as exc:
            self._cannot_start(exc)

    def retake_from(self, session: Session, decision: int, mode: str) -> None:
        try:
            super().retake_from(session, decision, mode)
        except SessionRecordsUnavailable as exc:
            self._cannot_start(exc)

    def _cannot_start(self, exc: SessionRecordsUnavailable) -> None:
        self.notify(f"The rehearsal could not start: {exc}. Try again in a moment; if it keeps happening, "
                    "tell the facilitator.", severity="error", timeout=15)

    # -- a debrief goes to the participant's browser, not the facilitator's disk ----------------
    def export_report(self, debrief: Debrief, suffix: str) -> Path:
        from scoring.reports import write_report

        name = f"rehearse-{debrief.log.scenario_id}-{self.clock().strftime('%Y-%m-%d-%H%M')}{suffix}"
        with tempfile.TemporaryDirectory(prefix="rehearse-") as folder:
            path = write_report(Path(folder) / name, debrief.log, debrief.catalogue, scorecard=debrief.scorecard,
                                feedback=debrief.feedback)
            report = io.BytesIO(path.read_bytes())
        self.deliver_binary(report, save_filename=name)
        return Path(name)


def _arguments(argv: list[str] | None, environment) -> tuple[str, str]:
    """The records (file or address) and the cohort's name, from the participant's command."""
    parser = argparse.ArgumentParser(prog="rehearse-participant", description="One participant of a group session.")
    parser.add_argument("--data", help="the history file; default: the PostgreSQL database in $REHEARSE_STORE")
    parser.add_argument("--cohort", required=True)
    args = parser.parse_args(argv)
    data = args.data or environment.get(STORE_ENV)
    if not data:
        parser.error(f"give the history file with --data, or a PostgreSQL address in ${STORE_ENV}")
    return data, args.cohort


# The stores of the participants a hosting process runs, so that all are saved when it is told to end.
_HOSTED_STORES: set[ParticipantStore] = set()
_HOSTED_LOCK = threading.Lock()


def run_hosted(argv: list[str], environment: dict[str, str], stdin_fd: int, stdout_fd: int) -> int:
    """One participant among several in one process (``simulator.tui.group.host``), on this
    thread: as ``main``, on the participant's own pipes, with their own environment."""
    from simulator.tui.group.participant_driver import hosted_driver

    data, cohort = _arguments(argv, environment)
    participant = new_participant_id()
    store = ParticipantStore(data, cohort, participant)
    with _HOSTED_LOCK:
        _HOSTED_STORES.add(store)
    try:
        app = CohortApp(None, store, cohort, participant)
        try:
            size = int(environment["COLUMNS"]), int(environment["ROWS"])
        except (KeyError, ValueError):
            size = None
        app.driver_class = hosted_driver(stdin_fd, stdout_fd, size)
        app.run()
    finally:
        store.close()
        with _HOSTED_LOCK:
            _HOSTED_STORES.discard(store)
    return app.return_code or 0


def end_hosted() -> None:
    """The hosting process is ending (the server has gone): what every participant has waiting is saved."""
    with _HOSTED_LOCK:
        stores = list(_HOSTED_STORES)
    for store in stores:
        store.close()


def main(argv: list[str] | None = None) -> int:
    data, cohort = _arguments(argv, os.environ)
    # Ctrl+C in the facilitator's terminal reaches every process in it. The
    # server ends each participant's app itself, after closing its browser.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    participant = new_participant_id()
    store = ParticipantStore(data, cohort, participant)
    app = CohortApp(None, store, cohort, participant)

    end_with_server(save_then_end(store.close), os.environ.get(SERVER_PID))
    try:
        app.run()
    finally:
        store.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
