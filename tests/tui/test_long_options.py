"""Play with long options at 80x24: every line of every option can be read,
the highlighted option is always whole in view, and options out of sight are
said on the list's frame. The briefing's feedback mode changes where it is seen."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from simulator.tui.app import make_app

FIXTURES = Path(__file__).parents[1] / "fixtures"
LONG = str(FIXTURES / "ui" / "long-options.yaml")
SIZES = [(80, 24), (120, 36)]
LAST_WORDS = ["when you get a chance.", "whichever way it goes.", "Will Poppy be considered too?"]


@pytest.fixture
def app(tmp_path):
    return make_app([LONG], data=tmp_path / "history.db", export_dir=tmp_path / "exports")


def shown(app) -> str:
    """The screen's text as drawn, one line a row, styling removed."""
    output = app.screen._compositor.render_full_update().render_segments(app.console)
    return re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "\n", output)


def option_in_view(choices: OptionList, index: int) -> bool:
    top = choices._line_cache.index_to_line[index]
    bottom = top + choices._line_cache.heights[index]
    return choices.scroll_y <= top and bottom <= choices.scroll_y + choices.scrollable_content_region.height


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_line_of_every_option_is_drawn_and_the_last_can_be_highlighted_whole(app, size):
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        for index in range(choices.option_count):
            if index:
                await pilot.press("down")
                await pilot.pause()
            assert choices.highlighted == index
            assert option_in_view(choices, index), (index, choices.scroll_y)
        screen = " ".join(shown(app).split())
        assert "Will Poppy be considered too?" in screen  # the last option's last line


async def test_a_smaller_window_says_more_below_and_brings_the_highlight_back(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        await pilot.resize_terminal(80, 16)
        await pilot.pause()
        assert "more below" in str(choices.border_subtitle)
        await pilot.press("down", "down")
        await pilot.pause()
        assert option_in_view(choices, 2)
        assert "more above" in str(choices.border_subtitle)
        await pilot.press("up", "up")
        await pilot.resize_terminal(80, 14)
        await pilot.pause()
        assert option_in_view(choices, 0)
        await pilot.press("down", "down")
        await pilot.resize_terminal(80, 12)
        await pilot.pause()
        await pilot.pause()
        assert option_in_view(choices, 2) or choices.scrollable_content_region.height < 3


async def test_m_on_the_briefing_changes_what_is_in_sight(app):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        mode = app.screen.query_one("#mode", Static)
        assert mode.region.y < 4 and mode.region.height >= 1  # under the title bar, not pages down
        before = " ".join(shown(app).split())
        await pilot.press("m")
        await pilot.pause()
        after = " ".join(shown(app).split())
        assert "coach me as I go" in after and "coach me as I go" not in before
        assert any("coach me as I go" in str(n.message) for n in app._notifications)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_play_with_long_options_snapshot(snap_compare, app, size):
    assert snap_compare(app, press=["enter", "enter", "down", "down"], terminal_size=size)
