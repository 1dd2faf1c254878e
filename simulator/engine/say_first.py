"""Saying it first: the learner types what they would say at a decision, hears
the analyser's feedback on it, then sees the options with the one closest to
their words marked.

The analyser (``scoring.free_text``) knows nothing of scenarios: it is handed
the case file as plain data, once per scenario, so its date and name checks
read "you cited the 6 October body map" from this case's own facts. Line-by-
line play, the app and ``rehearse say`` all go through here, so they give the
same feedback for the same words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simulator.model.scenario import Choice, Scenario

if TYPE_CHECKING:
    from scoring.free_text import Analysis, OptionMatch


def case_file_data(scenario: Scenario) -> dict[str, dict[str, str]]:
    """The scenario's case file as the analyser reads it: fact id to
    ``title``, ``date``, ``source`` and ``text``, all plain strings."""
    return {
        fact_id: {"title": fact.title, "date": fact.date, "source": fact.source, "text": fact.text}
        for fact_id, fact in scenario.case_file.items()
    }


@dataclass(frozen=True)
class SaidFirst:
    """What the learner typed at one decision, read against the briefing."""

    words: str  # exactly as typed
    analysis: "Analysis"
    closest: "OptionMatch | None"  # among the options on offer; None when nothing was typed

    @property
    def feedback(self) -> tuple[str, ...]:
        """Plain lines (no markup): what was there, in the learner's own words
        quoted; what the case file says about what they cited; what is missing;
        the briefing's sentence; any warning sign."""
        return self.analysis.feedback

    @property
    def found(self) -> tuple[str, ...]:
        """The briefing's elements the words show, in the analyser's order."""
        from scoring.free_text.analyser import WARNINGS

        return tuple(e for e, present in self.analysis.elements.items() if present and e not in WARNINGS)

    @property
    def warnings(self) -> tuple[str, ...]:
        from scoring.free_text.analyser import WARNINGS

        return tuple(e for e in WARNINGS if self.analysis.elements[e])


class SayFirstReader:
    """The analyser set up for one scenario: its case file read once, so each
    utterance costs only its own analysis (a few milliseconds)."""

    def __init__(self, scenario: Scenario) -> None:
        from scoring.free_text.case_file import read_case_file

        self.scenario = scenario
        self._case_file = read_case_file(case_file_data(scenario))

    def read(self, words: str, offered: Sequence[Choice]) -> SaidFirst:
        """The analysis of ``words`` and the option among ``offered`` closest
        to them (none when nothing but spaces was typed)."""
        from scoring.free_text import analyse, closest_option

        analysis = analyse(words, self._case_file)
        closest = closest_option(words, [c.text for c in offered]) if words.strip() and offered else None
        if closest is not None and not closest.words and not any(analysis.elements.values()):
            # Words with nothing the analyser recognises agree with any option
            # that has nothing either: that is not "closest", so none is marked.
            closest = None
        return SaidFirst(words, analysis, closest)


def closest_marker(said: SaidFirst | None, offered: Sequence[Choice]) -> str | None:
    """The id of the option to mark as closest to what was said, if any."""
    if said is None or said.closest is None or not 0 <= said.closest.index < len(offered):
        return None
    return offered[said.closest.index].id
