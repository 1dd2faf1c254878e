"""Keys arriving faster than the screen redraws (a quick typist, or a browser
sending several in one message) must never crash a session."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.debrief_screen import DebriefScreen
from simulator.tui.fast_keys import KeysStayOnTheirScreen
from simulator.tui.play_screen import PlayScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = str(FIXTURES / "minimal.yaml")


def burst(app, *keys: str) -> None:
    """Keys posted at once, without waiting for any to be handled: as they
    arrive when a browser sends them in one websocket message."""
    for key in keys:
        app.post_message(events.Key(key, "\r" if key == "enter" else key))


async def play_screen(pilot) -> None:
    await pilot.press("enter", "enter")  # library -> briefing -> play
    await pilot.pause()
    assert isinstance(pilot.app.screen, PlayScreen)


@pytest.mark.parametrize("keys", [("enter", "enter"), ("enter", "1"), ("1", "enter"), ("enter", "enter", "enter", "1")])
async def test_keys_typed_ahead_on_the_play_screen_do_not_crash(tmp_path, keys):
    data = tmp_path / "history.db"
    app = make_app([MINIMAL], data=data, export_dir=tmp_path / "exports")
    async with app.run_test(size=(100, 32)) as pilot:
        await play_screen(pilot)
        burst(app, *keys)
        await pilot.pause(0.3)
        assert app.return_code is None and app.is_running, "the session is still open"
        assert isinstance(app.screen, (PlayScreen, DebriefScreen))
    with Store(data) as store:
        (attempt,) = store.attempts()
        decisions = store.attempt(attempt.id).decisions
    # Each key typed ahead is a decision on what was on screen when it was
    # handled, or is ignored; none is recorded against the wrong node.
    assert 1 <= len(decisions) <= len(keys)


async def test_a_selection_for_options_no_longer_shown_is_ignored(tmp_path):
    data = tmp_path / "history.db"
    app = make_app([MINIMAL], data=data, export_dir=tmp_path / "exports")
    async with app.run_test(size=(100, 32)) as pilot:
        await play_screen(pilot)
        first_node = app.screen.session.node.id
        burst(app, "enter", "enter")
        await pilot.pause(0.3)
        with Store(data) as store:
            (attempt,) = store.attempts()
            decisions = store.attempt(attempt.id).decisions
        assert [d.node_id for d in decisions] == [first_node], "the second Enter chose nothing it had not seen"


class _Recorded(Screen):
    """A screen whose Enter records its name."""

    BINDINGS = [Binding("enter", "record", "Record")]

    def __init__(self, name: str) -> None:
        super().__init__()
        self.label = name

    def action_record(self) -> None:
        self.app.recorded.append(self.label)


class _ChangesScreenOnItsWay(Static, can_focus=True):
    """Stands in for a busy machine: the screen changes while a key is still
    passing through the focused widget on its way to the bindings."""

    def on_key(self, event: events.Key) -> None:
        self.app.switch_screen(_Recorded("the screen that replaced it"))


class _Typed(_Recorded):
    def compose(self):
        yield _ChangesScreenOnItsWay("typed here")

    def on_mount(self) -> None:
        self.query_one(_ChangesScreenOnItsWay).focus()


async def _enter_while_the_screen_changes(app_class) -> list[str]:
    app = app_class()
    app.recorded = []
    async with app.run_test(size=(60, 10)) as pilot:
        await app.push_screen(_Typed("the screen it was typed on"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    return app.recorded


async def test_a_key_acts_only_on_the_screen_it_was_typed_on():
    # Textual alone applies the key to whatever screen shows when the key reaches
    # the bindings: on a loaded server a participant's Enter on the join screen
    # started the briefing that had replaced it, and their next Enter chose option 1.
    assert await _enter_while_the_screen_changes(type("PlainApp", (App,), {})) == ["the screen that replaced it"]
    assert await _enter_while_the_screen_changes(type("OurApp", (KeysStayOnTheirScreen, App), {})) == []
