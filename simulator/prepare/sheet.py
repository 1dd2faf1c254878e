"""What the printed plan says, in order, before any format is chosen.

The HTML and Markdown renderers lay out the same ``PlanSheet``, so the page a
practitioner prints and the Markdown they keep never disagree. Texts here are
still raw plan text: each renderer escapes them for its own syntax.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.prepare.escalation import NextStep, next_step, short_date, shown_date
from simulator.prepare.gaps import Gap, find_gaps
from simulator.prepare.identifiers import FieldFinding, identifier_sentence, scan_plan
from simulator.prepare.plan import Plan
from simulator.prepare.profile import LocalProfile

PRIVACY = ("Sensitive: about a real person. Initials only. Keep it on this machine or in the case record, "
           "never in a shared folder; shred the printout when the disagreement is settled and recorded.")


@dataclass(frozen=True)
class Entry:
    label: str  # may be empty
    text: str
    note: str = ""  # e.g. a fact's source, shown smaller


@dataclass(frozen=True)
class Section:
    key: str  # the plan key, for a screen to jump to
    heading: str
    entries: tuple[Entry, ...]
    missing: str  # shown when there are no entries: what to fill in

    @property
    def empty(self) -> bool:
        return not self.entries


@dataclass(frozen=True)
class PlanSheet:
    title: str
    about: str
    area: str
    role: str
    meeting: str
    sections: tuple[Section, ...]
    next_step: NextStep
    immediate_risk: str
    identifiers: tuple[FieldFinding, ...]
    gaps: tuple[Gap, ...]
    profile_note: str


def _entries(*pairs: tuple[str, str]) -> tuple[Entry, ...]:
    return tuple(Entry(label, text) for label, text in pairs if text)


def build_sheet(plan: Plan, profile: LocalProfile, today: date | None = None) -> PlanSheet:
    """The plan as the sections of its printed page."""
    person = plan.person
    meeting = ", ".join(filter(None, (plan.meeting.with_, shown_date(plan.meeting.when) if plan.meeting.when else "",
                                      plan.meeting.how)))
    step = next_step(plan, profile)
    fallback_entries: list[Entry] = []
    if step.known:
        fallback_entries.append(Entry(f"Stage {step.stage.number}", step.with_, step.stage.how))
        if step.by:
            fallback_entries.append(Entry("By", step.by, f"worked out: {step.by_reason}" if step.by_reason else ""))
    sections = (
        Section("decision", "The decision I disagree with", _entries(
            ("", plan.decision.what), ("Made by", plan.decision.who),
            ("When", shown_date(plan.decision.when) if plan.decision.when else "")),
            "what was decided, by whom and when"),
        Section("concern", f"My concern and the impact on {person}", _entries(
            ("Concern", plan.concern), ("Impact", plan.impact)), "the concern and its impact, in one or two sentences"),
        Section("facts", "Dated facts", tuple(
            Entry(short_date(f.date) if f.date else "undated", f.fact, f.source) for f in plan.facts),
            "what was seen, heard or recorded, with dates and sources"),
        Section("their_words", f"In {person}'s own words", tuple(
            Entry(shown_date(w.date) if w.date else "", w.words, w.context) for w in plan.their_words),
            f"{person}'s own words"),
        Section("grounds", "What it rests on", tuple(
            Entry(g.document or profile.threshold_document, g.says) for g in plan.grounds),
            f"the line in {profile.threshold_document} or the service's criteria"),
        Section("ask", "What I am asking for", _entries(
            ("", plan.ask.what), ("Answer by", shown_date(plan.ask.by) if plan.ask.by else "")),
            "a specific request and the date you need an answer by"),
        Section("safety", f"What keeps {person} safe until then", _entries(("", plan.safety)),
                "what is in place meanwhile"),
        Section("told", "Who I have told", tuple(
            Entry(t.who, t.said, shown_date(t.when) if t.when else "") for t in plan.told),
            "your line manager, DSL or supervisor"),
        Section("fallback", "If it is not resolved", tuple(fallback_entries),
                f"the next stage of {profile.escalation_policy}"),
        Section("record", "What I will record, and where", _entries(
            ("", plan.record.what), ("Where", plan.record.where)), "what you will record, and where"),
    )
    note = ("Escalation stages and timescales are the briefing's defaults; set your partnership's in a local profile."
            if profile.is_default else f"Escalation stages from the local profile for {profile.partnership}.")
    return PlanSheet(
        title=plan.title or "Plan for a professional disagreement",
        about=plan.about,
        area=plan.area_label,
        role=plan.my_role,
        meeting=meeting,
        sections=sections,
        next_step=step,
        immediate_risk=profile.immediate_risk,
        identifiers=tuple(scan_plan(plan, today)),
        gaps=tuple(find_gaps(plan, profile, today)),
        profile_note=note,
    )


def identifier_warning(sheet: PlanSheet) -> str:
    """One sentence naming every identifier found and where, or ''."""
    return identifier_sentence(list(sheet.identifiers))
