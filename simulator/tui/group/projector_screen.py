"""The projected screen of a group session: each decision and the room's vote
on it (the opening is ``opening_screen``).

Made to be read from the back of a room: one decision at a time, options
lettered A, B, C, large blocks of colour for what matters, and the keys for
the facilitator always spelt out at the bottom. Every key comes to the
screen itself (nothing takes focus), so what a key does depends only on the
step the vote is at, which the key line shows.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from simulator.group.facilitation import MOST_HANDS, SKIPPED, TIE, Round, VoteOption, leaders, letter, percentages
from simulator.tui.briefing_screen import CaseFileScreen
from simulator.tui.group.projector_widgets import (
    LETTER_INDEX,
    MAX_HANDS,
    OptionRow,
    clock_text,
    keys,
    one_line,
    shorten,
)
from simulator.tui.history_screen import ConfirmScreen
from simulator.tui.render import plain

# The steps of one decision.
DISCUSS = "discuss"  # the room reads and talks; the countdown runs
VOTE = "vote"  # the facilitator types the hands for each option
RESULT = "result"  # one option had most hands: confirm, or correct the counts
PICK = "pick"  # a tie, or a skipped vote: the facilitator chooses


class ProjectorScreen(Screen):
    """One decision at a time: the line, the options, the prompts, the vote."""

    AUTO_FOCUS = None

    def __init__(self, countdown: int) -> None:
        super().__init__()
        self.countdown = countdown
        self.phase = DISCUSS
        self.options: tuple[VoteOption, ...] = ()
        self.hands: list[int] = []
        self.cursor = 0
        self.fresh = True  # the next digit typed replaces the count instead of extending it
        self.eligible: tuple[int, ...] = ()  # what the facilitator may pick from
        self.pick_reason = TIE  # why the facilitator is choosing: TIE or SKIPPED
        self.pick_after = VOTE  # where Esc goes back to from a pick
        self.prompts: tuple[str, ...] = ()
        self.remaining: float | None = None  # seconds left on the clock; None: no countdown
        self.deadline = 0.0
        self.paused = False
        self.ran_out = False
        self.message: Content | str = ""

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar", classes="topbar"):
            yield Static(id="topbar-title")
            yield Static(id="decision-number")
            yield Static(id="clock")
        with VerticalScroll(id="stage", can_focus=False):
            yield Static(id="room-said")
            yield Static(id="said")
            yield Vertical(id="options")
            yield Static(id="locked")
        yield Vertical(id="discuss")
        yield Static(id="status")
        yield Static(id="keys")

    async def on_mount(self) -> None:
        self.query_one("#topbar-title", Static).update(plain(self.app.scenario.title))
        self.query_one("#discuss").border_title = "DISCUSS"
        self.set_interval(0.25, self._tick)
        await self.begin_decision()

    # -- a new decision ----------------------------------------------------------------
    async def begin_decision(self, correcting: Round | None = None) -> None:
        session = self.app.session
        if session.finished:
            self.app.finish()
            return
        self.options = tuple(VoteOption(letter(i), c.id, c.text) for i, c in enumerate(session.choices()))
        self.hands = list(correcting.hands) if correcting and correcting.hands else [0] * len(self.options)
        self.cursor, self.fresh, self.eligible = 0, True, ()
        self.prompts = self.app.prompts_here()
        self.ran_out = correcting.countdown_ran_out if correcting else False
        self.paused = False
        self.remaining = float(self.countdown) if self.countdown and not self.ran_out else None
        self.deadline = self.app.monotonic() + self.countdown
        box = self.query_one("#options", Vertical)
        await box.remove_children()
        await box.mount_all(OptionRow(option) for option in self.options)
        prompts = self.query_one("#discuss", Vertical)
        await prompts.remove_children()
        await prompts.mount_all(Horizontal(Static("•", classes="bullet"), Static(plain(one_line(p)), classes="prompt"),
                                           classes="prompt-row") for p in self.prompts)
        self._show_conversation()
        self.query_one("#stage", VerticalScroll).scroll_home(animate=False)
        if correcting is None:
            self.phase = DISCUSS
            self.message = ""
        else:
            self.phase = VOTE
            self.message = (f"Back at decision {correcting.number}. Correct the counts and press Enter on "
                            f"the last option, or S to choose without a vote.")
        self._draw()

    def _show_conversation(self) -> None:
        session = self.app.session
        scenario = self.app.scenario
        lines = session.transcript()
        last_own = max((i for i, line in enumerate(lines) if line.speaker == "you"), default=-1)
        said = self.query_one("#room-said", Static)
        if last_own >= 0 and self.app.rounds:
            previous = self.app.rounds[-1]
            said.update(Content.assemble((f"The room said ({previous.choice.letter})  ", "bold $success"),
                                         plain(shorten(previous.choice.text, 75), "italic")))
            said.display = True
        else:
            said.display = False
        parts: list = []
        for line in lines[last_own + 1:]:
            if parts:
                parts.append("\n\n")
            if line.speaker == "narrator":
                parts.append(plain(one_line(line.text), "italic $text-muted"))
                continue
            character = scenario.characters[line.speaker]
            parts += [plain(character.name.upper(), "bold $accent"), "  ", plain(character.role, "$text-muted")]
            if line.direction:
                parts += ["  ", plain(line.direction, "italic $text-muted")]
            parts += ["\n", plain(one_line(line.text), "bold")]
        self.query_one("#said", Static).update(Content.assemble(*parts))
        locked = session.locked()
        locked_box = self.query_one("#locked", Static)
        locked_box.display = bool(locked)
        locked_box.update(Content("\n").join(
            Content.assemble(("Not on offer  ", "bold"), plain(shorten(choice.text, 70)), "  ",
                             plain(f"({choice.locked_reason})", "italic")) for choice in locked))

    # -- drawing -------------------------------------------------------------------------
    def _draw(self) -> None:
        number = len(self.app.rounds) + 1
        self.query_one("#decision-number", Static).update(f"DECISION {number}")
        self._draw_options()
        self._draw_clock()
        self.query_one("#discuss").display = self.phase == DISCUSS and bool(self.prompts)
        status = self.query_one("#status", Static)
        status.update(self.message or self._default_message())
        # While the room talks, the prompts say what to do; a line of status would push the options off.
        status.display = bool(self.message) or self.phase != DISCUSS or not self.prompts
        self.query_one("#keys", Static).update(self._keys())

    def _draw_options(self) -> None:
        # Counts stay up while the facilitator confirms or breaks a tie.
        counted = self.phase == RESULT or (self.phase == PICK and self.pick_reason == TIE)
        shares = percentages(self.hands)
        winner = leaders(self.hands)[0] if self.phase == RESULT else None
        for index, row in enumerate(self.query(OptionRow)):
            row.set_class(self.phase in (VOTE, PICK) and index == self.cursor, "-current")
            row.set_class(index == winner, "-chosen")
            row.set_class(self.phase == PICK and index not in self.eligible, "-out")
            hands = row.query_one(".hands", Static)
            hands.display = self.phase == VOTE or counted
            if self.phase == VOTE:
                hands.update(str(self.hands[index]))
            elif counted:
                hands.update(f"{self.hands[index]}  {shares[index]:>3}%")
        current = list(self.query(OptionRow))
        if self.phase in (VOTE, PICK) and 0 <= self.cursor < len(current):
            self.query_one("#stage", VerticalScroll).scroll_to_widget(current[self.cursor], animate=False)

    def _draw_clock(self) -> None:
        clock = self.query_one("#clock", Static)
        clock.remove_class("-low", "-out", "-paused")
        if self.ran_out:
            clock.update(" TIME'S UP ")
            clock.add_class("-out")
        elif self.remaining is None:
            clock.update("")
        elif self.phase != DISCUSS:
            clock.update(f" {clock_text(self.remaining)} · voting ")
            clock.add_class("-paused")
        elif self.paused:
            clock.update(f" {clock_text(self.remaining)} · paused ")
            clock.add_class("-paused")
        else:
            clock.update(f" {clock_text(self.remaining)} ")
            clock.set_class(self.remaining <= 10, "-low")

    def _default_message(self) -> Content | str:
        if self.phase == DISCUSS:
            return "Talk it through as a room. When you are ready, take the vote."
        if self.phase == VOTE:
            return Content.assemble(("Hands up for ", ""), (self.options[self.cursor].letter, "bold"),
                                    f": type the number.   {sum(self.hands)} hands counted so far.")
        if self.phase == RESULT:
            winner = leaders(self.hands)[0]
            share = percentages(self.hands)[winner]
            return Content.assemble(("Most hands: ", "bold"), (self.options[winner].letter, "bold $success"),
                                    f", with {self.hands[winner]} of {sum(self.hands)} hands ({share}%).")
        if self.pick_reason == SKIPPED:
            return "Vote skipped. Facilitator: choose the option the story follows (press its letter)."
        tied = [self.options[i].letter for i in self.eligible]
        return Content.assemble(("Tie: ", "bold $warning"), f"{' and '.join(tied)} have {self.hands[self.eligible[0]]} "
                                f"hands each. Facilitator: choose {' or '.join(tied)} (press the letter).")

    def _keys(self) -> Content:
        if self.phase == DISCUSS:
            pairs = [("Enter", "vote"), ("S", "skip the vote")]
            if self.remaining is not None and not self.ran_out:
                pairs.append(("Space", "resume clock" if self.paused else "pause clock"))
            pairs += [("C", "case file"), ("U", "undo"), ("Q", "quit")]
        elif self.phase == VOTE:
            pairs = [("0-9", "hands"), ("Bksp +/-", "correct"), ("Enter", "next option"),
                     ("Up", "back"), ("S", "skip"), ("Esc", "discuss")]
            if self.cursor == len(self.options) - 1:
                pairs[2] = ("Enter", "count the vote")
        elif self.phase == RESULT:
            pairs = [("Enter", "the story follows it"), ("Esc", "correct the counts")]
        else:
            letters = "/".join(self.options[i].letter for i in self.eligible)
            pairs = [(letters, "choose"), ("Esc", "back")]
        return keys(*pairs)

    # -- the clock --------------------------------------------------------------------------
    def _tick(self) -> None:
        if self.phase != DISCUSS or self.remaining is None or self.paused or self.ran_out:
            return
        self.remaining = max(0.0, self.deadline - self.app.monotonic())
        if self.remaining <= 0:
            # Time prompts the vote; it never chooses for the room.
            self.ran_out = True
            self.app.bell()
            self._enter_vote("Time's up. Hands up for each option in turn, or S to skip the vote.")
            return
        self._draw_clock()

    def _toggle_pause(self) -> None:
        if self.remaining is None or self.ran_out:
            return
        if self.paused:
            self.deadline = self.app.monotonic() + self.remaining
        self.paused = not self.paused
        self._draw()

    def _hold_clock(self) -> None:
        """Stop the clock while the room votes (it resumes if they go back to talking)."""
        if self.remaining is not None and not self.ran_out and not self.paused:
            self.remaining = max(0.0, self.deadline - self.app.monotonic())

    # -- keys --------------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        key, char = event.key, (event.character or "")
        if key == "pageup":
            self.query_one("#stage", VerticalScroll).scroll_page_up(animate=False)
        elif key == "pagedown":
            self.query_one("#stage", VerticalScroll).scroll_page_down(animate=False)
        elif self.phase == PICK:
            await self._pick_key(key, char)
        elif key == "t":
            self.app.action_next_theme()
        elif self.phase == DISCUSS:
            await self._discuss_key(key)
        elif self.phase == VOTE:
            await self._vote_key(key, char)
        elif self.phase == RESULT:
            await self._result_key(key)

    async def _discuss_key(self, key: str) -> None:
        if key in ("enter", "v"):
            self._enter_vote()
        elif key == "s":
            self._enter_pick(tuple(range(len(self.options))), SKIPPED, after=DISCUSS)
        elif key == "space":
            self._toggle_pause()
        elif key == "c":
            self.app.push_screen(CaseFileScreen(self.app.scenario))
        elif key == "u":
            await self._undo()
        elif key == "q":
            self.ask_to_quit()

    async def _vote_key(self, key: str, char: str) -> None:
        last = len(self.options) - 1
        if char.isdigit() and len(char) == 1:
            self._type_digit(int(char))
        elif key == "backspace":
            self.hands[self.cursor] //= 10
            self.fresh = False
        elif char in ("+", "=") or key == "right":
            self.hands[self.cursor] = min(MAX_HANDS, self.hands[self.cursor] + 1)
            self.fresh = False
        elif char == "-" or key == "left":
            self.hands[self.cursor] = max(0, self.hands[self.cursor] - 1)
            self.fresh = False
        elif key == "enter" and self.cursor == last:
            self._count()
            return
        elif key in ("enter", "tab", "down"):
            self._move(1 if self.cursor < last else (-last if key == "tab" else 0))
        elif key in ("shift+tab", "up"):
            self._move(-1 if self.cursor > 0 else 0)
        elif key == "s":
            self._enter_pick(tuple(range(len(self.options))), SKIPPED, after=VOTE)
            return
        elif key == "escape":
            self._back_to_discuss()
            return
        elif key == "u":
            await self._undo()
            return
        elif key == "q":
            self.ask_to_quit()
            return
        self.message = ""
        self._draw()

    def _type_digit(self, digit: int) -> None:
        current = self.hands[self.cursor]
        if self.fresh:
            self.hands[self.cursor] = digit
        elif current * 10 + digit <= MAX_HANDS:
            self.hands[self.cursor] = current * 10 + digit
        self.fresh = False

    def _move(self, step: int) -> None:
        if step:
            self.cursor += step
            self.fresh = True

    async def _result_key(self, key: str) -> None:
        if key == "enter":
            await self._commit(leaders(self.hands)[0], MOST_HANDS)
        elif key in ("escape", "backspace"):
            self._enter_vote("Correct the counts, then press Enter on the last option.")

    async def _pick_key(self, key: str, char: str) -> None:
        chosen = LETTER_INDEX.get(char.upper()) if len(char) == 1 else None
        if chosen is not None and chosen < len(self.options):
            if chosen in self.eligible:
                await self._commit(chosen, self.pick_reason)
            else:
                tied = " or ".join(self.options[i].letter for i in self.eligible)
                self.message = Content.assemble((f"{self.options[chosen].letter} is not tied for most hands. ", "bold"),
                                                f"Choose {tied}.")
                self._draw()
        elif key in ("up", "down", "tab", "shift+tab"):
            place = self.eligible.index(self.cursor) if self.cursor in self.eligible else 0
            step = -1 if key in ("up", "shift+tab") else 1
            self.cursor = self.eligible[(place + step) % len(self.eligible)]
            self._draw()
        elif key == "enter" and self.cursor in self.eligible:
            await self._commit(self.cursor, self.pick_reason)
        elif key == "escape":
            if self.pick_after == DISCUSS:
                self._back_to_discuss()
            else:
                self._enter_vote("Correct the counts, then press Enter on the last option."
                                 if self.pick_reason == TIE else "")

    # -- steps -------------------------------------------------------------------------------
    def _enter_vote(self, message: str = "") -> None:
        self._hold_clock()
        self.phase, self.cursor, self.fresh = VOTE, 0, True
        self.message = message
        self._draw()

    def _back_to_discuss(self) -> None:
        self.phase = DISCUSS
        if self.remaining is not None and not self.ran_out:
            self.deadline = self.app.monotonic() + self.remaining
        self.message = ""
        self._draw()

    def _enter_pick(self, eligible: tuple[int, ...], reason: str, after: str) -> None:
        self._hold_clock()
        self.phase, self.eligible, self.pick_reason, self.pick_after = PICK, eligible, reason, after
        self.cursor = eligible[0]
        self.message = ""
        self._draw()

    def _count(self) -> None:
        top = leaders(self.hands)
        if not top:
            self.message = Content.assemble(("No hands counted yet. ", "bold $warning"),
                                            "Type how many hands went up for each option, or press S to skip the vote.")
            self._draw()
        elif len(top) == 1:
            self.phase, self.message = RESULT, ""
            self._draw()
        else:
            self._enter_pick(top, TIE, after=VOTE)

    async def _commit(self, index: int, decided_by: str) -> None:
        session = self.app.session
        node = session.node
        self.app.record(Round(
            number=len(self.app.rounds) + 1,
            node_id=node.id,
            speaker=self.app.scenario.speaker_name(node.speaker),
            line=node.text,
            discuss=self.prompts,
            options=self.options,
            hands=None if decided_by == SKIPPED else tuple(self.hands),
            chosen=index,
            decided_by=decided_by,
            countdown_ran_out=self.ran_out,
        ))
        await self.begin_decision()

    async def _undo(self) -> None:
        previous = self.app.undo()
        if previous is None:
            self.message = "This is the first decision: there is nothing to undo."
            self._draw()
            return
        await self.begin_decision(correcting=previous)

    def ask_to_quit(self) -> None:
        def answered(leave: bool | None) -> None:
            if leave:
                self.app.exit()

        self.app.push_screen(ConfirmScreen("End the session now? Nothing is saved until you export from the "
                                           "group debrief at the end."), answered)

