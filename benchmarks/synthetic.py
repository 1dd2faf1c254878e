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
