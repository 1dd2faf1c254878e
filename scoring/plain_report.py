"""The debrief as plain lines, for a prompt and a screen reader.

No box drawing, no tables, no rules of dashes: each line starts with a short
label ("Outcome:", "Score:", "Weakest competency:") so a screen reader user
can hear what a line is about before its words, and skip on. Everything comes
from the same ``Debrief`` as the Markdown, HTML and JSON reports, so the
numbers agree with theirs.
"""

from __future__ import annotations

import textwrap

from scoring.debrief import Debrief
from scoring.display import count, one_line, outcome_label, shorten
from scoring.scorer import CompetencyScore, QualityScore

WIDTH = 78


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(one_line(text), WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


def whole(score: float) -> str:
    """A score as a whole number: a debrief of six decisions has no tenths to tell."""
    return str(round(score))


def _weakest_first(items):
    # Not assessed last; on equal scores the catalogue's order stands (sorted is stable).
    return sorted(items, key=lambda item: (item.score is None, item.score if item.score is not None else 0))


def _quality(quality: QualityScore) -> str:
    if quality.opportunities == 1:
        # One decision is one chance, not a skill: no band is given for it.
        shown = ("taken" if quality.score >= 100 else "missed" if quality.score <= 0
                 else f"partly taken, {whole(quality.score)}")
        return f"{quality.label}: one chance, {shown}."
    band = f", {quality.band.label}" if quality.band else ""
    return f"{quality.label}: {whole(quality.score)}{band}, {count(quality.opportunities, 'chance')}."


def _competency(competency: CompetencyScore) -> str:
    band = f", {competency.band.label}" if competency.band else ""
    return f"{competency.label}: {whole(competency.score)} out of 100{band}."


def render_plain(debrief: Debrief, attempt_note: str = "") -> str:
    """The whole debrief as labelled lines of at most 78 characters.
    ``attempt_note`` (where the attempt is kept) closes it, if given."""
    card, feedback = debrief.scorecard, debrief.feedback
    lines = ["", "Debrief"]
    if card.ending is not None:
        lines += _wrap(f"Outcome: {outcome_label(card.ending.outcome)}. {card.ending.title}")
    else:
        lines += ["Outcome: not reached; the attempt stopped before an ending."]
    assessed = [c for c in card.competencies if c.assessed]
    if card.overall is None:
        lines += _wrap("Score: not given. No decision on this route offered a choice between stronger and "
                       "weaker options.")
    else:
        band = f", {card.overall_band.label}" if card.overall_band else ""
        lines += _wrap(f"Score: {whole(card.overall)} out of 100{band}, from "
                       f"{count(card.decision_count, 'decision')}.")
    ranked = _weakest_first(assessed)
    if ranked:
        lines += _wrap(f"Weakest competency: {_competency(ranked[0])}")
    lines += ["", "Competencies, weakest first:"]
    for competency in ranked:
        lines += _wrap(_competency(competency), "  ")
        qualities = [card.quality(q) for q in competency.qualities if card.quality(q).assessed]
        for quality in _weakest_first(qualities):
            lines += _wrap(_quality(quality), "    ")
    unmet = [q.label for q in card.qualities if not q.assessed]
    if unmet:
        lines += _wrap(f"Not assessed on this route: {', '.join(unmet)}.", "  ")
    lines += _key_moments(debrief)
    lines += ["", "Questions to reflect on:"]
    for place, question in enumerate(feedback.questions, start=1):
        lines += _wrap(f"{place}. {question}", "  ")
    lines += ["", f"Decisions: {card.decision_count}. Hints used: {card.hints_used}. Rewinds: {card.rewinds}."]
    if attempt_note:
        lines += _wrap(attempt_note)
    return "\n".join(lines) + "\n"


def _key_moments(debrief: Debrief) -> list[str]:
    moments = debrief.feedback.key_moments
    if not moments:
        return ["", "Key moments: at every decision you chose the strongest option on offer."]
    lines = ["", f"Key moments, {count(len(moments), 'moment')} where a stronger option was on offer:"]
    for place, moment in enumerate(moments, start=1):
        better = moment.better
        lines += [""]
        lines += _wrap(f"Moment {place}, decision {moment.number}. {moment.speaker}: “{shorten(moment.prompt, 120)}”",
                       "  ")
        if moment.own_words.strip():
            lines += _wrap(f"You said in your own words: “{moment.own_words}”", "  ")
        lines += _wrap(f"You chose: “{moment.said}”", "  ")
        lines += _wrap(f"Stronger: “{better.text}”", "  ")
        if better.feedback.strip():
            lines += _wrap(f"Why: {better.feedback}", "  ")
        if better.briefing:
            lines += _wrap(f"The briefing, {better.quality_label}: “{better.briefing}”", "  ")
    return lines
