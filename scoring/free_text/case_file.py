"""Matching what the learner cites against the scenario's case file.

The case file is plain data, a mapping of fact id to ``title``, ``date``,
``source`` and ``text`` (what a scenario's ``case_file`` holds), so this module
never needs the simulator. Three steps:

1. ``fact_profiles``  — for each fact: its date, its words (title words count
   double: "body map", "disclosure") and the people it names;
2. ``dated_citations`` — each date the learner says, with the fact words
   around it, is matched to the fact it points at; a date that does not match
   the fact its words name is flagged with the fact's real date;
3. ``quoted_citations`` — words the learner quotes are matched to the fact
   that contains them, and a person named beside them who is not in that fact
   is flagged ("the words were to Gemma Hart").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import NamedTuple

from scoring.free_text.dates import MONTH_NAMES, MONTHS, WEEKDAYS, find_dates, parse_case_date
from scoring.free_text.text import LazyPattern, Utterance, quoted_spans

_WORD = LazyPattern(r"[a-z][a-z0-9&']*")
_NAME = LazyPattern(r"(?<![\w'])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?![\w])")
_FULL_NAME = LazyPattern(r"(?<![\w'])[A-Z][a-z]+(?:-[A-Z][a-z]+)?(?:\s[A-Z][a-z]+(?:-[A-Z][a-z]+)?)?(?![\w])")
WINDOW = 6  # words either side of a date that may name the fact it belongs to
_STOP = frozenset("""
a an the of to by with and or on in at for from into onto his her their its our my your this that these those
is was were be been are has had have he she they it we i you him them me us who what when where which while
said says told asked entry completed record recorded note notes by about after before than then there here
not no yes very more most some any all also just only left right one two three four five six seven eight
nine ten day days week weeks time times mr mrs ms miss dr
""".split())
_NOT_NAMES = frozenset(
    [m.capitalize() for m in MONTHS] + [d.capitalize() for d in WEEKDAYS]
    + "The A An He She They It I We You His Her Their Our My Body Mum Dad Nan Gran On In At By For From To "
      "Asked After Before During When While This That These Those Four Three Two One Five Six Seven Eight "
      "Nine Ten Yellowing Are Is Was Were Did Do Does Has Had Have Gp Dsl Ta Cpoms".split()
)


class FactProfile(NamedTuple):
    fact_id: str
    title: str
    when: tuple[int, int, int | None] | None  # day, month, year
    words: dict[str, int]  # word -> weight (title 2, source and text 1)
    names: frozenset[str]  # every part of every name: "Gemma", "Hart"
    people: tuple[str, ...]  # full names, those in the source first: "Gemma Hart"
    dates: tuple[tuple[int, int, int | None], ...] = ()  # its date and the dates its text mentions
    details: tuple[tuple[str, str], ...] = ()  # (kind, value) it states: ("%", "86.1"), ("weekday", "monday")


class Citation(NamedTuple):
    """A fact the learner cited, rightly or wrongly."""

    fact_id: str
    start: int
    end: int
    status: str  # "cited", "wrong date" or "wrong name"
    fact_title: str
    fact_date: str  # "29 September", or "" if the fact has no date
    said: str  # what the learner said that was checked ("1 October", "Amara")
    right: str  # what the case file says instead ("29 September", "Gemma Hart"); "" when cited


def _label(when: tuple[int, int, int | None] | None) -> str:
    return f"{when[0]} {MONTH_NAMES[when[1] - 1]}" if when else ""


def fact_profiles(case_file: Mapping[str, Mapping[str, object]]) -> list[FactProfile]:
    profiles = []
    for fact_id in sorted(case_file, key=str):
        if not isinstance(case_file[fact_id], Mapping):
            continue
        fact = case_file[fact_id] if isinstance(case_file[fact_id], Mapping) else {}
        title = str(fact.get("title") or "")
        source = str(fact.get("source") or "")
        text = str(fact.get("text") or "")
        words: dict[str, int] = {}
        for weight, part in ((1, text), (1, source), (2, title)):
            for word in _WORD.findall(part.lower()):
                if word not in _STOP and len(word) > 2:
                    words[word] = max(words.get(word, 0), weight)
        people: list[str] = []
        for part in (source, title, text):
            for full in _FULL_NAME.findall(part):
                kept = " ".join(n for n in full.split() if n not in _NOT_NAMES)
                if kept and kept not in people:
                    people.append(kept)
        names = frozenset(n for person in people for n in person.split())
        when = parse_case_date(str(fact.get("date") or ""))
        mentioned = [(m.day, m.month, m.year) for m in find_dates(text.lower()) if m.day and m.month]
        dates = tuple(([when] if when else []) + mentioned)
        profiles.append(FactProfile(str(fact_id), title, when, words, names, tuple(people), dates,
                                    tuple(sorted(details(" ".join((title, text)))))))
    return profiles


_NUMBER_WORDS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7",
                 "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12", "a": "1", "an": "1"}
_UNITS = {"%": "%", "percent": "%", "per cent": "%", "cm": "cm", "centimetre": "cm", "centimetres": "cm",
          "mm": "mm", "kg": "kg", "week": "weeks", "weeks": "weeks", "month": "months", "months": "months",
          "year": "years", "years": "years", "day": "days", "days": "days", "hour": "hours", "hours": "hours"}
_MEASURE = LazyPattern(
    r"(?<![\w.])(?P<value>\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
    r"(?:\s?|-)(?P<unit>%|per cent|percent|cm|centimetres?|mm|kg|weeks?|months?|years?|days?|hours?)(?![\w])"
)
_SIDES = ("left", "right")


def details(text: str) -> set[tuple[str, str]]:
    """The checkable details a text states: measures with their units, the
    days of the week, the side of the body."""
    lowered = text.lower()
    found = set()
    for match in _MEASURE.finditer(lowered):
        value = _NUMBER_WORDS.get(match.group("value"), match.group("value"))
        found.add((_UNITS.get(match.group("unit"), match.group("unit")), value))
    for word in _WORD.findall(lowered):
        if word.rstrip("s") in WEEKDAYS and len(word) > 4:
            found.add(("weekday", word.rstrip("s")))
        if word in _SIDES:
            found.add(("side", word))
    return found


def _detail_label(kind: str, value: str) -> str:
    if kind == "%":
        return f"{value}%"
    if kind in ("weekday", "side"):
        return value.capitalize() + ("s" if kind == "weekday" else "")
    return f"{value} {kind}"


def _window_words(utterance: Utterance, start: int, end: int) -> set[str]:
    clause_start, clause_end = utterance.clause_of(start)
    # A list of facts ("the grip marks on 29 September and attendance of 86%")
    # names one fact per part: the window stops at a comma or "and".
    for stop in (",", " and ", ";"):
        before = utterance.folded.rfind(stop, clause_start, start)
        if before >= 0:
            clause_start = before + len(stop)
        after = utterance.folded.find(stop, end, clause_end)
        if after >= 0:
            clause_end = after
    before = utterance.words_in(clause_start, start)[-WINDOW:]
    after = utterance.words_in(end, clause_end)[:WINDOW]
    return {w.folded for w in before + after}


def _title_words(profile: FactProfile) -> set[str]:
    return {w for w, weight in profile.words.items() if weight == 2}


_DAYS_BEFORE_MONTH = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)


def _days_apart(a: tuple[int, int, int | None], b: tuple[int, int, int | None]) -> int:
    """Roughly how many days lie between two dates (leap days ignored: it only
    ranks which fact's date is nearest what the learner said)."""
    year = a[2] or b[2] or 2001

    def ordinal(day: int, month: int, in_year: int | None) -> int:
        return (in_year or year) * 365 + _DAYS_BEFORE_MONTH[month - 1] + day

    return abs(ordinal(*a) - ordinal(*b))


def dated_citations(utterance: Utterance, profiles: list[FactProfile]) -> list[Citation]:
    found = []
    dated = [p for p in profiles if p.when]
    for mention in find_dates(utterance.folded):
        if not mention.day:
            continue
        near = _window_words(utterance, mention.start, mention.end)
        # A fact is named when a word of its title is near the date, or two of its other words.
        scored = []
        for profile in dated:
            score = sum(profile.words.get(w, 0) for w in near)
            if near & _title_words(profile) or score >= 2:
                scored.append((score, profile))
        said = (mention.day, mention.month) if mention.month else (mention.day, None)

        def same_day(profile: FactProfile) -> bool:
            return any(d[0] == said[0] and (said[1] is None or d[1] == said[1]) for d in profile.dates)

        if scored:
            exact = [(s, p) for s, p in scored if same_day(p)]
            if exact:
                best = max(exact, key=lambda item: item[0])[1]
                found.append(Citation(best.fact_id, mention.start, mention.end, "cited", best.title,
                                      _label(best.when), utterance.text[mention.start:mention.end], ""))
                continue
            top = max(s for s, _ in scored)
            named = [p for s, p in scored if s == top]
            wrong = named[0]
            nearest = wrong.when
            if said[1] is not None:
                named.sort(key=lambda p: min(_days_apart((said[0], said[1], mention.year), d) for d in p.dates))
                wrong = named[0]
                nearest = min(wrong.dates, key=lambda d: _days_apart((said[0], said[1], mention.year), d))
            said_label = _label((said[0], said[1], None)) if said[1] else utterance.text[mention.start:mention.end]
            found.append(Citation(wrong.fact_id, mention.start, mention.end, "wrong date", wrong.title,
                                  _label(wrong.when), said_label, _label(nearest)))
        else:
            on_that_day = [p for p in dated if same_day(p)]
            if len(on_that_day) == 1 or (on_that_day and said[1] is not None):
                best = on_that_day[0]
                found.append(Citation(best.fact_id, mention.start, mention.end, "cited", best.title,
                                      _label(best.when), utterance.text[mention.start:mention.end], ""))
    return found


def quoted_citations(utterance: Utterance, profiles: list[FactProfile], texts: dict[str, str]) -> list[Citation]:
    found = []
    for start, end in quoted_spans(utterance.text):
        words = [w for w in _WORD.findall(utterance.folded[start:end]) if w not in _STOP]
        if len(words) < 2:
            continue
        best, best_share = None, 0.0
        for profile in profiles:
            fact_words = set(_WORD.findall(texts.get(profile.fact_id, "").lower()))
            share = sum(w in fact_words for w in words) / len(words)
            if share > best_share:
                best, best_share = profile, share
        if best is None or best_share < 0.6:
            continue
        found.append(Citation(best.fact_id, start, end, "cited", best.title, _label(best.when),
                              utterance.text[start:end], ""))
    return found


CONTENT_SCORE = 4  # weighted fact words a sentence must share with a fact to cite it without a date
CONTENT_WORDS = 2  # and how many different words (both chosen on case_matching.jsonl among 3-5 and 2-3)


def content_citations(utterance: Utterance, profiles: list[FactProfile], already: list[Citation]) -> list[Citation]:
    """Facts cited by what they say rather than by date: a sentence sharing
    enough of a fact's words ("early help closed… Team Around the Family
    meetings") cites the fact that shares most."""
    found = []
    for sentence_start, sentence_end in utterance.sentences:
        words = {w.folded for w in utterance.words_starting(sentence_start, sentence_end)
                 if w.folded not in _STOP and len(w.folded) > 2}
        stems = {_stem(w) for w in words}
        scored = []
        for profile in profiles:
            fact_stems = {}
            for word, weight in profile.words.items():
                stem = _stem(word)
                fact_stems[stem] = max(fact_stems.get(stem, 0), weight)
            shared = stems & set(fact_stems)
            shared -= {_stem(n.lower()) for n in profile.names}  # a name alone is no citation
            score = sum(fact_stems[w] for w in shared)
            if score >= CONTENT_SCORE and len(shared) >= CONTENT_WORDS:
                scored.append((score, profile))
        if not scored:
            continue
        best = max(score for score, _ in scored)
        for score, profile in scored:
            if score == best and not any(c.fact_id == profile.fact_id for c in already + found):
                found.append(Citation(profile.fact_id, sentence_start, sentence_end, "cited", profile.title,
                                      _label(profile.when), utterance.text[sentence_start:sentence_end], ""))
    return found


def _stem(word: str) -> str:
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def detail_checks(utterance: Utterance, citations: list[Citation], profiles: list[FactProfile]) -> list[Citation]:
    """A measure, day of the week or side of the body said beside a cited
    fact that states a different one of the same kind ("68%" for 86.1%)."""
    by_id = {p.fact_id: p for p in profiles}
    flagged = []
    for citation in citations:
        if citation.status != "cited":
            continue
        profile = by_id[citation.fact_id]
        sentence_start, sentence_end = utterance.sentence_of(citation.start)
        said = details(utterance.text[sentence_start:sentence_end])
        stated = set(profile.details)
        for kind, value in sorted(said - stated):
            same_kind = sorted(v for k, v in stated if k == kind)
            if same_kind:
                flagged.append(Citation(citation.fact_id, citation.start, citation.end, "wrong detail",
                                        profile.title, citation.fact_date, _detail_label(kind, value),
                                        " or ".join(_detail_label(kind, v) for v in same_kind)))
                break
    return flagged


def name_checks(utterance: Utterance, citations: list[Citation], profiles: list[FactProfile]) -> list[Citation]:
    """A person named beside a cited fact who is in the case file but not in
    that fact: probably the wrong person ("Amara" for Gemma Hart). Only people
    the case file names in full (first name and surname) are checked, so a
    capitalised word such as "Level" is never taken for a person."""
    everyone = {part for p in profiles for person in p.people if " " in person for part in person.split()}
    by_id = {p.fact_id: p for p in profiles}
    flagged = []
    for citation in citations:
        if citation.status != "cited":
            continue
        profile = by_id[citation.fact_id]
        start, end = _part_around(utterance, citation.start, citation.end)
        for match in _NAME.finditer(utterance.text, start, end):
            name = match.group()
            if name in everyone and name not in profile.names:
                named = utterance.text[start:end]
                unmentioned = [p for p in profile.people if not any(n in named for n in p.split())]
                flagged.append(Citation(citation.fact_id, match.start(), match.end(), "wrong name", profile.title,
                                        citation.fact_date, name, unmentioned[0] if unmentioned else ""))
                break
    return flagged


def _part_around(utterance: Utterance, start: int, end: int) -> tuple[int, int]:
    """The stretch of its sentence a citation belongs to, up to a comma,
    semicolon or "and" either side (the whole sentence for a sentence-long one)."""
    sentence_start, sentence_end = utterance.sentence_of(start)
    if start <= sentence_start and end >= sentence_end - 1:
        return sentence_start, sentence_end
    left, right = sentence_start, sentence_end
    for stop in (",", ";", " and "):
        before = utterance.folded.rfind(stop, sentence_start, start)
        if before >= 0:
            left = max(left, before + len(stop))
        after = utterance.folded.find(stop, end, sentence_end)
        if after >= 0:
            right = min(right, after)
    return left, right


class CaseFile(NamedTuple):
    """A case file read once, for checking many utterances against it."""

    profiles: tuple[FactProfile, ...]
    texts: dict[str, str]


def read_case_file(case_file: Mapping[str, Mapping[str, object]] | CaseFile | None) -> CaseFile | None:
    """``case_file`` ready for ``check_citations``; None when there is none.
    Anything that is not a mapping of facts is treated as no case file."""
    if isinstance(case_file, CaseFile):
        return case_file
    if not case_file or not isinstance(case_file, Mapping):
        return None
    profiles = tuple(fact_profiles(case_file))
    texts = {p.fact_id: str(case_file[p.fact_id].get("text") or "")
             if isinstance(case_file.get(p.fact_id), Mapping) else "" for p in profiles}
    return CaseFile(profiles, texts)


def check_citations(utterance: Utterance, case_file: Mapping[str, Mapping[str, object]] | CaseFile | None
                    ) -> list[Citation]:
    """Every case-file fact the utterance cites, rightly or wrongly, in reading order."""
    index = read_case_file(case_file)
    if index is None:
        return []
    profiles, texts = list(index.profiles), index.texts
    citations = dated_citations(utterance, profiles)
    citations += [c for c in quoted_citations(utterance, profiles, texts)
                  if not any(c.fact_id == d.fact_id for d in citations)]
    citations += content_citations(utterance, profiles, citations)
    citations += name_checks(utterance, citations, profiles)
    citations += detail_checks(utterance, citations, profiles)
    citations.sort(key=lambda c: (c.start, c.status))
    return citations
