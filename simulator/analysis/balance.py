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

The work is bounded too. Variables with wide ranges multiply the states (100
decisions of 9 options each adding 0-8 to one variable make tens of
thousands of states, each pass of the exact method visiting every option of
every one, a dozen passes and more), so exploring stops at ``MAX_STATES``
states or ``MAX_OPTIONS`` options between them, and the analysis then says
the scenario is too large to analyse exactly and where it stopped, instead
of running for minutes and reporting scores for part of it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from scoring.catalogue import Catalogue, load_catalogue
from scoring.evidence import Decision, EvidenceLog, Offer
from scoring.scorer import points_on_offer, score
from simulator.engine.session import CompiledScenario, apply_changes, settle
from simulator.model.gc_pause import gc_paused
from simulator.analysis.strategies import StrategyResult, play_strategies
from simulator.model.scenario import Choice, Scenario

# About a second of work on a 2-core machine at either limit (the 1,000-node
# benchmark scenario has 3,981 states and 11,943 options; the bundled
# scenarios have at most a few hundred states).
MAX_STATES = 20_000
MAX_OPTIONS = 60_000
OVERALL = "overall"
MARGIN = 1e-12  # a better path must beat the last by more than rounding

State = tuple  # (node id, tuple of variable items)


@dataclass
class _Option:
    number: int  # 1-based among the options on offer
    choice: Choice
    target: State
    gained: dict[str, int]  # per competency id and OVERALL
    # Points possible for choosing it: under the scorer's rule they depend on
    # the option chosen as well as on what was on offer (docs/scoring.md).
    possible: dict[str, int]


@dataclass
class _StateInfo:
    node_id: str
    ending: str | None
    options: list[_Option] = field(default_factory=list)


@dataclass(frozen=True)
class Extreme:
    score: float | None
    path: tuple[int, ...]


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
    # The best overall route replayed through the scorer: each quality it
    # met as (quality id, score), lowest first. A trainer's check that the
    # route a scenario rewards shows nothing below the top band.
    best_route_qualities: tuple[tuple[str, float], ...] = ()
    truncated: bool = False  # too large to analyse exactly: nothing above is computed
    state_limit: int = MAX_STATES
    option_limit: int = MAX_OPTIONS


def _state_graph(scenario: Scenario, compiled: CompiledScenario, catalogue: Catalogue):
    known = frozenset(catalogue.qualities)
    competency_of = {q: catalogue.qualities[q].competency for q in known}
    start_vars = scenario.initial_variables()
    start = (settle(scenario, scenario.start)[-1], tuple(sorted(start_vars.items())))
    graph: dict[State, _StateInfo] = {}
    queue = [start]
    truncated = False
    options = 0
    # Points depend only on the node and the options on offer there, not on
    # the variables: worked out once per (node, offer), not once per state.
    points: dict[tuple[str, tuple[int, ...]], tuple[list[dict[str, int]], list[dict[str, int]], set[str]]] = {}
    while queue:
        state = queue.pop()
        if state in graph:
            continue
        if len(graph) >= MAX_STATES or options >= MAX_OPTIONS:
            truncated = True
            break
        node_id, items = state
        node = scenario.nodes[node_id]
        info = _StateInfo(node_id, node.ending.outcome if node.ending else None)
        graph[state] = info
        if node.ending:
            continue
        variables = dict(items)
        on_offer = tuple(i for i, c in enumerate(node.choices) if compiled.condition_holds(node_id, c, variables))
        offered = [node.choices[i] for i in on_offer]
        key = (node_id, on_offer)
        if key not in points:
            points[key] = _points(node, offered, known, competency_of)
        possibles, gains, _ = points[key]
        for number, (choice, gained, possible) in enumerate(zip(offered, gains, possibles), start=1):
            after = apply_changes(scenario, variables, choice)
            target = (settle(scenario, choice.next)[-1], tuple(sorted(after.items())))
            info.options.append(_Option(number, choice, target, gained, possible))
            queue.append(target)
        options += len(offered)
    return start, graph, truncated, points


def _points(node, offered: list[Choice], known, competency_of) -> tuple[list[dict[str, int]], list[dict[str, int]], set[str]]:
    """Points possible and gained for choosing each option of ``offered``, per
    key; and the qualities some choice there would count for."""
    offers = tuple(Offer(c.id, c.text, c.evidence) for c in offered)
    by_quality = points_on_offer(offers, known)
    counted = {quality for possible_by in by_quality[0] for quality in possible_by}
    possibles, gains = [], []
    for possible_by, gained_by in zip(*by_quality):
        for found, into in ((possible_by, possibles), (gained_by, gains)):
            totals: Counter = Counter()
            for quality, points in found.items():
                totals[competency_of[quality]] += points
                totals[OVERALL] += points
            into.append(dict(totals))
    return possibles, gains, counted


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


class _Dag:
    """The state graph without its loop-closing options, in whole numbers:
    state ``i`` in ``order`` (every state after those it leads to), and for
    each the options that stay on it as (number, target's index, option).
    The passes below visit every option of every state a dozen times and
    more, so they index lists rather than hash states."""

    def __init__(self, order: list[State], back_edges: set[tuple[State, int]], graph) -> None:
        self.order = order
        where = {state: i for i, state in enumerate(order)}
        self.infos = [graph[state] for state in order]
        self._points: dict[str, tuple[list[list[int]], list[list[int]]]] = {}
        self.steps = [[(option.number, where[option.target], option) for option in info.options
                       if option.target in where and not (back_edges and (state, option.number) in back_edges)]
                      for state, info in zip(order, self.infos)]

    def best(self, gains: list[list[int]] | None, possible: list[list[int]], ratio: float, maximise: bool,
             margin: float = 0.0):
        """The path from the start (the last state) to an ending with the
        largest (``maximise``) or smallest sum of ``gains[i][m] - ratio *
        possible[i][m]`` over its steps (``gains`` None counts 0), a change
        counting only beyond ``margin``; as (value, option numbers), or None."""
        count = len(self.order)
        value: list[float | None] = [None] * count
        via: list[tuple[int, int] | None] = [None] * count  # (option number, next state) on each best path
        for i, info in enumerate(self.infos):
            if info.ending is not None:
                value[i] = 0.0
                continue
            found = chosen = None
            lost = possible[i]
            here = gains[i] if gains is not None else None
            for m, (number, j, _) in enumerate(self.steps[i]):
                rest = value[j]
                if rest is None:
                    continue
                total = ((here[m] if here is not None else 0) - ratio * lost[m]) + rest
                if found is None or (total > found + margin if maximise else total < found - margin):
                    found, chosen = total, (number, j)
            if chosen is not None:
                value[i], via[i] = found, chosen
        if not count or value[-1] is None:
            return None
        path, i = [], count - 1
        while via[i] is not None:
            number, i = via[i]
            path.append(number)
        return value[-1], tuple(path)

    def points(self, key: str) -> tuple[list[list[int]], list[list[int]]]:
        """For ``key``: the points each option on the DAG gains, and the points possible for choosing it."""
        if key not in self._points:
            self._points[key] = ([[option.gained.get(key, 0) for _, _, option in steps] for steps in self.steps],
                                 [[option.possible.get(key, 0) for _, _, option in steps] for steps in self.steps])
        return self._points[key]


def _ratio(start: State, graph, key: str, path: tuple[int, ...]) -> tuple[int, int]:
    state, gained, possible = start, 0, 0
    for number in path:
        info = graph[state]
        option = info.options[number - 1]
        gained += option.gained.get(key, 0)
        possible += option.possible.get(key, 0)
        state = option.target
    return gained, possible


def _most_possible(dag: _Dag, key: str):
    """A path with the most points possible for ``key``: where Dinkelbach starts."""
    _, possible = dag.points(key)
    return dag.best(None, possible, -1, maximise=True)


def _extreme(start: State, dag: _Dag, graph, key: str, maximise: bool, most_possible) -> Extreme:
    better = (lambda a, b: a > b + MARGIN) if maximise else (lambda a, b: a < b - MARGIN)
    if most_possible is None or most_possible[0] == 0:
        return Extreme(None, ())
    path = most_possible[1]
    gained, possible = _ratio(start, graph, key, path)
    ratio = gained / possible
    gains, possibles = dag.points(key)
    for _ in range(50):
        found = dag.best(gains, possibles, ratio, maximise, MARGIN)
        if found is None or not better(found[0], 0.0):
            break
        gained, possible = _ratio(start, graph, key, found[1])
        if possible == 0:
            break
        path, ratio = found[1], gained / possible
    return Extreme(round(100 * ratio, 1), path)


def _replay(start: State, graph, path: tuple[int, ...]) -> tuple[Decision, ...]:
    """The decisions of ``path`` as the engine would log them, for the scorer."""
    decisions, state = [], start
    for number in path:
        info = graph[state]
        offers = tuple(Offer(o.choice.id, o.choice.text, o.choice.evidence) for o in info.options)
        decisions.append(Decision(info.node_id, "", "", offers, number - 1))
        state = info.options[number - 1].target
    return tuple(decisions)


def _count_paths(dag: _Dag) -> dict[str, int]:
    counts: list[Counter] = []
    for i, info in enumerate(dag.infos):
        if info.ending is not None:
            counts.append(Counter({info.node_id: 1}))
            continue
        total: Counter = Counter()
        for _, j, _ in dag.steps[i]:
            total.update(counts[j])
        counts.append(total)
    return dict(counts[-1]) if counts else {}


def _path_lengths(dag: _Dag) -> tuple[int, int]:
    """The fewest and the most decisions on any path from the start to an ending."""
    shortest: list[int | None] = []
    longest: list[int | None] = []
    for i, info in enumerate(dag.infos):
        if info.ending is not None:
            shortest.append(0)
            longest.append(0)
            continue
        onward = [j for _, j, _ in dag.steps[i] if shortest[j] is not None]
        shortest.append(1 + min(shortest[j] for j in onward) if onward else None)
        longest.append(1 + max(longest[j] for j in onward) if onward else None)
    return (shortest[-1] or 0, longest[-1] or 0) if shortest else (0, 0)


def analyse(scenario: Scenario, catalogue: Catalogue | None = None) -> Analysis:
    """The balance analysis of one scenario."""
    with gc_paused():  # the state graph is large and acyclic: see gc_pause
        return _analyse(scenario, catalogue or load_catalogue())


def _analyse(scenario: Scenario, catalogue: Catalogue) -> Analysis:
    compiled = CompiledScenario(scenario)
    start, graph, truncated, points = _state_graph(scenario, compiled, catalogue)
    keys = [c.id for c in catalogue.competencies] + [OVERALL]
    if truncated:
        return _too_large(scenario, graph, keys)
    dag = _Dag(*_acyclic_order(start, graph), graph)
    seeds = {key: _most_possible(dag, key) for key in keys}
    best = {key: _extreme(start, dag, graph, key, True, seeds[key]) for key in keys}
    worst = {key: _extreme(start, dag, graph, key, False, seeds[key]) for key in keys}
    ending_paths = _count_paths(dag)
    endings = {node_id: (ending.outcome, ending_paths.get(node_id, 0)) for node_id, ending in scenario.endings.items()}

    # A quality is offered where some choice there would count for it: the
    # state graph worked that out once per node and options on offer.
    offering: dict[str, set[str]] = {}
    for (node_id, _), (_, _, counted) in points.items():
        for quality in counted:
            offering.setdefault(quality, set()).add(node_id)
    qualities = {q: len(offering[q]) for q in catalogue.qualities if q in offering}
    never = tuple(q for q in catalogue.qualities if q not in offering)

    strategies = play_strategies(start, graph, catalogue, OVERALL)
    route = _replay(start, graph, best[OVERALL].path)
    card = score(EvidenceLog(scenario.id, scenario.title, route), catalogue)
    best_route = tuple(sorted(((q.id, round(q.score, 1)) for q in card.assessed_qualities), key=lambda item: item[1]))
    top = catalogue.bands[0]
    warnings = [
        f"'{s.name}' reaches the top band ({top.label}, {s.overall}): a test-wise player could score well without judgement"
        for s in strategies if s.overall is not None and s.overall >= top.minimum
    ]
    warnings += [f"ending '{node_id}' ({outcome}) is reached by no path"
                 for node_id, (outcome, count) in endings.items() if count == 0]
    return Analysis(
        scenario_id=scenario.id, title=scenario.title, nodes=len(scenario.nodes),
        decision_nodes=sum(1 for n in scenario.nodes.values() if n.choices), states=len(graph),
        paths=sum(ending_paths.values()), decisions_per_path=_path_lengths(dag), best=best, worst=worst, endings=endings, qualities=qualities,
        never_evidenced=never, strategies=tuple(strategies), warnings=tuple(warnings),
        best_route_qualities=best_route, truncated=truncated,
    )


def _too_large(scenario: Scenario, graph, keys: list[str]) -> Analysis:
    """What is said of a scenario whose states run past the limits: where
    exploring stopped, and no score, path or count that would describe only
    the part explored."""
    options = sum(len(info.options) for info in graph.values())
    unknown = Extreme(None, ())
    return Analysis(
        scenario_id=scenario.id, title=scenario.title, nodes=len(scenario.nodes),
        decision_nodes=sum(1 for n in scenario.nodes.values() if n.choices), states=len(graph), paths=0,
        decisions_per_path=(0, 0), best={key: unknown for key in keys}, worst={key: unknown for key in keys},
        endings={}, qualities={}, never_evidenced=(), strategies=(),
        warnings=(f"too large to analyse exactly: exploring stopped after {len(graph):,} states and {options:,} "
                  f"options between them (the limits are {MAX_STATES:,} states and {MAX_OPTIONS:,} options); "
                  "variables with wide ranges multiply the states, so narrow their min and max, or split the "
                  "scenario, to analyse it",),
        truncated=True,
    )
