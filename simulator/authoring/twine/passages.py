"""What is in a Twine passage's text: links, and the story-format code around them.

Links become a scenario's options; everything else stays as text. Macros,
variables and HTML are never run or translated, only found, so the importer
can tell the trainer exactly what Rehearse will show as plain text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# [[...]] on one line, as Twine's editor finds links. The first character may
# not be a bracket, so Harlowe's "(if: $x)[[[Go->There]]]" yields the link
# "Go->There" and leaves the hook's brackets as text.
_LINK = re.compile(r"\[\[([^\[\]\n][^\n]*?)\]\]")
_EXTERNAL = re.compile(r"^\w+://", re.ASCII)
# What may surround links on a line that is only a list of links.
_LIST_DECORATION = re.compile(r"^[\s*\-•·|,.;/]*$")


@dataclass(frozen=True)
class Link:
    text: str  # what the reader clicks: the learner's option
    target: str  # the passage it leads to
    setter: str = ""  # SugarCube / Twine 1 "][$x to 1" part, as written
    markup: str = ""  # the whole [[...]] as written


def parse_link(inner: str) -> Link | None:
    """The link inside ``[[`` and ``]]``, read as Twine 2 reads it; None when it names no target.

    The rightmost ``->`` and the leftmost ``<-`` divide text from target, then
    the rightmost ``|``; ``[[Name]]`` is both. A setter follows ``][``."""
    link, _, setter = inner.partition("][")
    if "->" in link:
        text, _, target = link.rpartition("->")
    elif "<-" in link:
        target, _, text = link.partition("<-")
    elif "|" in link:
        text, _, target = link.rpartition("|")
    else:
        text = target = link
    text, target = text.strip(), target.strip()
    if not target:
        return None
    return Link(text or target, target, setter.strip(), f"[[{inner}]]")


@dataclass(frozen=True)
class PassageText:
    """A passage's text split into what the learner reads and the links they can follow."""

    text: str  # link-only lines removed, other links replaced by their text
    links: tuple[Link, ...]
    external: tuple[str, ...]  # links to web addresses, kept as text
    broken: tuple[str, ...]  # [[...]] with no target, kept as text


def read_passage(raw: str) -> PassageText:
    links: list[Link] = []
    external: list[str] = []
    broken: list[str] = []
    lines = []
    for line in raw.split("\n"):
        found = list(_LINK.finditer(line))
        if not found:
            lines.append(line)
            continue
        kept_links = []
        for match in found:
            link = parse_link(match.group(1))
            if link is None:
                broken.append(match.group(0))
            elif _EXTERNAL.match(link.target):
                external.append(match.group(0))
            else:
                links.append(link)
                kept_links.append(match)
        if kept_links and _LIST_DECORATION.match(_remove(line, kept_links, lambda m: "")):
            continue  # a line that only offers links: the options say it now
        lines.append(_remove(line, kept_links, lambda m: parse_link(m.group(1)).text))
    text = "\n".join(lines).strip("\n")
    return PassageText(text if text.strip() else "", tuple(links), tuple(external), tuple(broken))


def _remove(line: str, matches, replacement) -> str:
    out, last = [], 0
    for match in matches:
        out.append(line[last:match.start()])
        out.append(replacement(match))
        last = match.end()
    out.append(line[last:])
    return "".join(out)


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

# Macros that move the reader to another passage: options the importer could
# not see, so the trainer must add them by hand.
_NAVIGATION = {
    "goto", "link-goto", "click-goto", "mouseover-goto", "mouseout-goto", "link-reveal-goto", "link-undo",
    "undo", "redirect", "link", "button", "actions", "choice", "back", "return", "linkreplace",
}


@dataclass(frozen=True)
class Code:
    kind: str  # e.g. "Harlowe macros"
    items: tuple[str, ...]  # each distinct one, in order of appearance, as shown to the trainer
    navigation: tuple[str, ...]  # those that move to another passage


def find_code(text: str) -> list[Code]:
    """The story-format code in ``text``, by kind; empty when it is plain prose."""
    found = []
    for kind, pattern, shape in _FINDERS:
        is_macro = "macros" in kind
        items: dict[str, bool] = {}  # as shown -> whether it navigates
        for match in pattern.finditer(text):
            name = match.group(1).lower() if is_macro else match.group(1)
            items.setdefault(shape.format(name), is_macro and name in _NAVIGATION)
        if items:
            found.append(Code(kind, tuple(items), tuple(item for item, moves in items.items() if moves)))
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

    def make(self, name: str) -> str:
        base = slug(name) or self.fallback
        candidate, number = base, 2
        while candidate in self.taken:
            candidate, number = f"{base}-{number}", number + 1
        self.taken.add(candidate)
        return candidate
