"""The store's schema, version by version, for SQLite and PostgreSQL alike.

Each migration takes the store from version N to N+1 (``PRAGMA user_version``
in a history file; the ``rehearse_schema`` table in PostgreSQL, see
``postgres``) and is never edited once shipped: a user's file may be at any
earlier version. Append, don't rewrite.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

from simulator.records.dialect import SQLITE
from simulator.records.sqlite_file import APPLICATION_ID, NewerStoreError, newer_message

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)

# Each step is a tuple of plain SQL statements that both SQLite and PostgreSQL
# run as written; the one word they spell differently, the type of a row id
# the database numbers itself, is written {serial_key} and filled in by each
# dialect (``SERIAL_KEY`` here, ``postgres.SERIAL_KEY`` there). One description
# of the schema, two databases: never a second copy to keep in step.
if TYPE_CHECKING:
    from typing import Any

    Step = tuple[str, ...] | Callable[[Any], None]

SERIAL_KEY = "INTEGER PRIMARY KEY"

V1_ATTEMPTS_DECISIONS_SETTINGS = (
    """
        CREATE TABLE attempts (
            id             {serial_key},
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
        )""",
    "CREATE INDEX attempts_by_scenario ON attempts (scenario_id, learner)",
    """
        CREATE TABLE decisions (
            attempt_id INTEGER NOT NULL REFERENCES attempts (id) ON DELETE CASCADE,
            seq        INTEGER NOT NULL,
            node_id    TEXT NOT NULL,
            choice_id  TEXT NOT NULL,
            hint_used  INTEGER NOT NULL,
            made_at    TEXT NOT NULL,
            rewound    INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (attempt_id, seq)
        )""",
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)

# A cohort is one group training session: participants join with its
# code, and the facilitator's dashboard reads its attempts.
V2_COHORTS = (
    """
        CREATE TABLE cohorts (
            name        TEXT PRIMARY KEY,
            join_code   TEXT NOT NULL,
            scenario_id TEXT,
            created_at  TEXT NOT NULL
        )""",
    "CREATE INDEX attempts_by_cohort ON attempts (cohort, participant)",
)

# "Say it first": the words a learner typed before choosing are kept with
# the decision (NULL where they only chose). The words being typed now are
# a draft, one per attempt, rewritten as they are typed so that a process
# killed mid-sentence loses at most the last keystroke; recording the
# decision moves them into the decision row.
V3_OWN_WORDS_AND_DRAFTS = (
    "ALTER TABLE decisions ADD COLUMN own_words TEXT",
    """
        CREATE TABLE drafts (
            attempt_id INTEGER PRIMARY KEY REFERENCES attempts (id) ON DELETE CASCADE,
            node_id    TEXT NOT NULL,
            decision   INTEGER NOT NULL,
            words      TEXT NOT NULL,
            submitted  INTEGER NOT NULL DEFAULT 0,
            updated_at TEXT NOT NULL
        )""",
)

# "Prepare for my own meeting": a plan built in the app, one row per plan,
# rewritten as it is typed (answers: the guided screen's fields as JSON;
# replies: what was typed in its rehearsal). The id is made by the app, so
# a plan can be saved before the file has answered.
V4_PLANS = (
    """
        CREATE TABLE plans (
            id         TEXT PRIMARY KEY,
            title      TEXT NOT NULL DEFAULT '',
            answers    TEXT NOT NULL,
            replies    TEXT NOT NULL DEFAULT '[]',
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
)

# Every write the app queues carries a key of its own, and the transaction
# that applies it first claims the key here (INSERT ... ON CONFLICT DO
# NOTHING). A write tried again after its commit was lost on the way back (a
# dropped connection to a database server, a process killed mid-commit) finds
# its key taken and does nothing: a decision is never stored twice, a rewind
# never taken twice. ``result`` is what the write returned (an attempt's id).
V5_WRITE_KEYS = (
    """
        CREATE TABLE write_keys (
            key        TEXT PRIMARY KEY,
            attempt_id INTEGER,
            result     INTEGER,
            made_at    TEXT NOT NULL
        )""",
    "CREATE INDEX write_keys_by_attempt ON write_keys (attempt_id)",
)

# Who joined a group session, written the moment their code is accepted: the
# dashboard counts someone who joined and left (or is still reading the
# briefing) before starting an attempt, which the attempts alone cannot show.
V6_COHORT_MEMBERS = (
    """
        CREATE TABLE cohort_members (
            cohort      TEXT NOT NULL,
            participant TEXT NOT NULL,
            name        TEXT NOT NULL DEFAULT '',
            joined_at   TEXT NOT NULL,
            PRIMARY KEY (cohort, participant)
        )""",
)


MIGRATIONS: tuple[Step, ...] = (
    V1_ATTEMPTS_DECISIONS_SETTINGS,
    V2_COHORTS,
    V3_OWN_WORDS_AND_DRAFTS,
    V4_PLANS,
    V5_WRITE_KEYS,
    V6_COHORT_MEMBERS,
)


def apply(step: Step, db: Any, serial_key: str = SERIAL_KEY) -> None:
    """Run one step on ``db`` (anything with ``execute``) in the caller's transaction."""
    if callable(step):
        step(db)  # a step written as a function (tests add these)
        return
    for statement in step:
        db.execute(statement.replace("{serial_key}", serial_key))


def migrate(db: sqlite3.Connection, migrations: Sequence[Step] = MIGRATIONS) -> int:
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

    def run(db: sqlite3.Connection) -> int:
        for step in migrations[version():]:
            apply(step, db)
        # user_version and application_id live in the file header, which
        # is written in the same transaction: a failed step leaves the old
        # version, and a file is never half ours.
        db.execute(f"PRAGMA user_version = {int(known)}")
        db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return known

    # SQLite's BEGIN IMMEDIATE takes the write lock before the version is read
    # again, so two processes opening an old file cannot both migrate it.
    return SQLITE.transaction(db, run)
