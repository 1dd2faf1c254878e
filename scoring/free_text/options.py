"""Which of the options on offer is closest to what the learner typed, for
"say it first" play: the learner types, then the option nearest their words is
shown as what they said.

Closeness is half the elements (do both state a concern, cite evidence, ask,
blame…?) and half the content words (the same facts, people and actions),
each a 0-1 overlap, so the score is 0-1 and a reader can see both halves.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from scoring.free_text.analyser import RESULT_ELEMENTS, Analysis, analyse

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_STOP = frozenset("""
a an the and or but if so of to in on at by for from with about into as is are was were be been being am
i me my we us our you your he him his she her they them their it its this that these those there here
do does did done have has had having will would can could should shall may might must not no yes
what which who whom when where why how all any some just very really also than then too only
i'm i'd i've i'll we're we'd we've we'll you're you'd you've you'll he's she's it's that's there's let's
""".split())
ELEMENT_WEIGHT = 0.5


class OptionMatch(NamedTuple):
    index: int  # position in the options given
    score: float  # 0-1
    elements: float  # agreement on the elements, 0-1
    words: float  # overlap of content words, 0-1
    shared_words: tuple[str, ...]


def content_words(text: str) -> set[str]:
    """Lower-case words that carry content, crudely stemmed (plural -s, -ed,
    -ing), so "bruises" meets "bruise" and "escalating" meets "escalate"."""
    words = set()
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        if word.endswith("'s"):
            word = word[:-2]
        if word in _STOP or len(word) < 3:
            continue
        for suffix in ("ing", "ed", "es", "s"):
            if word.endswith(suffix) and len(word) - len(suffix) >= 4:
                word = word[: -len(suffix)]
                break
        words.add(word)
    return words


def _element_agreement(a: Analysis, b: Analysis) -> float:
    present_a = {e for e in RESULT_ELEMENTS if a.findings[e]}
    present_b = {e for e in RESULT_ELEMENTS if b.findings[e]}
    union = present_a | present_b
    if not union:
        return 1.0
    return len(present_a & present_b) / len(union)


def _word_overlap(typed: set[str], option: set[str]) -> float:
    if not typed or not option:
        return 0.0
    shared = len(typed & option)
    return 2 * shared / (len(typed) + len(option))


def rank_options(typed: str, options: Sequence[str]) -> list[OptionMatch]:
    """Every option scored against what was typed, closest first (ties keep
    the options' order)."""
    said = analyse(typed)
    said_words = content_words(said.text)
    matches = []
    for index, option in enumerate(options):
        option_analysis = analyse(option if isinstance(option, str) else str(option))
        option_words = content_words(option_analysis.text)
        elements = _element_agreement(said, option_analysis)
        words = _word_overlap(said_words, option_words)
        score = ELEMENT_WEIGHT * elements + (1 - ELEMENT_WEIGHT) * words
        matches.append(OptionMatch(index, round(score, 4), round(elements, 4), round(words, 4),
                                   tuple(sorted(said_words & option_words))))
    matches.sort(key=lambda m: (-m.score, m.index))
    return matches


def closest_option(typed: str, options: Sequence[str]) -> OptionMatch | None:
    """The option closest to what was typed, with its score; None when there
    are no options."""
    ranked = rank_options(typed, options)
    return ranked[0] if ranked else None
