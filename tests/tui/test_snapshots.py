"""Screens that must not silently change, at 80x24 and 120x36.

The app runs on a fixed fixture library with a fresh history file, so nothing
drawn depends on the clock, the user's data or the bundled scenarios changing.
Update after a deliberate change with `pytest tests/test_snapshots.py --snapshot-update`
and look at the report before committing.
"""

from pathlib import Path

import pytest

from simulator.tui.app import make_app

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def app(tmp_path):
    return make_app([MINIMAL], data=tmp_path / "history.db", export_dir=tmp_path / "exports")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_library_screen(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_play_screen_after_one_decision(snap_compare, app, size):
    assert snap_compare(app, press=["enter", "enter", "2"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_debrief_screen(snap_compare, app, size):
    assert snap_compare(app, press=["enter", "enter", "2", "1"], terminal_size=size)
