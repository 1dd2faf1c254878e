"""Saying it first in the app: the words typed before the options appear, the
feedback on them, the closest option marked, and every word kept."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from textual.events import Paste
from textual.widgets import OptionList, Static

from simulator.engine.session import Session
from simulator.format.library import find
from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.briefing_screen import CaseFileScreen
from simulator.tui.debrief_screen import DebriefScreen
from simulator.tui.play_screen import PlayScreen
from simulator.tui.say_first import CLOSEST, DRAFT_DELAY, SayItFirstScreen, SpokenWords

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
SAID = "On 3 October Mia told us she was hit. I'm worried. Can we meet today?"


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "history.db"


def app_on(data: Path, tmp_path: Path, say_first: bool = False):
    if say_first:
        with Store(data) as store:
            store.set_setting("say_first", True)
    return make_app([MINIMAL], data=data, export_dir=tmp_path / "exports")


async def type_words(pilot, words: str) -> None:
    await pilot.press(*[{" ": "space", "?": "question_mark", ".": "full_stop", "'": "apostrophe", ",": "comma"}
                        .get(ch, ch) for ch in words])


def feedback_shown(screen) -> str:
    return screen.query_one("#say-feedback", Static).visual.plain


async def test_with_say_first_on_every_decision_begins_with_the_words(data, tmp_path):
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen)
        assert "What would you say to Sam Ward?" in app.screen.query_one("#say-prompt", Static).visual.plain
        await type_words(pilot, SAID)
        await pilot.press("enter")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        shown = feedback_shown(play)
        assert f"You said  “{SAID}”" in shown
        assert "From the case file you cited the 3 October record “Disclosure”." in shown
        assert "The briefing: “" in shown
        choices = play.query_one("#choices", OptionList)
        assert choices.display and choices.highlighted == 0
        assert CLOSEST in choices.get_option_at_index(0).prompt.plain
        assert all(CLOSEST not in choices.get_option_at_index(i).prompt.plain for i in (1, 2))
        await pilot.press("enter")  # say the closest
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen), "the next decision begins with the words too"
        await pilot.press("escape")  # choose without saying it
        await pilot.pause()
        assert not app.screen.query_one("#say-feedback").display
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        debrief = app.screen.query_one("#own-words", Static).visual.plain
        assert f"You said    “{SAID}”" in debrief
        assert "You chose   “On 3 October Mia told us she was hit. Can we look again?”" in debrief
    with Store(data) as store:
        attempt = store.attempt(store.attempts()[0].id)
        assert [(d.choice_id, d.own_words) for d in attempt.decisions] == [("cite", SAID), ("1", "")]
        assert store.draft(attempt.id) is None


async def test_s_says_it_at_one_decision_and_esc_chooses_without(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen)
        assert not app.screen_stack[-2].query_one("#choices").display, "the options wait until it is said"
        await type_words(pilot, "I'll tell my manager first 123")  # digits and letters type; they choose nothing
        await pilot.press("escape")
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen) and play.session.moves == []
        assert play.query_one("#choices").display and play.said is None
        await pilot.press("s")  # and back: the words typed are still there
        await pilot.pause()
        assert app.screen.query_one(SpokenWords).text == "I'll tell my manager first 123"
        await pilot.press("enter")
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        assert CLOSEST in choices.get_option_at_index(2).prompt.plain and choices.highlighted == 2
        await pilot.press("3")
        await pilot.pause()
    with Store(data) as store:
        decisions = store.attempt(store.attempts()[0].id).decisions
        assert decisions[0].own_words == "I'll tell my manager first 123"


async def test_words_are_in_the_history_file_as_they_are_typed(data, tmp_path):
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await type_words(pilot, "I'm worried")
        await pilot.pause(DRAFT_DELAY * 3)
        # Another connection, as after a kill -9: everything typed is there.
        other = sqlite3.connect(data)
        assert other.execute("SELECT words, submitted FROM drafts").fetchall() == [("I'm worried", 0)]
        await type_words(pilot, " about Mia")
        await pilot.pause(DRAFT_DELAY * 3)
        assert other.execute("SELECT words FROM drafts").fetchone()[0] == "I'm worried about Mia"
        other.close()


async def test_a_restart_mid_sentence_opens_the_box_with_the_words(data, tmp_path, minimal):
    with Store(data) as store:
        attempt = store.start_attempt(minimal.id, minimal.title)
        session = Session(minimal)
        session.choose("cite", SAID)
        store.record_decision(attempt, session.to_json(), "open", "cite", False, own_words=SAID)
        store.save_draft(attempt, "listen", 1, "I will put it in wri")
    app = app_on(data, tmp_path)  # say-first off: the draft alone brings the box back
    async with app.run_test(size=(100, 32)) as pilot:
        app.resume_attempt(attempt)
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen)
        assert app.screen.query_one(SpokenWords).text == "I will put it in wri"


async def test_a_restart_after_hearing_the_feedback_shows_it_with_the_options(data, tmp_path, minimal):
    with Store(data) as store:
        attempt = store.start_attempt(minimal.id, minimal.title)
        store.save_draft(attempt, "open", 0, "I'll tell my manager first.", submitted=True)
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        app.resume_attempt(attempt)
        await pilot.pause()
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert "You said  “I'll tell my manager first.”" in feedback_shown(play)
        assert CLOSEST in play.query_one("#choices", OptionList).get_option_at_index(2).prompt.plain


async def test_markup_and_escapes_in_the_words_are_shown_as_typed(data, tmp_path):
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        box = app.screen.query_one(SpokenWords)
        box.insert("[bold]I'm worried[/bold] [@click=app.quit]x[/] \\[b]")
        await pilot.pause()
        app.post_message(Paste(" \x1b[31mred\x07 \u202etxet"))  # as the terminal delivers a paste
        await pilot.pause()
        assert "␛[31mred␇ �txet" in box.text and "\x1b" not in box.text
        await pilot.press("enter")
        await pilot.pause()
        shown = feedback_shown(app.screen)
        assert "[bold]I'm worried[/bold] [@click=app.quit]x[/] \\[b] ␛[31mred␇ �txet" in shown
        assert app.is_running


async def test_a_20_kb_paste_is_kept_and_the_feedback_says_what_was_read(data, tmp_path):
    paste = ("On 6 October he told Gemma he was scared. " * 500)[:20_000]
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        app.post_message(Paste(paste))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "Only the first 1,500 of 20,000 characters were read." in feedback_shown(app.screen)
        await pilot.press("1")
        await pilot.pause()
    with Store(data) as store:
        assert store.attempt(store.attempts()[0].id).decisions[0].own_words == paste


async def test_the_case_file_is_one_key_away_while_typing(data, tmp_path):
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await type_words(pilot, "On 3 October")
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert isinstance(app.screen, CaseFileScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen)
        assert app.screen.query_one(SpokenWords).text == "On 3 October"


async def test_the_setting_is_kept_and_the_help_names_the_key(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")  # settings, from the library
        await pilot.pause()
        app.screen.query_one("#say-first", OptionList).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        await pilot.press("escape", "enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SayItFirstScreen)
        await pilot.press("escape", "question_mark")
        await pilot.pause()
        assert "Say it" in " ".join(w.visual.plain for w in app.screen.query(Static))
    with Store(data) as store:
        assert store.get_setting("say_first") is True


async def test_going_back_to_a_key_moment_keeps_the_words_said_before_it(data, tmp_path):
    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await type_words(pilot, "I'll tell my manager first")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("3")  # tell the manager
        await pilot.pause()
        await type_words(pilot, "Leave it")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("2")  # Fine, leave it
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        app.retake_from(app.screen.session, 1, "debrief")
        await pilot.pause()
        play = next(screen for screen in app.screen_stack if isinstance(screen, PlayScreen))
        assert [m.own_words for m in play.session.moves] == ["I'll tell my manager first"]
    with Store(data) as store:
        retake = store.attempts()[0]
        assert [d.own_words for d in store.attempt(retake.id).decisions] == ["I'll tell my manager first"]


def test_the_scenarios_in_the_library_can_all_be_read_for_their_case_files():
    # Every bundled scenario's case file is handed to the analyser as plain data without a hitch.
    from simulator.engine.say_first import SayFirstReader

    for reference in ("dsl-mash-threshold", "hv-gcp2-closure", "idva-marac-risk"):
        scenario = find(reference).scenario
        said = SayFirstReader(scenario).read("I'm worried about what happened on 6 October.", Session(scenario).choices())
        assert said.feedback


async def test_the_line_being_answered_is_in_sight_above_the_typing_box(tmp_path):
    # A long conversation at 80x24: when the box opens, the other professional's
    # last words are the last lines above it, not under it.
    data = tmp_path / "history.db"
    with Store(data) as store:
        store.set_setting("say_first", True)
    app = make_app(None, data=data, export_dir=tmp_path / "exports")
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_briefing(app.scenario_by_id("hv-gcp2-closure"))
        await pilot.pause()
        await pilot.press("enter")
        for _ in range(3):  # three decisions chosen without saying anything
            await pilot.pause(0.1)
            await pilot.press("escape", "1")
        await pilot.pause(0.3)
        assert isinstance(app.screen, SayItFirstScreen)
        play = app.screen_stack[-2]
        transcript = play.query_one("#transcript")
        room = play.query_one("#say-room")
        box = app.screen.query_one("#say-box")
        assert room.display and room.outer_size.height == box.outer_size.height
        assert transcript.max_scroll_y > 0 and transcript.scroll_y == transcript.max_scroll_y
        assert transcript.region.bottom <= box.region.y


def test_the_room_kept_for_the_box_grows_with_the_words_it_opens_with():
    from simulator.tui.say_first import typing_box_rows

    assert typing_box_rows("", 80) == 6
    assert typing_box_rows("x" * 200, 80) == 6  # three lines of 74
    assert typing_box_rows("x" * 400, 80) == 9
    assert typing_box_rows("x" * 5000, 80) == 11  # eight lines at most, then it scrolls


async def test_f1_in_the_typing_box_lists_its_keys(data, tmp_path):
    from simulator.tui.info_screens import HelpScreen

    app = app_on(data, tmp_path, say_first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(w.visual.plain for w in app.screen.query(Static))
        assert "Enter gives you feedback on it against the briefing" in shown and "Case file" in shown
