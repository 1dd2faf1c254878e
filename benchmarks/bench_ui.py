"""UI benchmark: prints figures, asserts nothing (shared, noisy machines: compare ratios).

    python benchmarks/bench_ui.py

1. Launch: a fresh process that opens the app headless on the bundled library
   and stops at the first interactive library screen, against a bare Textual
   app that mounts the same widgets (header, banner, option list with the same
   entries, details pane, footer). Median of 7 runs each, in this run.
   Target: within 1.5x the bare app.
2. Key press: on a 50-decision path, the key "1" posted as a terminal sends
   it, timed until the transcript has the new lines and until the screen is
   redrawn with them (median and 95th percentile). Target: median within 16 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

LAUNCH_APP = """
import tempfile, asyncio
from pathlib import Path
from simulator.tui.app import make_app
from simulator.tui.library_screen import LibraryScreen

async def run():
    app = make_app(data=Path(tempfile.mkdtemp()) / "h.db")
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


def median_run(code: str, runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True, capture_output=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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


def main() -> None:
    from simulator.format.library import load_all

    entries = sum(1 for r in load_all() if r.scenario is not None)
    ours = median_run(LAUNCH_APP)
    bare = median_run(LAUNCH_BARE.replace("ENTRIES", str(entries)))
    print(f"launch to the first library screen ({entries} scenarios): {ours * 1000:.0f} ms; "
          f"bare Textual app with the same widgets: {bare * 1000:.0f} ms; ratio {ours / bare:.2f} (target <= 1.5)")
    handled, drawn = asyncio.run(key_press_times())
    print(f"key press -> transcript updated, over {len(handled)} decisions: {_figures(handled)}")
    print(f"key press -> screen redrawn with it: {_figures(drawn)} (target: median <= 16 ms)")


if __name__ == "__main__":
    main()
