"""A group session recorded the way `rehearse serve` records one: Sessions
driven choice by choice, every decision and rewind written to the store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from scoring.reports import to_json
from scoring.scorer import score
from simulator.engine.session import Session
from simulator.format.loader import load_file
from simulator.records.store import Store, scorecard_summary

FIXTURES = Path(__file__).parent / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"
HOSTILE = FIXTURES / "ui" / "hostile.yaml"
HOSTILE_NAME = "\x1b[31m[b]Eve[/b]"


class Clock:
    """Starts at a fixed moment and moves on a minute each time it is read,
    so attempts and decisions have distinct, known times."""

    def __init__(self, start: datetime = datetime(2026, 3, 2, 9, 30, tzinfo=timezone.utc)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        moment = self.now
        self.now += timedelta(minutes=1)
        return moment


def scenario(path: Path):
    result = load_file(path)
    assert result.ok, [d.format() for d in result.diagnostics]
    return result.scenario


def play_in_cohort(store: Store, scenario, participant: str, name: str, steps, cohort: str = "demo",
                   finish: bool = True) -> int:
    """Start an attempt and play ``steps``: an int chooses that menu position,
    ``("rewind", k)`` goes back to before decision k (0-based). Finishes the
    attempt when an ending is reached and ``finish`` is true."""
    attempt = store.start_attempt(scenario.id, scenario.title, learner=name, cohort=cohort, participant=participant)
    session = Session(scenario, learner=name)
    for step in steps:
        if isinstance(step, tuple):
            session.rewind(step[1])
            store.record_rewind(attempt, session.to_json(), step[1])
            continue
        node = session.node.id
        choice = session.choices()[step - 1].id
        session.choose(choice)
        store.record_decision(attempt, session.to_json(), node, choice, hint_used=False)
    if finish and session.finished:
        log = session.evidence_log()
        card = score(log)
        store.finish_attempt(attempt, session.to_json(), session.outcome, session.node.id,
                             scorecard_summary(card), to_json(log, scorecard=card))
    return attempt


def fill_demo_cohort(path: Path, cohort: str = "demo") -> dict[str, int]:
    """The cohort the tests reason about (scores worked out in test_cohort_stats):

    - Asha (p-1): cites the record, asks for a strategy discussion: resolved, 13/13.
    - Ben (p-2): "That is simply wrong", then escalates: escalated, 5/11; then a
      retry after the debrief that takes the best path (not counted in the room's figures).
    - Cy (p-3): first says "That is simply wrong", rewinds, tells the manager,
      then escalates: escalated, 10/13.
    - Dee (p-4): "That is simply wrong", still at the second decision.
    - Eve (p-5), with a hostile display name, on another scenario: the weaker option, 0.
    """
    minimal, hostile = scenario(MINIMAL), scenario(HOSTILE)
    with Store(path, clock=Clock()) as store:
        store.create_cohort(cohort, "K7Q2", scenario_id=minimal.id)
        ids = {
            "asha": play_in_cohort(store, minimal, "p-1", "Asha", [1, 1], cohort),
            "ben": play_in_cohort(store, minimal, "p-2", "Ben", [2, 1], cohort),
            "cy": play_in_cohort(store, minimal, "p-3", "Cy", [2, ("rewind", 0), 3, 1], cohort),
            "dee": play_in_cohort(store, minimal, "p-4", "Dee", [2], cohort),
            "eve": play_in_cohort(store, hostile, "p-5", HOSTILE_NAME, [2], cohort),
        }
        ids["ben-retry"] = play_in_cohort(store, minimal, "p-2", "Ben", [1, 1], cohort)
    return ids
