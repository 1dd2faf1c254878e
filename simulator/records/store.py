"""The attempt store: a learner's history in one local SQLite file.

Every decision is committed as it is made, so a process killed at any moment
loses at most the decision being made; an unfinished attempt resumes by
replaying its saved session (``Session.from_json``). The schema and its
migrations are in ``migrations``, the file itself (where, owner-only, locks) in
``sqlite_file``, and what the queries hand back in ``attempts``.

Only the standard library's sqlite3 is used, plus platformdirs for the default
folder; nothing here imports Textual or the scenario model.
"""

from __future__ import annotations

import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Literal

from simulator.records import sqlite_file
from simulator.records.attempts import (
    MODES,
    SUMMARY_COLUMNS,
    Attempt,
    AttemptSummary,
    Cohort,
    DecisionRecord,
    Draft,
    scorecard_summary,
    summary_fields,
)
from simulator.records.drafts import DraftQueries
from simulator.records.plans import PlanQueries
from simulator.records.migrations import MIGRATIONS, migrate
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
__all__ = ["MODES", "Attempt", "AttemptSummary", "Cohort", "DamagedStoreError", "DecisionRecord", "Draft",
           "NewerStoreError", "NotAHistoryError", "Store", "StoreError", "default_path", "scorecard_summary", "utc_now"]

Access = Literal["write", "read"]


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class Store(DraftQueries, PlanQueries):
    """A learner's attempts, decisions and settings in one SQLite file.

    Use as a context manager, or call ``close()``. Timestamps come from
    ``clock`` (a callable returning an aware datetime) so tests can fix them.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, clock: Callable[[], datetime] = utc_now,
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
        self.path = Path(path) if path is not None else default_path()
        self._clock = clock
        self.access = access
        found = examine(self.path, create=access == "write")
        self.notes = found.notes
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
            self._tables = frozenset(r[0] for r in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
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

    def _write(self, work: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run ``work`` in one write transaction, retried if the file is locked."""

        def run() -> Any:
            # IMMEDIATE: take the write lock up front, where busy_timeout can
            # wait for it; a deferred transaction that upgrades later can fail
            # at once with "database is locked".
            self._db.execute("BEGIN IMMEDIATE")
            try:
                result = work(self._db)
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise
            return result

        return retrying(run)

    def _open_attempt(self, db: sqlite3.Connection, attempt_id: int) -> None:
        row = db.execute("SELECT finished_at FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
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
    ) -> int:
        """Begin an attempt and return its id. ``session_json`` may be given
        when the session does not begin at the scenario's start (a preview);
        ``cohort`` and ``participant`` tag an attempt made in a group session."""
        if mode not in MODES:
            raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
        now = self._now()
        saved = json.dumps(session_json) if session_json is not None else None
        return self._write(lambda db: db.execute(
            "INSERT INTO attempts (scenario_id, scenario_title, learner, mode, started_at, updated_at, session_json,"
            " cohort, participant) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (scenario_id, title, learner, mode, now, now, saved, cohort, participant),
        ).lastrowid)

    @plainly
    def record_decision(self, attempt_id: int, session_json: dict, node_id: str, choice_id: str, hint_used: bool,
                        own_words: str = "") -> int:
        """Record one decision, the words typed before it (if any) and the
        session after it, in one transaction; the draft those words were
        typed in goes in the same transaction. Returns the decision's seq."""
        now, saved = self._now(), json.dumps(session_json)

        def work(db: sqlite3.Connection) -> int:
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
            return seq

        return self._write(work)

    @plainly
    def record_rewind(self, attempt_id: int, session_json: dict, to_decision: int) -> None:
        """Mark the kept decisions from ``to_decision`` (0-based, as
        ``Session.rewind`` counts them) as rewound, and save the session."""
        now, saved = self._now(), json.dumps(session_json)

        def work(db: sqlite3.Connection) -> None:
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

    def _save_session(self, db: sqlite3.Connection, attempt_id: int, saved: str, now: str) -> None:
        db.execute(
            "UPDATE attempts SET session_json = ?, updated_at = ?,"
            " hints = (SELECT COUNT(*) FROM decisions WHERE attempt_id = ? AND rewound = 0 AND hint_used)"
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
    ) -> None:
        """Close the attempt with its ending, ``scorecard_summary()`` and report."""
        now = self._now()
        saved, card = json.dumps(session_json), json.dumps(scorecard)

        def work(db: sqlite3.Connection) -> None:
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

        def work(db: sqlite3.Connection) -> bool:
            # Explicit rather than relying on ON DELETE CASCADE alone, which
            # only acts on connections that turned foreign keys on.
            db.execute("DELETE FROM decisions WHERE attempt_id = ?", (attempt_id,))
            db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,))
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
        return [AttemptSummary(**summary_fields(row)) for row in rows]

    @plainly
    def attempt(self, attempt_id: int) -> Attempt | None:
        """The full record of one attempt, or None if there is none."""
        row = self._db.execute("SELECT * FROM attempts WHERE id = ?", (attempt_id,)).fetchone()
        if row is None:
            return None
        decisions = tuple(
            DecisionRecord(r["seq"], r["node_id"], r["choice_id"], bool(r["hint_used"]), r["made_at"], bool(r["rewound"]),
                           r["own_words"] or "")
            for r in self._db.execute("SELECT * FROM decisions WHERE attempt_id = ? ORDER BY seq", (attempt_id,))
        )
        return Attempt(
            **summary_fields(row),
            updated_at=row["updated_at"],
            ending_node=row["ending_node"],
            session_json=json.loads(row["session_json"]) if row["session_json"] else None,
            scorecard=json.loads(row["scorecard_json"]) if row["scorecard_json"] else None,
            report_json=row["report_json"],
            rewinds=row["rewinds"],
            hints=row["hints"],
            cohort=row["cohort"],
            participant=row["participant"],
            decisions=decisions,
        )

    @plainly
    def best(self, scenario_id: str, learner: str | None = "", participant: str | None = None) -> float | None:
        """The best overall score among finished attempts (``learner=None``:
        anyone's), or None if none has a score."""
        scores = [
            a.overall for a in self.attempts(scenario_id, learner, participant=participant)
            if a.finished and a.overall is not None
        ]
        return max(scores, default=None)

    # -- cohorts -------------------------------------------------------------------
    @plainly
    def create_cohort(self, name: str, join_code: str, scenario_id: str | None = None) -> Cohort:
        """Create the cohort ``name``, or return it unchanged if it exists (a
        facilitator restarting the server keeps the code participants have)."""
        now = self._now()

        def work(db: sqlite3.Connection) -> None:
            db.execute(
                "INSERT INTO cohorts (name, join_code, scenario_id, created_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                (name, join_code, scenario_id, now),
            )

        self._write(work)
        found = self.cohort(name)
        assert found is not None
        return found

    @plainly
    def cohort(self, name: str) -> Cohort | None:
        if "cohorts" not in self._tables:
            return None  # a version 1 file, read as it is
        row = self._db.execute("SELECT * FROM cohorts WHERE name = ?", (name,)).fetchone()
        return Cohort(row["name"], row["join_code"], row["scenario_id"], row["created_at"]) if row else None

    @plainly
    def cohorts(self) -> list[Cohort]:
        """Every cohort, newest first."""
        if "cohorts" not in self._tables:
            return []
        rows = self._db.execute("SELECT * FROM cohorts ORDER BY created_at DESC, name").fetchall()
        return [Cohort(r["name"], r["join_code"], r["scenario_id"], r["created_at"]) for r in rows]

    @plainly
    def cohort_attempts(self, name: str) -> list[Attempt]:
        """The full record of every attempt in cohort ``name``, oldest first."""
        ids = [r[0] for r in self._db.execute(
            "SELECT id FROM attempts WHERE cohort = ? ORDER BY started_at, id", (name,)
        )]
        return [a for a in (self.attempt(i) for i in ids) if a is not None]

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
