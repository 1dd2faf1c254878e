"""Which passages a learner can reach, which they cannot and why, and where loops have no way out.

A passage becomes a node when a link or a navigation macro with a literal
target leads to it from the start. A passage that is only ever shown inside
another one (``{embed passage:}``, ``(display:)``, ``<<include>>``) is part of
that passage's page, so its links are the embedder's options and it is not a
node of its own.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

from simulator.authoring.twine.passages import Move, PassageText

NO_WAY_IN = "no_incoming_link"
ONLY_FROM_UNREACHABLE = "only_from_unreachable"
ONLY_VIA_VARIABLES = "only_via_variable_targets"
ONLY_FROM_MENU = "only_from_menu"
CAUSES = (ONLY_VIA_VARIABLES, ONLY_FROM_MENU, NO_WAY_IN, ONLY_FROM_UNREACHABLE)


@dataclass
class Reach:
    pages: list[str]  # passages that become nodes: the start first, then in file order
    shown_in: dict[str, list[str]] = field(default_factory=dict)  # passage shown only inside others -> those
    unreachable: dict[str, list[str]] = field(default_factory=dict)  # cause -> passages, in file order


def all_moves(name: str, texts: dict[str, PassageText], within: frozenset = frozenset()) -> list[Move]:
    """The passage's moves and those of every passage it shows, at the place it shows them."""
    text = texts[name]
    keyed = [((move.line, 0, index), move) for index, move in enumerate(text.moves)]
    for order, (embedded, line) in enumerate(text.embeds):
        if embedded in texts and embedded not in within and embedded != name:
            for index, move in enumerate(all_moves(embedded, texts, within | {name})):
                keyed.append(((line, 1, order * 10_000 + index), replace(move, line=line)))
    return [move for _, move in sorted(keyed, key=lambda pair: pair[0])]


def shown_passages(name: str, texts: dict[str, PassageText], within: frozenset = frozenset()) -> list[str]:
    """Every passage shown inside ``name``, however deep."""
    out = []
    for embedded, _ in texts[name].embeds:
        if embedded in texts and embedded not in within and embedded != name:
            out.append(embedded)
            out += shown_passages(embedded, texts, within | {name})
    return out


def reach(start: str, order: list[str], texts: dict[str, PassageText], from_menus: frozenset = frozenset()) -> Reach:
    """What the learner reaches from ``start`` (``order`` is every story passage in file order).

    ``from_menus`` are the passages a menu or header links to: on every page in
    Twine, but a scenario has no menu, so they only explain why a passage is missing."""
    moves = {name: all_moves(name, texts) for name in order}
    linked, queue = {start}, deque([start])
    while queue:
        for move in moves[queue.popleft()]:
            if move.target in texts and move.target not in linked:
                linked.add(move.target)
                queue.append(move.target)
    result = Reach([start] + [name for name in order if name in linked and name != start])
    for page in result.pages:
        for shown in shown_passages(page, texts):
            if shown not in linked:
                result.shown_in.setdefault(shown, [])
                if page not in result.shown_in[shown]:
                    result.shown_in[shown].append(page)
    seen = linked | set(result.shown_in)
    incoming: dict[str, set[str]] = {name: set() for name in order}
    for name in order:
        for target in [move.target for move in moves[name]] + shown_passages(name, texts):
            if target in incoming and target != name:
                incoming[target].add(name)
    by_variable = any(texts[name].unfollowed for name in seen)
    for name in order:
        if name in seen:
            continue
        cause = (ONLY_FROM_UNREACHABLE if incoming[name] else ONLY_FROM_MENU if name in from_menus
                 else ONLY_VIA_VARIABLES if by_variable else NO_WAY_IN)
        result.unreachable.setdefault(cause, []).append(name)
    return result


def predecessors(pages: list[str], moves: dict[str, list[Move]]) -> dict[str, list[str]]:
    """For each page, the other pages with a move to it, in page order."""
    out: dict[str, list[str]] = {page: [] for page in pages}
    for page in pages:
        for move in moves[page]:
            if move.target in out and move.target != page and page not in out[move.target]:
                out[move.target].append(page)
    return out


def can_end(edges: dict[str, list[str]]) -> set[str]:
    """The nodes from which some ending (a node with no way on) can be reached."""
    before: dict[str, list[str]] = {node: [] for node in edges}
    for node, targets in edges.items():
        for target in targets:
            before.setdefault(target, []).append(node)
    done = {node for node, targets in edges.items() if not targets}
    queue = deque(done)
    while queue:
        for previous in before.get(queue.popleft(), ()):
            if previous not in done:
                done.add(previous)
                queue.append(previous)
    return done


def loops_without_exit(edges: dict[str, list[str]], start: str) -> list[str]:
    """One node in each loop that no ending can be reached from: where a way out belongs.

    A node that only leads into such a loop is not one: once the loop has a way
    out, so does it. Each loop is a strongly connected group of nodes with no
    move out of the group; its node nearest the start is chosen."""
    ending_reachable = can_end(edges)
    stuck = [node for node in edges if node not in ending_reachable]
    if not stuck:
        return []
    inside = set(stuck)
    group = _groups({node: [t for t in edges[node] if t in inside] for node in stuck})
    leaves = set(group.values()) - {group[node] for node in stuck for t in edges[node]
                                    if t in inside and group[t] != group[node]}
    distance = _distances(edges, start)
    chosen: dict[int, str] = {}
    for node in stuck:
        g = group[node]
        if g in leaves and (g not in chosen or distance.get(node, 1 << 30) < distance.get(chosen[g], 1 << 30)):
            chosen[g] = node
    return sorted(chosen.values(), key=lambda node: (distance.get(node, 1 << 30), stuck.index(node)))


def _groups(edges: dict[str, list[str]]) -> dict[str, int]:
    """Strongly connected groups (Kosaraju's two passes, without recursion so deep stories cannot overflow)."""
    finished: list[str] = []
    visited: set[str] = set()
    for root in edges:
        if root in visited:
            continue
        visited.add(root)
        stack = [(root, iter(edges[root]))]
        while stack:
            node, targets = stack[-1]
            step = next((t for t in targets if t not in visited), None)
            if step is None:
                stack.pop()
                finished.append(node)
            else:
                visited.add(step)
                stack.append((step, iter(edges[step])))
    reverse: dict[str, list[str]] = {node: [] for node in edges}
    for node, targets in edges.items():
        for target in targets:
            reverse[target].append(node)
    group: dict[str, int] = {}
    for number, root in enumerate(reversed(finished)):
        if root in group:
            continue
        group[root] = number
        queue = [root]
        while queue:
            for previous in reverse[queue.pop()]:
                if previous not in group:
                    group[previous] = number
                    queue.append(previous)
    return group


def _distances(edges: dict[str, list[str]], start: str) -> dict[str, int]:
    distance, queue = {start: 0}, deque([start])
    while queue:
        node = queue.popleft()
        for target in edges.get(node, ()):
            if target not in distance:
                distance[target] = distance[node] + 1
                queue.append(target)
    return distance
