"""Authoring lint: what makes a scenario teach less well, though it plays.

Every finding is a warning (``--strict`` makes it fail validation), starts
with the rule's name in brackets so trainers can look it up in
docs/scenario-format.md, and says what to do instead.  The rules read the
scenario as written: options in file order, whatever their conditions.
Only ``ending-off-best-path`` and ``ending-claims-uncited`` follow conditions
and variables, through ``simulator.analysis.best_paths`` and
``simulator.analysis.ending_claims``.
"""

from __future__ import annotations

from typing import Callable

from simulator.model.scenario import Node, Scenario

# A spoken line the learner must hold in mind while choosing a reply.
MAX_LINE_WORDS = 60
# One option is "far longer" than the rest when it has more than 2.5 times the
# words of the next longest, and over 15 words more (so 2 words against 6 is
# not flagged).  It is measured against the next longest, not the shortest:
# a curt weak reply among full ones ("Fine. Leave it with me.") is how people
# talk and gives nothing away, but one long careful option among short ones
# is the one a test-wise learner picks.
LENGTH_RATIO = 2.5
LENGTH_GAP = 15
# The best option is "systematically" first or longest when it is so in at
# least this share of the decisions that have a best option, and in at least
# this many of them: fewer decisions are too few to call a pattern.
PATTERN_SHARE = 0.75
PATTERN_MIN_DECISIONS = 4
# The best-path rule explores the scenario's states, which costs about a
# millisecond for a scenario written by hand (10-20 decisions, under 100
# states).  Past these sizes it is skipped, so loading stays quick: such a
# scenario is generated, not written, and `rehearse analyse` covers it.
MAX_DECISIONS = 200
MAX_STATES = 2_000

# Every rule's name, as shown in brackets at the start of its warnings and
# listed in docs/scenario-format.md.
RULES = ("long-line", "uneven-options", "best-first", "best-longest", "single-option",
         "only-positive-evidence", "uncited-fact", "ending-off-best-path", "ending-claims-uncited", "todo-left")
# A placeholder an author (or `rehearse new`, or the Twine importer) left to fill in.
TODO_MARK = "TODO"

Warn = Callable[..., None]  # the validator's report.warning(path, message, hint, key=False)


def check(scenario: Scenario, warn: Warn, sound: bool) -> None:
    """Report every lint finding in ``scenario`` through ``warn``.

    The best-path rule runs only when the scenario is ``sound`` (no errors):
    it follows every option to an ending, so it needs a graph that holds."""
    decisions = [node for node in scenario.nodes.values() if node.choices]
    words = {node.id: [_words(choice.text) for choice in node.choices] for node in decisions}
    _long_lines(scenario, warn)
    _todos_left(scenario, warn)
    for node in decisions:
        _single_option(node, warn)
        _uneven_lengths(node, words[node.id], warn)
    _best_position(decisions, words, warn)
    _only_positive(decisions, warn)
    _uncited_facts(scenario, decisions, warn)
    if sound and len(decisions) <= MAX_DECISIONS:
        _endings_off_best_paths(scenario, warn)
        _ending_claims(scenario, warn)


def _words(text: str) -> int:
    return len(text.split())


def _long_lines(scenario: Scenario, warn: Warn) -> None:
    for node_id, node in scenario.nodes.items():
        words = _words(node.text)
        if words > MAX_LINE_WORDS:
            warn(("nodes", node_id, "text"),
                 f"[long-line] the line of node '{node_id}' is {words} words; over about {MAX_LINE_WORDS} "
                 "the learner loses the thread before choosing",
                 "cut it to what the speaker would say aloud, or split it over two nodes joined by 'next'")


def _texts(scenario: Scenario):
    """Every text a learner reads, with the path of its key in the file."""
    s = scenario
    yield ("title",), s.title
    yield ("situation",), s.situation
    yield ("setting",), s.setting
    yield ("role", "title"), s.role_title
    yield ("role", "agency"), s.role_agency
    for index, objective in enumerate(s.objectives):
        yield ("objectives", index), objective
    for character in s.characters.values():
        for key in ("name", "role", "agency", "description"):
            yield ("characters", character.id, key), getattr(character, key)
    for fact in s.case_file.values():
        for key in ("title", "text", "date", "source"):
            yield ("case_file", fact.id, key), getattr(fact, key)
    for node in s.nodes.values():
        yield ("nodes", node.id, "text"), node.text
        for index, choice in enumerate(node.choices):
            for key in ("text", "feedback", "hint", "locked_reason"):
                yield ("nodes", node.id, "choices", index, key), getattr(choice, key)
        if node.ending is not None:
            for key in ("title", "debrief", "impact"):
                yield ("nodes", node.id, "ending", key), getattr(node.ending, key)
            for index, part in enumerate(node.ending.debrief_if):
                yield ("nodes", node.id, "ending", "debrief_if", index, "text"), part.text


def _todos_left(scenario: Scenario, warn: Warn) -> None:
    for path, text in _texts(scenario):
        if TODO_MARK in text:
            shown = ".".join(str(part) for part in path)
            warn(path, f"[todo-left] {shown} still says {TODO_MARK}: a placeholder a learner would read",
                 "write the real text in its place")


def _single_option(node: Node, warn: Warn) -> None:
    if len(node.choices) == 1:
        warn(("nodes", node.id, "choices"),
             f"[single-option] node '{node.id}' offers one option: there is nothing to choose",
             "add a plausible weaker option, or use 'next:' for a moment with no decision", key=True)


def _uneven_lengths(node: Node, words: list[int], warn: Warn) -> None:
    if len(words) < 2:
        return
    longest = max(range(len(words)), key=words.__getitem__)
    runner_up = max(w for i, w in enumerate(words) if i != longest)
    if words[longest] > LENGTH_RATIO * runner_up and words[longest] - runner_up > LENGTH_GAP:
        warn(("nodes", node.id, "choices", longest, "text"),
             f"[uneven-options] option {longest + 1} of node '{node.id}' is {words[longest]} words, the next longest "
             f"{runner_up}: learners spot the long careful option",
             "trim it to what a practitioner would say, or give the other options the same substance")


def _best(node: Node) -> set[int] | None:
    """Indexes of the options with the highest summed evidence, or None when
    every option sums the same (no best to give away)."""
    sums = [sum(choice.evidence.values()) for choice in node.choices]
    top = max(sums)
    best = {i for i, total in enumerate(sums) if total == top}
    return None if len(best) == len(sums) else best


def _best_position(decisions: list[Node], words_of: dict[str, list[int]], warn: Warn) -> None:
    first: list[str] = []
    longest: list[str] = []
    counted = 0
    for node in decisions:
        best = _best(node) if len(node.choices) > 1 else None
        if best is None:
            continue
        counted += 1
        if 0 in best:
            first.append(node.id)
        words = words_of[node.id]
        if any(words[i] == max(words) for i in best):
            longest.append(node.id)
    if counted < PATTERN_MIN_DECISIONS:
        return
    for name, where, hint in (
        ("best-first", first,
         "move the best option to second or third place in some decisions (give choices ids first, "
         "so saved attempts still match)"),
        ("best-longest", longest,
         "make the best option shorter than another in some decisions: a weaker reply can be the long one "
         "(over-explaining, apologising, a rambling compromise)"),
    ):
        if len(where) >= PATTERN_SHARE * counted:
            what = "first" if name == "best-first" else "longest"
            examples = ", ".join(f"'{node_id}'" for node_id in where[:3])
            if len(where) > 3:
                examples += f" and {len(where) - 3} more"
            warn(("nodes", where[0], "choices"),
                 f"[{name}] the best option (highest summed evidence) is the {what} in {len(where)} of {counted} "
                 f"decisions ({examples}): test-wise learners learn to pick it",
                 hint, key=True)


def _only_positive(decisions: list[Node], warn: Warn) -> None:
    values = [points for node in decisions for choice in node.choices for points in choice.evidence.values()]
    if values and min(values) >= 0:
        warn(("nodes",),
             "[only-positive-evidence] no option anywhere has negative evidence: the scenario never shows what a "
             "pitfall costs",
             "give weaker options negative evidence on the qualities they fall short of, e.g. calm: -1 for a "
             "sharp reply", key=True)


def _uncited_facts(scenario: Scenario, decisions: list[Node], warn: Warn) -> None:
    cited = {fact for node in decisions for choice in node.choices for fact in choice.cites}
    for fact_id in scenario.case_file:
        if fact_id not in cited:
            warn(("case_file", fact_id),
                 f"[uncited-fact] no option cites the case-file fact '{fact_id}'",
                 "add it to 'cites' of the options that use it (and quote it in their words), or remove it",
                 key=True)


def _endings_off_best_paths(scenario: Scenario, warn: Warn) -> None:
    from scoring.catalogue import load_catalogue  # already loaded for the quality ids: no cost
    from simulator.analysis.best_paths import TooLarge, endings_off_best_paths

    competency_of = {quality_id: quality.competency for quality_id, quality in load_catalogue().qualities.items()}
    try:
        unreachable, off_best = endings_off_best_paths(scenario, competency_of, MAX_STATES)
    except TooLarge:
        return
    for node_id in unreachable:
        warn(("nodes", node_id),
             f"[ending-off-best-path] no path reaches ending '{node_id}' once conditions are applied",
             "check the conditions on the options leading to it (`rehearse analyse` lists the endings reached)",
             key=True)
    for node_id in off_best:
        outcome = scenario.nodes[node_id].ending.outcome
        warn(("nodes", node_id),
             f"[ending-off-best-path] ending '{node_id}' ({outcome}) is reached by no best path: every route to it "
             "scores below the best, overall and in every competency",
             "if good practice should lead here, give the options on the way the best evidence; if it is where "
             "poor practice leads, make one step on the way a plausible trade-off (best in some respect, e.g. calm "
             "but not escalating); `rehearse analyse` shows the best paths", key=True)


def _ending_claims(scenario: Scenario, warn: Warn) -> None:
    from scoring.catalogue import load_catalogue
    from simulator.analysis.ending_claims import TooLarge, unbacked

    labels = {quality_id: quality.label for quality_id, quality in load_catalogue().qualities.items()}
    try:
        found = list(unbacked(scenario, labels, MAX_STATES))
    except TooLarge:
        return
    for claim in found:
        kind, name = claim.atom
        where = ("nodes", claim.ending, "ending") + (("debrief",) if claim.part is None else
                                                    ("debrief_if", claim.part, "text"))
        done = "cites the case-file fact" if kind == "cited" else "shows the quality"
        route = ",".join(str(number) for number in claim.route)
        warn(where,
             f"[ending-claims-uncited] ending '{claim.ending}' says \"{claim.phrase}\", but not every route into it "
             f"{done} '{name}' (e.g. --choices {route})",
             f"move those words into a 'debrief_if' paragraph with {kind}: [{name}], or say it without claiming "
             "the learner did it")
