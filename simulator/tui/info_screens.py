"""Help for the current screen, the briefing itself, and settings."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import plain

KEY_NAMES = {"question_mark": "?", "escape": "Esc", "enter": "Enter"}


def briefing_text() -> str:
    return resources.files("scoring").joinpath("briefing.txt").read_text("utf-8")


class HelpScreen(ModalScreen[None]):
    """The keys of the screen underneath, and what it is for."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, screen: Screen) -> None:
        super().__init__()
        self.target = screen

    def compose(self) -> ComposeResult:
        rows: list = [plain(getattr(self.target, "HELP", ""), "italic"), "\n\n"]
        seen = set()
        for binding in self.target.BINDINGS:
            if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            keys = " / ".join(KEY_NAMES.get(k, k) for k in binding.key.split(","))
            rows += [(f"{keys:>10}  ", "bold $accent"), binding.description, "\n"]
        if any(b.key == "1" for b in self.target.BINDINGS if isinstance(b, Binding)):
            rows += [(f"{'1-9':>10}  ", "bold $accent"), "Say the option with that number", "\n"]
        rows += ["\n", (f"{'Ctrl+P':>10}  ", "bold $accent"), "Command palette: find a scenario by name", "\n"]
        if "app.show_briefing" not in seen:
            rows += [(f"{'b':>10}  ", "bold $accent"), "The 7-minute briefing (from the library)", "\n"]
        with VerticalScroll(classes="dialog", id="help") as box:
            box.border_title = "Keys"
            box.border_subtitle = "Esc to close"
            yield Static(Content.assemble(*rows))


class BriefingTextScreen(Screen):
    """The 7-minute briefing on professional challenge, readable in the app."""

    BINDINGS = [Binding("escape,q,b", "app.pop_screen", "Back")]

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="briefing-doc"):
            yield Static(plain(briefing_text()))
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.sub_title = "The 7-minute briefing: professional challenge"


class SettingsScreen(Screen):
    """Theme, default feedback mode, saying it first, learner name and export folder, kept in the store;
    then the local profile, kept beside it."""

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]
    THEMES = [("rehearse-dark", "Dark"), ("rehearse-light", "Light"), ("rehearse-contrast", "High contrast")]
    MODES = [("debrief", "Debrief at the end (like a real meeting)"), ("coach", "Coach me as I go")]
    SAY_FIRST = [("off", "Choose from the options"), ("on", "Say it first in my own words, then choose")]

    def compose(self) -> ComposeResult:
        yield Header()
        from simulator.tui.export_folder import shown

        # Scrolls at 80x24, where the last settings are below the fold; focus brings each into view.
        with VerticalScroll(id="settings", can_focus=False):
            yield Label("Theme", classes="setting-label")
            yield OptionList(*[Option(label, id=name) for name, label in self.THEMES], id="theme", markup=False)
            yield Label("Default feedback", classes="setting-label")
            yield OptionList(*[Option(label, id=name) for name, label in self.MODES], id="mode", markup=False)
            yield Label("At each decision (s during play does it once)", classes="setting-label")
            yield OptionList(*[Option(label, id=name) for name, label in self.SAY_FIRST], id="say-first",
                             markup=False)
            yield Label("Your name (optional, for shared machines and reports)", classes="setting-label")
            yield Input(value=self.app.learner, placeholder="e.g. Asha", id="learner", max_length=60)
            yield Label("Where exported debriefs are saved (type a folder, then Enter)", classes="setting-label")
            yield Input(value=shown(self.app.export_folder()), id="export-dir")
            from simulator.tui.profile_settings import ProfileSettings

            yield ProfileSettings(id="profile-settings")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.sub_title = "Settings"
        themes = [name for name, _ in self.THEMES]
        self.query_one("#theme", OptionList).highlighted = themes.index(self.app.theme) if self.app.theme in themes else 0
        modes = [name for name, _ in self.MODES]
        self.query_one("#mode", OptionList).highlighted = modes.index(self.app.default_mode())
        self.query_one("#say-first", OptionList).highlighted = 1 if self.app.say_first_default() else 0
        self.query_one("#theme", OptionList).focus()  # not the scrolling container around the settings

    @on(OptionList.OptionSelected, "#theme")
    def _theme(self, event: OptionList.OptionSelected) -> None:
        self.app.theme = event.option.id
        self.app.store.set_setting("theme", event.option.id)
        self.notify(f"Theme: {event.option.prompt}")

    @on(OptionList.OptionSelected, "#mode")
    def _mode(self, event: OptionList.OptionSelected) -> None:
        self.app.store.set_setting("feedback_mode", event.option.id)
        self.notify(f"Feedback: {event.option.prompt}")

    @on(OptionList.OptionSelected, "#say-first")
    def _say_first(self, event: OptionList.OptionSelected) -> None:
        self.app.store.set_setting("say_first", event.option.id == "on")
        self.notify(f"At each decision: {event.option.prompt}")

    @on(Input.Submitted, "#export-dir")
    def _export_dir(self, event: Input.Submitted) -> None:
        from simulator.tui.export_folder import SETTING, fold, shown

        typed = event.value.strip()
        folder = Path(typed).expanduser() if typed else None
        if folder is None or (folder.exists() and not folder.is_dir()):
            self.notify("That is not a folder: type the folder exported debriefs should go to.", severity="error")
            return
        folder = folder.absolute()
        self.app.export_dir = folder
        self.app.store.set_setting(SETTING, str(folder))
        event.input.value = shown(folder)
        width = min(60, self.app.size.width // 2) - 3
        self.notify("\n".join(["Exported debriefs will be saved in", *fold(shown(folder), width)]))

    @on(Input.Submitted, "#learner")
    def _learner(self, event: Input.Submitted) -> None:
        self.app.learner = event.value.strip()
        self.app.store.set_setting("learner", self.app.learner)
        self.notify("Name saved." if self.app.learner else "Name cleared.")
