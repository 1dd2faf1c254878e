"""UI benchmark: prints figures, asserts nothing (shared, noisy machines: compare ratios).

    python benchmarks/bench_ui.py [--pairs 15] [--no-keys]

1. Launch: a fresh process that opens the app headless and stops at the first
   interactive library screen, against a bare Textual app that mounts the same
   widgets (header, banner, option list with as many entries, details pane,
   footer). Warm (the cache of compiled scenarios filled, bytecode cached),
   paired A B A B ... with the median ratio of pairs (bench_startup.py's
   method), on the bundled library and on 50 generated scenarios.
   Goals: <= 1.3x the bare app with the bundled library, <= 1.5x with 50.
   With ``--against PYTHON`` (another checkout's venv), also this launch
   against the same launch there, paired the same way.
2. Key press: on a 50-decision path, the key "1" posted as a terminal sends
   it, timed until the transcript has the new lines and until the screen is
   redrawn with them (median and 95th percentile). Target: median within 16 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# Warm: the history file is the one in $REHEARSE_DATA, made by the first run
# (a learner's second launch finds it there, already migrated).
LAUNCH_APP = """
import asyncio
from simulator.tui.app import make_app
from simulator.tui.library_screen import LibraryScreen

async def run():
    app = make_app(PATHS)
    async with app.run_test(size=(120, 36)) as pilot:
        while not isinstance(app.screen, LibraryScreen) or not app.screen.query("#scenarios"):
            await pilot.pause()
asyncio.run(run())
"""

LAUNCH_BARE = """
import asyncio
from textual.app import App
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static

class Bare(App):
    def compose(self):
        yield Header()
        yield Static("banner")
        with Horizontal():
            yield OptionList(*[f"Scenario {i}\\n  role · 15 min · not yet played" for i in range(ENTRIES)])
            with VerticalScroll():
                yield Static("details " * 80)
        yield Footer()

async def run():
    app = Bare()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
asyncio.run(run())
"""


async def key_press_times(decisions: int = 50) -> tuple[list[float], list[float]]:
    """(transcript updated, screen redrawn) times for each of ``decisions`` key presses."""
    from synthetic import synthetic_yaml

    from simulator.tui.app import make_app
    from simulator.tui.play_screen import PlayScreen

    folder = Path(tempfile.mkdtemp())
    scenario = folder / "long.yaml"
    scenario.write_text(synthetic_yaml(decisions + 5))
    app = make_app([str(scenario)], data=folder / "h.db")
    handled, drawn = [], []
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.press("enter", "enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        refreshes: list[float] = []
        original = screen._compositor_refresh

        def timed_refresh() -> None:
            original()
            refreshes.append(time.perf_counter())

        screen._compositor_refresh = timed_refresh
        for _ in range(decisions):
            before = screen.shown_lines
            start = time.perf_counter()
            app.simulate_key("1")  # as a terminal sends it; Pilot.press adds settling waits
            while screen.shown_lines == before:
                await asyncio.sleep(0)
            handled.append(time.perf_counter() - start)
            refreshes.clear()
            while not refreshes:
                await asyncio.sleep(0)
            drawn.append(refreshes[0] - start)
            await pilot.pause()
    return handled, drawn


def _figures(times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    return f"median {statistics.median(times) * 1000:.1f} ms, 95th percentile {p95 * 1000:.1f} ms"


def launch(paths: list[str] | None, env: dict, pairs: int, against: str | None = None) -> None:
    from bench_startup import paired, warm_env

    from simulator.format.library import load_all

    entries = sum(1 for r in load_all(paths) if r.ok)
    ours = [sys.executable, "-c", LAUNCH_APP.replace("PATHS", repr(paths))]
    bare = [sys.executable, "-c", LAUNCH_BARE.replace("ENTRIES", str(entries))]
    t_ours, t_bare, ratio, low, high = paired(ours, bare, env, pairs)
    goal = 1.3 if paths is None else 1.5
    print(f"launch to the first library screen ({entries} scenarios): {t_ours * 1000:.0f} ms; bare Textual app "
          f"with the same widgets: {t_bare * 1000:.0f} ms; median ratio of {pairs} pairs {ratio:.2f}, quartiles "
          f"{low:.2f}-{high:.2f} (goal <= {goal}: {'met' if ratio <= goal else 'NOT met'})")
    if against:
        other_env = warm_env(Path(tempfile.mkdtemp(prefix="rehearse-bench-ui-other-")))
        t_ours, t_other, ratio, low, high = paired(ours, [against, *ours[1:]], env, pairs, other_env)
        print(f"  the same launch, this checkout vs the other: {t_ours * 1000:.0f} ms vs {t_other * 1000:.0f} ms; "
              f"median ratio of {pairs} pairs {ratio:.2f}, quartiles {low:.2f}-{high:.2f}")


def main() -> None:
    from bench_startup import generated_library, warm_env

    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=15)
    parser.add_argument("--no-keys", action="store_true", help="only the launch figures")
    parser.add_argument("--against", metavar="PYTHON",
                        help="another checkout's Python (its venv) whose app launch to compare with this one's")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="rehearse-bench-ui-"))
    env = warm_env(scratch)
    (scratch / "fifty").mkdir()
    launch(None, env, args.pairs, args.against)
    launch([str(generated_library(scratch / "fifty"))], env, args.pairs, args.against)
    print(f"load average (1, 5, 15 min): {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if args.no_keys:
        return
    handled, drawn = asyncio.run(key_press_times())
    print(f"key press -> transcript updated, over {len(handled)} decisions: {_figures(handled)}")
    print(f"key press -> screen redrawn with it: {_figures(drawn)} (target: median <= 16 ms)")


if __name__ == "__main__":
    main()
