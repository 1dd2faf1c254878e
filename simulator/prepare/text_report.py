"""Plain-text reports for ``rehearse prepare check`` and ``rehearse prepare
rehearse``, before the guided screen exists.

Plan text is data: every line here goes through ``inert``, so an escape
sequence pasted into a plan is shown, not obeyed, in the terminal. (A Textual
screen that shows these strings must also escape Rich markup.)
"""

from __future__ import annotations

from datetime import date

from simulator.model.text import inert
from simulator.prepare.gaps import Gap
from simulator.prepare.identifiers import identifier_sentence, scan_plan
from simulator.prepare.plan import Plan
from simulator.prepare.pushbacks import LikelyPushback

_ELEMENT_WORDS = {
    "concern": "your concern", "impact": "the impact on the person", "evidence": "a specific fact",
    "ask": "a specific ask", "timescale": "a time for it", "inquiry": "an open question",
    "escalation": "the next stage",
}


def identifier_notice(plan: Plan, today: date | None = None) -> str:
    """A one-line warning to head any screen or report that shows the plan,
    naming each identifier's kind and field (never its value), or ''."""
    sentence = identifier_sentence(scan_plan(plan, today))
    return inert(f"Warning: {sentence}") if sentence else ""


def gaps_text(gaps: list[Gap]) -> str:
    """What the plan still lacks, each with the briefing line it rests on."""
    if not gaps:
        return "Nothing missing: every part of the plan is filled in."
    lines = [f"Still to do ({len(gaps)}):"]
    for gap in gaps:
        lines += [f"  {gap.field}: {gap.message}", f"      {gap.suggestion}",
                  f"      Briefing ({gap.quality_label}): \u201c{gap.briefing}\u201d"]
    return inert("\n".join(lines))


def rehearsal_text(likely: list[LikelyPushback]) -> str:
    """The pushbacks to practise, most likely first: what they will say, why it
    was picked, what a reply stands on, and what a strong reply carries."""
    lines: list[str] = []
    for number, item in enumerate(likely, start=1):
        pushback = item.pushback
        lines += [f"{number}. \u201c{pushback.says}\u201d", f"   Why this one: {'; '.join(item.reasons)}."]
        for ground in pushback.grounding:
            lines.append(f"   Stand on: {ground.source}, {ground.where}. {ground.point}")
        elements = ", ".join(_ELEMENT_WORDS[e] for e in pushback.strong_reply.elements)
        lines += [f"   A strong reply: {pushback.strong_reply.contains}", f"   It carries: {elements}."]
        for field, words in item.material:
            lines.append(f"   From your plan ({field.replace('_', ' ')}): {words}")
        lines += [f"   Avoid: {pushback.weak_reply}", ""]
    return inert("\n".join(lines).rstrip())
