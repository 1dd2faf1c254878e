"""Writing YAML a trainer will read and edit: block style, comments, text as ``|`` or ``>``.

``yaml.safe_dump`` cannot place comments, so documents are built as
``Mapping``s (keys in the order given, with ``Comment``s between them) and
written here. Every scalar is written in the plainest style that reads back
as exactly the same text; when in doubt, it is double-quoted with escapes.
"""

from __future__ import annotations

import io
import re
import textwrap
from dataclasses import dataclass

import yaml
from yaml.nodes import ScalarNode

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = yaml.SafeLoader(io.StringIO(""))  # used only for its implicit resolvers
_STR = "tag:yaml.org,2002:str"
WIDTH = 88
_PLAIN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 _.,;'’()/?!&+=-]*")
# Characters PyYAML's reader accepts, less the line breaks and BOM that look
# like ordinary characters but are not.
_PRINTABLE = "\t\n\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff"
_UNPRINTABLE = re.compile(f"[^{_PRINTABLE}]")
_COMMENT_UNSAFE = re.compile(f"[^{_PRINTABLE}]|\t")
_QUOTE_UNSAFE = re.compile(f'[^{_PRINTABLE}]|[\\\\"\n\t]')
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0",
            "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}


@dataclass(frozen=True)
class Comment:
    text: str  # one or more lines


class Mapping(list):
    """A YAML mapping as written: ``(key, value)`` pairs and ``Comment``s, in order."""

    def add(self, key: str, value) -> "Mapping":
        self.append((key, value))
        return self

    def note(self, text: str) -> "Mapping":
        self.append(Comment(text))
        return self


def dump(document: Mapping) -> str:
    return "\n".join(lines(document)) + "\n"


def lines(document: Mapping, indent: int = 0) -> list[str]:
    out: list[str] = []
    _mapping(document, indent, out)
    return out


def comment_lines(text: str, indent: int = 0, wrap: bool = True) -> list[str]:
    """``text`` as comment lines, wrapped at spaces to the page width unless ``wrap`` is false.

    Characters that would break YAML (line breaks of other kinds, control
    characters) are written out as escapes."""
    pad = " " * indent
    out = []
    for line in _visible(text).split("\n"):
        room = WIDTH - indent - 2
        if wrap and len(line) > room:
            lead = line[: len(line) - len(line.lstrip())]
            hang = lead + ("  " if line.lstrip().startswith("- ") else "")
            out += textwrap.wrap(line, room, subsequent_indent=hang, break_long_words=False,
                                 break_on_hyphens=False) or [line]
        else:
            out.append(line)
    return [f"{pad}# {line}".rstrip() for line in out]


def _visible(text: str) -> str:
    return _COMMENT_UNSAFE.sub(lambda match: _escape(match.group()), text.replace("\r\n", "\n"))


def _mapping(mapping: Mapping, indent: int, out: list[str]) -> None:
    for item in mapping:
        if isinstance(item, Comment):
            out.extend(comment_lines(item.text, indent))
        else:
            _field(*item, indent, out)


def _field(key: str, value, indent: int, out: list[str]) -> None:
    head = " " * indent + _scalar_inline(str(key)) + ":"
    if isinstance(value, Mapping):
        if any(not isinstance(item, Comment) for item in value):
            out.append(head)
            _mapping(value, indent + 2, out)
        else:
            out.append(head + " {}")
    elif isinstance(value, list):
        if value:
            out.append(head)
            _sequence(value, indent + 2, out)
        else:
            out.append(head + " []")
    else:
        out.extend(_scalar(head, value, indent + 2))


def _sequence(items: list, indent: int, out: list[str]) -> None:
    pad = " " * indent
    for item in items:
        if isinstance(item, Mapping):
            leading = 0
            while leading < len(item) and isinstance(item[leading], Comment):
                out.extend(comment_lines(item[leading].text, indent))
                leading += 1
            body: list[str] = []
            _mapping(Mapping(item[leading:]), indent + 2, body)
            if body:
                body[0] = pad + "- " + body[0][indent + 2:]
                out.extend(body)
            else:
                out.append(pad + "- {}")
        else:
            out.extend(_scalar(pad + "-", item, indent + 2))


def _scalar(head: str, value, indent: int) -> list[str]:
    """``head`` followed by ``value``, on as many lines as the value needs."""
    if isinstance(value, bool):
        return [f"{head} {'true' if value else 'false'}"]
    if isinstance(value, int):
        return [f"{head} {value}"]
    text = str(value)
    long = "\n" in text or len(text) > WIDTH - len(head)
    if not long and _is_plain(text):
        return [f"{head} {text}"]
    if not long and '"' in text and "'" not in text and not _UNPRINTABLE.search(text):
        return [f"{head} '{text}'"]  # dialogue reads better without escaped quotes
    if long or '"' in text:
        block = _block(text, indent)
        if block is not None:
            return [f"{head} {block[0]}", *block[1:]]
    return [f"{head} {_scalar_inline(text)}"]


def _is_plain(text: str) -> bool:
    # The pattern rules out YAML's indicators; the resolver rules out text
    # that would read back as a number, a date, a boolean or null.
    return (len(text) <= WIDTH and bool(_PLAIN.fullmatch(text)) and not text.endswith(" ")
            and _RESOLVER.resolve(ScalarNode, text, (True, False)) == _STR)


def _scalar_inline(text: str) -> str:
    if _is_plain(text):
        return text
    return '"' + _QUOTE_UNSAFE.sub(lambda match: _ESCAPES.get(match.group()) or _escape(match.group()), text) + '"'


def _escape(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02X}" if code < 0x100 else f"\\u{code:04X}" if code < 0x10000 else f"\\U{code:08X}"


def _block(text: str, indent: int) -> list[str] | None:
    """``text`` as a literal (several lines) or folded (one long line) block, or None when it cannot be one."""
    if _UNPRINTABLE.search(text) or re.search(r"[ \t]$", text, re.MULTILINE):
        return None  # trailing spaces would be invisible, and editors strip them
    pad = " " * indent
    if "\n" in text:
        body = text[:-1] if text.endswith("\n") else text
        header = "|" if text.endswith("\n") else "|-"
        block = [header, *[pad + line if line else "" for line in body.split("\n")]]
    else:
        block = [">-", *[pad + line for line in _fold(text, max(40, WIDTH - indent))]]
    # Leading spaces, trailing blank lines and the like change the meaning of a
    # block; rather than reason about each, read it back.
    return block if _reads_back("\n".join(block), text) else None


def _fold(text: str, width: int) -> list[str]:
    # Break only at a single space between words: a folded block turns each
    # line break back into exactly one space.
    words = re.split(r"(?<=\S) (?=\S)", text)
    out, line = [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    out.append(line)
    return out


def _reads_back(written: str, text: str) -> bool:
    try:
        return yaml.load("k: " + written + "\n", Loader=_Loader) == {"k": text}
    except yaml.YAMLError:
        return False
