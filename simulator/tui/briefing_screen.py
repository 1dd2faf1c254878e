"""Before you start: the situation, your role, who you will speak to, and the case file."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Static

from simulator.model.scenario import Scenario
from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import area_label, difficulty_stars, plain

MODES = {"debrief": "debrief at the end (like a real meeting)", "coach": "coach me as I go"}


def case_file_content(scenario: Scenario) -> Content:
    parts: list = []
    for fact in scenario.case_file.values():
        heading = fact.title + (f" — {fact.date}" if fact.date else "")
        parts += [plain(heading, "bold $accent"), "\n"]
        if fact.source:
            parts += [plain(fact.source, "dim italic"), "\n"]
        parts += [plain(" ".join(fact.text.split())), "\n\n"]
    return Content.assemble(*parts)


class CaseFileScreen(ModalScreen[None]):
    """The facts the learner can check and cite; one key away during play."""

    BINDINGS = [Binding("escape,c,q", "dismiss", "Close")]

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="case-file", classes="dialog") as scroll:
            scroll.border_title = "Case file — check it, cite it"
            scroll.border_subtitle = "Esc to close"
            yield Static(case_file_content(self.scenario))


class BriefingScreen(Screen):
    """What the learner reads before the conversation starts."""

    BINDINGS = [
        Binding("enter", "start", "Start", show=True),
        Binding("c", "case_file", "Case file"),
        Binding("m", "toggle_mode", "Feedback mode"),
        Binding("escape", "app.pop_screen", "Library"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = "Read the situation and the case file, choose how you want feedback, then press Enter to start."

    def __init__(self, scenario: Scenario) -> None:
        super().__init__()
        self.scenario = scenario
        self.mode = "debrief"

    def compose(self) -> ComposeResult:
        yield Header()
        # Above the scrolling text, so pressing m changes what is in sight
        # (below the briefing it sat on the third page at 80x24).
        yield Static(id="mode")
        with VerticalScroll(id="briefing"):
            yield Static(id="briefing-text")
            yield Static(case_file_content(self.scenario), id="case-file-preview")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.mode = self.app.default_mode()
        s = self.scenario
        self.sub_title = s.title
        characters = "\n".join(
            f"  • {c.name}, {c.role}, {c.agency}" + (f" — {' '.join(c.description.split())}" if c.description else "")
            for c in s.characters.values()
        )
        objectives = "\n".join(f"  • {o}" for o in s.objectives)
        self.query_one("#briefing-text", Static).update(Content.assemble(
            plain(s.title, "bold"), "\n",
            plain(f"{area_label(s.area)} · difficulty {difficulty_stars(s.difficulty)} · about {s.minutes} minutes",
                  "dim"), "\n\n",
            ("The situation\n", "bold $accent"), plain(" ".join(s.situation.split())), "\n\n",
            ("Your role  ", "bold"), plain(f"{s.role_title}, {s.role_agency}"), "\n",
            ("Setting    ", "bold"), plain(s.setting), "\n\n",
            ("You will speak to\n", "bold $accent"), plain(characters), "\n\n",
            ("Learning objectives\n", "bold $accent"), plain(objectives), "\n\n",
            ("Case file ", "bold $accent"), ("— the facts you can check and cite. Press c at any time during play.",
                                             "dim"),
        ))
        self._show_mode()

    def _show_mode(self) -> None:
        self.query_one("#mode", Static).update(Content.assemble(
            ("Feedback: ", "bold"), (MODES[self.mode], "$accent"), ("   (m to change)", "dim")))

    def action_toggle_mode(self) -> None:
        self.mode = "coach" if self.mode == "debrief" else "debrief"
        self._show_mode()
        self.notify(f"Feedback: {MODES[self.mode]}.", timeout=3)

    def action_case_file(self) -> None:
        self.app.push_screen(CaseFileScreen(self.scenario))

    def action_start(self) -> None:
        self.app.start_attempt(self.scenario, self.mode)
