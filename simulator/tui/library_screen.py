"""Home: the scenario library grouped by briefing area, with a details pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import AREA_ORDER, area_label, difficulty_stars, people, plain

if TYPE_CHECKING:
    from simulator.format.library_entry import Entry, Summary
    from simulator.format.loader import LoadResult
    from simulator.model.scenario import Scenario

# The list is built from each file's summary (from the cache of compiled
# scenarios); a scenario is loaded in full only for its details or to open it.

ALL_AREAS = "all"


class LibraryScreen(Screen):
    """Pick a scenario; see what it is about and how you did before."""

    BINDINGS = [
        Binding("enter", "open", "Open", show=True),
        Binding("a", "next_area", "Filter area"),
        Binding("r", "resume", "Resume"),
        Binding("h", "history", "History"),
        Binding("p", "app.plans", "Plan"),
        Binding("b", "app.show_briefing", "Briefing"),
        Binding("s", "app.settings", "Settings"),
        Binding("question_mark", "app.help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]
    HELP = "Choose a scenario with the arrow keys and press Enter to read its briefing."

    def __init__(self) -> None:
        super().__init__()
        self.area_filter = ALL_AREAS

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="resume-banner")
        with Horizontal(id="library"):
            yield OptionList(id="scenarios", markup=False)
            with VerticalScroll(id="details-pane"):
                yield Static(id="details")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.refresh_list()
        self._just_built = True

    def on_screen_resume(self) -> None:
        # Coming back from a rehearsal: scores may have changed. The first
        # resume follows the mount, and the list is already fresh.
        if getattr(self, "_just_built", False):
            self._just_built = False
            return
        self.refresh_list()

    # -- building the list ------------------------------------------------------
    def _visible(self) -> list[LoadResult | Entry]:
        results = self.app.library
        if self.area_filter == ALL_AREAS:
            return results
        return [r for r in results if r.summary is not None and r.summary.area == self.area_filter]

    def refresh_list(self) -> None:
        option_list = self.query_one("#scenarios", OptionList)
        highlighted = option_list.highlighted_option.id if option_list.highlighted_option else None
        option_list.clear_options()
        visible = self._visible()
        by_area: dict[str, list[Summary | Scenario]] = {}
        for result in visible:
            if result.summary is not None:
                by_area.setdefault(result.summary.area, []).append(result.summary)
        for area in sorted(by_area, key=lambda a: AREA_ORDER.index(a) if a in AREA_ORDER else 99):
            option_list.add_option(Option(Content.assemble((area_label(area).upper(), "bold $accent")),
                                          id=f"area:{area}", disabled=True))
            for scenario in sorted(by_area[area], key=lambda s: s.title):
                option_list.add_option(Option(self._prompt(scenario), id=scenario.id))
        broken = [r for r in visible if r.summary is None]
        if broken:
            option_list.add_option(Option(Content.assemble(("DOES NOT LOAD", "bold $error")), id="area:broken",
                                          disabled=True))
            for result in broken:
                first = next((d for d in result.diagnostics if d.severity == "error"), None)
                reason = f"\n  {first.message}" if first else ""
                option_list.add_option(Option(plain(f"⚠ {result.source}{reason}"), id=f"broken:{result.source}"))
        ids = [option.id for option in option_list.options]
        if highlighted in ids:
            option_list.highlighted = ids.index(highlighted)
        else:
            option_list.highlighted = next((i for i, o in enumerate(option_list.options) if not o.disabled), None)
        self._update_banner()
        filter_text = "all areas" if self.area_filter == ALL_AREAS else area_label(self.area_filter)
        self.sub_title = f"Scenario library · {filter_text}"

    def _prompt(self, scenario: Summary | Scenario) -> Content:
        best = self.app.store.best(scenario.id, self.app.learner)
        # A no-break space: "best" and its score never wrap onto two lines.
        best_text = f"best\u00a0{best:.0f}%" if best is not None else "not yet played"
        return Content.assemble(
            plain(scenario.title, "bold"), "\n",
            plain(f"  {scenario.role_title} · {difficulty_stars(scenario.difficulty)} · {scenario.minutes} min · "
                  f"{best_text}", "dim"),
        )

    def _update_banner(self) -> None:
        banner = self.query_one("#resume-banner", Static)
        unfinished = self.app.store.unfinished(self.app.learner)
        if unfinished:
            latest = unfinished[0]
            banner.update(plain(f"Unfinished: {latest.title} (started {latest.started_at[:10]}). Press r to resume."))
            banner.display = True
        else:
            banner.display = False

    # -- details ------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#scenarios")
    def show_details(self, event: OptionList.OptionHighlighted) -> None:
        details = self.query_one("#details", Static)
        option_id = event.option.id or ""
        if option_id.startswith("broken:"):
            result = next(r for r in self.app.library if r.source == option_id[len("broken:"):])
            problems = "\n".join(d.format() for d in result.diagnostics[:12])
            details.update(Content.assemble(
                ("This scenario file does not load. Fix it, then run `rehearse validate`:\n\n", "bold $error"),
                plain(problems),
            ))
            return
        scenario = self.app.scenario_by_id(option_id)
        if scenario is None:
            return
        objectives = "\n".join(f"  • {o}" for o in scenario.objectives)
        details.update(Content.assemble(
            plain(scenario.title, "bold"), "\n",
            plain(f"{area_label(scenario.area)} · difficulty {difficulty_stars(scenario.difficulty)} · "
                  f"about {scenario.minutes} minutes", "dim"), "\n\n",
            ("You are  ", "bold"), plain(f"{scenario.role_title}, {scenario.role_agency}"), "\n",
            ("With     ", "bold"), plain(people(scenario)), "\n",
            ("Setting  ", "bold"), plain(scenario.setting), "\n\n",
            ("The situation\n", "bold $accent"), plain(" ".join(scenario.situation.split())), "\n\n",
            ("Learning objectives\n", "bold $accent"), plain(objectives),
        ))

    # -- actions --------------------------------------------------------------
    @on(OptionList.OptionSelected, "#scenarios")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    def action_open(self) -> None:
        option = self.query_one("#scenarios", OptionList).highlighted_option
        if option is not None:
            self._open(option.id or "")

    def _open(self, option_id: str) -> None:
        scenario = self.app.scenario_by_id(option_id)
        if scenario is not None:
            self.app.open_briefing(scenario)

    def action_next_area(self) -> None:
        present = [a for a in AREA_ORDER if any(r.summary and r.summary.area == a for r in self.app.library)]
        cycle = [ALL_AREAS] + present
        self.area_filter = cycle[(cycle.index(self.area_filter) + 1) % len(cycle)] if self.area_filter in cycle else ALL_AREAS
        self.refresh_list()

    def action_resume(self) -> None:
        unfinished = self.app.store.unfinished(self.app.learner)
        if not unfinished:
            self.notify("Nothing to resume: every attempt is finished.")
            return
        self.app.resume_attempt(unfinished[0].id)

    def action_history(self) -> None:
        self.app.open_history()
