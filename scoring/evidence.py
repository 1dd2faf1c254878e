"""The evidence log: what the engine records and the scorer reads.

These types live in ``scoring`` because scoring must never import the
simulator; the engine builds them, the scorer consumes them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping

from scoring.record import record

# Records (scoring.record), not dataclasses: every command builds these classes
# at start-up, and a record is built several times faster.
_EMPTY: Mapping = MappingProxyType({})  # a shared default no one can change


@record
class Offer:
    """One option that was on offer at a decision (its condition held)."""

    choice_id: str
    text: str
    evidence: Mapping[str, int]
    feedback: str = ""


@record
class Decision:
    """One decision the user met: what was on offer and what they chose."""

    node_id: str
    speaker: str
    prompt: str
    offers: tuple[Offer, ...]
    chosen: int
    hint_used: bool = False
    # What the learner typed before choosing ("say it first"); "" when they
    # only chose. Reports show it as "you said … / you chose …".
    own_words: str = ""

    @property
    def choice(self) -> Offer:
        return self.offers[self.chosen]


@record
class EndingReached:
    """The ending of an attempt, as the scenario describes it."""

    node_id: str
    outcome: str
    title: str
    debrief: str
    impact: str = ""


@record
class EvidenceLog:
    """Everything an attempt showed, in the order it happened."""

    scenario_id: str
    scenario_title: str
    decisions: tuple[Decision, ...] = ()
    ending: EndingReached | None = None
    rewinds: int = 0
    learner: str = ""
    extra: Mapping[str, str] = _EMPTY

    @property
    def hints_used(self) -> int:
        return sum(1 for decision in self.decisions if decision.hint_used)
