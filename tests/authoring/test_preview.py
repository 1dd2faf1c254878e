"""`rehearse preview`: an author plays their file while editing it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import RichLog, Static

from simulator.authoring.preview import Origin, carry_over, parse_assignments, resolve
from simulator.cli import main
from simulator.engine.session import Session
from simulator.format.loader import load_file
from simulator.tui import preview_app
from simulator.tui.debrief_screen import DebriefScreen
from simulator.tui.play_screen import PlayScreen
from simulator.tui.preview_app import PreviewApp, PreviewScreen

MINIMAL = Path(__file__).parents[1] / "fixtures" / "minimal.yaml"


@pytest.fixture
def draft(tmp_path) -> Path:
    path = tmp_path / "draft.yaml"
    path.write_text(MINIMAL.read_text())
    return path


def shown(screen) -> str:
    out = [widget.visual.plain for widget in screen.query(Static)]
    for log in screen.query(RichLog):
        out.append(" ".join(" ".join(strip.text.split()) for strip in log.lines))
    return "\n".join(out)


async def until(pilot, condition, seconds: float = 20.0) -> None:
    """Wait for the watcher to notice a save (it polls the file); generous,
    because CI machines can be busy, and it returns as soon as it sees it."""
    for _ in range(int(seconds / 0.05)):
        await pilot.pause(0.05)
        if condition():
            return
    raise AssertionError("the preview did not react in time")


@pytest.fixture(autouse=True)
def _quick_polling(monkeypatch):
    monkeypatch.setattr(preview_app, "POLL_SECONDS", 0.05)


async def test_watch_reloads_on_save_survives_a_broken_save_and_keeps_the_place(draft):
    app = PreviewApp(draft, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, PlayScreen)
        await pilot.press("1")  # cite the record: on to 'listen'
        await pilot.pause()
        assert app.screen.session.node.id == "listen"

        # An edit to the line being shown appears, and the decision made is kept.
        draft.write_text(draft.read_text().replace("text: Go on.", "text: Go on, I'm listening."))
        await until(pilot, lambda: isinstance(app.screen, PlayScreen) and "I'm listening" in shown(app.screen))
        assert [m.choice_id for m in app.screen.session.moves] == ["cite"]

        # A broken save: the problems are listed with where they are; nothing exits.
        draft.write_text(draft.read_text().replace("next: listen\n", "next: lisen\n", 1))
        await until(pilot, lambda: isinstance(app.screen, PreviewScreen))
        listed = shown(app.screen)
        assert f"{draft}:31:15: error: next node 'lisen' does not exist; did you mean 'listen'?" in listed
        assert "1 error in" in listed and app.is_running

        # Fixed: back where the author was, decision and all.
        draft.write_text(draft.read_text().replace("next: lisen\n", "next: listen\n"))
        await until(pilot, lambda: isinstance(app.screen, PlayScreen) and "I'm listening" in shown(app.screen))
        assert app.screen.session.node.id == "listen"
        assert [m.choice_id for m in app.screen.session.moves] == ["cite"]
        assert "I'm listening" in shown(app.screen)


async def test_from_and_set_start_mid_scenario_with_chosen_variables(draft):
    app = PreviewApp(draft, Origin("listen", parse_assignments(["trust=3"])))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        session = app.screen.session
        assert session.node.id == "listen" and session.variables["trust"] == 3
        # trust >= 3 unlocks the strategy discussion, which is option 1.
        await pilot.press("1")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen) and app.screen.session.outcome == "resolved"


async def test_a_file_broken_from_the_start_shows_its_problems_and_plays_once_fixed(draft):
    good = draft.read_text()
    draft.write_text(good.replace("speaker: sw\n", "speaker: sww\n", 1))
    app = PreviewApp(draft, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        assert "speaker 'sww'" in shown(app.screen)
        await pilot.press("enter")  # nothing to play yet: told so, not crashed
        assert isinstance(app.screen, PreviewScreen)
        draft.write_text(good)
        await until(pilot, lambda: "Loaded" in shown(app.screen))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.screen.session.node.id == "open"


async def test_without_watch_r_reloads_by_hand(draft):
    app = PreviewApp(draft)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")  # leave play for the preview's home
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        draft.write_text(draft.read_text().replace("title: \"Minimal: a threshold query\"", "title: Renamed"))
        await pilot.pause(0.2)
        assert "Renamed" not in shown(app.screen)
        await pilot.press("r")
        await pilot.pause()
        assert "Renamed" in shown(app.screen)


async def test_an_unknown_from_node_is_reported_and_play_starts_at_the_start(draft):
    app = PreviewApp(draft, Origin("lissen", {"trust": "9", "nobody": "1"}))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, PreviewScreen)
        listed = shown(app.screen)
        assert "no node 'lissen'; did you mean 'listen'?" in listed
        assert "trust: 9 is outside 0..4" in listed and "no variable 'nobody'" in listed
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.session.node.id == "open"


def test_carry_over_replays_choices_and_falls_back_to_the_node(draft):
    scenario = load_file(draft).scenario
    old = Session(scenario)
    old.choose("cite")
    # Same file: the decision replays.
    session, note = carry_over(old, load_file(draft).scenario, Origin())
    assert note == "" and [m.choice_id for m in session.moves] == ["cite"]
    # The choice was renamed: same node, same variables, no transcript.
    draft.write_text(draft.read_text().replace("- id: cite", "- id: quote"))
    session, note = carry_over(old, load_file(draft).scenario, Origin())
    assert session.node.id == "listen" and session.variables["trust"] == 3 and "carrying on" in note
    # The node itself is gone: back to the start, and said so.
    draft.write_text(draft.read_text().replace("listen", "hear"))
    session, note = carry_over(old, load_file(draft).scenario, Origin())
    assert session.node.id == "open" and "no node 'listen'" in note


def test_resolve_reads_flags_and_numbers():
    scenario = load_file(MINIMAL).scenario
    node, values, problems = resolve(scenario, Origin(None, {"manager_informed": "yes", "trust": "0"}))
    assert (node, values, problems) == ("open", {"manager_informed": True, "trust": 0}, [])
    _, _, problems = resolve(scenario, Origin(None, {"manager_informed": "maybe", "trust": "two"}))
    assert problems == ["--set manager_informed: 'maybe' is not true or false",
                        "--set trust: 'two' is not a whole number"]


@pytest.mark.parametrize("argv, message", [
    (["preview", "no-such.yaml"], "no such file"),
    (["preview", str(MINIMAL), "--set", "trust"], "--set takes VARIABLE=VALUE"),
])
def test_usage_errors_exit_2_with_a_message(capsys, argv, message):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


async def test_coach_shows_feedback_after_each_choice(draft):
    app = PreviewApp(draft, coach=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("1")
        await pilot.pause()
        assert "Specific and calm." in shown(app.screen)


async def test_a_half_written_save_is_not_loaded(draft):
    # Editors often truncate the file and then write it: the preview must
    # wait for the file to settle rather than flash an "empty file" error.
    app = PreviewApp(draft, watch=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        good = draft.read_text()
        draft.write_text("")
        app.reload()  # one poll sees the empty file...
        assert isinstance(app.screen, PlayScreen)
        draft.write_text(good.replace("text: Go on.", "text: Go on then."))
        app.reload()  # ...the next sees it written, and waits for it to settle
        app.reload()
        await pilot.pause()
        assert isinstance(app.screen, PlayScreen) and app.result.ok
        assert app.result.scenario.nodes["listen"].text == "Go on then."
