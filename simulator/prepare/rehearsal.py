"""Rehearsing a plan: the practitioner's typed reply to each likely pushback,
read by the free-text analyser, and a debrief that lists the plan's own gaps.

Used by ``rehearse prepare rehearse`` (line by line) and the app's rehearsal
screen alike, so both say the same thing. The analyser reads the reply against
a case file built from the plan's dated facts, so a reply that cites a fact
with the wrong date is caught as it would be in a scenario. Feedback quotes the
practitioner's own words; every string returned is plain text with control
characters shown as symbols (``visible``), never markup: a screen that parses
Rich markup must still escape it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from scoring.display import shorten, visible
from scoring.free_text import Analysis, analyse
from simulator.prepare.drafts import opening_statement
from simulator.prepare.gaps import Gap, find_gaps
from simulator.prepare.plan import Plan
from simulator.prepare.profile import LocalProfile
from simulator.prepare.pushbacks import LikelyPushback

ELEMENT_WORDS = {
    "concern": "your concern", "impact": "the impact on the person", "evidence": "a specific, dated fact",
    "ask": "a specific ask", "timescale": "a time for it", "inquiry": "an open question",
    "escalation": "the next stage if you cannot agree",
}
WARNING_WORDS = {"blame": "blame", "capitulation": "giving way"}


def case_file(plan: Plan) -> dict[str, dict[str, str]]:
    """The plan's facts in the shape the analyser checks citations against."""
    return {f"fact-{number}": {"title": fact.fact[:60], "date": fact.date, "source": fact.source,
                               "text": fact.fact}
            for number, fact in enumerate(plan.facts, start=1)}


@dataclass(frozen=True)
class ReplyFeedback:
    pushback_id: str
    says: str
    reply: str
    needed: tuple[str, ...]  # the elements a strong reply carries
    carried: tuple[str, ...]  # of those, the ones found in the reply
    lines: tuple[str, ...]  # what to show, quoting the reply

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(e for e in self.needed if e not in self.carried)


def _quoted(analysis: Analysis, element: str) -> str:
    return ", ".join(f"\u201c{shorten(analysis.words(f), 60)}\u201d" for f in analysis.findings[element][:2])


def reply_feedback(item: LikelyPushback, reply: str, plan: Plan) -> ReplyFeedback:
    """What the reply to one pushback carried, in the practitioner's words,
    and what a strong reply here would add."""
    pushback = item.pushback
    needed = pushback.strong_reply.elements
    if not reply.strip():
        lines = ("You did not reply. A strong reply: " + pushback.strong_reply.contains,)
        return ReplyFeedback(pushback.id, pushback.says, "", needed, (), tuple(visible(x) for x in lines))
    analysis = analyse(reply, case_file(plan))
    carried = tuple(e for e in needed if analysis.elements.get(e))
    lines: list[str] = []
    for element in needed:
        if element in carried:
            lines.append(f"\u2713 {ELEMENT_WORDS[element]}: {_quoted(analysis, element)}")
    for element in needed:
        if element not in carried:
            lines.append(f"\u2717 missing: {ELEMENT_WORDS[element]}" + _from_plan(item, element))
    for element, words in WARNING_WORDS.items():
        if analysis.elements.get(element):
            lines.append(f"! {words}: {_quoted(analysis, element)}")
    if not analysis.respectful:
        lines.append("! it may not come across as respectful; keep the challenge about the decision, not the person")
    lines += [f"  {line}" for line in analysis.feedback[:2]]
    lines.append("A strong reply: " + pushback.strong_reply.contains)
    return ReplyFeedback(pushback.id, pushback.says, analysis.text, needed, carried,
                         tuple(visible(line) for line in lines))


def _from_plan(item: LikelyPushback, element: str) -> str:
    """Where the plan already holds what the reply lacked, say so."""
    field = {"evidence": "facts", "ask": "ask", "timescale": "ask", "concern": "concern", "impact": "impact",
             "escalation": "fallback"}.get(element)
    material = dict(item.material)
    if field and material.get(field):
        return f" (your plan has it: {shorten(material[field], 70)})"
    return ""


def opening_check(plan: Plan, profile: LocalProfile) -> list[str]:
    """The drafted opening statement, read by the analyser: which of the
    briefing's elements it carries, so the practitioner knows before editing it."""
    draft = opening_statement(plan, profile)
    # A paragraph at a time: the analyser reads a reply's length (1,500 characters),
    # and a whole opening is longer, so its closing step would go unread.
    facts = case_file(plan)
    carried = {e for paragraph in draft.paragraphs for e, present in analyse(paragraph, facts).elements.items()
               if present}
    found = [ELEMENT_WORDS[e] for e in ELEMENT_WORDS if e in carried]
    missing = [ELEMENT_WORDS[e] for e in ELEMENT_WORDS if e not in carried]
    lines = [f"The analyser finds in your drafted opening: {', '.join(found) or 'none of the elements'}."]
    if missing:
        lines.append(f"It does not find: {', '.join(missing)}.")
    return [visible(line) for line in lines]


@dataclass(frozen=True)
class Debrief:
    replies: tuple[ReplyFeedback, ...]
    gaps: tuple[Gap, ...]

    def lines(self) -> list[str]:
        out = ["Debrief", ""]
        answered = [r for r in self.replies if r.reply]
        if not self.replies:
            out.append("No pushback was played.")
        for number, reply in enumerate(self.replies, start=1):
            out.append(f"{number}. \u201c{reply.says}\u201d")
            if reply.reply:
                out.append(f"   You said: \u201c{shorten(reply.reply, 160)}\u201d")
                out.append(f"   Carried {len(reply.carried)} of {len(reply.needed)}: "
                           + (", ".join(ELEMENT_WORDS[e] for e in reply.carried) or "none"))
                if reply.missing:
                    out.append("   Next time add: " + ", ".join(ELEMENT_WORDS[e] for e in reply.missing))
            else:
                out.append("   Not answered.")
        if answered:
            totals = {e: 0 for e in ELEMENT_WORDS}
            for reply in answered:
                for element in reply.missing:
                    totals[element] += 1
            often = [ELEMENT_WORDS[e] for e, n in sorted(totals.items(), key=lambda kv: -kv[1]) if n >= 2]
            if often:
                out += ["", "Missing more than once: " + ", ".join(often) + "."]
        out += ["", "Your plan's own gaps:" if self.gaps else "Your plan has no gaps left."]
        for gap in self.gaps:
            out.append(f"  \u2022 {gap.field}: {gap.message}. {gap.suggestion}")
        return [visible(line) for line in out]


def debrief(replies: list[ReplyFeedback], plan: Plan, profile: LocalProfile,
            today: date | None = None) -> Debrief:
    return Debrief(tuple(replies), tuple(find_gaps(plan, profile, today)))
