"""Prepare for my own meeting in the app: a plan built one question at a time,
saved as typed, flagged for identifiers, printed, rehearsed with typed replies,
and gone from the history file once deleted; the profile in settings."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from simulator.records.store import Store
from simulator.tui.app import make_app
from simulator.tui.plan_rehearse_screen import PlanRehearseScreen
from simulator.tui.plan_screen import PlanEditScreen, PlansScreen

MINIMAL = str(Path(__file__).parents[1] / "fixtures" / "minimal.yaml")
SIZES = [(80, 24), (120, 36)]

ANSWERS = {
    "about": "adult", "area": "outcomes-of-assessments", "title": "Mr D.: s42 enquiry closed",
    "decision.what": "Closing the s42 enquiry into financial abuse as 'his choice'",
    "decision.who": "Adult social care team manager", "decision.when": "2026-12-01",
    "concern": "Nobody has assessed whether Mr D. can decide about his money.",
    "facts": "2026-11-03 | Fridge empty, heating off, down 4 kg | district nurse record",
    "their_words": "He is my friend, he helps me | 2026-11-20 | to the district nurse",
    "fallback.stage": "2",
}


@pytest.fixture
def app(tmp_path):
    return make_app([MINIMAL], data=tmp_path / "history.sqlite", export_dir=tmp_path / "out")


def stored(tmp_path):
    with Store(tmp_path / "history.sqlite", access="read") as store:
        return store.plans()


async def test_a_plan_is_built_from_nothing_saved_as_typed_and_flagged(app, tmp_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "n")
        await pilot.pause()
        assert isinstance(app.screen, PlanEditScreen)
        await pilot.press("down", "enter")  # an adult
        await pilot.press("enter")  # the first area
        await pilot.press(*"Mr D.", "enter")  # the label
        assert app.screen.index == 3
        await pilot.press(*"LS6 2QT")
        await pilot.pause()
        warning = str(app.screen.query_one("#step-warnings").render())
        assert "Line 1, column 1: this looks like a postcode" in warning and "2QT" not in warning
        app.store.wait(5)
        # Saved as typed, before the step was left: a kill now loses nothing typed.
        [plan] = stored(tmp_path)
        assert plan.answers["meeting.with"] == "LS6 2QT" and plan.answers["about"] == "adult"
        assert plan.title == "Mr D."


async def test_a_plan_reopens_at_the_step_being_typed_with_the_words_typed(tmp_path):
    data = tmp_path / "history.sqlite"
    first = make_app([MINIMAL], data=data)
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "n", "down", "enter", "enter", *"Mrs K.: pressure ulcer", "enter")
        await pilot.press(*"Adult social care du")
        await pilot.pause()
        first.store.wait(5)
    again = make_app([MINIMAL], data=data)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        screen = again.screen
        assert isinstance(screen, PlanEditScreen) and not screen.review
        assert screen.step.key == "meeting.with"
        assert screen.query_one("#step-line").value == "Adult social care du"
        await pilot.press("escape", "escape")
    # Once it has been reviewed, it reopens at the review.
    async with make_app([MINIMAL], data=data).run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        assert pilot.app.screen.step.key == "meeting.with"
        pilot.app.screen.review = True
        pilot.app.screen.show_step()
        pilot.app.store.wait(5)
    async with make_app([MINIMAL], data=data).run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "enter")
        await pilot.pause()
        assert pilot.app.screen.review


async def test_review_print_and_rehearse_end_in_a_debrief_with_the_plans_gaps(app, tmp_path):
    async with app.run_test(size=(100, 32)) as pilot:
        app.push_screen(PlanEditScreen("p1", dict(ANSWERS), []))
        await pilot.pause()
        app.screen.index = len(__import__("simulator.prepare.guided", fromlist=["STEPS"]).STEPS) - 1
        await pilot.press("ctrl+n")
        await pilot.pause()
        review = str(app.screen.query_one("#review-text").render())
        assert "ask.by: the ask has no date" in review and "safety:" in review
        await pilot.press("ctrl+r")
        await app.workers.wait_for_complete()
        await pilot.pause()
        written = sorted((tmp_path / "out").iterdir())
        assert [p.suffix for p in written] == [".html", ".md"]
        assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in written)
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanRehearseScreen)
        await pilot.press(*"I'm worried he has lost 4 kg since 3 November; will you reopen it by Friday?", "enter")
        await pilot.pause()
        feedback = str(screen.query_one("#rehearse-feedback").render())
        assert "\u201cI'm worried" in feedback  # the learner's own words, quoted
        for _ in range(len(screen.likely)):
            await pilot.press("enter")
            await pilot.pause()
        debrief = str(screen.query_one("#rehearse-pushback").render())
        assert "Debrief" in debrief and "You said: \u201cI'm worried" in debrief
        assert "Your plan's own gaps:" in debrief and "ask.by" in debrief
        app.store.wait(5)
        [plan] = stored(tmp_path)
        assert plan.replies[0]["reply"].startswith("I'm worried he has lost 4 kg")


async def test_deleting_a_plan_removes_it_from_the_history_file(app, tmp_path):
    app.store.save_plan("p1", "Mr D.", dict(ANSWERS))
    app.store.wait(5)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, PlansScreen)
        await pilot.press("d")
        assert stored(tmp_path)  # one d only warns
        await pilot.press("d")
        await pilot.pause()
    assert stored(tmp_path) == []


async def test_the_profile_is_set_in_settings_and_kept_beside_the_history(app, tmp_path):
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.press("s")
        await pilot.pause()
        field = app.screen.query_one("#profile-partnership")
        field.value = "Northbridge Safeguarding Adults Board"
        field.focus()
        await pilot.press("enter")
        stages = app.screen.query_one("#profile-stages")
        stages.value = "Practitioner to practitioner = 2; Team managers = 3; Heads of service = 5"
        stages.focus()
        await pilot.press("enter")
        await pilot.pause()
    saved = tmp_path / "history-profile.yaml"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    profile = app.local_profile()
    assert profile.partnership == "Northbridge Safeguarding Adults Board"
    assert [s.who for s in profile.stages] == ["Practitioner to practitioner", "Team managers", "Heads of service"]
    # A stage kept by name keeps what the profile said of how it is done.
    assert profile.stages[0].how.startswith("Speak to the practitioner") and profile.stages[1].how == ""


async def still(pilot) -> None:
    """The screen as it settles: no blinking cursor (the picture would depend
    on the moment it is taken), and what is scrolled after a refresh scrolled."""
    from textual.widgets import Input, TextArea

    for box in [*pilot.app.screen.query(Input), *pilot.app.screen.query(TextArea)]:
        box.cursor_blink = False
    for _ in range(3):
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plan_step_with_an_identifier_warning(snap_compare, tmp_path, size):
    app = make_app([MINIMAL], data=tmp_path / "history.sqlite")

    async def type_a_phone_number(pilot):
        await pilot.press("p", "n", "enter", "enter", *"Year 9", "enter", *"07700 900123")
        await still(pilot)

    assert snap_compare(app, run_before=type_a_phone_number, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plan_rehearsal_feedback(snap_compare, tmp_path, size):
    app = make_app([MINIMAL], data=tmp_path / "history.sqlite")

    async def open_rehearsal(pilot):
        from simulator.prepare.guided import plan_of

        plan, _ = plan_of(ANSWERS)
        app.push_screen(PlanRehearseScreen("p1", plan, []))
        await pilot.pause()
        await pilot.press(*"I'm worried he has lost 4 kg since 3 November; will you reopen it by Friday?", "enter")
        await still(pilot)

    assert snap_compare(app, run_before=open_rehearsal, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plans_list(snap_compare, tmp_path, size, monkeypatch):
    import sqlite3
    import time


    data = tmp_path / "history.sqlite"
    with Store(data) as store:
        store.save_plan("p1", "Mr D.: s42 enquiry closed", dict(ANSWERS))
        store.save_plan("p2", "Year 9 pupil: CAMHS decline", {"about": "child", "title": "Year 9 pupil: CAMHS decline"})
    db = sqlite3.connect(data)
    with db:  # a fixed clock, so the picture does not change with the day it is taken
        db.execute("UPDATE plans SET updated_at = CASE id WHEN 'p1' THEN '2026-12-04T16:20:00+00:00'"
                   " ELSE '2026-12-03T09:05:00+00:00' END")
    db.close()
    app = make_app([MINIMAL], data=data)

    async def open_plans(pilot):
        await pilot.press("p")
        await still(pilot)

    # Times are shown as the wall clock says them: fix the clock's zone for the picture.
    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert snap_compare(app, run_before=open_plans, terminal_size=size)
    finally:
        monkeypatch.undo()
        time.tzset()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plan_review_with_its_gaps(snap_compare, tmp_path, size):
    app = make_app([MINIMAL], data=tmp_path / "history.sqlite")

    async def open_review(pilot):
        app.push_screen(PlanEditScreen("p1", dict(ANSWERS), []))
        await still(pilot)

    assert snap_compare(app, run_before=open_review, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plan_rehearsal_debrief_with_the_plans_gaps(snap_compare, tmp_path, size):
    app = make_app([MINIMAL], data=tmp_path / "history.sqlite")

    async def reply_then_debrief(pilot):
        from simulator.prepare.guided import plan_of

        plan, _ = plan_of(ANSWERS)
        app.push_screen(PlanRehearseScreen("p1", plan, []))
        await pilot.pause()
        await pilot.press(*"I'm worried he has lost 4 kg since 3 November; will you reopen it by Friday?", "enter")
        await pilot.pause()
        for _ in range(len(app.screen.likely)):
            await pilot.press("enter")
            await pilot.pause()
        await still(pilot)

    assert snap_compare(app, run_before=reply_then_debrief, terminal_size=size)


def test_a_plans_time_is_shown_on_the_local_clock(monkeypatch):
    import time

    from simulator.tui.plan_screen import _local

    monkeypatch.setenv("TZ", "Europe/London")
    time.tzset()
    try:
        assert _local("2026-07-01T09:30:00+00:00") == "2026-07-01 10:30"  # British Summer Time
        assert _local("2026-12-04T16:20:00+00:00") == "2026-12-04 16:20"
        assert _local("not a time") == "not a time"
    finally:
        monkeypatch.undo()
        time.tzset()


async def test_e_opens_the_worked_example_as_a_plan_of_its_own(app, tmp_path):
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p", "e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlanEditScreen) and screen.review
        assert screen.answers["concern"].startswith("The decline was made on the referral form alone")
        app.store.wait(5)
    [plan] = stored(tmp_path)
    assert plan.title.startswith("Example (fictional): Year 9 pupil")
