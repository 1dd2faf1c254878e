"""Any text, any bytes: the plan and profile loaders answer with diagnostics,
never an exception, and every diagnostic points inside the file."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from prepare_fixtures import MINIMAL, TODAY

from simulator.prepare.identifiers import find_identifiers
from simulator.prepare.loader import read_plan
from simulator.prepare.profile import parse_profile
from simulator.prepare.starter import starter_text

EXAMPLE = starter_text("plan.yaml", example=True)
YAMLISH = st.text(alphabet=st.sampled_from(list("abc:- \n\t\"'[]{}#&*!|>%@`,?0123456789\x1b\u00e9")), max_size=300)


def _well_formed(diagnostics, text_lines: int) -> None:
    for diagnostic in diagnostics:
        assert diagnostic.severity in ("error", "warning")
        assert 1 <= diagnostic.line <= max(text_lines, 1) + 1
        assert diagnostic.column >= 1 and diagnostic.message


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_any_text_never_raises(text):
    plan, diagnostics = read_plan(text, "fuzz.yaml", TODAY)
    assert plan is not None or diagnostics
    # YAML also breaks lines at \r, NEL and the Unicode line and paragraph separators.
    _well_formed(diagnostics, sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 1)


@settings(max_examples=300, deadline=None)
@given(YAMLISH)
def test_yaml_shaped_text_never_raises(text):
    for document in (text, MINIMAL + text, EXAMPLE[: len(EXAMPLE) // 2] + text):
        plan, diagnostics = read_plan(document, "fuzz.yaml", TODAY)
        _well_formed(diagnostics, document.count("\n") + 1)
        profile, profile_diagnostics = parse_profile(document, "fuzz.yaml")
        assert profile is not None or profile_diagnostics


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_never_raise(raw):
    plan, diagnostics = read_plan(raw, "fuzz.yaml", TODAY)
    assert plan is not None or diagnostics


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_identifier_spans_stay_inside_the_text(text):
    for finding in find_identifiers(text, TODAY):
        assert 0 <= finding.start < finding.end <= len(text)
        assert text.count("\n", 0, finding.start) + 1 == finding.line
