"""--data points anywhere: Rehearse writes only to a history file of its own,
read-only commands change nothing, and a damaged file is said in words."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import threading
from pathlib import Path

import pytest
from cohort_fixtures import fill_demo_cohort

from simulator.cli import main
from simulator.records.migrations import MIGRATIONS, migrate
from simulator.records.store import Store, StoreError

# Rehearse's application id, "RHRS" (simulator.records.sqlite_file.APPLICATION_ID;
# written out here so these tests run, and fail, on a version without one).
APPLICATION_ID = 0x52485253

POSIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and permissions")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path) -> list[str]:
    """Files next to ``path`` that share its name (journals, -wal, -shm)."""
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name) and p != path)


def header(path: Path, connection_args: str = "") -> tuple[int, int, str]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return (db.execute("PRAGMA application_id").fetchone()[0], db.execute("PRAGMA user_version").fetchone()[0],
                db.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        db.close()


@pytest.fixture
def other_program(tmp_path) -> Path:
    """Another application's SQLite database: its own table, no application id, rollback journal."""
    path = tmp_path / "contacts.sqlite"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    db.execute("INSERT INTO contacts VALUES ('Sam Ward', '01632 960123')")
    db.commit()
    db.close()
    return path


# -- another program's file ---------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["history"], ["export"], ["export", "--format", "csv"],
                                     ["dashboard", "--cohort", "x"]], ids=lambda c: " ".join(c) or "app")
def test_no_command_writes_to_another_programs_database(other_program, command, capsys, monkeypatch):
    from simulator.tui.app import RehearseApp

    monkeypatch.setattr(RehearseApp, "run", lambda self: pytest.fail("the app opened on another program's file"))
    before = digest(other_program)
    assert main(["--data", str(other_program), *command]) != 0
    err = capsys.readouterr().err
    assert "not a Rehearse history" in err and "Traceback" not in err
    assert digest(other_program) == before and beside(other_program) == []
    assert header(other_program) == (0, 0, "delete")


def test_the_store_refuses_another_programs_database_before_writing(other_program):
    before = digest(other_program)
    with pytest.raises(StoreError, match="not a Rehearse history; nothing was written"):
        Store(other_program)
    assert digest(other_program) == before and beside(other_program) == []


def test_a_database_with_another_application_id_is_named_as_such(tmp_path):
    path = tmp_path / "map.gpkg"
    db = sqlite3.connect(path)
    db.execute("PRAGMA application_id = 1196444487")  # GeoPackage's "GPKG"
    db.execute("CREATE TABLE attempts (x)")  # even with a table of the same name
    db.commit()
    db.close()
    before = digest(path)
    with pytest.raises(StoreError, match="another program's database"):
        Store(path)
    assert digest(path) == before


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path, capsys):
    path = tmp_path / "notes.txt"
    path.write_text("my meeting notes\n" * 20)
    before = digest(path)
    assert main(["--data", str(path), "history"]) == 1
    assert "not an SQLite database" in capsys.readouterr().err
    assert digest(path) == before and beside(path) == []


# -- special files ---------------------------------------------------------------------------

@POSIX
def test_dev_null_is_refused_and_no_journal_is_made_beside_it():
    had_journal = os.path.exists("/dev/null-journal")
    with pytest.raises(StoreError, match="not an ordinary file"):
        Store("/dev/null")
    assert main(["--data", "/dev/null", "history"]) == 1
    assert os.path.exists("/dev/null-journal") == had_journal


@POSIX
def test_a_pipe_is_refused_at_once_without_opening_it(tmp_path):
    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    outcome: list[BaseException] = []

    def open_it() -> None:
        try:
            Store(pipe)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            outcome.append(exc)

    worker = threading.Thread(target=open_it, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "opening a pipe blocked"
    assert isinstance(outcome[0], StoreError)


def test_a_folder_is_refused_with_a_file_name_to_use(tmp_path):
    with pytest.raises(StoreError, match="is a folder"):
        Store(tmp_path)


# -- empty, new and older files ----------------------------------------------------------------

@POSIX
def test_an_empty_world_readable_file_is_tightened_to_owner_only_with_a_note(tmp_path):
    path = tmp_path / "history.db"
    path.touch()
    path.chmod(0o644)
    with Store(path) as store:
        assert store.notes and "now readable only by you" in store.notes[0]
        store.set_setting("learner", "Asha")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


@POSIX
def test_an_empty_owner_only_file_becomes_a_history_without_a_note(tmp_path):
    path = tmp_path / "history.db"
    path.touch()
    path.chmod(0o600)
    with Store(path) as store:
        assert store.notes == []
    assert header(path)[:2] == (APPLICATION_ID, len(MIGRATIONS))


def test_a_new_history_carries_rehearses_application_id(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    assert header(path) == (APPLICATION_ID, len(MIGRATIONS), "wal")


def _pre_id_history(path: Path, version: int = len(MIGRATIONS)) -> None:
    """A history as Rehearse wrote it before the application id: tables and user_version only."""
    db = sqlite3.connect(path, isolation_level=None)
    migrate(db, MIGRATIONS[:version])
    db.execute("PRAGMA application_id = 0")
    db.execute("INSERT INTO attempts (scenario_id, scenario_title, learner, mode, started_at, updated_at)"
               " VALUES ('s', 'Old', 'Asha', 'debrief', '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')")
    db.close()


def test_a_history_from_before_the_application_id_is_recognised_and_stamped(tmp_path):
    path = tmp_path / "old.db"
    _pre_id_history(path)
    with Store(path) as store:
        assert [a.learner for a in store.attempts()] == ["Asha"]
    assert header(path)[0] == APPLICATION_ID


def test_read_only_commands_never_migrate_stamp_or_switch_a_file_to_wal(tmp_path, capsys):
    path = tmp_path / "old.db"
    _pre_id_history(path, version=1)
    before = digest(path)
    assert main(["--data", str(path), "history"]) == 0
    assert "Old" in capsys.readouterr().out
    assert main(["--data", str(path), "export", "--format", "csv"]) == 0
    assert main(["--data", str(path), "export", "--cohort", "x"]) == 1
    assert digest(path) == before and header(path) == (0, 1, "delete")


def test_read_only_commands_create_nothing_for_a_mistyped_path(tmp_path, capsys):
    path = tmp_path / "typo.db"
    assert main(["--data", str(path), "history"]) == 0
    assert main(["--data", str(path), "export"]) == 0
    assert not path.exists() and beside(path) == []


# -- a damaged file ------------------------------------------------------------------------------

def corrupt_table_page(path: Path, table: str = "attempts") -> None:
    """Overwrite the first page of ``table`` with bytes that are not a b-tree page."""
    db = sqlite3.connect(path)
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    db.close()
    with open(path, "r+b") as stream:
        stream.seek((root - 1) * page_size)
        stream.write(bytes((i * 37 + 11) % 256 for i in range(page_size)))


@pytest.fixture
def damaged(tmp_path) -> Path:
    path = tmp_path / "history.db"
    fill_demo_cohort(path)
    corrupt_table_page(path)
    return path


@pytest.mark.parametrize("command", [["history"], ["export"], ["export", "--format", "csv", "--cohort", "demo"],
                                     ["export", "--format", "xapi"]])
def test_every_command_says_the_file_is_damaged_where_it_is_and_what_to_do(damaged, command, capsys):
    assert main(["--data", str(damaged), *command]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "is damaged" in err
    assert str(damaged) in err and "Restore it from a backup" in err and "--data" in err


def test_the_app_says_the_file_is_damaged_instead_of_opening(damaged, capsys, monkeypatch):
    from simulator.tui.app import RehearseApp

    def never(self, *args, **kwargs):
        raise AssertionError("the app opened on a damaged history file")

    monkeypatch.setattr(RehearseApp, "run", never)
    assert main(["--data", str(damaged)]) == 1
    err = capsys.readouterr().err
    assert "is damaged" in err and str(damaged) in err and "Traceback" not in err


def test_a_damaged_page_met_later_is_a_damaged_store_error(damaged):
    with Store(damaged, access="read") as store:
        with pytest.raises(StoreError, match="Restore it from a backup"):
            store.attempts()
