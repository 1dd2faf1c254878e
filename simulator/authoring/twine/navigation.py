"""Where a Twine passage can move the reader: links, navigation macros, embeds and comments.

Every story format has its own ways to move on besides ``[[links]]``: Harlowe's
``(link-goto:)``, SugarCube's ``<<link "text" "Passage">>``, Chapbook's
``{link to:}``, Snowman's ``<a data-passage>``. They are found here by reading
the macro calls (quotes and brackets respected), never by running them. A target
is followed only when it is written as a literal passage name; one held in a
variable or computed is reported, since it can only be known while the story
runs. Comments (``/* */``, ``<!-- -->``, SugarCube's ``/% %/``) are blanked
first, so nothing inside them counts.
"""

from __future__ import annotations

import re
from bisect import bisect_right, insort
from dataclasses import dataclass

# A passage "shows" another one inside itself; the other's links are then on its page.
EMBED, BACK, RESTART = "embed", "back", "restart"

_COMMENT = re.compile(r"/\*.*?\*/|<!--.*?-->|/%.*?%/", re.DOTALL)
# [[...]] on one line, as Twine's editor finds links. The first character may
# not be a bracket, so Harlowe's "(if: $x)[[[Go->There]]]" yields the link
# "Go->There" and leaves the hook's brackets as text.
LINK = re.compile(r"\[\[([^\[\]\n][^\n]*?)\]\]")
# Addresses rather than passages: "scheme://…", or a scheme that never takes "//".
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//|^(?:mailto|tel|sms|callto|javascript|data|file|geo|news):",
                       re.IGNORECASE)
# Code rather than a name: a variable ($x, _x, a backquoted expression) or a call such as passage().
_EXPRESSION = re.compile(r"^(?:[$_][A-Za-z]|`)|^[A-Za-z_$][\w.$]*\s*\(.*\)$", re.DOTALL)
_QUOTED = re.compile(r"\"((?:[^\"\\]|\\.)*)\"|'((?:[^'\\]|\\.)*)'", re.DOTALL)

_HARLOWE = re.compile(r"\(([a-z][a-z_-]*):", re.IGNORECASE)
_SUGARCUBE = re.compile(r"<<\s*(goto|link|button|actions|choice|include|display|back|return)\b", re.IGNORECASE)
_CHAPBOOK = re.compile(r"\{(link to|back link|restart link|embed passage(?: named)?|reveal link)\b")
_SNOWMAN_ANCHOR = re.compile(r"<a\b[^>]*?\bdata-passage\s*=\s*(\"[^\"]*\"|'[^']*')[^>]*>(.*?)</a\s*>",
                             re.IGNORECASE | re.DOTALL)
_SNOWMAN_CODE = re.compile(r"\b(?:window\.)?(?:story|Story)\.(show|goto|showDelayed)\(\s*([^),]*)")
# A macro left open would make each search for its end run to the end of the passage: a passage with
# thousands of them (a damaged or hostile file) would take minutes. Each passage gets this many characters
# of searching; past it, macros are not followed, and [[links]] still are.
_SEARCH_BUDGET = 1_000_000
_BODY = 5_000  # how far a <<link>>'s closing tag is looked for: a link's body is a line or two of code
_budget = [0]

# Harlowe macros whose hook, when clicked, runs what is inside it (a (goto:) there is the link's move).
_HARLOWE_LINK_HOOKS = {"link", "linkreveal", "linkrepeat", "linkrerun", "click", "mouseover"}


@dataclass(frozen=True)
class Found:
    """One way the passage moves on, as written, before its target is checked against the story."""

    start: int  # span in the passage text
    end: int
    kind: str  # how it is written, as shown to the trainer: "[[…]]", "(link-goto:)", "<<goto>>", …
    text: str  # what the reader clicks; "" when the story moves on by itself
    argument: str  # the target as written: a quoted string, [[…]], a variable, an expression
    setter: str = ""  # SugarCube / Twine 1 "][$x to 1" part of a [[link]]
    role: str = "move"  # or EMBED (shows another passage here), BACK (goes back), RESTART


@dataclass(frozen=True)
class Scan:
    """A passage's navigation, found in its text with comments blanked out."""

    found: tuple[Found, ...]
    comments: tuple[tuple[int, int], ...]  # spans of the comments
    links_in_comments: int  # [[links]] and navigation macros inside comments: never followed


def scan(text: str) -> Scan:
    """Every link, navigation macro, embed and history link in ``text``, in order of position."""
    _budget[0] = _SEARCH_BUDGET
    comments = tuple((m.start(), m.end()) for m in _COMMENT.finditer(text))
    live = _blank(text, comments)
    in_comments = sum(_count_navigation(text[start:end]) for start, end in comments)
    found: list[Found] = []
    taken: list[tuple[int, int]] = []  # spans already read as one thing (a [[link]] inside <<link>>)
    for finder in (_sugarcube, _harlowe, _chapbook, _snowman):
        for item in finder(live):
            if not _inside(item.start, taken, item.end):
                found.append(item)
                insort(taken, (item.start, item.end))
    for match in LINK.finditer(live):
        if _inside(match.start(), taken):
            continue
        text_part, target, setter = split_link(match.group(1))
        found.append(Found(match.start(), match.end(), "[[…]]", text_part, f"[[{match.group(1)}]]", setter))
    found.sort(key=lambda item: item.start)
    return Scan(tuple(found), comments, in_comments)


def split_link(inner: str) -> tuple[str, str, str]:
    """(text, target, setter) of the text inside ``[[`` and ``]]``, read as Twine 2 reads it.

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
    return (text or target), target, setter.strip()


def target_of(argument: str) -> str | None:
    """The passage an argument names when it is written literally (a quoted string or a [[link]]), else None."""
    argument = argument.strip()
    quoted = _QUOTED.fullmatch(argument)
    if quoted:
        value = quoted.group(1) if quoted.group(1) is not None else quoted.group(2)
        return re.sub(r"\\(.)", r"\1", value, flags=re.DOTALL).strip()
    link = re.fullmatch(r"\[\[(.+?)\]\]", argument, re.DOTALL)
    if link:
        return split_link(link.group(1))[1]
    return None


def is_external(target: str) -> bool:
    return bool(_EXTERNAL.match(target))


def is_expression(target: str) -> bool:
    return bool(_EXPRESSION.match(target))


def literal_text(argument: str) -> str:
    """A link text argument as the reader sees it: the string itself, or the expression as written."""
    value = target_of(argument) if not argument.strip().startswith("[[") else None
    return value if value is not None else argument.strip()


# -- the story formats ------------------------------------------------------------------

def _harlowe(text: str):
    for match in _HARLOWE.finditer(text):
        name = match.group(1).lower().replace("-", "").replace("_", "")
        if name not in ("goto", "linkgoto", "linkrevealgoto", "clickgoto", "mouseovergoto", "mouseoutgoto",
                        "display", "undo", "linkundo", "clickundo", *_HARLOWE_LINK_HOOKS):
            continue
        close = _closing(text, match.end(), "(", ")")
        if close is None:
            continue
        args = _split_args(text[match.end():close])
        end = close + 1
        shown = f"({match.group(1).lower()}:)"
        if name == "goto":
            yield Found(match.start(), end, shown, "", args[0] if args else "")
        elif name in ("linkgoto", "linkrevealgoto"):
            if len(args) >= 2:
                yield Found(match.start(), _after_hook(text, end), shown, literal_text(args[0]), args[1])
            elif args:
                yield Found(match.start(), _after_hook(text, end), shown, literal_text(args[0]), args[0])
        elif name.endswith("goto"):  # click-goto, mouseover-goto, mouseout-goto: (hook or text, passage)
            if len(args) >= 2:
                clicked = target_of(args[0])
                yield Found(match.start(), end, shown, clicked if clicked else f"TODO: (in Twine, "
                            f"{'click' if name == 'clickgoto' else 'point at'} {args[0].strip()})", args[1])
        elif name == "display":
            yield Found(match.start(), end, shown, "", args[0] if args else "", role=EMBED)
        elif name in ("undo", "linkundo", "clickundo"):
            label = literal_text(args[0]) if args and name != "undo" else ""
            yield Found(match.start(), end, shown, label, "", role=BACK)
        elif args and end < len(text) and text[end] == "[":  # (link: "text")[ … (goto: "P") … ]
            hook_end = _closing(text, end + 1, "[", "]")
            if hook_end is None:
                continue
            inner = [item for item in _harlowe(text[end + 1:hook_end]) if item.kind == "(goto:)"]
            label = literal_text(args[0])
            for item in inner:
                text_shown = label if len(inner) == 1 else f"{label} ({target_of(item.argument) or item.argument})"
                yield Found(match.start(), hook_end + 1, f"{shown}[(goto:)]", text_shown, item.argument)


def _after_hook(text: str, end: int) -> int:
    # (link-reveal-goto: "x", "P")[hook]: the hook's text shows for a moment before the move.
    if end < len(text) and text[end] == "[":
        close = _closing(text, end + 1, "[", "]")
        if close is not None:
            return close + 1
    return end


def _sugarcube(text: str):
    for match in _SUGARCUBE.finditer(text):
        name = match.group(1).lower()
        close = _macro_end(text, match.end())
        if close is None:
            continue
        args = _sugar_args(text[match.end():close])
        end = close + 2
        shown = f"<<{name}>>"
        if name == "goto":
            yield Found(match.start(), end, shown, "", args[0] if args else "")
        elif name in ("include", "display"):
            yield Found(match.start(), end, shown, "", args[0] if args else "", role=EMBED)
        elif name in ("back", "return"):
            yield Found(match.start(), end, shown, literal_text(args[0]) if args else "", "", role=BACK)
        elif name == "actions":
            for arg in args:
                yield Found(match.start(), end, shown, _link_text(arg), arg)
        elif name == "choice":
            if args:
                label = literal_text(args[1]) if len(args) > 1 and not args[0].startswith("[[") else _link_text(args[0])
                yield Found(match.start(), end, shown, label, args[0])
        else:  # link, button: a container up to <</link>>, whose body may hold the move
            closing = re.compile(rf"<<\s*/\s*{name}\s*>>|<<\s*end{name}\s*>>", re.IGNORECASE)
            body_end = closing.search(text, end, min(len(text), end + _BODY))
            whole_end = body_end.end() if body_end else end
            body = text[end:body_end.start()] if body_end else ""
            if args and args[0].startswith("[["):
                yield Found(match.start(), whole_end, shown, _link_text(args[0]), args[0])
            elif len(args) >= 2:
                yield Found(match.start(), whole_end, shown, literal_text(args[0]), args[1])
            elif args:
                gotos = [item for item in _sugarcube(body) if item.kind == "<<goto>>"]
                label = literal_text(args[0])
                for item in gotos:
                    text_shown = label if len(gotos) == 1 else f"{label} ({target_of(item.argument) or item.argument})"
                    yield Found(match.start(), whole_end, f"{shown}<<goto>>", text_shown, item.argument)


def _link_text(argument: str) -> str:
    link = re.fullmatch(r"\[\[(.+?)\]\]", argument.strip(), re.DOTALL)
    return split_link(link.group(1))[0] if link else literal_text(argument)


def _chapbook(text: str):
    for match in _CHAPBOOK.finditer(text):
        close = _closing(text, match.end(), "{", "}")
        if close is None:
            continue
        rest = text[match.end():close].lstrip()
        rest = rest[1:] if rest.startswith((":", ",")) else rest
        args = _split_args(rest)
        named = dict(_named(arg) for arg in args if _named(arg))
        kind, end = match.group(1), close + 1
        shown = "{" + kind + "}"
        if kind == "link to":
            label = named.get("label")
            target = args[0] if args else ""
            yield Found(match.start(), end, shown, literal_text(label) if label else (target_of(target) or ""), target)
        elif kind.startswith("embed passage"):
            yield Found(match.start(), end, shown, "", args[0] if args else "", role=EMBED)
        elif kind == "reveal link":
            if "passage" in named:
                yield Found(match.start(), end, shown, "", named["passage"], role=EMBED)
        else:
            label = named.get("label")
            yield Found(match.start(), end, shown, literal_text(label) if label else "",
                        "", role=BACK if kind == "back link" else RESTART)


def _named(argument: str) -> tuple[str, str] | None:
    match = re.fullmatch(r"([a-z][a-z ]*):\s*(.*)", argument.strip(), re.DOTALL)
    return (match.group(1).strip(), match.group(2)) if match else None


def _snowman(text: str):
    for match in _SNOWMAN_ANCHOR.finditer(text):
        label = " ".join(re.sub(r"<[^>]*>", "", match.group(2)).split())
        yield Found(match.start(), match.end(), "<a data-passage>", label, match.group(1))
    for match in _SNOWMAN_CODE.finditer(text):
        yield Found(match.start(), match.end(), f"story.{match.group(1)}()", "", match.group(2))


# -- reading arguments --------------------------------------------------------------------

def _closing(text: str, index: int, opening: str, closing: str) -> int | None:
    """Index of the ``closing`` that ends a group opened just before ``index``; quotes and nesting respected."""
    depth, quote = 1, ""
    pairs = {"(": ")", "[": "]", "{": "}"}
    stack: list[str] = []
    stop, began = min(len(text), index + max(_budget[0], 0)), index
    while index < stop:
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'" and _starts_string(text, index):
            quote = char
        elif char in pairs and char != opening:
            stack.append(pairs[char])
        elif stack and char == stack[-1]:
            stack.pop()
        elif char == opening:
            depth += 1
        elif char == closing:
            depth -= 1
            if depth == 0:
                _budget[0] -= index - began
                return index
        index += 1
    _budget[0] -= index - began
    return None


def _starts_string(text: str, index: int) -> bool:
    # An apostrophe inside a word ("Kacper's") is prose, not the start of a string.
    return not (text[index] == "'" and index > 0 and text[index - 1].isalnum())


def _macro_end(text: str, index: int) -> int | None:
    """Index of the ``>>`` that ends a SugarCube macro's arguments, outside quotes."""
    quote = ""
    stop = min(len(text) - 1, index + max(_budget[0], 0))
    while index < stop:
        _budget[0] -= 1
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'`" and _starts_string(text, index):
            quote = char
        elif text.startswith(">>", index):
            return index
        elif text.startswith("<<", index):
            return None  # another macro starts first: this one is not closed
        index += 1
    return None


def _split_args(args: str) -> list[str]:
    """Top-level comma-separated arguments (Harlowe, Chapbook); quotes and brackets respected."""
    parts, current, depth, quote = [], [], 0, ""
    index = 0
    while index < len(args):
        char = args[index]
        current.append(char)
        if quote:
            if char == "\\" and index + 1 < len(args):
                current.append(args[index + 1])
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'" and _starts_string(args, index):
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            current.pop()
            parts.append("".join(current))
            current = []
        index += 1
    parts.append("".join(current))
    return [part.strip() for part in parts if part.strip()]


def _sugar_args(args: str) -> list[str]:
    """Space-separated SugarCube arguments: quoted strings, [[links]], `expressions` and bare words."""
    pattern = r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'|`[^`]*`|\[\[.*?\]\]|\S+"
    return [match.group(0) for match in re.finditer(pattern, args, re.DOTALL)]


def sugarcube_bare_word(argument: str) -> str | None:
    """SugarCube reads an unquoted word that is not a variable or a keyword as a string."""
    word = argument.strip()
    if re.fullmatch(r"[A-Za-z][\w-]*", word) and word not in ("true", "false", "null", "undefined", "NaN"):
        return word
    return None


def _blank(text: str, spans) -> str:
    # Same length and line breaks as the original, so positions and line numbers still match it.
    out = list(text)
    for start, end in spans:
        for index in range(start, end):
            if out[index] != "\n":
                out[index] = " "
    return "".join(out)


def _inside(position: int, spans: list[tuple[int, int]], end: int = -1) -> bool:
    # Several moves of one macro (<<actions "A" "B">>) share its span; a move inside another's span does not
    # count. The spans do not overlap, so the one that could hold ``position`` is found by bisection.
    index = bisect_right(spans, (position, float("inf"))) - 1
    return index >= 0 and spans[index][0] <= position < spans[index][1] and spans[index] != (position, end)


def _count_navigation(text: str) -> int:
    inner = text[2:-2] if text.startswith(("/*", "/%")) else text[4:-3]
    return sum(1 for item in scan_uncommented(inner) if item.role == "move")


def scan_uncommented(text: str) -> list[Found]:
    """Navigation in ``text`` taken as it is (used for what sits inside a comment)."""
    found, taken = [], []
    for finder in (_sugarcube, _harlowe, _chapbook, _snowman):
        for item in finder(text):
            if not _inside(item.start, taken, item.end):
                found.append(item)
                insort(taken, (item.start, item.end))
    found += [Found(m.start(), m.end(), "[[…]]", "", m.group(0)) for m in LINK.finditer(text)
              if not _inside(m.start(), taken)]
    return found
