"""The group session's shared store, as one participant sees it.

In ``rehearse serve`` every browser connection is its own process, and all of
them write to one store: an SQLite file, or a PostgreSQL database that several
hosts serving the same cohort share. This view keeps each participant to their own
attempts (history, resume, best scores), keeps their settings in memory so no
one changes the facilitator's, and makes sure a busy or failing file never
reaches them as "database is locked" or freezes their screen:

- the file is opened on first use, patiently, so thirty browsers connecting at
  once do not fail at start-up;
- writes go through the app's ``PatientStore``: kept in order and saved by a
  thread of their own, so a decision never waits for the file; one that
  cannot be saved yet stays queued and is tried again, and the participant is
  told so in plain words (``flush`` passes on what the store has to say);
- the store's own patience with a busy file is kept (thirty writers at once
  are within it), since waiting now costs the participant nothing.

Nothing here imports Textual: ``notify`` is any callable taking a message and
a severity.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any, Callable

from simulator.records.location import DatabaseURL, location
from simulator.records.patient_store import PatientStore, Voice
from simulator.records.postgres import StoreBusy, StoreUnreachable  # the driver itself loads only to connect
from simulator.records.store import Attempt, AttemptSummary, Cohort, Store, StoreError

Notify = Callable[[str, str], None]

NOT_SAVED_YET = ("Your last step is not saved yet: the session's records are busy. Carry on: it will be saved "
                 "shortly. If this message keeps coming back, tell the facilitator.")
SAVED_AGAIN = "Saved: your earlier steps are now in the session's records."
CANNOT_READ = "The session's records could not be read just now; what you see may be out of date."
PARTICIPANT = Voice(lambda exc, path: NOT_SAVED_YET, SAVED_AGAIN, lambda exc, path: CANNOT_READ)
# Leaving: what is still queued gets this long to be saved before the process ends.
LAST_SAVE_SECONDS = 20.0


class SessionRecordsUnavailable(StoreError):
    """The shared file cannot be used right now; the message is for the participant."""


def _plain_reason(exc: BaseException) -> str:
    """Why the file failed, in words for a participant, never SQLite's."""
    if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc).lower():
        return "the session's records are busy with other participants"
    if isinstance(exc, (StoreUnreachable, StoreBusy)):  # a PostgreSQL store shared by several hosts
        return "the session's records cannot be reached just now"
    # Anything else (a full disk, a file that cannot be opened) is the
    # facilitator's to fix; the participant needs no paths or SQLite words.
    return "the session's records cannot be used on the facilitator's computer"


class ParticipantStore:
    """The store API the app uses, scoped to one participant of one cohort."""

    def __init__(self, path: str | Path | DatabaseURL, cohort: str, participant: str, *, notify: Notify | None = None,
                 open_store: Callable[..., Store] = Store, patience: tuple[float, ...] = (0.5, 1.0)) -> None:
        self.path = location(path)
        self.cohort = cohort
        self.participant = participant
        self.notify: Notify = notify or (lambda message, severity: None)
        self._open_store = open_store
        # Extra waits, on top of the store's own, for the reads and the
        # opening of the file that the participant waits for.
        self._patience = patience
        self._history: PatientStore | None = None
        self._settings: dict[str, Any] = {}

    # -- the shared file ----------------------------------------------------------
    def _shared(self) -> PatientStore:
        if self._history is None:
            self._history = PatientStore(self.path, open_store=self._open_store, write_patience_ms=None,
                                         voice=PARTICIPANT)
        return self._history

    def _patiently(self, action: Callable[[PatientStore], Any]) -> Any:
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
        return self._history.pending if self._history is not None else 0

    @property
    def trouble(self) -> str | None:
        return self._history.trouble if self._history is not None else None

    def flush(self) -> bool:
        """Pass on what the store has to say; True when nothing is waiting to be saved."""
        if self._history is None:
            return True
        for news in self._history.news():
            self.notify(news.message, news.severity)
        return self._history.pending == 0

    def _read(self, action: Callable[[Store], Any], fallback: Any) -> Any:
        try:
            return self._patiently(lambda history: history.ask(action))
        except SessionRecordsUnavailable:
            self.notify(CANNOT_READ, "warning")
            return fallback

    def close(self) -> None:
        # A last wait for anything kept; the app may be gone, so no messages.
        self.notify = lambda message, severity: None
        if self._history is not None:
            self._history.close(wait=LAST_SAVE_SECONDS)
            self._history = None

    # -- cohorts --------------------------------------------------------------------
    def cohort_record(self) -> Cohort | None:
        """This participant's cohort; raises ``SessionRecordsUnavailable``."""
        return self._patiently(lambda history: history.ask(lambda store: store.cohort(self.cohort)))

    # -- writes, tagged and kept in order ----------------------------------------------
    def record_join(self, name: str) -> None:
        """Queue the record that this participant joined (the dashboard counts
        them before they start); raises ``SessionRecordsUnavailable`` only if
        the file cannot be opened."""
        self._patiently(lambda history: history.record_join(self.cohort, self.participant, name))
        self.flush()

    def start_attempt(self, scenario_id: str, title: str, learner: str = "", mode: str = "debrief",
                      session_json: dict | None = None, cohort: str | None = None,
                      participant: str | None = None) -> int:
        """Queue the start of an attempt and return its (provisional) id;
        raises ``SessionRecordsUnavailable`` only if the file cannot be opened."""
        attempt = self._patiently(lambda history: history.start_attempt(
            scenario_id, title, learner=learner, mode=mode, session_json=session_json,
            cohort=cohort or self.cohort, participant=participant or self.participant))
        self.flush()
        return attempt

    def record_decision(self, attempt_id: int, session_json: dict, node_id: str, choice_id: str,
                        hint_used: bool, own_words: str = "") -> None:
        self._shared().record_decision(attempt_id, session_json, node_id, choice_id, hint_used, own_words)
        self.flush()

    def save_draft(self, attempt_id: int, node_id: str, decision: int, words: str, submitted: bool = False) -> None:
        """Keep the words being typed (the shared store keeps only the newest
        draft waiting); a busy file is said once, by the next flush."""
        self._shared().save_draft(attempt_id, node_id, decision, words, submitted)
        self.flush()

    def draft(self, attempt_id: int):
        # Only this participant's own attempt has words of theirs to read.
        if self.attempt(attempt_id) is None:
            return None
        return self._shared().draft(attempt_id)

    def discard_draft(self, attempt_id: int) -> None:
        self._shared().discard_draft(attempt_id)
        self.flush()

    def record_rewind(self, attempt_id: int, session_json: dict, to_decision: int) -> None:
        self._shared().record_rewind(attempt_id, session_json, to_decision)
        self.flush()

    def finish_attempt(self, attempt_id: int, session_json: dict, outcome: str, ending_node: str, scorecard: dict,
                       report_json: str) -> None:
        self._shared().finish_attempt(attempt_id, session_json, outcome, ending_node, scorecard, report_json)
        self.flush()

    def delete_attempt(self, attempt_id: int) -> bool:
        if self.attempt(attempt_id) is None:
            return False
        return self._shared().delete_attempt(attempt_id)

    # -- reads, only this participant's -----------------------------------------------
    def attempts(self, scenario_id: str | None = None, learner: str | None = None, **_ignored) -> list[AttemptSummary]:
        return self._read(lambda store: store.attempts(scenario_id, cohort=self.cohort, participant=self.participant),
                          [])

    def unfinished(self, learner: str | None = None) -> list[AttemptSummary]:
        return self._read(lambda store: store.unfinished(participant=self.participant), [])

    def best(self, scenario_id: str, learner: str | None = "") -> float | None:
        return self._read(lambda store: store.best(scenario_id, None, participant=self.participant), None)

    def attempt(self, attempt_id: int) -> Attempt | None:
        # Resolved once the writer has caught up (in ``ask``): a provisional
        # id whose attempt is not saved yet finds nothing.
        found = self._read(lambda store: store.attempt(self._shared().resolve(attempt_id)), None)
        if found is None or found.cohort != self.cohort or found.participant != self.participant:
            return None
        return found

    # -- settings: this participant's, for this connection only ---------------------------
    def get_setting(self, key: str, default: Any = None) -> Any:
        return self._settings.get(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        self._settings[key] = value
