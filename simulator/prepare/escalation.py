"""The plan's fallback read against the local profile: which stage, with whom,
by when, and whether that date came from the plan or was worked out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from simulator.prepare.plan import Plan, add_working_days, format_date, parse_date
from simulator.prepare.profile import EscalationStage, LocalProfile


@dataclass(frozen=True)
class NextStep:
    stage: EscalationStage | None
    with_: str  # the plan's own words, or the profile's stage
    by: str  # a date as people read it, or the plan's text when it is not a date
    by_reason: str  # why this date, when it was worked out ("" when the plan gave it)

    @property
    def known(self) -> bool:
        return self.stage is not None


def next_step(plan: Plan, profile: LocalProfile) -> NextStep:
    """Where the disagreement goes if the conversation does not settle it.

    The date is the plan's own when it gives one; otherwise the next working
    day after the date asked for an answer; otherwise the meeting date plus the
    working days the profile gives stage 1."""
    stage = profile.stage(plan.fallback.stage)
    with_ = plan.fallback.with_ or (stage.who if stage else "")
    if plan.fallback.by:
        given = parse_date(plan.fallback.by)
        return NextStep(stage, with_, format_date(given) if given else plan.fallback.by, "")
    asked = parse_date(plan.ask.by)
    if asked is not None:
        return NextStep(stage, with_, format_date(add_working_days(asked, 1)),
                        "the next working day after the date you asked for an answer")
    met = parse_date(plan.meeting.when)
    first = profile.stage(1)
    if met is not None and first is not None:
        return NextStep(stage, with_, format_date(add_working_days(met, first.working_days)),
                        f"stage 1 takes {first.working_days} working days in "
                        + ("the default profile" if profile.is_default else "your local profile"))
    return NextStep(stage, with_, "", "")


def reply_due(start: date, profile: LocalProfile, stage_number: int) -> date | None:
    """When a reply is due at ``stage_number`` if it starts on ``start``."""
    stage = profile.stage(stage_number)
    return add_working_days(start, stage.working_days) if stage else None


def short_date(text: str) -> str:
    """A plan's date for a narrow column: 'Tue 10 Nov 2026', or the text as written."""
    when = parse_date(text)
    return f"{when:%a} {when.day} {when:%b %Y}" if when else text


def shown_date(text: str) -> str:
    """A plan's date as people read it, or the text as written."""
    when = parse_date(text)
    if when is None:
        return text
    rest = text.strip()[10:].strip() if len(text.strip()) > 10 and text.strip()[4:5] == "-" else ""
    return format_date(when) + (f", {rest}" if rest else "")
