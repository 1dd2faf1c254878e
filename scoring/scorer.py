"""Turns an attempt's evidence log into a scorecard, fairly across paths.

A quality is scored only at the decisions where it could be shown. At each,
the option chosen is placed between the worst (0) and the best (100) option
that was on offer there, so a short path is not penalised for being short and
a quality the path never met is "not assessed" rather than zero.

Scores are pooled, not averaged: a quality's score is the points gained above
the worst option, summed over its decisions, as a share of the points that
were available. A decision whose options ranged from -2 to +2 therefore
weighs more than one whose options ranged from 0 to +1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from scoring.catalogue import Band, Catalogue, Competency, load_catalogue
from scoring.display import outcome_label
from scoring.evidence import Decision, EndingReached, EvidenceLog
from scoring.record import record


@record
class Opportunity:
    """One quality that one decision gave the chance to show."""

    decision: int  # position of the decision in the log
    quality: str
    gained: int  # chosen option's evidence minus the worst on offer
    possible: int  # best on offer minus worst on offer; always > 0


@record
class QualityScore:
    """How well one quality was shown over the decisions that could show it."""

    id: str
    label: str
    competency: str
    score: float | None  # 0-100; None when the path never offered it
    band: Band | None
    opportunities: int  # decisions at which the options differed on it
    gained: int
    possible: int

    @property
    def assessed(self) -> bool:
        return self.score is not None


@record
class CompetencyScore:
    """How well one competency was shown, from its qualities' scores."""

    id: str
    label: str
    score: float | None
    band: Band | None
    descriptor: str  # the catalogue's words for this band; "" if none
    opportunities: int  # (decision, quality) pairs pooled into the score
    gained: int
    possible: int
    qualities: tuple[str, ...]

    @property
    def assessed(self) -> bool:
        return self.score is not None


@record
class DecisionScore:
    """How one decision went, pooled over the qualities it could show."""

    number: int  # 1-based, in the order the decisions were met
    node_id: str
    qualities: tuple[str, ...]  # the qualities this decision counted for
    gained: int
    possible: int
    share: float | None  # 0-1; None when no option differed from another
    best_available: bool
    better_choice: int | None  # index into the decision's offers, if one was better
    gap: int  # points the better option would have added; 0 if none

    @property
    def assessed(self) -> bool:
        return self.share is not None


@record
class Scorecard:
    """The scores of an attempt: overall, by competency, by quality and by decision."""

    overall: float | None
    overall_band: Band | None
    opportunities: int
    competencies: tuple[CompetencyScore, ...]  # catalogue order
    qualities: tuple[QualityScore, ...]  # catalogue order, assessed or not
    decisions: tuple[DecisionScore, ...]
    # How the attempt ended is a fact about the story, not a score: it is kept
    # apart so no report is tempted to fold "child left at risk" into a number.
    ending: EndingReached | None
    hints_used: int
    rewinds: int
    decision_count: int

    def quality(self, quality_id: str) -> QualityScore:
        for quality in self.qualities:
            if quality.id == quality_id:
                return quality
        raise KeyError(f"no quality {quality_id!r} in this scorecard")

    def competency(self, competency_id: str) -> CompetencyScore:
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(f"no competency {competency_id!r} in this scorecard")

    @property
    def assessed_qualities(self) -> tuple[QualityScore, ...]:
        return tuple(q for q in self.qualities if q.assessed)

    @property
    def ending_line(self) -> str:
        """The ending as one line of words, e.g.
        ``Outcome: Resolved — Referral accepted. Impact: …``."""
        if self.ending is None:
            return "Outcome: not reached — the attempt stopped before an ending."
        line = f"Outcome: {outcome_label(self.ending.outcome)} — {self.ending.title.strip()}"
        impact = self.ending.impact.strip()
        return f"{line}. Impact: {impact}" if impact else line


def score(log: EvidenceLog, catalogue: Catalogue | None = None) -> Scorecard:
    """The scorecard for one attempt: every quality and competency in the
    catalogue (``score`` None where the path gave no opportunity), an overall
    score, a breakdown per decision, and the ending, hints and rewinds."""
    catalogue = catalogue or load_catalogue()
    known = frozenset(catalogue.qualities)
    per_decision = [
        tuple(opportunities_at(index, decision, known))
        for index, decision in enumerate(log.decisions)
    ]
    everything = [o for found in per_decision for o in found]

    qualities = tuple(
        _quality_score(quality_id, [o for o in everything if o.quality == quality_id], catalogue)
        for quality_id in catalogue.qualities
    )
    competencies = tuple(
        _competency_score(competency, everything, catalogue)
        for competency in catalogue.competencies
    )
    overall = _percentage(everything)
    return Scorecard(
        overall=overall,
        overall_band=_band(overall, catalogue),
        opportunities=len(everything),
        competencies=competencies,
        qualities=qualities,
        decisions=tuple(
            _decision_score(index, decision, found)
            for index, (decision, found) in enumerate(zip(log.decisions, per_decision))
        ),
        ending=log.ending,
        hints_used=log.hints_used,
        rewinds=log.rewinds,
        decision_count=len(log.decisions),
    )


def opportunities_at(index: int, decision: Decision, known: frozenset[str]) -> Iterator[Opportunity]:
    """The qualities ``decision`` let the learner show, with what they gained.

    An option that does not mention a quality counts as 0 for it. A quality on
    which every option scored the same is skipped: there was no choice to make.
    Qualities the catalogue does not know are skipped too; the validator
    rejects them in scenarios, and an old log must still score against a
    newer catalogue rather than fail.
    """
    offered = dict.fromkeys(
        quality
        for offer in decision.offers
        for quality, points in offer.evidence.items()
        if points and quality in known
    )
    for quality in offered:
        values = [offer.evidence.get(quality, 0) for offer in decision.offers]
        best, worst = max(values), min(values)
        if best == worst:
            continue
        yield Opportunity(index, quality, values[decision.chosen] - worst, best - worst)


def _percentage(opportunities: Iterable[Opportunity]) -> float | None:
    gained = possible = 0
    for opportunity in opportunities:
        gained += opportunity.gained
        possible += opportunity.possible
    return 100 * gained / possible if possible else None


def _band(value: float | None, catalogue: Catalogue) -> Band | None:
    return None if value is None else catalogue.band_for(value)


def _quality_score(quality_id: str, found: list[Opportunity], catalogue: Catalogue) -> QualityScore:
    quality = catalogue.qualities[quality_id]
    value = _percentage(found)
    return QualityScore(
        id=quality_id,
        label=quality.label,
        competency=quality.competency,
        score=value,
        band=_band(value, catalogue),
        opportunities=len(found),
        gained=sum(o.gained for o in found),
        possible=sum(o.possible for o in found),
    )


def _competency_score(
    competency: Competency, everything: list[Opportunity], catalogue: Catalogue
) -> CompetencyScore:
    members = frozenset(competency.qualities)
    found = [o for o in everything if o.quality in members]
    value = _percentage(found)
    band = _band(value, catalogue)
    return CompetencyScore(
        id=competency.id,
        label=competency.label,
        score=value,
        band=band,
        descriptor=competency.descriptor(band.id) if band else "",
        opportunities=len(found),
        gained=sum(o.gained for o in found),
        possible=sum(o.possible for o in found),
        qualities=competency.qualities,
    )


def _decision_score(index: int, decision: Decision, found: tuple[Opportunity, ...]) -> DecisionScore:
    qualities = tuple(o.quality for o in found)
    gained = sum(o.gained for o in found)
    possible = sum(o.possible for o in found)
    # An option's worth at this decision is its evidence summed over the
    # qualities that counted here; subtracting each quality's worst would
    # shift every option equally, so the ranking is the same.
    worth = [sum(offer.evidence.get(q, 0) for q in qualities) for offer in decision.offers]
    top = max(worth, default=0)
    chosen = worth[decision.chosen] if worth else 0
    better = worth.index(top) if top > chosen else None
    return DecisionScore(
        number=index + 1,
        node_id=decision.node_id,
        qualities=qualities,
        gained=gained,
        possible=possible,
        share=gained / possible if possible else None,
        # With nothing to choose between, no option was better than this one.
        best_available=gained == possible,
        better_choice=better,
        gap=top - chosen,
    )
