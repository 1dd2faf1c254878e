"""Prepare for my own meeting: the plans kept in the app, and the guided plan.

The guided screen asks one thing at a time (the issue's questions, from
``prepare.guided.STEPS``) and saves every change as it is typed, through the
history file's patient writer: a process killed mid-word loses at most the
keystroke in flight. Identifiers are flagged as they are typed. The last step
reviews the plan's gaps; from any step Ctrl+R prints it (HTML and Markdown, in
the export folder) and Ctrl+T rehearses it.
"""

from __future__ import annotations

import uuid

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from simulator.prepare import guided
from simulator.tui.render import plain


# Kept with the answers: the step the plan was left at, so it reopens there.
AT = "_at"


def plan_title(answers: dict) -> str:
    return (answers.get("title") or answers.get("decision.what") or "An untitled plan").strip()[:80]


def _local(stamp: str) -> str:
    """A stored UTC time as the clock on the wall says it."""
    from datetime import datetime

    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return stamp[:16].replace("T", " ")


class PlansScreen(Screen):
    """The plans kept in this history file: open one, start one, delete one."""

    BINDINGS = [
        Binding("enter", "open", "Open"),
        Binding("n", "new", "New plan"),
        Binding("e", "example", "Worked example"),
        Binding("d", "delete", "Delete"),
        Binding("escape,q", "app.pop_screen", "Back"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = ("Plans for your own meetings. n starts one; e opens a worked, fictional example to read or change; "
            "Enter opens the one highlighted; d twice deletes it (it is removed from the history file). "
            "Plans stay on this machine.")

    def __init__(self) -> None:
        super().__init__()
        self._delete_armed: str | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(plain("Your plans. Initials only, never names: a plan is about a real person."),
                     id="plans-note")
        yield OptionList(id="plans", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Prepare for my own meeting"
        self.refresh_list()

    def on_screen_resume(self) -> None:
        self.refresh_list()

    def refresh_list(self) -> None:
        plans = self.query_one("#plans", OptionList)
        plans.clear_options()
        for stored in self.app.store.plans():
            when = _local(stored.updated_at)
            plans.add_option(Option(Content.assemble(plain(stored.title or "An untitled plan", "bold"), "\n",
                                                     plain(f"  last changed {when}", "dim")), id=stored.id))
        if not plans.option_count:
            plans.add_option(Option(plain("No plans yet: press n to start one."), id="none", disabled=True))
        plans.highlighted = 0 if plans.option_count and not plans.get_option_at_index(0).disabled else None
        plans.focus()

    def _highlighted(self) -> str | None:
        option = self.query_one("#plans", OptionList).highlighted_option
        return option.id if option is not None and not option.disabled else None

    @on(OptionList.OptionSelected, "#plans")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.action_open()

    def action_open(self) -> None:
        plan_id = self._highlighted()
        stored = self.app.store.plan(plan_id) if plan_id else None
        if stored is not None:
            self.app.push_screen(PlanEditScreen(stored.id, stored.answers, stored.replies))

    def action_new(self) -> None:
        self.app.push_screen(PlanEditScreen(uuid.uuid4().hex, {}, []))

    def action_example(self) -> None:
        # A copy of its own: changing it, as a way of learning, changes nothing else.
        answers = guided.example_answers()
        answers["title"] = "Example (fictional): " + plan_title(answers)
        self.app.push_screen(PlanEditScreen(uuid.uuid4().hex, answers, []))

    def action_delete(self) -> None:
        plan_id = self._highlighted()
        if plan_id is None:
            return
        if self._delete_armed != plan_id:
            self._delete_armed = plan_id
            self.notify("Press d again to delete this plan from this computer.", severity="warning")
            return
        self._delete_armed = None
        self.app.store.delete_plan(plan_id)
        self.app.store.wait(2.0)
        self.notify("Plan deleted from the history file.")
        self.refresh_list()


class PlanEditScreen(Screen):
    """One question at a time; every change saved as it is typed."""

    BINDINGS = [
        Binding("ctrl+n", "next", "Next", priority=True),
        Binding("ctrl+b", "back", "Back a step", priority=True),
        Binding("ctrl+r", "render", "Print", priority=True),
        Binding("ctrl+t", "rehearse", "Rehearse", priority=True),
        Binding("escape", "app.pop_screen", "Plans"),
        Binding("f1", "app.help", "Help"),
    ]
    HELP = ("Answer each question; Enter or Ctrl+N goes on, Ctrl+B goes back. Lists take one item a line. "
            "Everything is saved as you type. Ctrl+R writes the page to print (HTML) and a Markdown copy; "
            "Ctrl+T rehearses the pushback you are likely to meet.")

    def __init__(self, plan_id: str, answers: dict, replies: list) -> None:
        super().__init__()
        self.plan_id = plan_id
        self.answers = {key: str(value) for key, value in answers.items() if isinstance(value, str)}
        self.replies = replies
        # A plan reopens where it was left (the step being typed when the app closed or was
        # killed, or its review); one kept before that was saved opens at its review.
        at = self.answers.get(AT, "review" if self.answers else guided.STEP_KEYS[0])
        self.review = at not in guided.STEP_KEYS
        self.index = len(guided.STEPS) - 1 if self.review else guided.STEP_KEYS.index(at)
        self._loading = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="plan-step"):
            yield Static(id="step-title")
            yield Static(id="step-prompt")
            yield Static(id="step-hint")
            yield Input(id="step-line")
            yield TextArea(id="step-lines", soft_wrap=True, show_line_numbers=False)
            yield OptionList(id="step-choice", markup=False)
            yield Static(id="step-warnings")
        with VerticalScroll(id="plan-review"):
            yield Static(id="review-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "A plan for my own meeting"
        if self.answers:
            # Touch it, so the plan opened last is first in the list.
            self.app.store.save_plan(self.plan_id, plan_title(self.answers), dict(self.answers))
        self.show_step()

    @property
    def step(self) -> guided.Step:
        return guided.STEPS[self.index]

    # -- showing a step ---------------------------------------------------------------
    def show_step(self) -> None:
        at = "review" if self.review else self.step.key
        if self.answers.get(AT) != at and set(self.answers) - {AT}:
            self.answers[AT] = at
            self.app.store.save_plan(self.plan_id, plan_title(self.answers), dict(self.answers))
        self.query_one("#plan-step").display = not self.review
        self.query_one("#plan-review").display = self.review
        if self.review:
            self.show_review()
            return
        step = self.step
        self.query_one("#step-title", Static).update(Content.assemble(
            (f"Step {self.index + 1} of {len(guided.STEPS)} · ", "dim"), (step.title, "bold $accent")))
        self.query_one("#step-prompt", Static).update(plain(step.prompt, "bold"))
        self.query_one("#step-hint", Static).update(plain(step.hint, "dim"))
        line, lines, choice = (self.query_one("#step-line", Input), self.query_one("#step-lines", TextArea),
                               self.query_one("#step-choice", OptionList))
        line.display, lines.display, choice.display = (step.kind == "line", step.kind == "lines",
                                                       step.kind == "choice")
        value = self.answers.get(step.key, "")
        self._loading = True
        if step.kind == "line":
            line.value = value
            line.placeholder = self._placeholder(step)
            line.focus()
        elif step.kind == "lines":
            lines.load_text(value)
            lines.focus()
        else:
            choice.clear_options()
            options = guided.choices(step, self.app.local_profile())
            for key, label in options:
                choice.add_option(Option(label, id=key))
            keys = [key for key, _ in options]
            choice.highlighted = keys.index(value) if value in keys else 0
            choice.focus()
        self._loading = False
        self.show_warnings(value)

    def _placeholder(self, step: guided.Step) -> str:
        if step.key == "fallback.with":
            stage = self.app.local_profile().stage(int(self.answers.get("fallback.stage") or 2))
            return stage.who if stage else ""
        return ""

    def show_warnings(self, text: str) -> None:
        warnings = guided.field_warnings(text)
        box = self.query_one("#step-warnings", Static)
        box.update(plain("\n".join(warnings), "bold $error") if warnings else "")

    # -- saving as typed -----------------------------------------------------------------
    def keep(self, value: str) -> None:
        if self._loading or self.review:
            return
        self.answers[self.step.key] = value
        self.answers[AT] = self.step.key
        self.app.store.save_plan(self.plan_id, plan_title(self.answers), dict(self.answers))
        self.show_warnings(value)

    @on(Input.Changed, "#step-line")
    def _typed_line(self, event: Input.Changed) -> None:
        self.keep(event.value)

    @on(TextArea.Changed, "#step-lines")
    def _typed_lines(self, event: TextArea.Changed) -> None:
        self.keep(event.text_area.text)

    @on(Input.Submitted, "#step-line")
    def _line_done(self, event: Input.Submitted) -> None:
        self.action_next()

    @on(OptionList.OptionSelected, "#step-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.keep(event.option.id or "")
        self.action_next()

    # -- moving ------------------------------------------------------------------------------
    def action_next(self) -> None:
        if self.review:
            return
        if self.step.kind == "choice" and self.step.key not in self.answers:
            option = self.query_one("#step-choice", OptionList).highlighted_option
            if option is not None:
                self.keep(option.id or "")
        if self.index + 1 < len(guided.STEPS):
            self.index += 1
        else:
            self.review = True
        self.show_step()

    def action_back(self) -> None:
        if self.review:
            self.review = False
        elif self.index > 0:
            self.index -= 1
        self.show_step()

    def plan(self):
        plan, diagnostics = guided.plan_of(self.answers)
        return plan, diagnostics

    def show_review(self) -> None:
        from simulator.prepare.gaps import find_gaps
        from simulator.prepare.text_report import gaps_text, identifier_notice

        plan, diagnostics = self.plan()
        parts: list = [("Your plan is saved.", "bold $success"),
                       "  Ctrl+R print it (HTML and Markdown) · Ctrl+T rehearse it · Ctrl+B change an answer\n\n"]
        if plan is None:
            parts.append(plain("\n".join(d.format() for d in diagnostics), "$error"))
        else:
            notice = identifier_notice(plan)
            if notice:
                parts += [plain(notice, "bold $error"), "\n\n"]
            parts.append(plain(gaps_text(find_gaps(plan, self.app.local_profile()))))
        self.query_one("#review-text", Static).update(Content.assemble(*parts))
        self.query_one("#plan-review").focus()

    # -- print and rehearse -------------------------------------------------------------
    def action_render(self) -> None:
        plan, diagnostics = self.plan()
        if plan is None:
            self.notify("The plan cannot be printed yet: " + (diagnostics[0].message if diagnostics else ""),
                        severity="error")
            return
        self.notify("Writing the page to print…", timeout=3)
        # Off the screen's thread: the first print loads the analyser that checks the opening
        # statement, which takes a moment, and typing must not wait for it.
        profile, folder, when = self.app.local_profile(), self.app.export_folder(), self.app.clock().astimezone()
        self.run_worker(lambda: self._write_page(plan, profile, folder, when), thread=True, group="print")

    def _write_page(self, plan, profile, folder, when) -> None:
        from scoring.private_files import stamp, write_private_files
        from simulator.prepare.render_html import render_html
        from simulator.prepare.render_markdown import render_markdown

        try:
            folder.mkdir(mode=0o700, parents=True, exist_ok=True)
            written = write_private_files(folder / f"plan-{stamp(when)}", {
                ".html": render_html(plan, profile, with_drafts=True),
                ".md": render_markdown(plan, profile, with_drafts=True)}, taken="number")
        except OSError as exc:
            self.app.call_from_thread(self.notify, f"Could not write the plan: {exc.strerror or exc}",
                                      severity="error")
            return
        self.last_written = written
        self.app.call_from_thread(self.notify, "Written, readable only by you:\n" + "\n".join(map(str, written)),
                                  timeout=15)

    def action_rehearse(self) -> None:
        from simulator.tui.plan_rehearse_screen import PlanRehearseScreen

        plan, diagnostics = self.plan()
        if plan is None:
            self.notify("The plan cannot be rehearsed yet: " + (diagnostics[0].message if diagnostics else ""),
                        severity="error")
            return
        self.app.push_screen(PlanRehearseScreen(self.plan_id, plan, self.replies))

