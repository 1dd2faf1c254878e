"""Test-wise strategies: ways to pick options without judgement, played
through a scenario's state graph and scored like a learner.

A strategy that reaches the top band means a learner could score well by
habit rather than by reading the case: ``rehearse analyse`` warns about it.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass

from scoring.catalogue import Catalogue
from simulator.analysis.wording import pick_by_wording, pick_plainest

RANDOM_RUNS = 200


@dataclass(frozen=True)
class StrategyResult:
    name: str
    overall: float | None
    band: str
    endings: dict[str, int]
    competencies: dict[str, float | None]


def play_strategies(start, graph, catalogue: Catalogue, overall_key: str) -> list[StrategyResult]:
    rng = random.Random(20261126)
    plans = [
        ("always the first option", lambda options: options[0], 1),
        ("always the longest option", lambda options: max(options, key=lambda o: len(o[0].choice.text)), 1),
        ("always the shortest option", lambda options: min(options, key=lambda o: len(o[0].choice.text)), 1),
        ("by wording alone (professional-sounding cues)",
         lambda options: options[pick_by_wording([o[0].choice.text for o in options])], 1),
        ("the plainest wording (fewest of those cues)",
         lambda options: options[pick_plainest([o[0].choice.text for o in options])], 1),
        (f"a random option (mean of {RANDOM_RUNS} runs)", rng.choice, RANDOM_RUNS),
    ]
    keys = [c.id for c in catalogue.competencies] + [overall_key]
    walks = _Walks(start, graph, keys)
    results = []
    for name, pick, runs in plans:
        scores: dict[str, list[float]] = {key: [] for key in keys}
        endings: Counter = Counter()
        for _ in range(runs):
            gained, possible, outcome = walks.follow(pick)
            endings[outcome] += 1
            for key, points, out_of in zip(keys, gained, possible):
                if out_of:
                    scores[key].append(100 * points / out_of)
        means = {key: round(sum(v) / len(v), 1) if v else None for key, v in scores.items()}
        overall = means.pop(overall_key)
        band = catalogue.band_for(overall).label if overall is not None else "not assessed"
        results.append(StrategyResult(name, overall, band, dict(endings), means))
    return results


class _Walks:
    """The state graph made ready for many walks: states as numbers, and each
    option's points and its state's points possible as vectors over ``keys``,
    so a step adds two short vectors instead of looking up dictionaries."""

    def __init__(self, start, graph, keys: list[str]) -> None:
        where = {state: i for i, state in enumerate(graph)}
        self.start = where.get(start, -1)
        self.size = len(graph)
        self.ending = [info.ending for info in graph.values()]
        # Per state: (option, its points gained, the state it leads to or -1
        # when unexplored, its points possible).
        self.options = [[(option, tuple(option.gained.get(k, 0) for k in keys), where.get(option.target, -1),
                          tuple(option.possible.get(k, 0) for k in keys))
                         for option in info.options] for info in graph.values()]
        self.width = len(keys)

    def follow(self, pick) -> tuple[list[int], list[int], str]:
        """Follow ``pick`` from the start: points gained and possible per key, and the ending's outcome."""
        taken = []
        state, ending, options = self.start, self.ending, self.options
        for _ in range(self.size + 1):  # a strategy that loops never reaches an ending
            if state < 0 or ending[state] is not None or not options[state]:
                break
            step = pick(options[state])
            taken.append(step)
            state = step[2]
        # Summed once at the end, column by column: the random strategy takes
        # hundreds of thousands of steps on the benchmark scenario.
        gained = [sum(column) for column in zip(*(step[1] for step in taken))] or [0] * self.width
        possible = [sum(column) for column in zip(*(step[3] for step in taken))] or [0] * self.width
        outcome = ending[state] if state >= 0 and ending[state] else "no ending"
        return gained, possible, outcome


