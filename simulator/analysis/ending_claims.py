"""Whether an ending's words are true on every route into it.

An ending *claims* what a sentence of its text beginning "You" or "Your"
names before any word that turns it ("not", "n't", "no", "never", "without",
"but", "yet", "though", "instead"): "You challenged ... with the local
continuum of need" claims the continuum was cited; "You had the referral in
hand, but ... the cold-health alert" claims nothing after "but". A sentence
names a case-file fact when it holds three words in a row from the fact's
title, the first and last not little words ("continuum of need" from
"Northbridge Continuum of Need, Level 4"), and a quality when it holds the
quality's catalogue label of two words or more, leaving out any bracketed part
("good recording"). A fact claimed must have been cited (``cites``) and a
quality claimed shown (positive evidence) by an option chosen on every route
that reaches the ending; a ``debrief_if`` paragraph is held to that only on
the routes where its own tests hold.

Routes are followed as the engine plays them, conditions and variables
included, through the reachable states (node, variables, and whether each
fact or quality a ``debrief_if`` tests has been met yet). What every route
into a state has cited and shown is worked out once for all routes: the
intersection over the ways in, repeated until nothing changes.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from functools import lru_cache

from simulator.analysis.best_paths import predicate
from simulator.model.conditions import parse_condition
from simulator.model.scenario import Choice, DebriefIf, Scenario

TURNS = frozenset("not no never without but yet though although instead nor".split())
LEARNER = frozenset(("you", "your"))
LITTLE = frozenset("a an and as at by for from in into is it its of on or the to was were with".split())

Atom = tuple[str, str]  # ("cited", fact id) or ("shown", quality id)
State = tuple[str, tuple, frozenset]  # node, variables, the tested atoms met so far


class TooLarge(Exception):
    """More reachable states than the lint's limit."""


@dataclass(frozen=True)
class Unbacked:
    """A fact or quality an ending's text names that some route into it never cited or showed."""

    ending: str  # node id
    part: int | None  # None: the ending's 'debrief'; else the index of its 'debrief_if' paragraph
    atom: Atom
    phrase: str  # the words in the text that name it
    route: tuple[int, ...]  # option numbers of one route that reaches the ending without it


def _words(text: str) -> list[str]:
    # Lower case, and a plural read as its singular ("body maps" names "body map").
    # A possessive is its noun ("Dr Tait's reply" names "Dr Tait reply").
    words = [re.sub(r"['’]s$", "", w) for w in re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower())]
    return [w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w for w in words]


def _contains(words: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(words[i:i + n] == phrase for i in range(len(words) - n + 1))


def claimed(text: str, scenario: Scenario, labels: Mapping[str, str]) -> dict[Atom, str]:
    """The facts and qualities ``text`` claims the learner cited or showed,
    each with the words that name it."""
    found: dict[Atom, str] = {}
    for sentence in re.split(r"(?<=[.!?])\s+", text.strip()):
        words = _words(sentence)
        if not words or words[0] not in LEARNER:
            continue
        turn = next((i for i, w in enumerate(words) if w in TURNS or w.endswith(("n't", "n’t"))), len(words))
        for atom, phrase in named(words[:turn], scenario, labels).items():
            found.setdefault(atom, phrase)
    return found


def named(words: list[str], scenario: Scenario, labels: Mapping[str, str]) -> dict[Atom, str]:
    """The facts and qualities ``words`` (as ``_words`` gives them) name, each with the words that name it."""
    found: dict[Atom, str] = {}
    for fact_id, fact in scenario.case_file.items():
        title = _words(fact.title)
        for i in range(len(title) - 2):
            phrase = title[i:i + 3]
            if phrase[0] not in LITTLE and phrase[-1] not in LITTLE and _contains(words, phrase):
                found[("cited", fact_id)] = " ".join(phrase)
                break
    for quality_id, label in labels.items():
        phrase = _words(re.sub(r"\([^)]*\)", " ", label))
        if len(phrase) >= 2 and _contains(words, phrase):
            found[("shown", quality_id)] = " ".join(phrase)
    return found


def _gained(choice: Choice) -> frozenset[Atom]:
    return frozenset([("cited", f) for f in choice.cites] +
                     [("shown", q) for q, points in choice.evidence.items() if points > 0])


def _tests(part: DebriefIf) -> frozenset[Atom]:
    return frozenset([("cited", f) for f in part.cited] + [("shown", q) for q in part.shown])


def unbacked(scenario: Scenario, labels: Mapping[str, str], max_states: int) -> Iterator[Unbacked]:
    """Every claim in an ending's text that some route into it does not bear
    out, with one such route; raises ``TooLarge`` past ``max_states``."""
    claims = {}
    for node_id, node in scenario.nodes.items():
        if node.ending is None:
            continue
        parts = [(None, node.ending.debrief, None)] + [(i, p.text, p) for i, p in enumerate(node.ending.debrief_if)]
        for index, text, part in parts:
            found = claimed(text, scenario, labels)
            if part is not None:  # a paragraph that tests for a fact claims it truthfully
                found = {atom: words for atom, words in found.items() if atom not in _tests(part)}
            if found:
                claims[(node_id, index)] = (found, part)
    if not claims:
        return
    tracked = frozenset().union(*(_tests(p) for _, p in claims.values() if p is not None))
    start, edges = _graph(scenario, tracked, max_states)
    must = _must(start, edges)
    for (node_id, index), (found, part) in claims.items():
        for atom, phrase in found.items():
            ends = [s for s in must if s[0] == node_id and (part is None or _holds(part, s))]
            if any(atom not in must[s] for s in ends):
                yield Unbacked(node_id, index, atom, phrase, _route_without(start, edges, atom, set(ends)))


# The lint runs on every load: conditions are read by best_paths' small
# evaluator and the graph is walked here, without the engine or simpleeval.
@lru_cache(maxsize=256)
def _test(text: str):
    return predicate(parse_condition(text).tree)


def _holds(part: DebriefIf, state: State) -> bool:
    return _tests(part) <= state[2] and (part.when is None or bool(_test(part.when)(dict(state[1]))))


def _settle(scenario: Scenario, node_id: str) -> str:
    seen = set()
    while scenario.nodes[node_id].next is not None and node_id not in seen:
        seen.add(node_id)
        node_id = scenario.nodes[node_id].next
    return node_id


def _after(scenario: Scenario, variables: dict, choice: Choice) -> dict:
    """The variables after ``choice``, as ``engine.apply_changes`` makes them: set, then add, clamped."""
    after = dict(variables)
    for name, value in choice.set.items():
        after[name] = scenario.variables[name].clamp(value)
    for name, delta in choice.add.items():
        after[name] = scenario.variables[name].clamp(after[name] + delta)
    return after


def _graph(scenario: Scenario, tracked: frozenset[Atom], max_states: int):
    start: State = (_settle(scenario, scenario.start), tuple(sorted(scenario.initial_variables().items())),
                    frozenset())
    edges: dict[State, list[tuple[int, frozenset[Atom], State]]] = {}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state in edges:
            continue
        if len(edges) >= max_states:
            raise TooLarge
        node_id, items, met = state
        node = scenario.nodes[node_id]
        edges[state] = []
        variables = dict(items)
        offered = [c for c in node.choices if c.condition is None or _test(c.condition)(variables)]
        for number, choice in enumerate(offered, start=1):
            gained = _gained(choice)
            after = _after(scenario, variables, choice)
            target = (_settle(scenario, choice.next), tuple(sorted(after.items())), met | (gained & tracked))
            edges[state].append((number, gained, target))
            queue.append(target)
    return start, edges


def _must(start: State, edges) -> dict[State, frozenset[Atom]]:
    """For each state, what every route from the start into it has cited and shown."""
    must: dict[State, frozenset[Atom]] = {start: frozenset()}
    work = deque([start])
    while work:
        state = work.popleft()
        for _, gained, target in edges[state]:
            arriving = must[state] | gained
            before = must.get(target)
            now = arriving if before is None else before & arriving
            if now != before:
                must[target] = now
                work.append(target)
    return must


def _route_without(start: State, edges, atom: Atom, ends: set[State]) -> tuple[int, ...]:
    """The option numbers of a shortest route into ``ends`` that never gains ``atom``."""
    came: dict[State, tuple[State, int] | None] = {start: None}
    queue = deque([start])
    while queue:
        state = queue.popleft()
        if state in ends:
            route = []
            while came[state] is not None:
                state, number = came[state]
                route.append(number)
            return tuple(reversed(route))
        for number, gained, target in edges[state]:
            if atom not in gained and target not in came:
                came[target] = (state, number)
                queue.append(target)
    return ()
