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
from scoring.standing import ALL_BEST, ONE_CHANCE, RULE, Row

WIDTH = 78


def _wrap(text: str, indent: str = "") -> list[str]:
    return textwrap.wrap(one_line(text), WIDTH, initial_indent=indent, subsequent_indent=indent) or [indent.rstrip()]


def _competency(row: Row) -> str:
    band = ONE_CHANCE if row.one_chance else f"{row.band}, {count(row.chances, 'chance')}"
    return f"{row.label}: {row.score} out of 100, {band}."


def _quality(row: Row) -> str:
    if row.one_chance:
        # One decision is one chance, not a skill: no band is given for it.
        shown = "taken" if row.score >= 100 else "missed" if row.score <= 0 else f"partly taken, {row.score}"
        return f"{row.label}: {ONE_CHANCE}, {shown}."
    return f"{row.label}: {row.score}, {row.band}, {count(row.chances, 'chance')}."


def render_plain(debrief: Debrief, attempt_note: str = "") -> str:
    """The whole debrief as labelled lines of at most 78 characters.
    ``attempt_note`` (where the attempt is kept) closes it, if given."""
    card, feedback = debrief.scorecard, debrief.feedback
    lines = ["", "Debrief"]
    if card.ending is not None:
        lines += _wrap(f"Outcome: {outcome_label(card.ending.outcome)}. {card.ending.title}")
    else:
        lines += ["Outcome: not reached; the attempt stopped before an ending."]
    ranked = debrief.standing
    if ranked.overall is None:
        lines += _wrap("Score: not given. No decision on this route offered a choice between stronger and "
                       "weaker options.")
    else:
        lines += _wrap(f"Score: {ranked.overall} out of 100, {ranked.overall_band}, from "
                       f"{count(card.decision_count, 'decision')}.")
    if ranked.weakest is not None:
        lines += _wrap(f"Weakest competency: {_competency(ranked.weakest)}")
    lines += ["", "Competencies, weakest first, each with its qualities:"]
    for competency in ranked.competencies:
        lines += _wrap(_competency(competency), "  ")
        for quality in competency.qualities:
            lines += _wrap(_quality(quality), "    ")
    if ranked.not_assessed:
        lines += _wrap(f"Not assessed on this route: {', '.join(ranked.not_assessed)}.", "  ")
    lines += _work_ons(debrief)
    lines += _key_moments(debrief)
    lines += ["", "Questions to reflect on:"]
    for place, question in enumerate(feedback.questions, start=1):
        lines += _wrap(f"{place}. {question}", "  ")
    lines += ["", f"Decisions: {card.decision_count}. Hints used: {card.hints_used}. Rewinds: {card.rewinds}."]
    lines += _wrap(RULE)
    if attempt_note:
        lines += _wrap(attempt_note)
    return "\n".join(lines) + "\n"


def _key_moments(debrief: Debrief) -> list[str]:
    moments = debrief.feedback.key_moments
    if not moments:
        return ["", f"Key moments: none. {ALL_BEST}"]
    lines = ["", f"Key moments, {count(len(moments), 'decision')} where you did not choose an option best on offer:"]
    for place, moment in enumerate(moments, start=1):
        better = moment.better
        lines += [""]
        lines += _wrap(f"Moment {place}, decision {moment.number}. {moment.speaker}: “{shorten(moment.prompt, 120)}”",
                       "  ")
        if moment.own_words.strip():
            lines += _wrap(f"You said in your own words: “{moment.own_words}”", "  ")
        lines += _wrap(f"You chose: “{moment.said}”", "  ")
        lines += _wrap(f"Best on offer: “{better.text}”", "  ")
        for fact in better.rests_on:
            lines += _wrap(f"It rests on: {fact.line()}", "  ")
        if better.feedback.strip():
            lines += _wrap(f"Why: {better.feedback}", "  ")
        if better.briefing:
            lines += _wrap(f"The briefing, on {better.quality_label}: “{better.briefing}”", "  ")
    return lines


def _work_ons(debrief: Debrief) -> list[str]:
    feedback = debrief.feedback
    if not feedback.work_ons:
        return []
    lines = ["", "To work on:"]
    for quality in feedback.work_ons:
        lines += _wrap(f"{quality.label}.", "  ")
        example = feedback.examples.get(quality.id)
        if example is None:
            continue
        where = f"at decision {example.decision}" if example.from_case else "for example"
        lines += _wrap(f"What good looks like, {where}: “{example.words}”", "    ")
        for fact in example.rests_on:
            lines += _wrap(f"It rests on: {fact.line()}", "    ")
    return lines
