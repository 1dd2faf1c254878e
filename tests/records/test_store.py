"""The attempt store: private, durable, migratable; and `rehearse history` / `export`."""

import csv
import io
import json
import os
import signal
import sqlite3
import stat
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from scoring.reports import to_json
from scoring.scorer import score
from simulator.cli import main
from simulator.engine.session import Session
from simulator.records.migrations import MIGRATIONS, migrate
from simulator.records.sqlite_file import retrying
from simulator.records.store import NewerStoreError, Store, StoreError, default_path, scorecard_summary

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX permissions and signals")


class Clock:
    """A fixed clock the test moves on by hand."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, minutes: int = 1) -> None:
        self.now += timedelta(minutes=minutes)


@pytest.fixture(autouse=True)
def no_user_data(tmp_path, monkeypatch):
    # No test may read or write the real user's history.
    monkeypatch.setenv("REHEARSE_DATA", str(tmp_path / "default" / "rehearse.db"))


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def store(tmp_path, clock):
    with Store(tmp_path / "history.db", clock=clock) as opened:
        yield opened


def play(store, scenario, numbers, learner="", mode="debrief", finish=True):
    """Play ``numbers`` (menu positions) through the store as the app would."""
    attempt = store.start_attempt(scenario.id, scenario.title, learner=learner, mode=mode)
    session = Session(scenario, learner=learner)
    for number in numbers:
        node = session.node.id
        choice = session.choices()[number - 1].id
        session.choose(choice)
        store.record_decision(attempt, session.to_json(), node, choice, hint_used=False)
    if finish and session.finished:
        log = session.evidence_log()
        card = score(log)
        store.finish_attempt(attempt, session.to_json(), session.outcome, session.node.id,
                             scorecard_summary(card), to_json(log, scorecard=card))
    return attempt, session


def finished_with(store, scenario_id, overall, learner="", clock=None):
    """An attempt finished with a given overall score (no scenario needed)."""
    attempt = store.start_attempt(scenario_id, "A title", learner=learner)
    store.finish_attempt(attempt, {}, "resolved", "end", {"overall": overall, "competencies": {}}, "{}")
    if clock:
        clock.tick()
    return attempt


# -- privacy and durability --------------------------------------------------------

@POSIX
def test_a_new_file_is_owner_only_and_so_is_the_folder_made_for_it(tmp_path):
    path = tmp_path / "new-folder" / "history.db"
    with Store(path) as store:
        store.set_setting("theme", "dark")  # a write, so the WAL file exists too
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
        wal = path.with_name(path.name + "-wal")
        assert wal.exists() and stat.S_IMODE(os.stat(wal).st_mode) == 0o600


def test_the_file_uses_write_ahead_logging(store):
    other = sqlite3.connect(store.path)
    assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    other.close()


def test_a_decision_is_visible_to_a_second_connection_at_once(store, minimal):
    attempt, _ = play(store, minimal, [1], finish=False)
    other = sqlite3.connect(store.path)
    rows = other.execute("SELECT node_id, choice_id FROM decisions WHERE attempt_id = ?", (attempt,)).fetchall()
    saved = json.loads(other.execute("SELECT session_json FROM attempts WHERE id = ?", (attempt,)).fetchone()[0])
    other.close()
    assert rows == [("open", "cite")]
    assert saved["moves"] == [{"node": "open", "choice": "cite", "hint": False}]


KILLED_MID_SCENARIO = """
import sys, time
from simulator.engine.session import Session
from simulator.format.loader import load_file
from simulator.records.store import Store

scenario = load_file(sys.argv[1]).scenario
store = Store(sys.argv[2])
attempt = store.start_attempt(scenario.id, scenario.title, learner="Asha")
session = Session(scenario, learner="Asha")
node = session.node.id
session.choose("cite")
store.record_decision(attempt, session.to_json(), node, "cite", False)
print("READY", attempt, flush=True)
time.sleep(120)
"""


@POSIX
def test_a_session_killed_mid_scenario_resumes_after_its_last_decision(tmp_path, minimal_path, minimal):
    path = tmp_path / "history.db"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_MID_SCENARIO, str(minimal_path), str(path)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith("READY"), line + process.stderr.read()
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    attempt_id = int(line.split()[1])

    with Store(path) as store:
        saved = store.attempt(attempt_id)
        assert [a.id for a in store.unfinished("Asha")] == [attempt_id]
    resumed = Session.from_json(minimal, saved.session_json)
    expected = Session(minimal)
    expected.choose("cite")
    assert resumed.node.id == "listen" == expected.node.id
    assert resumed.variables == expected.variables
    assert resumed.learner == "Asha"
    assert [(d.node_id, d.choice_id) for d in saved.decisions] == [("open", "cite")]


def test_a_locked_write_is_retried_then_succeeds():
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert retrying(flaky) == "done" and len(calls) == 3


def test_a_write_waits_while_another_connection_is_writing(store, minimal):
    import threading

    # check_same_thread=False: the timer thread ends the other writer's transaction.
    other = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(0.3, lambda: other.execute("COMMIT"))
    release.start()
    try:
        attempt = store.start_attempt(minimal.id, minimal.title)
    finally:
        release.join()
        other.close()
    assert store.attempt(attempt) is not None


# -- migrations ------------------------------------------------------------------

def _add_notes(db):
    db.execute("ALTER TABLE attempts ADD COLUMN notes TEXT NOT NULL DEFAULT ''")


def test_an_older_file_is_migrated_and_keeps_its_attempts(tmp_path):
    path = tmp_path / "history.db"
    with Store(path) as store:
        attempt = store.start_attempt("s", "A title", learner="Asha")
    db = sqlite3.connect(path, isolation_level=None)
    try:
        current = len(MIGRATIONS)
        assert db.execute("PRAGMA user_version").fetchone()[0] == current
        assert migrate(db, MIGRATIONS + (_add_notes,)) == current + 1
        assert db.execute("PRAGMA user_version").fetchone()[0] == current + 1
        assert db.execute("SELECT learner, notes FROM attempts WHERE id = ?", (attempt,)).fetchone() == ("Asha", "")
        assert migrate(db, MIGRATIONS + (_add_notes,)) == current + 1  # already current: nothing runs twice
    finally:
        db.close()


def test_a_failed_migration_leaves_the_file_as_it_was(tmp_path):
    path = tmp_path / "history.db"
    Store(path).close()

    def half_done(db):
        db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
        raise RuntimeError("interrupted")

    db = sqlite3.connect(path, isolation_level=None)
    try:
        with pytest.raises(RuntimeError):
            migrate(db, MIGRATIONS + (half_done,))
        assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'notes'").fetchone() is None
    finally:
        db.close()


def _from_the_future(path):
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.commit()
    db.close()


def test_a_file_from_a_newer_rehearse_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "history.db"
    _from_the_future(path)
    with pytest.raises(NewerStoreError, match=rf"newer version of Rehearse \(format 99; this version reads up to {len(MIGRATIONS)}\)"):
        Store(path)


def test_the_cli_refuses_a_newer_file_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "history.db"
    _from_the_future(path)
    assert main(["--data", str(path), "history"]) == 1
    err = capsys.readouterr().err
    assert "newer version of Rehearse" in err and "Traceback" not in err


def test_a_file_that_is_not_a_database_is_a_clear_error(tmp_path, capsys):
    path = tmp_path / "notes.db"
    path.write_bytes(b"these are my meeting notes, not a database" * 50)
    with pytest.raises(StoreError, match="not a Rehearse history file"):
        Store(path)
    assert main(["--data", str(path), "export"]) == 1
    assert "not a Rehearse history file" in capsys.readouterr().err
    assert path.read_bytes() == b"these are my meeting notes, not a database" * 50


# -- attempts ------------------------------------------------------------------

def test_a_finished_attempt_keeps_its_scores_report_and_ending(store, minimal, clock):
    attempt, session = play(store, minimal, [1, 1], learner="Asha")
    record = store.attempt(attempt)
    assert record.finished_at == "2026-03-02T12:00:00+00:00" and record.finished
    assert (record.outcome, record.ending_node) == ("resolved", "agreed")
    assert round(record.overall, 1) == 100  # the best route (issue 12: 100)
    assert set(record.competencies) >= {"composure", "evidence"}
    assert json.loads(record.report_json)["scenario"]["id"] == minimal.id
    assert record.session_json == session.to_json()
    with pytest.raises(ValueError, match="is finished"):
        store.record_decision(attempt, session.to_json(), "listen", "x", False)


def test_attempts_are_listed_newest_first_and_filtered(store, minimal, clock):
    first, _ = play(store, minimal, [1, 1], learner="Asha")
    clock.tick()
    second, _ = play(store, minimal, [2], learner="Ben", finish=False)
    clock.tick()
    other = store.start_attempt("another", "Another", learner="Asha", mode="coach")
    assert [a.id for a in store.attempts()] == [other, second, first]
    assert [a.id for a in store.attempts(scenario_id=minimal.id)] == [second, first]
    assert [a.id for a in store.attempts(learner="Asha")] == [other, first]
    summary = store.attempts(learner="Ben")[0]
    assert (summary.title, summary.mode, summary.outcome, summary.overall) == (minimal.title, "debrief", None, None)
    with pytest.raises(ValueError):
        store.start_attempt("s", "t", mode="exam")


def test_unfinished_lists_only_attempts_without_an_ending(store, minimal, clock):
    play(store, minimal, [1, 1], learner="Asha")
    clock.tick()
    open_asha, _ = play(store, minimal, [1], learner="Asha", finish=False)
    clock.tick()
    open_ben, _ = play(store, minimal, [2], learner="Ben", finish=False)
    assert [a.id for a in store.unfinished()] == [open_ben, open_asha]
    assert [a.id for a in store.unfinished("Asha")] == [open_asha]


def test_a_rewind_marks_later_decisions_and_saves_the_session(store, minimal):
    attempt = store.start_attempt(minimal.id, minimal.title)
    session = Session(minimal)
    session.use_hint()
    session.choose("cite")
    store.record_decision(attempt, session.to_json(), "open", "cite", True)
    session.rewind(0)
    store.record_rewind(attempt, session.to_json(), 0)
    session.choose_number(3)
    store.record_decision(attempt, session.to_json(), "open", session.moves[-1].choice_id, False)
    record = store.attempt(attempt)
    assert [(d.seq, d.rewound, d.hint_used) for d in record.decisions] == [(1, True, True), (2, False, False)]
    assert (record.rewinds, record.hints) == (1, 0)
    assert Session.from_json(minimal, record.session_json).node.id == "listen"
    with pytest.raises(IndexError):
        store.record_rewind(attempt, session.to_json(), 5)


def test_delete_removes_the_attempt_and_its_decisions(store, minimal):
    attempt, _ = play(store, minimal, [1, 1])
    kept, _ = play(store, minimal, [1])
    assert store.delete_attempt(attempt) is True
    assert store.attempt(attempt) is None
    assert [a.id for a in store.attempts()] == [kept]
    other = sqlite3.connect(store.path)
    assert other.execute("SELECT COUNT(*) FROM decisions WHERE attempt_id = ?", (attempt,)).fetchone()[0] == 0
    other.close()
    assert store.delete_attempt(attempt) is False


def test_best_is_the_highest_finished_score(store, clock):
    finished_with(store, "s", 40.0, "Asha", clock)
    finished_with(store, "s", 80.0, "Asha", clock)
    finished_with(store, "s", None, "Asha", clock)  # nothing assessed
    finished_with(store, "s", 95.0, "Ben", clock)
    store.start_attempt("s", "A title", learner="Asha")  # unfinished: no score
    assert store.best("s", "Asha") == 80.0
    assert store.best("s", learner=None) == 95.0
    assert store.best("s") is None  # no finished attempt without a name
    assert store.best("unknown", "Asha") is None


def test_settings_round_trip_as_json(store):
    assert store.get_setting("missing", "fallback") == "fallback"
    store.set_setting("layout", {"wide": True, "columns": [1, 2]})
    store.set_setting("learner", "Asha")
    store.set_setting("learner", "Ben")
    assert store.get_setting("layout") == {"wide": True, "columns": [1, 2]}
    assert store.get_setting("learner") == "Ben"


def test_scorecard_summary_keeps_overall_and_each_competency(minimal):
    session = Session(minimal)
    session.choose("cite")
    card = score(session.evidence_log())
    summary = scorecard_summary(card)
    assert summary["overall"] == card.overall
    assert list(summary["competencies"]) == [c.id for c in card.competencies]
    assert json.loads(json.dumps(summary)) == summary


def test_default_path_is_the_environment_variable_else_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("REHEARSE_DATA", str(tmp_path / "mine.db"))
    assert default_path() == tmp_path / "mine.db"
    monkeypatch.delenv("REHEARSE_DATA")
    assert default_path().name == "rehearse.db" and "rehearse" in default_path().parent.name.lower()


# -- the command line --------------------------------------------------------------

def test_history_with_no_attempts_says_so_and_creates_nothing(tmp_path, capsys):
    path = tmp_path / "x.db"
    assert main(["--data", str(path), "history"]) == 0
    assert "No attempts yet" in capsys.readouterr().out
    assert not path.exists()


def test_history_lists_attempts_newest_first_with_names_made_inert(tmp_path, minimal, clock, capsys):
    path = tmp_path / "x.db"
    with Store(path, clock=clock) as store:
        play(store, minimal, [1, 1], learner="Asha")
        clock.tick()
        play(store, minimal, [2], learner="\x1b[31mEve", finish=False)
    assert main(["--data", str(path), "history"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert "\x1b" not in out and "\\x1b[31mEve" in lines[1]
    assert "unfinished" in lines[1] and "debrief" in lines[1]
    assert "Asha" in lines[2] and "Resolved" in lines[2] and "100" in lines[2]
    assert "2026-03-02" in lines[2]
    assert all(len(line) <= 80 for line in lines)

    assert main(["history", "--data", str(path), "--learner", "Asha"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 2
    assert main(["--data", str(path), "history", "--scenario", "nothing-here"]) == 0
    assert "No attempts match" in capsys.readouterr().out


@pytest.fixture
def history(tmp_path, minimal, clock):
    path = tmp_path / "x.db"
    with Store(path, clock=clock) as store:
        play(store, minimal, [1, 1], learner="Asha")
        clock.tick()
        play(store, minimal, [2], learner="=HYPERLINK(\"http://x\")", finish=False)
    return path


COLUMNS = ["id", "scenario_id", "title", "learner", "started_at", "finished_at", "outcome", "overall"]


def test_export_csv_has_a_row_per_attempt_and_a_column_per_competency(history, capsys):
    assert main(["--data", str(history), "export", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    from scoring.catalogue import load_catalogue

    competencies = [c.id for c in load_catalogue().competencies]
    assert list(rows[0]) == COLUMNS + competencies + ["own_words"]
    newest, oldest = rows
    assert (oldest["learner"], oldest["outcome"], round(float(oldest["overall"]), 1)) == ("Asha", "resolved", 100.0)
    assert (newest["outcome"], newest["overall"], newest["finished_at"]) == ("", "", "")
    # A name that looks like a formula stays text in a spreadsheet.
    assert newest["learner"].startswith("'=HYPERLINK")


def test_export_json_to_a_file_is_owner_only(history, tmp_path, capsys):
    target = tmp_path / "export.json"
    assert main(["--data", str(history), "export", "--format", "json", "--out", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [a["learner"] for a in data["attempts"]] == ['=HYPERLINK("http://x")', "Asha"]
    assert set(COLUMNS) <= set(data["attempts"][0])
    if os.name == "posix":
        assert stat.S_IMODE(os.stat(target).st_mode) == 0o600

    assert main(["--data", str(history), "export", "--format", "csv", "--out", str(tmp_path / "e.csv")]) == 0
    with open(tmp_path / "e.csv", encoding="utf-8-sig", newline="") as f:
        assert len(list(csv.DictReader(f))) == 2


def test_export_json_to_the_terminal_parses(history, capsys):
    assert main(["--data", str(history), "export"]) == 0
    assert len(json.loads(capsys.readouterr().out)["attempts"]) == 2


# -- cohorts ---------------------------------------------------------------------

def test_a_version_1_file_gains_cohorts_and_keeps_its_attempts(tmp_path):
    path = tmp_path / "history.db"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:1])
    db.execute("INSERT INTO attempts (scenario_id, scenario_title, learner, mode, started_at, updated_at)"
               " VALUES ('s', 'Old', 'Asha', 'debrief', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    db.close()
    with Store(path) as store:
        assert [a.learner for a in store.attempts()] == ["Asha"]
        store.create_cohort("tuesday", "K7Q2")
        store.start_attempt("s", "New", learner="Ben", cohort="tuesday", participant="p-1")
        assert [a.learner for a in store.attempts(cohort="tuesday")] == ["Ben"]


def test_a_cohort_keeps_its_join_code_when_created_again(tmp_path):
    with Store(tmp_path / "h.db") as store:
        first = store.create_cohort("tuesday", "K7Q2", scenario_id="dsl-mash-threshold")
        again = store.create_cohort("tuesday", "ZZZZ")
        assert again == first and again.join_code == "K7Q2"
        assert store.cohort("nobody") is None
        one = store.start_attempt("s", "T", learner="Ben", cohort="tuesday", participant="p-1")
        store.start_attempt("s", "T", learner="Cara")  # not in the cohort
        assert [a.id for a in store.cohort_attempts("tuesday")] == [one]
        assert store.cohort_attempts("tuesday")[0].participant == "p-1"


def test_a_version_4_file_gains_write_keys_so_a_step_tried_again_is_not_saved_twice(tmp_path):
    # Format 4 is what main wrote before write keys: attempts, and plans made in the app.
    path = tmp_path / "history.db"
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:4])
    db.execute("INSERT INTO attempts (scenario_id, scenario_title, learner, mode, started_at, updated_at)"
               " VALUES ('s', 'Old', 'Asha', 'debrief', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    db.execute("INSERT INTO plans (id, title, answers, created_at, updated_at)"
               " VALUES ('p1', 'Strategy meeting', '{}', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    db.close()
    with Store(path) as store:
        assert [p.title for p in store.plans()] == ["Strategy meeting"]
        (old,) = store.attempts()
        assert store.record_decision(old.id, {}, "n1", "c1", False, key="k-1") == 1
        assert store.record_decision(old.id, {}, "n1", "c1", False, key="k-1") == 1  # tried again: kept once
        assert store.record_decision(old.id, {}, "n2", "c2", False, key="k-2") == 2
        store.record_rewind(old.id, {}, 1, key="r-1")
        store.record_rewind(old.id, {}, 1, key="r-1")
        started = store.start_attempt("s", "New", key="s-1")
        assert store.start_attempt("s", "New", key="s-1") == started
        found = store.attempt(old.id)
        assert [(d.seq, d.rewound) for d in found.decisions] == [(1, False), (2, True)] and found.rewinds == 1
        assert len(store.attempts()) == 2
        assert store.delete_attempt(old.id)
        assert store._db.execute("SELECT count(*) FROM write_keys WHERE attempt_id = ?", (old.id,)).fetchone()[0] == 0
