"""The hostile scenario drawn by the app: what would reach the terminal holds
no escape of the scenario's, no bidi override and no zero-width character;
the text is there, written out. Snapshots show it drawn literally."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.tui.app import make_app

HOSTILE = str(Path(__file__).parents[1] / "fixtures" / "hostile" / "hostile.yaml")
SIZES = [(80, 24), (120, 36)]
ESC = "\x1b"


def screen_output(app) -> str:
    """Exactly what the app would write to the terminal to draw the screen now."""
    update = app.screen._compositor.render_full_update()
    return update.render_segments(app.console)


def assert_drawn_inert(output: str) -> None:
    # The app's own colours are SGR sequences (ESC [ ... m); the scenario's are
    # not allowed through: no OSC (ESC ]), no bell, no C1, no bidi, no zero-width.
    assert f"{ESC}]" not in output, "an OSC sequence reached the terminal"
    assert f"{ESC}[31mRED" not in output and f"{ESC}[2J" not in output
    for char in ("\x07", "\x9b", "\u202e", "\u2066", "\u200b", "\u200d"):
        assert char not in output, repr(char)


@pytest.fixture
def app(tmp_path):
    return make_app([HOSTILE], data=tmp_path / "history.db", export_dir=tmp_path / "exports")


async def test_no_escape_reaches_the_terminal_on_any_screen(app):
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        output = screen_output(app)
        assert_drawn_inert(output)
        assert "\\x1b]2;PWNED" in output  # the library's prompt and details, written out
        assert app.screen.sub_title and ESC not in app.format_title(app.title, app.screen.sub_title).plain
        await pilot.press("enter")  # briefing
        await pilot.pause()
        output = screen_output(app)
        assert_drawn_inert(output)
        assert "PWNED" in output and "\\u202e" in output
        await pilot.press("enter")  # play
        await pilot.pause()
        output = screen_output(app)
        assert_drawn_inert(output)
        assert "REDOPTION" in output and "LINE-TITLE" in output
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("1")  # the ending: the debrief
        await pilot.pause()
        output = screen_output(app)
        assert_drawn_inert(output)
        assert "ENDING" in output


async def test_notifications_and_the_header_show_text_literally(app):
    async with app.run_test(size=(80, 24)) as pilot:
        app.notify(f"Saved in /tmp/x{ESC}]2;PWNED{ESC}\\ [link='http://evil']here[/link]")
        app.screen.sub_title = f"Sub{ESC}[31mRED"
        await pilot.pause()
        output = screen_output(app)
        assert_drawn_inert(output)
        shown = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", output)
        assert "[link=" in shown and "[/link]" in shown  # the markup shown, not made a link
        assert "\\x1b]2;PWNED" in shown
        assert "\\x1b[31mRED" in shown


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("keys", [[], ["enter"], ["enter", "enter"]], ids=["library", "briefing", "play"])
def test_hostile_scenario_snapshots(snap_compare, app, size, keys):
    assert snap_compare(app, press=keys, terminal_size=size)
