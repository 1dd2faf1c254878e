"""Lines the library repeats across scenarios: a template a learner would spot.

    python benchmarks/library_repeats.py [SCENARIO_FILES_OR_FOLDERS...] [--words 6] [--min-scenarios 3]

Every text a learner reads (lines, options, feedback, endings, case file) is cut
into runs of N words (lower case, punctuation dropped); a run found in at least
--min-scenarios different scenarios is printed with the scenarios it is in,
longest shared passages first. Names and dates differ between scenarios, so
what is left is wording: "escalation is not a complaints process", "I'll record
this call". Runs that are in the 7-minute briefing itself are left out: feedback
quotes the briefing on purpose. It prints figures and asserts nothing.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.format.library import scenario_files  # noqa: E402
from simulator.format.loader import load_file  # noqa: E402
from simulator.model.scenario import Scenario  # noqa: E402

_WORD = re.compile(r"[a-z0-9']+")
# Runs made only of these say nothing about a template.
_COMMON = set("the a an and or of to in on for with at by is it that this be i you we he she they "
              "was were are have has had not do does did will would can could should my your our".split())


def texts(scenario: Scenario):
    yield scenario.situation
    for fact in scenario.case_file.values():
        yield fact.text
    for node in scenario.nodes.values():
        yield node.text
        for choice in node.choices:
            yield choice.text
            yield choice.feedback
        if node.ending:
            yield node.ending.title
            yield node.ending.debrief
            yield node.ending.impact


def runs(text: str, size: int):
    words = _WORD.findall(text.lower().replace("\u2019", "'"))
    for i in range(len(words) - size + 1):
        run = tuple(words[i:i + size])
        if not all(word in _COMMON for word in run):
            yield " ".join(run)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--words", type=int, default=6)
    parser.add_argument("--min-scenarios", type=int, default=3)
    args = parser.parse_args()
    briefing = Path(__file__).resolve().parent.parent / "scoring" / "briefing.txt"
    quoted = set(runs(briefing.read_text(encoding="utf-8"), args.words))
    where: dict[str, set[str]] = defaultdict(set)
    for path in scenario_files(args.paths or None):
        result = load_file(path)
        if result.scenario is None:
            print(f"skipped (does not load): {path}", file=sys.stderr)
            continue
        for text in texts(result.scenario):
            for run in runs(text, args.words):
                where[run].add(result.scenario.id)
    shared = {run: ids for run, ids in where.items() if len(ids) >= args.min_scenarios and run not in quoted}
    for run, ids in sorted(shared.items(), key=lambda item: (-len(item[1]), item[0])):
        print(f"{len(ids):2} scenarios  \"{run}\"  ({', '.join(sorted(ids))})")
    print(f"{len(shared)} runs of {args.words} words shared by {args.min_scenarios} or more scenarios")
    return 0


if __name__ == "__main__":
    sys.exit(main())
