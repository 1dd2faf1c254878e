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


async def play_always_first_to_the_debrief(pilot, app) -> None:
    """Open dsl-mash-threshold and take option 1 at every decision, to its debrief."""
    await pilot.press("enter", "enter")
    for _ in range(6):
        await pilot.press("1")
        await pilot.pause()
    assert isinstance(app.screen, DebriefScreen)
    await pilot.pause()


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
async def test_a_mediocre_routes_weakest_competency_and_its_qualities_are_on_the_first_screen(tmp_path, size):
    app = make_app([dsl_path()], data=tmp_path / "h.sqlite", export_dir=tmp_path / "exports")
    async with app.run_test(size=size) as pilot:
        await play_always_first_to_the_debrief(pilot, app)
        ranked = app.screen.debrief.standing
        weakest = ranked.weakest
        assert ranked.overall == 54 and weakest.label == "Openness to challenge"
        drawn = visible_text(app.export_screenshot())
        for row in (weakest, *weakest.qualities):
            assert row.label in drawn, row.label
        # One scrolling page: the debrief is the only scroll area, and there is no table.
        assert not app.screen.query(DataTable)
        assert not app.screen.query_one("#debrief").query(ScrollableContainer)
        if size == (80, 24):
            # The check sees only what is in view: the questions at the page's foot are not.
            assert "Questions to reflect on" not in drawn


def html_rows(page: str) -> list[tuple[str, str, str]]:
    """(name, score, band) of each row in the exported report's competency table."""
    table = page[page.index("Competencies"):]
    table = table[:table.index("</table>")]
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.DOTALL):
        cells = [" ".join(html.unescape(re.sub(r"<[^>]+>", " ", cell)).split())
                 for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.DOTALL)]
        if len(cells) >= 3 and cells[1].isdigit():
            rows.append(tuple(cells[:3]))
    return rows


async def test_the_apps_rows_and_the_exported_html_of_the_same_attempt_agree_row_for_row(tmp_path):
    exports = tmp_path / "exports"
    app = make_app([dsl_path()], data=tmp_path / "h.sqlite", export_dir=exports)
    async with app.run_test(size=(80, 24)) as pilot:
        await play_always_first_to_the_debrief(pilot, app)
        drawn = str(app.screen.query_one("#standing").render()).splitlines()[1:]
        await pilot.press("e", "h")
        await pilot.pause()
    (report,) = exports.iterdir()
    exported = html_rows(report.read_text())
    # The app draws "name  bar  score  band"; a long name wraps onto lines of its own below.
    app_rows = []
    for line in drawn:
        row = re.match(r"^\s*(.*?)\s+[█░]+\s+(\d+)\s+(.+?)\s*$", line)
        if row:
            app_rows.append([row[1], row[2], row[3]])
        elif app_rows and line.strip() and not line.startswith("Not assessed"):
            joint = "" if app_rows[-1][0].endswith("-") else " "  # wrapped at a hyphen, or a space
            app_rows[-1][0] += joint + line.strip()
    assert len(exported) >= 10
    assert exported == [tuple(row) for row in app_rows]
