"""An attempt played at a prompt (``rehearse play``), kept as the app keeps one.

The same history file, the same writes in the same order as the app's play
screen: the attempt, each decision and rewind as it is made, and the ending
with its scorecard and report. The writes go through ``PatientStore``, so a
busy or full disk holds them in order and says so in words rather than losing
a decision or stopping play; a process killed at any moment loses at most the
decision being saved.

The attempt itself is started with the first decision: running ``rehearse
play`` and quitting at the first question leaves nothing to resume.
"""

from __future__ import annotations

import os
from pathlib import Path

from scoring.catalogue import Catalogue, load_catalogue
from scoring.debrief import Debrief, prepare_debrief
from scoring.record import record
from simulator.engine.session import CompiledScenario, Session
from simulator.model.scenario import Scenario
from simulator.records.columns import scorecard_summary
from simulator.records.patient_store import (
    BACK_TO_NORMAL,
    PatientStore,
    Voice,
    cannot_read,
    reason_not_saved,
)
from simulator.records.sqlite_file import DamagedStoreError

TYPE_CHECKING = False  # typing's flag, without loading typing at start-up (see docs/performance.md)
if TYPE_CHECKING:
    from simulator.records.attempts import AttemptSummary


def _held_up(exc: BaseException, path: Path) -> str:
    if isinstance(exc, DamagedStoreError):
        return (f"Your history file is damaged, so this attempt cannot be saved to it: {exc}. You can play on; "
                "the attempt will not be in your history.")
    return (f"Not saved yet: {reason_not_saved(exc, path)}. Rehearse keeps every step and tries again every few "
            "seconds; carry on, nothing is lost while this play goes on.")


AT_A_PROMPT = Voice(_held_up, BACK_TO_NORMAL, cannot_read)


@record
class Resumable:
    """An unfinished attempt at a scenario, as the prompt offers it."""

    summary: AttemptSummary
    decisions: int  # decisions kept on its route so far
    session_json: dict | None


class PlayRecord:
    """Saves one attempt played at a prompt. Use ``open``; ``close`` when done."""

    def __init__(self, store: PatientStore, scenario: Scenario, learner: str = "",
                 catalogue: Catalogue | None = None) -> None:
        self.store = store
        self.scenario = scenario
        self.learner = learner
        self.catalogue = catalogue or load_catalogue()
        self.attempt_id: int | None = None
        self.mode = "debrief"
        self.debrief: Debrief | None = None  # the ending's, once reached

    @classmethod
    def open(cls, path: str | os.PathLike[str] | None, scenario: Scenario, learner: str = "",
             **store_options) -> PlayRecord:
        """The record on the history at ``path`` (default: the user's);
        raises ``StoreError`` for a file that is not a usable history."""
        # At a prompt nothing is drawn while a step is saved: each is saved at once, on one connection.
        return cls(PatientStore(path, voice=AT_A_PROMPT, write_at_once=True, **store_options), scenario, learner)

    @property
    def path(self) -> Path:
        return self.store.path

    # -- resuming -------------------------------------------------------------------
    def resumable(self) -> Resumable | None:
        """The unfinished attempt at this scenario most recently played by
        this learner, if there is one."""
        for summary in self.store.unfinished(self.learner):
            if summary.scenario_id != self.scenario.id:
                continue
            attempt = self.store.attempt(summary.id)
            if attempt is None:
                continue
            saved = attempt.session_json
            moves = len(saved.get("moves", [])) if isinstance(saved, dict) else 0
            return Resumable(summary, moves, saved)
        return None

    def resume(self, found: Resumable, compiled: CompiledScenario | None = None) -> Session:
        """The session of ``found``, to play on; ``ValueError`` if the
        scenario has changed so that its route no longer fits."""
        if found.session_json:
            session = Session.from_json(self.scenario, found.session_json, compiled)
        else:
            session = Session(self.scenario, compiled, learner=found.summary.learner)
        self.attempt_id = found.summary.id
        self.mode = found.summary.mode
        return session

    # -- as play goes on ----------------------------------------------------------------
    def decided(self, session: Session) -> None:
        """Save the decision just made (and the attempt, with the first);
        at an ending, the ending, scorecard and report too."""
        if self.attempt_id is None:
            self.attempt_id = self.store.start_attempt(self.scenario.id, self.scenario.title, learner=self.learner,
                                                       mode=self.mode)
        move = session.moves[-1]
        self.store.record_decision(self.attempt_id, session.to_json(), move.node_id, move.choice_id,
                                   move.hint_used, own_words=move.own_words)
        if session.finished:
            self._finish(session)

    def rewound(self, session: Session) -> None:
        """Save an undo: the decisions from ``len(session.moves)`` on are taken back."""
        if self.attempt_id is not None:
            self.store.record_rewind(self.attempt_id, session.to_json(), len(session.moves))

    def _finish(self, session: Session) -> None:
        from scoring.json_report import stored_json

        debrief = prepare_debrief(session.evidence_log(), self.catalogue)
        self.debrief = debrief
        self.store.finish_attempt(self.attempt_id, session.to_json(), session.node.ending.outcome, session.node.id,
                                  scorecard_summary(debrief.scorecard),
                                  stored_json(debrief))

    def news(self) -> list[str]:
        """What the learner should hear about saving since last asked."""
        return [item.message for item in self.store.news()]

    # -- closing ---------------------------------------------------------------------------
    @property
    def pending(self) -> int:
        return self.store.pending

    @property
    def trouble(self) -> str | None:
        return self.store.trouble

    def wait(self, seconds: float) -> bool:
        return self.store.wait(seconds)

    def close(self, wait: float = 2.0) -> int:
        """Save what can be saved within ``wait`` seconds; the steps left unsaved."""
        return self.store.close(wait)
