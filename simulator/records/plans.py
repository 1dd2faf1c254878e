"""Plans built in the app ("prepare for my own meeting"): each kept in the
history file as it is typed, so a process killed mid-word loses at most the
keystroke in flight, and removed from the file when the practitioner deletes
it. A part of ``Store``.

A plan describes a real case, so deleting it overwrites the freed pages too
(``secure_delete``) rather than leaving the text in the file's free space.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass

from simulator.records.sqlite_file import plainly


@dataclass(frozen=True)
class StoredPlan:
    id: str
    title: str
    answers: dict
    replies: list
    created_at: str
    updated_at: str


class PlanQueries:
    """The plan queries of ``Store``, which provides ``_db``, ``_now`` and ``_write``."""

    @plainly
    def save_plan(self, plan_id: str, title: str, answers: dict) -> None:
        """Keep the guided screen's fields for ``plan_id``, replacing what was there."""
        now = self._now()
        encoded = json.dumps(answers, ensure_ascii=False)
        self._write(lambda db: db.execute(
            "INSERT INTO plans (id, title, answers, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO UPDATE SET title = excluded.title, answers = excluded.answers,"
            " updated_at = excluded.updated_at", (plan_id, title, encoded, now, now)))

    @plainly
    def save_plan_replies(self, plan_id: str, replies: list) -> None:
        """Keep what was typed in the plan's rehearsal (a plan not saved yet gets none)."""
        encoded = json.dumps(replies, ensure_ascii=False)
        self._write(lambda db: db.execute("UPDATE plans SET replies = ?, updated_at = ? WHERE id = ?",
                                          (encoded, self._now(), plan_id)))

    @plainly
    def plans(self) -> list[StoredPlan]:
        """Every plan, the one touched last first."""
        if "plans" not in self._tables:
            return []
        return [_stored(row) for row in self._db.execute("SELECT * FROM plans ORDER BY updated_at DESC, id")]

    @plainly
    def plan(self, plan_id: str) -> StoredPlan | None:
        if "plans" not in self._tables:
            return None
        row = self._db.execute("SELECT * FROM plans WHERE id = ?", (plan_id,)).fetchone()
        return _stored(row) if row else None

    @plainly
    def delete_plan(self, plan_id: str) -> bool:
        # Outside the transaction: a pragma that changes it, and a checkpoint, cannot run in one.
        self._db.execute("PRAGMA secure_delete = ON")
        deleted = self._write(lambda db: db.execute("DELETE FROM plans WHERE id = ?", (plan_id,)).rowcount > 0)
        # Every version typed is still in the write-ahead log until it is copied back and the log
        # emptied: do that now, rather than when the app closes (or never, if it is killed).
        self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return deleted


def _stored(row: sqlite3.Row) -> StoredPlan:
    def decoded(text: str, empty):
        try:
            value = json.loads(text)
        except ValueError:
            return empty
        return value if isinstance(value, type(empty)) else empty

    return StoredPlan(row["id"], row["title"], decoded(row["answers"], {}), decoded(row["replies"], []),
                      row["created_at"], row["updated_at"])
