"""Drafts from the plan: the opening statement, the stage-2 escalation email
and the post-meeting record.

Each is a ``Draft`` of plain paragraphs built from the practitioner's own words
in the plan; nothing is invented about the case. Where the plan is silent the
draft leaves a visible gap ("[the date you need an answer by]") rather than a
plausible guess. A draft is data: the HTML and Markdown renderers escape it,
and ``Draft.text`` shows control characters as symbols for a terminal (a
screen that renders Rich markup must still escape it).

The opening statement is built to carry the elements the free-text analyser
looks for — concern, impact, evidence, ask, timescale, inquiry and, last and
gently, escalation — so that the analyser can later check a practitioner's
edited version against the same list.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from datetime import date

from scoring.display import one_line, visible
from simulator.prepare.escalation import next_step, reply_due, shown_date
from simulator.prepare.plan import Plan, format_date, parse_date
from simulator.prepare.profile import LocalProfile

PRIVACY_REMINDER = ("Before you use this: initials only, no dates of birth, NHS numbers, addresses or phone "
                    "numbers; send only by your agency's secure email.")


@dataclass(frozen=True)
class Draft:
    title: str
    paragraphs: tuple[str, ...]
    # For the analyser and the tests: which of the briefing's elements each
    # paragraph was written to carry, e.g. ("evidence",).
    elements: tuple[tuple[str, ...], ...] = ()

    def text(self) -> str:
        """The draft as plain text, control characters shown as symbols."""
        return visible("\n\n".join(self.paragraphs))


def _flat(value):
    """``value`` with every text on one line. A draft's own line breaks carry
    its structure (the email's list of facts), so a line break typed inside a
    plan field must not start a new line, list item or heading in it."""
    if isinstance(value, str):
        return one_line(value) if "\n" in value or "\r" in value else value
    if isinstance(value, tuple):
        return tuple(_flat(item) for item in value)
    if is_dataclass(value):
        return replace(value, **{f.name: _flat(getattr(value, f.name)) for f in fields(value)})
    return value


def _gap(words: str) -> str:
    return f"[{words}]"


def _end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "\u201d", '"')) else text + "."


def _continue(text: str) -> str:
    """``text`` to follow a colon or comma mid-sentence: 'Attendance is…' becomes
    'attendance is…', while 'PE teacher', 'J. said' and 'CAMHS' keep their capitals."""
    text = text.strip()
    if text.startswith("A "):
        return "a " + text[2:]
    if len(text) > 1 and text[0].isupper() and text[1].islower() and not text.startswith("I "):
        return text[0].lower() + text[1:]
    return text


def _as_role(role: str) -> str:
    """'School nurse, …' as the object of "I'm": 'the school nurse, …'."""
    role = _continue(role)
    return role if role.split(" ", 1)[0].lower() in ("a", "an", "the", "my") else f"the {role}"


def _fact_line(fact) -> str:
    if fact.date:
        return _end(f"On {shown_date(fact.date)}, {_continue(fact.fact.rstrip('.'))}"
                    + (f" ({fact.source})" if fact.source else ""))
    return _end(fact.fact.rstrip(".") + (f" ({fact.source})" if fact.source else ""))


def _facts_by_date(plan: Plan):
    dated = [(parse_date(f.date) or date.min, index, f) for index, f in enumerate(plan.facts)]
    return [f for _, _, f in sorted(dated, key=lambda item: (item[0], item[1]))]


def opening_statement(plan: Plan, profile: LocalProfile, most_facts: int = 3) -> Draft:
    """What to say in the first minute, from the plan."""
    plan = _flat(plan)
    paragraphs: list[str] = []
    elements: list[tuple[str, ...]] = []

    def say(text: str, *carried: str) -> None:
        paragraphs.append(text)
        elements.append(carried)

    role = f"I'm {_as_role(plan.my_role)}. " if plan.my_role else ""
    decided = plan.decision.what or _gap("the decision")
    when = f" on {shown_date(plan.decision.when)}" if plan.decision.when else ""
    say(f"Thank you for making time to talk. {role}I'd like to talk about the decision{when}: {_end(decided)} "
        "I want to understand how it was reached, and share what I've seen since.")
    say(f"My concern is this. {_end(plan.concern or _gap('your concern in one or two sentences'))} "
        f"{_end(plan.impact or _gap('what it means for ' + plan.person))}", "concern", "impact")
    facts = _facts_by_date(plan)[-most_facts:]
    if facts:
        say("What I've seen: " + " ".join(_fact_line(f) for f in facts), "evidence")
    for words in plan.their_words[:1]:
        when = f" on {shown_date(words.date)}" if words.date else ""
        say(f"In {plan.person}'s own words{when}: \u201c{words.words.strip()}\u201d", "evidence")
    for ground in plan.grounds[:1]:
        document = ground.document or profile.threshold_document
        say(f"I think this meets {document}: {_end(ground.says)}", "evidence")
    ask = plan.ask.what or _gap("what you are asking for")
    by = f"Could I have your answer by {shown_date(plan.ask.by)}?" if plan.ask.by else \
        f"Could I have your answer by {_gap('the date you need an answer by')}?"
    say(f"So what I'm asking is this: {_end(_continue(ask))} {by}", "ask", "timescale")
    if plan.safety:
        say(f"Meanwhile, this is what is keeping {plan.person} safe: {_end(_continue(plan.safety))}")
    say("Can you tell me what the decision was based on, and whether what I've described changes it?", "inquiry")
    step = next_step(plan, profile)
    if step.known:
        with_ = step.with_[:1].lower() + step.with_[1:]
        say(f"I'd much rather we settle this between us. If we can't, the next step under "
            f"{profile.escalation_policy} is stage {step.stage.number}: {with_}"
            + (f", by {step.by}." if step.by else "."), "escalation")
    return Draft("Opening statement", tuple(paragraphs), tuple(elements))


def stage_two_email(plan: Plan, profile: LocalProfile, today: date | None = None) -> Draft:
    """A draft email for stage 2 of the escalation policy (line managers by
    default), for when the conversation has not settled it."""
    plan = _flat(plan)
    today = today or date.today()
    # The email goes when the fallback date comes, if that is still ahead.
    planned = parse_date(plan.fallback.by)
    sent = planned if planned is not None and planned > today else today
    stage = profile.stage(2)
    stage_name = stage.who.lower() if stage else "the next stage"
    reply = reply_due(sent, profile, 2)
    subject = (f"Subject: Professional disagreement, stage 2 of {profile.escalation_policy}: "
               f"{plan.title or plan.decision.what or _gap('a label without names')}")
    spoke = (f"At stage 1 I spoke to {plan.meeting.with_}" + (f" on {shown_date(plan.meeting.when)}" if plan.meeting.when else "")
             if plan.meeting.with_ else f"At stage 1 I raised it with {plan.decision.who or _gap('who made the decision')}")
    if plan.outcome.disagreed:
        spoke += f". We still disagree about this: {_end(plan.outcome.disagreed)}"
    else:
        spoke += ", and we could not agree."
    paragraphs = [
        subject,
        f"Route: stage 2 ({stage_name})" + (f", {_continue(plan.fallback.with_)}" if plan.fallback.with_ else ""),
        "Dear " + _gap("name") + ",",
        f"I am writing under stage 2 of {profile.escalation_policy} ({stage_name}) about a decision I have not been "
        f"able to resolve with the practitioner who made it. {_end(spoke)}",
        "The decision" + (f" ({', '.join(filter(None, (plan.decision.who, shown_date(plan.decision.when))))})"
                          if plan.decision.who or plan.decision.when else "")
        + ": " + _end(plan.decision.what or _gap("the decision")),
        "My concern: " + _end(plan.concern or _gap("your concern")),
        f"The impact for {plan.person}: " + _end(plan.impact or _gap("the impact")),
    ]
    if plan.facts:
        paragraphs.append("What has been seen and recorded:\n" + "\n".join(f"- {_fact_line(f)}" for f in _facts_by_date(plan)))
    for words in plan.their_words:
        paragraphs.append(f"In {plan.person}'s own words" + (f" ({shown_date(words.date)})" if words.date else "")
                          + f": \u201c{words.words.strip()}\u201d")
    for ground in plan.grounds:
        paragraphs.append(f"This rests on {ground.document or profile.threshold_document}: {_end(ground.says)}")
    answer = f"by {format_date(reply)}" if reply else "as soon as you can"
    timescale = (f", which is the {stage.working_days} working days the policy gives this stage" if stage else "")
    paragraphs.append(f"What I am asking for: {_end(_continue(plan.ask.what) or _gap('your request'))} I would be "
                      f"grateful for a reply {answer}{timescale}.")
    if plan.safety:
        paragraphs.append(f"Meanwhile, this is what keeps {plan.person} safe: {_end(_continue(plan.safety))}")
    if plan.told:
        paragraphs.append("I have discussed this with " + "; ".join(
            _continue(t.who) + (f" ({shown_date(t.when)})" if t.when else "") for t in plan.told) + ".")
    third = profile.stage(3)
    if third:
        paragraphs.append(f"If we cannot resolve this at stage 2, it will move to stage 3 ({third.who.lower()}) under "
                          "the policy. I hope it will not need to.")
    paragraphs.append("I will record this email and your reply"
                      + (f" in {plan.record.where}." if plan.record.where else "."))
    paragraphs.append("With thanks,\n" + _gap("your name") + (f"\n{plan.my_role}" if plan.my_role else ""))
    paragraphs.append(PRIVACY_REMINDER)
    return Draft("Stage 2 escalation email", tuple(paragraphs))


BLANK = "\u2026" * 3  # where a printed record is to be filled in by hand


@dataclass(frozen=True)
class RecordEntry:
    label: str
    value: str  # empty: to be filled in by hand


def post_meeting_record(plan: Plan, profile: LocalProfile) -> tuple[RecordEntry, ...]:
    """The record to keep after the conversation: who, what was disagreed, what
    was agreed, the reasons and the review date, filled from the plan's
    ``outcome`` where it has been written and left blank where not."""
    plan = _flat(plan)
    outcome = plan.outcome
    step = next_step(plan, profile)
    next_if_not = (f"Stage {step.stage.number} of {profile.escalation_policy}: {_continue(step.with_)}"
                   + (f", by {step.by}" if step.by else "")) if step.known else ""
    return (
        RecordEntry("Date of the conversation", shown_date(outcome.date) if outcome.date else ""),
        RecordEntry("Who took part", outcome.present),
        RecordEntry("The decision discussed", plan.decision.what),
        RecordEntry("What was disagreed", outcome.disagreed),
        RecordEntry("What was agreed, and who will do what", outcome.agreed),
        RecordEntry("Reasons given", outcome.reasons),
        RecordEntry("Review date", shown_date(outcome.review) if outcome.review else ""),
        RecordEntry("If not resolved, next step", next_if_not),
        RecordEntry("Recorded in", plan.record.where),
    )


def post_meeting_record_draft(plan: Plan, profile: LocalProfile) -> Draft:
    entries = post_meeting_record(plan, profile)
    return Draft("Post-meeting record", tuple(f"{e.label}: {e.value or BLANK}" for e in entries))
