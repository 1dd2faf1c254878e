"""The few things the store says differently to SQLite and to PostgreSQL.

Every query in ``store`` is plain SQL both run as written (``?`` for a value;
the PostgreSQL connection turns it into the driver's ``%s``). What differs is
here: how a write transaction begins, how a transaction holds an attempt's row
while it changes it, how a new row's id comes back, and which tables there are.
"""

from __future__ import annotations

from collections.abc import Callable

from scoring.record import record
from simulator.records import sqlite_file

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any


@record  # not a dataclass: the store loads this on every start
class Dialect:
    name: str
    # SQLite: IMMEDIATE takes the file's write lock up front, where
    # busy_timeout can wait for it. PostgreSQL locks rows, not the database.
    begin: str
    # Appended to the SELECT that checks an attempt is open before writing to
    # it: in PostgreSQL two hosts writing to one attempt (a participant who
    # moved to another host while their old one still had a write queued)
    # then take turns, so a decision's number is never claimed twice.
    # SQLite's write lock already does this for the whole file.
    for_update: str
    retrying: Callable[[Callable[[], Any]], Any]

    def transaction(self, db: Any, work: Callable[[Any], Any]) -> Any:
        """``work(db)`` in one write transaction, committed whole or rolled back
        whole, and tried again as ``retrying`` says (a lock, a serialization failure)."""

        def run() -> Any:
            db.execute(self.begin)
            try:
                result = work(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            return result

        return self.retrying(run)

    def insert_id(self, db: Any, sql: str, values: tuple) -> int:
        if self.name == "sqlite":
            return db.execute(sql, values).lastrowid
        return db.execute(sql + " RETURNING id", values).fetchone()[0]

    def tables(self, db: Any) -> frozenset[str]:
        if self.name == "sqlite":
            return frozenset(r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"))
        return frozenset(r[0] for r in db.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"))


SQLITE = Dialect("sqlite", "BEGIN IMMEDIATE", "", sqlite_file.retrying)
