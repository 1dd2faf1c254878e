"""A participant's app in a group session, driven through Pilot: join, play, and what they can see."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.widgets import Input, Static

import simulator.tui.group.join_screen as join_screen
from simulator.group.participant_store import ParticipantStore
from simulator.records.store import Store
from simulator.tui.briefing_screen import BriefingScreen
from simulator.tui.debrief_screen import DebriefScreen
from simulator.tui.group.cohort_app import CohortApp
from simulator.tui.group.join_screen import NO_NAME, WRONG_CODE, JoinScreen
from simulator.tui.history_screen import HistoryScreen
from simulator.tui.library_screen import LibraryScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = str(FIXTURES / "minimal.yaml")
CODE = "K7PQ4X"


@pytest.fixture(autouse=True)
def no_rest(monkeypatch):
    monkeypatch.setattr(join_screen, "WRONG_CODE_PAUSE", 0.05)


def room(tmp_path: Path, scenario_id: str | None) -> Path:
    path = tmp_path / "room.db"
    with Store(path) as store:
        store.create_cohort("Room A", CODE, scenario_id)
    return path


def participant_app(path: Path, participant: str = "p-test") -> CohortApp:
    return CohortApp([MINIMAL], ParticipantStore(path, "Room A", participant), "Room A", participant)


def message(app) -> str:
    box = app.screen.query_one("#join-message", Static)
    return box.visual.plain if box.display else ""


async def fill(pilot, code: str, name: str) -> None:
    pilot.app.screen.query_one("#code", Input).value = code
    pilot.app.screen.query_one("#name", Input).value = name
    pilot.app.screen.query_one("#name", Input).focus()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_wrong_code_is_refused_plainly_and_records_nothing(tmp_path):
    path = room(tmp_path, None)
    app = participant_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, JoinScreen)
        await fill(pilot, "ZZZZZZ", "Asha")
        assert isinstance(app.screen, JoinScreen)
        assert message(app) == WRONG_CODE
        assert app.screen.query_one("#code", Input).value == "", "the wrong code is cleared"
        assert app.screen.query_one("#name", Input).value == "Asha", "the name is kept"
        await fill(pilot, CODE, "  ")
        assert message(app) == NO_NAME
    with Store(path) as store:
        assert store.cohort_attempts("Room A") == []


async def test_the_right_code_opens_the_library_and_attempts_carry_the_cohort_and_participant(tmp_path):
    path = room(tmp_path, None)
    app = participant_app(path, "p-asha")
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, "k7p-q4x", "Asha")  # case and dashes do not matter
        assert isinstance(app.screen, LibraryScreen)
        assert len(app.screen_stack) == 2, "the join screen is gone: Esc and q behave as in the app"
        await pilot.press("enter", "enter", "1", "1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
    with Store(path) as store:
        (attempt,) = store.cohort_attempts("Room A")
    assert (attempt.cohort, attempt.participant, attempt.learner) == ("Room A", "p-asha", "Asha")
    assert attempt.finished and len(attempt.decisions) == 2


async def test_joining_is_recorded_before_anything_is_played(tmp_path):
    path = room(tmp_path, "test-minimal")
    app = participant_app(path, "p-ben")
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, CODE, "Ben")
        assert isinstance(app.screen, BriefingScreen)
    # Ben closes the tab on the briefing: no attempt, but the facilitator can see he joined.
    app.store.close()
    with Store(path) as store:
        assert store.cohort_attempts("Room A") == []
        assert [(m.participant, m.name) for m in store.cohort_members("Room A")] == [("p-ben", "Ben")]


async def test_a_cohort_with_a_scenario_opens_its_briefing_and_offers_only_it(tmp_path):
    path = room(tmp_path, "test-minimal")
    app = participant_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, CODE, "Ben")
        assert isinstance(app.screen, BriefingScreen) and app.screen.scenario.id == "test-minimal"
        assert [r.scenario.id for r in app.library] == ["test-minimal"]


async def test_history_shows_only_this_participants_attempts(tmp_path):
    path = room(tmp_path, None)
    with Store(path) as store:
        other = store.start_attempt("minimal", "Someone else's", learner="Asha", cohort="Room A", participant="p-other")
    app = participant_app(path, "p-asha")
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, CODE, "Asha")  # the same name as the other participant
        assert "Unfinished" not in str(app.screen.query_one("#resume-banner", Static).visual)
        await pilot.press("h")
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#attempts")
        assert table.row_count == 0
        await pilot.press("escape", "s")  # settings: the name and theme stay in this browser
        app.screen.query_one("#learner", Input).value = "Asha K"
        app.screen.query_one("#learner", Input).focus()
        await pilot.press("enter")
    with Store(path) as store:
        assert store.get_setting("learner") is None
        assert store.attempt(other).participant == "p-other"


async def test_a_name_typed_ahead_of_the_screen_goes_to_the_name_field(tmp_path):
    # Keys that reach the app before it has moved the focus (a busy server)
    # still belong to the name, not to the code.
    path = room(tmp_path, None)
    app = participant_app(path, "p-fast")
    async with app.run_test(size=(100, 30)) as pilot:
        # All at once, as a driver delivers keys that arrived together.
        for key in [*CODE, "enter", *"Asha", "enter"]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        # A loaded machine takes longer to work through them: wait, within reason.
        for _ in range(50):
            await pilot.pause(0.1)
            if isinstance(app.screen, LibraryScreen):
                break
        assert isinstance(app.screen, LibraryScreen), message(app)
        assert app.learner == "Asha"


async def test_the_command_palette_cannot_open_scenarios_before_joining(tmp_path):
    from textual.command import CommandPalette

    app = participant_app(room(tmp_path, None))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        assert isinstance(app.screen, JoinScreen)


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_join_screen_snapshot_after_a_wrong_code(snap_compare, tmp_path, size):
    app = participant_app(room(tmp_path, None))
    assert snap_compare(app, press=[*"ZZZZZZ", "enter", *"Asha", "enter"], terminal_size=size)


def shown_text(app) -> str:
    return " ".join(str(widget.visual) for widget in app.screen.query(Static) if widget.display)


async def test_the_session_name_is_shown_only_after_the_right_code(tmp_path):
    path = room(tmp_path, None)
    app = participant_app(path)
    async with app.run_test(size=(100, 30)) as pilot:
        assert "Room A" not in shown_text(app)
        await fill(pilot, "ZZZZZZ", "Asha")
        assert "Room A" not in shown_text(app), "a wrong code learns nothing about whose session this is"
        await pilot.pause(0.1)
        await fill(pilot, CODE, "Asha")
        assert isinstance(app.screen, LibraryScreen)
        assert any("You have joined Room A" in n.message for n in app._notifications)


async def test_a_code_the_server_will_not_let_be_checked_is_not_checked(tmp_path):
    path = room(tmp_path, None)
    app = participant_app(path)
    told: list = []
    app.ask_to_join = lambda answer: answer(False, 540)  # the server's count says: wait
    app.tell_join = told.append
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, CODE, "Asha")  # even the right code
        assert isinstance(app.screen, JoinScreen)
        assert message(app) == join_screen.too_many("9 minutes")
        assert told == [], "nothing was checked, so nothing is reported"


async def test_each_checked_code_is_reported_to_the_server_once(tmp_path):
    path = room(tmp_path, None)
    app = participant_app(path)
    told: list = []
    app.tell_join = told.append
    async with app.run_test(size=(100, 30)) as pilot:
        await fill(pilot, "ZZZZZZ", "Asha")
        await pilot.pause(0.1)
        await fill(pilot, CODE, "Asha")
    assert told == [False, True]


async def test_in_the_browser_a_highlighted_option_keeps_a_cell_of_space_inside_its_band(tmp_path):
    from textual.widgets import OptionList

    app = participant_app(room(tmp_path, "test-minimal"))
    async with app.run_test(size=(80, 24)) as pilot:
        await fill(pilot, CODE, "Asha")
        await pilot.press("enter")  # briefing -> play
        await pilot.pause()
        choices = app.screen.query_one("#choices", OptionList)
        strip = list(choices.render_line(0))  # the first option, highlighted
        text = "".join(segment.text for segment in strip)
        assert text.startswith(" 1."), text
        words = next(segment for segment in strip if "1." in segment.text)
        assert strip[0].style.bgcolor == words.style.bgcolor, "the space is inside the highlighted band"
