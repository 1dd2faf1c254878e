"""The pieces the projected screens are built from: the key line the facilitator
reads, the clock, text made to fit one line, and one option's row."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from simulator.group.facilitation import VoteOption, letter
from simulator.tui.render import plain

MAX_HANDS = 999
LETTER_INDEX = {letter(i): i for i in range(26)}


def keys(*pairs: tuple[str, str]) -> Content:
    """A line of keys as the facilitator reads it: each key in a block, then what it does."""
    parts: list = []
    for key, meaning in pairs:
        parts += [(f" {key} ", "reverse bold"), f" {meaning}  "]
    return Content.assemble(*parts)


def one_line(text: str) -> str:
    return " ".join(text.split())


def shorten(text: str, limit: int) -> str:
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def clock_text(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))  # 0.2 s left still reads 0:01
    return f"{whole // 60}:{whole % 60:02d}"


class OptionRow(Horizontal):
    """One option on the projector: its letter, the hands counted, the words."""

    def __init__(self, option: VoteOption) -> None:
        super().__init__(classes="option")
        self.option = option

    def compose(self) -> ComposeResult:
        yield Static(f" {self.option.letter} ", classes="letter")
        yield Static("", classes="hands")
        yield Static(plain(one_line(self.option.text)), classes="words")
