"""Every command that writes a file: never over a file that is there, never
through a link, owner-only, and the message names the file really written."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from cohort_fixtures import MINIMAL, fill_demo_cohort

from simulator.cli import main

pytestmark = pytest.mark.skipif(os.name != "posix", reason="file modes and links as POSIX has them")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


def only_new_file(folder: Path, before: set[Path]) -> Path:
    new = set(folder.iterdir()) - before
    assert len(new) == 1, new
    return new.pop()


@pytest.fixture
def history(tmp_path) -> Path:
    path = tmp_path / "cohort.db"
    fill_demo_cohort(path)
    return path


def test_export_out_over_a_world_readable_file_keeps_it_and_writes_a_private_new_one(history, tmp_path, capsys):
    folder = tmp_path / "out"
    folder.mkdir()
    theirs = folder / "e.csv"
    theirs.write_text("last year's figures\n")
    theirs.chmod(0o644)
    before = set(folder.iterdir())
    assert main(["--data", str(history), "export", "--format", "csv", "--out", str(theirs)]) == 0
    assert theirs.read_text() == "last year's figures\n" and mode(theirs) == 0o644
    written = only_new_file(folder, before)
    assert mode(written) == 0o600 and "scenario_id" in written.read_text("utf-8-sig")
    message = capsys.readouterr().err
    assert f"to {written}" in message and "left as it was" in message


def test_export_out_through_a_link_never_writes_into_its_target(history, tmp_path, capsys):
    target = tmp_path / "target.txt"
    target.write_text("not yours")
    link = tmp_path / "e.csv"
    link.symlink_to(target)
    assert main(["--data", str(history), "export", "--format", "csv", "--out", str(link)]) == 0
    assert target.read_text() == "not yours" and link.is_symlink()
    assert str(link) not in capsys.readouterr().err.split(" to ")[1].split(" (")[0]


def test_two_exports_to_one_name_both_survive(history, tmp_path, capsys):
    out = tmp_path / "e.json"
    for _ in range(2):
        assert main(["--data", str(history), "export", "--out", str(out)]) == 0
    files = sorted(tmp_path.glob("e*.json"))
    assert len(files) == 2 and all(mode(f) == 0o600 for f in files)


def test_play_report_over_an_existing_file_keeps_it(tmp_path, capsys):
    report = tmp_path / "debrief.html"
    report.write_text("my annotated copy")
    report.chmod(0o644)
    assert main(["play", str(MINIMAL), "--choices", "1,1", "--report", str(report), "--no-record"]) == 0
    assert report.read_text() == "my annotated copy" and mode(report) == 0o644
    written = only_new_file(tmp_path, {report})
    assert mode(written) == 0o600 and "Strategy discussion" in written.read_text()
    assert f"Report written to {written}" in capsys.readouterr().out


def test_graph_out_through_a_dangling_link_creates_nothing_at_its_target(tmp_path, capsys):
    link = tmp_path / "graph.html"
    link.symlink_to(tmp_path / "planted.html")
    assert main(["graph", str(MINIMAL), "--format", "html", "--out", str(link)]) == 0
    assert not (tmp_path / "planted.html").exists()
    written = only_new_file(tmp_path, {link})
    assert mode(written) == 0o600 and f"Graph written to {written}" in capsys.readouterr().err


def test_new_creates_an_owner_only_starter_and_refuses_a_taken_name(tmp_path, capsys):
    assert main(["new", "my-test", "--out", str(tmp_path)]) == 0
    starter = tmp_path / "my-test.yaml"
    assert mode(starter) == 0o600
    first = starter.read_text()
    assert main(["new", "my-test", "--out", str(tmp_path)]) == 2
    assert starter.read_text() == first and sorted(tmp_path.iterdir()) == [starter]
