"""The app's debrief puts the weak spots first (issue 12): at 80x24 a mediocre
route's weakest competency and every one of its qualities are on the first
screen, and every row is reached by scrolling the one page, with no scroll
area of its own."""

from __future__ import annotations

import html
import re

import pytest
from textual.containers import ScrollableContainer
from textual.widgets import DataTable

from simulator.format.library import find
from simulator.tui.app import make_app
from simulator.tui.debrief_screen import DebriefScreen

DSL = "dsl-mash-threshold"


def visible_text(svg: str) -> str:
    """The words drawn on the terminal, from the app's screenshot (only what is in view)."""
    words = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
    return " ".join(" ".join(html.unescape(w).replace("\u00a0", " ") for w in words).split())


def dsl_path() -> str:
    return str(find(DSL).source)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_mediocre_routes_weakest_competency_and_its_qualities_are_on_the_first_screen(tmp_path, size):
    app = make_app([dsl_path()], data=tmp_path / "h.sqlite", export_dir=tmp_path / "exports")
    async with app.run_test(size=size) as pilot:
        await pilot.press("enter", "enter")
        for _ in range(6):
            await pilot.press("1")
            await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        await pilot.pause()
        ranked = app.screen.debrief.standing
        weakest = ranked.weakest
        assert ranked.overall == 54 and weakest.label == "Clarity and assertiveness"
        drawn = visible_text(app.export_screenshot())
        for row in (weakest, *weakest.qualities):
            assert row.label in drawn, row.label
        # One scrolling page: the debrief is the only scroll area, and there is no table.
        assert not app.screen.query(DataTable)
        assert not app.screen.query_one("#debrief").query(ScrollableContainer)
        if size == (80, 24):
            # The check sees only what is in view: the questions at the page's foot are not.
            assert "Questions to reflect on" not in drawn
