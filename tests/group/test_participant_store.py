"""The shared store as one participant sees it: their own attempts only, and a busy file never shown as an error."""

from __future__ import annotations

import sqlite3
import time

import pytest

import simulator.records.sqlite_file as store_module
from simulator.group.join_code import ALPHABET, LENGTH, code_matches, new_join_code
from simulator.group.participant_store import NOT_SAVED_YET, SAVED_AGAIN, ParticipantStore, SessionRecordsUnavailable
from simulator.records.store import Store

SESSION = {"moves": []}


@pytest.fixture
def room(tmp_path):
    path = tmp_path / "room.db"
    with Store(path) as store:
        store.set_setting("theme", "rehearse-light")  # the facilitator's own setting
        store.set_setting("learner", "Facilitator")
        store.create_cohort("Room A", "K7PQ4X", None)
        mine = store.start_attempt("s1", "Scenario one", learner="Facilitator")
        store.record_decision(mine, SESSION, "n1", "c1", False)
    return path


def participant(path, name: str, said: list | None = None, cohort: str = "Room A") -> ParticipantStore:
    notify = (lambda message, severity: said.append((message, severity))) if said is not None else None
    return ParticipantStore(path, cohort, name, notify=notify, patience=(0.01,))


def test_attempts_are_tagged_and_each_participant_sees_only_their_own(room):
    said: list = []
    asha, ben = participant(room, "p-asha", said), participant(room, "p-ben", said)
    first = asha.start_attempt("s1", "Scenario one", learner="Asha")
    asha.record_decision(first, SESSION, "n1", "c2", True)
    ben.start_attempt("s1", "Scenario one", learner="Ben")
    assert said == [], "saving as usual says nothing"

    saved = asha.attempt(first).id  # the id the file gave the attempt once it was saved
    assert [a.id for a in asha.attempts()] == [saved]
    assert [a.learner for a in ben.attempts(learner="Ben")] == ["Ben"]
    assert [a.id for a in asha.unfinished()] == [saved]
    assert ben.attempt(saved) is None, "another participant's attempt is not theirs to open"
    assert ben.delete_attempt(saved) is False
    with Store(room) as store:
        tagged = store.attempt(saved)
        assert (tagged.cohort, tagged.participant, tagged.learner) == ("Room A", "p-asha", "Asha")
        assert len(tagged.decisions) == 1
        # The facilitator's own history is out of sight, and untouched.
        assert len(store.attempts(learner="Facilitator")) == 1
    asha.close()
    ben.close()


def test_settings_stay_with_the_participant_and_never_change_the_facilitators(room):
    asha = participant(room, "p-asha")
    assert asha.get_setting("theme") is None and asha.get_setting("learner", "") == ""
    asha.set_setting("theme", "rehearse-contrast")
    assert asha.get_setting("theme") == "rehearse-contrast"
    with Store(room) as store:
        assert store.get_setting("theme") == "rehearse-light"
        assert store.get_setting("learner") == "Facilitator"
    asha.close()


@pytest.fixture
def impatient(monkeypatch):
    # The store's own waits, shortened so a held lock shows at once.
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 20)
    monkeypatch.setattr(store_module, "RETRY_DELAYS", (0.01,))


def hold_write_lock(path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    return other


def until(condition, seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def test_a_decision_made_while_the_file_is_busy_is_kept_said_once_and_saved_later(room, impatient):
    said: list = []
    asha = participant(room, "p-asha", said)
    attempt = asha.start_attempt("s1", "Scenario one", learner="Asha")
    saved = asha.attempt(attempt).id

    blocker = hold_write_lock(room)
    asha.record_decision(attempt, SESSION, "n1", "c1", False)
    assert asha.pending == 1, "the decision came back queued while the file is held, not written"
    assert until(lambda: not asha.flush() and said)
    assert said == [(NOT_SAVED_YET, "warning")] and asha.pending == 1
    assert "locked" not in said[0][0].lower()
    # Starting another attempt is kept too, rather than refused.
    asha.start_attempt("s2", "Scenario two", learner="Asha")
    assert asha.pending == 2
    blocker.execute("COMMIT")
    blocker.close()

    assert until(lambda: asha.flush())
    assert said[-1] == (SAVED_AGAIN, "information") and len(said) == 2
    with Store(room) as store:
        kept = store.attempt(saved)
        assert len(store.attempts(cohort="Room A", participant="p-asha")) == 2
    assert [(d.seq, d.node_id, d.choice_id) for d in kept.decisions] == [(1, "n1", "c1")]
    asha.close()


def test_kept_writes_are_saved_when_the_participant_leaves(room, impatient):
    asha = participant(room, "p-asha", [])
    attempt = asha.start_attempt("s1", "Scenario one", learner="Asha")
    saved = asha.attempt(attempt).id
    blocker = hold_write_lock(room)
    asha.record_decision(attempt, SESSION, "n1", "c1", False)
    blocker.execute("COMMIT")
    blocker.close()
    asha.close()
    with Store(room) as store:
        assert len(store.attempt(saved).decisions) == 1


def test_join_codes_are_short_unambiguous_and_forgiving_to_type():
    codes = {new_join_code() for _ in range(200)}
    assert len(codes) > 190, "codes are random"
    for code in codes:
        assert len(code) == LENGTH and set(code) <= set(ALPHABET)
    assert not set("01OI") & set(ALPHABET)
    assert code_matches("k7p-q4x", "K7PQ4X") and code_matches(" K7P Q4X ", "K7PQ4X")
    assert not code_matches("K7PQ4Y", "K7PQ4X") and not code_matches("", "K7PQ4X")


def test_records_that_cannot_be_opened_are_reported_in_plain_words(tmp_path):
    folder = tmp_path / "not-a-file"
    folder.mkdir()
    asha = participant(folder, "p-asha", [])
    with pytest.raises(SessionRecordsUnavailable) as refused:
        asha.cohort_record()
    assert str(refused.value) == "the session's records cannot be used on the facilitator's computer"


def test_words_typed_while_the_file_is_busy_are_kept_as_one_draft_and_saved_quietly(room, impatient):
    said: list = []
    asha = participant(room, "p-asha", said)
    attempt = asha.start_attempt("s1", "Scenario one", learner="Asha")
    assert asha._shared().wait(5), "the attempt is saved before the file is held"
    blocker = hold_write_lock(room)
    for end in range(1, 6):
        asha.save_draft(attempt, "n1", 0, "I'm worried"[:end])
    # At most the draft being tried and the newest wait: the ones between are dropped.
    assert asha.pending <= 2, "only the newest words wait to be saved"
    time.sleep(0.3)
    asha.flush()
    assert said == [], "a busy file is not announced on every keystroke"
    blocker.execute("COMMIT")
    blocker.close()
    asha.save_draft(attempt, "n1", 0, "I'm worried about Mia")
    for _ in range(100):
        if asha.flush():
            break
        time.sleep(0.05)
    assert asha.pending == 0 and said == []
    assert asha.draft(attempt).words == "I'm worried about Mia"
    asha.record_decision(attempt, SESSION, "n1", "c1", False, own_words="I'm worried about Mia")
    assert asha.draft(attempt) is None
    assert asha._shared().wait(5)
    saved_as = asha._shared().resolve(attempt)  # the file's id for the attempt
    with Store(room) as store:
        assert store.attempt(saved_as).decisions[0].own_words == "I'm worried about Mia"
    ben = participant(room, "p-ben")
    assert ben.draft(saved_as) is None, "another participant's words are not theirs to read"
    asha.close()
    ben.close()
