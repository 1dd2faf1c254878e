"""``rehearse analyse``: the balance analysis as text for a trainer, or JSON for their CI."""

from __future__ import annotations

from dataclasses import asdict

from scoring.catalogue import Catalogue
from simulator.analysis.balance import OVERALL, Analysis
from simulator.model.text import inert
from simulator.model.vocabulary import areas


def _score(value: float | None) -> str:
    return "  n/a" if value is None else f"{value:5.1f}"


def _path(path: tuple[int, ...]) -> str:
    return ",".join(map(str, path)) if path else "-"


def _best_route_line(analysis: Analysis, catalogue: Catalogue) -> str:
    """Whether the route the scenario rewards most scores 100 with every quality
    in the top band, as the scorer would report it to a learner playing it."""
    best = analysis.best[OVERALL].score
    if best is None or not analysis.best_route_qualities:
        return "  Best route: nothing scored on it."
    top = catalogue.bands[0]
    lowest_id, lowest = analysis.best_route_qualities[0]
    label = catalogue.qualities[lowest_id].label
    band = catalogue.band_for(lowest).label
    if best >= 100 and lowest >= top.minimum:
        verdict = f"every quality on it {top.label} (lowest: {label} {lowest:g})"
    else:
        verdict = f"CHECK: {label} is {band} ({lowest:g}) on it"
    return f"  Best route: {best:g} overall, {len(analysis.best_route_qualities)} qualities met; {verdict}"


def render_text(analysis: Analysis, catalogue: Catalogue) -> str:
    if analysis.truncated:
        return "\n".join([f"{analysis.scenario_id}: {inert(analysis.title)}",
                          f"  {analysis.nodes} nodes, {analysis.decision_nodes} decisions",
                          *[f"  {warning[:1].upper()}{warning[1:]}." for warning in analysis.warnings]])
    labels = {c.id: c.label for c in catalogue.competencies} | {OVERALL: "Overall"}
    out = [
        f"{analysis.scenario_id}: {inert(analysis.title)}",
        f"  {analysis.nodes} nodes, {analysis.decision_nodes} decisions, {analysis.states} states, "
        f"{analysis.paths:,} paths to an ending, {analysis.decisions_per_path[0]}-{analysis.decisions_per_path[1]} "
        "decisions on each",
        "",
        f"  {'Score range':30} {'best':>5}  {'path (option numbers)':24} {'worst':>5}  path",
    ]
    for key, label in labels.items():
        best, worst = analysis.best[key], analysis.worst[key]
        out.append(f"  {label:30} {_score(best.score)}  {_path(best.path):24} {_score(worst.score)}  {_path(worst.path)}")
    out.append(_best_route_line(analysis, catalogue))
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


# The areas in the schema's order: the briefing's six first, then the three others.
AREAS = areas()


def coverage(pairs: list[tuple[str, Analysis]], catalogue: Catalogue) -> dict:
    """Which areas and qualities a library covers: ``pairs`` are (area, analysis)."""
    return {
        "areas": {area: [a.scenario_id for scenario_area, a in pairs if scenario_area == area] for area in AREAS},
        "qualities": {q: [a.scenario_id for _, a in pairs if q in a.qualities] for q in catalogue.qualities},
    }


def render_coverage(table: dict, catalogue: Catalogue) -> str:
    out = ["Library coverage", "", f"  {'Briefing area':30} scenarios"]
    for area, ids in table["areas"].items():
        out.append(f"  {area:30} {len(ids):>3}  {', '.join(ids) if ids else '— none —'}")
    out += ["", f"  {'Quality':26} {'scenarios evidencing it':>24}"]
    for quality_id, ids in table["qualities"].items():
        flag = "" if len(ids) >= 2 else "   <- fewer than two"
        out.append(f"  {quality_id:26} {len(ids):>24}{flag}")
    thin = [q for q, ids in table["qualities"].items() if len(ids) < 2]
    empty = [a for a in AREAS[:6] if not table["areas"][a]]
    out.append("")
    out.append("  Every quality is evidenced in at least two scenarios." if not thin else
               f"  Evidenced in fewer than two scenarios: {', '.join(thin)}")
    out.append("  Each of the briefing's six areas has a scenario." if not empty else
               f"  Briefing areas with no scenario: {', '.join(empty)}")
    return "\n".join(out)
