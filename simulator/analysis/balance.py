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
from scoring.scorer import opportunities_at
from simulator.engine.session import CompiledScenario, apply_changes, settle
from simulator.model.gc_pause import gc_paused
from simulator.model.scenario import Choice, Scenario

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
    decisions_per_path: tuple[int, int]  # fewest and most decisions on a path to an ending
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


def _acyclic_order(start: State, graph) -> tuple[list[State], set[tuple[State, int]]]:
    """States reachable from ``start``, each after every state it leads to, and
    the edges (state, option number) that would close a cycle: those are left
    out, so no path revisits a state.  Iterative, so long scenarios do not hit
    Python's recursion limit."""
    order: list[State] = []
    back_edges: set[tuple[State, int]] = set()
    colour: dict[State, int] = {}  # 1 = on the current path, 2 = finished
    stack = [(start, iter(graph[start].options if start in graph else ()))]
    colour[start] = 1
    while stack:
        state, options = stack[-1]
        for option in options:
            target = option.target
            if target not in graph:
                continue
            mark = colour.get(target)
            if mark == 1:
                back_edges.add((state, option.number))
            elif mark is None:
                colour[target] = 1
                stack.append((target, iter(graph[target].options)))
                break
        else:
            colour[state] = 2
            order.append(state)
            stack.pop()
    return order, back_edges


def _optimise(order, back_edges, graph, weight: Callable[[_StateInfo, _Option], float], better):
    """The path from the start (last in ``order``) to an ending that is best
    under ``better`` for the summed ``weight``, as (value, option numbers)."""
    value: dict[State, float] = {}
    via: dict[State, _Option | None] = {}  # the option taken from each state on its best path
    for state in order:
        info = graph[state]
        if info.ending is not None:
            value[state], via[state] = 0.0, None
            continue
        found = chosen = None
        for option in info.options:
            rest = value.get(option.target)
            if rest is None or (back_edges and (state, option.number) in back_edges):
                continue
            total = weight(info, option) + rest
            if found is None or better(total, found):
                found, chosen = total, option
        if chosen is not None:
            value[state], via[state] = found, chosen
    if not order or order[-1] not in value:
        return None
    path, state = [], order[-1]
    while via[state] is not None:
        path.append(via[state].number)
        state = via[state].target
    return value[order[-1]], tuple(path)


def _ratio(start: State, graph, key: str, path: tuple[int, ...]) -> tuple[int, int]:
    state, gained, possible = start, 0, 0
    for number in path:
        info = graph[state]
        option = info.options[number - 1]
        gained += option.gained.get(key, 0)
        possible += info.possible.get(key, 0)
        state = option.target
    return gained, possible


def _most_possible(order, back_edges, graph, key: str):
    """A path with the most points possible for ``key``: where Dinkelbach starts."""
    return _optimise(order, back_edges, graph, lambda info, option: info.possible.get(key, 0), lambda a, b: a > b)


def _extreme(start: State, order, back_edges, graph, key: str, maximise: bool, most_possible) -> Extreme:
    better = (lambda a, b: a > b + 1e-12) if maximise else (lambda a, b: a < b - 1e-12)
    if most_possible is None or most_possible[0] == 0:
        return Extreme(None, ())
    path = most_possible[1]
    gained, possible = _ratio(start, graph, key, path)
    ratio = gained / possible
    for _ in range(50):
        found = _optimise(order, back_edges, graph,
                          lambda info, option: option.gained.get(key, 0) - ratio * info.possible.get(key, 0), better)
        if found is None or not better(found[0], 0.0):
            break
        gained, possible = _ratio(start, graph, key, found[1])
        if possible == 0:
            break
        path, ratio = found[1], gained / possible
    return Extreme(round(100 * ratio, 1), path)


def _count_paths(order, back_edges, graph) -> dict[str, int]:
    counts: dict[State, Counter] = {}
    for state in order:
        info = graph[state]
        if info.ending is not None:
            counts[state] = Counter({info.node_id: 1})
            continue
        total: Counter = Counter()
        for option in info.options:
            if option.target in counts and not (back_edges and (state, option.number) in back_edges):
                total.update(counts[option.target])
        counts[state] = total
    return dict(counts[order[-1]]) if order else {}


def _path_lengths(order, back_edges, graph) -> tuple[int, int]:
    """The fewest and the most decisions on any path from the start to an ending."""
    shortest: dict[State, int] = {}
    longest: dict[State, int] = {}
    for state in order:
        info = graph[state]
        if info.ending is not None:
            shortest[state] = longest[state] = 0
            continue
        onward = [option.target for option in info.options if option.target in shortest
                  and not (back_edges and (state, option.number) in back_edges)]
        if onward:
            shortest[state] = 1 + min(shortest[t] for t in onward)
            longest[state] = 1 + max(longest[t] for t in onward)
    start = order[-1] if order else None
    return (shortest.get(start, 0), longest.get(start, 0))


def _walk(start: State, graph, pick: Callable[[list[_Option]], _Option]):
    """Follow ``pick`` from the start: (gained, possible) per key, and the ending's outcome."""
    gained: dict[str, int] = {}
    possible: dict[str, int] = {}
    state = start
    for _ in range(len(graph) + 1):  # a strategy that loops never reaches an ending
        info = graph.get(state)
        if info is None or info.ending is not None or not info.options:
            break
        option = pick(info.options)
        for key, points in option.gained.items():
            gained[key] = gained.get(key, 0) + points
        for key, points in info.possible.items():
            possible[key] = possible.get(key, 0) + points
        state = option.target
    info = graph.get(state)
    outcome = info.ending if info is not None and info.ending else "no ending"
    return gained, possible, outcome


def _strategies(start: State, graph, catalogue: Catalogue) -> list[StrategyResult]:
    rng = random.Random(20261126)
    plans = [
        ("always the first option", lambda options: options[0], 1),
        ("always the longest option", lambda options: max(options, key=lambda o: len(o.choice.text)), 1),
        ("always the shortest option", lambda options: min(options, key=lambda o: len(o.choice.text)), 1),
        (f"a random option (mean of {RANDOM_RUNS} runs)", lambda options: rng.choice(options), RANDOM_RUNS),
    ]
    keys = [c.id for c in catalogue.competencies] + [OVERALL]
    results = []
    for name, pick, runs in plans:
        scores: dict[str, list[float]] = {key: [] for key in keys}
        endings: Counter = Counter()
        for _ in range(runs):
            gained, possible, outcome = _walk(start, graph, pick)
            endings[outcome] += 1
            for key in keys:
                if possible.get(key):
                    scores[key].append(100 * gained.get(key, 0) / possible[key])
        means = {key: round(sum(v) / len(v), 1) if v else None for key, v in scores.items()}
        overall = means.pop(OVERALL)
        band = catalogue.band_for(overall).label if overall is not None else "not assessed"
        results.append(StrategyResult(name, overall, band, dict(endings), means))
    return results


def analyse(scenario: Scenario, catalogue: Catalogue | None = None) -> Analysis:
    """The balance analysis of one scenario."""
    with gc_paused():  # the state graph is large and acyclic: see gc_pause
        return _analyse(scenario, catalogue or load_catalogue())


def _analyse(scenario: Scenario, catalogue: Catalogue) -> Analysis:
    compiled = CompiledScenario(scenario)
    start, graph, truncated = _state_graph(scenario, compiled, catalogue)
    order, back_edges = _acyclic_order(start, graph)
    keys = [c.id for c in catalogue.competencies] + [OVERALL]
    seeds = {key: _most_possible(order, back_edges, graph, key) for key in keys}
    best = {key: _extreme(start, order, back_edges, graph, key, True, seeds[key]) for key in keys}
    worst = {key: _extreme(start, order, back_edges, graph, key, False, seeds[key]) for key in keys}
    ending_paths = _count_paths(order, back_edges, graph)
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

    strategies = _strategies(start, graph, catalogue)
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
        paths=sum(ending_paths.values()), decisions_per_path=_path_lengths(order, back_edges, graph), best=best, worst=worst, endings=endings, qualities=qualities,
        never_evidenced=never, strategies=tuple(strategies), warnings=tuple(warnings), truncated=truncated,
    )
