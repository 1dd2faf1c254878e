"""`rehearse play` keeps an attempt as the app does: history lists it, an
unfinished one is offered for resuming, export has it, and the end is a
debrief in plain lines a screen reader reads well."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

from simulator.records.store import Store

DSL = "dsl-mash-threshold"
BOX_DRAWING = re.compile(r"[\u2500-\u259f]")  # box drawing and block elements


def rehearse(*args: str, stdin: str = "", data: Path) -> subprocess.CompletedProcess:
    """The installed command, at a prompt fed by ``stdin``, as a user would run it."""
    return subprocess.run([sys.executable, "-m", "simulator", *args, "--data", str(data)], input=stdin,
                          capture_output=True, text=True, timeout=120)


def saved_decisions(path: Path) -> list[int]:
    """Decisions kept on each attempt's route, newest attempt first."""
    if not path.exists():
        return []
    with Store(path, access="read") as store:
        return [sum(not d.rewound for d in store.attempt(a.id).decisions) for a in store.attempts()]


def route_ids(scenario_id: str, numbers: list[int]) -> list[str]:
    """The choice ids a route of option numbers takes."""
    from simulator.engine.session import Session
    from simulator.format.library import find

    session = Session(find(scenario_id).scenario)
    for number in numbers:
        session.choose_number(number)
    return [move.choice_id for move in session.moves]


def test_playing_at_a_prompt_puts_the_attempt_in_history_and_export(tmp_path):
    data = tmp_path / "h.sqlite"
    played = rehearse("play", DSL, stdin="1\n" * 8, data=data)
    assert played.returncode == 0, played.stderr
    assert "Saved in your history" in played.stdout
    listed = rehearse("history", data=data)
    assert "Below threshold? Chal" in listed.stdout and "unfinished" not in listed.stdout
    assert "Child at risk" in listed.stdout  # the ending the all-ones route reaches
    exported = json.loads(rehearse("export", data=data).stdout)
    assert [a["scenario_id"] for a in exported["attempts"]] == [DSL]


def test_quitting_after_two_decisions_then_playing_again_offers_resume_and_finishes_it(tmp_path):
    data = tmp_path / "h.sqlite"
    first = rehearse("play", DSL, stdin="1\n2\nq\n", data=data)
    assert first.returncode == 0, first.stderr
    assert f"To resume, run: rehearse play {DSL}\n" in first.stdout
    assert "unfinished" in rehearse("history", data=data).stdout
    assert saved_decisions(data) == [2]
    again = rehearse("play", DSL, stdin="\n" + "1\n" * 8, data=data)
    assert "Unfinished attempt found: started " in again.stdout
    assert ", 2 decisions made." in again.stdout and "Resuming" in again.stdout
    # The two decisions made before quitting are read out again, then play goes on to an ending.
    assert again.stdout.count("Your choice") >= 3 and "\nDebrief\n" in again.stdout
    with Store(data, access="read") as store:
        attempts = store.attempts()
        assert len(attempts) == 1 and attempts[0].finished  # resumed, not begun again
        kept = [d.choice_id for d in store.attempt(attempts[0].id).decisions]
    assert kept[:2] == route_ids(DSL, [1, 2])
    assert "unfinished" not in rehearse("history", data=data).stdout


def test_starting_afresh_leaves_the_unfinished_attempt_in_history(tmp_path):
    data = tmp_path / "h.sqlite"
    rehearse("play", DSL, stdin="1\nq\n", data=data)
    rehearse("play", DSL, stdin="n\n2\nq\n", data=data)
    assert saved_decisions(data) == [1, 1]


def test_no_record_keeps_nothing(tmp_path):
    data = tmp_path / "h.sqlite"
    played = rehearse("play", DSL, "--no-record", stdin="1\n" * 8, data=data)
    assert played.returncode == 0 and "\nDebrief\n" in played.stdout
    assert not data.exists() and list(tmp_path.iterdir()) == []
    chosen = rehearse("play", DSL, "--no-record", "--choices", "1,1", data=data)
    assert chosen.returncode == 0 and not data.exists()


def test_the_plain_debrief_names_outcome_score_and_weakest_competency_without_box_drawing(tmp_path):
    played = rehearse("play", DSL, "--choices", "1,1,1,1,1", data=tmp_path / "h.sqlite")
    assert played.returncode == 0, played.stderr
    debrief = played.stdout[played.stdout.index("\nDebrief\n"):]
    assert not BOX_DRAWING.search(played.stdout)
    assert ": one chance, " in debrief  # a quality met once is not given a band
    assert "\nOutcome: Child at risk. Leo left at risk over the weekend\n" in debrief
    assert re.search(r"\nScore: \d+ out of 100, \w", debrief)
    weakest = re.search(r"\nWeakest competency: ([^:]+): (\d+) out of 100", debrief)
    assert weakest is not None
    # Weakest first: the competency named is the first listed, and no listed one scores lower.
    listed = re.findall(r"\n  ([A-Z][^:\n]+): (\d+) out of 100", debrief)
    assert listed[0] == weakest.groups() and min(int(s) for _, s in listed) == int(weakest[2])
    assert all(len(line) <= 78 for line in debrief[:debrief.index("\nHistory file: ")].splitlines())
    # --choices keeps the route too.
    assert saved_decisions(tmp_path / "h.sqlite") == [5]


def test_an_undo_at_the_prompt_is_kept_as_a_rewind(tmp_path):
    data = tmp_path / "h.sqlite"
    rehearse("play", DSL, stdin="1\n1\nu\n2\nq\n", data=data)
    with Store(data, access="read") as store:
        attempt = store.attempt(store.attempts()[0].id)
    assert attempt.rewinds == 1
    taken_back, retaken = route_ids(DSL, [1, 1])[1], route_ids(DSL, [1, 2])[1]
    assert [(d.choice_id, d.rewound) for d in attempt.decisions][1:] == [(taken_back, True), (retaken, False)]


def test_a_killed_play_keeps_every_decision_saved_before_it_and_resumes(tmp_path):
    data = tmp_path / "h.sqlite"
    player = subprocess.Popen([sys.executable, "-m", "simulator", "play", DSL, "--data", str(data)],
                              stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)
    try:
        player.stdin.write("1\n2\n")
        player.stdin.flush()
        deadline = time.monotonic() + 30
        while saved_decisions(data) != [2] and time.monotonic() < deadline:
            time.sleep(0.05)
        assert saved_decisions(data) == [2]
    finally:
        os.kill(player.pid, signal.SIGKILL)
        player.wait(10)
    again = rehearse("play", DSL, stdin="y\nq\n", data=data)
    assert ", 2 decisions made." in again.stdout


def test_a_busy_history_file_is_said_and_the_decision_saved_once_it_is_free(tmp_path, minimal):
    from simulator.engine.plain import run_interactive
    from simulator.engine.session import Session
    from simulator.records.play_record import PlayRecord

    path = tmp_path / "h.sqlite"
    record = PlayRecord.open(path, minimal, retry_delays=(0.05,), write_patience_ms=100)
    Store(path).close()  # the file exists before another program locks it
    out = io.StringIO()
    lock = held_lock(path)
    steps = iter(["1", "wait", "1"])

    def read(prompt: str) -> str:
        step = next(steps)
        if step == "1" and record.pending == 0 and not out.getvalue().count("Not saved yet"):
            lock.__enter__()
            return "1"
        if step == "wait":
            assert until(lambda: record.trouble is not None)
            return "c"  # anything that shows the prompt again: the news is said before it
        lock.__exit__(None, None, None)
        return step

    run_interactive(Session(minimal), read, out, recorder=record)
    text = " ".join(out.getvalue().split())
    assert "Not saved yet: another program is using your history file" in text
    assert record.close(5) == 0
    assert saved_decisions(path) == [2]
    with Store(path, access="read") as store:
        assert store.attempts()[0].finished


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextlib.contextmanager
def held_lock(path: Path):
    """Another program holding the history file's write lock, in a process of its own."""
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys\n"
         "db = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
         "db.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\nsys.stdin.readline()\n"
         "db.execute('ROLLBACK')\ndb.close()\n", str(path)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(10)
