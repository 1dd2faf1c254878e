"""What every element's rule reads from one utterance: the marker tables, the
hits of each list (found once), and the small judgements several rules share —
is a marker negated, is it quoted, does a clause tell what happened or ask for
what should, is a date an event or a deadline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import NamedTuple

from scoring.free_text.dates import DateMention, find_dates
from scoring.free_text.phrases import Hit, MarkerLists, compile_phrases, read_table
from scoring.free_text.text import LazyPattern, Utterance, quoted_spans

ELEMENTS = ("concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation", "blame", "capitulation")
NEGATION_REACH = 3  # words before a marker that a negation reaches, as in VADER


class Finding(NamedTuple):
    """One element found, with the words that set it off."""

    element: str
    start: int
    end: int
    step: str  # which rule found it, for explaining and debugging


class Tables(NamedTuple):
    lists: MarkerLists  # every list, named "element.list"
    negators: frozenset[str]
    action: re.Pattern[str]
    imperatives: re.Pattern[str]


@lru_cache(maxsize=1)
def tables() -> Tables:
    data = read_table("elements.json")
    classes = data["classes"]
    lists = {}
    for element in ELEMENTS:
        for name, phrases in data[element].items():
            if name != "imperative":
                lists[f"{element}.{name}"] = phrases
    return Tables(
        lists=MarkerLists(lists, classes),
        negators=frozenset(data["negators"]),
        action=MarkerLists({"action": classes["action"]}, classes).patterns["action"].full,
        imperatives=compile_phrases(data["ask"]["imperative"], classes),
    )


# -- shared steps ----------------------------------------------------------------

class Reading:
    """One utterance with what every step needs, computed once."""

    def __init__(self, utterance: Utterance):
        self.utterance = utterance
        self.tables = tables()
        self.quotes = quoted_spans(utterance.text)
        self.dates = find_dates(utterance.folded)
        self._hits: dict[str, list[Hit]] = {}
        self._negated: dict[int, bool] = {}  # by offset: many lists' hits start at one word

    def hits(self, name: str) -> list[Hit]:
        if not self._hits:
            self._hits = self.tables.lists.find_each(self.utterance)
        return self._hits[name]

    def quoted(self, start: int, end: int) -> bool:
        return any(q_start <= start and end <= q_end for q_start, q_end in self.quotes)

    def negated(self, start: int) -> bool:
        """A negation up to NEGATION_REACH words before ``start`` in its clause,
        with no "but" between."""
        known = self._negated.get(start)
        if known is None:
            known = self._negated[start] = self._negation_before(start)
        return known

    def _negation_before(self, start: int) -> bool:
        clause_start, _ = self.utterance.clause_of(start)
        comma = self.utterance.folded.rfind(",", clause_start, start)
        if comma >= 0:
            clause_start = comma  # "If not, I'll take it further": the "not" is spent
        before = self.utterance.words_in(clause_start, start)
        for word in reversed(before[-NEGATION_REACH:]):
            if word.folded in ("but", "although", "though", "however"):
                return False
            if word.folded in self.tables.negators or word.folded.endswith("n't"):
                return True
        return False

    def own(self, name: str, negatable: bool = True) -> list[Hit]:
        """The hits of list ``name`` that are the speaker's own words, not negated."""
        if not self.quotes:
            return [hit for hit in self.hits(name) if not (negatable and self.negated(hit.start))]
        return [hit for hit in self.hits(name)
                if not self.quoted(hit.start, hit.end) and not (negatable and self.negated(hit.start))]

    def overlaps(self, hit: Hit | Finding, names: list[str]) -> bool:
        return any(other.start < hit.end and hit.start < other.end for name in names for other in self.hits(name))

    def sentence_text(self, offset: int) -> tuple[int, int, str]:
        start, end = self.utterance.sentence_of(offset)
        return start, end, self.utterance.folded[start:end]


_PAST = LazyPattern(
    r"(?<![\w'])(?:was|were|had|did|said|says|told|tells|saw|seen|came|went|got|made|gave|took|left|fell|rang|sent|found|felt"
    r"|arrived|disclosed|reported|noticed|attended|happened|occurred|presented|showed|shown|asked|mentioned|wrote|visited"
    r"|missed|recorded|completed|explained|described|admitted|denied|called|phoned|texted|emailed|cried|looked|seemed"
    r"|thought|meant|knew|heard|kept|brought|caught|spoke|broke|chose|forgot|began|woke|slept|lost|became|ate|drank"
    r"|drove|ran|understood|sat|stood|thanks for|thank you for|been|fallen|gone|done|broken|taken|given|eaten|spoken|written"
    r"|\w+ed)(?![\w'])"
)
_NOT_PAST = frozenset({"need", "needed", "concerned", "worried", "interested", "red", "bed", "shed", "led", "fed", "proposed",
                       "suggested", "scared", "frightened", "minuted", "recorded", "allocated", "escalated", "closed", "reviewed",
                       "discharged", "signed", "agreed", "planned", "booked", "arranged", "expected", "scheduled", "requested"})
_FUTURE = LazyPattern(
    r"(?:\w'll|(?<![\w'])(?:will|going to|gonna|shall|could you|can you|would you|can we|could we|please|need|needs|want|wants"
    r"|let's|should|must|i'd like|we'd like|asking|request|expect|before|by|until|within|no later|i'm going|we're going"
    r"|could|can|would|might|i'm \w+ing|i am \w+ing|we're \w+ing|we are \w+ing))(?![\w'])"
)
_BOUND_LEAD = frozenset({"by", "before", "until", "till", "within"})


@lru_cache(maxsize=512)
def tense_of(folded_clause: str) -> str:
    """"past" when the clause tells of something that happened, "future" when
    it asks for or plans something, "" when neither is clear."""
    past = any(m.group() not in _NOT_PAST for m in _PAST.finditer(folded_clause))
    future = bool(_FUTURE.search(folded_clause))
    if future and not past:
        return "future"
    if past and not future:
        return "past"
    return "future" if future else ""


def _preceding_word(reading: Reading, offset: int) -> str:
    index = bisect_right(reading.utterance.word_ends, offset) - 1
    return reading.utterance.words[index].folded if index >= 0 else ""


def date_role(reading: Reading, mention: DateMention) -> str:
    """Whether a date is "evidence" (when something happened), "timescale"
    (when something should be done by) or "" (neither, or not clear)."""
    lead = mention.lead or _preceding_word(reading, mention.start)
    if lead in _BOUND_LEAD:
        return "timescale"
    if lead in ("last", "since", "ago", "yesterday", "from"):
        return "evidence"
    clause_start, clause_end = reading.utterance.clause_of(mention.start)
    tense = tense_of(reading.utterance.folded[clause_start:clause_end])
    if tense == "past":
        return "evidence"
    if tense == "future":
        return "timescale" if mention.kind in ("calendar", "weekday", "time") else ""
    return "evidence" if mention.kind == "calendar" else ""


# -- the elements ----------------------------------------------------------------

