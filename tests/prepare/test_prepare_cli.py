"""`rehearse prepare new|check|render|rehearse` and `rehearse profile`, as a
practitioner types them."""

from __future__ import annotations

import io
import stat
import sys

import pytest

from simulator.cli import main

# 943 476 5919 has a valid modulus-11 check digit; 943 476 5918 does not.
PLANTED = """\
about: child
area: criteria-for-referrals
decision:
  what: CAMHS declined the referral
concern: J. is self-harming more often.
facts:
  - date: 2026-11-19
    fact: NHS number 943 476 5919 on the referral form
    source: school nurse record
  - date: 2026-11-24
    fact: Seen at home, LS6 2QT, by the school nurse
    source: visit note
"""


@pytest.fixture
def data(tmp_path):
    return ["--data", str(tmp_path / "history.sqlite")]


def test_new_writes_an_owner_only_plan_and_never_overwrites(tmp_path, data, capsys):
    target = tmp_path / "my-meeting.yaml"
    assert main([*data, "prepare", "new", str(target)]) == 0
    assert str(target) in capsys.readouterr().out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    before = target.read_text()
    assert main([*data, "prepare", "new", str(target), "--example"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert target.read_text() == before


def test_check_finds_a_planted_nhs_number_and_postcode_located_and_exits_1(tmp_path, data, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED)
    assert main([*data, "prepare", "check", str(plan)]) == 1
    err = capsys.readouterr().err
    assert f"{plan}:8:22: warning: this looks like an NHS number" in err
    assert f"{plan}:11:25: warning: this looks like a postcode" in err
    # The warning never repeats the identifier itself.
    assert "5919" not in err and "2QT" not in err


def test_check_passes_a_ten_digit_number_whose_check_digit_is_wrong(tmp_path, data, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED.replace("5919", "5918").replace("LS6 2QT", "near the school"))
    assert main([*data, "prepare", "check", str(plan)]) == 0
    out = capsys.readouterr().out
    assert "NHS" not in capsys.readouterr().err
    assert "Still to do" in out and "ask.by: the ask has no date" in out


def test_check_locates_a_schema_error(tmp_path, data, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED.replace("concern:", "concren:"))
    assert main([*data, "prepare", "check", str(plan)]) == 1
    err = capsys.readouterr().err
    assert f"{plan}:5:1: error" in err and "concern" in err


def test_render_writes_html_and_markdown_owner_only_and_names_them(tmp_path, data, capsys):
    example = tmp_path / "example.yaml"
    main([*data, "prepare", "new", str(example), "--example"])
    capsys.readouterr()
    for name in ("plan.html", "plan.md"):
        out = tmp_path / name
        assert main([*data, "prepare", "render", str(example), "--out", str(out)]) == 0
        assert f"Wrote {out}" in capsys.readouterr().out
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "<!DOCTYPE html>" in (tmp_path / "plan.html").read_text()
    assert "Opening statement" in (tmp_path / "plan.md").read_text()
    assert main([*data, "prepare", "render", str(example), "--out", str(tmp_path / "plan.html")]) == 1
    assert "never overwrites" in capsys.readouterr().err
    assert main([*data, "prepare", "render", str(example), "--out", str(tmp_path / "plan.txt")]) == 2


def test_render_escapes_markup_typed_into_a_plan(tmp_path, data, capsys):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED.replace("J. is self-harming more often.", "'<script>alert(1)</script>'"))
    out = tmp_path / "plan.html"
    assert main([*data, "prepare", "render", str(plan), "--out", str(out)]) == 0
    page = out.read_text()
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_rehearse_quotes_the_reply_and_ends_with_the_plans_gaps(tmp_path, data, capsys, monkeypatch):
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED.replace("5919", "5918").replace("LS6 2QT", "near the school"))
    replies = ("I'm worried J. has cut herself three times since 19 November; will you review the decline by "
               "Friday?\n\n")
    monkeypatch.setattr(sys, "stdin", io.StringIO(replies))
    assert main([*data, "prepare", "rehearse", str(plan), "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "They say: \u201cIt doesn't meet our criteria.\u201d" in out
    assert "\u201cI'm worried\u201d" in out  # the learner's own words, quoted back
    assert "Debrief" in out and "Not answered." in out
    assert "Your plan's own gaps:" in out and "ask.by: the ask has no date" in out
    assert "safety:" in out and "record:" in out


def test_profile_defaults_then_set_and_stages_stored_beside_the_history(tmp_path, data, capsys):
    assert main([*data, "profile"]) == 0
    out = capsys.readouterr().out
    assert "the defaults" in out and "2. Line managers: 3 working days" in out
    assert main([*data, "profile", "--set", "partnership=Northbridge Safeguarding Children Partnership",
                 "--stage", "Practitioner to practitioner=2", "--stage", "Team managers=3",
                 "--stage", "Heads of service=5"]) == 0
    stored = tmp_path / "history-profile.yaml"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    out = capsys.readouterr().out
    assert "Northbridge Safeguarding Children Partnership" in out and "3. Heads of service: 5" in out
    # A plan's fallback reads the stored profile: stage 4 no longer exists.
    plan = tmp_path / "plan.yaml"
    plan.write_text(PLANTED.replace("5919", "5918").replace("LS6 2QT", "x") + "fallback:\n  stage: 4\n")
    main([*data, "prepare", "check", str(plan)])
    assert "no stage 4" in capsys.readouterr().err
    assert main([*data, "profile", "--set", "nonsense=1"]) == 2
    assert main([*data, "profile", "--reset"]) == 0
    assert "4. The safeguarding partnership" in capsys.readouterr().out
