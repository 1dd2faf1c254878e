"""Words typed before choosing ("say it first") in the history file: kept with
the decision, saved as a draft while they are typed, and a file from the
format before them migrates with everything it held."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from simulator.engine.session import Session
from simulator.records.migrations import MIGRATIONS
from simulator.records.store import Store

V2_DUMP = Path(__file__).parent / "fixtures" / "history-v2.sql"
WORDS = "On 3 October Mia told me she was hit. Can we hold a strategy discussion today?"


def v2_file(tmp_path: Path) -> Path:
    """A history file at format 2, as the code before this migration wrote it."""
    path = tmp_path / "history.db"
    db = sqlite3.connect(path)
    db.executescript(V2_DUMP.read_text(encoding="utf-8"))
    db.close()
    return path


def test_a_file_made_at_the_previous_format_migrates_and_keeps_its_attempts(tmp_path, minimal):
    path = v2_file(tmp_path)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    db.close()
    with Store(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS) >= 3
        finished, unfinished = sorted(store.attempts(), key=lambda a: a.finished_at is None)
        assert (finished.learner, finished.outcome, finished.finished) == ("Asha", "resolved", True)
        assert finished.overall is not None
        kept = store.attempt(finished.id)
        assert [(d.choice_id, d.rewound, d.hint_used, d.own_words) for d in kept.decisions] == [
            ("2", True, False, ""), ("cite", False, False, ""), ("1", False, True, "")]
        assert kept.report_json and kept.rewinds == 1 and kept.hints == 1
        assert store.get_setting("theme") == "rehearse-light" and store.get_setting("learner") == "Asha"
        assert store.cohort("tuesday").join_code == "K7Q2"
        assert [a.learner for a in store.attempts(cohort="tuesday")] == ["Ben"]
        # The unfinished attempt resumes where it was and goes on with typed words.
        record = store.attempt(unfinished.id)
        session = Session.from_json(minimal, record.session_json)
        assert session.node.id == "listen" and store.draft(unfinished.id) is None
        store.save_draft(unfinished.id, "listen", 1, "I will put it in writing")
        session.choose_number(1, "I will put it in writing to your manager today.")
        store.record_decision(unfinished.id, session.to_json(), "listen", session.moves[-1].choice_id, False,
                              own_words="I will put it in writing to your manager today.")
        assert store.attempt(unfinished.id).decisions[-1].own_words == "I will put it in writing to your manager today."
        assert store.draft(unfinished.id) is None


def test_typed_words_are_kept_with_their_decision_and_the_draft_goes_with_it(tmp_path):
    with Store(tmp_path / "h.db") as store:
        attempt = store.start_attempt("test-minimal", "Minimal")
        store.save_draft(attempt, "open", 0, WORDS, submitted=True)
        store.record_decision(attempt, {}, "open", "cite", False, own_words=WORDS)
        store.record_decision(attempt, {}, "listen", "2", False)
        decisions = store.attempt(attempt).decisions
        assert [d.own_words for d in decisions] == [WORDS, ""]
        assert store.draft(attempt) is None
        rows = store._db.execute("SELECT own_words FROM decisions ORDER BY seq").fetchall()
        assert [r[0] for r in rows] == [WORDS, None]  # NULL where nothing was typed


def test_a_draft_is_replaced_as_it_is_typed_and_read_by_another_connection_at_once(tmp_path):
    with Store(tmp_path / "h.db") as store:
        attempt = store.start_attempt("test-minimal", "Minimal")
        for end in range(1, len(WORDS) + 1):
            store.save_draft(attempt, "open", 0, WORDS[:end])
        other = sqlite3.connect(store.path)
        assert other.execute("SELECT words, submitted FROM drafts").fetchall() == [(WORDS, 0)]
        other.close()
        draft = store.draft(attempt)
        assert (draft.node_id, draft.decision, draft.words, draft.submitted) == ("open", 0, WORDS, False)


def test_a_rewind_finish_or_delete_leaves_no_draft_behind(tmp_path):
    with Store(tmp_path / "h.db") as store:
        attempt = store.start_attempt("test-minimal", "Minimal")
        store.record_decision(attempt, {}, "open", "cite", False)
        store.save_draft(attempt, "listen", 1, "half a thought")
        store.record_rewind(attempt, {}, 0)
        assert store.draft(attempt) is None
        store.save_draft(attempt, "open", 0, "another")
        store.finish_attempt(attempt, {}, "resolved", "agreed", {"overall": None, "competencies": {}}, "{}")
        assert store.draft(attempt) is None
        with pytest.raises(ValueError):
            store.save_draft(attempt, "open", 0, "after the end")
        other = store.start_attempt("test-minimal", "Minimal")
        store.save_draft(other, "open", 0, "to be deleted")
        assert store.delete_attempt(other)
        assert store._db.execute("SELECT COUNT(*) FROM drafts").fetchone()[0] == 0


def test_markup_escapes_and_control_characters_are_stored_exactly_as_typed(tmp_path):
    typed = "[bold]red[/bold] \x1b[31m\x00 ‮ “quoted” 🙂"
    with Store(tmp_path / "h.db") as store:
        attempt = store.start_attempt("test-minimal", "Minimal")
        store.save_draft(attempt, "open", 0, typed)
        assert store.draft(attempt).words == typed
        store.record_decision(attempt, {}, "open", "cite", False, own_words=typed)
        assert store.attempt(attempt).decisions[0].own_words == typed


TYPING_THEN_KILLED = """
import sys, time
from simulator.records.store import Store

store = Store(sys.argv[1])
attempt = store.start_attempt("test-minimal", "Minimal", learner="Asha")
words = sys.argv[2]
for end in range(1, len(words) + 1):
    store.save_draft(attempt, "open", 0, words[:end])
print("READY", attempt, flush=True)
time.sleep(120)
"""


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_words_typed_before_a_kill_are_all_there_afterwards(tmp_path):
    path = tmp_path / "history.db"
    process = subprocess.Popen([sys.executable, "-c", TYPING_THEN_KILLED, str(path), WORDS],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
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
    with Store(path) as store:
        assert store.draft(int(line.split()[1])).words == WORDS
