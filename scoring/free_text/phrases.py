"""Whole-word phrase matching over an utterance's words.

Marker tables are data (JSON beside this module): lists of plain phrases such
as ``"i am worried"``. A phrase matches a run of consecutive words in the same
clause, ignoring case and curly quotes; a word ending in ``*`` matches any word
it begins (``escalat*`` finds *escalate*, *escalating*, *escalation*).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

from scoring.free_text.text import WORD, Utterance

# Between two words of one phrase only spaces, a hyphen or a slash may stand.
_JOINERS = frozenset(" -/")


@dataclass(frozen=True)
class Hit:
    """A phrase found in the text: which table entry, and where."""

    name: str  # the marker list it belongs to
    phrase: str  # the phrase as written in the table
    start: int
    end: int
    first_word: int  # index into Utterance.words
    last_word: int


def read_table(name: str) -> dict:
    """A marker table shipped beside this module, parsed."""
    return json.loads(resources.files("scoring.free_text").joinpath(name).read_text("utf-8"))


def phrase_words(phrase: str) -> tuple[str, ...]:
    words = tuple(m.group() for m in WORD.finditer(phrase.lower()))
    if phrase.rstrip().endswith("*") and words:
        words = words[:-1] + (words[-1] + "*",)
    return words


class PhraseIndex:
    """Phrases from several named lists, indexed by their first word so a
    whole utterance is matched in one pass over its words."""

    def __init__(self, lists: dict[str, list[str]]):
        self._exact: dict[str, list[tuple[tuple[str, ...], str, str]]] = {}
        self._prefixes: list[tuple[str, tuple[str, ...], str, str]] = []
        for name in sorted(lists):
            for phrase in lists[name]:
                words = phrase_words(phrase)
                if not words:
                    continue
                entry = (words, name, phrase)
                if words[0].endswith("*"):
                    self._prefixes.append((words[0][:-1], words, name, phrase))
                else:
                    self._exact.setdefault(words[0], []).append(entry)
        # Longest phrase first, so "thank you" is preferred over "thank".
        for entries in self._exact.values():
            entries.sort(key=lambda entry: -len(entry[0]))

    def hits_at(self, utterance: Utterance, index: int) -> list[Hit]:
        """Every phrase that starts at word ``index``."""
        word = utterance.words[index].folded
        candidates = list(self._exact.get(word, ()))
        for prefix, words, name, phrase in self._prefixes:
            if word.startswith(prefix):
                candidates.append((words, name, phrase))
        found = []
        for words, name, phrase in candidates:
            last = _match(utterance, index, words)
            if last is not None:
                found.append(Hit(name, phrase, utterance.words[index].start,
                                 utterance.words[last].end, index, last))
        return found

    def find(self, utterance: Utterance, starts: list[int] | None = None) -> list[Hit]:
        """Every match in the utterance (or only those beginning at ``starts``),
        in reading order."""
        positions = range(len(utterance.words)) if starts is None else starts
        hits: list[Hit] = []
        for index in positions:
            hits.extend(self.hits_at(utterance, index))
        return hits


def _match(utterance: Utterance, index: int, words: tuple[str, ...]) -> int | None:
    all_words = utterance.words
    if index + len(words) > len(all_words):
        return None
    text = utterance.folded
    for offset, wanted in enumerate(words):
        word = all_words[index + offset]
        if wanted.endswith("*"):
            if not word.folded.startswith(wanted[:-1]):
                return None
        elif word.folded != wanted:
            return None
        if offset:
            gap = text[all_words[index + offset - 1].end:word.start]
            if not gap or any(c not in _JOINERS for c in gap):
                return None
    return index + len(words) - 1


def sentence_starts(utterance: Utterance) -> list[int]:
    """The index of the first word of each sentence, passing over an @name
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
                starts.append(index)
    return starts
