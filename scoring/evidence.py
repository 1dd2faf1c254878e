"""The evidence log: what the engine records and the scorer reads.

These types live in ``scoring`` because scoring must never import the
simulator; the engine builds them, the scorer consumes them.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Mapping, NamedTuple

# Records are NamedTuples, not dataclasses: Python builds a NamedTuple class
# several times faster, and every command pays for these at start-up.
_EMPTY: Mapping = MappingProxyType({})  # a shared default no one can change


class Offer(NamedTuple):
    """One option that was on offer at a decision (its condition held)."""

    choice_id: str
    text: str
    evidence: Mapping[str, int]
    feedback: str = ""


class Decision(NamedTuple):
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


class EndingReached(NamedTuple):
    """The ending of an attempt, as the scenario describes it."""

    node_id: str
    outcome: str
    title: str
    debrief: str
    impact: str = ""


class EvidenceLog(NamedTuple):
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
