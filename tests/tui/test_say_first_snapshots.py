"""Saying it first must read at 80x24 and use 120x36: the typing box over the
conversation, the feedback with the options (the closest marked), and the
debrief's "In your own words". Update after a deliberate change with
`pytest tests/tui/test_say_first_snapshots.py --snapshot-update`."""

from pathlib import Path

import pytest

from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.say_first import SpokenWords

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
SIZES = [(80, 24), (120, 36)]
WORDS = "On 3 October Mia told us she was hit. I'm worried. Can we meet today?"
KEYS = {" ": "space", "?": "question_mark", ".": "full_stop", "'": "apostrophe"}


@pytest.fixture
def app(tmp_path):
    with Store(tmp_path / "history.db") as store:
        store.set_setting("say_first", True)
    return make_app([MINIMAL], data=tmp_path / "history.db", export_dir=tmp_path / "exports")


def typed(words: str) -> list[str]:
    return [KEYS.get(ch, ch) for ch in words]


async def say_it(pilot, then: tuple[str, ...] = ()) -> None:
    """Open the scenario, type the words at the first decision, then press ``then``."""
    await pilot.press("enter", "enter")
    await pilot.pause()
    await pilot.press(*typed(WORDS))
    # A blinking cursor would make the picture depend on the moment it is taken.
    for box in pilot.app.screen.query(SpokenWords):
        box.cursor_blink = False
    for key in then:
        await pilot.press(key)
        await pilot.pause()
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_typing_the_words_over_the_conversation(snap_compare, app, size):
    assert snap_compare(app, terminal_size=size, run_before=say_it)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_feedback_then_the_options_with_the_closest_marked(snap_compare, app, size):
    async def then_feedback(pilot):
        await say_it(pilot, ("enter",))

    assert snap_compare(app, terminal_size=size, run_before=then_feedback)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_debrief_says_what_was_said_and_what_was_chosen(snap_compare, app, size):
    async def to_the_debrief(pilot):
        # Say it and choose "That is simply wrong"; choose without saying at the next decision.
        await say_it(pilot, ("enter", "2", "escape", "1"))
        pilot.app.screen.query_one("#own-words").scroll_visible(animate=False, top=True)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=to_the_debrief)
