"""`rehearse graph --format html` benchmark: prints figures, asserts nothing.

    python benchmarks/bench_graph_html.py

For synthetic scenarios of 100, 300 and 1,000 nodes (three choices each, one
in three guarded): the time to lay out and write the page (best of three),
its size, the crossings left and the drawing's size; then the same for every
bundled scenario. Target (2-core machine): 1,000 nodes within 5 s.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import synthetic_yaml  # noqa: E402

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


def main() -> None:
    for nodes in (100, 300, 1000):
        result = load_text(synthetic_yaml(nodes), "synthetic.yaml")
        assert result.ok, [d.format() for d in result.diagnostics[:5]]
        report(f"synthetic-{nodes}", result.scenario, 3 if nodes < 1000 else 2)
    for result in load_all():
        report(result.scenario.id, result.scenario, 3)


if __name__ == "__main__":
    main()
