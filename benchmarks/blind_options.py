"""Blind-options check: can a reader find the best option without the conversation?

    python benchmarks/blind_options.py sheet [SCENARIO_FILES...] --seed N --out sheet.md --key key.json
    python benchmarks/blind_options.py score --key key.json --answers answers.txt

`sheet` writes every decision of every scenario named (default: the bundled
library) as one numbered item, in an order shuffled across scenarios, with the
decision's options shuffled and lettered A, B, C... and nothing else: no
scenario, speaker, situation, case file, feedback or evidence. A decision is
shown as the learner meets it: the options on offer together in some reachable
state of the scenario (a decision whose conditional options make two different
sets on offer is shown with the largest of them), with options whose words are
the same shown once. The key, written to its own file
and never shown to the reader, says which scenario and decision each item is
and which letters are best.

A reader who has not seen the scenarios writes one line per item, `ITEM
LETTER` (e.g. `12 B`). `score` prints how often they picked a best option, per
scenario and overall, beside the rate a blind guess would reach. The content
rule it measures: options should differ in judgement, not in tone, so a reader
without the conversation should do little better than chance.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import string
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scoring.markdown_report import escape  # noqa: E402
from simulator.engine.session import CompiledScenario, apply_changes, settle  # noqa: E402
from simulator.format.library import scenario_files  # noqa: E402
from simulator.format.loader import load_file  # noqa: E402
from simulator.model.scenario import Choice, Node, Scenario  # noqa: E402

# Reachable states explored per scenario; a hand-written scenario has under a
# few hundred.
MAX_STATES = 20_000

LETTERS = string.ascii_uppercase


def best_on_offer(choices: tuple[Choice, ...]) -> set[int]:
    """Indexes of the best options of a decision: those with the highest
    evidence summed over their qualities (the integer values as written).

    Several indexes when options tie; every index when all sum the same.
    This is the one place the script defines "best": when scoring gains a
    shared definition of the best option on offer, this calls it.
    """
    sums = [sum(choice.evidence.values()) for choice in choices]
    top = max(sums)
    return {index for index, total in enumerate(sums) if total == top}


@dataclass(frozen=True)
class Item:
    """One decision as the reader sees it, and what the key says of it."""

    scenario_id: str
    node_id: str
    options: tuple[Choice, ...]  # in the shuffled order shown, lettered A, B, C...
    best_letters: tuple[str, ...]


def load_scenarios(paths: list[str]) -> list[Scenario]:
    """Every scenario named (files or folders), read by the project's loader so
    the evidence is what the scorer sees. Exits with the loader's messages if
    any file does not load."""
    scenarios, problems = [], []
    for path in scenario_files(paths or None):
        result = load_file(path)
        if result.scenario is None:
            problems.extend(d.format() for d in result.diagnostics if d.severity == "error")
        else:
            scenarios.append(result.scenario)
    if problems:
        sys.exit("cannot read every scenario:\n" + "\n".join(problems))
    return scenarios


def offer_sets(scenario: Scenario) -> dict[str, list[tuple[int, ...]]]:
    """For each decision, every distinct set of options on offer together (as
    indexes into its choices) in some state a learner can reach."""
    compiled = CompiledScenario(scenario)
    start = (settle(scenario, scenario.start)[-1], tuple(sorted(scenario.initial_variables().items())))
    seen, queue = set(), [start]
    found: dict[str, set[tuple[int, ...]]] = defaultdict(set)
    while queue and len(seen) < MAX_STATES:
        state = queue.pop()
        if state in seen:
            continue
        seen.add(state)
        node_id, items = state
        node = scenario.nodes[node_id]
        if not node.choices:
            continue
        variables = dict(items)
        offered = tuple(i for i, c in enumerate(node.choices) if compiled.condition_holds(node_id, c, variables))
        found[node_id].add(offered)
        for i in offered:
            choice = node.choices[i]
            after = apply_changes(scenario, variables, choice)
            queue.append((settle(scenario, choice.next)[-1], tuple(sorted(after.items()))))
    return {node_id: sorted(sets) for node_id, sets in found.items()}


def _as_shown(node: Node, offered: tuple[int, ...]) -> tuple[list[Choice], set[int]]:
    """The options a reader sees for one offer set (one per distinct wording,
    in file order) and which of them are best on offer."""
    choices = [node.choices[i] for i in offered]
    best_texts = {choices[i].text for i in best_on_offer(tuple(choices))}
    shown: list[Choice] = []
    for choice in choices:
        if all(choice.text != other.text for other in shown):
            shown.append(choice)
    return shown, {i for i, choice in enumerate(shown) if choice.text in best_texts}


def shuffled_items(scenarios: list[Scenario], seed: int) -> list[Item]:
    """Every decision of every scenario as the learner meets it, shuffled
    across scenarios, each with its options shuffled."""
    rng = random.Random(seed)
    decisions = []
    for scenario in scenarios:
        for node_id, sets in sorted(offer_sets(scenario).items()):
            # One item a decision, as the learner most often meets it: its
            # largest set on offer (the first of equals, in file order).
            shown, best = _as_shown(scenario.nodes[node_id], max(sets, key=len))
            if len(shown) > 1:  # one option is no choice
                decisions.append((scenario.id, node_id, shown, best))
    if any(len(shown) > len(LETTERS) for _, _, shown, _ in decisions):
        sys.exit(f"a decision has more than {len(LETTERS)} options: cannot letter them")
    rng.shuffle(decisions)
    items = []
    for scenario_id, node_id, shown, best in decisions:
        order = list(range(len(shown)))
        rng.shuffle(order)
        items.append(Item(
            scenario_id,
            node_id,
            tuple(shown[i] for i in order),
            tuple(LETTERS[place] for place, i in enumerate(order) if i in best),
        ))
    return items


def render_sheet(items: list[Item]) -> str:
    """The reader's sheet: instructions, then each item's lettered options."""
    lines = [
        "# Which would you say?",
        "",
        "Each item is one moment in a conversation between safeguarding professionals. You see only",
        "what you could say at that moment. Pick the option you think is best, and write one line per",
        "item: the item's number and the letter, for example `12 B`. Leave out any item you cannot decide.",
        "",
    ]
    for number, item in enumerate(items, start=1):
        lines += [f"## {number}", ""]
        # Option text is a file's data: escaped so it reads literally as Markdown.
        lines += [f"{LETTERS[place]}. {escape(choice.text)}" for place, choice in enumerate(item.options)]
        lines.append("")
    return "\n".join(lines)


def key_document(items: list[Item], seed: int) -> dict:
    return {
        "seed": seed,
        "best": "highest summed evidence at the decision",
        "items": [
            {
                "item": number,
                "scenario": item.scenario_id,
                "node": item.node_id,
                "options": {LETTERS[place]: choice.id for place, choice in enumerate(item.options)},
                "best": list(item.best_letters),
            }
            for number, item in enumerate(items, start=1)
        ],
    }


_ANSWER = re.compile(r"^\s*(\d+)\s*[.):]?\s*([A-Za-z])\s*$")


def read_answers(text: str) -> dict[int, str]:
    """``ITEM LETTER`` lines as {item: letter}. Blank lines and lines starting
    with ``#`` are skipped; anything else that does not parse stops with the
    line's number, since a misread answer would silently change the rate."""
    answers: dict[int, str] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _ANSWER.match(line)
        if not match:
            sys.exit(f"answers line {line_number}: expected 'ITEM LETTER', e.g. '12 B', got {line.strip()!r}")
        item, letter = int(match[1]), match[2].upper()
        if item in answers and answers[item] != letter:
            sys.exit(f"answers line {line_number}: item {item} is answered twice ({answers[item]} and {letter})")
        answers[item] = letter
    return answers


@dataclass
class Tally:
    decisions: int = 0
    answered: int = 0
    picked_best: int = 0
    chance: float = 0.0  # summed over answered decisions

    def add(self, answered: bool, best: bool, chance: float) -> None:
        self.decisions += 1
        if answered:
            self.answered += 1
            self.picked_best += best
            self.chance += chance


def score(key: dict, answers: dict[int, str]) -> str:
    """The rate of best picks per scenario and overall, beside chance, as a table."""
    items = {entry["item"]: entry for entry in key["items"]}
    for item, letter in answers.items():
        if item not in items:
            sys.exit(f"answer for item {item}: the sheet has items 1 to {len(items)}")
        if letter not in items[item]["options"]:
            sys.exit(f"answer for item {item}: {letter} is not one of its options "
                     f"({', '.join(items[item]['options'])})")
    tallies: dict[str, Tally] = defaultdict(Tally)
    overall = Tally()
    for number, entry in sorted(items.items()):
        letter = answers.get(number)
        chance = len(entry["best"]) / len(entry["options"])
        for tally in (tallies[entry["scenario"]], overall):
            tally.add(letter is not None, letter in entry["best"], chance)

    width = max([len("overall"), *map(len, tallies)])
    lines = [f"{'scenario':<{width}}  answered  best picked  rate   chance"]

    def row(name: str, tally: Tally) -> str:
        if not tally.answered:
            return f"{name:<{width}}  {0:>3}/{tally.decisions:<4}  {'-':>11}  {'-':>4}   {'-':>6}"
        rate = tally.picked_best / tally.answered
        chance = tally.chance / tally.answered
        return (f"{name:<{width}}  {tally.answered:>3}/{tally.decisions:<4}  {tally.picked_best:>11}  "
                f"{rate:>4.0%}   {chance:>6.0%}")

    lines += [row(name, tallies[name]) for name in sorted(tallies)]
    lines.append(row("overall", overall))
    lines.append("")
    lines.append("rate: share of answered decisions where a best option was picked; chance: what picking at "
                 "random would score on the same decisions (best options / options, averaged).")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    sheet = commands.add_parser("sheet", help="write the reader's sheet and the key")
    sheet.add_argument("scenarios", nargs="*", help="scenario files or folders (default: the bundled library)")
    sheet.add_argument("--seed", type=int, help="shuffle seed (default: a fresh one, recorded in the key)")
    sheet.add_argument("--out", required=True, type=Path, help="the sheet, Markdown")
    sheet.add_argument("--key", required=True, type=Path, help="the key, JSON (keep it from the reader)")
    marking = commands.add_parser("score", help="score a reader's answers against the key")
    marking.add_argument("--key", required=True, type=Path)
    marking.add_argument("--answers", required=True, type=Path, help="lines 'ITEM LETTER'")
    args = parser.parse_args(argv)

    if args.command == "sheet":
        if args.out.resolve() == args.key.resolve():
            parser.error("--out and --key must be different files: the reader must not see the key")
        seed = args.seed if args.seed is not None else secrets.randbelow(10**6)
        items = shuffled_items(load_scenarios(args.scenarios), seed)
        args.out.write_text(render_sheet(items) + "\n", encoding="utf-8")
        args.key.write_text(json.dumps(key_document(items, seed), indent=2) + "\n", encoding="utf-8")
        print(f"{len(items)} items (seed {seed}): sheet {args.out}, key {args.key}")
        return 0

    key = json.loads(args.key.read_text(encoding="utf-8"))
    print(score(key, read_answers(args.answers.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
