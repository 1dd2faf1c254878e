"""``rehearse preview``: an author plays their own file, from any point.

This module is the part without Textual: reading ``--set`` assignments,
checking them and ``--from`` against the scenario, and carrying a session
across a reload of the file. The app is in ``simulator.tui.preview_app``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from simulator.engine.session import Session
    from simulator.model.scenario import Scenario

TRUE_WORDS, FALSE_WORDS = ("true", "yes", "on", "1"), ("false", "no", "off", "0")


@dataclass(frozen=True)
class Origin:
    """Where a preview begins: ``--from`` and ``--set`` as the author typed them."""

    node: str | None = None
    assignments: dict[str, str] = field(default_factory=dict)


def parse_assignments(items: list[str]) -> dict[str, str]:
    """``["trust=1", "manager_informed=true"]`` as a dict; raises ValueError."""
    assignments = {}
    for item in items:
        name, equals, value = item.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise ValueError(f"--set takes VARIABLE=VALUE, e.g. --set trust=1, not '{item}'")
        assignments[name.strip()] = value.strip()
    return assignments


def resolve(scenario: "Scenario", origin: Origin) -> tuple[str, dict, list[str]]:
    """The start node and variables ``origin`` means for ``scenario``, and
    what is wrong with it (an empty list when nothing is)."""
    from simulator.model.diagnostics import did_you_mean

    problems = []
    node = origin.node or scenario.start
    if node not in scenario.nodes:
        suggestion = did_you_mean(node, scenario.nodes)
        problems.append(f"--from: there is no node '{node}'" + (f"; {suggestion}" if suggestion else ""))
        node = scenario.start
    values = {}
    for name, raw in origin.assignments.items():
        variable = scenario.variables.get(name)
        if variable is None:
            known = ", ".join(scenario.variables) or "none"
            problems.append(f"--set: there is no variable '{name}' (declared: {known})")
            continue
        if variable.is_flag:
            if raw.lower() not in TRUE_WORDS + FALSE_WORDS:
                problems.append(f"--set {name}: '{raw}' is not true or false")
                continue
            values[name] = raw.lower() in TRUE_WORDS
            continue
        try:
            number = int(raw)
        except ValueError:
            problems.append(f"--set {name}: '{raw}' is not a whole number")
            continue
        if variable.clamp(number) != number:
            problems.append(f"--set {name}: {number} is outside {variable.minimum}..{variable.maximum}")
            continue
        values[name] = number
    return node, values, problems


def carry_over(old: "Session | None", scenario: "Scenario", origin: Origin,
               compiled=None) -> tuple["Session", str]:
    """A session on a reloaded ``scenario`` at the place ``old`` had reached,
    where that place still exists, and a note of what happened (or "")."""
    from simulator.engine.session import Session

    start, values, _ = resolve(scenario, origin)
    session = Session(scenario, compiled)
    session.start_at(start, values)
    if old is None or not old.moves and old.node.id == start:
        return session, ""
    # Best: replay the same choices, so the transcript survives the edit.
    try:
        for move in old.moves:
            session.choose(move.choice_id, move.own_words)
        if session.node.id == old.node.id:
            return session, ""
    except (KeyError, ValueError, LookupError):
        pass
    # Else: the same node with the same variables, if the node is still there.
    if old.node.id in scenario.nodes:
        usable = {name: value for name, value in old.variables.items()
                  if name in scenario.variables
                  and isinstance(value, bool) == scenario.variables[name].is_flag
                  and scenario.variables[name].clamp(value) == value}
        session = Session(scenario, compiled)
        session.start_at(old.node.id, usable)
        return session, f"The choices before '{old.node.id}' changed: carrying on from there."
    session = Session(scenario, compiled)
    session.start_at(start, values)
    return session, f"There is no node '{old.node.id}' any more: starting again from '{start}'."
