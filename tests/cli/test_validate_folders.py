"""`rehearse validate` and `list` on folders, as a trainer organises them."""

from __future__ import annotations

import shutil
from pathlib import Path

from simulator.cli import main

MINIMAL = Path(__file__).resolve().parents[1] / "fixtures" / "minimal.yaml"


def test_a_folder_with_no_scenarios_is_said_plainly_not_passed(tmp_path, capsys):
    (tmp_path / "notes.md").write_text("# not a scenario")
    assert main(["validate", str(tmp_path)]) == 2
    captured = capsys.readouterr()
    assert "holds no scenario files" in captured.err
    assert "checked 0 files" not in captured.out
    assert main(["list", str(tmp_path)]) == 2


def test_scenarios_in_folders_below_are_found(tmp_path, capsys):
    deep = tmp_path / "children" / "health"
    deep.mkdir(parents=True)
    shutil.copy(MINIMAL, deep / "minimal.yaml")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "stray.yaml").write_text("not: a scenario")
    assert main(["validate", str(tmp_path)]) == 0
    assert "checked 1 file: 0 errors" in capsys.readouterr().out
    assert main(["list", str(tmp_path)]) == 0
    assert "test-minimal" in capsys.readouterr().out
