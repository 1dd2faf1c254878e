"""Whole-word phrase matching over an utterance.

Marker tables are data (JSON beside this module): lists of plain phrases such
as ``"i am worried"``, matched on whole words, ignoring case and curly quotes.
A phrase may say a little more than its words:

- ``[really|very|]`` — one of these words here; the empty choice makes it optional;
- ``escalat*`` — any word beginning *escalat* (escalate, escalation, escalating);
- ``{number}`` — any entry of the shared list of that name (``"classes"`` in the table);
- ``#`` — any number written in figures (4, 86%, 14/10, 9.30);
- ``~`` — any one word (``[~|]`` for none or one).

Each list is compiled once into one regular expression, so matching a whole
utterance is a single pass per list.
"""

from __future__ import annotations

import json
import os
import re
from typing import NamedTuple

from scoring.free_text.text import Utterance

# Between two words of a phrase only spaces, a hyphen or a slash may stand.
_SEPARATOR = r"[ \-/]+"
_BEFORE = r"(?<![\w'])"
_AFTER = r"(?![\w'])"
_FIGURES = r"\d+(?:[.:/,]\d+)*(?:st|nd|rd|th|am|pm|%)?"
_TOKEN = re.compile(r"\[[^\]]*\]|\{\w+\}|\S+")


class Hit(NamedTuple):
    """A phrase found in the text: which list it belongs to, and where."""

    name: str
    start: int
    end: int

    def words(self, utterance: Utterance) -> str:
        return utterance.text[self.start:self.end]


def read_table(name: str) -> dict:
    """A marker table shipped beside this module, parsed."""
    # Read beside this module (a plain path, not importlib.resources, which
    # alone costs a fifth of the import budget); the wheel installs these files.
    with open(os.path.join(os.path.dirname(__file__), name), encoding="utf-8") as handle:
        return json.load(handle)


def _word(word: str) -> str:
    if word == "#":
        return _FIGURES
    if word == "~":
        return r"[\w][\w'-]*"
    if word.endswith("*") and len(word) > 1:
        return re.escape(word[:-1]) + r"[\w']*"
    return re.escape(word)


def _alternatives(choices: list[str], classes: dict[str, list[str]]) -> tuple[str, bool]:
    optional = any(not choice.strip() for choice in choices)
    patterns = [phrase_pattern(choice, classes) for choice in choices if choice.strip()]
    return "(?:" + "|".join(patterns) + ")", optional


def phrase_pattern(phrase: str, classes: dict[str, list[str]] | None = None) -> str:
    """The regular expression (without word boundaries) for one phrase."""
    classes = classes or {}
    parts: list[tuple[str, bool]] = []
    for token in _TOKEN.findall(phrase.lower().strip()):
        if token.startswith("[") and token.endswith("]"):
            parts.append(_alternatives(token[1:-1].split("|"), classes))
        elif token.startswith("{") and token.endswith("}"):
            parts.append(_alternatives(classes[token[1:-1]], classes))
        else:
            parts.append((_word(token), False))
    pattern = ""
    pending_separator = False
    for index, (part, optional) in enumerate(parts):
        if optional:
            pattern += f"(?:{_SEPARATOR}{part})?" if pending_separator else f"(?:{part}{_SEPARATOR})?"
        else:
            pattern += (_SEPARATOR if pending_separator else "") + part
            pending_separator = True
    return pattern


def compile_phrases(phrases: list[str], classes: dict[str, list[str]] | None = None) -> re.Pattern[str]:
    """One pattern matching any of ``phrases`` as whole words, longest first."""
    alternatives = sorted((phrase_pattern(p, classes) for p in phrases if p.strip()), key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER)


class MarkerLists:
    """Named phrase lists, each compiled to one pattern."""

    def __init__(self, lists: dict[str, list[str]], classes: dict[str, list[str]] | None = None):
        self.patterns = {name: compile_phrases(lists[name], classes) for name in sorted(lists)}

    def find(self, utterance: Utterance, name: str) -> list[Hit]:
        return [Hit(name, m.start(), m.end()) for m in self.patterns[name].finditer(utterance.folded)]

    def find_all(self, utterance: Utterance) -> list[Hit]:
        hits = [hit for name in self.patterns for hit in self.find(utterance, name)]
        hits.sort(key=lambda hit: (hit.start, hit.name))
        return hits

    def starting_at(self, utterance: Utterance, name: str, positions: list[int]) -> list[Hit]:
        pattern = self.patterns[name]
        hits = []
        for position in positions:
            match = pattern.match(utterance.folded, position)
            if match:
                hits.append(Hit(name, match.start(), match.end()))
        return hits


def sentence_starts(utterance: Utterance) -> list[int]:
    """The offset of the first word of each sentence, passing over an @name
    (a reply on a forum) so the words after it count as the start."""
    starts = []
    position = 0
    words = utterance.words
    for start, end in utterance.sentences:
        while position < len(words) and words[position].start < start:
            position += 1
        index = position
        if index < len(words) and words[index].start < end:
            if words[index].start > 0 and utterance.folded[words[index].start - 1] == "@":
                index += 1
            if index < len(words) and words[index].start < end:
                starts.append(words[index].start)
    return starts
