"""The blind-options sheet gives the reader the options and nothing that gives the answer away,
and its key marks the options the scorer would call best."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "benchmarks" / "blind_options.py"


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), *args], capture_output=True, text=True, cwd=ROOT)


def sheet_items(sheet: str) -> dict[int, dict[str, str]]:
    """{item number: {letter: option text}} as the reader sees them."""
    items: dict[int, dict[str, str]] = {}
    current = None
    for line in sheet.splitlines():
        if heading := re.fullmatch(r"## (\d+)", line):
            current = items.setdefault(int(heading[1]), {})
        elif current is not None and (option := re.fullmatch(r"([A-Z])\. (.*)", line)):
            current[option[1]] = option[2]
    return items


def test_sheet_shows_only_options_and_key_marks_the_highest_evidence(tmp_path, minimal_path):
    sheet_path, key_path = tmp_path / "sheet.md", tmp_path / "key.json"
    done = run("sheet", str(minimal_path), "--seed", "7", "--out", str(sheet_path), "--key", str(key_path))
    assert done.returncode == 0, done.stderr
    sheet = sheet_path.read_text(encoding="utf-8")

    # Nothing from the scenario but the options' words: no id, title, speaker, line, feedback or condition.
    for giveaway in ("test-minimal", "Minimal", "Sam Ward", "The referral was below threshold", "Go on",
                     "Specific and calm", "Escalation when agreement", "trust", "not open enough", "listen"):
        assert giveaway not in sheet

    items = sheet_items(sheet)
    # Both decisions, each with the options on offer together: at 'listen' the
    # option locked until trust is high is never on offer beside the other two.
    assert sorted(len(options) for options in items.values()) == [2, 3]

    key = json.loads(key_path.read_text(encoding="utf-8"))
    best_text = {"open": "On 3 October Mia told us she was hit. Can we look again?",  # sums 3 against -3 and 2
                 "listen": "Would you take it to a strategy discussion?"}  # sums 3 against 1 and -4
    for entry in key["items"]:
        shown = items[entry["item"]]
        assert [shown[letter] for letter in entry["best"]] == [best_text[entry["node"]]]
        assert entry["scenario"] == "test-minimal"


def test_score_reports_rate_beside_chance(tmp_path, minimal_path):
    sheet_path, key_path, answers = tmp_path / "sheet.md", tmp_path / "key.json", tmp_path / "answers.txt"
    run("sheet", str(minimal_path), "--seed", "3", "--out", str(sheet_path), "--key", str(key_path))
    key = json.loads(key_path.read_text(encoding="utf-8"))
    first, second = key["items"]
    wrong = next(letter for letter in second["options"] if letter not in second["best"])
    answers.write_text(f"{first['item']} {first['best'][0].lower()}\n{second['item']} {wrong}\n", encoding="utf-8")

    done = run("score", "--key", str(key_path), "--answers", str(answers))
    assert done.returncode == 0, done.stderr
    overall = next(line for line in done.stdout.splitlines() if line.startswith("overall"))
    # One of two right; a blind guess gets one in three at one decision and one
    # in two at the other: 42% on average.
    assert re.search(r"2/2\s+1\s+50%\s+42%", overall), overall


def test_score_refuses_a_letter_the_item_does_not_have(tmp_path, minimal_path):
    sheet_path, key_path, answers = tmp_path / "sheet.md", tmp_path / "key.json", tmp_path / "answers.txt"
    run("sheet", str(minimal_path), "--seed", "3", "--out", str(sheet_path), "--key", str(key_path))
    answers.write_text("1 F\n", encoding="utf-8")
    done = run("score", "--key", str(key_path), "--answers", str(answers))
    assert done.returncode != 0 and "F is not one of its options" in done.stderr
