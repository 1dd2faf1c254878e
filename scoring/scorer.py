"""Turns an attempt's evidence log into a scorecard, fairly across paths.

Each decision is judged against the options on offer there (docs/scoring.md
works an example by hand):

* the options best on offer are those with the highest summed evidence
  (``scoring.evidence.best_on_offer``); a choice is judged against itself
  when it is one of them, otherwise against the best option it falls least
  short of;
* on each quality the options differ on, the worst option on offer is the
  floor: the choice gains its points above the floor, out of the points the
  better of the choice and that best option show above the floor;
* so a best option earns every point it could at that decision, choosing
  between equally good options costs nothing, and a weaker option loses,
  quality by quality, what the best would have shown beyond it: those
  qualities explain the gap.

A short path is not penalised for being short, and a quality the path never
met is "not assessed" rather than zero. Scores are pooled, not averaged: a
quality's score is its points gained summed over its decisions, as a share of
its points possible, so a decision whose options ranged from -2 to +2 weighs
more than one whose options ranged from 0 to +1.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from scoring.catalogue import Band, Catalogue, Competency, load_catalogue
from scoring.display import outcome_label
from scoring.evidence import (
    Decision,
    EndingReached,
    EvidenceLog,
    Offer,
    best_on_offer,
    worth,
)


@dataclass(frozen=True)
class Opportunity:
    """One quality that one decision gave the chance to show."""

    decision: int  # position of the decision in the log
    quality: str
    gained: int  # the chosen option's points above the worst on offer
    possible: int  # the better of the choice and the best option on offer, above the worst; > 0

    @property
    def missed(self) -> int:
        """Points the best option on offer would have shown beyond the choice."""
        return self.possible - self.gained


@dataclass(frozen=True)
class QualityScore:
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


@dataclass(frozen=True)
class CompetencyScore:
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


@dataclass(frozen=True)
class DecisionScore:
    """How one decision went, pooled over the qualities it could show."""

    number: int  # 1-based, in the order the decisions were met
    node_id: str
    qualities: tuple[str, ...]  # the qualities this decision counted for
    gained: int
    possible: int
    share: float | None  # 0-1; None when no option differed from another
    best_available: bool  # the choice was best on offer (scoring.evidence.best_on_offer)
    better_choice: int | None  # index into the decision's offers, if one was better
    gap: int  # how much more the better option was worth; 0 if none
    # The qualities that explain the gap, most points missed first: where the
    # better option showed more than the choice. Empty when the choice was best.
    missed: tuple[str, ...] = ()

    @property
    def assessed(self) -> bool:
        return self.share is not None


@dataclass(frozen=True)
class Scorecard:
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
    floor = _floors(decision.offers, known)
    if floor:
        yield from _judged(index, decision.offers, decision.chosen, floor, best_on_offer(decision.offers, known))


def _floors(offers: tuple[Offer, ...], known: frozenset[str]) -> dict[str, int]:
    """Per quality the options differ on, the lowest points any of them has for it."""
    offered = dict.fromkeys(
        quality
        for offer in offers
        for quality, points in offer.evidence.items()
        if points and quality in known
    )
    floor = {}
    for quality in offered:
        values = [offer.evidence.get(quality, 0) for offer in offers]
        low = min(values)
        if max(values) != low:
            floor[quality] = low
    return floor


def _judged(index: int, offers: tuple[Offer, ...], chosen: int, floor: dict[str, int],
            best: tuple[int, ...]) -> Iterator[Opportunity]:
    # What a choice gains against the floors and the best on offer, both
    # worked out once per decision by the caller.
    shown_by = offers[chosen].evidence
    reference = offers[_nearest_best(offers, chosen, best, floor)].evidence
    for quality, worst in floor.items():
        shown = shown_by.get(quality, 0)
        # The standard is the better of the choice and the option it is
        # judged against; a quality neither showed above the floor was not
        # this choice's to show, and is not counted for it.
        possible = max(shown, reference.get(quality, 0)) - worst
        if possible:
            yield Opportunity(index, quality, shown - worst, possible)


def points_on_offer(
    offers: tuple[Offer, ...], known: frozenset[str]
) -> tuple[list[dict[str, int]], list[dict[str, int]]]:
    """For each option of a decision offering ``offers``, as if it were
    chosen: the points possible and the points gained, per quality counted.
    The analysis and the lint reason with these, so they agree with the scorer."""
    floor = _floors(offers, known)
    best = best_on_offer(offers, known) if floor else ()
    possibles, gains = [], []
    for chosen in range(len(offers)):
        found = list(_judged(0, offers, chosen, floor, best)) if floor else []
        possibles.append({o.quality: o.possible for o in found})
        gains.append({o.quality: o.gained for o in found})
    return possibles, gains


def better_option(decision: Decision, known: frozenset[str], qualities=None) -> int:
    """The option the choice is judged against: the choice itself when it was
    best on offer; otherwise the best option on offer it falls furthest short
    of the fewest points (an equally good alternative costs nothing), the
    first such in the scenario's order on a tie. ``qualities`` limits the
    shortfall to the qualities that counted (default: every known one)."""
    best = best_on_offer(decision.offers, known)
    return _nearest_best(decision.offers, decision.chosen, best, known if qualities is None else qualities)


def _nearest_best(offers: tuple[Offer, ...], chosen: int, best: tuple[int, ...], counted) -> int:
    if chosen in best:
        return chosen
    shown = offers[chosen].evidence

    def shortfall(i: int) -> int:
        evidence = offers[i].evidence
        return sum(max(0, evidence.get(q, 0) - shown.get(q, 0)) for q in counted)

    return min(best, key=shortfall)


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
    better = None
    gap = 0
    missed: tuple[str, ...] = ()
    if possible and gained < possible:
        # Only a choice that is not best on offer falls short (see
        # opportunities_at), so the option it is judged against is better.
        known = frozenset(qualities)
        better = better_option(decision, known, known)
        gap = worth(decision.offers[better], known) - worth(decision.choice, known)
        losses = sorted((o for o in found if o.missed), key=lambda o: -o.missed)
        missed = tuple(o.quality for o in losses)
    return DecisionScore(
        number=index + 1,
        node_id=decision.node_id,
        qualities=qualities,
        gained=gained,
        possible=possible,
        share=gained / possible if possible else None,
        # With nothing to choose between, no option was better than this one.
        best_available=better is None,
        better_choice=better,
        gap=gap,
        missed=missed,
    )
