"""``rehearse analyse``: the balance analysis as text for a trainer, or JSON for their CI."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict

from scoring.catalogue import Catalogue, load_catalogue
from simulator.analysis import OVERALL, Analysis, analyse
from simulator.text import inert


def _score(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.1f}"


def _path(path: tuple[int, ...]) -> str:
    return ",".join(map(str, path)) if path else "-"


def render_text(analysis: Analysis, catalogue: Catalogue) -> str:
    labels = {c.id: c.label for c in catalogue.competencies} | {OVERALL: "Overall"}
    out = [
        f"{analysis.scenario_id}: {inert(analysis.title)}",
        f"  {analysis.nodes} nodes, {analysis.decision_nodes} decisions, {analysis.states} states, "
        f"{analysis.paths:,} paths to an ending",
        "",
        f"  {'Score range':30} {'best':>5}  {'path (option numbers)':24} {'worst':>5}  path",
    ]
    for key, label in labels.items():
        best, worst = analysis.best[key], analysis.worst[key]
        out.append(f"  {label:30} {_score(best.score)}  {_path(best.path):24} {_score(worst.score)}  {_path(worst.path)}")
    out += ["", "  Endings (paths reaching each)"]
    for node_id, (outcome, count) in analysis.endings.items():
        out.append(f"    {outcome:22} {node_id:32} {count:>8,}")
    out += ["", "  Qualities evidenced (decisions offering each)"]
    line = "    "
    for quality_id, count in sorted(analysis.qualities.items(), key=lambda item: (-item[1], item[0])):
        entry = f"{quality_id} {count}, "
        if len(line) + len(entry) > 100:
            out.append(line.rstrip(", "))
            line = "    "
        line += entry
    out.append(line.rstrip(", "))
    if analysis.never_evidenced:
        out.append(f"    never evidenced: {', '.join(analysis.never_evidenced)}")
    out += ["", f"  {'Test-wise strategies':44} {'overall':>7}  {'band':14} endings"]
    for strategy in analysis.strategies:
        endings = ", ".join(f"{outcome} {count}" for outcome, count in sorted(strategy.endings.items()))
        out.append(f"  {strategy.name:44} {_score(strategy.overall):>7}  {strategy.band:14} {endings}")
    out.append("")
    if analysis.warnings:
        out += ["  Warnings:"] + [f"  - {warning}" for warning in analysis.warnings]
    else:
        out.append("  No test-wise strategy reaches the top band.")
    return "\n".join(out)


def as_dict(analysis: Analysis) -> dict:
    return asdict(analysis)


def run_cli(args) -> int:
    from simulator.library import find, load_all

    catalogue = load_catalogue()
    results = [find(ref) for ref in args.scenarios] if args.scenarios else load_all()
    failed = [r for r in results if r.scenario is None]
    for result in failed:
        for diagnostic in result.diagnostics:
            print(diagnostic.format(), file=sys.stderr)
    analyses = [analyse(r.scenario, catalogue) for r in results if r.scenario is not None]
    if args.format == "json":
        print(json.dumps({"scenarios": [as_dict(a) for a in analyses]}, indent=2))
    else:
        print("\n\n".join(render_text(a, catalogue) for a in analyses))
    return 1 if failed else 0
