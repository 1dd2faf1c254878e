"""Everything one report needs, gathered once so every format tells the same story."""

from __future__ import annotations

from dataclasses import dataclass

from scoring.catalogue import Catalogue, load_catalogue
from scoring.evidence import EvidenceLog
from scoring.feedback import Feedback, build_feedback
from scoring.scorer import Scorecard, score
from scoring.standing import Standing, standing


@dataclass(frozen=True)
class Debrief:
    log: EvidenceLog
    catalogue: Catalogue
    scorecard: Scorecard
    feedback: Feedback

    @property
    def standing(self) -> Standing:
        """The scores as every format shows them (``scoring.standing``)."""
        return standing(self.scorecard)


def prepare_debrief(
    log: EvidenceLog,
    catalogue: Catalogue | None = None,
    scorecard: Scorecard | None = None,
    feedback: Feedback | None = None,
) -> Debrief:
    """The debrief for ``log``, scoring it and building feedback unless the
    caller (the UI, which has usually shown both already) passes them in."""
    catalogue = catalogue or load_catalogue()
    scorecard = scorecard or score(log, catalogue)
    feedback = feedback or build_feedback(log, scorecard, catalogue)
    return Debrief(log=log, catalogue=catalogue, scorecard=scorecard, feedback=feedback)
