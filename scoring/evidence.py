"""The evidence log: what the engine records and the scorer reads.

These types live in ``scoring`` because scoring must never import the
simulator; the engine builds them, the scorer consumes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from scoring.record import record

# Records (scoring.record), not dataclasses: every command builds these classes
# at start-up, and a record is built several times faster.
_EMPTY: Mapping = MappingProxyType({})  # a shared default no one can change


@record
class Fact:
    """A case-file fact an option rests on (the scenario's ``cites``), in words."""

    title: str
    text: str = ""
    date: str = ""
    source: str = ""

    def line(self, limit: int = 100) -> str:
        """The fact as one line, its text cut to about ``limit`` characters:
        "Weights and MUST, 2027-03-09 (Beechcroft weight record): On admission …"."""
        from scoring.display import shorten

        about = ", ".join(part for part in (self.title.strip(), self.date.strip()) if part)
        if self.source.strip():
            about += f" ({self.source.strip()})"
        return f"{about}: {shorten(self.text, limit)}" if self.text.strip() else about


@record
class Offer:
    """One option that was on offer at a decision (its condition held)."""

    choice_id: str
    text: str
    evidence: Mapping[str, int]
    feedback: str = ""
    rests_on: tuple[Fact, ...] = ()  # the case-file facts it cites


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
    # Whose safety the case is about: "child", "adult", or "" when not known.
    # A generic example about another kind of case is never shown.
    person: str = ""
    extra: Mapping[str, str] = _EMPTY

    @property
    def hints_used(self) -> int:
        return sum(1 for decision in self.decisions if decision.hint_used)


# --- "Best on offer": the one definition every part uses -------------------


def worth(offer: Offer, known: frozenset[str] | None = None) -> int:
    """An option's worth at its decision: its evidence points summed over the
    qualities (those in ``known``, when given; an old log may name a quality a
    newer catalogue dropped). ``{"factual": 2, "calm": -1}`` is worth 1."""
    return sum(points for quality, points in offer.evidence.items() if known is None or quality in known)


def best_on_offer(offers: tuple[Offer, ...], known: frozenset[str] | None = None) -> tuple[int, ...]:
    """The indexes of the options best on offer at a decision: those whose
    ``worth`` is the highest there. Options of equal worth are equally good,
    so there can be several; with one option, that one is best."""
    if not offers:
        return ()
    values = [worth(offer, known) for offer in offers]
    top = max(values)
    return tuple(i for i, value in enumerate(values) if value == top)
