"""Running a scenario: a ``transitions`` state machine and the session around it.

Nodes are states; the k-th choice of every node is the event ``option_k``,
guarded by that choice's condition.  The machine is built once per scenario
and shared by every ``Session`` (one model each).  The session owns the only
mutable state: where the user is, the variables, and the evidence log.
"""

from __future__ import annotations

from collections.abc import Callable

from transitions import Machine, MachineError

from scoring.evidence import Decision, EndingReached, EvidenceLog, Fact, Offer
from scoring.record import record
from simulator.model.conditions import Condition, parse_condition
from simulator.model.gc_pause import gc_paused
from simulator.model.scenario import Choice, Node, Scenario

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from typing import Any

SAVE_FORMAT = 1
# A chain of `next` nodes longer than this is a loop; the validator reports
# such loops, this only keeps a hand-built scenario from hanging the engine.
_MAX_CHAIN = 10_000


def apply_changes(scenario: Scenario, variables: dict, choice: Choice) -> dict:
    """The variables after ``choice``: its ``set`` values, then its ``add`` steps,
    clamped to each variable's declared range."""
    declared = scenario.variables
    after = dict(variables)
    for name, value in choice.set.items():
        after[name] = declared[name].clamp(value) if name in declared else value
    for name, delta in choice.add.items():
        current = after.get(name, 0)
        after[name] = declared[name].clamp(current + delta) if name in declared else current + delta
    return after


def settle(scenario: Scenario, node_id: str) -> list[str]:
    """The nodes visited from ``node_id`` following ``next`` links, ending at a
    decision or an ending (``node_id`` first)."""
    visited = [node_id]
    for _ in range(_MAX_CHAIN):
        following = scenario.nodes[visited[-1]].next
        if following is None:
            return visited
        visited.append(following)
    raise RuntimeError("a chain of 'next' nodes does not end")


class ChoiceUnavailable(ValueError):
    """The choice does not exist here, or its condition does not hold."""


# Records (scoring.record), not dataclasses: Python builds them far faster at start-up.
@record
class Line:
    """One line of the transcript: a character, the narrator, or the user."""

    node_id: str
    speaker: str  # character id, "narrator", or "you"
    text: str
    direction: str = ""


@record
class Move:
    """A decision made: the option chosen where, and how."""

    node_id: str
    choice_id: str
    hint_used: bool
    variables_before: tuple[tuple[str, Any], ...]
    own_words: str = ""  # what the learner typed before choosing ("say it first"); "" if nothing


def _event(index: int) -> str:
    return f"option_{index + 1}"


def _guard(condition: Condition) -> Callable[[dict], bool]:
    # Guards are Python callables made here: transitions would resolve a string
    # in a callback slot as an import path, which must never come from a scenario.
    return lambda variables: condition.holds(variables)


class CompiledScenario:
    """A scenario's state machine and parsed conditions, built once."""

    def __init__(self, scenario: Scenario) -> None:
        with gc_paused():
            self._build(scenario)

    def _build(self, scenario: Scenario) -> None:
        self.scenario = scenario
        self.conditions: dict[tuple[str, str], Condition] = {}
        self.machine = Machine(
            model=None,
            states=list(scenario.nodes),
            initial=scenario.start,
            auto_transitions=False,  # the default adds N*N to_<state> transitions
            send_event=False,
            ignore_invalid_triggers=False,
        )
        for node in scenario.nodes.values():
            for index, choice in enumerate(node.choices):
                guards = []
                if choice.condition is not None:
                    condition = parse_condition(choice.condition)
                    self.conditions[(node.id, choice.id)] = condition
                    guards.append(_guard(condition))
                self.machine.add_transition(_event(index), node.id, choice.next, conditions=guards)
            if node.next is not None:
                self.machine.add_transition("carry_on", node.id, node.next)

    def condition_holds(self, node_id: str, choice: Choice, variables: dict) -> bool:
        condition = self.conditions.get((node_id, choice.id))
        return condition is None or condition.holds(variables)


class _Position:
    """The model transitions moves between states (kept apart from Session so
    no node id can shadow a session attribute)."""

    state: str


class Session:
    """One attempt at a scenario."""

    def __init__(self, scenario: Scenario, compiled: CompiledScenario | None = None, learner: str = "") -> None:
        self.scenario = scenario
        self.compiled = compiled or CompiledScenario(scenario)
        self.learner = learner
        self._position = _Position()
        self.compiled.machine.add_model(self._position, initial=scenario.start)
        self.rewinds = 0
        self._reset()

    # -- state -------------------------------------------------------------
    def _reset(self, start: str | None = None, variables: dict | None = None) -> None:
        self.variables: dict[str, Any] = dict(variables if variables is not None else self.scenario.initial_variables())
        self._start_variables = dict(self.variables)
        self.moves: list[Move] = []
        self._hint_used = False
        self._start = start or self.scenario.start
        self.compiled.machine.set_state(self._start, model=self._position)
        self._visited: list[str] = [self._start]
        self._follow_next()

    @property
    def node(self) -> Node:
        return self.scenario.nodes[self._position.state]

    @property
    def finished(self) -> bool:
        return self.node.ending is not None

    @property
    def outcome(self) -> str | None:
        return self.node.ending.outcome if self.node.ending else None

    @property
    def hint_pending(self) -> bool:
        """Whether a hint was asked for at the current decision (recorded with it)."""
        return self._hint_used

    def choices(self) -> list[Choice]:
        """The options on offer now (their conditions hold)."""
        node = self.node
        return [c for c in node.choices if self.compiled.condition_holds(node.id, c, self.variables)]

    def locked(self) -> list[Choice]:
        """Options the scenario shows greyed now: condition false, with a reason."""
        node = self.node
        return [
            c for c in node.choices
            if c.locked_reason and not self.compiled.condition_holds(node.id, c, self.variables)
        ]

    # -- acting --------------------------------------------------------------
    def use_hint(self) -> list[tuple[Choice, str]]:
        """The hints for the options on offer; the decision is recorded as hinted."""
        self._hint_used = True
        return [(choice, choice.hint) for choice in self.choices() if choice.hint]

    def choose(self, choice_id: str, own_words: str = "") -> Node:
        """Say the choice ``choice_id``; returns the node the conversation moves to.
        ``own_words`` is what the learner typed first, kept with the decision."""
        node = self.node
        index = next((i for i, c in enumerate(node.choices) if c.id == choice_id), None)
        if index is None:
            raise ChoiceUnavailable(f"node '{node.id}' has no choice '{choice_id}'")
        choice = node.choices[index]
        before = tuple(self.variables.items())
        try:
            moved = self._position.trigger(_event(index), self.variables)
        except MachineError as exc:
            raise ChoiceUnavailable(str(exc)) from None
        if not moved:
            raise ChoiceUnavailable(f"choice '{choice_id}' is not available now")
        self.moves.append(Move(node.id, choice.id, self._hint_used, before, own_words))
        self._hint_used = False
        self._apply(choice)
        self._visited.append(choice.next)
        self._follow_next()
        return self.node

    def choose_number(self, number: int, own_words: str = "") -> Node:
        """Choose the ``number``-th (1-based) option on offer, as a menu shows it."""
        offered = self.choices()
        if not 1 <= number <= len(offered):
            raise ChoiceUnavailable(f"there is no option {number} here (1-{len(offered)} are on offer)")
        return self.choose(offered[number - 1].id, own_words)

    def _apply(self, choice: Choice) -> None:
        self.variables = apply_changes(self.scenario, self.variables, choice)

    def _follow_next(self) -> None:
        for _ in range(_MAX_CHAIN):
            if self.node.next is None:
                return
            self._position.trigger("carry_on")
            self._visited.append(self._position.state)
        raise RuntimeError("a chain of 'next' nodes does not end")

    def rewind(self, decision: int) -> None:
        """Go back to just before decision ``decision`` (0-based) and take it again."""
        if not 0 <= decision < len(self.moves):
            raise IndexError(f"there is no decision {decision + 1} to rewind to")
        kept = self.moves[:decision]
        target = self.moves[decision]
        rewinds = self.rewinds + 1
        self._replay(kept)
        assert self._position.state == target.node_id
        self.rewinds = rewinds

    def undo(self) -> None:
        """Rewind to the last decision made."""
        self.rewind(len(self.moves) - 1)

    def restart(self) -> None:
        """A fresh attempt from where this one began."""
        self.rewinds = 0
        self._reset(self._start, self._start_variables)

    def _replay(self, moves: list[Move]) -> None:
        self._reset(self._start, self._start_variables)
        for move in moves:
            self._hint_used = move.hint_used
            self.choose(move.choice_id, move.own_words)

    # -- reading ------------------------------------------------------------
    def transcript(self) -> list[Line]:
        """What has been said so far, in order, the user's words included."""
        lines: list[Line] = []
        moves = iter(self.moves)
        for node_id in self._visited:
            node = self.scenario.nodes[node_id]
            lines.append(Line(node.id, node.speaker, node.text, node.direction))
            if node.choices:
                move = next(moves, None)
                if move is not None:
                    chosen = next(c for c in node.choices if c.id == move.choice_id)
                    lines.append(Line(node.id, "you", chosen.text))
        return lines

    def evidence_log(self) -> EvidenceLog:
        """The decisions made so far, with what was on offer at each."""
        decisions = []
        for move in self.moves:
            node = self.scenario.nodes[move.node_id]
            variables = dict(move.variables_before)
            offered = [c for c in node.choices if self.compiled.condition_holds(node.id, c, variables)]
            decisions.append(
                Decision(
                    node_id=node.id,
                    speaker=self.scenario.speaker_name(node.speaker),
                    prompt=node.text,
                    offers=tuple(Offer(c.id, c.text, dict(c.evidence), c.feedback, self._facts(c)) for c in offered),
                    chosen=next(i for i, c in enumerate(offered) if c.id == move.choice_id),
                    hint_used=move.hint_used,
                    own_words=move.own_words,
                )
            )
        ending = None
        if self.node.ending:
            e = self.node.ending
            ending = EndingReached(self.node.id, e.outcome, e.title, self.ending_debrief(), e.impact)
        return EvidenceLog(
            scenario_id=self.scenario.id,
            scenario_title=self.scenario.title,
            decisions=tuple(decisions),
            ending=ending,
            rewinds=self.rewinds,
            learner=self.learner,
            person=self.scenario.person_at_risk,
        )

    def _facts(self, choice) -> tuple[Fact, ...]:
        case_file = self.scenario.case_file
        return tuple(Fact(f.title, f.text, f.date, f.source) for f in (case_file.get(i) for i in choice.cites) if f)

    def ending_debrief(self) -> str:
        """The ending's debrief as this route earned it (its ``debrief_if``
        paragraphs chosen by what was cited and shown on the way); "" before an ending."""
        ending = self.node.ending
        if ending is None:
            return ""
        cited: set[str] = set()
        shown: set[str] = set()
        for move in self.moves:
            choice = next(c for c in self.scenario.nodes[move.node_id].choices if c.id == move.choice_id)
            cited.update(choice.cites)
            shown.update(quality for quality, points in choice.evidence.items() if points > 0)
        return ending.debrief_for(cited, shown, self.variables)

    # -- saving ---------------------------------------------------------------
    def to_json(self) -> dict:
        """Plain JSON: enough to resume exactly here after the app is closed."""
        return {
            "format": SAVE_FORMAT,
            "scenario": self.scenario.id,
            "start": self._start,
            "variables": self._start_variables,
            # "said" only where words were typed, so a save without any reads
            # exactly as before and an older Rehearse can still resume it.
            "moves": [{"node": m.node_id, "choice": m.choice_id, "hint": m.hint_used,
                       **({"said": m.own_words} if m.own_words else {})} for m in self.moves],
            "rewinds": self.rewinds,
            "learner": self.learner,
        }

    @classmethod
    def from_json(cls, scenario: Scenario, data: dict, compiled: CompiledScenario | None = None) -> "Session":
        """Rebuild a saved session by replaying its moves; ``ValueError`` if they no longer fit."""
        if data.get("format") != SAVE_FORMAT or data.get("scenario") != scenario.id:
            raise ValueError("the saved attempt belongs to another scenario or format")
        session = cls(scenario, compiled, learner=data.get("learner", ""))
        start = data.get("start") or scenario.start
        if start not in scenario.nodes:
            raise ValueError(f"the saved start node '{start}' no longer exists")
        session._reset(start=start, variables=data.get("variables"))
        for move in data.get("moves", []):
            if session.node.id != move["node"]:
                raise ValueError(f"the saved path no longer fits the scenario at node '{move['node']}'")
            session._hint_used = bool(move.get("hint"))
            said = move.get("said")
            try:
                session.choose(move["choice"], said if isinstance(said, str) else "")
            except ChoiceUnavailable as exc:
                raise ValueError(f"the saved path no longer fits the scenario: {exc}") from None
        session.rewinds = int(data.get("rewinds", 0))
        return session

    def start_at(self, node_id: str, variables: dict | None = None) -> None:
        """Begin from any node with chosen variables (for previewing a scenario)."""
        if node_id not in self.scenario.nodes:
            raise ValueError(f"there is no node '{node_id}'")
        merged = self.scenario.initial_variables()
        merged.update(variables or {})
        self.rewinds = 0
        self._reset(start=node_id, variables=merged)
