"""Cohorts: a group session's name, join code and scenario, and every attempt
made in it, as the dashboard and ``export --cohort`` read them. A part of ``Store``.

The join code lives in the store, so every host serving one cohort from one
PostgreSQL database gives participants the same code.
"""

from __future__ import annotations

from simulator.records.sqlite_file import plainly

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:  # built only when read: saving a play never loads them
    from typing import Any

    from simulator.records.attempts import Attempt, Cohort, Member


class CohortQueries:
    """The cohort queries of ``Store``, which provides ``_db``, ``_now``,
    ``_write``, ``_tables`` and ``_attempt_from``."""

    @plainly
    def create_cohort(self, name: str, join_code: str, scenario_id: str | None = None) -> Cohort:
        """Create the cohort ``name``, or return it unchanged if it exists (a
        facilitator restarting the server, or a second host joining the
        session, keeps the code participants have)."""
        now = self._now()

        def work(db: Any) -> None:
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
        from simulator.records.attempts import Cohort

        return Cohort(row["name"], row["join_code"], row["scenario_id"], row["created_at"]) if row else None

    @plainly
    def cohorts(self) -> list[Cohort]:
        """Every cohort, newest first."""
        if "cohorts" not in self._tables:
            return []
        rows = self._db.execute("SELECT * FROM cohorts ORDER BY created_at DESC, name").fetchall()
        from simulator.records.attempts import Cohort

        return [Cohort(r["name"], r["join_code"], r["scenario_id"], r["created_at"]) for r in rows]

    @plainly
    def record_join(self, cohort: str, participant: str, name: str) -> None:
        """``participant`` joined ``cohort`` as ``name``; a second join with the
        same id (a write tried again) changes nothing."""
        now = self._now()

        def work(db: Any) -> None:
            db.execute(
                "INSERT INTO cohort_members (cohort, participant, name, joined_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (cohort, participant) DO NOTHING",
                (cohort, participant, name, now),
            )

        self._write(work)

    @plainly
    def cohort_members(self, name: str) -> list[Member]:
        """Everyone who joined cohort ``name``, in the order they joined."""
        if "cohort_members" not in self._tables:
            return []  # a file from before joins were recorded, read as it is
        rows = self._db.execute(
            "SELECT participant, name, joined_at FROM cohort_members WHERE cohort = ? ORDER BY joined_at, participant",
            (name,),
        ).fetchall()
        from simulator.records.attempts import Member

        return [Member(r["participant"], r["name"], r["joined_at"]) for r in rows]

    @plainly
    def cohort_attempts(self, name: str) -> list[Attempt]:
        """The full record of every attempt in cohort ``name``, oldest first.

        Two queries, whatever the size of the room: the dashboard asks every
        few seconds, and across a network a query per attempt adds up."""
        rows = self._db.execute(
            "SELECT * FROM attempts WHERE cohort = ? ORDER BY started_at, id", (name,)
        ).fetchall()
        decisions: dict[int, list] = {row["id"]: [] for row in rows}
        for decision in self._db.execute(
            "SELECT d.* FROM decisions d JOIN attempts a ON a.id = d.attempt_id WHERE a.cohort = ?"
            " ORDER BY d.attempt_id, d.seq", (name,)
        ):
            if decision["attempt_id"] in decisions:  # an attempt started since the first query is left for next time
                decisions[decision["attempt_id"]].append(decision)
        return [self._attempt_from(row, decisions[row["id"]]) for row in rows]
