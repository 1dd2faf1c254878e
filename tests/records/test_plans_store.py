"""Plans built in the app are kept in the history file as they are typed, and
gone from it (not just unlisted) once deleted."""

from __future__ import annotations

import sqlite3

from simulator.records.patient_store import PatientStore
from simulator.records.store import Store


def test_a_plan_is_saved_replaced_listed_and_deleted(tmp_path):
    path = tmp_path / "history.sqlite"
    with Store(path) as store:
        store.save_plan("p1", "Year 9: CAMHS decline", {"concern": "J. is self-harming"})
        store.save_plan("p1", "Year 9: CAMHS decline", {"concern": "J. is self-harming more often"})
        store.save_plan_replies("p1", [{"pushback": "doesnt-meet-criteria", "reply": "I'm worried"}])
        [plan] = store.plans()
        assert plan.answers == {"concern": "J. is self-harming more often"}
        assert plan.replies[0]["reply"] == "I'm worried"
        assert store.delete_plan("p1") is True
        assert store.plans() == [] and store.plan("p1") is None
    # The text is overwritten, not left in the file's free pages.
    assert b"self-harming" not in path.read_bytes()


def test_every_typed_version_of_a_deleted_plan_is_gone_from_disk_while_the_app_is_open(tmp_path):
    """Typing leaves each version in the write-ahead log; deleting empties it
    then and there, not when the app closes (a killed app never does)."""
    path = tmp_path / "history.sqlite"
    with Store(path) as store:
        typed = ""
        for n in range(400):
            typed += f"Zebulon{n} "
            store.save_plan("p1", "J.: CAMHS decline", {"concern": typed})
        store.save_plan("p2", "Another", {"concern": "kept"})
        on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert on_disk.count(b"Zebulon") > 400
        store.delete_plan("p1")
        on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
        assert b"Zebulon" not in on_disk and b"J.: CAMHS" not in on_disk
        assert [p.id for p in store.plans()] == ["p2"]


def test_the_newest_typing_is_what_the_patient_store_keeps(tmp_path):
    store = PatientStore(tmp_path / "history.sqlite")
    try:
        for end in range(1, 40):
            store.save_plan("p2", "t", {"concern": "worried"[: end % 8]})
        store.save_plan("p2", "t", {"concern": "worried about J."})
        assert store.wait(5)
        assert store.plan("p2").answers == {"concern": "worried about J."}
    finally:
        store.close()
    db = sqlite3.connect(tmp_path / "history.sqlite")
    assert db.execute("SELECT count(*) FROM plans").fetchone()[0] == 1
