"""The history file's schema, version by version.

Each migration takes the file from version N to N+1 (``PRAGMA user_version``)
and is never edited once shipped: a user's file may be at any earlier version.
Append, don't rewrite.
"""

from __future__ import annotations

import sqlite3
from typing import Callable, Sequence

from simulator.records.sqlite_file import APPLICATION_ID, NewerStoreError, newer_message, retrying


def _v1_attempts_decisions_settings(db: sqlite3.Connection) -> None:
    db.execute("""
        CREATE TABLE attempts (
            id             INTEGER PRIMARY KEY,
            scenario_id    TEXT NOT NULL,
            scenario_title TEXT NOT NULL,
            learner        TEXT NOT NULL DEFAULT '',
            mode           TEXT NOT NULL CHECK (mode IN ('debrief', 'coach')),
            started_at     TEXT NOT NULL,
            updated_at     TEXT NOT NULL,
            finished_at    TEXT,
            outcome        TEXT,
            ending_node    TEXT,
            session_json   TEXT,
            scorecard_json TEXT,
            report_json    TEXT,
            rewinds        INTEGER NOT NULL DEFAULT 0,
            hints          INTEGER NOT NULL DEFAULT 0,
            cohort         TEXT,
            participant    TEXT
        )""")
    db.execute("CREATE INDEX attempts_by_scenario ON attempts (scenario_id, learner)")
    db.execute("""
        CREATE TABLE decisions (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            node_id    TEXT NOT NULL,
            choice_id  TEXT NOT NULL,
            hint_used  INTEGER NOT NULL,
            made_at    TEXT NOT NULL,
            rewound    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (attempt_id, seq)
        )""")
    db.execute("CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _v2_cohorts(db: sqlite3.Connection) -> None:
    # A cohort is one group training session: participants join with its
    # code, and the facilitator's dashboard reads its attempts.
    db.execute("""
        CREATE TABLE cohorts (
            name        TEXT PRIMARY KEY,
            join_code   TEXT NOT NULL,
            scenario_id TEXT,
            created_at  TEXT NOT NULL
        )""")
    db.execute("CREATE INDEX attempts_by_cohort ON attempts (cohort, participant)")


def _v3_own_words_and_drafts(db: sqlite3.Connection) -> None:
    # "Say it first": the words a learner typed before choosing are kept with
    # the decision (NULL where they only chose). The words being typed now are
    # a draft, one per attempt, rewritten as they are typed so that a process
    # killed mid-sentence loses at most the last keystroke; recording the
    # decision moves them into the decision row. Plain SQL, so the schema
    # ports to other databases as it stands.
    db.execute("ALTER TABLE decisions ADD COLUMN own_words TEXT")
    db.execute("""
        CREATE TABLE drafts (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
            node_id    TEXT NOT NULL,
            decision   INTEGER NOT NULL,
            words      TEXT NOT NULL,
            submitted  INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )""")


def _v4_plans(db: sqlite3.Connection) -> None:
    # "Prepare for my own meeting": a plan built in the app, one row per plan,
    # rewritten as it is typed (answers: the guided screen's fields as JSON;
    # replies: what was typed in its rehearsal). The id is made by the app, so
    # a plan can be saved before the file has answered.
    db.execute("""
        CREATE TABLE plans (
            id         TEXT PRIMARY KEY,
            title      TEXT NOT NULL DEFAULT '',
            answers    TEXT NOT NULL,
            replies    TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_attempts_decisions_settings,
    _v2_cohorts,
    _v3_own_words_and_drafts,
    _v4_plans,
)


def migrate(db: sqlite3.Connection, migrations: Sequence[Callable[[sqlite3.Connection], None]] = MIGRATIONS) -> int:
    """Bring the file at ``db`` up to ``len(migrations)``, all in one
    transaction, stamp it with Rehearse's application id, and return the
    version. ``db`` must be in autocommit mode (``isolation_level=None``), and
    the caller must already know the file is a history (``sqlite_file.examine``).
    Raises ``NewerStoreError`` if the file is newer."""
    known = len(migrations)

    def version() -> int:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        if found > known:
            raise NewerStoreError(newer_message(found, known))
        return found

    def stamped() -> bool:
        return db.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID

    # The common case, an up-to-date file, needs no write lock at all.
    if version() == known and stamped():
        return known

    def run() -> int:
        # IMMEDIATE takes the write lock before the version is read again, so
        # two processes opening an old file cannot both migrate it.
        db.execute("BEGIN IMMEDIATE")
        try:
            for step in migrations[version():]:
                step(db)
            # user_version and application_id live in the file header, which
            # is written in the same transaction: a failed step leaves the old
            # version, and a file is never half ours.
            db.execute(f"PRAGMA user_version = {int(known)}")
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        return known

    return retrying(run)
