"""The guided plan: the app's questions, one field at a time, and the plan
file the answers make.

The screen keeps the answers as plain strings by key (``decision.what``,
``facts``), saved as they are typed; ``plan_text`` turns them into the same
YAML a practitioner would write by hand, so the app's plan is read, checked,
rendered and rehearsed by exactly the code the commands use. List fields
(facts, their words, grounds, who you have told) are typed one item a line,
parts separated by ``|``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import yaml

from simulator.model.diagnostics import Diagnostic
from simulator.prepare.identifiers import KINDS, find_identifiers
from simulator.prepare.loader import read_plan
from simulator.prepare.plan import ABOUT, AREA_LABELS, AREAS, Plan
from simulator.prepare.profile import LocalProfile


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    prompt: str
    hint: str = ""
    kind: str = "line"  # line, lines (one item a line) or choice
    parts: tuple[str, ...] = ()  # for lines: the YAML keys of the parts, in order


STEPS: tuple[Step, ...] = (
    Step("about", "Who it is about", "Is this about a child or an adult at risk?", kind="choice"),
    Step("area", "Where it arises", "Where does the disagreement arise?", kind="choice"),
    Step("title", "A label", "A label for this plan, without names.", "e.g. Year 9 pupil: CAMHS decline"),
    Step("meeting.with", "The meeting", "Who will you be speaking to? (their role and agency)",
         "e.g. CAMHS duty clinician"),
    Step("meeting.when", "The meeting", "When is the conversation?", "e.g. 2026-12-08 10:00"),
    Step("decision.what", "The decision", "What was decided that you disagree with?",
         "e.g. CAMHS declined the referral and signposted to school counselling"),
    Step("decision.who", "The decision", "Who made it? (role and agency, not a name)", "e.g. CAMHS duty clinician"),
    Step("decision.when", "The decision", "When was it made?", "e.g. 2026-11-27"),
    Step("concern", "My concern", "Your concern, in one or two sentences.",
         "What worries you about the decision; they should be able to repeat it back."),
    Step("impact", "The impact", "What does the decision mean for the child or adult, in one or two sentences?"),
    Step("facts", "Dated facts", "Dated facts with their source, one a line:  date | what happened | source",
         "e.g. 2026-11-19 | Fresh cuts to the forearm, third time this month | school nurse record",
         "lines", ("date", "fact", "source")),
    Step("their_words", "Their own words", "The child's or adult's own words, one a line:  words | when | to whom",
         "e.g. Nobody listens unless you end up in hospital | 2026-11-24 | to the school nurse",
         "lines", ("words", "date", "context")),
    Step("grounds", "What it rests on", "The threshold, criteria or policy line, one a line:  document | what it says",
         "e.g. Continuum of Need | Level 3: self-harm that is escalating in frequency", "lines",
         ("document", "says")),
    Step("ask.what", "My ask", "What are you asking them to do?",
         "e.g. Review the decline with the new information and offer an assessment"),
    Step("ask.by", "My ask", "By when do you need an answer?", "e.g. 2026-12-10"),
    Step("safety", "Safety meanwhile", "What keeps them safe until this is settled?",
         "A safety plan, who checks in, what happens if it gets worse. Immediate risk: 999 or the front door now."),
    Step("told", "Who I have told", "Who have you told? One a line:  who | when | what they advised",
         "e.g. My line manager | 2026-11-28 | agreed I should challenge, and escalate if declined", "lines",
         ("who", "when", "said")),
    Step("fallback.stage", "My fallback", "If the conversation does not settle it, the next stage is:", kind="choice"),
    Step("fallback.with", "My fallback", "With whom? (leave empty to use your local profile's stage)"),
    Step("fallback.by", "My fallback", "By when? (leave empty and it is worked out from your ask's date)"),
    Step("record.what", "My record", "What will you record afterwards?",
         "e.g. Who, what was disagreed, what was agreed, the reasons and the review date"),
    Step("record.where", "My record", "Where will you record it?", "e.g. the school's safeguarding system"),
)
STEP_KEYS = tuple(step.key for step in STEPS)


def choices(step: Step, profile: LocalProfile) -> list[tuple[str, str]]:
    """(value, label) for a choice step."""
    if step.key == "about":
        return [(value, f"{'A child' if value == 'child' else 'An adult'}") for value in ABOUT]
    if step.key == "area":
        return [(value, AREA_LABELS[value]) for value in AREAS]
    if step.key == "fallback.stage":
        return [(str(s.number), f"Stage {s.number}: {s.who} ({s.working_days} working days)")
                for s in profile.stages[1:]] or [("1", profile.stages[0].who)]
    return []


def _items(text: str, parts: tuple[str, ...]) -> list[dict[str, str]]:
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        pieces = [piece.strip() for piece in line.split("|", len(parts) - 1)]
        # One piece only: it is the main part (the fact, the words, what it says, who).
        main = {"date": 1, "words": 0, "document": 1, "who": 0}[parts[0]]
        if len(pieces) == 1:
            item = {parts[main]: pieces[0]}
        else:
            item = dict(zip(parts, pieces))
        items.append({key: value for key, value in item.items() if value})
    return items


def plan_data(answers: dict[str, str]) -> dict:
    """The answers as the plan file's mapping (empty answers left out)."""
    data: dict = {"format": 1, "about": answers.get("about") or "child",
                  "area": answers.get("area") or AREAS[0]}
    for step in STEPS:
        if step.kind == "choice" and step.key in ("about", "area"):
            continue
        value = (answers.get(step.key) or "").strip()
        if not value:
            continue
        if step.kind == "lines":
            items = _items(value, step.parts)
            if items:
                data[step.key] = items
            continue
        section, _, key = step.key.partition(".")
        if key:
            data.setdefault(section, {})[key] = int(value) if step.key == "fallback.stage" and value.isdigit() else value
        else:
            data[section] = value
    data.setdefault("decision", {}).setdefault("what", "")
    data.setdefault("concern", "")
    return data


def plan_text(answers: dict[str, str]) -> str:
    return yaml.safe_dump(plan_data(answers), sort_keys=False, allow_unicode=True, width=100)


def plan_of(answers: dict[str, str], source: str = "the plan in the app",
            today: date | None = None) -> tuple[Plan | None, list[Diagnostic]]:
    return read_plan(plan_text(answers), source, today)


def answers_of(data: dict) -> dict[str, str]:
    """A plan file's mapping as the guided screen's answers (what ``plan_data``
    makes, read back): keys the screen does not ask about are left out."""
    answers: dict[str, str] = {}
    for step in STEPS:
        section, _, key = step.key.partition(".")
        value = data.get(section)
        if key:
            value = value.get(key) if isinstance(value, dict) else None
        if step.kind == "lines" and isinstance(value, list):
            value = "\n".join(" | ".join(str(item.get(part, "")) for part in step.parts)
                              for item in value if isinstance(item, dict) and any(item.get(p) for p in step.parts))
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            answers[step.key] = str(value).strip()
    return answers


def example_answers() -> dict[str, str]:
    """The worked, fictional example (``rehearse prepare new --example``) as answers."""
    from simulator.prepare.starter import starter_text

    return answers_of(yaml.safe_load(starter_text("the example", example=True)))


def field_warnings(text: str, today: date | None = None) -> list[str]:
    """Identifiers in one field as it is typed, located by line and column
    within the field, and never quoted."""
    return [f"Line {f.line}, column {f.column}: this looks like {KINDS[f.kind]}. "
            "Use initials, an age or a role instead." for f in find_identifiers(text, today)]
