"""Which endings a best path reaches: a cheap, exact answer for the lint.

A *best path* is a path from the start to an ending that achieves the best
score any path can achieve overall, or for some competency.  Scores are the
scorer's (``scoring.scorer.points_on_offer``: each decision judged against the
options on offer there, see docs/scoring.md), and a score is the points
gained over the points possible along the path.  A path
that never meets a competency has no score for it, so it is not a best path
for it.

The scenario is explored as ``rehearse analyse`` does: states are a node and
the variables, so conditions are honoured, and no path revisits a state.  It
is cheaper in three ways, none of which changes the answer:

* a state keeps only the variables that a condition reads at its node or
  further on: the others can no longer change what is on offer, so states
  differing only in them behave alike (the bundled scenarios have 26-76
  such states, against 93-454 in ``analyse``);
* the best score is found with whole numbers: maximising
  ``p·gained − g·possible`` for the best ratio g/p so far (Dinkelbach's
  method), starting from 100 %, which most competencies reach in one pass;
* the paths achieving the best are not listed: every path whose steps all
  keep the optimum (``value(step) + value(rest) == value(here)``) is best, so
  the endings they reach are found by one search along those steps, and the
  competencies are tried only until every ending is accounted for.

Nothing heavy is imported, as the lint runs on every load: not the
transitions engine, and not simpleeval either (``conditions`` keeps it out of
``rehearse validate``).  A condition, already parsed and checked against the
whitelist by ``simulator.model.conditions``, is turned into a small Python function
of the variables with the same meaning as ``Condition.holds`` (a test holds
the two to the same answers); nothing is passed to ``eval``.
"""

from __future__ import annotations

import ast
import operator
from typing import Callable, Mapping

from scoring.evidence import Offer
from scoring.scorer import points_on_offer
from simulator.model.conditions import parse_condition
from simulator.model.scenario import Scenario

OVERALL = "overall"
MAX_ITERATIONS = 50  # Dinkelbach converges in a handful; this only bounds a pathological case


class TooLarge(Exception):
    """The scenario has more states than the budget allows."""


def endings_off_best_paths(scenario: Scenario, competency_of: Mapping[str, str],
                           max_states: int) -> tuple[list[str], list[str]]:
    """``(unreachable, off_best)``: endings no path reaches once conditions are
    applied, and endings some path reaches but no best path does (both in file
    order).  ``competency_of`` maps each known quality id to its competency.
    Raises ``TooLarge`` beyond ``max_states`` states."""
    graph = _StateGraph(scenario, competency_of, max_states)
    endings = [node_id for node_id, node in scenario.nodes.items() if node.ending]
    reached = {graph.node_of[i] for i in range(len(graph.node_of)) if graph.edges[i] is None}
    met = [key for key in range(len(graph.keys))
           if any(can[key] for out in graph.edges if out for _, _, can in out)]
    if not met:
        return ([e for e in endings if e not in reached], [])  # nothing is scored: no path is best
    wanted = reached.copy()
    # Keys whose best is 100 % take one pass each, so they go first; the
    # others need Dinkelbach's passes, and only while an ending is unaccounted for.
    harder = []
    for key in met:
        if wanted:
            found = graph.perfect_endings(key)
            if found is None:
                harder.append(key)
            else:
                wanted -= found
    for key in harder:
        if wanted:
            wanted -= graph.best_endings(key)
    return ([e for e in endings if e not in reached], [e for e in endings if e in wanted])


def best_endings(scenario: Scenario, competency_of: Mapping[str, str], max_states: int) -> dict[str, set[str]]:
    """Per competency id (and ``"overall"``), the endings reached by a path
    with the best score for it; empty for a competency no path meets."""
    graph = _StateGraph(scenario, competency_of, max_states)
    return {name: graph.best_endings(key) for key, name in enumerate(graph.keys)}


class _StateGraph:
    def __init__(self, scenario: Scenario, competency_of: Mapping[str, str], max_states: int) -> None:
        competencies = list(dict.fromkeys(competency_of.values()))
        self.keys = competencies + [OVERALL]
        self._key_of = {q: competencies.index(c) for q, c in competency_of.items()}
        self._scenario = scenario
        self._settled: dict[str, str] = {}
        self._offers: dict[tuple, tuple] = {}
        self._holds: dict[tuple, bool] = {}
        self._plans: dict[str, list | None] = {}
        self._offer_list: dict[str, list[Offer]] = {}
        self._known = frozenset(competency_of)
        conditions = {}
        for node in scenario.nodes.values():
            for choice in node.choices:
                if choice.condition is not None:
                    conditions[choice.condition] = parse_condition(choice.condition)
        self._conditions = conditions
        self._tests: dict[str, Callable] = {}
        self._live = self._live_variables()
        self._build(max_states)

    # -- the graph ----------------------------------------------------------
    def _live_variables(self) -> dict[str, tuple[str, ...]]:
        """Per node, the variables a condition reads there or further on (in
        declared order).  Only they can change what happens from that node, so
        a state keeps only them: paths that differ in the rest merge."""
        nodes = self._scenario.nodes
        live = {node_id: {name for choice in node.choices if choice.condition is not None
                          for name in self._conditions[choice.condition].names}
                for node_id, node in nodes.items()}
        before: dict[str, list[str]] = {node_id: [] for node_id in nodes}
        for node_id, node in nodes.items():
            for target in node.targets():
                before[target].append(node_id)
        pending = [node_id for node_id, names in live.items() if names]
        while pending:  # pass each node's names back to the nodes leading to it, loops included
            node_id = pending.pop()
            names = live[node_id]
            for previous in before[node_id]:
                if not names <= live[previous]:
                    live[previous] |= names
                    pending.append(previous)
        order = list(self._scenario.variables)
        return {node_id: tuple(name for name in order if name in names) for node_id, names in live.items()}

    def _settle(self, node_id: str) -> str:
        """The decision or ending reached from ``node_id`` by following ``next``."""
        found = self._settled.get(node_id)
        if found is None:
            found, seen = node_id, set()
            while self._scenario.nodes[found].next is not None and found not in seen:
                seen.add(found)
                found = self._scenario.nodes[found].next
            self._settled[node_id] = found
        return found

    def _build(self, max_states: int) -> None:
        scenario = self._scenario
        first = self._settle(scenario.start)
        start = (first, tuple(scenario.variables[name].initial for name in self._live[first]))
        index = {start: 0}
        states = [start]
        # Per state: None for an ending, else [(target index, gained per key, possible per key)].
        edges: list[list | None] = []
        offered_at: list[list[int]] = []  # per state: the numbers of the choices on offer, in edge order
        holds = self._holds
        at = 0
        while at < len(states):
            node_id, values = states[at]
            at += 1
            plan = self._plan(node_id)
            if plan is None:
                edges.append(None)
                offered_at.append([])
                continue
            offered = []
            for number, (condition, _, _, _) in enumerate(plan):
                if condition is not None:
                    text, names, where = condition
                    key = (text, tuple(values[i] for i in where))
                    held = holds.get(key)
                    if held is None:
                        held = holds[key] = bool(self._test(text)(dict(zip(names, key[1]))))
                    if not held:
                        continue
                offered.append(number)
            gains, cans = self._score(node_id, tuple(offered))
            out = []
            for number, gained, can in zip(offered, gains, cans):
                _, following, keep, changes = plan[number]
                if changes:
                    changed = list(values)
                    for i, change in changes:
                        changed[i] = change(changed[i])
                    target = (following, tuple(changed[i] for i in keep))
                else:
                    target = (following, tuple(values[i] for i in keep))
                found = index.get(target)
                if found is None:
                    if len(states) >= max_states:
                        raise TooLarge
                    found = index[target] = len(states)
                    states.append(target)
                out.append((found, gained, can))
            edges.append(out)
            offered_at.append(offered)
        self.node_of = [node_id for node_id, _ in states]
        self.edges = edges
        # Every option, loops included, beside the numbers of the choices on
        # offer: for walking a strategy (simulator.analysis.wording).
        self.all_edges = edges
        self.offered = offered_at
        self.order = self._acyclic_order()

    def _test(self, text: str) -> Callable:
        test = self._tests.get(text)
        if test is None:
            test = self._tests[text] = predicate(self._conditions[text].tree)
        return test

    def _plan(self, node_id: str) -> list | None:
        """Per option of a decision, worked out once: its condition (with where
        the variables it reads sit in a state), the node it settles at, which
        live variables to keep there, and its changes (``engine.apply_changes``:
        set, then add, clamped).  None for an ending."""
        plan = self._plans.get(node_id, False)
        if plan is not False:
            return plan
        node = self._scenario.nodes[node_id]
        if node.ending is not None or not node.choices:
            self._plans[node_id] = None
            return None
        declared = self._scenario.variables
        at = {name: i for i, name in enumerate(self._live[node_id])}
        plan = []
        for choice in node.choices:
            condition = None
            if choice.condition is not None:
                names = tuple(sorted(self._conditions[choice.condition].names))
                condition = (choice.condition, names, tuple(at[name] for name in names))
            following = self._settle(choice.next)
            keep = tuple(at[name] for name in self._live[following])  # live there means live here too
            changes = [(at[name], _setter(declared[name], value)) for name, value in choice.set.items() if name in at]
            changes += [(at[name], _adder(declared[name], delta)) for name, delta in choice.add.items() if name in at]
            plan.append((condition, following, keep, changes))
        self._plans[node_id] = plan
        return plan

    def _score(self, node_id: str, offered: tuple) -> tuple:
        """Points gained and possible per key for each option at a decision, as
        ``scoring.scorer.opportunities_at`` counts them (kept in step by a test)."""
        memo = self._offers.get((node_id, offered))
        if memo is not None:
            return memo
        offers = self._offer_list.get(node_id)
        if offers is None:
            offers = self._offer_list[node_id] = [
                Offer(c.id, "", c.evidence) for c in self._scenario.nodes[node_id].choices]
        overall = len(self.keys) - 1
        gains = [[0] * (overall + 1) for _ in offered]
        cans = [[0] * (overall + 1) for _ in offered]
        if offered:  # every option locked: a dead end
            possible_by, gained_by = points_on_offer(tuple(offers[i] for i in offered), self._known)
            key_of = self._key_of
            for totals, by in (*zip(gains, gained_by), *zip(cans, possible_by)):
                for quality, points in by.items():
                    totals[key_of[quality]] += points
                    totals[overall] += points
        memo = self._offers[(node_id, offered)] = ([tuple(g) for g in gains], [tuple(c) for c in cans])
        return memo

    def _acyclic_order(self) -> list[int]:
        """States each after every state they lead to; an edge back to a state
        on the current path is dropped (no path revisits a state), as in
        ``simulator.analysis.balance``."""
        edges = self.edges
        order: list[int] = []
        colour = [0] * len(edges)  # 1 = on the current path, 2 = finished
        kept: list[list | None] = [None if out is None else [] for out in edges]
        colour[0] = 1
        stack = [(0, iter(edges[0] or ()))]
        while stack:
            state, options = stack[-1]
            for edge in options:
                mark = colour[edge[0]]
                if mark == 1:
                    continue  # closes a cycle: left out
                kept[state].append(edge)
                if mark == 0:
                    colour[edge[0]] = 1
                    stack.append((edge[0], iter(edges[edge[0]] or ())))
                    break
            else:
                colour[state] = 2
                order.append(state)
                stack.pop()
        self.edges = kept
        return order

    # -- the best -------------------------------------------------------------
    def _values(self, key: int, g: int, p: int) -> tuple[list, list]:
        """Best ``p·gained − g·possible`` from each state to an ending, and the
        (gained, possible) of one path achieving it."""
        size = len(self.edges)
        value: list = [None] * size
        ratio: list = [None] * size
        edges = self.edges
        for state in self.order:
            out = edges[state]
            if out is None:
                value[state], ratio[state] = 0, (0, 0)
                continue
            best = chosen = None
            for target, gained, can in out:
                rest = value[target]
                if rest is None:
                    continue
                here = can[key]
                total = p * gained[key] - g * here + rest
                if best is None or total > best:
                    best, chosen = total, (gained[key] + ratio[target][0], here + ratio[target][1])
            value[state], ratio[state] = best, chosen
        return value, ratio

    def perfect_endings(self, key: int) -> set[str] | None:
        """The endings reached by paths scoring 100 % for ``key``, or None
        when no path meeting ``key`` scores 100 %."""
        value, _ = self._values(key, 1, 1)
        if value[0] != 0:  # every path loses something, or none reaches an ending
            return None if value[0] is not None else set()
        return self._tight_endings(key, value, 1, 1) or None

    def best_endings(self, key: int) -> set[str]:
        """The endings reached by a path with the best score for ``key``."""
        value, ratio = self._values(key, 1, 1)
        if value[0] is None:
            return set()
        if value[0] == 0:  # some path loses nothing; those that meet the key are the best
            endings = self._tight_endings(key, value, 1, 1)
            if endings:
                return endings
        gained, possible = ratio[0]
        g, p = (gained, possible) if possible else (0, 1)
        for _ in range(MAX_ITERATIONS):
            value, ratio = self._values(key, g, p)
            if value[0] <= 0:  # no path beats g/p: it is the best
                break
            g, p = ratio[0]
        return self._tight_endings(key, value, g, p)

    def _tight_endings(self, key: int, value: list, g: int, p: int) -> set[str]:
        """Endings reached from the start only by steps that keep the optimum,
        on paths that meet ``key`` at least once."""
        if value[0] is None:
            return set()
        edges = self.edges
        found: set[str] = set()
        seen = {(0, False)}
        stack = [(0, False)]
        while stack:
            state, met = stack.pop()
            out = edges[state]
            if out is None:
                if met:
                    found.add(self.node_of[state])
                continue
            for target, gained, can in out:
                here = can[key]
                met_after = met or here > 0
                rest = value[target]
                if rest is not None and p * gained[key] - g * here + rest == value[state] and (target, met_after) not in seen:
                    seen.add((target, met_after))
                    stack.append((target, met_after))
        return found


def _setter(variable, value):
    clamped = variable.clamp(value)
    return lambda _: clamped


def _adder(variable, delta):
    return lambda current: variable.clamp(current + delta)


# -- conditions as functions ----------------------------------------------------

_LITERALS = {"true": True, "false": False, "True": True, "False": False}
_COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
            ast.Gt: operator.gt, ast.GtE: operator.ge}
_ARITHMETIC = {ast.Add: operator.add, ast.Sub: operator.sub}
_UNARY = {ast.Not: operator.not_, ast.USub: operator.neg, ast.UAdd: operator.pos}


def predicate(node: ast.AST) -> Callable[[Mapping], object]:
    """The condition tree ``node`` (from ``parse_condition``, so only the
    whitelisted nodes) as a function of the variables: Python's meaning of
    each operator, as simpleeval gives it to ``Condition.holds``."""
    if isinstance(node, ast.Expr):
        return predicate(node.value)
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda names: value
    if isinstance(node, ast.Name):
        if node.id in _LITERALS:
            literal = _LITERALS[node.id]
            return lambda names: literal
        name = node.id
        return lambda names: names[name]
    if isinstance(node, ast.UnaryOp):
        apply, operand = _UNARY[type(node.op)], predicate(node.operand)
        return lambda names: apply(operand(names))
    if isinstance(node, ast.BinOp):
        apply, left, right = _ARITHMETIC[type(node.op)], predicate(node.left), predicate(node.right)
        return lambda names: apply(left(names), right(names))
    if isinstance(node, ast.BoolOp):
        parts = [predicate(value) for value in node.values]
        if isinstance(node.op, ast.And):
            def every(names):
                for part in parts:
                    result = part(names)
                    if not result:
                        return result
                return result
            return every

        def any_of(names):
            for part in parts:
                result = part(names)
                if result:
                    return result
            return result
        return any_of
    if isinstance(node, ast.Compare):
        first = predicate(node.left)
        steps = [(_COMPARE[type(op)], predicate(right)) for op, right in zip(node.ops, node.comparators)]

        def compare(names):
            left = first(names)
            for apply, right in steps:
                value = right(names)
                if not apply(left, value):
                    return False
                left = value
            return True
        return compare
    raise ValueError(f"not a condition node: {type(node).__name__}")  # parse_condition never lets one through
