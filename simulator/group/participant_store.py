"""The group session's shared store, as one participant sees it.

In ``rehearse serve`` every browser connection is its own process, and all of
them write to one SQLite file. This view keeps each participant to their own
attempts (history, resume, best scores), keeps their settings in memory so no
one changes the facilitator's, and makes sure a busy or failing file never
reaches them as "database is locked":

- the file is opened on first use, patiently, so thirty browsers connecting at
  once do not fail at start-up;
- a decision, rewind or ending that cannot be saved is kept, in order, and
  saved with the next write (or by ``flush`` on a timer), and the participant
  is told so in plain words;
- starting an attempt cannot be deferred (the app needs its id), so a failure
  there raises ``SessionRecordsUnavailable`` with a message fit to show.

Nothing here imports Textual: ``notify`` is any callable taking a message and
a severity.
"""

from __future__ import annotations

import sqlite3
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable

from simulator.records.store import Attempt, AttemptSummary, Cohort, Store, StoreError

Notify = Callable[[str, str], None]

NOT_SAVED_YET = ("Your last step is not saved yet: the session's records are busy. Carry on: it will be saved "
                 "with your next one. If this message keeps coming back, tell the facilitator.")
SAVED_AGAIN = "Saved: your earlier steps are now in the session's records."
CANNOT_READ = "The session's records could not be read just now; what you see may be out of date."


class SessionRecordsUnavailable(StoreError):
    """The shared file cannot be used right now; the message is for the participant."""


def _plain_reason(exc: BaseException) -> str:
    """Why the file failed, in words for a participant, never SQLite's."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
        return "the session's records are busy with other participants"
    # Anything else (a full disk, a file that cannot be opened) is the
    # facilitator's to fix; the participant needs no paths or SQLite words.
    return "the session's records cannot be used on the facilitator's computer"


class ParticipantStore:
    """The store API the app uses, scoped to one participant of one cohort."""

    def __init__(self, path: str | Path, cohort: str, participant: str, *, notify: Notify | None = None,
                 open_store: Callable[[Path], Store] = Store, patience: tuple[float, ...] = (0.5, 1.0)) -> None:
        self.path = Path(path)
        self.cohort = cohort
        self.participant = participant
        self.notify: Notify = notify or (lambda message, severity: None)
        self._open_store = open_store
        # Extra waits after the store's own busy timeout and retries, for the
        # writes that cannot be kept for later and for reads.
        self._patience = patience
        self._store: Store | None = None
        self._pending: deque[Callable[[Store], Any]] = deque()
        self._behind = False  # a write has failed and not been saved since
        self._settings: dict[str, Any] = {}

    # -- the shared file ----------------------------------------------------------
    def _shared(self) -> Store:
        if self._store is None:
            self._store = self._open_store(self.path)
        return self._store

    def _patiently(self, action: Callable[[Store], Any]) -> Any:
        """``action`` on the shared store, waiting out a busy file; raises
        ``SessionRecordsUnavailable`` when it still fails."""
        for delay in (*self._patience, None):
            try:
                return action(self._shared())
            except (sqlite3.Error, StoreError, OSError) as exc:
                if delay is None:
                    raise SessionRecordsUnavailable(_plain_reason(exc)) from exc
                time.sleep(delay)

    @property
    def pending(self) -> int:
        """How many writes are waiting to be saved."""
        return len(self._pending)

    def flush(self) -> bool:
        """Save the kept writes, oldest first; True when none is left."""
        while self._pending:
            try:
                # One try each: the store itself has already waited out its
                # busy timeout, and the participant must not be kept waiting.
                self._pending[0](self._shared())
            except (sqlite3.Error, StoreError, OSError):
                self._behind = True
                return False
            self._pending.popleft()
        if self._behind:
            self._behind = False
            self.notify(SAVED_AGAIN, "information")
        return True

    def _keep(self, write: Callable[[Store], Any]) -> None:
        """Save ``write`` after any kept before it, or keep it and say so."""
        self._pending.append(write)
        if not self.flush():
            self.notify(NOT_SAVED_YET, "warning")

    def _read(self, action: Callable[[Store], Any], fallback: Any) -> Any:
        try:
            return self._patiently(action)
        except SessionRecordsUnavailable:
            self.notify(CANNOT_READ, "warning")
            return fallback

    def close(self) -> None:
        # A last try at anything kept; the app may be gone, so no messages.
        self.notify = lambda message, severity: None
        self.flush()
        if self._store is not None:
            self._store.close()
            self._store = None

    # -- cohorts --------------------------------------------------------------------
    def cohort_record(self) -> Cohort | None:
        """This participant's cohort; raises ``SessionRecordsUnavailable``."""
        return self._patiently(lambda store: store.cohort(self.cohort))

    # -- writes, tagged and kept in order ----------------------------------------------
    def start_attempt(self, scenario_id: str, title: str, learner: str = "", mode: str = "debrief",
                      session_json: dict | None = None, cohort: str | None = None,
                      participant: str | None = None) -> int:
        if not self.flush():
            raise SessionRecordsUnavailable(_plain_reason(sqlite3.OperationalError("database is locked")))
        return self._patiently(lambda store: store.start_attempt(
            scenario_id, title, learner=learner, mode=mode, session_json=session_json,
            cohort=cohort or self.cohort, participant=participant or self.participant))

    def record_decision(self, attempt_id: int, session_json: dict, node_id: str, choice_id: str,
                        hint_used: bool) -> None:
        self._keep(lambda store: store.record_decision(attempt_id, session_json, node_id, choice_id, hint_used))

    def record_rewind(self, attempt_id: int, session_json: dict, to_decision: int) -> None:
        self._keep(lambda store: store.record_rewind(attempt_id, session_json, to_decision))

    def finish_attempt(self, attempt_id: int, session_json: dict, outcome: str, ending_node: str, scorecard: dict,
                       report_json: str) -> None:
        self._keep(lambda store: store.finish_attempt(attempt_id, session_json, outcome, ending_node, scorecard,
                                                      report_json))

    def delete_attempt(self, attempt_id: int) -> bool:
        if self.attempt(attempt_id) is None:
            return False
        try:
            return self._patiently(lambda store: store.delete_attempt(attempt_id))
        except SessionRecordsUnavailable as exc:
            self.notify(f"The attempt was not deleted: {exc}. Try again in a moment.", "error")
            return False

    # -- reads, only this participant's -----------------------------------------------
    def attempts(self, scenario_id: str | None = None, learner: str | None = None, **_ignored) -> list[AttemptSummary]:
        return self._read(lambda store: store.attempts(scenario_id, cohort=self.cohort, participant=self.participant),
                          [])

    def unfinished(self, learner: str | None = None) -> list[AttemptSummary]:
        return self._read(lambda store: store.unfinished(participant=self.participant), [])

    def best(self, scenario_id: str, learner: str | None = "") -> float | None:
        return self._read(lambda store: store.best(scenario_id, None, participant=self.participant), None)

    def attempt(self, attempt_id: int) -> Attempt | None:
        found = self._read(lambda store: store.attempt(attempt_id), None)
        if found is None or found.cohort != self.cohort or found.participant != self.participant:
            return None
        return found

    # -- settings: this participant's, for this connection only ---------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._settings[key] = value
