"""Direct identifiers in a plan: found, located and never repeated back.

A plan describes a real person, so it should name them by initials and hold
nothing that identifies them on its own. This module finds the identifiers a
practitioner most often pastes from a record:

* an NHS number: ten digits, written together or as 3-3-4, whose tenth digit
  is the modulus 11 check digit of the first nine (a ten-digit number that fails
  the check is not an NHS number and is not reported as one);
* a full UK postcode (outward and inward code, with or without the space, any
  case), including the special GIR 0AA;
* a date of birth: a date written near "DOB", "date of birth", "born" or
  "birthday", or a date that matches an age of three or more the plan states
  ("aged 14") — how long ago it was, in whole years, is that age;
* a UK phone number: a mobile (07…) or a geographic landline (01…, 02…), with
  or without +44. Non-geographic service numbers (03…, 08…) belong to
  organisations and are left alone;
* an email address.

Each finding has the 1-based line and column where it starts, the kind, and a
message and hint that never quote the identifier itself: a warning shown on a
projector or in a log must not leak what it warns about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from simulator.model.diagnostics import Diagnostic

KINDS = {
    "nhs-number": "an NHS number",
    "postcode": "a postcode",
    "date-of-birth": "a date of birth",
    "phone": "a phone number",
    "email": "an email address",
}
_HINTS = {
    "nhs-number": "the plan does not need it: refer to the person by initials (e.g. 'J.') and keep the number in the record",
    "postcode": "write the area in words if it matters (e.g. 'lives near the school'), never the address; use initials for people",
    "date-of-birth": "write the age instead (e.g. 'aged 14'), and initials rather than a name",
    "phone": "leave contact numbers in the case record; in the plan use roles and initials",
    "email": "name the role instead (e.g. 'the allocated social worker'); keep contact details in the case record",
}


@dataclass(frozen=True, order=True)
class IdentifierFinding:
    line: int  # 1-based
    column: int  # 1-based
    kind: str
    start: int  # character offsets in the scanned text, [start, end)
    end: int
    why: str = ""

    @property
    def label(self) -> str:
        return KINDS[self.kind]

    @property
    def message(self) -> str:
        detail = f" ({self.why})" if self.why else ""
        return f"this looks like {self.label}{detail}: plans should not hold direct identifiers"

    @property
    def hint(self) -> str:
        return _HINTS[self.kind]

    def diagnostic(self, source: str) -> Diagnostic:
        return Diagnostic(source, self.line, self.column, "warning", self.message, self.hint)


# -- NHS numbers -----------------------------------------------------------------

_NHS = re.compile(r"(?<![\d+])(\d{3})([ -]?)(\d{3})\2(\d{4})(?![\d])")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus 11 check digit for nine digits, or None when the remainder
    makes 10 (no valid NHS number starts with those nine digits)."""
    total = sum(int(digit) * weight for digit, weight in zip(first_nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return 0
    return None if check == 10 else check


def is_valid_nhs_number(text: str) -> bool:
    digits = re.sub(r"[ -]", "", text)
    if len(digits) != 10 or not digits.isdigit():
        return False
    return nhs_check_digit(digits[:9]) == int(digits[9])


# -- postcodes ------------------------------------------------------------------

_POSTCODE_CANDIDATE = re.compile(
    r"(?<![A-Za-z0-9])([A-Za-z]{1,2}\d[A-Za-z\d]?|GIR) ?(\d[A-Za-z]{2})(?![A-Za-z0-9])", re.IGNORECASE)
_OUTWARD = re.compile(
    r"^(?:[A-PR-UWYZ]\d|[A-PR-UWYZ]\d\d|[A-PR-UWYZ]\d[A-HJKPSTUW]|"
    r"[A-PR-UWYZ][A-HK-Y]\d|[A-PR-UWYZ][A-HK-Y]\d\d|[A-PR-UWYZ][A-HK-Y]\d[ABEHMNPRVWXY])$")
_INWARD = re.compile(r"^\d[ABD-HJLNP-UW-Z]{2}$")
_ORDINAL = re.compile(r"^\d(?:st|nd|rd|th)$")


def _is_postcode(outward: str, inward: str) -> bool:
    if (outward + inward).upper() == "GIR0AA":
        return True
    # "s47 2nd" is an enquiry and an ordinal, not a postcode: lower-case
    # ordinals are how people write "2nd", while postcodes are written in capitals.
    if _ORDINAL.match(inward) and inward.islower():
        return False
    return bool(_OUTWARD.match(outward.upper()) and _INWARD.match(inward.upper()))


# -- dates and ages ---------------------------------------------------------------

_MONTH = (r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
          r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)")
_DATE = re.compile(
    r"(?<![\d/.-])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
    r"|\d{1,2}(?:st|nd|rd|th)?\s+" + _MONTH + r"\.?,?\s+\d{4}"
    r"|" + _MONTH + r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})(?![\d/])",
    re.IGNORECASE)
_BIRTH_WORDS = re.compile(r"\b(?:d\.?o\.?b\.?|date\s+of\s+birth|birth\s*date|born|birthday)\b", re.IGNORECASE)
_AGE = re.compile(
    r"\b(?:aged?\s+(\d{1,3})\b|(\d{1,3})[\s-]*(?:years?|yrs?)[\s-]*old\b|(\d{1,3})\s*(?:yo|y/o)\b)",
    re.IGNORECASE)
# How far before a date "DOB"/"born" may be written and still label it.
_BIRTH_WINDOW = 30


def _read_date(text: str) -> date | None:
    from simulator.prepare.plan import parse_date

    found = parse_date(text)
    if found is not None:
        return found
    # "March 4, 2012": month first.
    match = re.match(r"\s*([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})", text)
    if match:
        return parse_date(f"{match.group(2)} {match.group(1)} {match.group(3)}")
    return None


def _whole_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


# -- phones and emails ------------------------------------------------------------

_PHONE = re.compile(
    r"(?<![\d+])(?:"
    r"\+44\s?(?:\(0\)\s?)?\d(?:[\s-]?\d){8,9}"
    r"|\(0\d{3,4}\)\s?\d{3}[\s-]?\d{3,4}"
    r"|0\d(?:[\s-]?\d){8,9}"
    r")(?![\d])")
_EMAIL = re.compile(r"(?<![\w.%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])")


def _phone_kind(candidate: str) -> bool:
    digits = re.sub(r"\D", "", candidate.replace("(0)", ""))
    if candidate.startswith("+44"):
        digits = "0" + digits[2:]
    if digits.startswith("07"):
        return len(digits) == 11
    if digits.startswith(("01", "02")):
        return len(digits) in (10, 11)
    return False


# -- the scan ------------------------------------------------------------------------

def find_identifiers(text: str, today: date | None = None) -> list[IdentifierFinding]:
    """Every direct identifier in ``text``, in order, each located by line and
    column. ``today`` fixes the date ages are counted to (tests pass one)."""
    today = today or date.today()
    spans: list[tuple[int, int, str, str]] = []
    taken: list[tuple[int, int]] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, kind: str, why: str = "") -> None:
        if free(start, end):
            spans.append((start, end, kind, why))
            taken.append((start, end))

    for match in _EMAIL.finditer(text):
        add(match.start(), match.end(), "email")
    for match in _NHS.finditer(text):
        if is_valid_nhs_number(match.group()):
            add(match.start(), match.end(), "nhs-number", "its check digit is valid")
    for match in _PHONE.finditer(text):
        if _phone_kind(match.group()):
            add(match.start(), match.end(), "phone")
    # Ages under three are left out: for a baby or toddler, any fact from the
    # last year or two would "match", and such plans give ages in months.
    ages = {age for m in _AGE.finditer(text) if (age := int(next(g for g in m.groups() if g))) >= 3}
    for match in _DATE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        before = text[max(line_start, match.start() - _BIRTH_WINDOW):match.start()]
        if _BIRTH_WORDS.search(before):
            add(match.start(), match.end(), "date-of-birth", "it follows a word like 'DOB' or 'born'")
            continue
        when = _read_date(match.group())
        if when is not None and when < today and _whole_years(when, today) in ages:
            add(match.start(), match.end(), "date-of-birth",
                f"it is exactly {_whole_years(when, today)} years ago, an age the plan gives")
    for match in _POSTCODE_CANDIDATE.finditer(text):
        if _is_postcode(match.group(1), match.group(2)):
            add(match.start(), match.end(), "postcode")

    findings = []
    for start, end, kind, why in spans:
        line = text.count("\n", 0, start) + 1
        column = start - (text.rfind("\n", 0, start) + 1) + 1
        findings.append(IdentifierFinding(line, column, kind, start, end, why))
    return sorted(findings)


def identifier_diagnostics(text: str, source: str, today: date | None = None) -> list[Diagnostic]:
    """The findings as warnings located in ``source``."""
    return [finding.diagnostic(source) for finding in find_identifiers(text, today)]


@dataclass(frozen=True)
class FieldFinding:
    """An identifier in one field of a plan built in code (no file to point at)."""

    field: str
    kind: str

    @property
    def label(self) -> str:
        return KINDS[self.kind]


def scan_plan(plan, today: date | None = None) -> list[FieldFinding]:
    """Identifiers in every text of ``plan``, by field (``facts[2].fact``)."""
    found: list[FieldFinding] = []
    for where, value in plan.texts():
        for finding in find_identifiers(value, today):
            found.append(FieldFinding(where, finding.kind))
    return found


def identifier_sentence(found: list[FieldFinding]) -> str:
    """One sentence naming each identifier's kind and field (never its value), or ''."""
    if not found:
        return ""
    places = "; ".join(f"{finding.label} in {finding.field}" for finding in found)
    return (f"This plan seems to hold direct identifiers ({places}). Replace them with initials or an age "
            "before you print, share or keep it.")
