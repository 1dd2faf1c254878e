"""The app as a learner meets it, driven through Textual's Pilot."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, RichLog, Static

from simulator.engine.session import Session
from simulator.format.library import find
from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.debrief_screen import DebriefScreen
from simulator.tui.history_screen import ConfirmScreen, HistoryScreen
from simulator.tui.library_screen import LibraryScreen
from simulator.tui.play_screen import PlayScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = str(FIXTURES / "minimal.yaml")
HOSTILE = str(FIXTURES / "ui" / "hostile.yaml")


@pytest.fixture
def data(tmp_path) -> Path:
    return tmp_path / "history.db"


def app_on(data: Path, tmp_path: Path, *paths: str):
    return make_app(list(paths) or [MINIMAL], data=data, export_dir=tmp_path / "exports")


def texts(screen) -> str:
    """Every Static's plain text on a screen, and the transcript's lines, joined."""
    out = [widget.visual.plain for widget in screen.query(Static)]
    for log in screen.query(RichLog):
        out.append(" ".join(" ".join(strip.text.split()) for strip in log.lines))
    return "\n".join(out)


async def test_whole_journey_library_briefing_play_debrief_try_again_history(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("enter")  # open the highlighted scenario's briefing
        assert "Case file" in texts(app.screen)
        await pilot.press("enter")  # start
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1", "1")  # cite the record; ask for a strategy discussion
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        shown = texts(app.screen)
        assert "RESOLVED" in shown and "Overall  100 · Strong" in shown  # the best route, whole numbers
        await pilot.press("t")  # try again
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.session.moves == []
        await pilot.press("2", "q")  # one decision, then leave
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#attempts")
        assert table.row_count == 2
    with Store(data) as store:
        finished, unfinished = sorted(store.attempts(), key=lambda a: a.finished_at is None)
        assert finished.outcome == "resolved" and round(finished.overall, 1) == 100  # the best route (issue 12: 100)
        assert unfinished.finished_at is None
        assert [d.choice_id for d in store.attempt(unfinished.id).decisions] == ["2"]


async def test_locked_option_is_shown_greyed_with_its_reason(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "2")
        choices = app.screen.query_one("#choices", OptionList)
        locked = [o for o in choices.options if o.disabled]
        assert len(locked) == 1 and "Sam is not open enough yet." in locked[0].prompt.plain
        await pilot.press("3")  # 3 is not on offer: two options and one locked
        assert app.screen.session.node.id == "listen"


async def test_rewind_returns_to_the_previous_decision_and_is_recorded(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "2", "u")
        await pilot.pause()
        session = app.screen.session
        assert session.node.id == "open" and session.rewinds == 1
        await pilot.press("1", "1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        assert "rewinds 1" in texts(app.screen)
    with Store(data) as store:
        attempt = store.attempts()[0]
        decisions = store.attempt(attempt.id).decisions
        assert [(d.choice_id, d.rewound) for d in decisions] == [("2", True), ("cite", False), ("1", False)]


async def test_hint_is_shown_on_request_and_recorded(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "h")
        assert app.screen.query_one("#hints").display
        await pilot.press("1", "1")
        await pilot.pause()
        assert "hints used 1" in texts(app.screen)


async def test_coach_mode_shows_feedback_and_the_stronger_option_before_moving_on(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "m", "enter", "2")  # coach mode; "That is simply wrong."
        await pilot.pause()
        coach = app.screen.query_one("#coach", Static)
        assert coach.display
        assert "Assertion without evidence." in coach.visual.plain
        assert "On 3 October Mia told us she was hit." in coach.visual.plain  # the stronger option
        assert app.screen.session.node.id == "listen"
        assert "That is simply wrong." in texts(app.screen) and "Go on." not in texts(app.screen)
        options = app.screen.query_one("#choices", OptionList).options
        assert [o.id for o in options] == ["continue"]
        await pilot.press("enter")
        await pilot.pause()
        assert not coach.display and "Go on." in texts(app.screen)
        assert "escalate" in app.screen.query_one("#choices", OptionList).options[0].prompt.plain


async def test_case_file_is_one_key_away_during_play(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "c")
        assert "Mia said she was hit." in texts(app.screen)
        await pilot.press("escape")
        assert isinstance(app.screen, PlayScreen)


async def test_an_unfinished_attempt_resumes_where_it_stopped(data, tmp_path):
    scenario = find(MINIMAL).scenario
    session = Session(scenario)
    session.choose("3")
    with Store(data) as store:
        attempt_id = store.start_attempt(scenario.id, scenario.title)
        store.record_decision(attempt_id, session.to_json(), "open", "3", False)
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        banner = app.screen.query_one("#resume-banner", Static)
        assert banner.display and "Press r to resume" in banner.visual.plain
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.node.id == "listen" and app.screen.session.variables["manager_informed"]


async def test_export_writes_the_report_where_the_app_says(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "1", "1", "e", "h")
        await pilot.pause()
    exported = list((tmp_path / "exports").glob("rehearse-test-minimal-*.html"))
    assert len(exported) == 1 and "Strategy discussion" in exported[0].read_text()


async def test_rewind_to_a_key_moment_takes_the_other_road_as_a_new_attempt(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "2", "2")  # wrong, then leave it: child at risk
        await pilot.pause()
        assert app.screen.session.outcome == "child-at-risk"
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("down", "enter")  # decision 2
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.session.node.id == "listen" and len(app.screen.session.moves) == 1
        await pilot.press("1")  # escalate this time
        await pilot.pause()
        assert app.screen.session.outcome == "escalated"
    with Store(data) as store:
        assert sorted(a.outcome for a in store.attempts()) == ["child-at-risk", "escalated"]


async def test_deleting_an_attempt_asks_first(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "1", "1", "escape", "h")
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert app.screen.query_one("#attempts").row_count == 1
        await pilot.press("d", "y")
        await pilot.pause()
        assert app.screen.query_one("#attempts").row_count == 0


async def test_settings_are_stored(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        await pilot.press("down", "down", "enter")  # high contrast
        await pilot.pause()
        assert app.theme == "rehearse-contrast"
    with Store(data) as store:
        assert store.get_setting("theme") == "rehearse-contrast"


async def test_help_lists_the_keys_of_the_current_screen(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("enter", "enter", "question_mark")
        shown = texts(app.screen)
        assert "Rewind" in shown and "Case file" in shown and "1-9" in shown


async def test_the_briefing_is_readable_inside_the_app(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("b")
        assert "Effective Challenge is" in texts(app.screen)


async def test_a_scenario_that_fails_validation_is_listed_with_its_error(data, tmp_path):
    broken = FIXTURES.parent / "broken" / "next-missing-node.yaml"
    app = app_on(data, tmp_path, MINIMAL, str(broken))
    async with app.run_test(size=(120, 36)) as pilot:
        options = app.screen.query_one("#scenarios", OptionList)
        broken_option = next(i for i, o in enumerate(options.options) if (o.id or "").startswith("broken:"))
        options.highlighted = broken_option
        await pilot.pause()
        details = app.screen.query_one("#details", Static).visual.plain
        assert "next node 'lisen' does not exist" in details and "next-missing-node.yaml:" in details


async def test_markup_and_escape_sequences_in_scenario_text_are_shown_inert(data, tmp_path):
    app = app_on(data, tmp_path, HOSTILE)
    async with app.run_test(size=(80, 24)) as pilot:
        details = app.screen.query_one("#details", Static).visual
        assert "[bold]Bold?[/bold]" in details.plain
        assert "[link=http://example.invalid]link[/link]" in details.plain
        assert "\\x1b[31mred" in details.plain and "\x1b" not in details.plain
        assert not any("link" in str(span.style) for span in details.spans)
        await pilot.press("enter", "enter")
        await pilot.pause()
        shown = texts(app.screen)
        assert "Pat [red]Moss[/red]" in shown
        assert "[bold]without consent[/bold] \\x1b[5mblink" in shown
        prompts = [o.prompt.plain for o in app.screen.query_one("#choices", OptionList).options]
        assert "1. Option [bold]one[/bold] \\x1b]0;retitled\\x07" in prompts
        await pilot.press("1")
        await pilot.pause()
        assert "Debrief [bold]x[/bold]." in texts(app.screen)


async def test_a_learner_name_with_markup_is_shown_literally(data, tmp_path):
    with Store(data) as store:
        store.set_setting("learner", "[bold]Asha[/bold] \x1b[31m")
    app = app_on(data, tmp_path)
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.query_one("#learner").value == "[bold]Asha[/bold] \x1b[31m"
        await pilot.press("escape", "enter", "enter", "1", "1", "e", "m")
        await pilot.pause()
    report = next((tmp_path / "exports").glob("*.md")).read_text()
    assert "Asha" in report and "\x1b" not in report


async def test_ctrl_c_quits_the_app_mid_scenario_and_the_decision_is_kept(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "2")
        await pilot.pause()
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert not app.is_running
    with Store(data) as store:
        (attempt,) = store.attempts()
        assert [d.choice_id for d in store.attempt(attempt.id).decisions] == ["2"]


def test_a_trend_is_drawn_on_the_fixed_scale_not_stretched_to_its_own_maximum():
    from simulator.tui.history_screen import trend_line

    assert trend_line([40.0]) == "▄"  # one attempt at 40 is a middling bar, not a full one
    assert trend_line([0.0, 100.0]) == "▁█"
    assert len(trend_line([50.0] * 30)) == 12  # the latest dozen


async def test_enter_on_a_history_row_opens_the_debrief_or_resumes(data, tmp_path):
    app = app_on(data, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter", "1", "1")  # a finished attempt
        await pilot.pause()
        await pilot.press("escape", "h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
