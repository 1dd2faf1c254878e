"""What is in a Twine passage's text: its ways on, and the story-format code around them.

Links and navigation macros with a literal target (found by ``navigation``)
become a scenario's options, and leave the text as links do; everything else
stays as text. Macros, variables and HTML are never run or translated, only
found, so the importer can tell the trainer exactly what Rehearse will show as
plain text.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from typing import Callable

from simulator.authoring.twine.navigation import (BACK, EMBED, RESTART, is_expression, is_external, scan,
                                                  sugarcube_bare_word, target_of)

# What may surround links on a line that is only a list of links (Chapbook writes a fork as "> [[…]]").
_LIST_DECORATION = re.compile(r"^[\s*\-•·|,.;/>]*$")
# Marks used while the shown text is put together: they cannot come from the story, whose own
# private-use characters are replaced first.
_OPEN, _CLOSE, _GONE, _EMBED = "\ue000", "\ue001", "\ue002", "\ue003"
_MARKS = re.compile("[\ue000-\ue003]")


@dataclass(frozen=True)
class Move:
    """A way on from the passage to a named passage: the learner's option."""

    text: str  # what the reader clicks: the option's text
    target: str  # the passage it leads to (which may not exist)
    kind: str  # how the story writes it: "[[…]]", "(link-goto:)", "<<goto>>", …
    line: int  # line within the passage, from 0
    setter: str = ""  # SugarCube / Twine 1 "][$x to 1" part, as written
    markup: str = ""  # as written
    automatic: bool = False  # the story moves on by itself ((goto:), <<goto>>, story.show()): no text to click


@dataclass(frozen=True)
class Unfollowed:
    """Navigation whose target is a variable or an expression: it can be known only while the story runs."""

    markup: str
    line: int


@dataclass(frozen=True)
class PassageText:
    """A passage's text split into what the learner reads and the ways on from it."""

    text: str  # link-only lines removed, other links replaced by their text, comments removed
    moves: tuple[Move, ...]
    external: tuple[str, ...]  # links to web or email addresses, kept as text
    broken: tuple[str, ...]  # [[...]] with no target, or an embed of a passage that does not exist
    unfollowed: tuple[Unfollowed, ...]
    embeds: tuple[tuple[str, int], ...]  # (passage shown here, line)
    back: tuple[tuple[str, int], ...]  # (label, line) of links back to the previous passage
    restarts: int  # links that start the story again
    comments: tuple[str, ...]
    links_in_comments: int


def read_passage(raw: str, names, embedded: Callable[[str], str] = lambda name: "") -> PassageText:
    """The passage text ``raw`` read against the story's passage ``names``.

    ``embedded(name)`` gives the shown text of a passage this one embeds; it
    takes the embed's place in the text."""
    raw = _MARKS.sub("\ufffd", raw)
    found = scan(raw)
    moves, external, broken, unfollowed, embeds, back = [], [], [], [], [], []
    restarts = 0
    edits: list[tuple[int, int, str]] = [(start, end, _GONE) for start, end in found.comments]
    breaks = [index for index, char in enumerate(raw) if char == "\n"]
    for item in found.found:
        line = bisect_right(breaks, item.start - 1)
        markup = raw[item.start:item.end]
        if item.role == RESTART:
            restarts += 1
            continue
        if item.role == BACK:
            back.append((item.text, line))
            continue
        target = target_of(item.argument)
        if target is None and item.kind.startswith("<<"):
            word = sugarcube_bare_word(item.argument)
            target = word if word in names else None
        if item.role == EMBED:
            if target is None or (target not in names and is_expression(target)):
                unfollowed.append(Unfollowed(markup, line))
            elif target in names:
                embeds.append((target, line))
                edits.append((item.start, item.end, f"{_EMBED}{len(embeds) - 1}{_EMBED}"))
            else:
                broken.append(markup)
            continue
        if target is None or (target not in names and is_expression(target)):
            unfollowed.append(Unfollowed(markup, line))
        elif not target:
            broken.append(markup)
        elif target not in names and is_external(target):
            external.append(markup)
        else:
            automatic = not item.text
            moves.append(Move(item.text or target, target, item.kind, line, item.setter, markup, automatic))
            edits.append((item.start, item.end, _GONE if automatic else f"{_OPEN}{item.text}{_CLOSE}"))
    text = _shown(raw, edits)
    for index, (name, _) in enumerate(embeds):
        text = text.replace(f"{_EMBED}{index}{_EMBED}", embedded(name))
    text = _MARKS.sub("", text).strip("\n")
    comments = tuple(raw[start:end] for start, end in found.comments)
    return PassageText(text if text.strip() else "", tuple(moves), tuple(external), tuple(broken),
                       tuple(unfollowed), tuple(embeds), tuple(back), restarts, comments, found.links_in_comments)


def _shown(raw: str, edits: list[tuple[int, int, str]]) -> str:
    """The text with each edit made; a line left with nothing but decoration is dropped."""
    out, last = [], 0
    for start, end, replacement in sorted(edits):
        if start < last:
            continue  # inside an edit already made
        out += [raw[last:start], replacement]
        last = end
    out.append(raw[last:])
    lines = []
    for line in "".join(out).split("\n"):
        if _OPEN in line or _GONE in line:
            bare = re.sub(f"{_OPEN}[^{_CLOSE}]*{_CLOSE}|{_GONE}", "", line)
            if _LIST_DECORATION.match(bare) and _EMBED not in bare:
                continue  # a line that only offered ways on (or held a comment): the options say it now
            line = line.replace(_GONE, "")
        lines.append(line)
    return "\n".join(lines)


# -- story-format code, found and named but never run ------------------------------

_FINDERS: tuple[tuple[str, re.Pattern, str], ...] = (
    # (what to call them, pattern, how to show one: "{}" is the first group)
    ("Harlowe macros", re.compile(r"\(([a-z][a-z0-9-]*):(?!//)", re.IGNORECASE), "({}:)"),
    ("SugarCube macros", re.compile(r"<<\s*([A-Za-z][\w-]*)"), "<<{}>>"),
    ("Snowman templates", re.compile(r"<%(=?)"), "<%…%>"),
    ("story variables", re.compile(r"(?<![\w$])(\$[A-Za-z_]\w*)"), "{}"),
    ("temporary variables", re.compile(r"(?<![\w$])(_[A-Za-z]\w*)"), "{}"),
    ("HTML tags", re.compile(r"(?<!<)</?([A-Za-z][\w-]*)(?:\s[^<>\n]*)?/?>"), "<{}>"),
    ("Chapbook inserts", re.compile(r"\{([a-z][a-z ]*[a-z])(?:[:,][^{}\n]*)?\}"), "{{{}}}"),
    ("Chapbook modifiers", re.compile(r"^\[([a-z][a-z' ]*)(?:\s[^\[\]\n]*)?\]\s*$", re.MULTILINE), "[{}]"),
)

@dataclass(frozen=True)
class Code:
    kind: str  # e.g. "Harlowe macros"
    items: tuple[str, ...]  # each distinct one, in order of appearance, as shown to the trainer


def find_code(text: str) -> list[Code]:
    """The story-format code in ``text``, by kind; empty when it is plain prose."""
    found = []
    for kind, pattern, shape in _FINDERS:
        is_macro = "macros" in kind
        items: dict[str, None] = {}  # as shown, in order of appearance
        for match in pattern.finditer(text):
            items.setdefault(shape.format(match.group(1).lower() if is_macro else match.group(1)))
        if items:
            found.append(Code(kind, tuple(items)))
    return found


# -- ids ------------------------------------------------------------------------

def slug(name: str, limit: int = 48) -> str:
    """``name`` as lowercase letters, digits and hyphens ("Ring the MASH back" -> "ring-the-mash-back").

    Empty when nothing is left (a name in a non-Latin script, or only symbols)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"['’]", "", ascii_name.lower())
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    if len(text) > limit:
        cut = text[:limit]
        text = cut.rsplit("-", 1)[0] if "-" in cut else cut
    return text.strip("-")


class IdMaker:
    """Unique ids from names, deterministically: the first "Start" is ``start``, the next ``start-2``."""

    def __init__(self, fallback: str) -> None:
        self.taken: set[str] = set()
        self.fallback = fallback
        self.next_number: dict[str, int] = {}  # so that the 2,000th "go" does not try 1,999 numbers first

    def make(self, name: str) -> str:
        base = slug(name) or self.fallback
        candidate, number = base, self.next_number.get(base, 2)
        if base in self.taken:
            candidate = f"{base}-{number}"
        while candidate in self.taken:
            number += 1
            candidate = f"{base}-{number}"
        self.next_number[base] = number + 1 if candidate != base else number
        self.taken.add(candidate)
        return candidate
