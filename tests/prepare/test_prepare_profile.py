"""The local profile: the briefing's escalation stages until a partnership
sets its own, read from a small YAML file with located errors."""

from __future__ import annotations

import os
import stat

import pytest
from prepare_fixtures import TODAY

from simulator.prepare.loader import check_plan
from simulator.prepare.profile import default_profile, load_profile, parse_profile, save_profile
from simulator.prepare.starter import starter_text


def test_default_stages_follow_the_briefing_order_of_escalation():
    profile = default_profile()
    assert [s.who for s in profile.stages] == ["Practitioner to practitioner", "Line managers", "Senior managers",
                                              "The safeguarding partnership"]
    assert [s.number for s in profile.stages] == [1, 2, 3, 4]
    assert all(s.working_days > 0 for s in profile.stages) and profile.is_default


def test_immediate_risk_bypasses_the_stages_by_default():
    risk = default_profile().immediate_risk
    assert "do not wait for the stages" in risk and "999" in risk


def test_placeholders_give_every_name_a_scenario_may_use():
    values = default_profile().placeholders()
    assert values["threshold_document"] == "the local threshold document"
    assert values["stage_2"] == "Line managers" and values["stage_2_days"] == "3"
    assert {"partnership", "escalation_policy", "lado", "children_front_door", "adults_front_door"} <= set(values)


def test_an_unknown_placeholder_is_an_error_that_suggests_the_name_meant():
    with pytest.raises(KeyError, match="did you mean 'threshold_document'"):
        default_profile().placeholder("threshold_documnet")


def test_a_partnership_profile_replaces_names_and_stages_and_keeps_other_defaults():
    text = """\
partnership: Northbridge Safeguarding Children Partnership
threshold_document: Northbridge Continuum of Need
stages:
  - {who: Practitioners, working_days: 1}
  - {who: Team managers, how: "By phone, then in writing", working_days: 2}
  - {who: Heads of service, working_days: 5}
"""
    profile, diagnostics = parse_profile(text, "northbridge.yaml")
    assert diagnostics == [] and profile is not None
    assert profile.placeholder("partnership") == "Northbridge Safeguarding Children Partnership"
    assert profile.placeholder("threshold_document") == "Northbridge Continuum of Need"
    assert profile.stage(2).who == "Team managers" and profile.stage(2).how == "By phone, then in writing"
    assert profile.stage(4) is None
    assert profile.lado == default_profile().lado and not profile.is_default


def test_profile_errors_are_located():
    profile, diagnostics = parse_profile("stages:\n  - who: Practitioners\n    working_days: soon\n", "p.yaml")
    assert profile is None
    (error,) = diagnostics
    assert (error.line, error.column) == (3, 19) and "whole number" in error.message


def test_a_profile_saves_owner_only_reads_back_equal_and_never_overwrites(tmp_path):
    profile = default_profile()._replace(partnership="Eastshire Safeguarding Adults Board")
    path = tmp_path / "profile.yaml"
    save_profile(profile, path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    loaded, diagnostics = load_profile(path)
    assert diagnostics == [] and loaded._replace(source="", is_default=True) == profile
    with pytest.raises(FileExistsError):
        save_profile(profile, path)


def test_a_fallback_stage_the_profile_lacks_is_a_located_warning(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text(starter_text(str(path), example=True).replace("stage: 2", "stage: 5"), encoding="utf-8")
    plan, diagnostics, status = check_plan(path, default_profile(), TODAY)
    (warning,) = diagnostics
    assert plan is not None and status == 0
    assert warning.severity == "warning" and "no stage 5" in warning.message
    assert path.read_text().splitlines()[warning.line - 1].strip() == "stage: 5"


def test_missing_profile_file_is_a_diagnostic_not_a_traceback(tmp_path):
    profile, diagnostics = load_profile(tmp_path / "nowhere.yaml")
    assert profile is None and "no profile file" in diagnostics[0].message
