"""The plan for one real disagreement, as frozen dataclasses.

Every text field is a plain string: empty when the practitioner has not written
it yet, so the gaps check can say what is missing instead of the loader refusing
a half-finished plan. Dates stay as the practitioner wrote them; ``parse_date``
reads the forms people use (2026-12-08, 8/12/2026, 8 December 2026).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from datetime import date

AREAS = (
    "criteria-for-referrals",
    "outcomes-of-assessments",
    "roles-and-responsibilities",
    "service-provision",
    "timeliness-of-interventions",
    "information-sharing",
)
AREA_LABELS = {
    "criteria-for-referrals": "Criteria for referrals",
    "outcomes-of-assessments": "Outcomes of assessments",
    "roles-and-responsibilities": "Roles and responsibilities of workers",
    "service-provision": "Service provision",
    "timeliness-of-interventions": "Timeliness of interventions",
    "information-sharing": "Information sharing and communication",
}
ABOUT = ("child", "adult")


@dataclass(frozen=True)
class Meeting:
    with_: str = ""
    when: str = ""
    how: str = ""


@dataclass(frozen=True)
class Decision:
    what: str = ""
    who: str = ""
    when: str = ""


@dataclass(frozen=True)
class Fact:
    fact: str
    date: str = ""
    source: str = ""


@dataclass(frozen=True)
class TheirWords:
    words: str
    date: str = ""
    context: str = ""


@dataclass(frozen=True)
class Ground:
    says: str
    document: str = ""


@dataclass(frozen=True)
class Ask:
    what: str = ""
    by: str = ""


@dataclass(frozen=True)
class Told:
    who: str
    when: str = ""
    said: str = ""


@dataclass(frozen=True)
class Fallback:
    stage: int | None = None
    with_: str = ""
    by: str = ""


@dataclass(frozen=True)
class Record:
    what: str = ""
    where: str = ""


@dataclass(frozen=True)
class Outcome:
    """The post-meeting record, filled in afterwards."""

    date: str = ""
    present: str = ""
    disagreed: str = ""
    agreed: str = ""
    reasons: str = ""
    review: str = ""

    def is_empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Plan:
    about: str
    area: str
    decision: Decision
    concern: str
    title: str = ""
    my_role: str = ""
    meeting: Meeting = field(default_factory=Meeting)
    impact: str = ""
    facts: tuple[Fact, ...] = ()
    their_words: tuple[TheirWords, ...] = ()
    grounds: tuple[Ground, ...] = ()
    ask: Ask = field(default_factory=Ask)
    safety: str = ""
    told: tuple[Told, ...] = ()
    fallback: Fallback = field(default_factory=Fallback)
    record: Record = field(default_factory=Record)
    outcome: Outcome = field(default_factory=Outcome)
    source: str = ""

    @property
    def person(self) -> str:
        """How the drafts refer to the person at risk when the plan gives no initials."""
        return "the child" if self.about == "child" else "the adult"

    @property
    def area_label(self) -> str:
        return AREA_LABELS.get(self.area, self.area)

    def texts(self) -> list[tuple[str, str]]:
        """Every text in the plan with the YAML path it came from, e.g.
        ``("facts[2].fact", "...")``: what the identifier check scans when a
        plan was built in code rather than read from a file."""
        found: list[tuple[str, str]] = []

        def walk(value, where: str) -> None:
            if isinstance(value, str):
                if value and where != "source":
                    found.append((where, value))
            elif isinstance(value, tuple):
                for index, item in enumerate(value):
                    walk(item, f"{where}[{index + 1}]")
            elif hasattr(value, "__dataclass_fields__"):
                for item in fields(value):
                    key = item.name.rstrip("_")
                    walk(getattr(value, item.name), f"{where}.{key}" if where else key)

        walk(self, "")
        return found


# -- dates --------------------------------------------------------------------

_MONTHS = {name: number for number, names in enumerate(
    (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
     ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
     ("dec", "december")), start=1) for name in names}
_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\b")
_NUMERIC = re.compile(r"^\s*(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})\b")
_WORDS = re.compile(r"^\s*(?:[A-Za-z]+,?\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})\b")


def parse_date(text: str) -> date | None:
    """The calendar date at the start of ``text`` (British day-month order),
    or None when it does not start with one. A time after the date is allowed."""
    for pattern, order in ((_ISO, "ymd"), (_NUMERIC, "dmy"), (_WORDS, "dMy")):
        match = pattern.match(text or "")
        if not match:
            continue
        parts = dict(zip(order, match.groups()))
        month = _MONTHS.get(parts["M"].lower()) if "M" in parts else int(parts["m"])
        if month is None:
            return None
        year = int(parts["y"])
        if year < 100:
            year += 2000
        try:
            return date(year, month, int(parts["d"]))
        except ValueError:
            return None
    return None


def format_date(value: date) -> str:
    """A date as people write it in a letter: 'Tuesday 8 December 2026'."""
    return f"{value:%A} {value.day} {value:%B %Y}"


def add_working_days(start: date, days: int) -> date:
    """``days`` working days (Monday to Friday) after ``start``. Bank holidays
    differ across the UK and are not counted here; the drafts say so."""
    from datetime import timedelta

    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            remaining -= 1
    return current
