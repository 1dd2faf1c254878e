"""Dates and times as people say them in practice: "6 October", "the 29th",
"14/10", "last Tuesday", "yesterday morning", "at 4.40".

Used three ways: a date tied to an event is evidence, a date that bounds an
action is a timescale, and a calendar date is checked against the case file.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from scoring.free_text.text import LazyPattern

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August",
               "September", "October", "November", "December")
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2,
    "thursday": 3, "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4,
    "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
}

_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s(?P<year>(?:19|20)\d\d))?"
_WEEKDAY = r"(?:(?P<weekday>" + "|".join(sorted(WEEKDAYS, key=len, reverse=True)) + r")\.?,?\s(?:the\s)?)?"

_CALENDAR = [
    # 6 October, Tuesday 6th of Oct 2026
    LazyPattern(r"(?<![\w'])" + _WEEKDAY + _DAY + r"(?:\sof)?\s" + _MONTH + _YEAR + r"(?![\w'])"),
    # October 6, October 6th
    LazyPattern(r"(?<![\w'])" + _WEEKDAY + _MONTH + r"\s" + _DAY + _YEAR + r"(?![\w'])"),
    # 6/10, 06/10/2026, 6.10.26, 6-10-2026 (day first, as in the UK)
    LazyPattern(r"(?<![\w./])(?P<day>[0-3]?\d)(?:/(?P<month>[01]?\d)(?:/(?P<year>\d{2}|\d{4}))?"
               r"|\.(?P<month2>[01]?\d)\.(?P<year2>\d{2}|\d{4})|-(?P<month3>[01]?\d)-(?P<year3>\d{4}))(?![\w/])"),
    # 2026-10-06
    LazyPattern(r"(?<![\w-])(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])"),
    # the 29th, on the 6th
    LazyPattern(r"(?<![\w'])the\s(?P<day>[0-3]?\d)(?:st|nd|rd|th)(?![\w'])(?!\s(?:of\s)?(?:" + "|".join(MONTHS) + r")\b)"),
]
_WEEKDAY_ALONE = LazyPattern(
    r"(?<![\w'])(?:(?P<which>last|this|on|next|that|by|from|since|until|till)\s)?(?:the\s)?"
    # "sat", "sun" and "wed" alone are more often words than days.
    r"(?P<weekday>" + "|".join(sorted((d for d in WEEKDAYS if d not in ("sat", "sun", "wed")), key=len, reverse=True))
    + r")(?:'s)?"
    r"(?:\s(?:morning|afternoon|evening|night))?(?![\w'])"
)
_RELATIVE = LazyPattern(
    r"(?<![\w'])(?:yesterday(?:\s(?:morning|afternoon|evening))?|last\s(?:night|week|weekend|month|term|half-term|year)"
    r"|this\s(?:morning|afternoon|evening|week|term)|earlier\stoday|the\sday\sbefore|overnight"
    r"|(?:since|in|during|from|over)\s(?:the\s)?(?:" + "|".join(m for m in MONTHS if len(m) > 3) + r"|half-term|christmas|easter|the\ssummer)"
    r"|(?:\w+\s)?(?:days|weeks|months)\sago|a\s(?:week|fortnight|month)\sago)(?![\w'])"
)
_TIME = LazyPattern(
    r"(?<![\w'.:])(?:(?:at|by|around|about|before|after|from|until|till)\s)?"
    r"(?:(?P<hour>[0-2]?\d)[.:](?P<minute>[0-5]\d)(?:\s?(?P<ampm>am|pm))?|(?P<hour2>1?\d)\s?(?P<ampm2>am|pm)"
    r"|(?:midnight|midday|noon|(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\so'clock))(?![\w'])"
)


class DateMention(NamedTuple):
    start: int
    end: int
    kind: str  # "calendar", "weekday", "relative" or "time"
    day: int | None = None
    month: int | None = None
    year: int | None = None
    weekday: int | None = None
    lead: str = ""  # a leading word such as "by", "last", "on", in lower case

    def label(self) -> str:
        """The date as the feedback says it: "6 October"."""
        if self.day and self.month:
            return f"{self.day} {MONTH_NAMES[self.month - 1]}"
        return ""


def _calendar(match: re.Match[str]) -> DateMention | None:
    groups = {k: v for k, v in match.groupdict().items() if v}
    month_text = groups.get("month") or groups.get("month2") or groups.get("month3")
    day = int(groups["day"])
    month = None
    if month_text:
        month = MONTHS.get(month_text) if not month_text.isdigit() else int(month_text)
        if not month or not 1 <= month <= 12:
            return None
    if not 1 <= day <= 31:
        return None
    year_text = groups.get("year") or groups.get("year2") or groups.get("year3")
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 2000
    weekday = WEEKDAYS.get(groups["weekday"]) if groups.get("weekday") else None
    return DateMention(match.start(), match.end(), "calendar", day, month, year, weekday)


def find_dates(folded: str) -> list[DateMention]:
    """Every date or time in ``folded`` text (lower case), in reading order,
    each place counted once (the longest reading wins)."""
    found: list[DateMention] = []
    for pattern in _CALENDAR:
        for match in pattern.finditer(folded):
            mention = _calendar(match)
            if mention:
                found.append(mention)
    for match in _WEEKDAY_ALONE.finditer(folded):
        found.append(DateMention(match.start(), match.end(), "weekday",
                                 weekday=WEEKDAYS[match.group("weekday")], lead=match.group("which") or ""))
    for match in _RELATIVE.finditer(folded):
        found.append(DateMention(match.start(), match.end(), "relative"))
    for match in _TIME.finditer(folded):
        text = match.group()
        lead = text.split()[0] if " " in text and not text.split()[0][0].isdigit() else ""
        found.append(DateMention(match.start(), match.end(), "time", lead=lead))
    found.sort(key=lambda m: (m.start, -(m.end - m.start)))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def parse_case_date(text: str) -> tuple[int, int, int | None] | None:
    """(day, month, year) of a case-file date such as "2026-09-29 (Tuesday)",
    "29 September 2026" or "29/09/2026"; None when it has no day and month."""
    for mention in find_dates(text.lower()):
        if mention.day and mention.month:
            return mention.day, mention.month, mention.year
    return None
