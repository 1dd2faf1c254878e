"""Synthetic scenarios of any size, for benchmarks (not realistic content)."""

from __future__ import annotations

QUALITIES = ["polite", "factual", "evidence-based", "respectful", "negotiation", "line-manager"]


def synthetic_yaml(nodes: int, choices: int = 3) -> str:
    """A valid scenario of ``nodes`` nodes, each decision offering ``choices`` options.

    Node i leads to i+1 .. i+choices, so every node is reachable and the last
    ``choices`` nodes are endings.
    """
    out = [
        "id: synthetic",
        "title: Synthetic benchmark scenario",
        "area: escalation",
        "situation: A long conversation.",
        "role: {title: Social worker, agency: Northbridge Children's Services}",
        "setting: Office",
        "characters:",
        "  tm: {name: Pat Lee, role: Team manager, agency: Northbridge Children's Services}",
        "difficulty: 2",
        "minutes: 10",
        "objectives: [Benchmark]",
        "case_file:",
        "  fact: {title: A fact, text: Something was recorded.}",
        "variables:",
        "  trust: {initial: 3, min: 0, max: 5}",
        "  told: {initial: false}",
        "start: n0",
        "nodes:",
    ]
    decisions = nodes - choices
    for i in range(nodes):
        out.append(f"  n{i}:")
        out.append("    speaker: tm")
        out.append(f"    text: Line {i} of the conversation, as the team manager says it.")
        if i >= decisions:
            out.append(f"    ending: {{outcome: resolved, title: End {i}, debrief: Debrief {i}.}}")
            continue
        out.append("    choices:")
        for k in range(choices):
            target = min(i + 1 + k, nodes - 1)
            quality = QUALITIES[(i + k) % len(QUALITIES)]
            out.append(f"      - text: Option {k + 1} at node {i}, said as a practitioner would.")
            out.append(f"        next: n{target}")
            out.append(f"        evidence: {{{quality}: {k - 1}, calm: {1 - k}}}")
            out.append(f"        feedback: Feedback for option {k + 1}.")
            if k == 2:
                out.append("        condition: trust >= 1 or told")
                out.append("        add: {trust: -1}")
    return "\n".join(out) + "\n"


def _header(title: str, variables: list[str]) -> list[str]:
    return [
        "id: synthetic",
        f"title: {title}",
        "area: escalation",
        "situation: A long conversation.",
        "role: {title: Social worker, agency: Northbridge Children's Services}",
        "setting: Office",
        "characters:",
        "  tm: {name: Pat Lee, role: Team manager, agency: Northbridge Children's Services}",
        "difficulty: 2",
        "minutes: 10",
        "objectives: [Benchmark]",
        "case_file:",
        "  fact: {title: A fact, text: Something was recorded.}",
        "variables:",
        *variables,
        "start: n0",
        "nodes:",
    ]


def loop_heavy_yaml(nodes: int) -> str:
    """A chain of ``nodes`` nodes in which every passage also links back to the
    start, as Twine stories often do ("start again"): node i offers i+1 and n0;
    the last node is an ending."""
    out = _header("Loop-heavy benchmark scenario", ["  trust: {initial: 3, min: 0, max: 5}"])
    for i in range(nodes):
        out.append(f"  n{i}:")
        out.append("    speaker: tm")
        out.append(f"    text: Line {i} of the conversation, as the team manager says it.")
        if i == nodes - 1:
            out.append(f"    ending: {{outcome: resolved, title: End {i}, debrief: Debrief {i}.}}")
            continue
        out.append("    choices:")
        out.append(f"      - text: Carry on from node {i}, citing the record.")
        out.append(f"        next: n{i + 1}")
        out.append("        evidence: {factual: 1, calm: 1}")
        out.append("        feedback: Specific.")
        out.append(f"      - text: Start again from the beginning at node {i}.")
        out.append("        next: n0")
        out.append("        evidence: {factual: -1, calm: 0}")
        out.append("        feedback: Back to the start.")
    return "\n".join(out) + "\n"


def wide_range_yaml(nodes: int = 100, options: int = 9) -> str:
    """``nodes`` decisions in a row, each with ``options`` options adding 0 to
    options-1 to one variable whose range holds every total: the variable's
    values multiply the states an exact analysis must explore."""
    top = nodes * (options - 1)
    out = _header("Wide-range benchmark scenario", [f"  trust: {{initial: 0, min: 0, max: {top}}}"])
    for i in range(nodes):
        out.append(f"  n{i}:")
        out.append("    speaker: tm")
        out.append(f"    text: Line {i} of the conversation, as the team manager says it.")
        out.append("    choices:")
        for k in range(options):
            quality = QUALITIES[(i + k) % len(QUALITIES)]
            out.append(f"      - text: Option {k + 1} at node {i}, said as a practitioner would.")
            out.append(f"        next: n{i + 1}")
            out.append(f"        evidence: {{{quality}: {k % 3 - 1}, calm: {1 - k % 3}}}")
            out.append(f"        feedback: Feedback for option {k + 1}.")
            out.append(f"        add: {{trust: {k}}}")
    out.append(f"  n{nodes}:")
    out.append("    speaker: tm")
    out.append("    text: The end.")
    out.append("    ending: {outcome: resolved, title: The end, debrief: Done.}")
    return "\n".join(out) + "\n"
