"""The library screen lists what the cache knows of each file and loads a
scenario in full only for its details or when it is opened."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import OptionList

from simulator.format.library_entry import Entry
from simulator.tui.app import make_app
from simulator.tui.briefing_screen import BriefingScreen
from simulator.tui.library_screen import LibraryScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
BROKEN = Path(__file__).parents[1] / "broken"


def _prompts(screen) -> str:
    option_list = screen.query_one("#scenarios", OptionList)
    return "\n".join(str(option.prompt) for option in option_list.options)


async def test_the_first_screen_loads_at_most_the_highlighted_scenario(tmp_path):
    make_app(data=tmp_path / "warm.db").store.close(wait=1)  # fill the cache, as a previous launch did
    app = make_app(data=tmp_path / "h.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.library) >= 15 and all(isinstance(e, Entry) for e in app.library)
        loaded = [e for e in app.library if e._scenario is not None]
        assert len(loaded) <= 1, [e.source for e in loaded]
        highlighted = app.screen.query_one("#scenarios", OptionList).highlighted_option.id
        await pilot.press("enter")
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.id == highlighted


async def test_a_broken_file_shows_with_its_first_error(tmp_path):
    folder = tmp_path / "lib"
    folder.mkdir()
    (folder / "minimal.yaml").write_bytes((FIXTURES / "minimal.yaml").read_bytes())
    (folder / "broken.yaml").write_bytes((BROKEN / "next-missing-node.yaml").read_bytes())
    for _ in range(2):  # checked afresh, then from the cache
        app = make_app([str(folder)], data=tmp_path / "h.db")
        async with app.run_test(size=(120, 36)) as pilot:
            await pilot.pause()
            broken = next(e for e in app.library if not e.ok)
            assert f"⚠ {broken.source}" in _prompts(app.screen)
            assert broken.first_error.message in _prompts(app.screen)


async def test_the_command_palette_finds_a_scenario_by_title_and_opens_it(tmp_path):
    app = make_app([str(FIXTURES / "minimal.yaml")], data=tmp_path / "h.db")
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"threshold query")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BriefingScreen)
        assert app.screen.scenario.title == "Minimal: a threshold query"
