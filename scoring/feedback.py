"""Turns a scorecard into the debrief a learner reads: what they said at each
decision, what else was on offer and why, and questions to reflect on.

Every point made rests on something explainable: the option's own feedback
line written by the scenario author, and a verbatim line of the briefing
taken from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from scoring.catalogue import Catalogue, load_catalogue
from scoring.display import shorten
from scoring.evidence import Decision, EvidenceLog, Fact, Offer
from scoring.record import record
from scoring.scorer import DecisionScore, QualityScore, Scorecard

_EMPTY: Mapping = MappingProxyType({})  # a shared default no one can change

STRENGTHS_SHOWN = 3
WORK_ONS_SHOWN = 3
QUESTIONS_FROM_MOMENTS = 3


@record
class EvidenceNote:
    """One quality an option gave evidence for, as the learner reads it."""

    quality_id: str
    label: str
    points: int


@record
class BetterOption:
    """The option that would have shown most at a decision, and why."""

    choice_id: str
    text: str
    feedback: str  # the scenario's own line on why it helps
    quality_id: str  # the quality on which it beat the choice made by most
    quality_label: str
    briefing: str  # the briefing's own sentence for that quality, verbatim; "" if none
    gap: int  # points it would have added at this decision
    rests_on: tuple[Fact, ...] = ()  # the case-file facts the option cites


@record
class DecisionReview:
    """One decision looked back on: what was chosen, what it showed, what would have shown more."""

    number: int
    node_id: str
    speaker: str
    prompt: str
    said: str  # the chosen option's words
    choice_id: str
    evidence: tuple[EvidenceNote, ...]  # what the chosen option showed
    feedback: str
    share: float | None
    best_available: bool
    hint_used: bool
    better: BetterOption | None
    own_words: str = ""  # what the learner typed before choosing ("say it first"); "" if nothing


@record
class GoodExample:
    """What good looks like for a quality to work on: drawn from this case where
    it can be (the stronger option's own words at a decision the learner met,
    and the case-file facts it rests on), else the catalogue's example."""

    quality_id: str
    words: str
    rests_on: tuple[Fact, ...] = ()
    decision: int | None = None  # the decision (1-based) it was on offer at; None for the catalogue's

    @property
    def from_case(self) -> bool:
        return self.decision is not None


@record
class Feedback:
    """The review of an attempt: every decision, the key moments, strengths, what to work on, questions."""

    reviews: tuple[DecisionReview, ...]  # every decision, in order
    key_moments: tuple[DecisionReview, ...]  # a better option was on offer; largest gap first
    strengths: tuple[QualityScore, ...]
    work_ons: tuple[QualityScore, ...]
    questions: tuple[str, ...]
    # Per quality id in work_ons, what good looks like; absent where neither
    # the case nor a catalogue example that fits this kind of case has one.
    examples: Mapping[str, GoodExample] = _EMPTY


def build_feedback(
    log: EvidenceLog, scorecard: Scorecard, catalogue: Catalogue | None = None
) -> Feedback:
    """The debrief for an attempt already scored with ``scorer.score``."""
    catalogue = catalogue or load_catalogue()
    reviews = tuple(
        _review(decision, scored, catalogue)
        for decision, scored in zip(log.decisions, scorecard.decisions)
    )
    # A decision that traded one quality for another can fall short of a
    # perfect share with no single option better overall; there is then no
    # better option to show, so it is not a key moment.
    key_moments = tuple(
        sorted(
            (review for review in reviews if review.better is not None),
            key=lambda review: (-review.better.gap, review.number),
        )
    )
    strengths, work_ons = strengths_and_work_ons(scorecard.assessed_qualities)
    examples: dict[str, GoodExample] = {}
    for quality in work_ons:
        used = {example.decision for example in examples.values()}
        example = good_example(quality.id, log, scorecard, catalogue, used)
        if example is not None:
            examples[quality.id] = example
    return Feedback(
        reviews=reviews,
        key_moments=key_moments,
        strengths=strengths,
        work_ons=work_ons,
        questions=reflective_questions(key_moments, catalogue),
        examples=examples,
    )


def good_example(quality_id: str, log: EvidenceLog, scorecard: Scorecard,
                 catalogue: Catalogue, used: set | frozenset = frozenset()) -> GoodExample | None:
    """What good looks like for ``quality_id`` in this attempt: the better
    option's words at the decision where it showed most more of the quality
    than the choice made (on a tie, one not in ``used``, the decisions other
    examples already quote, then the earliest), with the facts it cites;
    where no decision has one, the catalogue's example, if it is about this
    kind of case (a child's case or an adult's) or fits either."""
    found = None
    for decision, scored in zip(log.decisions, scorecard.decisions):
        if scored.better_choice is None or quality_id not in scored.missed:
            continue
        better = decision.offers[scored.better_choice]
        if not better.text.strip():
            continue
        rank = (better.evidence.get(quality_id, 0) - decision.choice.evidence.get(quality_id, 0),
                scored.number not in used)
        if found is None or rank > found[0]:
            found = (rank, scored.number, better)
    if found is not None:
        _, number, better = found
        return GoodExample(quality_id, better.text, better.rests_on, number)
    quality = catalogue.qualities.get(quality_id)
    if quality is not None and quality.example_fits(log.person):
        return GoodExample(quality_id, quality.good)
    return None


def _review(decision: Decision, scored: DecisionScore, catalogue: Catalogue) -> DecisionReview:
    chosen = decision.choice
    better = None
    if scored.better_choice is not None:
        better = _better_option(chosen, decision.offers[scored.better_choice], scored, catalogue)
    return DecisionReview(
        number=scored.number,
        node_id=decision.node_id,
        speaker=decision.speaker,
        prompt=decision.prompt,
        said=chosen.text,
        choice_id=chosen.choice_id,
        evidence=_notes(chosen, catalogue),
        feedback=chosen.feedback,
        share=scored.share,
        best_available=scored.best_available,
        hint_used=decision.hint_used,
        better=better,
        own_words=decision.own_words,
    )


def _notes(offer: Offer, catalogue: Catalogue) -> tuple[EvidenceNote, ...]:
    return tuple(
        EvidenceNote(quality_id, _label(quality_id, catalogue), points)
        for quality_id, points in offer.evidence.items()
        if points
    )


def _label(quality_id: str, catalogue: Catalogue) -> str:
    quality = catalogue.qualities.get(quality_id)
    return quality.label if quality else quality_id


def _better_option(
    chosen: Offer, better: Offer, scored: DecisionScore, catalogue: Catalogue
) -> BetterOption:
    # The quality where the two options differ most is the one the debrief
    # explains; on a tie, the one the author listed first.
    widest = max(
        scored.qualities,
        key=lambda q: better.evidence.get(q, 0) - chosen.evidence.get(q, 0),
    )
    quality = catalogue.qualities[widest]
    return BetterOption(
        choice_id=better.choice_id,
        text=better.text,
        feedback=better.feedback,
        quality_id=widest,
        quality_label=quality.label,
        briefing=quality.briefing_sentence,
        gap=scored.gap,
        rests_on=better.rests_on,
    )


def strengths_and_work_ons(
    assessed: tuple[QualityScore, ...],
) -> tuple[tuple[QualityScore, ...], tuple[QualityScore, ...]]:
    """Up to three strengths (highest first) and three things to work on
    (lowest first); on equal scores, the quality seen more often comes first.

    A quality is never both. With fewer than six assessed, the upper half are
    strengths and the lower half things to work on, except that a full score
    is always a strength and a zero never is.
    """
    ranked = sorted(
        (q for q in assessed if q.opportunities),
        key=lambda q: (-q.score, -q.opportunities),
    )
    full = sum(1 for q in ranked if q.score >= 100)
    none = sum(1 for q in ranked if q.score <= 0)
    taken = min(STRENGTHS_SHOWN, max((len(ranked) + 1) // 2, full), len(ranked) - none)
    strengths = tuple(ranked[:taken])
    work_ons = tuple(
        sorted(
            (q for q in ranked[taken:] if q.score < 100),
            key=lambda q: (q.score, -q.opportunities),
        )[:WORK_ONS_SHOWN]
    )
    return strengths, work_ons


def reflective_questions(
    key_moments: tuple[DecisionReview, ...], catalogue: Catalogue
) -> tuple[str, ...]:
    """Two or three questions in the form "here is what I saw; here is what I
    wondered; how did you see it?", built from the largest key moments, or
    about what helped and what to carry forward when there were none."""
    asked = [_question(moment, catalogue) for moment in key_moments[:QUESTIONS_FROM_MOMENTS]]
    if len(asked) >= 2:
        return tuple(asked)
    if asked:
        return (*asked, _CARRY_FORWARD)
    return (_WHAT_HELPED, _CARRY_FORWARD, _IF_STILL_STUCK)


_WHAT_HELPED = (
    "At the moment that felt hardest, what helped you decide what to say?"
)
_CARRY_FORWARD = (
    "What will you carry from this rehearsal into your real meeting: the words you "
    "will open with, and the facts you will have in front of you?"
)
_IF_STILL_STUCK = (
    "If the other professional still disagrees after you have set out your concern, "
    "who will you talk to next, and when?"
)


def _question(moment: DecisionReview, catalogue: Catalogue) -> str:
    better = moment.better
    assert better is not None  # key moments always have one
    quality = catalogue.qualities[better.quality_id]
    # Where the learner typed their own words first, the option was what they chose.
    verb = "chose" if moment.own_words.strip() else "said"
    seen = f"You {verb} “{shorten(moment.said)}” when “{shorten(better.text)}” was on offer."
    wondered = f"I wondered whether the other option showed more of ‘{quality.label}’"
    definition = _as_clause(quality.definition)
    # Catalogue definitions describe what someone with the quality does
    # ("Keeps an even tone…"), so they read on naturally after "someone who".
    wondered += f": someone who {definition}." if definition else "."
    return f"{seen} {wondered} What was your reasoning at that point?"


def _as_clause(definition: str) -> str:
    text = " ".join(definition.split()).rstrip(" .")
    if not text:
        return ""
    # Lower-case the first letter only when it starts an ordinary word, so
    # "MASH" or "GCP2" keep their capitals.
    if len(text) > 1 and text[1].isupper():
        return text
    return text[0].lower() + text[1:]
