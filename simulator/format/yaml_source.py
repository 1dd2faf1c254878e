"""Safe, bounded YAML reading that remembers where every value came from.

PyYAML's own loaders keep the last of two duplicate keys without a word,
recurse once per nesting level and expand aliases without limit.  Here the
document is built from the parser's event stream instead, so that:

* only plain YAML types are built (no ``!!python/...`` or custom tags);
* duplicate mapping keys are reported;
* nesting depth, alias expansion and file size are bounded, so hostile input
  is refused quickly in bounded memory;
* every key and value has a line and column for diagnostics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml import events
from yaml.constructor import SafeConstructor
from yaml.nodes import ScalarNode

from simulator.model.diagnostics import Diagnostic
from simulator.model.text import undecodable_at

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

MAX_BYTES = 8 * 1024 * 1024  # a 10,000-node scenario is about 6.5 MB
MAX_DEPTH = 64
# Values built, counting every expansion of an alias: a 10,000-node scenario
# has about 400,000; a "billion laughs" file has 10**9.
MAX_VALUES = 2_000_000

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")} | {"!"}

Path = tuple  # of str keys and int indices


@dataclass
class Positions:
    """0-based (line, column) of each key and each value, by path."""

    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)

    def of_value(self, path: Path) -> tuple[int, int]:
        """Where the value at ``path`` starts (or its nearest known ancestor)."""
        return self._nearest(self.values, path)

    def of_key(self, path: Path) -> tuple[int, int]:
        """Where the key naming ``path`` is written (falls back to the value)."""
        if path in self.keys:
            return self.keys[path]
        return self._nearest(self.values, path)

    @staticmethod
    def _nearest(table: dict, path: Path) -> tuple[int, int]:
        path = tuple(path)
        while path:
            if path in table:
                return table[path]
            path = path[:-1]
        return table.get((), (0, 0))


@dataclass
class YamlDocument:
    data: Any
    positions: Positions


class _Refused(Exception):
    """Stop building: the input is over a limit or unreadable."""


@dataclass(slots=True)
class _Frame:
    container: Any
    path: Path
    anchor: str | None
    start: tuple[int, int]
    weight: int = 1
    key: Any = None
    has_key: bool = False
    key_mark: tuple[int, int] = (0, 0)


_constructor = SafeConstructor()
# First characters that can begin an implicitly typed plain scalar.
_IMPLICIT_FIRST = frozenset(first for first in _Loader.yaml_implicit_resolvers if first)
_SCALAR_BUILDERS = {
    f"{_TAG}null": lambda node: None,
    f"{_TAG}bool": _constructor.construct_yaml_bool,
    f"{_TAG}int": _constructor.construct_yaml_int,
    f"{_TAG}float": _constructor.construct_yaml_float,
}


def too_large(size: int, path: str) -> Diagnostic:
    return Diagnostic(
        path, 1, 1, "error",
        f"the file is {size / 1048576:.1f} MB; scenario files are limited to {MAX_BYTES // 1048576} MB",
        "split the scenario, or check that this is the file you meant",
    )


def decode(raw: bytes, path: str) -> tuple[str | None, list[Diagnostic]]:
    """Text of a scenario file, or a diagnostic naming the first bad byte."""
    if len(raw) > MAX_BYTES:
        return None, [too_large(len(raw), path)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = undecodable_at(raw, exc)
        return None, [
            Diagnostic(
                path, line, column, "error",
                f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} cannot be decoded)",
                "save the file as UTF-8 in your editor",
            )
        ]
    return text.removeprefix("\ufeff"), []


def parse(text: str, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Build one YAML document from ``text``; diagnostics say why it could not be."""
    diagnostics: list[Diagnostic] = []
    builder = _Builder(path, diagnostics)
    loader = _Loader(text)
    try:
        while True:
            try:
                event = loader.get_event()
            except yaml.MarkedYAMLError as exc:
                diagnostics.append(_syntax_error(exc, text, path))
                return None, diagnostics
            except yaml.YAMLError as exc:
                diagnostics.append(Diagnostic(path, 1, 1, "error", f"YAML: {exc}", "save the file as plain UTF-8 text"))
                return None, diagnostics
            if event is None or isinstance(event, events.StreamEndEvent):
                break
            builder.feed(event)
    except _Refused:
        return None, diagnostics
    finally:
        loader.dispose()
    if builder.documents == 0 or builder.root_set is False:
        diagnostics.append(
            Diagnostic(path, 1, 1, "error", "the file is empty", "start from `rehearse new ID`, or see docs/authoring.md")
        )
        return None, diagnostics
    return YamlDocument(builder.root, builder.positions), diagnostics


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, path: str) -> Diagnostic:
    """libyaml's complaint, in a trainer's words where we can tell what went wrong."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = exc.problem or ""
    hint = "check the indentation and quoting around this line"
    if "maximum nesting depth" in problem:
        return Diagnostic(path, line, column, "error", f"the file nests more than {MAX_DEPTH} levels deep",
                          "a scenario needs only a few levels; check for runaway brackets")
    lines = text.splitlines()
    if mark and mark.line < len(lines) and lines[mark.line][mark.column:mark.column + 1] == "\t":
        return Diagnostic(path, line, column, "error", "a tab is used for indentation; YAML needs spaces",
                          "replace the tab with spaces (most editors have a setting to insert spaces)")
    if "mapping values are not allowed" in problem:
        # The commonest slip in prose: `title: Below threshold: a challenge`.
        return Diagnostic(path, line, column, "error",
                          "a colon followed by a space inside text that is not in quotes",
                          'put the whole text in double quotes, e.g. title: "Below threshold: a challenge", '
                          "or use > on the key's line and the text indented below it")
    message = " ".join(part for part in (exc.context, problem) if part) or "invalid YAML"
    context = exc.context_mark
    if context is not None and mark is not None and (context.line, context.column) != (mark.line, mark.column):
        message += f" (the structure began at line {context.line + 1}, column {context.column + 1})"
    return Diagnostic(path, line, column, "error", f"YAML syntax: {message}", hint)


def load(raw: bytes, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Decode and parse a scenario file's bytes."""
    text, diagnostics = decode(raw, path)
    if text is None:
        return None, diagnostics
    return parse(text, path)


class _Builder:
    def __init__(self, path: str, diagnostics: list[Diagnostic]) -> None:
        self.path = path
        self.diagnostics = diagnostics
        self.stack: list[_Frame] = []
        self.anchors: dict[str, tuple[Any, int]] = {}
        self.positions = Positions()
        self.values_built = 0
        self.documents = 0
        self.root: Any = None
        self.root_set = False

    # -- reporting --------------------------------------------------------
    def _error(self, mark, message: str, hint: str) -> None:
        self.diagnostics.append(Diagnostic(self.path, mark[0] + 1, mark[1] + 1, "error", message, hint))

    def _refuse(self, mark, message: str, hint: str) -> None:
        self._error(mark, message, hint)
        raise _Refused

    # -- events ------------------------------------------------------------
    def feed(self, event) -> None:
        kind = type(event)
        start = event.start_mark
        mark = (start.line, start.column)
        if kind is events.ScalarEvent:  # by far the most frequent: keep it first and lean
            if event.tag is not None:
                self._check_tag(event, mark)
            self._add(self._scalar(event), mark, event.anchor, 1)
        elif kind is events.MappingStartEvent or kind is events.SequenceStartEvent:
            if event.tag is not None:
                self._check_tag(event, mark)
            if len(self.stack) >= MAX_DEPTH:
                self._refuse(mark, f"the file nests more than {MAX_DEPTH} levels deep",
                             "a scenario needs only a few levels; check for runaway indentation or brackets")
            container = {} if kind is events.MappingStartEvent else []
            self.stack.append(_Frame(container, self._child_path(), event.anchor, mark))
        elif kind is events.MappingEndEvent or kind is events.SequenceEndEvent:
            frame = self.stack.pop()
            self._add(frame.container, frame.start, frame.anchor, frame.weight, built=True)
        elif kind is events.AliasEvent:
            if event.anchor not in self.anchors:
                self._refuse(mark, f"unknown alias '*{event.anchor}'", "define the anchor with '&name' before using it")
            value, weight = self.anchors[event.anchor]
            self._add(value, mark, None, weight)
        elif kind is events.DocumentStartEvent:
            self.documents += 1
            if self.documents > 1:
                self._refuse(mark, "the file holds more than one YAML document",
                             "keep one scenario per file and remove the second '---'")

    def _check_tag(self, event, mark) -> None:
        tag = event.tag
        if tag is None or tag in _PLAIN_TAGS:
            return
        if isinstance(event, events.ScalarEvent) and event.implicit[0]:
            return
        shown = tag.replace(_TAG, "!!")
        self._refuse(mark, f"the YAML tag '{shown}' is not allowed",
                     "scenario files use plain YAML: remove the tag (anything starting with '!')")

    def _scalar(self, event) -> Any:
        value = event.value
        if event.style or not event.implicit[0]:
            return value  # quoted or block scalars are always text
        tag = event.tag
        if tag is None or tag == "!":
            if value[:1] not in _IMPLICIT_FIRST and value != "":
                return value  # no implicit type (null, bool, int, float) starts this way
            tag = _Loader.resolve(_Loader, ScalarNode, value, event.implicit)
        builder = _SCALAR_BUILDERS.get(tag)
        if builder is None:
            return value  # str, and timestamps kept as the text written
        try:
            return builder(ScalarNode(tag, value))
        except (ValueError, yaml.YAMLError):
            return value

    def _child_path(self) -> Path:
        if not self.stack:
            return ()
        parent = self.stack[-1]
        if isinstance(parent.container, list):
            return parent.path + (len(parent.container),)
        if parent.has_key:
            return parent.path + (parent.key,)
        return parent.path + ("<key>",)

    def _add(self, value: Any, mark, anchor: str | None, weight: int, built: bool = False) -> None:
        # A closed container's children were counted as they were added; an
        # alias counts everything it expands to.
        self.values_built += 1 if built else weight
        if self.values_built > MAX_VALUES:
            self._refuse(mark, "the file expands to too many values (aliases nested inside aliases?)",
                         "scenario files rarely need anchors and aliases; write the values out")
        if anchor is not None:
            self.anchors[anchor] = (value, weight)
        if not self.stack:
            self.root, self.root_set = value, True
            self.positions.values[()] = mark
            return
        parent = self.stack[-1]
        parent.weight += weight
        if isinstance(parent.container, list):
            path = parent.path + (len(parent.container),)
            parent.container.append(value)
            self.positions.values[path] = mark
        elif not parent.has_key:
            if isinstance(value, (dict, list)):
                self._error(mark, "a mapping key must be plain text", "write the key as a single word followed by ':'")
                value = repr(value)
            elif value is None:
                value = "null"
            parent.key, parent.has_key, parent.key_mark = value, True, mark
        else:
            key = parent.key
            path = parent.path + (key,)
            if key in parent.container:
                first = self.positions.keys.get(path, (0, 0))
                self._error(parent.key_mark, f"duplicate key '{key}' (first written at line {first[0] + 1})",
                            "remove one of the two; YAML would silently keep only the last")
            else:
                parent.container[key] = value
                self.positions.keys[path] = parent.key_mark
                self.positions.values[path] = mark
            parent.has_key = False
