"""The scenario model: what a trainer wrote, as frozen values.

Built by the loader from a file that passed the schema; the engine reads it
and owns the only mutable state (see ``engine.Session``).
"""

from __future__ import annotations

from collections.abc import Mapping, Set
from types import MappingProxyType

from scoring.record import record

NARRATOR = "narrator"

# Records (scoring.record), not dataclasses: every command builds these classes
# at start-up, and a record is built several times faster.
_EMPTY: Mapping = MappingProxyType({})  # a shared default no one can change


@record
class Character:
    """Someone the learner talks to: name, role and agency."""

    id: str
    name: str
    role: str
    agency: str
    description: str = ""


@record
class CaseFact:
    """A fact in the case file the user can consult and cite."""

    id: str
    title: str
    text: str
    date: str = ""
    source: str = ""


@record
class Variable:
    """A value the scenario keeps between decisions (trust, an escalation stage)."""

    name: str
    initial: int | bool
    minimum: int | None = None
    maximum: int | None = None
    description: str = ""
    signal: str = ""

    @property
    def is_flag(self) -> bool:
        return isinstance(self.initial, bool)

    def clamp(self, value: int | bool) -> int | bool:
        if self.is_flag or self.minimum is None or self.maximum is None:
            return value
        return max(self.minimum, min(self.maximum, value))


@record
class Choice:
    """An option at a decision: what the learner says, where it leads, what it shows."""

    id: str
    text: str
    next: str
    evidence: Mapping[str, int] = _EMPTY
    feedback: str = ""
    condition: str | None = None
    locked_reason: str = ""
    set: Mapping[str, int | bool] = _EMPTY
    add: Mapping[str, int] = _EMPTY
    hint: str = ""
    cites: tuple[str, ...] = ()


@record
class DebriefIf:
    """A paragraph of an ending's debrief said only where the route into the
    ending bears it out: every fact in ``cited`` was cited by an option
    chosen, every quality in ``shown`` had positive evidence from one, and
    ``when`` holds over the variables as they stand at the ending."""

    text: str
    cited: tuple[str, ...] = ()
    shown: tuple[str, ...] = ()
    when: str | None = None

    def holds(self, cited: Set[str], shown: Set[str], variables: Mapping[str, int | bool]) -> bool:
        from simulator.model.conditions import parse_condition

        return (set(self.cited) <= cited and set(self.shown) <= shown
                and (self.when is None or parse_condition(self.when).holds(variables)))


@record
class Ending:
    """Where a route ends: its outcome, title and debrief."""

    outcome: str
    title: str
    debrief: str
    impact: str = ""
    debrief_if: tuple[DebriefIf, ...] = ()

    def debrief_for(self, cited: Set[str], shown: Set[str], variables: Mapping[str, int | bool]) -> str:
        """The debrief for one route: ``debrief``, then each ``debrief_if``
        paragraph whose tests hold, in the order written."""
        added = [part.text for part in self.debrief_if if part.holds(cited, shown, variables)]
        return "\n\n".join([self.debrief, *added])


@record
class Node:
    """A moment of the conversation: a line said, then options or an ending."""

    id: str
    speaker: str
    text: str
    direction: str = ""
    choices: tuple[Choice, ...] = ()
    next: str | None = None
    ending: Ending | None = None
    # Questions a facilitator puts to the room here (before the vote at a
    # decision, or in the debrief at an ending); not shown in solo play.
    discuss: tuple[str, ...] = ()

    @property
    def is_decision(self) -> bool:
        return bool(self.choices)

    def targets(self) -> tuple[str, ...]:
        """Ids of the nodes this node can lead to."""
        if self.choices:
            return tuple(choice.next for choice in self.choices)
        return (self.next,) if self.next else ()


@record
class Scenario:
    """A whole scenario, checked and ready to play."""

    id: str
    title: str
    area: str
    situation: str
    role_title: str
    role_agency: str
    setting: str
    difficulty: int
    minutes: int
    objectives: tuple[str, ...]
    start: str
    nodes: Mapping[str, Node]
    characters: Mapping[str, Character] = _EMPTY
    case_file: Mapping[str, CaseFact] = _EMPTY
    variables: Mapping[str, Variable] = _EMPTY
    tags: tuple[str, ...] = ()
    # None: the author has not said; an empty tuple: nothing to warn about.
    content_notes: tuple[str, ...] | None = None
    author: str = ""
    source: str = ""

    def speaker_name(self, speaker: str) -> str:
        character = self.characters.get(speaker)
        return character.name if character else "Narrator"

    def initial_variables(self) -> dict[str, int | bool]:
        return {name: variable.initial for name, variable in self.variables.items()}

    @property
    def person_at_risk(self) -> str:
        """"adult" for adult safeguarding scenarios, otherwise "child" (for labels)."""
        return "adult" if any(e.outcome == "adult-at-risk" for e in self.endings.values()) else "child"

    @property
    def endings(self) -> dict[str, Ending]:
        return {node.id: node.ending for node in self.nodes.values() if node.ending}


def _prompts(raw: str | list | None) -> tuple[str, ...]:
    """``discuss`` as written (one question, or a list of them) as a tuple."""
    if raw is None:
        return ()
    return (raw,) if isinstance(raw, str) else tuple(raw)


def _prose(text: str) -> str:
    # `>` and `|` blocks end with a newline; shown as written it left a blank
    # line under an option and a space before a narrator's closing bracket.
    return text.strip()


def from_document(data: dict, source: str = "") -> Scenario:
    """Build the model from a document that already passed the schema."""

    def choice(index: int, raw: dict) -> Choice:
        return Choice(
            id=str(raw.get("id", index + 1)),
            text=_prose(raw["text"]),
            next=raw["next"],
            evidence=dict(raw.get("evidence") or {}),
            feedback=_prose(raw.get("feedback", "")),
            condition=raw.get("condition"),
            locked_reason=raw.get("locked_reason", ""),
            set=dict(raw.get("set") or {}),
            add=dict(raw.get("add") or {}),
            hint=_prose(raw.get("hint", "")),
            cites=tuple(raw.get("cites") or ()),
        )

    def node(node_id: str, raw: dict) -> Node:
        ending = raw.get("ending")
        return Node(
            id=node_id,
            speaker=raw["speaker"],
            text=_prose(raw["text"]),
            direction=raw.get("direction", ""),
            choices=tuple(choice(i, c) for i, c in enumerate(raw.get("choices") or ())),
            next=raw.get("next"),
            ending=Ending(ending["outcome"], ending["title"], _prose(ending["debrief"]), _prose(ending.get("impact", "")),
                          tuple(DebriefIf(_prose(part["text"]), tuple(part.get("cited") or ()),
                                          tuple(part.get("shown") or ()), part.get("when"))
                                for part in ending.get("debrief_if") or ()))
            if ending
            else None,
            discuss=_prompts(raw.get("discuss")),
        )

    return Scenario(
        id=data["id"],
        title=data["title"],
        area=data["area"],
        situation=_prose(data["situation"]),
        role_title=data["role"]["title"],
        role_agency=data["role"]["agency"],
        setting=data["setting"],
        difficulty=data["difficulty"],
        minutes=data["minutes"],
        objectives=tuple(data["objectives"]),
        start=data["start"],
        nodes={node_id: node(node_id, raw) for node_id, raw in data["nodes"].items()},
        characters={
            cid: Character(cid, c["name"], c["role"], c["agency"], c.get("description", ""))
            for cid, c in data["characters"].items()
        },
        case_file={
            fid: CaseFact(fid, f["title"], _prose(f["text"]), f.get("date", ""), f.get("source", ""))
            for fid, f in data["case_file"].items()
        },
        variables={
            name: Variable(name, v["initial"], v.get("min"), v.get("max"), v.get("description", ""), v.get("signal", ""))
            for name, v in (data.get("variables") or {}).items()
        },
        tags=tuple(data.get("tags") or ()),
        content_notes=tuple(data["content_notes"]) if "content_notes" in data else None,
        author=data.get("author", ""),
        source=source,
    )
