"""How the layered drawing's edges are drawn: through their waypoints, or,
for an edge spanning many ranks, along a lane to the right of the drawing.

An edge between neighbouring ranks, or a few ranks apart, is routed through
one invisible waypoint per rank it crosses, between the boxes. Giving every
edge waypoints costs the sum of all edges' spans, which grows with the square
of the story on graphs where every passage also links back to the start, as
Twine stories often do (a 1,000-node chain had half a million waypoints). So
an edge longer than ``LANE_SPAN`` ranks has none: it leaves its box into the
gap between ranks, runs along a vertical lane beyond the right edge of the
drawing and comes back in through the gap next to its target's rank, so it
never crosses a box. Edges to one target share a lane (a bus into it), and
targets whose spans do not overlap share a lane too, so a hundred "start
again" links cost one lane, not a hundred.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from typing import Hashable

LANE_SPAN = 8  # ranks; longer edges take a lane
LANE_GAP = 14.0  # px between lanes, and between the drawing and the first


@dataclass(frozen=True)
class Route:
    """How the edge ``source → target`` (the ``index``-th edge given) is drawn.

    ``back`` is true for an edge that closes a loop: it is drawn upwards, from
    the top of its source to the bottom of its target."""

    index: int
    source: Hashable
    target: Hashable
    points: tuple[tuple[float, float], ...]
    back: bool = False
    self_loop: bool = False

    def path(self) -> str:
        """SVG path data: straight through each waypoint's rank, curved between ranks."""
        (x0, y0), *rest = self.points
        if self.self_loop:
            (x1, y1), = rest
            reach = 28 + abs(y1 - y0) / 3
            return f"M{x0:.1f},{y0:.1f} C{x0 + reach:.1f},{y0:.1f} {x1 + reach:.1f},{y1:.1f} {x1:.1f},{y1:.1f}"
        parts = [f"M{x0:.1f},{y0:.1f}"]
        for x1, y1 in rest:
            if abs(x1 - x0) < 0.5 or abs(y1 - y0) < 0.5:
                parts.append(f"L{x1:.1f},{y1:.1f}")
            else:
                middle = (y0 + y1) / 2
                parts.append(f"C{x0:.1f},{middle:.1f} {x1:.1f},{middle:.1f} {x1:.1f},{y1:.1f}")
            x0, y0 = x1, y1
        return " ".join(parts)


def assign_lanes(laned: dict[int, tuple[int, int, int]], rank: list[int]) -> dict[int, int]:
    """A lane number for each long edge ``n -> (top, bottom, target)``.

    Edges into one target share its lane; a lane is reused by a later target
    once the ranks it spans are past (interval partitioning with a heap, so
    this is n log n in the number of targets)."""
    spans: dict[int, list[int]] = {}
    for top, bottom, target in laned.values():
        span = spans.setdefault(target, [rank[top], rank[bottom]])
        span[0], span[1] = min(span[0], rank[top]), max(span[1], rank[bottom])
    lane_of: dict[int, int] = {}
    free: list[tuple[int, int]] = []  # (last rank used, lane)
    lanes = 0
    for target, (first, last) in sorted(spans.items(), key=lambda item: (item[1][0], item[1][1], item[0])):
        if free and free[0][0] < first:
            _, lane = heapq.heappop(free)
        else:
            lane, lanes = lanes, lanes + 1
        lane_of[target] = lane
        heapq.heappush(free, (last, lane))
    return {n: lane_of[target] for n, (_, _, target) in laned.items()}


def routes(usable, edges, chains, laned, lane_x, back, xs, ys, widths, heights, rank, rank_tops, rank_height,
           gap_y):
    """Every edge's route: ``chains`` (edge -> boxes and waypoints, top to
    bottom) for short edges, ``laned`` (edge -> (top, bottom, target)) with
    ``lane_x`` (edge -> x) for long ones."""
    # Where each edge leaves and enters a box: spread along the box's bottom
    # and top edges in the order of the other ends, so arrows do not pile up.
    leaving: dict[int, list[tuple[float, int]]] = {}
    entering: dict[int, list[tuple[float, int]]] = {}
    for n, chain in chains.items():
        leaving.setdefault(chain[0], []).append((xs[chain[1]], n))
        entering.setdefault(chain[-1], []).append((xs[chain[-2]], n))
    for n, (top, bottom, _) in laned.items():
        leaving.setdefault(top, []).append((lane_x[n], n))
        entering.setdefault(bottom, []).append((lane_x[n], n))
    out_port = _ports(leaving, xs, widths)
    in_port = _ports(entering, xs, widths)

    found = []
    for n, s, t in usable:
        source, target = edges[n]
        if s == t:
            right = xs[s] + widths[s] / 2
            found.append(Route(n, source, target, ((right, ys[s] + heights[s] * 0.7),
                                                   (right, ys[s] + heights[s] * 0.3)), back=True, self_loop=True))
            continue
        if n in laned:
            top, bottom, _ = laned[n]
            below = rank_tops[rank[top]] + rank_height[rank[top]] + gap_y / 2  # the gap under the top box's rank
            above = rank_tops[rank[bottom]] - gap_y / 2  # the gap over the bottom box's rank
            lane = lane_x[n]
            points = [(out_port[n], ys[top] + heights[top]), (out_port[n], below), (lane, below), (lane, above),
                      (in_port[n], above), (in_port[n], ys[bottom])]
        else:
            chain = chains[n]
            points = [(out_port[n], ys[chain[0]] + heights[chain[0]])]
            for v in chain[1:-1]:
                top_y = rank_tops[rank[v]]
                points += [(xs[v], top_y), (xs[v], top_y + rank_height[rank[v]])]
            points.append((in_port[n], ys[chain[-1]]))
        if n in back:
            points.reverse()
        found.append(Route(n, source, target, tuple(points), back=n in back))
    return tuple(found)


def _ports(ends: dict[int, list[tuple[float, int]]], xs, widths) -> dict[int, float]:
    port = {}
    for vertex, others in ends.items():
        others.sort()
        spread = min(widths[vertex] * 0.7, 16 * (len(others) - 1))
        for i, (_, n) in enumerate(others):
            offset = spread * (i / (len(others) - 1) - 0.5) if len(others) > 1 else 0.0
            port[n] = xs[vertex] + offset
    return port
