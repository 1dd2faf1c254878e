"""Start-up benchmark: prints figures, asserts nothing (shared, noisy machines).

    python benchmarks/bench_startup.py [--pairs 21]

Whole processes, warm (the cache of compiled scenarios already filled), run
in pairs A B A B ...; each pair gives a ratio A/B and the figures are medians,
so a burst of load from another process moves both halves of a pair alike.

1. `rehearse list` on 50 generated scenarios (copies of the bundled ones with
   new ids, in a temporary folder) against `rehearse list` on the bundled
   library. Goal: <= 1.3x.
Python's bytecode cache is allowed in the runs (PYTHONDONTWRITEBYTECODE is
dropped), as an installed wheel has its .pyc files.

2. `rehearse list` (bundled, then 50) against the import floor,
   `python -c "import yaml, transitions"`.
3. `rehearse play ID --choices ...` of a whole route (option 1 at every
   decision, to an ending) against the import floor. Goal: <= 1.6x. Then
   the same with --no-record, to show what saving each decision costs.

With ``--against OTHER`` (another checkout's installed ``rehearse``, e.g. a
worktree of main with its own venv: ``--against ../main/.venv/bin/rehearse``),
also this checkout's `list` and `play` against the other's, paired the same
way, each with a cache and history of its own.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLAY_ID = "dsl-mash-threshold"
FLOOR = [sys.executable, "-c", "import yaml, transitions"]


def rehearse() -> list[str]:
    script = Path(sys.executable).parent / "rehearse"
    return [str(script)] if script.exists() else [sys.executable, "-m", "simulator"]


def generated_library(folder: Path, count: int = 50) -> Path:
    """``count`` copies of the bundled scenarios, each with an id of its own."""
    from simulator.format.library import bundled_dir, files_in

    originals = files_in(bundled_dir())
    for n in range(count):
        source = originals[n % len(originals)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^id: *(\S+)", lambda m: f"id: {m.group(1).strip(chr(34))}-copy{n}", text, count=1, flags=re.M)
        (folder / f"copy{n:02}-{source.name}").write_text(text, encoding="utf-8")
    return folder


def whole_route(scenario_id: str) -> str:
    """Option 1 at every decision until an ending, as ``--choices``."""
    from simulator.engine.session import Session
    from simulator.format.library import find

    session = Session(find(scenario_id).scenario)
    numbers = []
    while not session.finished and len(numbers) < 200:
        session.choose_number(1)
        numbers.append("1")
    return ",".join(numbers)


def warm_env(scratch: Path) -> dict:
    """The environment of every run: a cache of our own, and Python's bytecode
    cache allowed (an installed wheel has its .pyc files; a shell with
    PYTHONDONTWRITEBYTECODE would otherwise compile every module every run)."""
    env = {**os.environ, "REHEARSE_CACHE": str(scratch / "cache"), "REHEARSE_DATA": str(scratch / "history.db")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(argv: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def paired(a: list[str], b: list[str], env: dict, pairs: int, env_b: dict | None = None) -> tuple[float, ...]:
    """Medians of A, of B and of the ratio A/B over ``pairs`` alternating runs
    (B in ``env_b`` when given), then the spread of the ratios: their lower
    and upper quartiles."""
    env_a, env_b = env, env_b or env
    timed(a, env_a), timed(b, env_b)  # warm the disk cache and the scenario cache
    times_a, times_b, ratios = [], [], []
    for n in range(pairs):
        # Alternate which goes first, so drift in load favours neither.
        (first, env_first), (second, env_second) = ((a, env_a), (b, env_b)) if n % 2 == 0 else ((b, env_b), (a, env_a))
        t_first, t_second = timed(first, env_first), timed(second, env_second)
        t_a, t_b = (t_first, t_second) if n % 2 == 0 else (t_second, t_first)
        times_a.append(t_a)
        times_b.append(t_b)
        ratios.append(t_a / t_b)
    low, _, high = statistics.quantiles(ratios, n=4) if len(ratios) > 1 else (ratios[0],) * 3
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios), low, high


def report(label: str, a: str, b: str, figures: tuple[float, ...], goal: float | None = None) -> None:
    t_a, t_b, ratio, low, high = figures
    goal_text = f" (goal <= {goal}: {'met' if ratio <= goal else 'NOT met'})" if goal else ""
    print(f"{label}: {a} {t_a * 1000:.0f} ms, {b} {t_b * 1000:.0f} ms; median ratio of pairs {ratio:.2f}, "
          f"quartiles {low:.2f}-{high:.2f}{goal_text}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=21)
    parser.add_argument("--against", metavar="OTHER", help="another checkout's rehearse command to compare with")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rehearse-bench-"))
    env = warm_env(scratch)
    (scratch / "fifty").mkdir()
    library = generated_library(scratch / "fifty")
    cmd = rehearse()
    list_bundled = [*cmd, "list"]
    list_fifty = [*cmd, "list", str(library)]
    route = whole_route(PLAY_ID)
    play = [*cmd, "play", PLAY_ID, "--choices", route]
    from simulator.format.library import bundled_dir, files_in

    bundled = len(files_in(bundled_dir()))
    print(f"{args.pairs} pairs each, warm, {os.cpu_count()} cores; route for {PLAY_ID}: {route}")
    report("list, 50 scenarios vs bundled", "50", f"{bundled}", paired(list_fifty, list_bundled, env, args.pairs), 1.3)
    report("list, bundled vs import floor", "list", "floor", paired(list_bundled, FLOOR, env, args.pairs))
    report("list, 50 vs import floor", "list", "floor", paired(list_fifty, FLOOR, env, args.pairs))
    report("play a whole route vs import floor", "play", "floor", paired(play, FLOOR, env, args.pairs), 1.6)
    # The same without the history file: what the disk (every decision saved as it is made) adds.
    report("play, --no-record, vs import floor", "play", "floor",
           paired([*play, "--no-record"], FLOOR, env, args.pairs))
    if args.against:
        (scratch / "other").mkdir()
        other_env = warm_env(scratch / "other")
        report("list, 50: this checkout vs the other", "this", "other",
               paired(list_fifty, [args.against, *list_fifty[len(cmd):]], env, args.pairs, other_env))
        report("play a whole route: this checkout vs the other", "this", "other",
               paired(play, [args.against, *play[len(cmd):]], env, args.pairs, other_env))
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
