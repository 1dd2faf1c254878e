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


@pytest.fixture
def app_with_history(tmp_path):
    """The app on a history of three attempts at the fixture, made at fixed times:
    two finished (a strong and a weak route), one unfinished."""
    from cohort_fixtures import Clock, play_in_cohort, scenario

    from simulator.records.store import Store

    minimal = scenario(MINIMAL)
    with Store(tmp_path / "history.db", clock=Clock()) as store:
        play_in_cohort(store, minimal, None, "", [1, 1], cohort=None)  # cites the record: strong
        play_in_cohort(store, minimal, None, "", [2, 2], cohort=None)  # a weaker route
        play_in_cohort(store, minimal, None, "", [2], cohort=None, finish=False)
    return make_app([MINIMAL], data=tmp_path / "history.db", export_dir=tmp_path / "exports")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_history_screen(snap_compare, app_with_history, size):
    # Every column on screen, the trends on a fixed 0-100 scale.
    assert snap_compare(app_with_history, press=["h", "down"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_settings_screen_with_the_export_folder(snap_compare, tmp_path, monkeypatch, size):
    # The folder is shown under ~, so the home folder is fixed for the picture.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    app = make_app([MINIMAL], data=tmp_path / "history.db")
    assert snap_compare(app, press=["s"], terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_history_columns_are_never_cut(app_with_history, size):
    # "Child left at risk" and "debrief" whole at every size: the scenario's
    # title gives way, and the table never needs scrolling sideways.
    from textual.widgets import DataTable

    async with app_with_history.run_test(size=size) as pilot:
        await pilot.press("h")
        await pilot.pause()
        table = app_with_history.screen.query_one("#attempts", DataTable)
        assert table.virtual_size.width <= table.scrollable_content_region.width
        widths = {column.label.plain: column.get_render_width(table) for column in table.columns.values()}
        assert widths["Mode"] >= len("debrief") and widths["Outcome"] >= len("Child left at risk")
