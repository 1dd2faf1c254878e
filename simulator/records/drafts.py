"""The words a learner is typing before a decision ("say it first"): kept as a
draft in the history file as they are typed, so a process killed mid-sentence
loses at most the keystroke in flight. A part of ``Store``."""

from __future__ import annotations

import sqlite3

from simulator.records.sqlite_file import plainly

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from simulator.records.attempts import Draft


class DraftQueries:
    """The draft queries of ``Store``, which provides ``_db``, ``_now``,
    ``_write`` and ``_open_attempt``."""

    @plainly
    def save_draft(self, attempt_id: int, node_id: str, decision: int, words: str, submitted: bool = False) -> None:
        """Keep ``words`` as the draft at the attempt's current decision
        (``decision``: how many it had made), replacing any earlier draft.
        Called as the learner types, so it does one small write."""
        now = self._now()

        def work(db: sqlite3.Connection) -> None:
            self._open_attempt(db, attempt_id)
            db.execute(
                "INSERT INTO drafts (attempt_id, node_id, decision, words, submitted, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (attempt_id) DO UPDATE SET node_id = excluded.node_id,"
                " decision = excluded.decision, words = excluded.words, submitted = excluded.submitted,"
                " updated_at = excluded.updated_at",
                (attempt_id, node_id, int(decision), words, int(bool(submitted)), now),
            )

        self._write(work)

    @plainly
    def draft(self, attempt_id: int) -> Draft | None:
        """The words being typed in an unfinished attempt, if any."""
        row = self._db.execute("SELECT * FROM drafts WHERE attempt_id = ?", (attempt_id,)).fetchone()
        if row is None:
            return None
        from simulator.records.attempts import Draft

        return Draft(row["attempt_id"], row["node_id"], row["decision"], row["words"], bool(row["submitted"]),
                     row["updated_at"])

    @plainly
    def discard_draft(self, attempt_id: int) -> None:
        self._write(lambda db: db.execute("DELETE FROM drafts WHERE attempt_id = ?", (attempt_id,)))
