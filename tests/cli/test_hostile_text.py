"""A hostile scenario through every command: escapes, a right-to-left
override, zero-width characters and a huge condition are shown, never obeyed,
never echoed whole, and special paths are said in words."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.cli import main
from simulator.records.store import Store

HOSTILE = str(Path(__file__).parents[1] / "fixtures" / "hostile" / "hostile.yaml")
MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
ESC = "\x1b"
# What no output may carry: an escape (every ANSI, OSC and CSI sequence starts
# with one, or with C1's CSI), a bell, bidi controls and zero-width characters.
FORBIDDEN = [ESC, "\x07", "\x9b", "\u202e", "\u202c", "\u2066", "\u2069", "\u200b", "\u200d"]


def assert_inert(text: str) -> None:
    found = [repr(c) for c in FORBIDDEN if c in text]
    assert not found, f"raw {', '.join(found)} in the output"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_list_of_a_folder_with_a_broken_file_named_with_escapes(tmp_path, capsys):
    (tmp_path / f"bad{ESC}]2;PWNED{ESC}\\{ESC}[31mRED.yaml").write_text("id: [", encoding="utf-8")
    status, out, err = run(capsys, "list", str(tmp_path))
    assert_inert(out + err)
    assert "\\x1b]2;PWNED" in out  # the name is shown, written out


def test_validate_of_a_missing_path_with_escapes(tmp_path, capsys):
    status, out, err = run(capsys, "validate", str(tmp_path / f"gone{ESC}]2;PWNED{ESC}\\"))
    assert status == 2
    assert_inert(out + err)
    assert "\\x1b]2;PWNED" in err


def test_graph_out_message_with_escapes(tmp_path, capsys):
    target = tmp_path / f"g{ESC}[31mRED.mmd"
    status, out, err = run(capsys, "graph", HOSTILE, "--out", str(target))
    assert status == 0
    assert_inert(out + err)
    assert "\\x1b[31mRED" in err


@pytest.mark.parametrize("argv", [
    ["list", str(Path(HOSTILE).parent)],
    ["validate", HOSTILE],
    ["validate", "--format", "json", HOSTILE],
    ["analyse", HOSTILE],
    ["play", HOSTILE, "--choices", "1,1"],
    ["graph", HOSTILE],
    ["graph", HOSTILE, "--format", "dot"],
    ["graph", HOSTILE, "--format", "html"],
], ids=lambda a: " ".join(a[:1] + a[2:])[:40])
def test_every_command_shows_the_hostile_scenario_literally(argv, capsys):
    status, out, err = run(capsys, *argv)
    assert_inert(out + err)
    assert status in (0, 1) and (out + err).strip()


def test_validate_warns_of_right_to_left_overrides_and_zero_width_with_line_and_column(capsys):
    status, out, err = run(capsys, "validate", HOSTILE)
    invisible = [line for line in out.splitlines() if "invisible character" in line]
    # situation (override and zero-width), the character's role and agency, an
    # option, the source, the impact: each with its place in the file.
    assert any(line.startswith(f"{HOSTILE}:9:12:") and "U+202E" in line for line in invisible), invisible
    assert any(":15:11:" in line and "U+202E" in line for line in invisible)
    assert any(":16:13:" in line and "U+2066" in line for line in invisible)
    assert any(":23:" in line and "U+200D" in line for line in invisible)


def test_a_huge_condition_is_not_echoed_whole(tmp_path, capsys):
    text = Path(MINIMAL).read_text(encoding="utf-8")
    long_condition = "trust >= 3" + " and trust > 1" * 21_500  # about 300,000 characters
    assert len(long_condition) > 300_000
    path = tmp_path / "long.yaml"
    path.write_text(text.replace("condition: trust >= 3\n", f'condition: "{long_condition}"\n', 1), encoding="utf-8")
    status, out, err = run(capsys, "validate", str(path))
    assert status == 1
    longest = max(len(line) for line in (out + err).splitlines())
    assert longest < 400, longest
    assert f"{len(long_condition):,} characters" in out


def test_a_path_of_5000_characters_is_a_message_not_a_traceback(capsys):
    long_path = "a" * 5000
    for argv in (["validate", long_path], ["list", long_path], ["play", long_path], ["graph", long_path],
                 ["analyse", long_path], ["import", long_path]):
        status = main(argv)
        out, err = capsys.readouterr()
        assert status == 2, argv
        assert "too long" in err and "5,000 characters" in err, (argv, err[:300])
        assert max(len(line) for line in err.splitlines()) < 300


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_import_of_a_device_says_what_it_is(capsys):
    status, out, err = run(capsys, "import", "/dev/zero")
    assert status == 2
    assert "is a device, not a file" in err
    assert "does not exist" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_import_of_a_named_pipe_says_what_it_is(tmp_path, capsys):
    os.mkfifo(tmp_path / "pipe.twee")
    status, out, err = run(capsys, "import", str(tmp_path / "pipe.twee"))
    assert status == 2 and "named pipe" in err


def test_new_with_a_120_character_id_refuses_and_writes_nothing(tmp_path, capsys):
    status, out, err = run(capsys, "new", "a" * 120, "--out", str(tmp_path))
    assert status == 2
    assert "at most 80" in err
    assert list(tmp_path.iterdir()) == []


def test_new_with_the_longest_id_writes_a_starter_that_validates(tmp_path, capsys):
    assert run(capsys, "new", "b" * 80, "--out", str(tmp_path))[0] == 0
    assert run(capsys, "validate", str(tmp_path / f"{'b' * 80}.yaml"))[0] == 0


def _rehearse(*argv: str, stdin: str = "", encoding: str = "ascii") -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run([sys.executable, "-m", "simulator", *argv], input=stdin.encode(), env=env,
                          capture_output=True, timeout=120)


def test_play_and_history_work_on_an_ascii_terminal(tmp_path):
    data = str(tmp_path / "h.db")
    with Store(data) as store:
        store.start_attempt("test-minimal", "Café — “quoted” title", learner="Zoë")
    played = _rehearse("play", MINIMAL, stdin="1\n1\n")
    assert played.returncode == 0, played.stderr.decode()[-500:]
    assert b"Traceback" not in played.stderr
    assert b"Ended" in played.stdout
    history = _rehearse("--data", data, "history")
    assert history.returncode == 0, history.stderr.decode()[-500:]
    assert b"Caf" in history.stdout and b"Traceback" not in history.stderr


def test_export_csv_is_inert_and_starts_no_formula(tmp_path, capsys):
    data = tmp_path / "h.db"
    with Store(data) as store:
        store.start_attempt("test-hostile", f"Osc{ESC}]2;PWNED{ESC}\\ \u202eevil", learner="=HYPERLINK(\"x\")")
        store.start_attempt("test-hostile", "@SUM(1)", learner="  +cmd|' /C calc'!A0")
        store.start_attempt("test-hostile", "-2+3", learner=f"Sam{ESC}[31mRED")
    out_file = tmp_path / "e.csv"
    assert main(["--data", str(data), "export", "--format", "csv", "--out", str(out_file)]) == 0
    text = out_file.read_text(encoding="utf-8")
    assert_inert(text)
    for row in csv.DictReader(io.StringIO(text)):
        for column in ("title", "learner"):
            assert row[column].lstrip(" ")[:1] not in ("=", "+", "-", "@"), row
    capsys.readouterr()
    assert main(["--data", str(data), "export", "--format", "json"]) == 0
    assert_inert(capsys.readouterr().out)


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_reports_of_the_hostile_scenario_are_inert(tmp_path, capsys, suffix):
    report = tmp_path / f"r{suffix}"
    assert main(["play", HOSTILE, "--choices", "1,1", "--report", str(report)]) == 0
    text = report.read_text(encoding="utf-8")
    assert_inert(text)
    assert "PWNED" in text or "REDOPTION" in text
