"""Exporting a debrief from the app: never over an earlier export, the folder
the learner chose, and a message that names the file without cutting words."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest
from textual.widgets import Input
from textual.widgets._toast import Toast

from simulator.cli import main
from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.debrief_screen import DebriefScreen

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
FIXED = datetime(2026, 12, 4, 15, 30, 7, tzinfo=timezone.utc)
STAMP = FIXED.astimezone().strftime("%Y-%m-%d-%H%M-%S")  # names carry the learner's local time


def app_on(data: Path, export_dir: Path | None = None):
    app = make_app([MINIMAL], data=data, export_dir=export_dir)
    app.clock = lambda: FIXED
    return app


def messages(app) -> list[str]:
    return [notification.message for notification in app._notifications]


async def test_two_exports_in_the_same_second_both_survive_and_each_message_names_its_file(tmp_path):
    exports = tmp_path / "exports"
    app = app_on(tmp_path / "history.db", exports)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.press("e", "h")
        await pilot.pause()
        await pilot.press("e", "h")
        await pilot.pause()
        said = ["".join(m.split("\n")) for m in messages(app)]
    names = sorted(p.name for p in exports.iterdir())
    assert names == [f"rehearse-test-minimal-{STAMP}-2.html", f"rehearse-test-minimal-{STAMP}.html"]
    assert all("Strategy discussion" in (exports / name).read_text() for name in names)
    assert any(f"rehearse-test-minimal-{STAMP}.html" in m for m in said)
    assert any(f"rehearse-test-minimal-{STAMP}-2.html" in m for m in said)


async def test_at_80_columns_the_saved_message_breaks_only_between_parts_of_the_path(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path))
    exports = tmp_path / "Documents" / "Rehearse exports for the long-named team"
    app = app_on(tmp_path / "history.db", exports)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.press("enter", "enter", "1", "1", "e", "m")
        await pilot.pause()
        await pilot.pause()
        toast = next(t for t in app.screen.query(Toast) if "Saved the debrief" in str(t.render()))
        lines = next(m for m in messages(app) if m.startswith("Saved the debrief")).split("\n")
        inside = toast.content_region.width
        assert all(len(line) <= inside for line in lines), (inside, lines)
        assert f"rehearse-test-minimal-{STAMP}.md" in "".join(lines)
        assert "~/Documents/Rehearse exports for the long-named team" in " ".join(lines)


async def test_the_export_folder_is_a_setting_kept_in_the_history_file(tmp_path):
    data = tmp_path / "asha.db"
    chosen = tmp_path / "Asha's debriefs"
    app = app_on(data)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one("#export-dir", Input)
        field.value = str(chosen)
        field.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert any("Exported debriefs will be saved in" in m for m in messages(app))
    with Store(data, access="read") as store:
        assert store.get_setting("export_dir") == str(chosen)
    again = app_on(data)  # a later session on the same history file
    async with again.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "1", "1", "e", "h")
        await pilot.pause()
    assert [p.name for p in chosen.iterdir()] == [f"rehearse-test-minimal-{STAMP}.html"]
    assert again.export_folder() == chosen
    other = app_on(tmp_path / "ben.db")  # another learner's file keeps the default
    async with other.run_test(size=(100, 32)):
        assert other.export_folder() != chosen


async def test_a_folder_that_cannot_be_written_is_said_without_a_crash(tmp_path):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    app = app_on(tmp_path / "history.db", blocked / "exports")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "1", "1", "e", "h")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert any(m.startswith("The debrief was not saved in") for m in messages(app))


@pytest.mark.parametrize("where", ["before", "file"])
def test_export_dir_on_the_command_line_reaches_the_app(tmp_path, monkeypatch, capsys, where):
    import simulator.tui.app as app_module

    seen = {}
    monkeypatch.setattr(app_module, "run", lambda **kwargs: seen.update(kwargs) or 0)
    if where == "file":
        (tmp_path / "f").write_text("")
        assert main(["--export-dir", str(tmp_path / "f")]) == 2
        assert "is a file, not a folder" in capsys.readouterr().err
        return
    assert main(["--export-dir", str(tmp_path / "out")]) == 0
    assert seen["export_dir"] == tmp_path / "out"


def test_a_path_is_folded_between_its_parts_and_a_time_stays_whole():
    from simulator.tui.export_folder import fold

    assert fold("rehearse-dsl-mash-threshold-2026-12-04-1741-57.html", 37) == [
        "rehearse-dsl-mash-threshold-", "2026-12-04-1741-57.html"]
    assert fold("~/Documents/Rehearse exports for the long-named team", 37) == [
        "~/Documents/Rehearse exports for the", "long-named team"]
    assert fold("short.html", 37) == ["short.html"]
