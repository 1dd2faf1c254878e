"""What the store needs to save an attempt and to read one back into records:
the modes, the summary's columns, and the part of a scorecard kept with a
finished attempt. Kept apart from the records themselves (``attempts``) so a
play that only saves loads no dataclasses it never builds."""

from __future__ import annotations

import json
import sqlite3

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from scoring.scorer import Scorecard

MODES = ("debrief", "coach")


def scorecard_summary(scorecard: "Scorecard") -> dict:
    """The part of a scorecard kept with an attempt:
    ``{"overall": float | None, "competencies": {id: float | None}}``."""
    return {
        "overall": scorecard.overall,
        "competencies": {c.id: c.score for c in scorecard.competencies},
    }


SUMMARY_COLUMNS = (
    "id, scenario_id, scenario_title, learner, mode, started_at, finished_at, outcome, scorecard_json"
)


def summary_fields(row: sqlite3.Row) -> dict:
    card = json.loads(row["scorecard_json"]) if row["scorecard_json"] else {}
    return dict(
        id=row["id"],
        scenario_id=row["scenario_id"],
        title=row["scenario_title"],
        learner=row["learner"],
        mode=row["mode"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
        outcome=row["outcome"],
        overall=card.get("overall"),
        competencies=dict(card.get("competencies", {})),
    )

