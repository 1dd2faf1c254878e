"""The scenario as a graph: Mermaid (pastes into GitHub, VS Code, Obsidian) or Graphviz dot.

Written out here rather than through transitions' diagram extension: its labels
would show our guard callables rather than the condition a trainer wrote,
and we want endings coloured by outcome.
"""

from __future__ import annotations

from simulator.model.scenario import Node, Scenario
from simulator.model.text import inert

OUTCOME_COLOURS = {
    "resolved": "#2e7d32",
    "escalated": "#1565c0",
    "unresolved": "#ef6c00",
    "child-at-risk": "#c62828",
    "adult-at-risk": "#c62828",
    "relationship-damaged": "#6a1b9a",
}


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(inert(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _edges(node: Node):
    """(target, label) for every way out of ``node``."""
    for index, choice in enumerate(node.choices, start=1):
        label = f"{index}. {_short(choice.text)}"
        if choice.condition:
            label += f" [if {choice.condition}]"
        yield choice.next, label
    if node.next:
        yield node.next, "continue"


def mermaid(scenario: Scenario) -> str:
    def esc(text: str) -> str:
        return (text.replace("&", "&amp;").replace('"', "#quot;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("|", "#124;").replace("[", "#91;").replace("]", "#93;"))

    ids = {node_id: f"n{index}" for index, node_id in enumerate(scenario.nodes)}
    out = ["flowchart TD"]
    for node_id, node in scenario.nodes.items():
        if node.ending:
            out.append(f'    {ids[node_id]}(["{esc(node_id)}: {node.ending.outcome}"]):::{node.ending.outcome.replace("-", "_")}')
        else:
            out.append(f'    {ids[node_id]}["{esc(node_id)}"]')
    out.append(f'    start((start)) --> {ids[scenario.start]}')
    for node_id, node in scenario.nodes.items():
        for target, label in _edges(node):
            if target in ids:
                out.append(f'    {ids[node_id]} -->|"{esc(label)}"| {ids[target]}')
    for outcome, colour in OUTCOME_COLOURS.items():
        out.append(f"    classDef {outcome.replace('-', '_')} fill:{colour},color:#fff")
    return "\n".join(out) + "\n"


def dot(scenario: Scenario) -> str:
    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace('"', '\\"')

    out = ["digraph scenario {", "  rankdir=TB;", '  node [shape=box, fontname="Helvetica"];',
           f'  label="{esc(inert(scenario.title))}";']
    for node_id, node in scenario.nodes.items():
        if node.ending:
            colour = OUTCOME_COLOURS.get(node.ending.outcome, "#555555")
            out.append(f'  "{esc(node_id)}" [shape=doubleoctagon, style=filled, fillcolor="{colour}", fontcolor=white,'
                       f' label="{esc(node_id)}\\n{node.ending.outcome}"];')
        else:
            out.append(f'  "{esc(node_id)}";')
    for node_id, node in scenario.nodes.items():
        for target, label in _edges(node):
            out.append(f'  "{esc(node_id)}" -> "{esc(target)}" [label="{esc(label)}"];')
    out.append("}")
    return "\n".join(out) + "\n"
