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
from functools import lru_cache
from typing import NamedTuple

from scoring.free_text.text import Utterance

# Between two words of a phrase only spaces, a hyphen or a slash may stand; and
# before a word that begins with an apostrophe, nothing, so "it 's" in a phrase
# matches "it's" as typed.
_SEPARATOR = r"[ \-/]+"
_SEPARATOR_OR_APOSTROPHE = r"(?:[ \-/]+|(?='))"
_BEFORE = r"(?<![\w'])"
_AFTER = r"(?![\w'])"
_FIGURES = r"\d+(?:[.:/,]\d+)*(?:st|nd|rd|th|am|pm|%|kg|g|cm|mm|ml|mg|lbs|lb|oz|km|m)?"
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


def _alternatives(choices: list[str], classes: dict[str, list[str]]) -> tuple[str, bool, bool]:
    """The pattern of a choice, whether it is optional, and whether one of its
    choices can begin with an apostrophe."""
    optional = any(not choice.strip() for choice in choices)
    built = [_pattern_parts(choice, classes) for choice in choices if choice.strip()]
    apostrophe = any(starts for _, starts in built)
    return "(?:" + "|".join(pattern for pattern, _ in built) + ")", optional, apostrophe


def phrase_pattern(phrase: str, classes: dict[str, list[str]] | None = None) -> str:
    """The regular expression (without word boundaries) for one phrase."""
    return _pattern_parts(phrase, classes or {})[0]


def _pattern_parts(phrase: str, classes: dict[str, list[str]]) -> tuple[str, bool]:
    """The pattern of ``phrase`` and whether it can begin with an apostrophe."""
    parts: list[tuple[str, bool, bool]] = []  # pattern, optional, can begin with an apostrophe
    for token in _TOKEN.findall(phrase.lower().strip()):
        if token.startswith("[") and token.endswith("]"):
            parts.append(_alternatives(token[1:-1].split("|"), classes))
        elif token.startswith("{") and token.endswith("}"):
            parts.append(_alternatives(classes[token[1:-1]], classes))
        else:
            parts.append((_word(token), False, token.startswith("'")))
    # Repeats of one optional choice ("[{degree}|] [{degree}|]") become one
    # bounded repeat, which compiles in half the time.
    merged: list[tuple[str, bool, bool, int]] = []
    for part, optional, apostrophe in parts:
        if optional and merged and merged[-1][:3] == (part, optional, apostrophe):
            merged[-1] = (part, optional, apostrophe, merged[-1][3] + 1)
        else:
            merged.append((part, optional, apostrophe, 1))
    pattern = ""
    pending_separator = False
    for part, optional, apostrophe, times in merged:
        separator = _SEPARATOR_OR_APOSTROPHE if apostrophe else _SEPARATOR
        if optional:
            quantifier = "?" if times == 1 else "{0,%d}" % times
            pattern += f"(?:{separator}{part}){quantifier}" if pending_separator else f"(?:{part}{_SEPARATOR}){quantifier}"
        else:
            pattern += (separator if pending_separator else "") + part
            pending_separator = True
    can_begin_with_apostrophe = bool(merged) and merged[0][2]
    return pattern, can_begin_with_apostrophe


def compile_phrases(phrases: list[str], classes: dict[str, list[str]] | None = None) -> re.Pattern[str]:
    """One pattern matching any of ``phrases`` as whole words, longest first."""
    alternatives = sorted((phrase_pattern(p, classes) for p in phrases if p.strip()), key=len, reverse=True)
    if not alternatives:
        return re.compile(r"(?!)")
    return re.compile(_BEFORE + "(?:" + "|".join(alternatives) + ")" + _AFTER)


def first_words(phrase: str, classes: dict[str, list[str]] | None = None) -> set[str] | None:
    """The words a phrase can begin with, or None when it can begin with any
    word (``#``, ``~`` or a prefix such as ``escalat*`` first)."""
    classes = classes or {}
    found: set[str] = set()
    for token in _TOKEN.findall(phrase.lower().strip()):
        if token.startswith("[") and token.endswith("]"):
            choices = token[1:-1].split("|")
        elif token.startswith("{") and token.endswith("}"):
            choices = classes[token[1:-1]]
        else:
            if token == "#":
                found.add("#")  # any word in figures: looked up under "#"
                return found
            if token.endswith("*") and len(token) >= 4 and token[:3].isalpha():
                found.add("*" + token[:3])  # a prefix: looked up under its first three letters
                return found
            word = _WORD_START.match(token)
            if token == "~" or token.endswith("*") or not word:
                return None
            found.add(word.group())
            return found
        for choice in choices:
            if choice.strip():
                inner = first_words(choice, classes)
                if inner is None:
                    return None
                found |= inner
        if all(choice.strip() for choice in choices):
            return found  # not optional: the phrase starts here
    return found


_WORD_START = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*")


@lru_cache(maxsize=8192)
def _keys(folded: str) -> tuple[str, ...]:
    """The index entries a word can start a phrase under: itself, its first
    three letters (for prefixes such as ``escalat*``) and, for a contraction,
    the word before the apostrophe ("i've" starts "[i|we] ['ve|have] got")."""
    if folded[0].isdigit():
        return ("#",)
    head = folded.split("'", 1)[0]
    if head and head != folded:
        return (folded, "*" + folded[:3], head)
    return (folded, "*" + folded[:3])


def _starting_with(phrase: str, word: str, classes: dict[str, list[str]] | None) -> str:
    """``phrase`` with its first choice cut to the choices that can begin with
    ``word``: the pattern tried where "i" occurs need not carry the other forty
    ways a sentence can start ("{me} …" becomes "[i|i am|i still|…] …"), which
    keeps compiling the tables quick."""
    tokens = _TOKEN.findall(phrase.strip())
    if not tokens:
        return phrase
    first = tokens[0]
    if first.startswith("[") and first.endswith("]"):
        choices = first[1:-1].split("|")
    elif first.startswith("{") and first.endswith("}") and classes and first[1:-1] in classes:
        choices = list(classes[first[1:-1]])
    else:
        return phrase
    if any(not choice.strip() for choice in choices):
        return phrase  # optional: the phrase may begin further on
    kept = []
    for choice in choices:
        starts = first_words(choice, classes)
        if starts is None or word in starts:
            kept.append(choice)
    if not kept or len(kept) == len(choices) or any("[" in choice for choice in kept):
        return phrase  # (a choice with its own choices cannot be nested in one)
    return "[" + "|".join(kept) + "] " + phrase.strip()[len(first):].strip()


class _IndexedList:
    """One marker list: a small pattern per first word, tried only where that
    word occurs, and one pattern for phrases that may begin with any word."""

    def __init__(self, phrases: list[str], classes: dict[str, list[str]] | None):
        by_word: dict[str, list[str]] = {}
        anywhere: list[str] = []
        for phrase in phrases:
            if not phrase.strip():
                continue
            words = first_words(phrase, classes)
            if words is None:
                anywhere.append(phrase)
            else:
                for word in words:
                    by_word.setdefault(word, []).append(phrase)
        self.phrases = phrases
        self.classes = classes
        self._by_word = by_word
        self._compiled: dict[str, re.Pattern[str]] = {}
        self.anywhere = compile_phrases(anywhere, classes) if anywhere else None

    def pattern_for(self, word: str) -> re.Pattern[str] | None:
        if word not in self._by_word:
            return None
        if word not in self._compiled:
            self._compiled[word] = compile_phrases([_starting_with(p, word, self.classes) for p in self._by_word[word]],
                                                   self.classes)
        return self._compiled[word]

    def matches(self, utterance: Utterance, positions=None):
        text = utterance.folded
        spans = []
        words = utterance.words if positions is None else [w for w in utterance.words if w.start in positions]
        for word in words:
            keys = _keys(word.folded)
            for key in keys:
                pattern = self.pattern_for(key)
                if pattern is not None:
                    match = pattern.match(text, word.start)
                    if match:
                        spans.append((match.start(), match.end()))
        if self.anywhere is not None:
            if positions is None:
                spans.extend((m.start(), m.end()) for m in self.anywhere.finditer(text))
            else:
                for position in positions:
                    match = self.anywhere.match(text, position)
                    if match:
                        spans.append((match.start(), match.end()))
        spans.sort()
        return spans

    def search(self, text: str, start: int, end: int):
        """The first match in text[start:end] (as ``re.Pattern.search``)."""
        return self.full.search(text, start, end)

    @property
    def full(self) -> re.Pattern[str]:
        if "_full" not in self.__dict__:
            self.__dict__["_full"] = compile_phrases(self.phrases, self.classes)
        return self.__dict__["_full"]


class MarkerLists:
    """Named phrase lists, each matched word by word (see ``_IndexedList``)."""

    def __init__(self, lists: dict[str, list[str]], classes: dict[str, list[str]] | None = None):
        self.patterns = {name: _IndexedList(lists[name], classes) for name in sorted(lists)}
        # word -> the lists with a phrase beginning with it, so one pass over an
        # utterance's words serves every list.
        self._by_word: dict[str, list[str]] = {}
        for name, indexed in self.patterns.items():
            for word in indexed._by_word:
                self._by_word.setdefault(word, []).append(name)
        self._anywhere = [name for name, indexed in self.patterns.items() if indexed.anywhere is not None]
        # key -> ((list name, compiled pattern), …), filled as words are first met
        self._ready: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {}

    def find(self, utterance: Utterance, name: str) -> list[Hit]:
        return [Hit(name, start, end) for start, end in self.patterns[name].matches(utterance)]

    def find_each(self, utterance: Utterance) -> dict[str, list[Hit]]:
        """The hits of every list, by list name, in one pass over the words."""
        text = utterance.folded
        found: dict[str, list[Hit]] = {name: [] for name in self.patterns}
        ready = self._ready
        for word in utterance.words:
            for key in _keys(word.folded):
                patterns = ready.get(key)
                if patterns is None:
                    patterns = ready[key] = tuple((name, self.patterns[name].pattern_for(key))
                                                  for name in self._by_word.get(key, ()))
                for name, pattern in patterns:
                    match = pattern.match(text, word.start)
                    if match:
                        found[name].append(Hit(name, match.start(), match.end()))
        for name in self._anywhere:
            found[name].extend(Hit(name, m.start(), m.end()) for m in self.patterns[name].anywhere.finditer(text))
        for hits in found.values():
            hits.sort()
        return found

    def find_all(self, utterance: Utterance) -> list[Hit]:
        hits = [hit for found in self.find_each(utterance).values() for hit in found]
        hits.sort(key=lambda hit: (hit.start, hit.name))
        return hits

    def starting_at(self, utterance: Utterance, name: str, positions: list[int]) -> list[Hit]:
        return [Hit(name, start, end) for start, end in self.patterns[name].matches(utterance, set(positions))]


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
