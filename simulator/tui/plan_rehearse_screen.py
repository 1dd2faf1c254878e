"""Rehearsing a plan in the app: each likely pushback, a typed reply, the
analyser's feedback quoting it, and a debrief that lists the plan's own gaps.

The reply is kept with the plan as it is typed (and with its feedback once
sent), so nothing typed is lost if the app is killed.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from simulator.prepare.plan import Plan
from simulator.tui.render import plain

PUSHBACKS = 5


class PlanRehearseScreen(Screen):
    """Reply to the pushback this plan is likely to meet."""

    BINDINGS = [
        Binding("ctrl+n", "next", "Next pushback", priority=True),
        Binding("escape", "app.pop_screen", "Back to the plan"),
        Binding("f1", "app.help", "Help"),
    ]
    HELP = ("Type what you would say back, then Enter: the feedback quotes your words. Enter on an empty line "
            "(or Ctrl+N) goes to the next pushback; after the last comes the debrief, with your plan's gaps.")

    def __init__(self, plan_id: str, plan: Plan, replies: list) -> None:
        from simulator.prepare.pushbacks import likely_pushbacks

        super().__init__()
        self.plan_id = plan_id
        self.plan = plan
        self.likely = likely_pushbacks(plan, limit=PUSHBACKS)
        self.replies = list(replies) if isinstance(replies, list) else []
        self.feedback: list = []
        self.index = 0
        self.answered = False

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="rehearse-body"):
            yield Static(id="rehearse-pushback")
            yield Static(id="rehearse-feedback")
        yield Input(placeholder="What you would say back, then Enter", id="rehearse-reply")
        yield Footer()

    def on_mount(self) -> None:
        from simulator.prepare.rehearsal import opening_check

        self.sub_title = "Rehearse my plan"
        self.opening = opening_check(self.plan, self.app.local_profile())
        self.show_pushback()

    def show_pushback(self) -> None:
        if self.index >= len(self.likely):
            self.show_debrief()
            return
        item = self.likely[self.index]
        parts: list = []
        if self.index == 0:
            parts += [plain("\n".join(self.opening), "dim"), "\n\n"]
        parts += [(f"{self.index + 1} of {len(self.likely)}  They say: ", "bold $accent"),
                  plain(f"\u201c{item.pushback.says}\u201d", "bold"), "\n",
                  plain(f"Picked because {'; '.join(item.reasons)}.", "dim"), "\n"]
        for ground in item.pushback.grounding:
            parts += [plain(f"You can stand on: {ground.cited}", "italic"), "\n"]
        self.query_one("#rehearse-pushback", Static).update(Content.assemble(*parts))
        self.query_one("#rehearse-feedback", Static).update("")
        reply = self.query_one("#rehearse-reply", Input)
        reply.value = ""
        reply.display = True
        reply.focus()
        self.answered = False

    def _save(self, typing: str = "") -> None:
        kept = [dict(r) for r in self.replies]
        if typing:
            kept.append({"pushback": self.likely[self.index].pushback.id, "reply": typing, "typing": True})
        self.app.store.save_plan_replies(self.plan_id, kept)

    @on(Input.Changed, "#rehearse-reply")
    def _typing(self, event: Input.Changed) -> None:
        if self.index < len(self.likely) and event.value:
            self._save(event.value)

    @on(Input.Submitted, "#rehearse-reply")
    def _sent(self, event: Input.Submitted) -> None:
        from simulator.prepare.rehearsal import reply_feedback

        text = event.value.strip()
        if not text:
            if not self.answered:
                self.feedback.append(reply_feedback(self.likely[self.index], "", self.plan))
            self.action_next(skip_record=True)
            return
        result = reply_feedback(self.likely[self.index], text, self.plan)
        self.feedback = [f for f in self.feedback if f.pushback_id != result.pushback_id] + [result]
        self.replies.append({"pushback": result.pushback_id, "reply": text, "carried": list(result.carried)})
        self._save()
        self.answered = True
        self.query_one("#rehearse-feedback", Static).update(Content.assemble(
            ("You said: ", "bold"), plain(f"\u201c{text}\u201d"), "\n",
            plain("\n".join(result.lines)), "\n\n",
            ("Enter on the empty line for the next pushback, or type a better reply.", "dim")))
        event.input.value = ""
        # At 80x24 the feedback is below the pushback: bring it into view.
        self.call_after_refresh(self.query_one("#rehearse-body").scroll_end, animate=False)

    def action_next(self, skip_record: bool = False) -> None:
        from simulator.prepare.rehearsal import reply_feedback

        if self.index >= len(self.likely):
            return
        if not self.answered and not skip_record:
            self.feedback.append(reply_feedback(self.likely[self.index], "", self.plan))
        self.index += 1
        self.show_pushback()

    def show_debrief(self) -> None:
        from simulator.prepare.rehearsal import debrief

        lines = debrief(self.feedback, self.plan, self.app.local_profile()).lines()
        self.query_one("#rehearse-pushback", Static).update(Content.assemble(
            (lines[0], "bold $accent"), "\n", plain("\n".join(lines[1:]))))
        gaps = "fill in the gaps, then " if "Your plan's own gaps:" in lines else ""
        self.query_one("#rehearse-feedback", Static).update(
            plain(f"Esc goes back to the plan: {gaps}print it (Ctrl+R).", "dim"))
        self.query_one("#rehearse-reply", Input).display = False
        self.query_one("#rehearse-body").focus()
