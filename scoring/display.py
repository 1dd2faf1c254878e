"""Small wording helpers shared by feedback and the report formats.

Text in a debrief comes from scenario authors and learners, so every format
passes it through ``visible`` before escaping it for its own syntax.
"""

from __future__ import annotations

import re

# C0 and C1 control characters other than tab and newline. An ANSI colour
# code in a choice text would otherwise recolour the terminal of whoever
# ``cat``s a report, and C1's single-byte CSI (\x9b) does the same.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidi overrides and isolates, zero-width characters and the line separators:
# they draw nothing, yet reorder or hide the words around them (a report could
# read differently from the file it came from). Shown as U+FFFD, one character
# for one, so offsets into the text still point at the same words.
_INVISIBLE = re.compile("[\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
_WHITESPACE = re.compile(r"\s+")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # U+2400 block: ␀ … ␟, so ESC shows as ␛
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 has no control pictures


def visible(text: str) -> str:
    """``text`` with control characters shown as symbols instead of acting."""
    return _INVISIBLE.sub("\ufffd", _CONTROL.sub(_picture, text))


def one_line(text: str) -> str:
    """``text`` made visible, with every run of whitespace (newlines included)
    collapsed to one space, for table cells and sentences."""
    return _WHITESPACE.sub(" ", visible(text)).strip()


def shorten(text: str, limit: int = 90) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit``
    characters with an ellipsis, so a quoted choice fits in a sentence."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:.") + "…"


def format_score(score: float | None) -> str:
    """A 0-100 score as people read it: ``"75"``, ``"62.5"``, ``"33.3"``; or
    ``"not assessed"`` when there was no opportunity to show it."""
    if score is None:
        return "not assessed"
    rounded = round(score, 1)
    if rounded == int(rounded):
        return str(int(rounded))
    return f"{rounded:.1f}"


def outcome_label(outcome: str) -> str:
    """A scenario outcome id as words: ``child-at-risk`` → ``Child at risk``."""
    return outcome.replace("-", " ").replace("_", " ").strip().capitalize()


def count(number: int, singular: str, plural: str | None = None) -> str:
    """``"1 opportunity"``, ``"3 opportunities"``."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"
