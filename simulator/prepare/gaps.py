"""The plan's own gaps, each with the briefing line that says why it matters.

Before rehearsing against pushback, the practitioner should see what their plan
does not yet hold: no timescale for the ask, nothing keeping the person safe in
the meantime, no fallback, no record, no words from the child or adult, facts
without dates or sources. Each gap names the quality it weakens and quotes that
quality's briefing line from ``scoring/qualities.yaml`` character for
character, so the reason is the briefing's, not ours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from scoring.catalogue import load_catalogue
from simulator.prepare.escalation import next_step
from simulator.prepare.plan import Plan, parse_date
from simulator.prepare.profile import LocalProfile


@dataclass(frozen=True)
class Gap:
    id: str
    field: str  # the plan key to fill in, e.g. "ask.by"
    message: str  # what is missing, in the practitioner's terms
    suggestion: str  # what to write
    quality: str  # the quality id in scoring/qualities.yaml
    quality_label: str
    briefing: str  # the briefing line, verbatim

    def format(self) -> str:
        return f"{self.field}: {self.message}\n    {self.suggestion}\n    Briefing: \u201c{self.briefing}\u201d"


def _quote(quality: str, index: int = 0) -> tuple[str, str]:
    entry = load_catalogue().qualities[quality]
    return entry.label, entry.briefing[index]


def _gap(id: str, field: str, message: str, suggestion: str, quality: str, quote: int = 0) -> Gap:
    label, line = _quote(quality, quote)
    return Gap(id, field, message, suggestion, quality, label, line)


_SENTENCE_END = re.compile(r"[.!?](?:\s|$)")


def sentences(text: str) -> int:
    """Roughly how many sentences ``text`` has (initials like 'J.' aside)."""
    cleaned = re.sub(r"\b[A-Z]\.", "X", text)
    return max(1, len(_SENTENCE_END.findall(cleaned.strip()))) if cleaned.strip() else 0


def find_gaps(plan: Plan, profile: LocalProfile, today: date | None = None) -> list[Gap]:
    """What the plan lacks, most important first: the ask and safety before
    the record. ``today`` (default: the real date) tells whether the answer's
    date has already passed."""
    today = today or date.today()
    gaps: list[Gap] = []
    if not plan.concern:
        gaps.append(_gap("no-concern", "concern", "the concern is empty",
                         "Say in one or two sentences what worries you about the decision.", "concern-and-impact"))
    elif sentences(plan.concern) > 2:
        gaps.append(_gap("long-concern", "concern", f"the concern runs to {sentences(plan.concern)} sentences",
                         "Cut it to one or two: the other professional should be able to repeat it back.",
                         "concern-and-impact"))
    if not plan.impact:
        gaps.append(_gap("no-impact", "impact", f"the plan does not say what the decision means for {plan.person}",
                         f"Add one or two sentences on the impact on {plan.person}'s safety or wellbeing.",
                         "concern-and-impact"))
    if not plan.ask.what:
        gaps.append(_gap("no-ask", "ask.what", "there is no specific request",
                         "Write what you are asking them to do, e.g. review the decision with the new information.",
                         "clear-role-consequences"))
    if not plan.ask.by:
        gaps.append(_gap("no-timescale", "ask.by", "the ask has no date",
                         "Give the date you need an answer by, so the disagreement cannot drift.", "resolve-quickly"))
    else:
        by = parse_date(plan.ask.by)
        if by is not None and by < today:
            gaps.append(_gap("ask-date-passed", "ask.by", "the date for an answer has already passed",
                             "Set a new date, or move to your fallback now.", "resolve-quickly"))
    if not plan.safety:
        gaps.append(_gap("no-safety", "safety", f"nothing says what keeps {plan.person} safe until this is settled",
                         "Write what is in place meanwhile (a safety plan, who checks in, what happens if it "
                         "gets worse), and call 999 or the front door if the risk is immediate.", "child-centred"))
    if not plan.their_words:
        gaps.append(_gap("no-voice", "their_words", f"{plan.person.capitalize()}'s own words are missing",
                         "Add what they said, in their words, with when and to whom.", "service-user-voice"))
    if not plan.facts:
        gaps.append(_gap("no-facts", "facts", "there are no facts",
                         "Add what was seen, heard or recorded, each with its date and source.", "evidence-based"))
    else:
        undated = [str(i) for i, fact in enumerate(plan.facts, 1) if not fact.date]
        if undated:
            gaps.append(_gap("undated-facts", "facts", f"fact {', '.join(undated)} has no date" if len(undated) == 1
                             else f"facts {', '.join(undated)} have no date",
                             "Date every fact: a dated fact is hard to wave away.", "factual"))
        unsourced = [str(i) for i, fact in enumerate(plan.facts, 1) if not fact.source]
        if unsourced:
            gaps.append(_gap("unsourced-facts", "facts", f"fact {', '.join(unsourced)} has no source"
                             if len(unsourced) == 1 else f"facts {', '.join(unsourced)} have no source",
                             "Say where each fact is recorded or who saw it.", "evidence-based"))
    if not plan.grounds:
        gaps.append(_gap("no-grounds", "grounds", "the plan does not name the threshold, criteria or policy line",
                         f"Quote the level or line in {profile.threshold_document} (or the service's criteria) "
                         "that your case meets.", "clear-rationale"))
    if not plan.told:
        gaps.append(_gap("not-told", "told", "you have not recorded telling your line manager, DSL or supervisor",
                         "Talk it through in supervision before the meeting, and note what they advised.",
                         "line-manager", quote=1))
    stage = profile.stage(plan.fallback.stage)
    if stage is None:
        gaps.append(_gap("no-fallback", "fallback.stage", "there is no fallback if the conversation fails",
                         f"Name the next stage of {profile.escalation_policy} (stage 2 is "
                         f"{profile.stages[1].who.lower() if len(profile.stages) > 1 else 'the next level'}).",
                         "escalation-policy"))
    elif not plan.fallback.by and not next_step(plan, profile).by:
        # An empty date is worked out from the ask's date (or the meeting's) when there is one.
        gaps.append(_gap("no-fallback-date", "fallback.by", "the fallback has no date",
                         f"Say when you will go to stage {stage.number} ({stage.who.lower()}) if there is no answer.",
                         "escalation-policy"))
    else:
        fallback_by, ask_by = parse_date(plan.fallback.by), parse_date(plan.ask.by)
        if fallback_by and ask_by and fallback_by < ask_by:
            gaps.append(_gap("fallback-before-ask", "fallback.by", "you would escalate before the date you gave for an answer",
                             "Give them until the ask's date, then escalate: the lowest level first.", "resolve-quickly"))
    if not (plan.record.what and plan.record.where):
        gaps.append(_gap("no-record", "record", "the plan does not say what you will record, and where",
                         "Plan to record who, what was disagreed, what was agreed, the reasons and the review date, "
                         "in the case record.", "good-recording"))
    return gaps
