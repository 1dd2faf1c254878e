"""The projected opening of a group session: who, where, what has happened,
and how the room will vote."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from simulator.model.scenario import Scenario
from simulator.tui.briefing_screen import CaseFileScreen
from simulator.tui.group.projector_widgets import clock_text, keys, one_line
from simulator.tui.render import area_label, plain


class OpeningScreen(Screen):
    """What the room needs before the first decision: who, where, and what has happened."""

    BINDINGS = [
        Binding("enter", "begin", "Begin"),
        Binding("c", "case_file", "Case file"),
        Binding("q", "quit_session", "Quit"),
    ]

    def __init__(self, scenario: Scenario, countdown: int) -> None:
        super().__init__()
        self.scenario = scenario
        self.countdown = countdown

    def compose(self) -> ComposeResult:
        s = self.scenario
        yield Static(plain(s.title), id="topbar-title", classes="topbar")
        with VerticalScroll(id="opening", can_focus=False):
            yield Static(Content.assemble(
                plain(area_label(s.area), "bold $accent"), "  ·  ", plain(s.setting, "italic")), classes="meta")
            yield Static(plain(one_line(s.situation)), id="situation")
            yield Static(Content.assemble(("You are  ", "bold"), plain(f"{s.role_title}, {s.role_agency}")),
                         classes="meta")
            yield Static(Content.assemble(("With", "bold"), *[
                Content.assemble("\n  ", plain(c.name, "bold $accent"), "  ", plain(c.role, "$text-muted"))
                for c in s.characters.values()]), classes="meta")
            how = ("At each decision: talk it through, then a show of hands for A, B, C. "
                   "The most hands decides what you say; the facilitator breaks ties.")
            if self.countdown:
                how += f" Each decision has {clock_text(self.countdown)} on the clock."
            yield Static(how, id="how-it-works")
        yield Static(keys(("Enter", "begin"), ("C", "case file"), ("T", "theme"), ("Q", "quit")), id="keys")

    def action_begin(self) -> None:
        self.app.begin()

    def action_case_file(self) -> None:
        self.app.push_screen(CaseFileScreen(self.scenario))

    def action_quit_session(self) -> None:
        self.app.exit()
