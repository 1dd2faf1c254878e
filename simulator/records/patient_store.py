"""The history as the app uses it: reads at once, writes kept in order and
saved by a thread of their own, so a busy or full disk never freezes the
screen or loses a decision.

Every decision is still saved as it is made, a few milliseconds later, on
the writer thread. When the file is locked by another program, the disk is
full or the file cannot be written, the write stays in the queue, in order,
and is tried again every few seconds until it succeeds; ``news()`` says what
happened in words for the learner (once when saving stops, once when it is
back), and ``pending`` says how many steps are not saved yet, so quitting can
offer to wait for them.

Each queued step carries a key of its own (``Store``'s ``key``), so a step
tried again after its commit was lost on the way back (a dropped connection
to a database server) is not saved twice.

Starting an attempt is queued like the rest: ``start_attempt`` returns a
provisional id (a negative number) that later writes and reads use; the
writer thread maps it to the file's id when the attempt is saved.

``write_at_once`` (``rehearse play`` at a prompt, where nothing is drawn while
a step is saved) saves each step on the caller's thread, on the one
connection that also reads: no second connection and no thread to start, which
was a third of a short recorded play's time. The first step that cannot be
saved at once is said as above and queued, and from then on every step goes
through the writer thread, in order, with its retries.

Nothing here imports Textual; the app asks for ``news()`` on a timer.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path

from scoring.record import record
from simulator.records import sqlite_file
from simulator.records.sqlite_file import DamagedStoreError, StoreError, is_locked
from simulator.records.store import Store

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any

    from simulator.records.attempts import Attempt, AttemptSummary, Cohort

# One try waits this long for another program's lock before the write is kept
# for later: long enough for an ordinary moment of contention, short enough
# that the learner hears promptly that saving is held up.
WRITE_PATIENCE_MS = 250
READ_PATIENCE_MS = 200
RETRY_DELAYS = (1.0, 2.0, 3.0, 5.0)  # then every 5 s until the file can be written again
# A read waits this long for the writer to catch up, so what the screen shows
# includes the step just taken; never while saving is held up.
CATCH_UP_SECONDS = 0.5
# A setting the file does not have, and one that could not be read just now.
_ABSENT, _UNREAD = object(), object()

if TYPE_CHECKING:
    Write = Callable[[Store, Callable[[int], int]], Any]


# Records (scoring.record), not dataclasses, for these small values: each dataclass costs
# a recorded `rehearse play` time at start-up to build.
@record
class News:
    """Something the learner should be told about their history file."""

    message: str
    severity: str  # "information", "warning" or "error", as the app's notifications take them


BACK_TO_NORMAL = "Saved: every step you took is now in your history file."


def cannot_read(exc: BaseException, path: Path) -> str:
    if isinstance(exc, DamagedStoreError):
        return why_not_saved(exc, path)
    return f"Your history could not be read just now, so what you see may be incomplete: {exc}"


@record
class Voice:
    """What the store says, and to whom: a learner about their own history
    file (the default), or a participant about the session's (see
    ``simulator.group.participant_store``), who needs no paths or SQLite words."""

    held_up: Callable[[BaseException, Path], str]
    back: str
    cannot_read: Callable[[BaseException, Path], str]


def why_not_saved(exc: BaseException, path: Path) -> str:
    """Why a write failed, in words, with what happens next."""
    if isinstance(exc, DamagedStoreError):
        return (f"Your history file is damaged, so your progress cannot be saved to it: {exc}. Rehearse keeps "
                "what you do while the app is open.")
    return (f"Not saved yet: {reason_not_saved(exc, path)}. Rehearse keeps every step and tries again every few "
            "seconds; carry on, nothing is lost while the app stays open.")


def reason_not_saved(exc: BaseException, path: Path) -> str:
    """Why a write failed (busy, full, cannot be written), in a few words."""
    code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
    if isinstance(exc, sqlite3.OperationalError) and is_locked(exc):
        return "another program is using your history file"
    if code == sqlite3.SQLITE_FULL or getattr(exc, "errno", None) == errno.ENOSPC:
        return "the disk that holds your history file is full; free some space"
    return f"your history file ({path}) cannot be written just now ({exc})"


LEARNER = Voice(why_not_saved, BACK_TO_NORMAL, cannot_read)


def _new_key() -> str:
    # 128 random bits as 32 hex digits (as uuid4().hex, without loading uuid at every start).
    return os.urandom(16).hex()


class PatientStore:
    """The store API the app uses, over one history file, never blocking on a write."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, open_store: Callable[..., Store] = Store,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS, write_patience_ms: int | None = WRITE_PATIENCE_MS,
                 voice: Voice = LEARNER, write_at_once: bool = False, **store_options: Any) -> None:
        """``store_options`` (a ``clock``) go to each ``Store`` opened;
        ``write_patience_ms`` None keeps the store's own patience;
        ``write_at_once``: see the module's note."""
        self.voice = voice
        # The reader opens (and, for a new or older file, prepares) the file
        # here, so a file that is not a history or is newer is refused before
        # the app starts. Writing at once, it is the writer too, and waits as one.
        self._at_once = write_at_once
        self._reader = open_store(path, patience_ms=write_patience_ms if write_at_once else READ_PATIENCE_MS,
                                  **store_options)
        self.path = self._reader.path
        self.notes = self._reader.notes
        self._open_store = lambda where, patience_ms: open_store(where, patience_ms=patience_ms, **store_options)
        self._retry_delays = retry_delays
        self._write_patience_ms = write_patience_ms
        self._queue: deque[Write] = deque()
        self._changed = threading.Condition()
        self._news: deque[News] = deque()
        self._trouble: str | None = None  # why the head of the queue is not saved, while it is not
        self._announced = False  # whether the learner has been told of the trouble
        self._real_ids: dict[int, int] = {}
        self._next_provisional = -1
        self._settings: dict[str, Any] = {}  # saved or not, what the learner chose last
        self._closing = False
        self._writer: Store | None = None
        # Started with the first write: a session that only reads needs no writer.
        self._thread = threading.Thread(target=self._write_in_order, name="rehearse-history-writer", daemon=True)

    def check(self) -> None:
        """Every page read once; raises ``DamagedStoreError`` (see ``Store.check``)."""
        self._reader.check()

    # -- what the app asks of the queue ------------------------------------------------------
    @property
    def pending(self) -> int:
        """Steps not saved yet."""
        with self._changed:
            return len(self._queue)

    @property
    def trouble(self) -> str | None:
        """Why saving is held up, in words, or None."""
        return self._trouble

    def news(self) -> list[News]:
        """What happened to saving since the last call, oldest first."""
        found = []
        while self._news:
            found.append(self._news.popleft())
        return found

    def wait(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for every step to be saved; True when none is left."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while self._queue:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._changed.wait(left)
        return True

    def close(self, wait: float = 2.0) -> int:
        """Save what can be saved within ``wait`` seconds, stop the writer and
        close the file; returns the number of steps left unsaved."""
        self.wait(wait)
        with self._changed:
            self._closing = True
            left = len(self._queue)
            self._changed.notify_all()
        # A try under way may wait for the lock once per retry before it gives up.
        patience = (self._write_patience_ms or sqlite_file.BUSY_TIMEOUT_MS) / 1000
        longest_try = patience * (len(sqlite_file.RETRY_DELAYS) + 1) + sum(sqlite_file.RETRY_DELAYS)
        if self._thread.is_alive():
            self._thread.join(timeout=longest_try + 1)
        self._reader.close()
        return left

    # -- the writer thread ------------------------------------------------------------------------
    def _enqueue(self, write: Write) -> None:
        if self._at_once:
            problem = self._try(write, here=True)
            if problem is None:
                return
            # Held up: this step and every later one wait for the writer thread,
            # which tries again after the first delay, as it would have.
            self._at_once = False
            self._held_up(write, problem)
        with self._changed:
            self._queue.append(write)
            self._changed.notify_all()
            if not self._thread.is_alive() and not self._closing:
                self._thread.start()

    def _write_in_order(self) -> None:
        # Started by a step that could not be saved at once: it has been tried once already.
        failures = 0 if self._trouble is None else 1
        if failures:
            self._pause(self._retry_delays[0])
        while True:
            with self._changed:
                while not self._queue and not self._closing:
                    self._changed.wait()
                if self._closing:
                    break
                write = self._queue[0]
            problem = self._try(write)
            if problem is None:
                failures = 0
                with self._changed:
                    self._queue.popleft()
                    done = not self._queue
                    self._changed.notify_all()
                if done and self._trouble is not None:
                    self._trouble = None
                    if self._announced:
                        self._news.append(News(self.voice.back, "information"))
                    self._announced = False
                continue
            self._held_up(write, problem)
            delay = self._retry_delays[min(failures, len(self._retry_delays) - 1)]
            failures += 1
            self._pause(delay)
        if self._writer is not None:
            self._writer.close()

    def _pause(self, seconds: float) -> None:
        with self._changed:
            if not self._closing:
                self._changed.wait(seconds)

    def _held_up(self, write: Write, problem: tuple[str, str]) -> None:
        message, severity = problem
        # Words still being typed are not a step: a busy file is said when
        # a decision waits, not on every keystroke.
        if self._trouble != message and not getattr(write, "draft_of", None):
            self._news.append(News(message, severity))
            self._announced = True
        self._trouble = message

    def _try(self, write: Write, here: bool = False) -> tuple[str, str] | None:
        """Run one write (``here``: on the reader's connection, on this
        thread); None when it is saved, else why not in words, and how grave."""
        try:
            if here:
                write(self._reader, self.resolve)
            else:
                if self._writer is None:
                    self._writer = self._open_store(self.path, patience_ms=self._write_patience_ms)
                write(self._writer, self.resolve)
        except (sqlite3.Error, StoreError, OSError) as exc:
            if not here and self._writer is not None and not isinstance(exc, sqlite3.OperationalError):
                # Anything worse than busy or full: a fresh connection next
                # time, in case the file has been restored or replaced.
                self._writer.close()
                self._writer = None
            return self.voice.held_up(exc, self.path), "error" if isinstance(exc, DamagedStoreError) else "warning"
        except (KeyError, ValueError, IndexError) as exc:
            # The step contradicts what the file holds (an attempt deleted
            # meanwhile): saving it can never succeed, so it is let go, and said.
            self._news.append(News(f"One step could not be saved: {exc}.", "error"))
        return None

    def resolve(self, attempt_id: int) -> int:
        """The file's id for ``attempt_id`` (negative while its start is not saved yet)."""
        return self._real_ids.get(attempt_id, attempt_id)

    # -- writes: queued, in order ------------------------------------------------------------------
    def start_attempt(self, scenario_id: str, title: str, learner: str = "", mode: str = "debrief",
                      session_json: dict | None = None, cohort: str | None = None,
                      participant: str | None = None) -> int:
        """Queue the start of an attempt; returns its provisional id."""
        with self._changed:
            provisional = self._next_provisional
            self._next_provisional -= 1

        key = _new_key()

        def write(store: Store, resolve: Callable[[int], int]) -> None:
            self._real_ids[provisional] = store.start_attempt(scenario_id, title, learner=learner, mode=mode,
                                                              session_json=session_json, cohort=cohort,
                                                              participant=participant, key=key)

        self._enqueue(write)
        return provisional

    def record_decision(self, attempt_id: int, session_json: dict, node_id: str, choice_id: str,
                        hint_used: bool, own_words: str = "") -> None:
        key = _new_key()
        self._enqueue(lambda store, resolve: store.record_decision(resolve(attempt_id), session_json, node_id,
                                                                   choice_id, hint_used, own_words, key=key))

    def save_draft(self, attempt_id: int, node_id: str, decision: int, words: str, submitted: bool = False) -> None:
        """Queue the words being typed. Only the newest draft matters, so a
        draft of the same attempt still waiting (not the one being written) is
        replaced rather than queued behind."""
        def write(store: Store, resolve: Callable[[int], int]) -> None:
            store.save_draft(resolve(attempt_id), node_id, decision, words, submitted)

        write.draft_of = attempt_id  # type: ignore[attr-defined]
        with self._changed:
            waiting = list(self._queue)[1:]
            stale = [w for w in waiting if getattr(w, "draft_of", None) == attempt_id]
            for old in stale:
                self._queue.remove(old)
        self._enqueue(write)

    def discard_draft(self, attempt_id: int) -> None:
        self._enqueue(lambda store, resolve: store.discard_draft(resolve(attempt_id)))

    def record_rewind(self, attempt_id: int, session_json: dict, to_decision: int) -> None:
        key = _new_key()
        self._enqueue(lambda store, resolve: store.record_rewind(resolve(attempt_id), session_json, to_decision,
                                                                 key=key))

    def finish_attempt(self, attempt_id: int, session_json: dict, outcome: str, ending_node: str, scorecard: dict,
                       report_json: str) -> None:
        key = _new_key()
        self._enqueue(lambda store, resolve: store.finish_attempt(resolve(attempt_id), session_json, outcome,
                                                                  ending_node, scorecard, report_json, key=key))

    def record_join(self, cohort: str, participant: str, name: str) -> None:
        self._enqueue(lambda store, resolve: store.record_join(cohort, participant, name))

    def delete_attempt(self, attempt_id: int) -> bool:
        self._enqueue(lambda store, resolve: store.delete_attempt(resolve(attempt_id)))
        return True

    def save_plan(self, plan_id: str, title: str, answers: dict) -> None:
        """Queue a plan's fields as typed; like a draft, only the newest matters."""
        def write(store: Store, resolve: Callable[[int], int]) -> None:
            store.save_plan(plan_id, title, answers)

        write.plan_of = plan_id  # type: ignore[attr-defined]
        with self._changed:
            for old in [w for w in list(self._queue)[1:] if getattr(w, "plan_of", None) == plan_id]:
                self._queue.remove(old)
        self._enqueue(write)

    def save_plan_replies(self, plan_id: str, replies: list) -> None:
        self._enqueue(lambda store, resolve: store.save_plan_replies(plan_id, replies))

    def delete_plan(self, plan_id: str) -> bool:
        self._enqueue(lambda store, resolve: store.delete_plan(plan_id))
        return True

    def plans(self) -> list:
        return self._read(lambda store: store.plans(), [])

    def plan(self, plan_id: str):
        return self._read(lambda store: store.plan(plan_id), None)

    def set_setting(self, key: str, value: Any) -> None:
        self._settings[key] = value
        self._enqueue(lambda store, resolve: store.set_setting(key, value))

    # -- reads: at once, from the file as saved ------------------------------------------------------
    def ask(self, action: Callable[[Store], Any]) -> Any:
        """``action`` on the file as saved (once the writer has caught up, unless
        saving is held up); raises what the store raises."""
        if self._trouble is None:
            self.wait(CATCH_UP_SECONDS)
        return action(self._reader)

    def _read(self, action: Callable[[Store], Any], fallback: Any) -> Any:
        try:
            return self.ask(action)
        except (sqlite3.Error, StoreError) as exc:
            problem = self.voice.cannot_read(exc, self.path)
            if not any(item.message == problem for item in self._news):
                self._news.append(News(problem, "error"))
            return fallback

    def attempts(self, scenario_id: str | None = None, learner: str | None = None, cohort: str | None = None,
                 participant: str | None = None) -> list[AttemptSummary]:
        return self._read(lambda store: store.attempts(scenario_id, learner, cohort, participant), [])

    def unfinished(self, learner: str | None = None, participant: str | None = None) -> list[AttemptSummary]:
        return self._read(lambda store: store.unfinished(learner, participant), [])

    def attempt(self, attempt_id: int) -> Attempt | None:
        # Resolved once the writer has caught up (in ``ask``); an attempt not
        # saved yet (a negative id) is found nowhere.
        return self._read(lambda store: store.attempt(self.resolve(attempt_id)), None)

    def best(self, scenario_id: str, learner: str | None = "", participant: str | None = None) -> float | None:
        return self._read(lambda store: store.best(scenario_id, learner, participant), None)

    def draft(self, attempt_id: int):
        return self._read(lambda store: store.draft(self.resolve(attempt_id)), None)

    def cohort(self, name: str) -> Cohort | None:
        return self._read(lambda store: store.cohort(name), None)

    def get_setting(self, key: str, default: Any = None) -> Any:
        # Read once, then kept: settings change only through this store, and a
        # read may wait for the writer, which a key press must not.
        if key not in self._settings:
            found = self._read(lambda store: store.get_setting(key, _ABSENT), _UNREAD)
            if found is _UNREAD:
                return default
            self._settings[key] = found
        value = self._settings[key]
        return default if value is _ABSENT else value
