"""The facilitator's app: one scenario, one room, one projected screen.

The app owns the session (the path the room takes) and the rounds (how each
decision was voted); the screens show them and ask the app to move on.
"""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from textual.app import App
from textual.binding import Binding

from simulator.engine.session import Session
from simulator.group.facilitation import GroupSession, Round
from simulator.model.scenario import Scenario
from simulator.tui.app import THEMES
from simulator.tui.render import ShownLiterally

# High contrast first: projectors wash out dim colours.
PROJECTOR_THEMES = ["rehearse-contrast", "rehearse-light", "rehearse-dark"]


def local_now() -> datetime:
    return datetime.now().astimezone()


class FacilitationApp(ShownLiterally, App):
    CSS_PATH = [Path(__file__).parents[1] / "app.tcss", "facilitation.tcss"]
    TITLE = "Rehearse · group session"
    BINDINGS = [Binding("t", "next_theme", "Theme", show=False)]

    def __init__(self, scenario: Scenario, countdown: int = 0, export_dir: Path | None = None,
                 now: Callable[[], datetime] = local_now, monotonic: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.scenario = scenario
        self.countdown = max(0, countdown)
        self.export_dir = export_dir or Path.cwd()
        self.now = now
        self.monotonic = monotonic
        self.session = Session(scenario)
        self.rounds: list[Round] = []
        self.started_at: datetime | None = None
        for theme in THEMES:
            self.register_theme(theme)

    def action_help_quit(self) -> None:
        # Ctrl+C quits the way q does on this screen: where the room's record
        # is not yet exported, that asks first.
        ask = getattr(self.screen, "ask_to_quit", None) or getattr(self.screen, "action_quit_session", None)
        if ask is not None:
            ask()
        else:
            self.exit()

    def on_mount(self) -> None:
        from simulator.tui.group.opening_screen import OpeningScreen

        self.theme = PROJECTOR_THEMES[0]
        self.push_screen(OpeningScreen(self.scenario, self.countdown))

    # -- the session ---------------------------------------------------------------
    def begin(self) -> None:
        from simulator.tui.group.projector_screen import ProjectorScreen

        self.started_at = self.now()
        self.switch_screen(ProjectorScreen(self.countdown))

    def prompts_here(self) -> tuple[str, ...]:
        """The discussion prompts of the nodes the room has just seen: those
        since its last decision, up to and including where it is now."""
        lines = self.session.transcript()
        since = max((i for i, line in enumerate(lines) if line.speaker == "you"), default=-1) + 1
        prompts: list[str] = []
        for node_id in dict.fromkeys(line.node_id for line in lines[since:]):
            prompts += [p for p in self.scenario.nodes[node_id].discuss if p not in prompts]
        return tuple(prompts)

    def record(self, round_: Round) -> None:
        """The room has chosen: remember how, and move the story on."""
        self.session.choose(round_.choice.choice_id)
        self.rounds.append(round_)

    def undo(self) -> Round | None:
        """Take back the last decision; returns its round so it can be corrected."""
        if not self.rounds:
            return None
        self.session.undo()
        return self.rounds.pop()

    def group_session(self) -> GroupSession:
        finished = self.now()
        started = self.started_at or finished
        return GroupSession(
            scenario_id=self.scenario.id,
            scenario_title=self.scenario.title,
            started_at=started.isoformat(timespec="seconds"),
            finished_at=finished.isoformat(timespec="seconds"),
            countdown=self.countdown,
            rounds=tuple(self.rounds),
            log=self.session.evidence_log(),
            closing_discuss=self.prompts_here(),
            person_at_risk=self.scenario.person_at_risk,
        )

    def finish(self) -> None:
        from simulator.tui.group.group_debrief_screen import GroupDebriefScreen

        self.switch_screen(GroupDebriefScreen(self.group_session()))

    # -- app-wide actions ----------------------------------------------------------
    def action_next_theme(self) -> None:
        current = PROJECTOR_THEMES.index(self.theme) if self.theme in PROJECTOR_THEMES else -1
        self.theme = PROJECTOR_THEMES[(current + 1) % len(PROJECTOR_THEMES)]
        self.notify(f"Theme: {self.theme.removeprefix('rehearse-')}", timeout=2)


def make_facilitation_app(scenario: Scenario, countdown: int = 0, export_dir: Path | None = None,
                          now: Callable[[], datetime] = local_now,
                          monotonic: Callable[[], float] = time.monotonic) -> FacilitationApp:
    return FacilitationApp(scenario, countdown, export_dir, now, monotonic)
