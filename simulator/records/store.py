"""The attempt store: a learner's history in one local SQLite file, or a
cohort's records in a PostgreSQL database shared by several ``serve`` hosts.

Every decision is committed as it is made, so a process killed at any moment
loses at most the decision being made; an unfinished attempt resumes by
replaying its saved session (``Session.from_json``). The schema and its
migrations are in ``migrations``, the file itself (where, owner-only, locks) in
``sqlite_file``, and what the queries hand back in ``attempts``.

Only the standard library's sqlite3 is used, plus platformdirs for the default
folder (and psycopg, loaded only for a ``postgresql://`` address: see
``postgres`` and ``dialect``); nothing here imports Textual or the scenario model.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from simulator.records import sqlite_file
from simulator.records.columns import MODES, SUMMARY_COLUMNS, scorecard_summary, summary_fields
from simulator.records.cohort_queries import CohortQueries
from simulator.records.dialect import SQLITE
from simulator.records.drafts import DraftQueries
from simulator.records.location import DatabaseURL, is_database_url, location
from simulator.records.migrations import MIGRATIONS, migrate
from simulator.records.plans import PlanQueries
from simulator.records.sqlite_file import (
    DamagedStoreError,
    NewerStoreError,
    NotAHistoryError,
    StoreError,
    damaged,
    default_path,
    examine,
    is_damaged,
    newer_message,
    plainly,
    read_only_uri,
    retrying,
)

# Callers take these from the store, the records part's front door.
__all__ = ["MODES", "Attempt", "AttemptSummary", "Cohort", "DamagedStoreError", "DecisionRecord", "Draft", "Member",
           "NewerStoreError", "NotAHistoryError", "Store", "StoreError", "default_path", "scorecard_summary", "utc_now"]

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any, Literal

    from simulator.records.attempts import Attempt, AttemptSummary, Cohort, Member

    Access = Literal["write", "read"]

# What reads hand back is built only when something is read: saving a play
# needs none of it, so ``rehearse play`` does not load it.
_RECORDS = frozenset({"Attempt", "AttemptSummary", "Cohort", "DecisionRecord", "Draft", "Member"})


def __getattr__(name: str) -> Any:
    if name in _RECORDS:
        from simulator.records import attempts

        return getattr(attempts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Store(DraftQueries, PlanQueries, CohortQueries):
    """A learner's attempts, decisions and settings in one SQLite file (or a
    PostgreSQL database, given its address).

    Use as a context manager, or call ``close()``. Timestamps come from
    ``clock`` (a callable returning an aware datetime) so tests can fix them.
    """

    def __init__(self, path: str | os.PathLike[str] | DatabaseURL | None = None, *,
                 clock: Callable[[], datetime] = utc_now,
                 access: Access = "write", patience_ms: int | None = None) -> None:
        """Open the history at ``path`` (default: ``default_path()``).

        ``access="write"`` creates the file if need be and brings it up to
        date. ``access="read"`` (``history``, ``export``, ``dashboard``) never
        creates, migrates or changes the journal of a file: a missing or
        empty file reads as a history with no attempts. Either refuses a file
        that is not a Rehearse history (``NotAHistoryError``) or comes from a
        newer Rehearse (``NewerStoreError``), before writing anything to it;
        ``notes`` holds anything the user should be told (a file tightened to
        owner-only). ``patience_ms`` is how long one query waits for a lock
        another process holds before SQLite says the file is busy (default
        ``sqlite_file.BUSY_TIMEOUT_MS``)."""
        if patience_ms is None:
            patience_ms = sqlite_file.BUSY_TIMEOUT_MS
        self._clock = clock
        self.access = access
        if is_database_url(path):
            from simulator.records import postgres

            self.path, self.notes = location(path), []
            self._db, self._dialect = postgres.open_store(self.path, access=access, patience_ms=patience_ms)
            self._tables = self._dialect.tables(self._db)
            return
        self._dialect = SQLITE
        self.path = Path(path) if path is not None else default_path()
        found = examine(self.path, create=access == "write")
        self.notes = list(found.notes)
        if found.version > len(MIGRATIONS):
            raise NewerStoreError(newer_message(found.version, len(MIGRATIONS)))
        if access == "read" and found.kind in ("missing", "empty"):
            # Nothing there yet: an empty history in memory answers every query.
            self._db = sqlite3.connect(":memory:", isolation_level=None)
        elif access == "read":
            self._db = sqlite3.connect(read_only_uri(self.path), uri=True, timeout=patience_ms / 1000,
                                       isolation_level=None)
        else:
            # isolation_level=None: we issue BEGIN ourselves, so each write is
            # exactly the transaction written below and nothing is left open.
            self._db = sqlite3.connect(self.path, timeout=patience_ms / 1000, isolation_level=None)
        self._db.row_factory = sqlite3.Row
        try:
            if access == "read" and found.kind in ("missing", "empty"):
                migrate(self._db)
            elif access == "read":
                self._db.execute(f"PRAGMA busy_timeout = {int(patience_ms)}")
            else:
                self._configure(patience_ms)
            self._tables = SQLITE.tables(self._db)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            if is_damaged(exc):
                raise damaged(self.path, exc) from None
            raise StoreError(f"{self.path} is not a usable Rehearse history file: {exc}") from None
        except BaseException:
            self._db.close()
            raise

    def _configure(self, patience_ms: int) -> None:
        db = self._db
        db.execute(f"PRAGMA busy_timeout = {int(patience_ms)}")
        # Migrate (and stamp our application id) before anything else writes:
        # a new file is then a whole history or nothing, never a bare header.
        migrate(db)
        # WAL lets a reader (a facilitator's cohort view) read while a learner
        # writes. Some network file systems cannot do WAL; SQLite then keeps
        # its rollback journal, which is just as safe, only less concurrent.
        retrying(lambda: db.execute("PRAGMA journal_mode = WAL").fetchone())
        # With WAL, NORMAL makes every commit safe from a killed or crashed
        # process (the WAL is written before COMMIT returns) and never
        # corrupts the file; only an OS crash or power cut can lose the last
        # commits, i.e. the last decision or two of a rehearsal. That is a fair
        # price for not forcing a disk flush on every click on slow or
        # network home folders.
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")

    @plainly
    def check(self) -> None:
        """Read every page once (SQLite's quick check); raises
        ``DamagedStoreError`` if any is damaged. Worth it where a long session
        is about to start on the file (the app), not for a quick query."""
        if self._dialect is not SQLITE:
            return  # the database server looks after its own pages
        problems = [row[0] for row in self._db.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise damaged(self.path, sqlite3.DatabaseError(problems[0]))

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- internals ----------------------------------------------------------
    def _now(self) -> str:
        moment = self._clock()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        return moment.astimezone(timezone.utc).isoformat(timespec="seconds")

    def _write(self, work: Callable[[Any], Any]) -> Any:
        """Run ``work`` in one write transaction, retried if the file is locked
        (or, in PostgreSQL, if it gave way to another host's)."""
        return self._dialect.transaction(self._db, work)

    def _claim(self, db: Any, key: str | None, attempt_id: int | None = None) -> bool:
        """Claim the write ``key`` in this transaction; False when a write with
        this key was already saved (a retry whose first try did commit), which
        is then not applied again. A write without a key is always applied."""
        if key is None:
            return True
        return db.execute("INSERT INTO write_keys (key, attempt_id, made_at) VALUES (?, ?, ?)"
                          " ON CONFLICT (key) DO NOTHING", (key, attempt_id, self._now())).rowcount == 1

    def _claimed(self, db: Any, key: str) -> int | None:
        row = db.execute("SELECT result FROM write_keys WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def _open_attempt(self, db: Any, attempt_id: int) -> None:
        row = db.execute("SELECT finished_at FROM attempts WHERE id = ?" + self._dialect.for_update,
                         (attempt_id,)).fetchone()
        if row is None:
            raise KeyError(f"there is no attempt {attempt_id}")
        if row["finished_at"] is not None:
            # A finished attempt is a record of what happened; playing on
            # (after a rewind from the ending, say) is a new attempt.
            raise ValueError(f"attempt {attempt_id} is finished; start a new attempt to play again")

    # -- attempts -------------------------------------------------------------
    @plainly
    def start_attempt(
        self,
        scenario_id: str,
        title: str,
        learner: str = "",
        mode: str = "debrief",
        session_json: dict | None = None,
        cohort: str | None = None,
        participant: str | None = None,
        key: str | None = None,
    ) -> int:
        """Begin an attempt and return its id. ``session_json`` may be given
        when the session does not begin at the scenario's start (a preview);
        ``cohort`` and ``participant`` tag an attempt made in a group session.
        ``key`` (any unique string) makes trying the same start again safe:
        the attempt it made is returned, and no second one is begun."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        now = self._now()
        saved = json.dumps(session_json) if session_json is not None else None

        def work(db: Any) -> int:
            if not self._claim(db, key):
                return self._claimed(db, key)
            made = self._dialect.insert_id(
                db, "INSERT INTO attempts (scenario_id, scenario_title, learner, mode, started_at, updated_at,"
                " session_json, cohort, participant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (scenario_id, title, learner, mode, now, now, saved, cohort, participant))
            if key is not None:
                db.execute("UPDATE write_keys SET attempt_id = ?, result = ? WHERE key = ?", (made, made, key))
            return made

        return self._write(work)

    @plainly
    def record_decision(self, attempt_id: int, session_json: dict, node_id: str, choice_id: str, hint_used: bool,
                        own_words: str = "", key: str | None = None) -> int:
        """Record one decision, the words typed before it (if any) and the
        session after it, in one transaction; the draft those words were
        typed in goes in the same transaction. Returns the decision's seq.
        A ``key`` already saved means this decision is: nothing is added."""
        now, saved = self._now(), json.dumps(session_json)

        def work(db: Any) -> int:
            if not self._claim(db, key, attempt_id):
                return self._claimed(db, key)
            self._open_attempt(db, attempt_id)
            seq = db.execute(
                "SELECT COALESCE(MAX(seq), 0) + 1 FROM decisions WHERE attempt_id = ?", (attempt_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO decisions (attempt_id, seq, node_id, choice_id, hint_used, made_at, own_words)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (attempt_id, seq, node_id, choice_id, int(bool(hint_used)), now, own_words or None),
            )
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))
            self._save_session(db, attempt_id, saved, now)
            if key is not None:
                db.execute("UPDATE write_keys SET result = ? WHERE key = ?", (seq, key))
            return seq

        return self._write(work)

    @plainly
    def record_rewind(self, attempt_id: int, session_json: dict, to_decision: int, key: str | None = None) -> None:
        """Mark the kept decisions from ``to_decision`` (0-based, as
        ``Session.rewind`` counts them) as rewound, and save the session."""
        now, saved = self._now(), json.dumps(session_json)

        def work(db: Any) -> None:
            if not self._claim(db, key, attempt_id):
                return
            self._open_attempt(db, attempt_id)
            kept = [r[0] for r in db.execute(
                "SELECT seq FROM decisions WHERE attempt_id = ? AND rewound = 0 ORDER BY seq", (attempt_id,)
            )]
            if not 0 <= to_decision < len(kept):
                raise IndexError(f"attempt {attempt_id} has no decision {to_decision + 1} to rewind to")
            db.execute(
                "UPDATE decisions SET rewound = 1 WHERE attempt_id = ? AND seq >= ?", (attempt_id, kept[to_decision])
            )
            db.execute("UPDATE attempts SET rewinds = rewinds + 1 WHERE id = ?", (attempt_id,))
            # Words half-typed at the decision left behind belong to no decision now.
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))
            self._save_session(db, attempt_id, saved, now)

        self._write(work)

    def _save_session(self, db: Any, attempt_id: int, saved: str, now: str) -> None:
        db.execute(
            "UPDATE attempts SET session_json = ?, updated_at = ?,"
            " hints = (SELECT COUNT(*) FROM decisions WHERE attempt_id = ? AND rewound = 0 AND hint_used <> 0)"
            " WHERE id = ?",
            (saved, now, attempt_id, attempt_id),
        )

    @plainly
    def finish_attempt(
        self,
        attempt_id: int,
        session_json: dict,
        outcome: str,
        ending_node: str,
        scorecard: dict,
        report_json: str,
        key: str | None = None,
    ) -> None:
        """Close the attempt with its ending, ``scorecard_summary()`` and report."""
        now = self._now()
        saved, card = json.dumps(session_json), json.dumps(scorecard)

        def work(db: Any) -> None:
            if not self._claim(db, key, attempt_id):
                return
            self._open_attempt(db, attempt_id)
            self._save_session(db, attempt_id, saved, now)
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))
            db.execute(
                "UPDATE attempts SET finished_at = ?, outcome = ?, ending_node = ?, scorecard_json = ?, report_json = ?"
                " WHERE id = ?",
                (now, outcome, ending_node, card, report_json, attempt_id),
            )

        self._write(work)

    @plainly
    def delete_attempt(self, attempt_id: int) -> bool:
        """Delete an attempt and its decisions; False if there was none."""

        def work(db: Any) -> bool:
            # Explicit rather than relying on ON DELETE CASCADE alone, which
            # only acts on connections that turned foreign keys on.
            db.execute("DELETE FROM decisions WHERE attempt_id = ?", (attempt_id,))
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))
            if "write_keys" in self._tables:
                db.execute("DELETE FROM write_keys WHERE attempt_id = ?", (attempt_id,))
            return db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,)).rowcount > 0

        return self._write(work)

    # -- reading ----------------------------------------------------------------
    @plainly
    def attempts(
        self, scenario_id: str | None = None, learner: str | None = None, cohort: str | None = None,
        participant: str | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first, optionally for one scenario, learner, cohort and/or participant."""
        return self._summaries(scenario_id=scenario_id, learner=learner, cohort=cohort, participant=participant)

    @plainly
    def unfinished(self, learner: str | None = None, participant: str | None = None) -> list[AttemptSummary]:
        """Attempts that can be resumed, most recently played first."""
        return self._summaries(learner=learner, unfinished=True, participant=participant)

    def _summaries(self, scenario_id=None, learner=None, unfinished=False, cohort=None,
                   participant=None) -> list[AttemptSummary]:
        filters = {"cohort": cohort, "participant": participant, "scenario_id": scenario_id, "learner": learner}
        where = [f"{column} = ?" for column, value in filters.items() if value is not None]
        values = [value for value in filters.values() if value is not None]
        if unfinished:
            where.append("finished_at IS NULL")
        order = "updated_at DESC, id DESC" if unfinished else "started_at DESC, id DESC"
        sql = f"SELECT {SUMMARY_COLUMNS} FROM attempts"
        if where:
            sql += " WHERE " + " AND ".join(where)
        rows = self._db.execute(f"{sql} ORDER BY {order}", values).fetchall()
        from simulator.records.attempts import AttemptSummary

        return [AttemptSummary(**summary_fields(row)) for row in rows]

    @plainly
    def attempt(self, attempt_id: int) -> Attempt | None:
        """The full record of one attempt, or None if there is none."""
        row = self._db.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            return None
        return self._attempt_from(
            row, self._db.execute("SELECT * FROM decisions WHERE attempt_id = ? ORDER BY seq", (attempt_id,)))

    def _attempt_from(self, row: Any, decision_rows: Any) -> Attempt:
        from simulator.records.attempts import attempt_from  # only reads need the records

        return attempt_from(row, decision_rows)

    @plainly
    def best(self, scenario_id: str, learner: str | None = "", participant: str | None = None) -> float | None:
        """The best overall score among finished attempts (``learner=None``:
        anyone's), or None if none has a score."""
        scores = [
            a.overall for a in self.attempts(scenario_id, learner, participant=participant)
            if a.finished and a.overall is not None
        ]
        return max(scores, default=None)

    # -- settings -------------------------------------------------------------------
    @plainly
    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    @plainly
    def set_setting(self, key: str, value: Any) -> None:
        """Store ``value`` (anything JSON can hold) under ``key``."""
        encoded = json.dumps(value)
        self._write(lambda db: db.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, encoded),
        ))
