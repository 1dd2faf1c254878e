"""Saying it first: the learner types what they would say before the options
appear, hears the analyser's feedback at once, then chooses with the option
closest to their words marked.

The typing happens on a small screen of its own over the play screen, so
while it is up every key types (and only Enter, Esc and Ctrl+O do anything
else) and the play screen's own keys are left alone. Every change is saved as
a draft in the history file a frame or two after it is made: a process killed
mid-sentence loses at most the keystroke in flight.

Nothing the learner types, and nothing the analyser says about it, is parsed
as markup: it is assembled into ``Content`` as plain text, after control
characters are shown as symbols.
"""

from __future__ import annotations

from typing import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from scoring.display import shorten, visible
from simulator.engine.say_first import SaidFirst
from simulator.tui.fast_keys import when_shown
from simulator.tui.render import plain

# Two frames at 60 Hz: typing at any speed is on disk within ~35 ms.
DRAFT_DELAY = 1 / 30
CLOSEST = "◂ closest to what you said"
# The learner's words are repeated above the feedback on one line: they have
# just typed them, and at 80x24 every row is wanted for the feedback.
SAID_LABEL = "You said  "
# Bidirectional overrides and isolates reorder what a terminal shows; a paste
# holding them is shown with � in their place, as the analyser does.
_BIDI = str.maketrans({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A),
                                                   0x200E, 0x200F, 0x061C)})


def shown_as_typed(text: str) -> str:
    """Pasted text as it may appear in the box: control characters as symbols
    (ESC as ␛; line breaks and tabs kept), reordering marks as �."""
    return visible(text).translate(_BIDI)


class SpokenWords(TextArea):
    """The box the words are typed in: Enter is "I've said it", not a new line."""

    class Said(Message):
        def __init__(self, words: str) -> None:
            super().__init__()
            self.words = words

    # Textual calls TextArea's own handlers after these unless they prevent
    # the default, so neither calls them itself.
    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Said(self.text))

    async def _on_paste(self, event: events.Paste) -> None:
        # A paste is the one way control characters or terminal escapes can
        # reach the box (keys that make them are bindings, not text).
        if event.text != shown_as_typed(event.text):
            event.prevent_default()
            event.stop()
            start, end = self.selection
            self.replace(shown_as_typed(event.text), start, end, maintain_selection_offset=False)
            self.app.notify("Control characters in the paste are shown as symbols.", severity="information")


class SayItFirstScreen(ModalScreen[str | None]):
    """Type what you would say; returns the words (Enter) or None (Esc: choose
    from the options without saying it)."""

    BINDINGS = [
        Binding("escape", "skip", "Choose without saying it"),
        Binding("ctrl+o", "case_file", "Case file"),
        # Every other key types; F1 is how the keys of this box are found.
        Binding("f1", "app.help", "Help"),
    ]
    HELP = ("Type what you would say, as you would say it. Enter gives you feedback on it against the briefing, then "
            "the options with the one closest to your words marked. Esc goes to the options without saying it; "
            "Ctrl+O opens the case file. What you type is saved as you type it.")

    def __init__(self, listener: str, words: str, save: Callable[[str], None],
                 open_case_file: Callable[[], None]) -> None:
        super().__init__()
        self.listener = listener
        self.words = words
        self._save = save
        self._open_case_file = open_case_file
        self._unsaved: str | None = None
        self._timer = None

    def compose(self) -> ComposeResult:
        with Vertical(id="say-box") as box:
            box.border_title = "Say it first, in your own words"
            box.border_subtitle = "Enter: feedback · Esc: just choose · Ctrl+O: case file"
            yield Static(plain(f"What would you say to {self.listener}?", "bold"), id="say-prompt")
            yield SpokenWords(shown_as_typed(self.words), id="say-words", soft_wrap=True, show_line_numbers=False,
                              tab_behavior="focus", compact=True, highlight_cursor_line=False,
                              placeholder="Type it as you would say it…")
        yield Footer()

    @when_shown
    def on_mount(self) -> None:
        words = self.query_one(SpokenWords)
        words.focus()
        words.move_cursor(words.document.end)

    # -- saving as it is typed ---------------------------------------------------------
    @on(TextArea.Changed, "#say-words")
    def _typed(self, event: TextArea.Changed) -> None:
        self._unsaved = event.text_area.text
        if self._timer is None:
            self._timer = self.set_timer(DRAFT_DELAY, self.save_now)

    def save_now(self) -> None:
        """Write the words not yet saved (the timer calls this; so does leaving)."""
        self._timer = None
        if self._unsaved is not None:
            words, self._unsaved = self._unsaved, None
            self._save(words)

    def on_unmount(self) -> None:
        self.save_now()

    # -- leaving -------------------------------------------------------------------
    @on(SpokenWords.Said)
    def _said(self, event: SpokenWords.Said) -> None:
        self.save_now()
        self.dismiss(event.words)

    def action_skip(self) -> None:
        self.save_now()
        self.dismiss(None)

    def action_case_file(self) -> None:
        self._open_case_file()


def typing_box_rows(words: str, width: int) -> int:
    """How many rows the typing box takes at ``width`` when it opens with
    ``words``: its border and question, and three to eight lines of words
    (as #say-words in app.tcss allows)."""
    per_line = max(10, width - 6)
    lines = sum(max(1, -(-len(line) // per_line)) for line in (words or " ").split("\n"))
    return 2 + 1 + min(8, max(3, lines))


def said_content(said: SaidFirst, width: int = 80) -> Content:
    """What the play screen shows once the words are said: the words on one
    line of ``width``, then the analyser's feedback (their own words quoted,
    what is missing, the briefing's sentence), each line as plain text."""
    room = max(20, width - len(SAID_LABEL) - 4)
    parts: list = [(SAID_LABEL, "bold $accent"), plain(f"“{shorten(said.words, room)}”", "italic")]
    for line in said.feedback:
        parts += ["\n", ("• ", "$accent"), plain(line)]
    return Content.assemble(*parts)


def option_prompt(number: int, text: str, closest: bool) -> Content:
    """An option as the list shows it, marked when it is closest to what was said."""
    parts: list = [(f"{number}. ", "bold"), plain(text)]
    if closest:
        # No colour of its own: it must read on the highlighted row and in every theme.
        parts += ["  ", (CLOSEST, "bold italic")]
    return Content.assemble(*parts)


def own_words_content(reviews) -> Content | None:
    """The debrief's "In your own words" section: each decision where words
    were typed, what was said and what was chosen, and what the words showed.
    None when no words were typed."""
    from scoring.own_words import read_own_words

    typed = [review for review in reviews if review.own_words.strip()]
    if not typed:
        return None
    parts: list = [("In your own words\n", "bold $accent")]
    for review in typed:
        parts += [(f"Decision {review.number}. ", "bold"),
                  plain(f"{review.speaker}: “{shorten(review.prompt, 90)}”", "dim"),
                  "\n  You said    ", plain(f"“{shorten(review.own_words, 300)}”", "italic"),
                  "\n  You chose   ", plain(f"“{review.said}”")]
        reading = read_own_words(review.own_words)
        if reading is not None and reading.line:
            parts += ["\n  Showed      ", plain(reading.line, "dim")]
        parts.append("\n\n")
    return Content.assemble(*parts)
