"""Files a plan produces: owner-only, never overwriting, and a starter that
checks clean or lists what to fill in."""

from __future__ import annotations

import os
import stat

import pytest
from prepare_fixtures import TODAY

from simulator.prepare.loader import check_plan, load_plan
from simulator.prepare.outputs import write_output
from simulator.prepare.profile import default_profile
from simulator.prepare.render_html import render_html
from simulator.prepare.starter import write_starter


def mode(path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.mark.parametrize("example", [False, True])
def test_a_new_plan_is_owner_only_and_loads(tmp_path, example):
    path = write_starter(tmp_path / "plan.yaml", example=example)
    assert mode(path) == 0o600
    plan, diagnostics = load_plan(path, TODAY)
    assert plan is not None and diagnostics == []
    assert f"rehearse prepare check {path}" in path.read_text()


def test_the_starter_modeline_points_at_the_installed_schema(tmp_path):
    first = write_starter(tmp_path / "plan.yaml").read_text().splitlines()[0]
    assert first.startswith("# yaml-language-server: $schema=file://") and first.endswith("plan.schema.json")
    assert os.path.exists(first.split("file://", 1)[1])


def test_nothing_is_ever_overwritten(tmp_path):
    path = tmp_path / "plan.yaml"
    path.write_text("mine")
    with pytest.raises(FileExistsError):
        write_starter(path, example=True)
    with pytest.raises(FileExistsError):
        write_output(path, "theirs")
    assert path.read_text() == "mine"


def test_a_link_at_the_output_path_is_refused_not_followed(tmp_path):
    target = tmp_path / "elsewhere.html"
    link = tmp_path / "plan.html"
    link.symlink_to(target)
    with pytest.raises(FileExistsError):
        write_output(link, "<p>case detail</p>")
    assert not target.exists()


def test_a_rendered_page_is_owner_only(tmp_path):
    plan, _ = load_plan(write_starter(tmp_path / "plan.yaml", example=True), TODAY)
    page = write_output(tmp_path / "plan.html", render_html(plan, default_profile(), today=TODAY))
    assert mode(page) == 0o600


def test_check_exits_one_for_identifiers_and_errors_and_zero_for_a_clean_plan(tmp_path):
    clean = write_starter(tmp_path / "clean.yaml", example=True)
    assert check_plan(clean, default_profile(), TODAY)[2] == 0
    risky = tmp_path / "risky.yaml"
    risky.write_text(clean.read_text().replace("aged 14", "aged 14, NHS 943 476 5919"))
    plan, diagnostics, status = check_plan(risky, default_profile(), TODAY)
    assert status == 1 and plan is not None and [d.severity for d in diagnostics] == ["warning"]
    broken = tmp_path / "broken.yaml"
    broken.write_text("about: child\narea: [\n")
    plan, diagnostics, status = check_plan(broken, default_profile(), TODAY)
    assert status == 1 and plan is None and diagnostics[0].severity == "error"


def test_missing_and_empty_files_are_diagnostics(tmp_path):
    assert "no plan file" in load_plan(tmp_path / "absent.yaml")[1][0].message
    empty = tmp_path / "empty.yaml"
    empty.write_text("# only a comment\n")
    assert "the plan is empty" in load_plan(empty)[1][0].message
    assert "folder" in load_plan(tmp_path)[1][0].message


def test_prepare_loads_without_textual_so_the_commands_start_fast():
    import subprocess
    import sys

    code = ("import sys, simulator.prepare.loader, simulator.prepare.render_html, simulator.prepare.render_markdown, "
            "simulator.prepare.pushbacks, simulator.prepare.drafts, simulator.prepare.starter\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
