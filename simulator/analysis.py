"""Balance analysis for trainers: what a scenario rewards, and whether a
test-wise player could game it.

The scenario is explored as a graph of *states* (a node and the variables on
arriving there), so conditions and variable changes are honoured.  On that
graph:

* the best and worst achievable score per competency (and overall) is found
  exactly by Dinkelbach's method: a score is a ratio (points gained over
  points possible along a path), and maximising ``gained - λ·possible`` by
  dynamic programming, with λ set to the last path's score, converges to the
  best ratio in a few passes;
* endings are counted by the number of distinct paths reaching them;
* "test-wise" strategies (always the first option, the longest, the
  shortest, a uniformly random one) are played and scored like a learner.

Paths are given as option numbers, as ``rehearse play --choices`` takes them.
Cycles are bounded: a state is never revisited on one path.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from scoring.catalogue import Catalogue, load_catalogue
from scoring.evidence import Decision, Offer
from scoring.scorer import opportunities_at, score
from simulator.engine import CompiledScenario, Session, apply_changes, settle
from simulator.scenario import Choice, Scenario

MAX_STATES = 200_000
RANDOM_RUNS = 200
OVERALL = "overall"

State = tuple  # (node id, tuple of variable items)


@dataclass
class _Option:
    number: int  # 1-based among the options on offer
    choice: Choice
    target: State
    gained: dict[str, int]  # per competency id and OVERALL


@dataclass
class _StateInfo:
    node_id: str
    ending: str | None
    possible: dict[str, int] = field(default_factory=dict)
    options: list[_Option] = field(default_factory=list)


@dataclass(frozen=True)
class Extreme:
    score: float | None
    path: tuple[int, ...]


@dataclass(frozen=True)
class StrategyResult:
    name: str
    overall: float | None
    band: str
    endings: dict[str, int]
    competencies: dict[str, float | None]


@dataclass(frozen=True)
class Analysis:
    scenario_id: str
    title: str
    nodes: int
    decision_nodes: int
    states: int
    paths: int
    best: dict[str, Extreme]
    worst: dict[str, Extreme]
    endings: dict[str, tuple[str, int]]  # node id -> (outcome, number of paths)
    qualities: dict[str, int]  # quality id -> decision nodes offering it
    never_evidenced: tuple[str, ...]
    strategies: tuple[StrategyResult, ...]
    warnings: tuple[str, ...]
    truncated: bool = False


def _state_graph(scenario: Scenario, compiled: CompiledScenario, catalogue: Catalogue):
    known = frozenset(catalogue.qualities)
    competency_of = {q: catalogue.qualities[q].competency for q in known}
    start_vars = scenario.initial_variables()
    start = (settle(scenario, scenario.start)[-1], tuple(sorted(start_vars.items())))
    graph: dict[State, _StateInfo] = {}
    queue = [start]
    truncated = False
    while queue:
        state = queue.pop()
        if state in graph:
            continue
        if len(graph) >= MAX_STATES:
            truncated = True
            break
        node_id, items = state
        node = scenario.nodes[node_id]
        info = _StateInfo(node_id, node.ending.outcome if node.ending else None)
        graph[state] = info
        if node.ending:
            continue
        variables = dict(items)
        offered = [c for c in node.choices if compiled.condition_holds(node_id, c, variables)]
        offers = tuple(Offer(c.id, c.text, c.evidence) for c in offered)
        for number, choice in enumerate(offered, start=1):
            decision = Decision(node_id, node.speaker, node.text, offers, number - 1)
            gained: Counter = Counter()
            possible: Counter = Counter()
            for opportunity in opportunities_at(0, decision, known):
                for key in (competency_of[opportunity.quality], OVERALL):
                    gained[key] += opportunity.gained
                    possible[key] += opportunity.possible
            info.possible = dict(possible)
            after = apply_changes(scenario, variables, choice)
            target = (settle(scenario, choice.next)[-1], tuple(sorted(after.items())))
            info.options.append(_Option(number, choice, target, dict(gained)))
            queue.append(target)
    return start, graph, truncated


def _optimise(start: State, graph, key: str, weight: Callable[[_StateInfo, _Option], float], better):
    """The path from ``start`` to an ending that is best under ``better`` for the
    summed ``weight``; cycles are cut (a state is not revisited on a path)."""
    memo: dict[State, tuple[float, tuple[int, ...]] | None] = {}
    on_path: set[State] = set()

    def visit(state: State):
        if state in memo:
            return memo[state]
        info = graph.get(state)
        if info is None:
            return None
        if info.ending is not None:
            memo[state] = (0.0, ())
            return memo[state]
        on_path.add(state)
        best = None
        for option in info.options:
            if option.target in on_path:
                continue
            rest = visit(option.target)
            if rest is None:
                continue
            value = weight(info, option) + rest[0]
            if best is None or better(value, best[0]):
                best = (value, (option.number,) + rest[1])
        on_path.discard(state)
        memo[state] = best
        return best

    return visit(start)


def _ratio(start: State, graph, key: str, path: tuple[int, ...]) -> tuple[int, int]:
    state, gained, possible = start, 0, 0
    for number in path:
        info = graph[state]
        option = info.options[number - 1]
        gained += option.gained.get(key, 0)
        possible += info.possible.get(key, 0)
        state = option.target
    return gained, possible


def _extreme(start: State, graph, key: str, maximise: bool) -> Extreme:
    better = (lambda a, b: a > b + 1e-12) if maximise else (lambda a, b: a < b - 1e-12)
    most_possible = _optimise(start, graph, key, lambda info, option: info.possible.get(key, 0), lambda a, b: a > b)
    if most_possible is None or most_possible[0] == 0:
        return Extreme(None, ())
    path = most_possible[1]
    gained, possible = _ratio(start, graph, key, path)
    ratio = gained / possible
    for _ in range(50):
        found = _optimise(start, graph, key,
                          lambda info, option: option.gained.get(key, 0) - ratio * info.possible.get(key, 0), better)
        if found is None or not better(found[0], 0.0):
            break
        gained, possible = _ratio(start, graph, key, found[1])
        if possible == 0:
            break
        path, ratio = found[1], gained / possible
    return Extreme(round(100 * ratio, 1), path)


def _count_paths(start: State, graph) -> dict[str, int]:
    memo: dict[State, Counter] = {}
    on_path: set[State] = set()

    def visit(state: State) -> Counter:
        if state in memo:
            return memo[state]
        info = graph.get(state)
        if info is None:
            return Counter()
        if info.ending is not None:
            memo[state] = Counter({info.node_id: 1})
            return memo[state]
        on_path.add(state)
        total: Counter = Counter()
        for option in info.options:
            if option.target not in on_path:
                total.update(visit(option.target))
        on_path.discard(state)
        memo[state] = total
        return total

    return dict(visit(start))


def _play(scenario: Scenario, compiled: CompiledScenario, pick: Callable[[list[Choice]], Choice]):
    session = Session(scenario, compiled)
    for _ in range(10_000):
        if session.finished:
            break
        session.choose(pick(session.choices()).id)
    return session


def _strategies(scenario: Scenario, compiled: CompiledScenario, catalogue: Catalogue) -> list[StrategyResult]:
    rng = random.Random(20261126)
    plans = [
        ("always the first option", lambda options: options[0], 1),
        ("always the longest option", lambda options: max(options, key=lambda c: len(c.text)), 1),
        ("always the shortest option", lambda options: min(options, key=lambda c: len(c.text)), 1),
        (f"a random option (mean of {RANDOM_RUNS} runs)", lambda options: rng.choice(options), RANDOM_RUNS),
    ]
    results = []
    for name, pick, runs in plans:
        overall: list[float] = []
        per_competency: dict[str, list[float]] = {c.id: [] for c in catalogue.competencies}
        endings: Counter = Counter()
        for _ in range(runs):
            session = _play(scenario, compiled, pick)
            card = score(session.evidence_log(), catalogue)
            if card.overall is not None:
                overall.append(card.overall)
            for competency in card.competencies:
                if competency.score is not None:
                    per_competency[competency.id].append(competency.score)
            endings[session.outcome or "no ending"] += 1
        mean = round(sum(overall) / len(overall), 1) if overall else None
        results.append(StrategyResult(
            name, mean, catalogue.band_for(mean).label if mean is not None else "not assessed", dict(endings),
            {cid: round(sum(v) / len(v), 1) if v else None for cid, v in per_competency.items()},
        ))
    return results


def analyse(scenario: Scenario, catalogue: Catalogue | None = None) -> Analysis:
    """The balance analysis of one scenario."""
    catalogue = catalogue or load_catalogue()
    compiled = CompiledScenario(scenario)
    start, graph, truncated = _state_graph(scenario, compiled, catalogue)
    keys = [c.id for c in catalogue.competencies] + [OVERALL]
    best = {key: _extreme(start, graph, key, maximise=True) for key in keys}
    worst = {key: _extreme(start, graph, key, maximise=False) for key in keys}
    ending_paths = _count_paths(start, graph)
    endings = {node_id: (ending.outcome, ending_paths.get(node_id, 0)) for node_id, ending in scenario.endings.items()}

    offering: dict[str, set[str]] = {}
    for info in graph.values():
        if not info.options:
            continue
        offers = tuple(Offer(o.choice.id, o.choice.text, o.choice.evidence) for o in info.options)
        decision = Decision(info.node_id, "", "", offers, 0)
        for opportunity in opportunities_at(0, decision, frozenset(catalogue.qualities)):
            offering.setdefault(opportunity.quality, set()).add(info.node_id)
    qualities = {q: len(offering[q]) for q in catalogue.qualities if q in offering}
    never = tuple(q for q in catalogue.qualities if q not in offering)

    strategies = _strategies(scenario, compiled, catalogue)
    top = catalogue.bands[0]
    warnings = [
        f"'{s.name}' reaches the top band ({top.label}, {s.overall}): a test-wise player could score well without judgement"
        for s in strategies if s.overall is not None and s.overall >= top.minimum
    ]
    warnings += [f"ending '{node_id}' ({outcome}) is reached by no path"
                 for node_id, (outcome, count) in endings.items() if count == 0]
    if truncated:
        warnings.append(f"the scenario has more than {MAX_STATES:,} states; the analysis covers the first {MAX_STATES:,}")
    return Analysis(
        scenario_id=scenario.id, title=scenario.title, nodes=len(scenario.nodes),
        decision_nodes=sum(1 for n in scenario.nodes.values() if n.choices), states=len(graph),
        paths=sum(ending_paths.values()), best=best, worst=worst, endings=endings, qualities=qualities,
        never_evidenced=never, strategies=tuple(strategies), warnings=tuple(warnings), truncated=truncated,
    )
