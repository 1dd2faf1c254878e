"""Who is in a cohort and where each one is now, for the dashboard: one row
per participant, from their attempts and from the record of their joining
(someone who joined and has not started has no attempt to show them by)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from simulator.engine.session import Session
from simulator.records.store import Attempt, Member


@dataclass(frozen=True)
class ParticipantStatus:
    """Where one participant is now (their most recent attempt)."""

    key: str  # the participant id; "attempt-N" for an attempt recorded without one
    name: str  # display name as typed: untrusted, make it inert before showing it
    scenario_id: str
    scenario_title: str
    attempt_id: int
    attempts: int  # attempts this participant has made in the cohort; 0: joined, not started
    decisions: int  # decisions kept in the latest attempt so far
    node_id: str | None  # where the latest attempt stands; None if it cannot be worked out
    finished: bool
    outcome: str | None
    overall: float | None

    @property
    def retries(self) -> int:
        return max(0, self.attempts - 1)

    @property
    def started(self) -> bool:
        return self.attempts > 0


def participant_key(attempt: Attempt) -> str:
    return attempt.participant or f"attempt-{attempt.id}"


def attempt_order(attempt: Attempt) -> tuple[str, int]:
    return (attempt.started_at, attempt.id)


def participants_now(attempts: Sequence[Attempt], sessions: dict[int, Session | None],
                     members: Sequence[Member] = ()) -> list[ParticipantStatus]:
    """Each participant's status, in the order they joined."""
    grouped: dict[str, list[Attempt]] = {}
    for attempt in sorted(attempts, key=attempt_order):
        grouped.setdefault(participant_key(attempt), []).append(attempt)
    # In the order they joined: a member's join time, or their first attempt's start.
    since = {key: group[0].started_at for key, group in grouped.items()}
    for member in members:
        since[member.participant] = min(since.get(member.participant, member.joined_at), member.joined_at)
    statuses = [_status(key, group, sessions.get(group[-1].id)) for key, group in grouped.items()]
    statuses += [_joined_only(member) for member in members if member.participant not in grouped]
    return sorted(statuses, key=lambda status: since[status.key])  # stable: ties keep the order read


def _joined_only(member: Member) -> ParticipantStatus:
    return ParticipantStatus(key=member.participant, name=member.name, scenario_id="", scenario_title="",
                             attempt_id=0, attempts=0, decisions=0, node_id=None, finished=False, outcome=None,
                             overall=None)


def _status(key: str, group: list[Attempt], session: Session | None) -> ParticipantStatus:
    latest = group[-1]
    kept = [d for d in latest.decisions if not d.rewound]
    if latest.finished:
        node_id = latest.ending_node
    elif session is not None:
        node_id = session.node.id
    else:
        node_id = None
    # A display name can change between attempts (a typo fixed on rejoining): show the latest.
    return ParticipantStatus(
        key=key,
        name=latest.learner,
        scenario_id=latest.scenario_id,
        scenario_title=latest.title,
        attempt_id=latest.id,
        attempts=len(group),
        decisions=len(session.moves) if session is not None else len(kept),
        node_id=node_id,
        finished=latest.finished,
        outcome=latest.outcome,
        overall=latest.overall,
    )


def where(participant: ParticipantStatus) -> str:
    """A participant's position as a short phrase: ``decision 3 · listen``."""
    if not participant.started:
        return "joined, not started"
    if participant.finished:
        return f"finished after {participant.decisions} decision{'s' * (participant.decisions != 1)}"
    if participant.node_id is None:
        return f"{participant.decisions} decision{'s' * (participant.decisions != 1)} made"
    return f"decision {participant.decisions + 1} · {participant.node_id}"
