"""The pushback bank and the choice of what a practitioner is likely to meet.

The bank (``pushbacks.yaml``) is data: each pushback says what the other
professional is likely to say, the instrument and section a reply can stand
on, what a strong reply carries (in the free-text analyser's elements) and
which plan fields it draws on, and the plausible weak reply.

``likely_pushbacks`` ranks the bank for one plan, and says why each was picked,
so the practitioner can see the reasoning: the plan's area, whether it is about
a child or an adult, words in the plan that make a pushback likely, and the
plan's own gaps where a pushback would find them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources

import yaml

from simulator.prepare.plan import ABOUT, AREAS, Plan

ELEMENTS = ("concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation")
PLAN_FIELDS = ("decision", "concern", "impact", "facts", "their_words", "grounds", "ask", "safety", "told",
               "fallback", "record")
_FIELD_WORDS = {
    "decision": "the decision", "concern": "your concern", "impact": "the impact", "facts": "dated facts",
    "their_words": "the person's own words", "grounds": "the threshold or policy line", "ask": "your ask",
    "safety": "what keeps them safe meanwhile", "told": "who you have told", "fallback": "your fallback",
    "record": "your record",
}

_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Grounding:
    source: str  # the instrument, e.g. "Care Act 2014"
    where: str  # the section, chapter or paragraph
    point: str  # what it says that a reply can use

    @property
    def cited(self) -> str:
        """'Care Act 2014, section 42(2).' as a sentence (no second stop after a heading's '…')."""
        return f"{self.source}, {self.where}" + ("" if self.where.endswith(("…", ".", "?", "!")) else ".")


@dataclass(frozen=True)
class StrongReply:
    elements: tuple[str, ...]
    draws_on: tuple[str, ...]
    contains: str


@dataclass(frozen=True)
class Pushback:
    id: str
    says: str
    areas: tuple[str, ...]
    about: tuple[str, ...]
    cues: tuple[str, ...]
    grounding: tuple[Grounding, ...]
    strong_reply: StrongReply
    weak_reply: str


@dataclass(frozen=True)
class LikelyPushback:
    pushback: Pushback
    score: int
    reasons: tuple[str, ...]  # why it was picked, in the practitioner's terms
    # The plan's own material for a strong reply, by field: what to draw on.
    material: tuple[tuple[str, str], ...]
    missing: tuple[str, ...]  # fields a strong reply needs that the plan lacks


class PushbackBankError(ValueError):
    """The bank file breaks its own rules (a shipped-data defect, caught by the tests)."""


def _read_bank_text() -> str:
    return resources.files("simulator.prepare").joinpath("pushbacks.yaml").read_text("utf-8")


@lru_cache(maxsize=1)
def load_pushbacks() -> tuple[Pushback, ...]:
    """The shipped bank, checked and read once per process."""
    return parse_pushbacks(_read_bank_text())


def parse_pushbacks(text: str) -> tuple[Pushback, ...]:
    """Read a bank; ``PushbackBankError`` names the entry and rule it breaks."""
    raw = yaml.load(text, Loader=_SafeLoader)
    entries = raw.get("pushbacks") if isinstance(raw, dict) else None
    if not isinstance(entries, list):
        raise PushbackBankError("the bank must have a 'pushbacks:' list")
    bank: list[Pushback] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        name = entry.get("id", f"entry {number}") if isinstance(entry, dict) else f"entry {number}"
        try:
            pushback = _pushback(entry)
        except (KeyError, TypeError, AttributeError) as exc:
            raise PushbackBankError(f"pushback '{name}': missing or malformed {exc}") from None
        problems = _problems(pushback, seen)
        if problems:
            raise PushbackBankError(f"pushback '{name}': " + "; ".join(problems))
        seen.add(pushback.id)
        bank.append(pushback)
    return tuple(bank)


# Instruments that apply to one kind of case only: an adult's plan is not answered
# with Working Together, nor a child's with the Care Act.
ONLY_FOR = {
    "Working Together to Safeguard Children 2023": "child",
    "Children Act 1989": "child",
    "Children Act 2004": "child",
    "Keeping children safe in education (2024)": "child",
    "NICE guideline CG89, Child maltreatment: when to suspect maltreatment in under 18s": "child",
    "Child Safeguarding Practice Review Panel, Bruising in non-mobile infants (2022)": "child",
    "Care Act 2014": "adult",
    "Care and Support Statutory Guidance": "adult",
}


def grounding_for(pushback: Pushback, about: str) -> tuple[Grounding, ...]:
    """The pushback's grounding that applies to a plan about a child or an adult."""
    return tuple(g for g in pushback.grounding if ONLY_FOR.get(g.source, about) == about)


def _pushback(entry: dict) -> Pushback:
    reply = entry["strong_reply"]
    return Pushback(
        id=entry["id"],
        says=entry["says"],
        areas=tuple(entry["areas"]),
        about=tuple(entry["about"]),
        cues=tuple(str(cue).lower() for cue in entry.get("cues", ())),
        grounding=tuple(Grounding(g["source"], g["where"], g["point"]) for g in entry["grounding"]),
        strong_reply=StrongReply(tuple(reply["elements"]), tuple(reply["draws_on"]), reply["contains"]),
        weak_reply=entry["weak_reply"],
    )


def _problems(p: Pushback, seen: set[str]) -> list[str]:
    problems = []
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p.id):
        problems.append("id must be lower-case words and hyphens")
    if p.id in seen:
        problems.append("id is used twice")
    if not p.areas or set(p.areas) - set(AREAS):
        problems.append(f"areas must be among {', '.join(AREAS)}")
    if not p.about or set(p.about) - set(ABOUT):
        problems.append("about must be child and/or adult")
    if not p.grounding or any(not (g.source and g.where and g.point) for g in p.grounding):
        problems.append("every grounding needs a source, where and point")
    elif any(not grounding_for(p, about) for about in p.about):
        problems.append("a grounding that applies is needed for each of about (the Care Act is for adults, "
                        "Working Together for children)")
    if not p.strong_reply.elements or set(p.strong_reply.elements) - set(ELEMENTS):
        problems.append(f"strong_reply elements must be among {', '.join(ELEMENTS)}")
    if not p.strong_reply.draws_on or set(p.strong_reply.draws_on) - set(PLAN_FIELDS):
        problems.append(f"strong_reply draws_on must be plan fields: {', '.join(PLAN_FIELDS)}")
    if not (p.says and p.strong_reply.contains and p.weak_reply):
        problems.append("says, contains and weak_reply must not be empty")
    return problems


# -- choosing for a plan -----------------------------------------------------------

def _plan_material(plan: Plan) -> dict[str, str]:
    """Each plan field as one line of the practitioner's own words ('' if empty)."""
    facts = "; ".join(f"{f.date}: {f.fact}" if f.date else f.fact for f in plan.facts)
    return {
        "decision": plan.decision.what,
        "concern": plan.concern,
        "impact": plan.impact,
        "facts": facts,
        "their_words": "; ".join(f"\u201c{w.words}\u201d" for w in plan.their_words),
        "grounds": "; ".join(f"{g.document}: {g.says}" if g.document else g.says for g in plan.grounds),
        "ask": " by ".join(filter(None, (plan.ask.what, plan.ask.by))),
        "safety": plan.safety,
        "told": "; ".join(t.who for t in plan.told),
        "fallback": f"stage {plan.fallback.stage}" if plan.fallback.stage else "",
        "record": " in ".join(filter(None, (plan.record.what, plan.record.where))),
    }


def _cue_hits(cues: tuple[str, ...], text: str) -> list[str]:
    return [cue for cue in cues if re.search(r"(?<![a-z])" + re.escape(cue) + r"(?![a-z])", text)]


def likely_pushbacks(plan: Plan, bank: tuple[Pushback, ...] | None = None, limit: int = 8) -> list[LikelyPushback]:
    """The pushbacks this plan is most likely to meet, most likely first.

    Only pushbacks for the plan's person (child or adult) are considered. A
    pushback scores 3 for the plan's own area, 2 for each cue word found in the
    plan (up to 3 cues), and 1 for each field its strong reply needs that the
    plan lacks, because that is where the plan would be found out. Ties keep
    the bank's order, so the result is stable."""
    bank = load_pushbacks() if bank is None else bank
    material = _plan_material(plan)
    text = " ".join([plan.title, *material.values()]).lower()
    ranked: list[tuple[int, int, LikelyPushback]] = []
    for order, pushback in enumerate(bank):
        if plan.about not in pushback.about:
            continue
        score, reasons = 0, []
        if plan.area in pushback.areas:
            score += 3
            reasons.append(f"it often comes up in {plan.area_label.lower()}")
        hits = _cue_hits(pushback.cues, text)[:3]
        if hits:
            score += 2 * len(hits)
            reasons.append("your plan mentions " + ", ".join(f"\u2018{hit}\u2019" for hit in hits))
        missing = tuple(f for f in pushback.strong_reply.draws_on if not material.get(f))
        if missing:
            score += len(missing)
            reasons.append("a strong reply needs " + ", ".join(_FIELD_WORDS[f] for f in missing)
                           + ", which your plan does not have yet")
        if score == 0:
            continue
        use = tuple((f, material[f]) for f in pushback.strong_reply.draws_on if material.get(f))
        shown = replace(pushback, grounding=grounding_for(pushback, plan.about))
        ranked.append((-score, order, LikelyPushback(shown, score, tuple(reasons), use, missing)))
    ranked.sort(key=lambda item: (item[0], item[1]))
    return [item[2] for item in ranked[:limit]]
