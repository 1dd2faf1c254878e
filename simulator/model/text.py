"""Making scenario and user text inert for a terminal.

Text from a scenario file or a learner's name is data: an ANSI or OSC escape
sequence in it must be shown, never obeyed.
"""

from __future__ import annotations

import re

# C0 (but tab and newline), DEL and C1: ESC starts every ANSI, OSC and CSI
# sequence, so written out it leaves the rest of a sequence as plain text.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Characters that draw nothing yet change what is read: bidi embeddings,
# overrides and isolates reorder the text around them (a title can show a
# different name from the one in the file); zero-width spaces, joiners, the
# word joiner, invisible operators and a stray byte-order mark hide in a word;
# the line and paragraph separators break a line where a terminal does not.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_UNSAFE = re.compile(f"{_CONTROL.pattern[:-1]}{_INVISIBLE.pattern[1:]}")


def inert(text: str) -> str:
    """``text`` with control and invisible formatting characters written out
    visibly (ESC becomes ``\\x1b``, a right-to-left override ``\\u202e``)."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}" if ord(m.group()) > 0xff else repr(m.group())[1:-1],
                       text)


def quoted(value: str, limit: int = 80) -> str:
    """``value`` in quotes for a message, inert, and cut short when long: a
    300,000-character condition is named by its start and its length."""
    value = str(value)
    if len(value) <= limit:
        return f"'{inert(value)}'"
    return f"'{inert(value[:limit])}…' ({len(value):,} characters)"


def has_control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def invisible_at(text: str) -> int | None:
    """Where the first bidi override or zero-width character is in ``text`` (an index), if any."""
    found = _INVISIBLE.search(text)
    return found.start() if found else None


def undecodable_at(raw: bytes, error: UnicodeDecodeError) -> tuple[int, int]:
    """The 1-based line and column of the first byte that is not UTF-8.
    Columns count characters, as a YAML parser's and an editor's do, not bytes."""
    before = raw[: error.start]
    line = before.count(b"\n") + 1
    column = len(before[before.rfind(b"\n") + 1:].decode("utf-8", "replace")) + 1
    return line, column
