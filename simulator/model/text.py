"""Making scenario and user text inert for a terminal.

Text from a scenario file or a learner's name is data: an ANSI or OSC escape
sequence in it must be shown, never obeyed.
"""

from __future__ import annotations

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def inert(text: str) -> str:
    """``text`` with control characters written out visibly (ESC becomes ``\\x1b``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def undecodable_at(raw: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    """The 1-based line and column of the first byte that is not UTF-8.
    Columns count characters, as a YAML parser's and an editor's do, not bytes."""
    before = raw[: error.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return line, column
