"""The app's history: writes saved in order off the screen's thread, kept while
the file is locked, the disk full or the file damaged, and said in words."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from simulator.records.patient_store import PatientStore
from simulator.records.store import Store

SESSION = {"moves": []}


def fast(path: Path, **options) -> PatientStore:
    """A patient store that tries again every 0.05 s and waits 0.1 s for a lock."""
    return PatientStore(path, retry_delays=(0.05,), write_patience_ms=100, **options)


def until(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


@contextlib.contextmanager
def held_lock(path: Path):
    """Another program holding the history file's write lock (BEGIN EXCLUSIVE)
    in a process of its own, as a real one would: a lock taken in this process
    would hide faults that only show between processes (see sqlite_file)."""
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


def decisions(path: Path) -> list[str]:
    with Store(path, access="read") as store:
        return [d.choice_id for a in store.attempts() for d in store.attempt(a.id).decisions]


def test_steps_are_saved_in_order_and_a_provisional_id_becomes_the_files(tmp_path):
    store = fast(tmp_path / "h.db")
    attempt = store.start_attempt("s", "Scenario", learner="Asha")
    assert attempt < 0  # provisional until saved
    for choice in ("a", "b", "c"):
        store.record_decision(attempt, SESSION, "n", choice, False)
    assert store.wait(5) and store.pending == 0
    assert decisions(tmp_path / "h.db") == ["a", "b", "c"]
    assert store.attempt(attempt).learner == "Asha"
    assert store.news() == []  # saving as usual says nothing
    assert store.close() == 0


def test_a_held_lock_keeps_the_decision_says_so_and_saves_it_when_released(tmp_path):
    path = tmp_path / "h.db"
    store = fast(path)
    attempt = store.start_attempt("s", "Scenario")
    store.record_decision(attempt, SESSION, "n", "first", False)
    assert store.wait(5)
    with held_lock(path) as holder:
        store.record_decision(attempt, SESSION, "n", "second", False)
        # The call came back while the other program still holds the file: it queued the decision.
        assert holder.poll() is None and store.pending == 1
        assert until(lambda: store.trouble is not None)
        assert store.pending == 1 and "another program is using your history file" in store.trouble
        said = store.news()
        assert len(said) == 1 and said[0].severity == "warning" and "nothing is lost" in said[0].message
        time.sleep(0.5)
        assert store.news() == [], "the same trouble is said once, not at every try"
        assert decisions(path) == ["first"]  # readers still read while the lock is held
    assert until(lambda: store.pending == 0)
    assert decisions(path) == ["first", "second"]
    assert [n.severity for n in store.news()] == ["information"] and store.trouble is None
    store.close()


def test_writing_at_once_each_step_is_in_the_file_when_the_call_returns(tmp_path):
    """At a prompt (``rehearse play``) a step is saved before play goes on, by the caller, on one connection."""
    path = tmp_path / "h.db"
    opened: list[str] = []

    class CountedStore(Store):
        def __init__(self, *args, **kwargs):
            opened.append(threading.current_thread().name)
            super().__init__(*args, **kwargs)

    store = fast(path, open_store=CountedStore, write_at_once=True)
    attempt = store.start_attempt("s", "Scenario", learner="Asha")
    assert store.resolve(attempt) > 0  # saved already: the file has given it its id
    for choice in ("a", "b"):
        store.record_decision(attempt, SESSION, "n", choice, False)
        assert store.pending == 0
        assert decisions(path)[-1] == choice  # read through another connection, without waiting
    assert store.news() == [] and store.close() == 0
    assert opened == [threading.current_thread().name]  # the reader's connection was the writer too


def test_writing_at_once_a_held_lock_is_said_and_that_step_and_the_later_ones_saved_in_order(tmp_path):
    path = tmp_path / "h.db"
    store = fast(path, write_at_once=True)
    attempt = store.start_attempt("s", "Scenario")
    store.record_decision(attempt, SESSION, "n", "first", False)
    with held_lock(path) as holder:
        store.record_decision(attempt, SESSION, "n", "second", False)
        # Said at once, with the step kept; the call came back while the lock is still held.
        said = store.news()
        assert len(said) == 1 and "another program is using your history file" in said[0].message
        assert holder.poll() is None and store.pending == 1
        store.record_decision(attempt, SESSION, "n", "third", False)  # behind it, never before it
        assert store.pending == 2
        time.sleep(0.3)
        assert store.news() == [], "the same trouble is said once"
        assert decisions(path) == ["first"]
    assert until(lambda: store.pending == 0)
    assert decisions(path) == ["first", "second", "third"]
    assert [n.severity for n in store.news()] == ["information"] and store.trouble is None
    store.record_decision(attempt, SESSION, "n", "fourth", False)
    assert store.close() == 0 and decisions(path) == ["first", "second", "third", "fourth"]


def test_reads_do_not_wait_for_a_write_that_is_held_up(tmp_path):
    path = tmp_path / "h.db"
    store = fast(path)
    store.wait(5)
    with held_lock(path) as holder:
        store.set_setting("theme", "rehearse-light")
        assert until(lambda: store.trouble is not None)
        assert store.get_setting("theme") == "rehearse-light"  # what the learner chose, saved or not
        assert store.best("s") is None and store.attempts() == []
        # All three answered while the write is still held up behind the other program's lock.
        assert holder.poll() is None and store.pending == 1
    store.close()


def test_decisions_are_written_by_the_history_writer_never_by_the_caller(tmp_path):
    """A screen that records a decision must not be the thread that waits on the file."""
    writers: list[str] = []

    class WatchedStore(Store):
        def record_decision(self, *args, **kwargs):
            writers.append(threading.current_thread().name)
            return super().record_decision(*args, **kwargs)

    store = fast(tmp_path / "h.db", open_store=WatchedStore)
    attempt = store.start_attempt("s", "Scenario")
    for choice in ("a", "b"):
        store.record_decision(attempt, SESSION, "n", choice, False)
    assert store.wait(5) and store.close() == 0
    assert writers == ["rehearse-history-writer"] * 2
    assert threading.current_thread().name not in writers


def test_quitting_with_a_step_held_up_reports_it_unsaved(tmp_path):
    path = tmp_path / "h.db"
    store = fast(path)
    store.wait(5)
    with held_lock(path):
        store.start_attempt("s", "Scenario")
        assert store.close(wait=0.2) == 1


class FullDisk:
    """A store whose writes fail as SQLite fails them on a full disk, until ``free()``."""

    def __init__(self) -> None:
        self.full = True

    def __call__(self, path, **options):
        store = Store(path, **options)
        original = store._write
        outer = self

        def write(work):
            if outer.full:
                exc = sqlite3.OperationalError("database or disk is full")
                exc.sqlite_errorcode = sqlite3.SQLITE_FULL
                raise exc
            return original(work)

        store._write = write
        return store


def test_a_full_disk_keeps_every_step_in_order_and_loses_nothing_once_space_is_freed(tmp_path):
    disk = FullDisk()
    store = PatientStore(tmp_path / "h.db", open_store=disk, retry_delays=(0.05,), write_patience_ms=100)
    attempt = store.start_attempt("s", "Scenario")
    for choice in ("a", "b"):
        store.record_decision(attempt, SESSION, "n", choice, False)
    assert until(lambda: store.trouble is not None)
    assert "disk that holds your history file is full" in store.trouble and store.pending == 3
    disk.full = False
    assert until(lambda: store.pending == 0)
    assert decisions(tmp_path / "h.db") == ["a", "b"]
    store.close()


def _can_mount() -> bool:
    return os.name == "posix" and os.geteuid() == 0 and shutil.which("mount") is not None


@pytest.fixture
def small_disk(tmp_path):
    """A 1 MB filesystem of its own (tmpfs), where the machine allows one."""
    if not _can_mount():
        pytest.skip("mounting a small filesystem needs root")
    where = tmp_path / "small"
    where.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(where)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(folder: Path) -> Path:
    """Fill the filesystem holding ``folder`` to the last byte."""
    filler = folder / "filler"
    descriptor = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 512, 1):
            try:
                while True:
                    os.write(descriptor, b"\0" * size)
            except OSError:
                continue
    finally:
        os.close(descriptor)
    return filler


def test_a_really_full_disk_keeps_the_decision_and_saves_it_once_space_is_freed(small_disk):
    path = small_disk / "h.db"
    store = fast(path)
    attempt = store.start_attempt("s", "Scenario")
    store.record_decision(attempt, SESSION, "n", "before", False)
    assert store.wait(5)
    filler = fill(small_disk)
    big = {"moves": ["x" * 200] * 400}  # a session too large for what is left
    store.record_decision(attempt, big, "n", "during", False)
    assert until(lambda: store.trouble is not None)
    assert "full" in store.trouble and store.pending == 1
    filler.unlink()
    assert until(lambda: store.pending == 0)
    assert decisions(path) == ["before", "during"]
    store.close()


def test_a_damaged_file_met_while_reading_is_said_in_words(tmp_path):
    from test_history_file import corrupt_table_page

    path = tmp_path / "h.db"
    with Store(path) as plain_store:
        plain_store.start_attempt("s", "Scenario")
    store = fast(path)
    store.wait(5)
    corrupt_table_page(path)
    assert store.attempts() == []
    said = store.news()
    assert said and said[0].severity == "error" and "damaged" in said[0].message and str(path) in said[0].message
    store.close()
