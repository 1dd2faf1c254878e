"""`rehearse dashboard`: the facilitator's live view of a cohort, driven through Pilot."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from cohort_fixtures import HOSTILE, MINIMAL, fill_demo_cohort, play_in_cohort, scenario
from textual.widgets import DataTable, Static, TabbedContent

from simulator.cli import main
from simulator.records.store import Store
from simulator.tui.group.dashboard_screen import POLL_SECONDS, DashboardApp, DashboardScreen

READ_AT = datetime(2026, 3, 2, 10, 15, 0)
# The timer is real but far off: each test moves the dashboard on itself,
# calling what the timer calls, so nothing depends on the clock.
NEVER = 3600


@pytest.fixture
def scenarios():
    return [scenario(MINIMAL), scenario(HOSTILE)]


@pytest.fixture
def demo(tmp_path):
    path = tmp_path / "cohort.db"
    fill_demo_cohort(path)
    return path


def dashboard(path, scenarios, name="demo") -> DashboardApp:
    with Store(path) as store:
        cohort = store.cohort(name)
    return DashboardApp(path, cohort, scenarios, poll_seconds=NEVER, clock=lambda: READ_AT)


async def settled(pilot) -> DashboardScreen:
    """Wait for the read in flight and for its result to be drawn."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return pilot.app.dashboard


def text(screen, selector: str) -> str:
    return screen.query_one(selector, Static).visual.plain


def rows(screen) -> list[list[str]]:
    table = screen.query_one("#participants", DataTable)
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


def option_line(body: str, words: str) -> str:
    return next(line for line in body.splitlines() if line.strip().startswith(words))


# -- the command ---------------------------------------------------------------------

def test_an_unknown_cohort_exits_1_and_lists_the_cohorts_there_are(demo, capsys):
    with Store(demo) as store:
        store.create_cohort("tuesday-pm", "ZX81")
    assert main(["--data", str(demo), "dashboard", "--cohort", "demmo"]) == 1
    err = capsys.readouterr().err
    assert "there is no cohort 'demmo'" in err
    listed = err.splitlines()[1:]
    assert any(line.split()[0] == "demo" and "plays test-minimal" in line for line in listed)
    assert any(line.split()[0] == "tuesday-pm" and "participants choose" in line for line in listed)


def test_a_missing_history_file_is_explained_and_not_created(tmp_path, capsys):
    path = tmp_path / "nothing.db"
    assert main(["dashboard", "--data", str(path), "--cohort", "demo"]) == 1
    assert "there is no history file" in capsys.readouterr().err
    assert not path.exists()


def test_a_file_without_cohorts_says_how_to_start_one(tmp_path, capsys):
    path = tmp_path / "h.db"
    Store(path).close()
    assert main(["--data", str(path), "dashboard", "--cohort", "demo"]) == 1
    assert "has no cohorts yet" in capsys.readouterr().err


def test_a_hostile_cohort_name_is_shown_inert(tmp_path, capsys):
    path = tmp_path / "h.db"
    with Store(path) as store:
        store.create_cohort("\x1b]0;owned\x07", "AAAA")
    assert main(["--data", str(path), "dashboard", "--cohort", "x\x1b[2J"]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b]0;owned\\x07" in err


# -- the screen ----------------------------------------------------------------------

async def test_the_room_who_is_where_and_what_they_chose(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        status = text(screen, "#cohort-status")
        assert "join code K7Q2" in status and "5 joined, 1 playing, 4 finished" in status
        table = rows(screen)
        assert [r[0] for r in table[:4]] == ["Asha", "Ben (try 2)", "Cy", "Dee"]
        assert table[3][1] == "decision 2 · listen"
        assert table[2][1] == "✓ Escalated 76.9"
        assert table[4][2] == "test-hostile"  # two scenarios in the room: a column says which
        choices = text(screen, "#choices-body")
        assert option_line(choices, "That is simply wrong.").split()[-3:] == ["2", "first", "3"]
        assert option_line(choices, "On 3 October").split()[-1] == "1"
        assert "4 answered · 1 changed their mind" in choices
        assert "3 answered · 1 deciding now" in choices
        profile = text(screen, "#profile")
        assert "Average of 4 finished first attempts" in profile
        assert "Process and escalation" in profile and "100 Strong" in profile
        assert "Overall" in profile and "55.6 Developing" in profile


async def test_the_debrief_tab_lists_the_weaker_choices_with_the_better_option_and_why(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        await pilot.press("d")
        assert screen.query_one("#views", TabbedContent).active == "debrief"
        debrief = text(screen, "#debrief-body")
        assert "Endings: Escalated 2, Resolved 1 (of 3 finished)" in debrief
        first = debrief.index("1. 2 of 4 said “That is simply wrong.”")
        assert debrief.index("Better: “On 3 October Mia told us she was hit.", first) > first
        # The briefing's own sentence for Factual, not just the quality's name.
        assert ("Why: Factual (briefing: “Clearly identify your concerns and the impact on the case being "
                "discussed.”)") in " ".join(debrief.split()) and "Specific and calm." in debrief
        assert "2. 1 of 4 said “I'll tell my manager first.”" in debrief


async def test_live_refresh_shows_a_new_decision_without_restarting(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.timer is not None and 1 <= POLL_SECONDS <= 2
        before = text(screen, "#choices-body")
        assert option_line(before, "On 3 October").split()[-1] == "1"
        # A new participant joins and cites the record, from another process's connection.
        with Store(demo) as store:
            play_in_cohort(store, scenarios[0], "p-6", "Fay", [1])
        screen.poll()  # what the timer does every 1.5 seconds
        screen = await settled(pilot)
        after = text(screen, "#choices-body")
        assert option_line(after, "On 3 October").split()[-1] == "2"
        assert "5 answered" in after
        assert rows(screen)[-1][:2] == ["Fay", "decision 2 · listen"]
        # r reads at once too.
        with Store(demo) as store:
            play_in_cohort(store, scenarios[0], "p-7", "Gus", [1])
        await pilot.press("r")
        screen = await settled(pilot)
        assert option_line(text(screen, "#choices-body"), "On 3 October").split()[-1] == "3"


async def test_a_participants_open_write_does_not_hold_the_dashboard_up(demo, scenarios):
    app = dashboard(demo, scenarios)
    writer = sqlite3.connect(demo, isolation_level=None)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        # A participant's decision is being written and not yet committed.
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE attempts SET learner = 'Asha Kaur' WHERE participant = 'p-1'")
        app.dashboard.poll()
        screen = await settled(pilot)
        status = text(screen, "#cohort-status")
        assert "Cannot read" not in status and "5 joined" in status
        assert rows(screen)[0][0] == "Asha"
        writer.execute("COMMIT")
        screen.poll()
        screen = await settled(pilot)
        assert rows(screen)[0][0] == "Asha Kaur"
    writer.close()


async def test_a_file_that_cannot_be_read_keeps_the_last_figures_and_says_so(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        for suffix in ("", "-wal", "-shm"):
            demo.with_name(demo.name + suffix).unlink(missing_ok=True)
        app.dashboard.poll()
        screen = await settled(pilot)
        assert "Cannot read the history file just now" in text(screen, "#cohort-status")
        assert "no longer there" in text(screen, "#cohort-status")
        assert len(rows(screen)) == 5  # what was last read stays on screen
        assert not demo.exists()  # and the dashboard did not create an empty file


async def test_no_participants_yet(tmp_path, scenarios):
    path = tmp_path / "h.db"
    with Store(path) as store:
        store.create_cohort("empty", "QQ22", scenario_id="test-minimal")
    app = dashboard(path, scenarios, "empty")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert text(screen, "#choices-body") == "No one has joined yet. Participants join with the code QQ22."
        assert "0 joined" in text(screen, "#cohort-status")
        assert "Minimal: a threshold query" in text(screen, "#cohort-status")
        assert rows(screen) == []


async def test_someone_who_joined_and_has_not_started_is_counted_once(demo, scenarios):
    with Store(demo) as store:
        store.record_join("demo", "p-6", "Fay")  # joined, then closed the tab on the briefing
        store.record_join("demo", "p-1", "Asha")  # joined, and has played: still one Asha
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert "6 joined, 1 playing, 4 finished, 1 not started" in text(screen, "#cohort-status")
        table = rows(screen)
        assert [r[0] for r in table].count("Asha") == 1
        assert table[-1][:2] == ["Fay", "joined, not started"], "in the order they joined"


async def test_a_room_that_has_joined_but_not_started(tmp_path, scenarios):
    path = tmp_path / "h.db"
    with Store(path) as store:
        store.create_cohort("early", "QQ22", scenario_id="test-minimal")
        store.record_join("early", "p-1", "Asha")
        store.record_join("early", "p-2", "Ben")
    app = dashboard(path, scenarios, "early")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(pilot)
        assert "2 joined, 0 playing, 0 finished, 2 not started" in text(screen, "#cohort-status")
        assert text(screen, "#choices-body") == "2 participants joined; their choices appear here once they start."
        assert [r[:2] for r in rows(screen)] == [["Asha", "joined, not started"], ["Ben", "joined, not started"]]


async def test_hostile_names_and_scenario_text_are_shown_not_obeyed(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        eve = rows(screen)[4][0]
        assert "\x1b" not in eve and eve == "␛[31m[b]Eve[/b]"
        choices = text(screen, "#choices-body")
        assert "[bold]Bold?[/bold]" in choices and "\x1b" not in choices
        assert "Option [bold]one[/bold]" in choices


async def test_on_a_narrow_terminal_the_profile_has_a_tab_of_its_own(demo, scenarios):
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settled(pilot)
        assert not screen.query_one("#profile").display
        await pilot.press("p")
        assert screen.query_one("#views", TabbedContent).active == "room-profile"
        assert "55.6 Developing" in text(screen, "#profile-body")
    app = dashboard(demo, scenarios)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        assert screen.query_one("#profile").display
        await pilot.press("p")  # nothing to do: the profile is beside the participants
        assert screen.query_one("#views", TabbedContent).active == "choices"


# -- snapshot --------------------------------------------------------------------------

def test_dashboard_snapshot_120x40(snap_compare, demo, scenarios):
    async def read(pilot):
        await settled(pilot)

    assert snap_compare(dashboard(demo, scenarios), terminal_size=(120, 40), run_before=read)


async def test_a_decision_says_how_many_said_it_first_in_their_own_words(tmp_path, scenarios):
    from simulator.engine.session import Session

    path = tmp_path / "room.db"
    minimal = scenarios[0]
    with Store(path) as store:
        store.create_cohort("room", "K7Q2", minimal.id)
        attempt = store.start_attempt(minimal.id, minimal.title, learner="Asha", cohort="room", participant="p-1")
        session = Session(minimal)
        session.choose("cite", "I'm worried about Mia [bold]now[/bold].")
        store.record_decision(attempt, session.to_json(), "open", "cite", False,
                              own_words="I'm worried about Mia [bold]now[/bold].")
    app = dashboard(path, scenarios, "room")
    async with app.run_test(size=(120, 40)) as pilot:
        choices = text(await settled(pilot), "#choices-body")
        assert "1 answered · 1 said it first" in choices
        assert "worried" not in choices, "the words stay the participant's: only the count is on the projector"
