"""`rehearse graph --format html` benchmark: prints figures, asserts nothing.

    python benchmarks/bench_graph_html.py

For synthetic scenarios of 100, 300 and 1,000 nodes (three choices each, one
in three guarded): the time to lay out and write the page (best of three),
its size, the crossings left and the drawing's size; then loop-heavy chains
of 250, 1,000 and 10,000 nodes in which every passage also links back to the
start (as Twine stories often do), with the peak memory of making each page;
then the same for every bundled scenario. Targets (2-core machine): 1,000
nodes within 5 s; loop-heavy pages in time roughly in proportion to nodes.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import loop_heavy_yaml, synthetic_yaml  # noqa: E402

from simulator.authoring.graph.page import page  # noqa: E402
from simulator.authoring.graph.svg import draw  # noqa: E402
from simulator.format.library import load_all  # noqa: E402
from simulator.format.loader import load_text  # noqa: E402


def measure(scenario, repeats: int) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeats):
        start = time.perf_counter()
        size = len(page(scenario).encode("utf-8"))
        best = min(best, time.perf_counter() - start)
    return best, size


def report(label: str, scenario, repeats: int) -> None:
    seconds, size = measure(scenario, repeats)
    drawing = draw(scenario, {node_id: f"n{i}" for i, node_id in enumerate(scenario.nodes)}).drawing
    print(f"{label:<32} {len(scenario.nodes):>5} nodes  {seconds:7.3f} s  {size / 1e6:6.2f} MB  "
          f"{drawing.crossings:>5} crossings  {drawing.width:>6.0f} x {drawing.height:>7.0f} px")


def peak_memory(scenario) -> float:
    import gc
    import tracemalloc

    gc.collect()
    tracemalloc.start()
    page(scenario)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 1e6


def main() -> None:
    for nodes in (100, 300, 1000):
        result = load_text(synthetic_yaml(nodes), "synthetic.yaml")
        assert result.ok, [d.format() for d in result.diagnostics[:5]]
        report(f"synthetic-{nodes}", result.scenario, 3 if nodes < 1000 else 2)
    for nodes in (250, 1000, 10_000):
        result = load_text(loop_heavy_yaml(nodes), "loops.yaml")
        assert result.ok, [d.format() for d in result.diagnostics[:5]]
        report(f"loop-heavy-{nodes}", result.scenario, 1)
        print(f"{'':<32} peak memory making the page: {peak_memory(result.scenario):.0f} MB")
    for result in load_all():
        report(result.scenario.id, result.scenario, 3)


if __name__ == "__main__":
    main()
