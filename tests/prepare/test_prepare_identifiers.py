"""Direct identifiers in a plan are found where they are written, and only
those: a practitioner who is warned about a fact date will stop reading warnings."""

from __future__ import annotations

import pytest
from prepare_fixtures import MINIMAL, TODAY, example_plan

from simulator.prepare.identifiers import find_identifiers, identifier_diagnostics, is_valid_nhs_number, scan_plan
from simulator.prepare.loader import read_plan
from simulator.prepare.starter import starter_text


def check_digit(nine: str) -> int | None:
    """The NHS modulus 11 check digit, written out from the published rule:
    weights 10 down to 2, remainder subtracted from 11, 11 means 0, 10 means invalid."""
    total = 0
    for position, digit in enumerate(nine):
        total += int(digit) * (10 - position)
    result = 11 - (total % 11)
    return {11: 0, 10: None}.get(result, result)


def valid_numbers(count: int = 6) -> list[str]:
    found = []
    for prefix in range(401023456, 999999999, 7919337):
        nine = str(prefix)
        digit = check_digit(nine)
        if digit is not None:
            found.append(nine + str(digit))
        if len(found) == count:
            return found
    raise AssertionError("not enough prefixes")


def kinds(text: str) -> list[str]:
    return [finding.kind for finding in find_identifiers(text, TODAY)]


@pytest.mark.parametrize("number", valid_numbers())
@pytest.mark.parametrize("layout", ["{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}"])
def test_a_valid_nhs_number_is_found_however_it_is_spaced(number, layout):
    written = layout.format(a=number[:3], b=number[3:6], c=number[6:])
    assert kinds(f"NHS no. {written} on the referral") == ["nhs-number"]


def test_the_published_example_number_is_valid_and_one_digit_off_is_not():
    assert is_valid_nhs_number("943 476 5919")
    assert not is_valid_nhs_number("943 476 5918")


@pytest.mark.parametrize("number", valid_numbers())
def test_a_wrong_check_digit_is_not_reported_as_an_nhs_number(number):
    wrong = number[:9] + str((int(number[9]) + 1) % 10)
    assert kinds(f"ref {wrong[:3]} {wrong[3:6]} {wrong[6:]}") == []


def test_nine_digits_whose_check_would_be_ten_never_make_an_nhs_number():
    nine = next(str(p) for p in range(100000000, 100001000) if check_digit(str(p)) is None)
    assert all(not is_valid_nhs_number(nine + str(d)) for d in range(10))


@pytest.mark.parametrize("postcode", ["SW1A 1AA", "sw1a 1aa", "SW1A1AA", "M1 1AE", "B33 8TH", "CR2 6XH",
                                      "DN55 1PT", "W1A 0AX", "EC1A 1BB", "GIR 0AA", "ls2 9jt"])
def test_full_postcodes_are_found_in_any_case_with_or_without_the_space(postcode):
    assert kinds(f"lives at {postcode}, first floor") == ["postcode"]


@pytest.mark.parametrize("text", ["a s47 2nd strategy meeting", "Year 9 pupil", "the SW1A area", "section 47",
                                  "Level 3 (targeted)", "QV1 1AA is not a real area", "took the A1 north",
                                  "ratio 1:1 AA meeting"])
def test_look_alikes_are_not_postcodes(text):
    assert kinds(text) == []


@pytest.mark.parametrize("phone", ["07700 900123", "07700900123", "+44 7700 900123", "+447700900123",
                                   "+44 (0)20 7946 0018", "020 7946 0018", "(01632) 960123", "0161 496 0000",
                                   "0113-496-0000"])
def test_uk_mobiles_and_landlines_are_found(phone):
    assert kinds(f"mum's number is {phone} after 5pm") == ["phone"]


@pytest.mark.parametrize("text", ["the front door on 0300 123 4567", "Childline 0800 1111", "on 08/12/2026",
                                  "on 2026-12-08", "attendance 78%, 96% last year", "ref 12345678"])
def test_service_numbers_dates_and_figures_are_not_phones(text):
    assert kinds(text) == []


def test_email_addresses_are_found():
    assert kinds("emailed a.smith@northbridge.nhs.uk and duty@example.org.uk") == ["email", "email"]


@pytest.mark.parametrize("text", ["DOB 12/03/2012", "D.O.B.: 12.3.12", "born on 4 May 2012",
                                  "date of birth: 2012-05-04", "birthday is March 4, 2012"])
def test_a_date_near_birth_words_is_a_date_of_birth(text):
    assert kinds(text) == ["date-of-birth"]


def test_a_date_exactly_the_stated_age_ago_is_a_date_of_birth():
    text = "J. (aged 14) was seen.\nSomething happened on 2012-06-01 too."
    (finding,) = find_identifiers(text, TODAY)
    assert finding.kind == "date-of-birth" and (finding.line, finding.column) == (2, 23)
    assert "14 years ago" in finding.why


def test_a_date_that_matches_no_stated_age_is_just_a_date():
    assert kinds("J. (aged 14) said on 2025-06-01 and on 2012-06-01 she was fine") == ["date-of-birth"]
    assert kinds("seen on 2012-06-01 and again on 2026-11-10") == []


def test_findings_are_located_by_line_and_column_in_the_file():
    text = MINIMAL + "facts:\n  - fact: mum rang from 07700 900123\n    source: DOB 01/02/2015 on file\n"
    found = identifier_diagnostics(text, "case.yaml", TODAY)
    assert [(d.line, d.column, d.severity) for d in found] == [(7, 25, "warning"), (8, 17, "warning")]


def test_warnings_never_repeat_the_identifier_they_warn_about():
    text = "NHS 943 476 5919, SW1A 1AA, 07700 900123, x.y@nhs.net, DOB 01/02/2015"
    for diagnostic in identifier_diagnostics(text, "case.yaml", TODAY):
        for secret in ("943", "SW1A", "07700", "x.y@", "01/02/2015"):
            assert secret not in diagnostic.format()
        assert "initials" in diagnostic.hint or "age" in diagnostic.hint or "role" in diagnostic.hint


def test_loading_a_plan_reports_identifiers_but_still_loads_it():
    plan, diagnostics = read_plan(MINIMAL + "safety: her son is on 07700 900123\n", "case.yaml", TODAY)
    assert plan is not None
    assert [(d.line, d.severity) for d in diagnostics] == [(6, "warning")]


def test_the_worked_example_and_template_hold_no_identifiers():
    for example in (False, True):
        assert find_identifiers(starter_text("plan.yaml", example), TODAY) == []
    assert scan_plan(example_plan(), TODAY) == []
