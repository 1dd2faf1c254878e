"""A layered drawing of a directed graph, top to bottom (the Sugiyama method, kept small).

1. Edges that close a loop (found by a depth-first walk from the roots) are
   turned round, so what is left has no cycles.
2. Every box goes in a rank by its longest distance from the roots; an edge
   that spans several ranks gets invisible waypoints ("dummies"), one per rank
   it crosses, so it can be routed between the boxes instead of through them.
   An edge spanning more than ``LANE_SPAN`` ranks takes a lane beside the
   drawing instead (see ``routing``), which keeps the work linear in the
   size of the graph when every passage links back to the start.
3. A few barycentre sweeps order each rank to cut crossings; the best order
   seen is kept.
4. Within a rank, boxes go as close as they can to their neighbours in the
   next rank while keeping their order and a gap: an isotonic regression,
   solved exactly by pooling adjacent violators.

Knows nothing about scenarios: the caller gives box sizes, edges and roots and
gets back positions and edge routes (SVG path data).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

from simulator.authoring.graph.routing import LANE_GAP, LANE_SPAN, Route, assign_lanes, routes

__all__ = ["Box", "Drawing", "Placed", "Route", "layout"]


@dataclass(frozen=True)
class Box:
    """A box to place. Boxes sharing a ``group`` that land in the same rank are
    kept side by side, in the order they were given (e.g. a decision's options)."""

    width: float
    height: float
    group: Hashable = None


@dataclass(frozen=True)
class Placed:
    x: float  # centre
    y: float  # top
    width: float
    height: float
    rank: int

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Drawing:
    boxes: dict[Hashable, Placed]
    routes: tuple[Route, ...]
    width: float
    height: float
    ranks: int
    crossings: int


def layout(
    boxes: Mapping[Hashable, Box],
    edges: Sequence[tuple[Hashable, Hashable]],
    roots: Sequence[Hashable] = (),
    *,
    gap_x: float = 22,
    gap_y: float = 46,
    margin: float = 16,
    sweeps: int = 8,
) -> Drawing:
    """Place ``boxes`` in ranks top to bottom and route ``edges`` between them.

    ``roots`` go in the first rank (the scenario's start); any box no root
    reaches is walked from in the order given. Edges naming an unknown box
    are left out of the drawing."""
    keys = list(boxes)
    index = {key: i for i, key in enumerate(keys)}
    real = len(keys)
    usable = [(n, index[s], index[t]) for n, (s, t) in enumerate(edges) if s in index and t in index]

    back = _loop_closing(real, usable, [index[r] for r in roots if r in index])
    rank = _longest_path_ranks(real, [(t, s) if n in back else (s, t) for n, s, t in usable if s != t])

    # The layered graph: real boxes, then dummies; every edge as a chain of one-rank steps.
    widths = [boxes[key].width for key in keys]
    heights = [boxes[key].height for key in keys]
    group_of: list[Hashable] = [boxes[key].group for key in keys]
    chains: dict[int, list[int]] = {}
    laned: dict[int, tuple[int, int, int]] = {}  # edge -> (top, bottom, target), for the lanes
    for n, s, t in usable:
        if s == t:
            continue
        top, bottom = (t, s) if n in back else (s, t)
        if rank[bottom] - rank[top] > LANE_SPAN:
            laned[n] = (top, bottom, t)
            continue
        chain = [top]
        for r in range(rank[top] + 1, rank[bottom]):
            rank.append(r)
            widths.append(0.0)
            heights.append(0.0)
            group_of.append(None)
            chain.append(len(rank) - 1)
        chain.append(bottom)
        chains[n] = chain
    count = len(rank)
    down: list[list[int]] = [[] for _ in range(count)]
    up: list[list[int]] = [[] for _ in range(count)]
    for chain in chains.values():
        for a, b in zip(chain, chain[1:]):
            down[a].append(b)
            up[b].append(a)

    layers = _initial_order(count, rank, down, [index[r] for r in roots if r in index])
    layers, crossings = _reduce_crossings(layers, up, down, group_of, sweeps)

    # Boxes whose every way on (or back) is a lane: nothing below them keeps them in place.
    loose = frozenset(v for n, (top, bottom, _) in laned.items() for v in (top, bottom) if not down[v])
    xs = _positions(layers, up, down, widths, real, gap_x, loose)
    _straighten([chain[1:-1] for chain in chains.values() if len(chain) > 3], layers, rank, xs, widths, real, gap_x)
    left = min((xs[v] - widths[v] / 2 for layer in layers for v in layer), default=0.0)
    shift = margin - left
    rank_tops, total_height = _rank_tops(layers, heights, gap_y, margin)
    ys = [rank_tops[rank[v]] for v in range(count)]
    for v in range(count):
        xs[v] += shift
    right = max((xs[v] + widths[v] / 2 for layer in layers for v in layer), default=0.0)
    lane_of = assign_lanes(laned, rank)
    lane_x = {n: right + LANE_GAP * (lane + 1) for n, lane in lane_of.items()}
    right += LANE_GAP * (max(lane_of.values(), default=-1) + 1)

    placed = {
        key: Placed(xs[i], ys[i], widths[i], heights[i], rank[i]) for i, key in enumerate(keys)
    }
    rank_height = [_rank_height(layer, heights) for layer in layers]
    drawn = routes(usable, edges, chains, laned, lane_x, back, xs, ys, widths, heights, rank, rank_tops, rank_height,
                   gap_y)
    return Drawing(placed, drawn, right + margin, total_height, len(layers), crossings)


# -- 1. loops ---------------------------------------------------------------------


def _loop_closing(count: int, edges: list[tuple[int, int, int]], roots: list[int]) -> set[int]:
    """Numbers of the edges that lead back to a box still on the walk's path."""
    out: list[list[tuple[int, int]]] = [[] for _ in range(count)]
    for n, s, t in edges:
        out[s].append((n, t))
    state = [0] * count  # 0 unseen, 1 on the path, 2 done
    back: set[int] = set()
    for root in [*roots, *range(count)]:
        if state[root]:
            continue
        state[root] = 1
        stack = [(root, iter(out[root]))]
        while stack:
            vertex, todo = stack[-1]
            for n, target in todo:
                if state[target] == 1:
                    back.add(n)
                elif state[target] == 0:
                    state[target] = 1
                    stack.append((target, iter(out[target])))
                    break
            else:
                state[vertex] = 2
                stack.pop()
    return back


# -- 2. ranks -------------------------------------------------------------------------


def _longest_path_ranks(count: int, edges: list[tuple[int, int]]) -> list[int]:
    successors: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for s, t in edges:
        successors[s].append(t)
        waiting[t] += 1
    rank = [0] * count
    ready = [v for v in range(count) if waiting[v] == 0]
    while ready:
        vertex = ready.pop()
        for target in successors[vertex]:
            rank[target] = max(rank[target], rank[vertex] + 1)
            waiting[target] -= 1
            if waiting[target] == 0:
                ready.append(target)
    return rank


# -- 3. order within ranks ---------------------------------------------------------


def _initial_order(count: int, rank: list[int], down: list[list[int]], roots: list[int]) -> list[list[int]]:
    """Ranks in depth-first order from the roots: a good start with few crossings."""
    layers: list[list[int]] = [[] for _ in range(max(rank, default=-1) + 1)]
    seen = [False] * count
    for root in [*roots, *range(count)]:
        if seen[root]:
            continue
        seen[root] = True
        stack = [root]
        while stack:
            vertex = stack.pop()
            layers[rank[vertex]].append(vertex)
            for target in reversed(down[vertex]):
                if not seen[target]:
                    seen[target] = True
                    stack.append(target)
    return layers


def _reduce_crossings(layers, up, down, group_of, sweeps: int):
    best = [list(layer) for layer in layers]
    best_count = _crossings(best, down)
    current = [list(layer) for layer in layers]
    stale = 0
    for sweep in range(sweeps):
        if sweep % 2 == 0:
            for r in range(1, len(current)):
                current[r] = _by_barycentre(current[r], current[r - 1], up, group_of)
        else:
            for r in range(len(current) - 2, -1, -1):
                current[r] = _by_barycentre(current[r], current[r + 1], down, group_of)
        found = _crossings(current, down)
        if found < best_count:
            best, best_count, stale = [list(layer) for layer in current], found, 0
        else:
            stale += 1
            if stale >= 3 or best_count == 0:
                break
    return best, best_count


def _by_barycentre(layer: list[int], reference: list[int], neighbours, group_of) -> list[int]:
    """``layer`` sorted by the mean position of each box's neighbours in ``reference``.

    Positions are scaled to 0..1 in both ranks, so a box with no neighbours
    there keeps roughly its place. A group moves as one block, by its mean."""
    if len(layer) < 2:
        return layer
    where = {v: i / max(len(reference) - 1, 1) for i, v in enumerate(reference)}
    span = max(len(layer) - 1, 1)
    blocks: dict[object, list] = {}
    for i, v in enumerate(layer):
        found = [where[u] for u in neighbours[v] if u in where]
        key = sum(found) / len(found) if found else i / span
        block_id = ("g", group_of[v]) if group_of[v] is not None else ("v", v)
        block = blocks.setdefault(block_id, [0.0, 0, i, []])
        block[0] += key
        block[1] += 1
        block[3].append(v)
    ordered = sorted(blocks.values(), key=lambda b: (b[0] / b[1], b[2]))
    return [v for block in ordered for v in (sorted(block[3]) if len(block[3]) > 1 else block[3])]


def _crossings(layers: list[list[int]], down) -> int:
    total = 0
    for upper, lower in zip(layers, layers[1:]):
        where = {v: i for i, v in enumerate(lower)}
        ends = sorted((i, where[w]) for i, v in enumerate(upper) for w in down[v])
        tree = [0] * (len(lower) + 1)  # Fenwick tree of lower ends seen so far
        for seen, (_, position) in enumerate(ends):
            at, not_greater = position + 1, 0
            while at > 0:
                not_greater += tree[at]
                at -= at & -at
            total += seen - not_greater
            at = position + 1
            while at <= len(lower):
                tree[at] += 1
                at += at & -at
    return total


# -- 4. positions ---------------------------------------------------------------------


def _positions(layers, up, down, widths, real: int, gap_x: float, loose: frozenset[int] = frozenset()) -> list[float]:
    """x for every box and waypoint. A ``loose`` box (one whose only way on
    is a lane) hardly pulls its neighbours or holds its place: otherwise each
    "start again" option, beside the option that carries the story on, would
    pull every decision half an option sideways, and a long chain of them
    would drift across the page (80 px a node on a loop-heavy story)."""
    xs = [0.0] * len(widths)
    for layer in layers:
        x = 0.0
        for i, v in enumerate(layer):
            if i:
                x += _separation(layer[i - 1], v, widths, real, gap_x)
            xs[v] = x
        centre = x / 2
        for v in layer:
            xs[v] -= centre
    plan = ["down", "up"] * 4 + ["both"] * 3
    for direction in plan:
        order = range(len(layers)) if direction != "up" else range(len(layers) - 1, -1, -1)
        for r in order:
            layer = layers[r]
            desired, weights = [], []
            for v in layer:
                near = up[v] if direction == "down" else down[v] if direction == "up" else up[v] + down[v]
                if near and loose:
                    pulls = [0.01 if u in loose else 1.0 for u in near]
                    desired.append(sum(pull * xs[u] for pull, u in zip(pulls, near)) / sum(pulls))
                    weights.append(sum(pulls) * (0.01 if v in loose else 1.0))
                elif near:
                    desired.append(sum(xs[u] for u in near) / len(near))
                    # Waypoints pull harder, so long edges stay straight.
                    weights.append(len(near) * (2.0 if v >= real else 1.0))
                else:
                    desired.append(xs[v])
                    weights.append(0.01)
            gaps = [_separation(a, b, widths, real, gap_x) for a, b in zip(layer, layer[1:])]
            for v, x in zip(layer, _closest_in_order(desired, weights, gaps)):
                xs[v] = x
    return xs


def _straighten(runs: list[list[int]], layers, rank, xs, widths, real: int, gap_x: float) -> None:
    """Line up each long edge's waypoints on one x where their neighbours leave
    room, so the edge is drawn as one straight run instead of a wiggle."""
    where = {v: i for layer in layers for i, v in enumerate(layer)}

    def room(v: int) -> tuple[float, float]:
        layer, i = layers[rank[v]], where[v]
        low = xs[layer[i - 1]] + _separation(layer[i - 1], v, widths, real, gap_x) if i > 0 else float("-inf")
        high = xs[layer[i + 1]] - _separation(v, layer[i + 1], widths, real, gap_x) if i < len(layer) - 1 else float("inf")
        return low, high

    def line_up(piece: list[int], low: float, high: float) -> None:
        middle = sorted(xs[v] for v in piece)[len(piece) // 2]
        for v in piece:
            xs[v] = min(max(middle, low), high)

    # Where a whole run cannot share one x, it is cut into as few straight
    # pieces as fit, so the edge bends a few times rather than at every rank.
    for run in runs:
        piece: list[int] = []
        low, high = float("-inf"), float("inf")
        for v in run:
            v_low, v_high = room(v)
            if piece and (max(low, v_low) > min(high, v_high)):
                line_up(piece, low, high)
                piece, low, high = [], float("-inf"), float("inf")
                v_low, v_high = room(v)
            piece.append(v)
            low, high = max(low, v_low), min(high, v_high)
        if piece:
            line_up(piece, low, high)


def _separation(a: int, b: int, widths, real: int, gap_x: float) -> float:
    gap = gap_x if a < real and b < real else gap_x / 2
    return (widths[a] + widths[b]) / 2 + gap


def _closest_in_order(desired: list[float], weights: list[float], gaps: list[float]) -> list[float]:
    """Positions minimising the weighted squared distance to ``desired`` such that
    position[i + 1] - position[i] >= gaps[i] (pool adjacent violators)."""
    offsets = [0.0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    blocks: list[list[float]] = []  # [total weight, weighted sum, size]
    for target, weight, offset in zip(desired, weights, offsets):
        blocks.append([weight, weight * (target - offset), 1])
        while len(blocks) > 1 and blocks[-2][1] / blocks[-2][0] > blocks[-1][1] / blocks[-1][0]:
            weight_b, total_b, size_b = blocks.pop()
            blocks[-1][0] += weight_b
            blocks[-1][1] += total_b
            blocks[-1][2] += size_b
    out: list[float] = []
    for weight, total, size in blocks:
        for _ in range(int(size)):
            out.append(total / weight + offsets[len(out)])
    return out


def _rank_height(layer: list[int], heights) -> float:
    return max((heights[v] for v in layer), default=0.0)


def _rank_tops(layers, heights, gap_y: float, margin: float) -> tuple[list[float], float]:
    tops, y = [], margin
    for layer in layers:
        tops.append(y)
        height = _rank_height(layer, heights)
        y += height + gap_y if height else gap_y
    return tops, y - gap_y + margin
