"""Twine import benchmark: prints figures, asserts nothing (these machines are shared and noisy).

    python benchmarks/bench_twine.py

Synthetic Twee stories of 100, 1,000 and 3,000 passages (three links each,
one to a missing passage, Harlowe macros and tags in every passage): the
time to read and convert, the size of the YAML written, and the time the
loader takes to validate it (the importer does that before writing).

Target (2-core machine): 1,000 passages converted within 1 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from simulator.authoring.twine.convert import convert  # noqa: E402
from simulator.authoring.twine.story import parse_story  # noqa: E402
from simulator.format.loader import load_text  # noqa: E402


def synthetic_twee(passages: int) -> bytes:
    parts = [':: StoryTitle\nSynthetic\n\n:: StoryData\n{"ifid": "X", "format": "Harlowe", "start": "P0"}\n']
    for i in range(passages):
        parts.append(
            f":: P{i} [tag{i % 5}]\n(set: $trust to it + 1)The social worker answers the point about "
            f"visit {i}, and the conversation moves on to what the school has recorded since Monday.\n"
            f"[[Carry on->P{(i + 1) % passages}]]\n[[Go back|P{max(0, i - 1)}]]\n[[Q{i % 50}]]\n")
    return "\n".join(parts).encode("utf-8")


def main() -> None:
    for passages in (100, 1_000, 3_000):
        raw = synthetic_twee(passages)
        started = time.perf_counter()
        imported = convert(parse_story(raw), "synthetic.twee")
        converted = time.perf_counter() - started
        started = time.perf_counter()
        result = load_text(imported.text)
        loaded = time.perf_counter() - started
        print(f"{passages:>6} passages ({len(raw) / 1024:>5.0f} KB): convert {converted:5.2f} s, "
              f"YAML {len(imported.text) / 1024:>5.0f} KB, validate {loaded:5.2f} s, loads: {result.ok}")


if __name__ == "__main__":
    main()
