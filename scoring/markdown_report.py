"""The debrief as Markdown, for a learner's own notes or a supervision file.

Scenario and learner text is escaped so that it reads literally: a pipe in a
choice cannot split a table cell, a line starting "#" cannot become a heading,
and the briefing's own "[WSP Escalation Policy](#)" stays words, not a link.
"""

from __future__ import annotations

import re

from scoring.debrief import Debrief
from scoring.display import count, one_line, shorten
from scoring.feedback import DecisionReview, EvidenceNote
from scoring.standing import ALL_BEST, RULE

# Punctuation that means something inline in CommonMark or GitHub tables.
# Backslash-escaping any ASCII punctuation is always allowed, so escaping
# more than strictly needed is safe.
_INLINE = re.compile(r"([\\`*_\[\]<>|#~])")
_ENTITY = re.compile(r"&(?=#?\w+;)")
# GitHub turns bare web addresses into links; a scenario's text should not
# hand the reader a clickable address.
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|mailto)(:)|\b(www)(\.)")
# What would start a list, heading, quote or rule if it began a line.
_LINE_START = re.compile(r"^(\d+)([.)])|^([-+=])")


def escape(text: str) -> str:
    """``text`` on one line, escaped to read literally anywhere in a line or
    table cell."""
    line = _ENTITY.sub(r"\\&", _INLINE.sub(r"\\\1", one_line(text)))
    line = _AUTOLINK.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"{m[3]}\\{m[4]}", line)
    return _LINE_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", line)


def _paragraphs(text: str) -> list[str]:
    return [escape(part) for part in re.split(r"\n\s*\n", text) if part.strip()]


def render_markdown(debrief: Debrief) -> str:
    """The whole debrief as one Markdown document."""
    lines: list[str] = []
    lines += _header(debrief)
    lines += _scores(debrief)
    lines += _strengths(debrief)
    lines += _key_moments(debrief)
    lines += _own_words(debrief)
    lines += _questions(debrief)
    lines += _every_decision(debrief)
    lines += _footer(debrief)
    return "\n".join(lines).rstrip() + "\n"


def _header(debrief: Debrief) -> list[str]:
    log, card = debrief.log, debrief.scorecard
    lines = [f"# Debrief: {escape(log.scenario_title)}", ""]
    about = [f"Scenario: {escape(log.scenario_id)}"]
    if log.learner.strip():
        about.append(f"Learner: {escape(log.learner)}")
    lines += [" · ".join(about), ""]
    # The ending gets a line of its own, apart from every number.
    lines += [f"**{escape(card.ending_line)}**", ""]
    if card.ending is not None:
        for paragraph in _paragraphs(card.ending.debrief):
            lines += [paragraph, ""]
    return lines


def _scores(debrief: Debrief) -> list[str]:
    card, ranked = debrief.scorecard, debrief.standing
    lines = ["## Scores", ""]
    if ranked.overall is None:
        lines += ["No decision on this route offered a choice between stronger and weaker options, "
                  "so nothing was scored.", ""]
    else:
        lines += [f"Overall: **{ranked.overall}** out of 100 — {escape(ranked.overall_band)}, "
                  f"from {count(card.decision_count, 'decision')}.", ""]
    if ranked.competencies:
        lines += ["Competencies, weakest first, each with its qualities:", "",
                  "| Competency and its qualities | Score | Band | Chances |", "|---|--:|---|--:|"]
        for competency in ranked.competencies:
            lines.append(f"| **{escape(competency.label)}** | **{competency.score}** | **{escape(competency.band)}** | "
                         f"{competency.chances} |")
            # A non-breaking indent folds a quality under its competency (a table cell drops plain spaces).
            lines += [f"| \u00a0\u00a0\u00a0{escape(quality.label)} | {quality.score} | {escape(quality.band)} | "
                      f"{quality.chances} |" for quality in competency.qualities]
        lines.append("")
    if ranked.not_assessed:
        lines += [f"Not assessed on this route: {escape(', '.join(ranked.not_assessed))}.", ""]
    return lines


def _strengths(debrief: Debrief) -> list[str]:
    feedback, catalogue = debrief.feedback, debrief.catalogue
    rows = {row.id: row for competency in debrief.standing.competencies for row in competency.qualities}
    lines: list[str] = []
    if feedback.strengths:
        lines += ["## Strengths", ""]
        for quality in feedback.strengths:
            definition = escape(catalogue.qualities[quality.id].definition)
            lines.append(f"- **{escape(quality.label)}** — {escape(rows[quality.id].standing)}. {definition}".rstrip())
        lines.append("")
    if feedback.work_ons:
        lines += ["## Things to work on", ""]
        for quality in feedback.work_ons:
            lines.append(f"- **{escape(quality.label)}** — {escape(rows[quality.id].standing)}.")
            example = feedback.examples.get(quality.id)
            if example is not None:
                where = f"at decision {example.decision}" if example.from_case else "for example"
                lines.append(f"  - What good looks like, {where}: “{escape(example.words)}”")
                lines += [f"  - It rests on: {escape(fact.line())}" for fact in example.rests_on]
        lines.append("")
    return lines


def _key_moments(debrief: Debrief) -> list[str]:
    moments = debrief.feedback.key_moments
    if not moments:
        return ["## Key moments", "", ALL_BEST, ""]
    lines = ["## Key moments", "", f"The {count(len(moments), 'decision')} where you did not choose an option "
             "best on offer, the largest gap first.", ""]
    for place, moment in enumerate(moments, start=1):
        better = moment.better
        lines += [f"### {place}. Decision {moment.number}: {escape(moment.speaker)} — “{escape(shorten(moment.prompt, 80))}”", ""]
        lines += _said_and_chose(moment)
        if moment.feedback.strip():
            lines.append(f"  - {escape(moment.feedback)}")
        lines.append(f"- **Best on offer:** “{escape(better.text)}”")
        lines += [f"  - It rests on: {escape(fact.line())}" for fact in better.rests_on]
        if better.feedback.strip():
            lines.append(f"  - {escape(better.feedback)}")
        if better.briefing:
            lines.append(f"- **The briefing, on {escape(better.quality_label)}:** “{escape(better.briefing)}”")
        lines.append("")
    return lines


def _said_and_chose(review: DecisionReview) -> list[str]:
    """"You said …" for an option chosen; "you said … / you chose …" where
    the learner typed their own words first."""
    if not review.own_words.strip():
        return [f"- **You said:** “{escape(review.said)}”"]
    return [f"- **You said:** “{escape(review.own_words)}”", f"- **You chose:** “{escape(review.said)}”"]


def _own_words(debrief: Debrief) -> list[str]:
    from scoring.own_words import read_own_words

    typed = [review for review in debrief.feedback.reviews if review.own_words.strip()]
    if not typed:
        return []
    lines = ["## In your own words", ""]
    for review in typed:
        lines += [f"### Decision {review.number}: {escape(review.speaker)} — “{escape(shorten(review.prompt, 80))}”", ""]
        lines += _said_and_chose(review)
        reading = read_own_words(review.own_words)
        if reading is not None and reading.line:
            lines.append(f"- {escape(reading.line)}")
        lines.append("")
    return lines


def _questions(debrief: Debrief) -> list[str]:
    lines = ["## Questions to reflect on", ""]
    lines += [f"{place}. {escape(question)}" for place, question in enumerate(debrief.feedback.questions, start=1)]
    return lines + [""]


def _every_decision(debrief: Debrief) -> list[str]:
    reviews = debrief.feedback.reviews
    if not reviews:
        return []
    lines = [
        "## Every decision",
        "",
        "| # | Who spoke | You said | Evidence | Best on offer? |",
        "|--:|---|---|---|---|",
    ]
    for review in reviews:
        said = escape(review.said)
        if review.own_words.strip():
            said = f"you said “{escape(review.own_words)}” / you chose “{said}”"
        lines.append(
            f"| {review.number} | {escape(review.speaker)} | {said} | "
            f"{_evidence(review.evidence)} | {_verdict(review)} |"
        )
    return lines + [""]


def _evidence(notes: tuple[EvidenceNote, ...]) -> str:
    return ", ".join(f"{escape(note.label)} {note.points:+d}" for note in notes) or "—"


def _verdict(review: DecisionReview) -> str:
    verdict = "Yes" if review.best_available else "No"
    return f"{verdict} (hint used)" if review.hint_used else verdict


def _footer(debrief: Debrief) -> list[str]:
    card = debrief.scorecard
    return [
        "---",
        "",
        f"Decisions: {card.decision_count} · Hints used: {card.hints_used} · Rewinds: {card.rewinds}",
        "",
        escape(RULE),
    ]
