"""Group sessions (`rehearse facilitate`) as a facilitator runs them: the room
votes at each decision, ties and skipped votes are the facilitator's call, the
countdown prompts the vote without choosing, and the record is exported."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path
from types import SimpleNamespace

import pytest
from textual.widget import Widget
from textual.widgets import Static

from simulator.format.loader import load_file
from simulator.group.facilitation import MOST_HANDS, SKIPPED, TIE, Round, VoteOption, leaders, percentages
from simulator.cli.group import facilitate as run_cli
from simulator.tui.group.facilitation_app import make_facilitation_app
from simulator.tui.group.group_debrief_screen import GroupDebriefScreen
from simulator.tui.group.projector_screen import DISCUSS, PICK, RESULT, VOTE, ProjectorScreen
from simulator.tui.history_screen import ConfirmScreen

FIXTURES = Path(__file__).parent / "fixtures" / "facilitation"
GROUP = FIXTURES / "group.yaml"
HOSTILE = FIXTURES / "hostile.yaml"
SIZE = (100, 30)


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def scenario(path: Path = GROUP):
    result = load_file(path)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.scenario


def app_for(tmp_path, path: Path = GROUP, countdown: int = 0, clock: FakeClock | None = None):
    return make_facilitation_app(scenario(path), countdown=countdown, export_dir=tmp_path / "records",
                                 now=lambda: datetime(2026, 10, 14, 10, 15, tzinfo=timezone.utc),
                                 monotonic=clock or FakeClock())


def shown(screen) -> str:
    """The text of every Static on show (it and its containers displayed), one per line."""
    def on_show(widget) -> bool:
        return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))

    return "\n".join(w.visual.plain for w in screen.query(Static) if on_show(w) and w.visual is not None)


def prompts_on_show(screen) -> bool:
    box = screen.query_one("#discuss")
    return box.display and box.border_title == "DISCUSS"


async def wait_until(pilot, condition, tries: int = 60) -> None:
    """Let the app's timers run until ``condition()`` holds (the clock is fake; only the timer is real)."""
    for _ in range(tries):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not reach the expected state")


async def begin(pilot) -> ProjectorScreen:
    await pilot.press("enter")  # from the opening screen
    await pilot.pause()
    assert isinstance(pilot.app.screen, ProjectorScreen)
    return pilot.app.screen


# -- the rules of the vote ---------------------------------------------------------------


def test_leaders_are_the_options_with_most_hands_and_none_when_no_hand_went_up():
    assert leaders([5, 3, 2]) == (0,)
    assert leaders([4, 4, 1]) == (0, 1)
    assert leaders([0, 0, 0]) == ()
    assert percentages([5, 3, 2]) == (50, 30, 20)
    assert percentages([0, 0]) == (0, 0)


def test_a_round_refuses_a_choice_the_hands_do_not_support():
    options = (VoteOption("A", "1", "a"), VoteOption("B", "2", "b"))

    def make(hands, chosen, decided_by):
        return Round(1, "n", "Sam", "line", (), options, hands, chosen, decided_by)

    assert make((3, 1), 0, MOST_HANDS).how() == "Most hands: A, with 3 of 4 (75%)."
    assert make((2, 2), 1, TIE).how() == "Tie between A and B (2 hands each): the facilitator chose B."
    assert make(None, 1, SKIPPED).how() == "Vote skipped: the facilitator chose B."
    for hands, chosen, decided_by in [((3, 1), 1, MOST_HANDS), ((2, 2), 0, MOST_HANDS), ((3, 1), 0, TIE),
                                      (None, 0, MOST_HANDS), ((1, 0), 0, SKIPPED), ((1,), 0, MOST_HANDS)]:
        with pytest.raises(ValueError):
            make(hands, chosen, decided_by)


# -- a whole session ---------------------------------------------------------------------


async def test_whole_session_majority_then_tie_then_group_debrief(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        text = shown(app.screen)
        assert "Group: a threshold query" in text and "show of hands" in text
        screen = await begin(pilot)
        text = shown(screen)
        assert "DECISION 1" in text and "SAM WARD" in text and "still below threshold" in text
        assert prompts_on_show(screen) and "What is Sam weighing up?" in text

        await pilot.press("enter")  # take the vote
        assert screen.phase == VOTE
        assert not prompts_on_show(screen) and "What is Sam weighing up?" not in shown(screen)
        await pilot.press("5", "enter", "3", "enter", "2", "enter")  # A 5, B 3, C 2, then count
        assert screen.phase == RESULT
        assert "Most hands: A, with 5 of 10 hands (50%)." in shown(screen)
        await pilot.press("enter")  # the story follows A
        await pilot.pause()
        assert app.session.moves[0].choice_id == "cite"

        text = shown(screen)
        assert "DECISION 2" in text and "The room said (A)" in text and "Go on, then." in text
        assert "Would you take it to a strategy discussion today?" in text  # unlocked by trust
        await pilot.press("enter", "4", "enter", "4", "enter", "1", "enter", "0", "enter")
        assert screen.phase == PICK and screen.eligible == (0, 1)
        assert "Tie: A and B have 4 hands each." in shown(screen)
        await pilot.press("b")
        await pilot.pause()

        assert isinstance(app.screen, GroupDebriefScreen)
        text = shown(app.screen)
        assert "ESCALATED" in text and "Escalated to the team manager" in text
        assert "For the child  Mia was seen two days later." in text
        assert "2 decisions · 1 tie · 0 skipped" in text
        assert "Hands  A 5 (50%)   B 3 (30%)   C 2 (20%)" in text
        assert "Hands  A 4 (44%)   B 4 (44%)   C 1 (11%)   D 0 (0%)" in text
        assert "most hands" in text and "tie: facilitator chose" in text
        assert "Overall 73.3 out of 100 · Secure" in text
        assert "Process and escalation" in text
        assert "Would you have escalated sooner?" in text and "Who else needed to know?" in text
        assert "What was your reasoning at that point?" in text  # advocacy-inquiry question from scoring
    first, second = app.rounds
    assert (first.hands, first.chosen, first.decided_by) == ((5, 3, 2), 0, MOST_HANDS)
    assert (second.hands, second.chosen, second.decided_by, second.tied) == ((4, 4, 1, 0), 1, TIE, (0, 1))
    assert first.discuss == ("What is Sam weighing up?", "Which fact from the case file would you lead with?")


async def test_skipped_vote_lets_the_facilitator_choose_and_narration_prompts_follow(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("s")
        assert screen.phase == PICK and screen.eligible == (0, 1, 2)
        assert "Vote skipped" in shown(screen)
        await pilot.press("c")  # C: leave it with early help, via a narration node with its own prompt
        await pilot.pause()
        text = shown(screen)
        assert "You put the phone down" in text and "Was it right to let it go?" in text
        await pilot.press("enter", "0", "enter", "6", "enter", "enter")  # B has every hand (A is locked)
        await pilot.pause()
        assert screen.phase == RESULT
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, GroupDebriefScreen)
        text = shown(app.screen)
        assert "0 ties · 1 skipped" in text and "vote skipped: facilitator chose" in text and "Hands  no vote" in text
    skipped = app.rounds[0]
    assert skipped.hands is None and skipped.decided_by == SKIPPED and skipped.choice.choice_id == "accept"
    assert app.rounds[1].discuss == ("Was it right to let it go?",)


async def test_a_vote_abandoned_part_way_is_recorded_as_skipped_not_counted(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "4", "enter", "4")  # hands half counted, then the room loses the thread
        await pilot.press("s")
        assert screen.phase == PICK and "Vote skipped" in shown(screen) and "Tie" not in shown(screen)
        await pilot.press("escape")  # changed their mind: the counts are still there
        assert screen.phase == VOTE and screen.hands == [4, 4, 0]
        await pilot.press("s", "b")
        await pilot.pause()
    assert (app.rounds[0].hands, app.rounds[0].decided_by, app.rounds[0].choice.letter) == (None, SKIPPED, "B")


async def test_a_locked_option_is_shown_but_cannot_be_voted_for(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "1", "enter", "9", "enter", "0", "enter", "enter")  # B: trust falls
        await pilot.pause()
        text = shown(screen)
        assert "Not on offer  Would you take it to a strategy discussion today?" in text
        assert "(Sam is not open enough yet.)" in text
        assert [o.letter for o in screen.options] == ["A", "B", "C"]


# -- correcting mistakes ---------------------------------------------------------------------


async def test_counts_can_be_typed_corrected_and_adjusted(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "1", "2")
        assert screen.hands == [12, 0, 0]
        await pilot.press("backspace")
        assert screen.hands == [1, 0, 0]
        await pilot.press("plus", "plus", "minus")
        assert screen.hands == [2, 0, 0]
        await pilot.press("tab", "7", "up", "4")  # coming back to A, the first digit replaces the count
        assert screen.hands == [4, 7, 0]
        await pilot.press("down", "down", "enter")  # count from C
        assert screen.phase == RESULT and "Most hands: B" in shown(screen)
        await pilot.press("escape")  # a wrong count noticed: back to the counts, kept
        assert screen.phase == VOTE and screen.hands == [4, 7, 0]
        await pilot.press("9", "enter", "enter", "enter")
        assert screen.phase == RESULT and "Most hands: A, with 9 of 16" in shown(screen)


async def test_counting_with_no_hands_asks_for_counts_instead_of_choosing(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "enter", "enter", "enter")
        assert screen.phase == VOTE and app.session.moves == []
        assert "No hands counted yet." in shown(screen)


async def test_only_a_tied_option_can_break_a_tie(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "3", "enter", "1", "enter", "3", "enter")
        assert screen.phase == PICK and screen.eligible == (0, 2)
        await pilot.press("b")
        assert screen.phase == PICK and "B is not tied for most hands. Choose A or C." in shown(screen)
        await pilot.press("escape")  # or correct the counts instead
        assert screen.phase == VOTE and screen.hands == [3, 1, 3]


async def test_undo_goes_back_to_the_last_decision_with_its_counts(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        await pilot.press("enter", "2", "enter", "6", "enter", "1", "enter", "enter")  # B by mistake
        await pilot.pause()
        assert len(app.rounds) == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.rounds == [] and app.session.moves == [] and app.session.node.id == "open"
        assert screen.phase == VOTE and screen.hands == [2, 6, 1]
        assert "Back at decision 1." in shown(screen)
        await pilot.press("6", "enter", "2", "enter", "enter", "enter")  # the counts were the other way round
        await pilot.pause()
        assert app.rounds[0].hands == (6, 2, 1) and app.session.moves[0].choice_id == "cite"


# -- the countdown -----------------------------------------------------------------------------


async def test_countdown_runs_pauses_and_prompts_the_vote_without_choosing(tmp_path):
    clock = FakeClock()
    app = app_for(tmp_path, countdown=30, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        assert "0:30" in shown(screen)
        clock.now += 12
        await wait_until(pilot, lambda: "0:18" in shown(screen))
        await pilot.press("space")  # pause while the room is deep in discussion
        clock.now += 100
        await pilot.pause(0.3)
        assert screen.phase == DISCUSS and "0:18 · paused" in shown(screen)
        await pilot.press("space")
        clock.now += 17.5
        await wait_until(pilot, lambda: "0:01" in shown(screen))
        assert screen.phase == DISCUSS
        clock.now += 1
        await wait_until(pilot, lambda: screen.phase == VOTE)
        text = shown(screen)
        assert "TIME'S UP" in text and "Time's up. Hands up for each option in turn" in text
        assert app.session.moves == [] and app.rounds == []  # time never chooses for the room
        await pilot.press("1", "enter", "4", "enter", "0", "enter", "enter")
        await pilot.pause()
        assert app.rounds[0].countdown_ran_out and app.rounds[0].choice.letter == "B"
        assert "0:30" in shown(screen) and screen.phase == DISCUSS  # a fresh clock for decision 2


async def test_the_clock_stops_while_the_room_votes_and_resumes_if_it_goes_back_to_talking(tmp_path):
    clock = FakeClock()
    app = app_for(tmp_path, countdown=60, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        screen = await begin(pilot)
        clock.now += 20
        await wait_until(pilot, lambda: "0:40" in shown(screen))
        await pilot.press("enter")
        clock.now += 300
        await pilot.pause(0.3)
        assert screen.phase == VOTE and "0:40 · voting" in shown(screen)
        await pilot.press("escape")
        clock.now += 5
        await wait_until(pilot, lambda: "0:35" in shown(screen))
        assert not screen.ran_out


# -- the record -----------------------------------------------------------------------------------


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes += attrs

    def handle_data(self, data):
        self.text.append(data)


async def _play_to_debrief(pilot, votes: list[tuple[str, ...]]) -> None:
    await begin(pilot)
    for keys in votes:
        await pilot.press(*keys)
        await pilot.pause()
    assert isinstance(pilot.app.screen, GroupDebriefScreen)


async def test_export_writes_three_private_files_and_never_overwrites(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _play_to_debrief(pilot, [("enter", "5", "enter", "3", "enter", "2", "enter", "enter"),
                                       ("enter", "4", "enter", "4", "enter", "1", "enter", "0", "enter", "b")])
        await pilot.press("e")
        await pilot.pause()
        folder = tmp_path / "records"
        stem = "rehearse-group-test-group-2026-10-14-1015"
        first = sorted(folder.iterdir())
        assert [p.name for p in first] == [f"{stem}.html", f"{stem}.json", f"{stem}.md"]
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in first)
        assert f"{folder}/{stem}  .md .html .json" in shown(app.screen)
        before = {p: p.read_bytes() for p in first}
        await pilot.press("e")
        await pilot.pause()
        assert sorted(p.name for p in folder.iterdir()) == sorted(
            [p.name for p in first] + [f"{stem}-2.md", f"{stem}-2.html", f"{stem}-2.json"])
        assert all(p.read_bytes() == content for p, content in before.items())
        await pilot.press("q")  # exported: quitting needs no confirmation
        await pilot.pause()
    record = json.loads((folder / f"{stem}.json").read_text("utf-8"))
    assert record["schema"] == "rehearse.group-session" and record["scenario"]["id"] == "test-group"
    assert [d["decided_by"] for d in record["decisions"]] == ["most-hands", "tie"]
    assert [o["hands"] for o in record["decisions"][0]["options"]] == [5, 3, 2]
    assert [o["percent"] for o in record["decisions"][0]["options"]] == [50, 30, 20]
    assert record["decisions"][1]["tied"] == ["A", "B"] and record["decisions"][1]["chosen"]["letter"] == "B"
    assert record["decisions"][0]["discuss"][0] == "What is Sam weighing up?"
    assert record["debrief"]["ending"]["outcome"] == "escalated"
    assert record["debrief"]["overall"]["score"] == 73  # 73.3, whole as the debrief shows it (schema 2)
    assert record["closing_discuss"] == ["Would you have escalated sooner?", "Who else needed to know?"]
    page = _Page()
    page.feed((folder / f"{stem}.html").read_text("utf-8"))
    text = " ".join(" ".join(page.text).split())
    assert "Tie between A and B (4 hands each): the facilitator chose B." in text
    assert "Most hands: A, with 5 of 10 (50%)." in text
    markdown = (folder / f"{stem}.md").read_text("utf-8")
    assert "| **A (chosen)** | On 3 October Mia told us she was hit with a belt. Can we look at that together? | 5 | 50% |" \
        in markdown


async def test_quitting_before_export_asks_first(tmp_path):
    app = app_for(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _play_to_debrief(pilot, [("s", "c"), ("s", "c")])
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, GroupDebriefScreen)
        assert not (tmp_path / "records").exists()


async def test_hostile_scenario_text_is_escaped_in_every_export(tmp_path):
    app = app_for(tmp_path, HOSTILE)
    async with app.run_test(size=SIZE) as pilot:
        await begin(pilot)
        assert "<b>Discuss</b> [bold]this[/bold] \\x1b[31m" in shown(app.screen)  # shown as written, never obeyed
        await pilot.press("s", "a")
        await pilot.pause()
        assert isinstance(app.screen, GroupDebriefScreen)
        await pilot.press("e")
        await pilot.pause()
    files = {p.suffix: p for p in (tmp_path / "records").iterdir()}
    page = _Page()
    page.feed(files[".html"].read_text("utf-8"))
    assert "script" not in page.tags and "img" not in page.tags
    assert not any(name.startswith("on") for name, _ in page.attributes)
    text = "".join(page.text)
    assert "<script>alert('title')</script>" in text and "<img src=x onerror=alert(1)>" in text
    assert "\x1b" not in text and "␛[31m" in text
    markdown = files[".md"].read_text("utf-8")
    assert "<script>" not in markdown and "\\<script\\>" in markdown
    assert "\x1b" not in markdown
    record = json.loads(files[".json"].read_text("utf-8"))
    assert record["scenario"]["title"].startswith("<script>alert('title')</script>")
    assert record["decisions"][0]["options"][0]["text"] == "Option <img src=x onerror=alert(1)> | pipe"


# -- the command ------------------------------------------------------------------------------------


def test_command_refuses_bad_options_and_unknown_scenarios_without_a_traceback(tmp_path, capsys):
    def args(**given):
        return SimpleNamespace(**{"scenario": str(GROUP), "countdown": 0, "export_dir": None, **given})

    assert run_cli(args(countdown=-5)) == 2
    assert "--countdown takes seconds" in capsys.readouterr().err
    afile = tmp_path / "a-file"
    afile.write_text("x")
    assert run_cli(args(export_dir=str(afile))) == 2
    assert "is a file, not a folder" in capsys.readouterr().err
    assert run_cli(args(scenario="dsl-mash-treshold")) == 1
    assert "did you mean 'dsl-mash-threshold'" in capsys.readouterr().err
