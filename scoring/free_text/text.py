"""What the analyser reads: an utterance made safe to show, bounded, and cut
into words and clauses whose character offsets point into that text.

Every later step finds things by offsets into ``Utterance.text``, so a span
quoted back to the learner is always their own words, character for character
(control characters apart, which are shown as symbols rather than acting).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from typing import NamedTuple

from scoring.display import visible

# About 250 words, two minutes of speech: nearly twice the longest labelled
# utterance (833 characters), and short enough that even a worst-case line stays
# inside the 5 ms budget. A 20 KB paste is
# read this far and the result says so, so the work per line stays bounded.
MAX_CHARACTERS = 1500

# Curly quotes and apostrophes, dashes and non-breaking spaces are matched as
# their plain forms; one character for one, so offsets are unchanged.
_PLAIN_FORMS = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201b": "'", "`": "'", "\u00b4": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})

class LazyPattern:
    """A regular expression compiled when first used, so that importing the
    analyser stays well inside its 50 ms budget."""

    def __init__(self, pattern: str, flags: int = 0):
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)*|\d+(?:[.:/,]\d+)*(?:st|nd|rd|th|am|pm|%)?", re.IGNORECASE)
# A clause ends at a sentence stop, a semicolon, a colon, a dash between
# spaces, or a line break; negation and hedges do not reach across one.
_CLAUSE_END = re.compile(r"[.!?;:]+(?=\s|$|[\"')\]])|\s-\s|\n+")
_SENTENCE_END = re.compile(r"[.!?]+(?=\s|$|[\"')\]])|\n+")


class Word(NamedTuple):
    start: int
    end: int
    folded: str  # lower case, plain apostrophes


class Utterance(NamedTuple):
    """One line a learner typed, ready to be read."""

    text: str  # what is shown back: control characters as symbols, at most MAX_CHARACTERS
    folded: str  # ``text`` in lower case with plain quotes and dashes, same length
    words: tuple[Word, ...]
    clauses: tuple[tuple[int, int], ...]  # [start, end) of each clause
    sentences: tuple[tuple[int, int], ...]
    truncated_from: int  # the original length when cut to MAX_CHARACTERS, else 0
    word_starts: tuple[int, ...] = ()
    word_ends: tuple[int, ...] = ()

    # Lookups by bisection, so a long paste costs time in proportion to its
    # length and not to its length squared.
    def clause_of(self, offset: int) -> tuple[int, int]:
        return _span_of(self.clauses, offset, len(self.text))

    def sentence_of(self, offset: int) -> tuple[int, int]:
        return _span_of(self.sentences, offset, len(self.text))

    def words_in(self, start: int, end: int) -> tuple[Word, ...]:
        """The words lying wholly within [start, end)."""
        return self.words[bisect_left(self.word_starts, start):bisect_right(self.word_ends, end)]

    def words_starting(self, start: int, end: int) -> tuple[Word, ...]:
        """The words that begin within [start, end)."""
        return self.words[bisect_left(self.word_starts, start):bisect_left(self.word_starts, end)]


def _span_of(spans: tuple[tuple[int, int], ...], offset: int, length: int) -> tuple[int, int]:
    index = bisect_right(spans, (offset, length + 1)) - 1
    if 0 <= index < len(spans) and spans[index][0] <= offset < spans[index][1]:
        return spans[index]
    return (0, length)


def fold(text: str) -> str:
    """Lower case with plain quotes, dashes and spaces, the same length as
    ``text`` (a character whose lower case is longer, such as 'İ', is kept)."""
    plain = text.translate(_PLAIN_FORMS)
    lowered = plain.lower()
    if len(lowered) == len(plain):
        return lowered
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in plain)


def _spans(pattern: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    spans = []
    start = 0
    for match in pattern.finditer(text):
        end = match.end()
        if text[start:match.start()].strip():
            spans.append((start, end))
        start = end
    if text[start:].strip():
        spans.append((start, len(text)))
    return tuple(spans) or ((0, len(text)),)


# Bidirectional overrides and isolates can make a terminal show text in an
# order other than the one stored; they are replaced like control characters.
_BIDI = str.maketrans({code: "\ufffd" for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C)})


def prepare(raw: str) -> Utterance:
    """``raw`` as the analyser reads it (never raises for any string)."""
    truncated_from = 0
    if len(raw) > MAX_CHARACTERS:
        truncated_from = len(raw)
        raw = raw[:MAX_CHARACTERS]
    text = visible(raw).translate(_BIDI)
    folded = fold(text)
    words = tuple(Word(m.start(), m.end(), m.group()) for m in WORD.finditer(folded))
    return Utterance(
        text=text,
        folded=folded,
        words=words,
        clauses=_spans(_CLAUSE_END, folded),
        sentences=_spans(_SENTENCE_END, folded),
        truncated_from=truncated_from,
        word_starts=tuple(w.start for w in words),
        word_ends=tuple(w.end for w in words),
    )


_OPENING = {'"': '"', "\u201c": "\u201d", "\u2018": "\u2019", "'": "'"}


def quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """[start, end) of each passage in quotation marks, marks included.

    A single quote opens only after a space or bracket and before a letter,
    and closes only after a non-space and before a non-letter, so the
    apostrophes of "don't" and "'cause" are not taken for quotation marks."""
    spans = []
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        closing = _OPENING.get(char)
        single = char in "'\u2018"
        if closing and (not single or ((index == 0 or text[index - 1] in " \t\n(:,[") and
                                       index + 1 < length and text[index + 1].isalpha())):
            end = index + 1
            while end < length:
                if text[end] == closing or (closing == "\u201d" and text[end] == '"'):
                    if not single or (text[end - 1] != " " and (end + 1 == length or not text[end + 1].isalpha())):
                        break
                end += 1
            if end < length:
                spans.append((index, end + 1))
                index = end + 1
                continue
        index += 1
    return tuple(spans)
