"""What the store hands back: attempts, decisions and cohorts as frozen
dataclasses. Loaded when something is read: saving needs none of them."""

from __future__ import annotations

import json
from dataclasses import dataclass

# The columns and the scorecard's kept part, named here too, where callers first found them.
from simulator.records.columns import MODES, SUMMARY_COLUMNS, scorecard_summary, summary_fields  # noqa: F401


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt as a history list shows it."""

    id: int
    scenario_id: str
    title: str
    learner: str
    mode: str
    started_at: str  # UTC, ISO 8601
    finished_at: str | None
    outcome: str | None
    overall: float | None  # None while unfinished, or when nothing was assessed
    competencies: dict[str, float | None]

    @property
    def finished(self) -> bool:
        return self.finished_at is not None


@dataclass(frozen=True)
class Cohort:
    """A group training session that participants join with a code."""

    name: str
    join_code: str
    scenario_id: str | None  # the scenario the room plays; None: participants choose
    created_at: str


@dataclass(frozen=True)
class Member:
    """Somebody whose join code was accepted, whether or not they have started."""

    participant: str
    name: str  # as typed: untrusted, make it inert before showing it
    joined_at: str  # UTC, ISO 8601


@dataclass(frozen=True)
class DecisionRecord:
    """One decision as the history keeps it."""

    seq: int  # order of recording; a retaken decision gets a new seq
    node_id: str
    choice_id: str
    hint_used: bool
    made_at: str
    rewound: bool  # taken back by a rewind; kept so a facilitator sees first instincts
    own_words: str = ""  # what the learner typed before choosing ("say it first"); "" if nothing


@dataclass(frozen=True)
class Draft:
    """The words being typed at the decision an attempt has reached, saved as
    they are typed; ``submitted`` once the learner has asked for feedback on
    them (the options are then on show)."""

    attempt_id: int
    node_id: str
    decision: int  # how many decisions the attempt had made when it was typed (0-based position)
    words: str
    submitted: bool
    updated_at: str


@dataclass(frozen=True)
class Attempt(AttemptSummary):
    """Everything kept about one attempt."""

    updated_at: str
    ending_node: str | None
    session_json: dict | None  # the latest Session.to_json(); None before the first decision
    scorecard: dict | None  # scorecard_summary() when finished
    report_json: str | None  # scoring.reports.to_json() when finished
    rewinds: int
    hints: int  # hints used on the path kept (rewound decisions excluded)
    cohort: str | None
    participant: str | None
    decisions: tuple[DecisionRecord, ...]


def attempt_from(row, decision_rows) -> Attempt:
    """The full record of an attempt from its row and its decisions' rows."""
    decisions = tuple(
        DecisionRecord(r["seq"], r["node_id"], r["choice_id"], bool(r["hint_used"]), r["made_at"], bool(r["rewound"]),
                       r["own_words"] or "")
        for r in decision_rows
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
