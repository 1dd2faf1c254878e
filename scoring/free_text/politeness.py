"""Politeness of one utterance, 0 (impolite) to 1 (polite).

Two steps a reader can follow: find which politeness strategies the words use
(``politeness_markers.json``) and which of a few hundred everyday words they
contain, then add up the weight each learned from people's ratings of real
requests (``politeness_weights.json``, made by ``train_politeness.py`` from
the Stanford Politeness Corpus) and turn the total into a probability.
Nothing is trained at run time.
"""

from __future__ import annotations

import math
from typing import NamedTuple
from functools import lru_cache

from scoring.free_text.phrases import Hit, MarkerLists, read_table, sentence_starts
from scoring.free_text.text import Utterance, prepare


class StrategyTables(NamedTuple):
    anywhere: MarkerLists
    start: MarkerLists
    symbols: dict[str, tuple[tuple[str, ...], int]]  # strategy -> (symbols, how many at least)
    length: dict[str, tuple[int, int]]  # strategy -> (fewer than, more than) words
    names: tuple[str, ...]  # every strategy, sorted: the order of the features
    describe: dict[str, str]


@lru_cache(maxsize=1)
def strategy_tables() -> StrategyTables:
    table = read_table("politeness_markers.json")["strategies"]
    return StrategyTables(
        anywhere=MarkerLists({n: s["anywhere"] for n, s in table.items() if "anywhere" in s}),
        start=MarkerLists({n: s["start"] for n, s in table.items() if "start" in s}),
        symbols={n: (tuple(s["symbols"]), int(s.get("at_least", 1))) for n, s in table.items() if "symbols" in s},
        length={n: (int(s.get("words_fewer_than", 0)), int(s.get("words_more_than", 1 << 30)))
                for n, s in table.items() if "words_fewer_than" in s or "words_more_than" in s},
        names=tuple(sorted(table)),
        describe={n: s["describe"] for n, s in table.items()},
    )


def strategy_hits(utterance: Utterance) -> list[Hit]:
    """Where each politeness strategy shows, in reading order."""
    tables = strategy_tables()
    hits = tables.anywhere.find_all(utterance)
    starts = sentence_starts(utterance)
    for name in tables.start.patterns:
        hits.extend(tables.start.starting_at(utterance, name, starts))
    for name, (symbols, at_least) in tables.symbols.items():
        found = [(at, symbol) for symbol in symbols for at in _occurrences(utterance.text, symbol)]
        if len(found) >= at_least:
            at, symbol = min(found)
            hits.append(Hit(name, at, at + len(symbol)))
    count = len(utterance.words)
    for name, (fewer_than, more_than) in tables.length.items():
        if utterance.words and (count < fewer_than or count > more_than):
            hits.append(Hit(name, 0, len(utterance.text)))
    hits.sort(key=lambda hit: (hit.start, hit.name))
    return hits


def _occurrences(text: str, symbol: str) -> list[int]:
    found, at = [], text.find(symbol)
    while at >= 0:
        found.append(at)
        at = text.find(symbol, at + len(symbol))
    return found


def features(utterance: Utterance) -> dict[str, float]:
    """1.0 for each strategy the utterance uses, 0.0 for the others."""
    present = {hit.name for hit in strategy_hits(utterance)}
    return {name: 1.0 if name in present else 0.0 for name in strategy_tables().names}


def feature_vector(text: str) -> list[float]:
    """The features of ``text`` in the order of ``strategy_tables().names``
    (what the training script feeds the model)."""
    values = features(prepare(text))
    return [values[name] for name in strategy_tables().names]


def words_of(utterance: Utterance) -> list[Hit]:
    """Every word of the utterance as a hit named ``word:<word>`` (lower case,
    plain apostrophes; numbers left out), in reading order — the word features
    of training and of run time are the same words."""
    return [Hit("word:" + word.folded, word.start, word.end) for word in utterance.words if not word.folded[0].isdigit()]


def word_set(text: str) -> frozenset[str]:
    """The distinct words of ``text`` as the model reads them (for training)."""
    return frozenset(hit.name[5:] for hit in words_of(prepare(text)))


class PolitenessModel(NamedTuple):
    intercept: float
    weights: dict[str, float]  # strategy -> weight
    words: dict[str, float]  # everyday word -> weight


@lru_cache(maxsize=1)
def model() -> PolitenessModel:
    data = read_table("politeness_weights.json")
    return PolitenessModel(float(data["intercept"]), {k: float(v) for k, v in data["weights"].items()},
                           {k: float(v) for k, v in data.get("words", {}).items()})


class Politeness(NamedTuple):
    score: float  # 0-1, the probability that raters would call it polite
    hits: tuple[Hit, ...]  # the strategies and weighted words found, with their offsets
    contributions: tuple[tuple[str, float], ...]  # strategy or "word:…", weight; largest effect first


def all_hits(utterance: Utterance) -> list[Hit]:
    """The strategies found and the words the model weighs, in reading order."""
    weighted = model().words
    hits = strategy_hits(utterance) + [Hit("word:" + word.folded, word.start, word.end)
                                       for word in utterance.words if word.folded in weighted]
    hits.sort(key=lambda hit: (hit.start, hit.name))
    return hits


def politeness(utterance: Utterance, muted: frozenset[int] = frozenset()) -> Politeness:
    """The politeness of ``utterance``. Hits starting at an offset in ``muted``
    are left out: courtesy that introduces an insult ("with respect, you…")
    earns nothing, whether a strategy or a word."""
    weights = model()
    hits = tuple(hit for hit in all_hits(utterance) if hit.start not in muted)
    present = sorted({hit.name for hit in hits})
    contributions = [(name, weights.words.get(name[5:], 0.0) if name.startswith("word:") else weights.weights.get(name, 0.0))
                     for name in present]
    logit = weights.intercept + sum(weight for _, weight in contributions)
    contributions.sort(key=lambda item: (-abs(item[1]), item[0]))
    return Politeness(_sigmoid(logit), hits, tuple(contributions))


def _sigmoid(value: float) -> float:
    if value >= 0:
        return 1.0 / (1.0 + math.exp(-value))
    exp = math.exp(value)
    return exp / (1.0 + exp)
