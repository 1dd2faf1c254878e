"""Play: the conversation as a transcript, the options as a numbered list."""

from __future__ import annotations

from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, RichLog, Static
from textual.widgets.option_list import Option

from simulator.engine.say_first import SaidFirst, SayFirstReader, closest_marker
from simulator.engine.session import Line, Session
from simulator.model.text import inert
from simulator.tui.briefing_screen import CaseFileScreen
from simulator.tui.fast_keys import Header, when_shown
from simulator.tui.render import plain
from simulator.tui.say_first import SayItFirstScreen, option_prompt, said_content, typing_box_rows

# Speaker colours by order of appearance in the scenario's characters.
SPEAKER_STYLES = ["primary", "warning", "secondary", "accent", "error"]  # theme colours
CONTINUE = "continue"


class PlayScreen(Screen):
    """One attempt in progress. Every decision is already saved when it is made."""

    BINDINGS = [
        *[Binding(str(n), f"choose_number({n})", show=False) for n in range(1, 10)],
        Binding("c", "case_file", "Case file"),
        Binding("h", "hint", "Hint"),
        Binding("u", "undo", "Rewind"),
        Binding("s", "say_first", "Say it"),
        Binding("q", "leave", "Save & leave"),
        Binding("question_mark", "app.help", "Help"),
    ]
    HELP = ("Choose what you say with 1-9, or the arrows and Enter. s lets you say it in your own words first and "
            "hear feedback before choosing (every decision, if settings say so). c opens the case file, h shows a "
            "hint (recorded), u rewinds to your previous decision (recorded), q leaves; your progress is saved.")

    def __init__(self, session: Session, attempt_id: int, mode: str) -> None:
        super().__init__()
        self.session = session
        self.attempt_id = attempt_id
        self.mode = mode
        self.shown_lines = 0
        self.awaiting_continue = False
        # "Say it first": what the learner said at the decision on screen, and
        # the decision it belongs to (how many had been made, and where).
        self.said: SaidFirst | None = None
        self._said_at: tuple[int, str] | None = None
        self._typing = False
        self._reader: SayFirstReader | None = None
        self._speaker_styles = {cid: SPEAKER_STYLES[i % len(SPEAKER_STYLES)]
                                for i, cid in enumerate(session.scenario.characters)}

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="play"):
            yield RichLog(id="transcript", wrap=True, markup=False, highlight=False, min_width=20)
            with Vertical(id="side"):
                yield Static(id="signals")
                yield Static(id="progress")
        yield Static(id="coach")
        yield Static(id="hints")
        yield Static(id="say-feedback")
        yield Static(id="say-room")  # the typing box's rows, kept clear while it is open
        yield OptionList(id="choices", markup=False)
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        self.sub_title = self.session.scenario.title + (" · coach mode" if self.mode == "coach" else "")
        self.query_one("#coach").display = False
        self.query_one("#hints").display = False
        self.query_one("#say-feedback").display = False
        self.query_one("#say-room").display = False
        self._render_transcript(reset=True)
        self._render_choices()
        choices = self.query_one("#choices", OptionList)
        choices.focus()
        # Said in words on the list's frame, not only by a scrollbar.
        self.watch(choices, "scroll_y", lambda _: self._show_more_cue(), init=False)
        self._offer_say_first(resuming=True)

    @when_shown
    def on_resize(self) -> None:
        # At 80 columns the side panel would squeeze the transcript.
        self.query_one("#side").display = self.size.width >= 110
        # RichLog wraps lines when they are written: rewrap for the new width.
        if self.shown_lines:
            self.call_after_refresh(self._render_transcript, True)
        # A smaller window may hide the highlighted option: bring it back.
        self.call_after_refresh(self._keep_highlight_in_view)

    # -- drawing ----------------------------------------------------------------
    def _line(self, line: Line) -> RenderableType:
        # The transcript is a RichLog: lines are rendered once, on arrival, and
        # only the visible ones are drawn, so a key press costs the same at the
        # fiftieth decision as at the first (a widget per line made every press
        # re-lay out the whole conversation).
        colours = self.app.theme_variables
        if line.speaker == "you":
            text = Text.assemble(("You  ", f"bold {colours.get('success', 'green')}"), inert(line.text))
            return Padding(text, (0, 0, 1, 4))
        if line.speaker == "narrator":
            text = Text(inert(" ".join(line.text.split())), style=f"italic {colours.get('text-muted', '')}".strip())
            return Padding(text, (0, 2, 1, 2))
        character = self.session.scenario.characters[line.speaker]
        colour = colours.get(self._speaker_styles[line.speaker], "")
        text = Text.assemble((inert(character.name) + "  ", f"bold {colour}".strip()), (inert(character.role), "dim"))
        if line.direction:
            text.append("  " + inert(line.direction), style="italic dim")
        text.append("\n" + inert(" ".join(line.text.split())))
        return Padding(text, (0, 0, 1, 0))

    def _render_transcript(self, reset: bool = False, upto_own_words: bool = False) -> None:
        transcript = self.query_one("#transcript", RichLog)
        lines = self.session.transcript()
        if upto_own_words:
            # Coach mode: show what the learner said, and the feedback on it,
            # before the other professional answers.
            last_own = max(i for i, line in enumerate(lines) if line.speaker == "you")
            lines = lines[: last_own + 1]
        if reset:
            transcript.clear()
            self.shown_lines = 0
        for line in lines[self.shown_lines:]:
            transcript.write(self._line(line))
        self.shown_lines = len(lines)
        self._render_side()
        if self._typing:  # rewritten for a new width while the box is open
            self._show_last_line()

    def _render_side(self) -> None:
        session = self.session
        gauges = []
        for variable in session.scenario.variables.values():
            if variable.signal and not variable.is_flag:
                value = session.variables[variable.name]
                span = variable.maximum - variable.minimum or 1
                filled = round(10 * (value - variable.minimum) / span)
                gauges.append(Content.assemble(plain(variable.signal, "bold"), "\n",
                                               ("█" * filled, "$accent"), ("░" * (10 - filled), "dim"),
                                               f" {value}/{variable.maximum}"))
        signals = self.query_one("#signals", Static)
        signals.update(Content("\n\n").join(gauges) if gauges else "")
        self.query_one("#progress", Static).update(Content.assemble(
            ("Decisions  ", "bold"), str(len(session.moves)), "\n",
            ("Rewinds    ", "bold"), str(session.rewinds), "\n",
            ("Hints      ", "bold"), str(sum(m.hint_used for m in session.moves)),
        ))

    def _render_choices(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.clear_options()
        closest = None
        if self.awaiting_continue:
            choices.add_option(Option(Content.assemble(("Continue ▸", "bold")), id=CONTINUE))
        else:
            offered = self.session.choices()
            closest = closest_marker(self.said, offered)
            for number, choice in enumerate(offered, start=1):
                choices.add_option(Option(option_prompt(number, choice.text, choice.id == closest), id=choice.id))
            for choice in self.session.locked():
                choices.add_option(Option(Content.assemble(("(locked) ", "bold"), plain(choice.text), "\n   ",
                                                           plain(choice.locked_reason, "italic")),
                                          id=f"locked:{choice.id}", disabled=True))
        choices.highlighted = 0 if choices.option_count else None
        if closest is not None:
            choices.highlighted = [c.id for c in offered].index(closest)
        self.call_after_refresh(self._show_more_cue)

    @when_shown  # called after a refresh: the screen may have closed since
    def _keep_highlight_in_view(self) -> None:
        choices = self.query_one("#choices", OptionList)
        if choices.highlighted is not None:
            choices.scroll_to_highlight()
        self._show_more_cue()

    @when_shown
    def _show_more_cue(self) -> None:
        """"more below" (or above) on the options' frame while some are out of sight."""
        choices = self.query_one("#choices", OptionList)
        below = choices.scroll_y < choices.max_scroll_y
        above = choices.scroll_y > 0
        cues = [cue for cue, shown in (("▲ more above", above), ("▼ more below: ↓ to see", below)) if shown]
        choices.border_subtitle = " · ".join(cues)

    # -- acting -------------------------------------------------------------------
    @on(OptionList.OptionSelected, "#choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        # An Enter typed ahead selects what was highlighted when it was
        # pressed; if a decision has redrawn the options since, that option is
        # gone and the selection means nothing now.
        choices = event.option_list
        if not (0 <= event.option_index < choices.option_count
                and choices.get_option_at_index(event.option_index) is event.option):
            return
        if event.option.id == CONTINUE:
            self._continue()
        elif event.option.id and not event.option.id.startswith("locked:"):
            self._choose(event.option.id)

    def action_choose_number(self, number: int) -> None:
        if self.awaiting_continue or self._typing:
            return
        offered = self.session.choices()
        if 1 <= number <= len(offered):
            self._choose(offered[number - 1].id)
        else:
            self.notify(f"There is no option {number} here.", severity="warning")

    def _choose(self, choice_id: str) -> None:
        session = self.session
        if session.finished or self.awaiting_continue or choice_id not in {c.id for c in session.choices()}:
            return  # a key typed ahead of the screen, for a decision already made
        node_id = session.node.id
        hinted = session.hint_pending
        words = self.said.words if self.said is not None else ""
        session.choose(choice_id, words)
        self.app.store.record_decision(self.attempt_id, session.to_json(), node_id, choice_id, hinted, own_words=words)
        self._forget_said()
        self.query_one("#hints").display = False
        coaching = self.mode == "coach"
        self._render_transcript(upto_own_words=coaching)
        if coaching:
            self._show_coaching()
            return
        self._after_choice()

    def _after_choice(self) -> None:
        if self.session.finished:
            self.app.finish_attempt(self.session, self.attempt_id, self.mode)
        else:
            self._render_choices()
            self._offer_say_first()

    def _show_coaching(self) -> None:
        from scoring.scorer import score

        log = self.session.evidence_log()
        decision = log.decisions[-1]
        review = score(log, self.app.catalogue).decisions[-1]
        parts = [("Feedback  ", "bold $accent"), plain(decision.choice.feedback or "No feedback for this option.")]
        if review.better_choice is not None:
            better = decision.offers[review.better_choice]
            parts += ["\n", ("Stronger  ", "bold $warning"), plain(f"“{better.text}”"), "\n          ",
                      plain(better.feedback, "italic")]
        elif review.best_available:
            parts += ["\n", ("          That was the strongest option on offer.", "$success")]
        coach = self.query_one("#coach", Static)
        coach.update(Content.assemble(*parts))
        coach.display = True
        self.awaiting_continue = True
        self._render_choices()

    def _continue(self) -> None:
        self.awaiting_continue = False
        self.query_one("#coach").display = False
        self._render_transcript()
        self._after_choice()

    def action_hint(self) -> None:
        if self.awaiting_continue or self.session.finished:
            return
        hints = self.session.use_hint()
        panel = self.query_one("#hints", Static)
        if hints:
            panel.update(Content.assemble(("Hint  ", "bold $warning"), plain(" · ".join(hint for _, hint in hints))))
        else:
            panel.update(plain("No hint for this decision: look at the case file (c).", "italic"))
        panel.display = True
        self._render_side()

    def action_undo(self) -> None:
        if not self.session.moves:
            self.notify("Nothing to rewind yet.")
            return
        self.awaiting_continue = False
        self.query_one("#coach").display = False
        self.session.undo()
        self.app.store.record_rewind(self.attempt_id, self.session.to_json(), len(self.session.moves))
        self._forget_said()
        self._render_transcript(reset=True)
        self._render_choices()
        self.notify("Rewound to your previous decision.")
        self._offer_say_first()

    def action_case_file(self) -> None:
        self.app.push_screen(CaseFileScreen(self.session.scenario))

    def action_leave(self) -> None:
        self.app.pop_to_library()
        self.app.notify(self.app.saved_message())

    # -- saying it first -------------------------------------------------------------
    def _decision(self) -> tuple[int, str]:
        return len(self.session.moves), self.session.node.id

    def _offer_say_first(self, resuming: bool = False) -> None:
        """At a new decision: carry on with words already saved for it (after
        a restart), or ask for them when the learner has said-it-first on."""
        if self.session.finished or self.awaiting_continue:
            return
        draft = self.app.store.draft(self.attempt_id) if resuming else None
        if draft is not None and (draft.decision, draft.node_id) == self._decision():
            if draft.submitted:
                self._heard(draft.words)
            else:
                self.call_after_refresh(self._ask, draft.words)
        elif self.app.say_first_default():
            self.call_after_refresh(self._ask, "")

    def action_say_first(self) -> None:
        if self.session.finished or self.awaiting_continue or self._typing:
            return
        if self.said is not None:
            self._ask(self.said.words)
            return
        # Words typed and left with Esc are still in the draft: carry on from them.
        draft = self.app.store.draft(self.attempt_id)
        here = draft is not None and (draft.decision, draft.node_id) == self._decision()
        self._ask(draft.words if here else "")

    def _ask(self, words: str) -> None:
        if self._typing or self.session.finished or not self.is_current:
            return
        decision, node_id = self._decision()
        store, attempt_id = self.app.store, self.attempt_id
        speaker = self.session.node.speaker
        listener = self.session.scenario.speaker_name(speaker) if speaker != "narrator" else "them"
        self._typing = True
        self.query_one("#choices").display = False
        self.query_one("#say-feedback").display = False
        # Clear the rows the box will take and bring the last line into view
        # first: a screen under another is not redrawn until it is on top again.
        self._keep_room(typing_box_rows(words, self.size.width))
        screen = SayItFirstScreen(listener, words, lambda typed: store.save_draft(attempt_id, node_id, decision, typed),
                                  self.action_case_file)
        self.call_after_refresh(self.app.push_screen, screen, self._heard_typed)

    def _keep_room(self, rows: int) -> None:
        room = self.query_one("#say-room", Static)
        room.styles.height = rows
        room.display = self._typing
        self._show_last_line()

    def _show_last_line(self) -> None:
        """Scroll the conversation to its end once the layout has settled, so
        the line being answered is in sight above the typing box."""
        transcript = self.query_one("#transcript", RichLog)
        self.call_after_refresh(transcript.scroll_end, animate=False, immediate=True)

    def _heard_typed(self, words: str | None) -> None:
        self._typing = False
        self.query_one("#say-room").display = False
        self.query_one("#choices").display = True
        if words is None or not words.strip():
            self.query_one("#say-feedback").display = self.said is not None
            if words is not None:
                self.notify("Nothing typed: choose from the options.")
            return
        self._heard(words)

    def _heard(self, words: str) -> None:
        """Feedback on the words at once, then the options, the closest marked."""
        decision, node_id = self._decision()
        self._reader = self._reader or SayFirstReader(self.session.scenario)
        self.said = self._reader.read(words, self.session.choices())
        self._said_at = (decision, node_id)
        self.app.store.save_draft(self.attempt_id, node_id, decision, words, submitted=True)
        panel = self.query_one("#say-feedback", Static)
        panel.update(said_content(self.said, self.size.width))
        panel.display = True
        self._render_choices()
        self.query_one("#choices").focus()

    def _forget_said(self) -> None:
        self.said = None
        self._said_at = None
        self.query_one("#say-feedback").display = False
