"""Checks that need the whole scenario: the graph, conditions, variables, evidence.

The schema has already vouched for the shape of every value; these checks
find what a schema cannot: a ``next`` that names no node, a node nobody can
reach, a condition over a variable that does not exist, evidence for a
quality the catalogue does not know.
"""

from __future__ import annotations

from collections import deque
from typing import Iterable

from simulator.analysis import lint
from simulator.format.yaml_source import Positions
from simulator.model.conditions import ConditionError, parse_condition
from simulator.model.text import quoted
from simulator.model.diagnostics import Diagnostic, did_you_mean, has_errors
from simulator.model.scenario import NARRATOR, Scenario


class _Report:
    def __init__(self, source: str, positions: Positions) -> None:
        self.source = source
        self.positions = positions
        self.items: list[Diagnostic] = []

    def error(self, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        self._add("error", path, message, hint, key)

    def warning(self, path: tuple, message: str, hint: str = "", key: bool = False) -> None:
        self._add("warning", path, message, hint, key)

    def _add(self, severity, path, message, hint, key) -> None:
        line, column = self.positions.of_key(path) if key else self.positions.of_value(path)
        self.items.append(Diagnostic(self.source, line + 1, column + 1, severity, message, hint))


def check(scenario: Scenario, positions: Positions, source: str, quality_ids: Iterable[str]) -> list[Diagnostic]:
    """Every problem in ``scenario`` that the schema could not see."""
    report = _Report(source, positions)
    _check_variables(scenario, report)
    _check_nodes(scenario, report, frozenset(quality_ids))
    _check_graph(scenario, report)
    lint.check(scenario, report.warning, sound=not has_errors(report.items))
    return sorted(report.items)


def _check_variables(scenario: Scenario, report: _Report) -> None:
    for name, variable in scenario.variables.items():
        path = ("variables", name)
        if variable.is_flag:
            if variable.minimum is not None or variable.maximum is not None:
                report.error(path, f"variable '{name}' is true/false, so it takes no min or max",
                             "remove min and max, or give an integer initial value")
            if variable.signal:
                report.warning(path + ("signal",), f"variable '{name}' is true/false and cannot be shown as a gauge",
                               "signals are for integer variables such as trust")
            continue
        if variable.minimum is None or variable.maximum is None:
            report.error(path, f"integer variable '{name}' needs both min and max", "for example: min: 0, max: 5",
                         key=True)
        elif not variable.minimum <= variable.initial <= variable.maximum:
            report.error(path + ("initial",), f"initial value {variable.initial} of '{name}' is outside "
                         f"{variable.minimum}..{variable.maximum}", "choose an initial value inside the range")


def _check_nodes(scenario: Scenario, report: _Report, quality_ids: frozenset[str]) -> None:
    nodes = scenario.nodes
    if scenario.start not in nodes:
        report.error(("start",), f"start node '{scenario.start}' does not exist" +
                     (f"; {hint}" if (hint := did_you_mean(scenario.start, nodes)) else ""),
                     "name one of the nodes under 'nodes'")
    speakers = set(scenario.characters) | {NARRATOR}
    for node_id, node in nodes.items():
        base = ("nodes", node_id)
        if node.speaker not in speakers:
            suggestion = did_you_mean(node.speaker, speakers)
            report.error(base + ("speaker",), f"speaker '{node.speaker}' is not a character" +
                         (f"; {suggestion}" if suggestion else ""),
                         f"use one of: {', '.join(sorted(speakers))}, or add them under 'characters'")
        if node.next is not None and node.next not in nodes:
            _unknown_target(report, base + ("next",), node.next, nodes)
        if node.ending is not None:
            for index, part in enumerate(node.ending.debrief_if):
                _check_debrief_if(scenario, report, base + ("ending", "debrief_if", index), part, quality_ids)
        if node.ending is not None and not node.ending.debrief.strip():
            report.error(base + ("ending", "debrief"), f"the ending '{node_id}' has no debrief",
                         "say what happened and why: the learner reads this at the end")
        _check_discuss(report, base + ("discuss",), node.discuss)
        seen_ids: set[str] = set()
        for index, choice in enumerate(node.choices):
            path = base + ("choices", index)
            if choice.id in seen_ids:
                report.error(path + ("id",), f"choice id '{choice.id}' is used twice in node '{node_id}'",
                             "give each choice in a node its own id")
            seen_ids.add(choice.id)
            if choice.next not in nodes:
                _unknown_target(report, path + ("next",), choice.next, nodes)
            _check_choice(scenario, report, path, choice, quality_ids)
        if len(node.choices) > 1:
            evidences = {tuple(sorted(choice.evidence.items())) for choice in node.choices}
            if len(evidences) == 1:
                report.warning(base + ("choices",), f"every option in node '{node_id}' carries the same evidence: "
                               "nothing to choose between", "give the better option more, or the weaker less",
                               key=True)


def _check_discuss(report: _Report, path: tuple, prompts: tuple[str, ...]) -> None:
    # A one-item list and a single string are located the same way: a path
    # into a string falls back to the string itself.
    for index, prompt in enumerate(prompts):
        where = path + (index,)
        if not prompt.strip():
            report.error(where, "a discussion prompt is blank",
                         "write a question for the room, or remove the blank item")


def _check_debrief_if(scenario: Scenario, report: _Report, path: tuple, part, quality_ids: frozenset[str]) -> None:
    if not (part.cited or part.shown or part.when is not None):
        report.error(path, "this 'debrief_if' paragraph has no test, so it would be said on every route",
                     "add cited: [FACT], shown: [QUALITY] or when: 'CONDITION', or move its words into 'debrief'",
                     key=True)
    for index, fact in enumerate(part.cited):
        if fact not in scenario.case_file:
            suggestion = did_you_mean(fact, scenario.case_file)
            report.error(path + ("cited", index), f"{quoted(fact)} is not in the case file" +
                         (f"; {suggestion}" if suggestion else ""), "name an id from 'case_file'")
    for index, quality in enumerate(part.shown):
        if quality not in quality_ids:
            suggestion = did_you_mean(quality, quality_ids)
            report.error(path + ("shown", index), f"{quoted(quality)} is not a quality in the catalogue" +
                         (f"; {suggestion}" if suggestion else ""), "see scoring/qualities.yaml for the quality ids")
    if part.when is not None:
        _check_condition(scenario, report, path + ("when",), part.when)


def _check_condition(scenario: Scenario, report: _Report, path: tuple, text: str) -> None:
    try:
        condition = parse_condition(text)
    except ConditionError as exc:
        report.error(path, f"condition {quoted(text)}: {exc}",
                     "write e.g. 'trust >= 3 and not manager_informed' (and, or, not, == != < <= > >=)")
        return
    for name in sorted(condition.names - set(scenario.variables)):
        suggestion = did_you_mean(name, scenario.variables)
        report.error(path, f"condition names {quoted(name)}, which is not a variable" +
                     (f"; {suggestion}" if suggestion else ""), "declare it under 'variables'")


def _unknown_target(report: _Report, path: tuple, target: str, nodes) -> None:
    suggestion = did_you_mean(target, nodes)
    report.error(path, f"next node '{target}' does not exist" + (f"; {suggestion}" if suggestion else ""),
                 "name a node under 'nodes', or add the missing node")


def _check_choice(scenario: Scenario, report: _Report, path: tuple, choice, quality_ids: frozenset[str]) -> None:
    variables = scenario.variables
    if choice.condition is not None:
        _check_condition(scenario, report, path + ("condition",), choice.condition)
    elif choice.locked_reason:
        report.warning(path + ("locked_reason",), "locked_reason without a condition is never shown",
                       "add a condition, or remove locked_reason")
    for name, value in choice.set.items():
        target = path + ("set", name)
        variable = variables.get(name)
        if variable is None:
            _unknown_variable(report, target, name, variables)
        elif variable.is_flag != isinstance(value, bool):
            report.error(target, f"'{name}' is {'true/false' if variable.is_flag else 'a whole number'}, "
                         f"so it cannot be set to {value!r}", "set it to a value of its own kind")
        elif not variable.is_flag and variable.minimum is not None and variable.maximum is not None and not (
            variable.minimum <= value <= variable.maximum
        ):
            report.error(target, f"setting '{name}' to {value} is outside its range "
                         f"{variable.minimum}..{variable.maximum}", "choose a value inside the declared range")
    for name, delta in choice.add.items():
        target = path + ("add", name)
        variable = variables.get(name)
        if variable is None:
            _unknown_variable(report, target, name, variables)
        elif variable.is_flag:
            report.error(target, f"'{name}' is true/false, so nothing can be added to it", f"use set: {{{name}: true}}")
        elif variable.minimum is not None and variable.maximum is not None and abs(delta) > variable.maximum - variable.minimum:
            report.error(target, f"adding {delta} to '{name}' goes beyond its whole range "
                         f"{variable.minimum}..{variable.maximum}", "use a smaller step, e.g. 1 or -1")
    for quality, points in choice.evidence.items():
        if quality not in quality_ids:
            from scoring.catalogue import practice_term

            meant = practice_term(quality)
            suggestion = f"did you mean '{meant}'?" if meant in quality_ids else did_you_mean(quality, quality_ids)
            report.error(path + ("evidence", quality), f"{quoted(quality)} is not a quality in the catalogue" +
                         (f"; {suggestion}" if suggestion else ""), "see scoring/qualities.yaml for the quality ids",
                         key=True)
    for index, fact in enumerate(choice.cites):
        if fact not in scenario.case_file:
            suggestion = did_you_mean(fact, scenario.case_file)
            report.error(path + ("cites", index), f"cites '{fact}', which is not in the case file" +
                         (f"; {suggestion}" if suggestion else ""), "cite an id from 'case_file'")
    if not choice.evidence:
        report.warning(path, "this choice has no evidence, so it scores nothing",
                       "add evidence, e.g. evidence: {factual: 2, calm: 1}")
    if not choice.feedback:
        report.warning(path, "this choice has no feedback line", "add feedback: one line on why it helped or hindered")


def _unknown_variable(report: _Report, path: tuple, name: str, variables) -> None:
    suggestion = did_you_mean(name, variables)
    report.error(path, f"'{name}' is not a variable" + (f"; {suggestion}" if suggestion else ""),
                 "declare it under 'variables'", key=True)


def _check_graph(scenario: Scenario, report: _Report) -> None:
    nodes = scenario.nodes
    if scenario.start not in nodes:
        return
    reachable = {scenario.start}
    queue = deque([scenario.start])
    while queue:
        for target in nodes[queue.popleft()].targets():
            if target in nodes and target not in reachable:
                reachable.add(target)
                queue.append(target)
    for node_id in nodes:
        if node_id not in reachable:
            report.error(("nodes", node_id), f"node '{node_id}' cannot be reached from the start",
                         "lead a choice or 'next' to it, or remove it", key=True)

    predecessors: dict[str, list[str]] = {node_id: [] for node_id in nodes}
    for node_id, node in nodes.items():
        for target in node.targets():
            if target in predecessors:
                predecessors[target].append(node_id)
    can_end = {node_id for node_id, node in nodes.items() if node.ending}
    queue = deque(can_end)
    while queue:
        for previous in predecessors[queue.popleft()]:
            if previous not in can_end:
                can_end.add(previous)
                queue.append(previous)
    if not any(node.ending for node in nodes.values()):
        report.error(("nodes",), "the scenario has no ending", "add a node with 'ending:'", key=True)
        return
    for node_id in nodes:
        if node_id in reachable and node_id not in can_end:
            report.error(("nodes", node_id), f"no ending can be reached from node '{node_id}'",
                         "every path must lead to a node with 'ending:'", key=True)
