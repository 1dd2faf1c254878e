"""The app while another program holds the history file: the screen never
freezes, the decision is kept and said to be kept, and nothing is lost."""

from __future__ import annotations

import contextlib
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.library_screen import LibraryScreen
from simulator.tui.play_screen import PlayScreen

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")


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


def said(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def until(pilot, condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()


def kept_choices(path: Path) -> list[str]:
    with Store(path, access="read") as store:
        return [d.choice_id for a in store.attempts() for d in store.attempt(a.id).decisions]


async def test_a_decision_made_while_another_program_holds_the_file_is_kept_and_saved_later(tmp_path):
    data = tmp_path / "history.db"
    app = make_app([MINIMAL], data=data, export_dir=tmp_path / "exports")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert await until(pilot, lambda: app.store.pending == 0)
        with held_lock(data) as holder:
            await pilot.press("1")
            # The screen moved on while the other program still holds the file and the step waits in the queue.
            assert holder.poll() is None and app.store.pending == 1
            assert isinstance(app.screen, PlayScreen) and app.screen.session.node.id == "listen"
            assert await until(pilot, lambda: any("another program is using your history file" in m
                                                  for m in said(app)))
            assert app.store.pending == 1
            await pilot.press("q")  # leave the rehearsal while the decision is held up
            await pilot.pause()
            assert isinstance(app.screen, LibraryScreen)
            assert any(m.startswith("Kept: your last steps are not in your history file yet") for m in said(app))
        assert await until(pilot, lambda: app.store.pending == 0)
        assert await until(pilot, lambda: any(m.startswith("Saved: every step") for m in said(app)))
        assert not any("another program" in m for m in said(app)), "the warning goes once saving is back"
    assert kept_choices(data) == ["cite"]


async def test_quitting_with_a_decision_held_up_says_so_and_waits_when_asked(tmp_path):
    data = tmp_path / "history.db"
    app = make_app([MINIMAL], data=data, export_dir=tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert await until(pilot, lambda: app.store.pending == 0)
        with held_lock(data):
            await pilot.press("1")
            assert await until(pilot, lambda: app.store.trouble is not None)
            await pilot.press("ctrl+q")
            await pilot.pause()
            shown = app.screen.query_one("#unsaved").visual.plain
            assert "1 step of this session is not in your history file yet" in shown
            assert "another program is using your history file" in shown
            await pilot.press("w")
            await pilot.pause(0.5)
            assert app.is_running, "waiting must not quit while the step is still held up"
        assert await until(pilot, lambda: not app.is_running)
    assert kept_choices(data) == ["cite"]
