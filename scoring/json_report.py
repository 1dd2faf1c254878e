"""The debrief as JSON, for an organisation's records or a facilitator's cohort view.

Text is kept exactly as the scenario and learner gave it (``json.dumps``
escapes control characters); it is whoever displays it that must escape it.
Scores not assessed are ``null``, never 0, so a reader can tell "never had the
chance" from "had the chance and missed it".
"""

from __future__ import annotations

import json

from scoring.catalogue import Band
from scoring.debrief import Debrief
from scoring.evidence import Fact
from scoring.feedback import DecisionReview
from scoring.scorer import QualityScore
from scoring.standing import Row, whole

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any

SCHEMA = "rehearse.debrief"
# Bump when a key is renamed or removed or its meaning changes; adding keys is
# compatible and does not need a bump. 2: scores are whole numbers, as every
# other format shows them (gained and possible still give the exact ratio).
SCHEMA_VERSION = 2


def render_json(debrief: Debrief, indent: int | None = 2) -> str:
    """The debrief as a JSON document (see ``as_dict`` for its shape)."""
    return json.dumps(as_dict(debrief), indent=indent, ensure_ascii=False) + "\n"


def stored_json(debrief: Debrief) -> str:
    """The debrief as kept in a history file: the same document, compact (no
    one reads it there, and the C encoder writes it several times faster)."""
    return render_json(debrief, indent=None)


def as_dict(debrief: Debrief) -> dict[str, Any]:
    log, card, feedback = debrief.log, debrief.scorecard, debrief.feedback
    ranked = debrief.standing
    ending = card.ending
    return {
        "schema": SCHEMA,
        "schema_version": SCHEMA_VERSION,
        "scenario": {"id": log.scenario_id, "title": log.scenario_title},
        "learner": log.learner,
        "ending": None
        if ending is None
        else {
            "node_id": ending.node_id,
            "outcome": ending.outcome,
            "title": ending.title,
            "impact": ending.impact,
            "debrief": ending.debrief,
            "line": card.ending_line,
        },
        "overall": {
            "score": _rounded(card.overall),
            "band": _band(card.overall_band),
            "opportunities": card.opportunities,
        },
        "competencies": [
            {
                "id": competency.id,
                "label": competency.label,
                "score": _rounded(competency.score),
                "band": _band(competency.band),
                "opportunities": competency.opportunities,
                "gained": competency.gained,
                "possible": competency.possible,
                "qualities": list(competency.qualities),
            }
            for competency in card.competencies
        ],
        "qualities": [_quality(quality) for quality in card.qualities],
        # The rows every format shows, in their order: competencies weakest
        # first, each with its qualities weakest first; "one chance" for what
        # counted at one decision only.
        "standing": [dict(_row(competency), qualities=[_row(q) for q in competency.qualities])
                     for competency in ranked.competencies],
        "not_assessed": list(ranked.not_assessed),
        "decisions": [_decision(review) for review in feedback.reviews],
        "strengths": [_quality(q) for q in feedback.strengths],
        "work_ons": [_quality(q) for q in feedback.work_ons],
        "key_moments": [review.number for review in feedback.key_moments],
        "examples": {quality_id: {"words": example.words, "decision": example.decision,
                                  "rests_on": [_fact(fact) for fact in example.rests_on]}
                     for quality_id, example in feedback.examples.items()},
        "questions": list(feedback.questions),
        "decision_count": card.decision_count,
        "hints_used": card.hints_used,
        "rewinds": card.rewinds,
        "extra": dict(log.extra),
    }


def _rounded(score: float | None) -> int | None:
    # Whole numbers, as every format shows them; ``gained`` and ``possible``
    # are kept alongside so the exact ratio can always be recomputed.
    return None if score is None else whole(score)


def _row(row: Row) -> dict[str, Any]:
    return {"id": row.id, "label": row.label, "score": row.score, "band": row.band, "band_id": row.band_id,
            "chances": row.chances, "gained": row.gained, "possible": row.possible}


def _fact(fact: Fact) -> dict[str, str]:
    return {"title": fact.title, "date": fact.date, "source": fact.source, "text": fact.text}


def _band(band: Band | None) -> dict[str, str] | None:
    return None if band is None else {"id": band.id, "label": band.label}


def _quality(quality: QualityScore) -> dict[str, Any]:
    return {
        "id": quality.id,
        "label": quality.label,
        "competency": quality.competency,
        "score": _rounded(quality.score),
        "band": _band(quality.band),
        "opportunities": quality.opportunities,
        "gained": quality.gained,
        "possible": quality.possible,
    }


def _decision(review: DecisionReview) -> dict[str, Any]:
    from scoring.own_words import read_own_words

    better = review.better
    reading = read_own_words(review.own_words)
    return {
        "number": review.number,
        "node_id": review.node_id,
        "speaker": review.speaker,
        "prompt": review.prompt,
        "choice_id": review.choice_id,
        "said": review.said,
        # What the learner typed before choosing ("say it first"), or null;
        # "said" stays the words of the option chosen.
        "own_words": review.own_words or None,
        "own_words_elements": reading.elements if reading else None,
        "evidence": {note.quality_id: note.points for note in review.evidence},
        "feedback": review.feedback,
        "share": None if review.share is None else round(review.share, 3),
        "best_available": review.best_available,
        "hint_used": review.hint_used,
        "better_option": None
        if better is None
        else {
            "choice_id": better.choice_id,
            "text": better.text,
            "feedback": better.feedback,
            "quality": better.quality_id,
            "briefing": better.briefing,
            "gap": better.gap,
            "rests_on": [_fact(fact) for fact in better.rests_on],
        },
    }
