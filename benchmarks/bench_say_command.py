"""`rehearse say` as a user runs it: prints figures, asserts nothing.

    python benchmarks/bench_say_command.py [--lines N]

Pipes N utterances (default 20,000: the labelled set's texts, repeated, with
empty lines, a few bytes that are not UTF-8 and a 20 KB paste among them)
through one `rehearse say` process, as JSON lines and as text, with and without
a scenario's case file and a decision's options, and prints lines per second
including start-up. The analyser alone is measured by bench_say.py.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UTTERANCES = ROOT / "tests" / "data" / "utterances"


def corpus(count: int, longest: int | None = None) -> bytes:
    """``count`` lines of the labelled utterances (only those up to
    ``longest`` characters, if given), with the awkward lines mixed in."""
    texts = []
    for name in ("dev.jsonl", "heldout.jsonl"):
        path = UTTERANCES / name
        if path.exists():
            texts += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t.replace("\n", " ") for t in texts if longest is None or len(t) <= longest]
    texts = texts or ["I'm worried about Leo. Could we meet today?"]
    lines = [texts[i % len(texts)].encode() for i in range(count)]
    for i in range(0, count, 97):
        lines[i] = b""
    for i in range(5, count, 499):
        lines[i] = b"caf\xe9 \xff " + lines[i]
    lines[count // 2] = ("On 6 October he told Gemma he was scared. " * 500)[:20_000].encode()
    return b"\n".join(lines) + b"\n"


def run(argv: list[str], data: bytes) -> tuple[float, float, int]:
    """Wall-clock and CPU seconds of one `rehearse say` process over ``data``
    (CPU time as well, because on a shared machine the wall clock measures
    the neighbours), and the lines it wrote."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "simulator", "say", *argv], input=data, capture_output=True,
                            check=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, len(result.stdout.splitlines())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=20_000)
    count = parser.parse_args().lines
    short = corpus(count, longest=80)
    wall, cpu, _ = run(["--format", "json"], short)
    print(f"{count:,} short lines (labelled utterances of at most 80 characters), json: "
          f"{count / wall:,.0f} lines/s by the clock, {count / cpu:,.0f} per CPU second")
    data = corpus(count)
    print(f"{count:,} lines of every length, {len(data) / 1024:,.0f} KiB, one process each run (start-up included)")
    for label, argv in (
        ("json", ["--format", "json"]),
        ("text", ["--format", "text"]),
        ("json, case file", ["--format", "json", "--scenario", "dsl-mash-threshold"]),
        ("json, case file and options", ["--format", "json", "--scenario", "dsl-mash-threshold",
                                         "--at", "marcus-explains"]),
    ):
        wall, cpu, produced = run(argv, data)
        results = produced if "json" in label else count
        print(f"  {label:<30} {count / wall:8,.0f} lines/s by the clock {count / cpu:8,.0f} per CPU second"
              f"   ({results:,} results)")


if __name__ == "__main__":
    main()
