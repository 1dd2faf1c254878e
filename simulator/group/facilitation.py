"""The record of a facilitated group session: at each decision, what was on
offer, how many hands went up for each option and how the option was chosen.

Pure data and the rules of the vote, so the projector screens, the exports and
the tests all count hands the same way. Nothing here imports Textual.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from typing import Sequence

from scoring.evidence import EvidenceLog

LETTERS = string.ascii_uppercase

# How the option the story followed was chosen.
MOST_HANDS = "most-hands"  # one option had more hands than any other
TIE = "tie"  # two or more shared the most hands; the facilitator chose among them
SKIPPED = "skipped"  # no vote was taken; the facilitator chose
DECIDED_BY = (MOST_HANDS, TIE, SKIPPED)


def letter(index: int) -> str:
    """The label an option has on the projector: A, B, C …"""
    return LETTERS[index]


def leaders(hands: Sequence[int]) -> tuple[int, ...]:
    """The options (by index) with the most hands; none when no hand went up."""
    top = max(hands, default=0)
    if top <= 0:
        return ()
    return tuple(i for i, count in enumerate(hands) if count == top)


def percentages(hands: Sequence[int]) -> tuple[int, ...]:
    """Each option's share of the hands, in whole percent (0 when none went up)."""
    total = sum(hands)
    return tuple(round(100 * count / total) if total else 0 for count in hands)


@dataclass(frozen=True)
class VoteOption:
    letter: str
    choice_id: str
    text: str


@dataclass(frozen=True)
class Round:
    """One decision the room made."""

    number: int  # 1-based, in the order the room met them
    node_id: str
    speaker: str  # the name of who spoke
    line: str  # what they said
    discuss: tuple[str, ...]  # the prompts put to the room before the vote
    options: tuple[VoteOption, ...]
    hands: tuple[int, ...] | None  # one count per option; None when the vote was skipped
    chosen: int  # index into options
    decided_by: str  # one of DECIDED_BY
    countdown_ran_out: bool = False

    def __post_init__(self) -> None:
        if not 0 <= self.chosen < len(self.options):
            raise ValueError(f"decision {self.number}: option {self.chosen} is not on offer")
        if self.decided_by not in DECIDED_BY:
            raise ValueError(f"decision {self.number}: unknown way of deciding {self.decided_by!r}")
        if (self.hands is None) != (self.decided_by == SKIPPED):
            raise ValueError(f"decision {self.number}: hands are counted exactly when the vote was not skipped")
        if self.hands is None:
            return
        if len(self.hands) != len(self.options) or any(count < 0 for count in self.hands):
            raise ValueError(f"decision {self.number}: one count of zero or more per option")
        top = leaders(self.hands)
        if self.chosen not in top:
            raise ValueError(f"decision {self.number}: the room's choice must have the most hands")
        if (len(top) > 1) != (self.decided_by == TIE):
            raise ValueError(f"decision {self.number}: a tie is when two or more options share the most hands")

    @property
    def choice(self) -> VoteOption:
        return self.options[self.chosen]

    @property
    def total(self) -> int:
        return sum(self.hands) if self.hands else 0

    @property
    def tied(self) -> tuple[int, ...]:
        """The options that shared the most hands, when the vote was a tie."""
        return leaders(self.hands) if self.decided_by == TIE and self.hands else ()

    @property
    def percentages(self) -> tuple[int, ...]:
        return percentages(self.hands) if self.hands else ()

    def how(self) -> str:
        """How the choice was made, as one sentence for the room and the record."""
        chosen = self.choice.letter
        if self.decided_by == SKIPPED:
            return f"Vote skipped: the facilitator chose {chosen}."
        count = self.hands[self.chosen]
        if self.decided_by == TIE:
            tied = " and ".join(self.options[i].letter for i in self.tied)
            return f"Tie between {tied} ({_hands(count)} each): the facilitator chose {chosen}."
        return f"Most hands: {chosen}, with {count} of {self.total} ({self.percentages[self.chosen]}%)."


def _hands(count: int) -> str:
    return f"{count} hand" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class GroupSession:
    """A whole session: the rounds in order and the path's evidence for scoring."""

    scenario_id: str
    scenario_title: str
    started_at: str  # ISO 8601 with the local offset
    finished_at: str
    countdown: int  # seconds per decision; 0 for none
    rounds: tuple[Round, ...]
    log: EvidenceLog  # the path the room took, as the scorer reads it
    closing_discuss: tuple[str, ...] = ()  # the ending's prompts, for the debrief
    person_at_risk: str = "child"

    @property
    def skipped(self) -> int:
        return sum(1 for r in self.rounds if r.decided_by == SKIPPED)

    @property
    def ties(self) -> int:
        return sum(1 for r in self.rounds if r.decided_by == TIE)
