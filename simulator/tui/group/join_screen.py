"""Joining a group session: the code the facilitator gave, and a name.

textual-serve has no authentication, so this screen is the door: nothing is
read or written for a participant until the code matches.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from simulator.group.join_code import code_matches
from simulator.group.participant_store import SessionRecordsUnavailable
from simulator.tui.fast_keys import when_shown
from simulator.tui.render import plain

NAME_LIMIT = 40
WRONG_CODE = "That join code is not right for this session. Check it with the facilitator and try again."
NO_CODE = "Type the join code the facilitator gave you."
NO_NAME = "Type your name as the group will see it (a first name is enough)."
# After a wrong code the form rests this long, so codes cannot be tried quickly.
WRONG_CODE_PAUSE = 1.0
# The server answers "may this code be checked?" at once; past this, say so.
ASK_PATIENCE = 10.0
NO_ANSWER = "The session did not answer. Try again in a moment; if it keeps happening, tell the facilitator."


def too_many(wait: str) -> str:
    return (f"Too many wrong join codes have been tried from this network. Wait {wait} and try again, "
            "or ask the facilitator.")


class CodeInput(Input):
    """The join code field. Keys typed after Enter belong to the name field,
    even before the focus has moved there: when a whole room joins at once
    the server draws late, and a quick typist's name must not end up in the code."""

    passed_on = False

    def _on_focus(self) -> None:
        self.passed_on = False  # back in the code field on purpose

    async def _on_key(self, event: events.Key) -> None:
        # Keys reach this field in the order typed; Enter's own action runs
        # later, so the hand-over is marked here, on the key itself.
        if not self.passed_on:
            self.passed_on = event.key == "enter"
            return
        name = self.screen.query_one("#name", Input)
        if event.is_printable and event.character:
            name.insert_text_at_cursor(event.character)
        elif event.key == "backspace":
            name.action_delete_left()
        else:
            return
        event.stop()
        event.prevent_default()


class JoinScreen(Screen):
    """The first screen of a group session: join code and display name."""

    DEFAULT_CSS = """
    JoinScreen {
        align: center middle;
    }
    #join {
        width: 70;
        max-width: 100%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 2;  /* with a message shown, the form still fits 80x24 */
    }
    #join Input {
        margin-bottom: 1;
    }
    #join-message {
        color: $error;
        text-style: bold;
        height: auto;
        margin-bottom: 1;
    }
    #join-privacy {
        color: $text-muted;
        margin-bottom: 1;
    }
    """

    def __init__(self, cohort: str) -> None:
        super().__init__()
        self.cohort = cohort
        self.joined = False
        self.asking = False  # the server is deciding whether a code may be checked

    def compose(self) -> ComposeResult:
        # No header or footer: a participant whose keys arrived early may leave
        # this screen within a frame, and Textual's header cannot be removed
        # that soon after it is mounted.
        with Vertical(id="join") as box:
            box.border_title = "Rehearse · join the group session"
            # The session's name waits for the right code: it can say whose
            # training this is (a team, a case) to anyone who found the address.
            yield Label("Join code (from the facilitator)")
            yield CodeInput(placeholder="e.g. K7PQ4X", id="code", max_length=12)
            yield Label("Your name, as the group will see it")
            yield Input(placeholder="e.g. Asha", id="name", max_length=NAME_LIMIT)
            yield Static("", id="join-message")
            yield Static("The facilitator sees your name, your choices and your scores for this session. "
                         "Nothing is sent beyond this room.", id="join-privacy")
            yield Button("Join", id="join-button", variant="primary")

    @when_shown
    def on_mount(self) -> None:
        self.query_one("#join-message").display = False
        self.query_one("#code", Input).focus()

    def say(self, message: str) -> None:
        box = self.query_one("#join-message", Static)
        box.update(plain(message))
        box.display = True

    @on(Input.Submitted, "#code")
    def _code_entered(self) -> None:
        if self.query_one("#name", Input).value.strip():
            self.join()
        else:
            self.query_one("#name", Input).focus()

    @on(Input.Submitted, "#name")
    @on(Button.Pressed, "#join-button")
    def join(self) -> None:
        if self.joined or self.asking:
            return  # an Enter typed ahead after the one that joined, or one already being checked
        code_input, name_input = self.query_one("#code", Input), self.query_one("#name", Input)
        code, name = code_input.value.strip(), " ".join(name_input.value.split())
        if not code:
            self.say(NO_CODE)
            code_input.focus()
            return
        if not name:
            self.say(NO_NAME)
            name_input.focus()
            return
        # Join codes are counted across every participant by the server, so
        # it is asked first (outside a server, the app answers at once).
        self.asking = True
        self.set_timer(ASK_PATIENCE, self._no_answer)
        self.app.ask_to_join(lambda allowed, wait: self._check(code, name, allowed, wait))

    def _no_answer(self) -> None:
        if self.asking:
            self.asking = False
            self.say(NO_ANSWER)

    def _check(self, code: str, name: str, allowed: bool, wait: int) -> None:
        if not self.asking or not self.is_attached:
            return
        self.asking = False
        code_input = self.query_one("#code", Input)
        if not allowed:
            from simulator.group.serve_guard import wait_words

            self.say(too_many(wait_words(wait)))
            code_input.value = ""
            self._rest()
            return
        try:
            cohort = self.app.store.cohort_record()
        except SessionRecordsUnavailable as exc:
            self.app.tell_join(None)
            self.say(f"The session cannot be joined just now: {exc}. Try again in a moment; "
                     "if it keeps happening, tell the facilitator.")
            return
        if cohort is None:
            self.app.tell_join(None)
            self.say("This group session is not running any more. Tell the facilitator.")
            return
        if not code_matches(code, cohort.join_code):
            self.app.tell_join(False)
            self.say(WRONG_CODE)
            code_input.value = ""
            self._rest()
            return
        self.app.tell_join(True)
        self.joined = True
        problem = self.app.joined(name, cohort)
        if problem:
            self.joined = False
            self.say(problem)

    def _rest(self) -> None:
        form = self.query_one("#join", Vertical)
        form.disabled = True

        def wake() -> None:
            form.disabled = False
            self.query_one("#code", Input).focus()

        self.set_timer(WRONG_CODE_PAUSE, wake)
