"""Counts for the labelled utterance set, printed as Markdown tables.

Run from anywhere: ``python tests/data/utterances/stats.py``. The README's tables are this script's
output, so after relabelling, run it again and paste the result over them.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
LABELLED = ("dev.jsonl", "heldout.jsonl")
ELEMENTS = ("concern", "impact", "evidence", "ask", "timescale", "inquiry", "escalation", "blame",
            "capitulation")
QUALITIES = ("excellent", "partial", "vague", "capitulating", "aggressive", "sarcastic-polite",
             "jargon-heavy", "very-short", "rambling", "mixed")
# Below this share, true or false, an element gives too few examples of one side to measure it.
BALANCE_FLOOR = 0.25


def read(name: str) -> list[dict]:
    with open(HERE / name, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def element_table(files: dict[str, list[dict]]) -> list[str]:
    names = list(files)
    rows = ["| element | " + " | ".join(f"{name} true | {name} false" for name in names) + " |",
            "| --- |" + " ---: | ---: |" * len(names)]
    for element in ELEMENTS:
        cells = []
        for name in names:
            records = files[name]
            true = sum(record["elements"][element] for record in records)
            share = true / len(records)
            flag = "" if BALANCE_FLOOR <= share <= 1 - BALANCE_FLOOR else " ⚠"
            cells.append(f"{true} ({share:.0%}){flag} | {len(records) - true}")
        rows.append(f"| `{element}` | " + " | ".join(cells) + " |")
    cells = []
    for name in names:
        respectful = sum(record["respectful"] for record in files[name])
        cells.append(f"{respectful} | {len(files[name]) - respectful}")
    rows.append("| respectful | " + " | ".join(cells) + " |")
    return rows


def quality_table(files: dict[str, list[dict]]) -> list[str]:
    names = list(files)
    counts = {name: Counter(record["quality"] for record in records) for name, records in files.items()}
    rows = ["| quality | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for quality in QUALITIES:
        rows.append(f"| {quality} | " + " | ".join(str(counts[name][quality]) for name in names) + " |")
    rows.append("| **total** | " + " | ".join(str(len(files[name])) for name in names) + " |")
    return rows


def politeness_table(files: dict[str, list[dict]]) -> list[str]:
    names = list(files)
    bands = (("0.0–0.2", 0.0, 0.25), ("0.3–0.4", 0.25, 0.45), ("0.5", 0.45, 0.55),
             ("0.6–0.7", 0.55, 0.75), ("0.8–1.0", 0.75, 1.01))
    rows = ["| politeness | " + " | ".join(names) + " |", "| --- |" + " ---: |" * len(names)]
    for label, low, high in bands:
        cells = [str(sum(low <= record["politeness"] < high for record in files[name])) for name in names]
        rows.append(f"| {label} | " + " | ".join(cells) + " |")
    return rows


def case_matching_table(records: list[dict]) -> list[str]:
    rows = ["| scenario | utterances | facts cited correctly | misquotes | with no citation or misquote |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for scenario in sorted({record["scenario"] for record in records}):
        mine = [record for record in records if record["scenario"] == scenario]
        cited = sum(len(record["cites"]) for record in mine)
        wrong = sum(len(record["misquotes"]) for record in mine)
        empty = sum(not record["cites"] and not record["misquotes"] for record in mine)
        rows.append(f"| `{scenario}` | {len(mine)} | {cited} | {wrong} | {empty} |")
    return rows


def report() -> str:
    """The README's tables, as Markdown."""
    files = {name.removesuffix(".jsonl"): read(name) for name in LABELLED if (HERE / name).exists()}
    out = ["### Elements (true | false)", "", *element_table(files), "",
           "### Quality categories", "", *quality_table(files), "",
           "### Politeness labels", "", *politeness_table(files)]
    case_matching = HERE / "case_matching.jsonl"
    if case_matching.exists():
        out += ["", "### Case-file matching", "", *case_matching_table(read(case_matching.name))]
    return "\n".join(out)


if __name__ == "__main__":
    print(report())
    sys.exit(0)
