"""Thirty participants at once, each its own process, all writing to one store.

Each process plays a whole scenario through ``ParticipantStore``, the store
the app uses in a group session, starting together and writing with no
pause between decisions: far harder on the file than a room of people.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

from simulator.records.store import Store

PARTICIPANTS = 30
SCENARIO = "hv-gcp2-closure"
COHORT = "Load test"

PLAYER = r"""
import json, sys, time
from pathlib import Path
from scoring.catalogue import load_catalogue
from scoring.debrief import prepare_debrief
from scoring.reports import to_json
from simulator.engine.session import Session
from simulator.format.library import load_all
from simulator.group.participant_store import ParticipantStore
from simulator.records.store import scorecard_summary

data, cohort, scenario_id, pick, go = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), Path(sys.argv[5])
scenario = next(r.scenario for r in load_all() if r.scenario and r.scenario.id == scenario_id)
catalogue = load_catalogue()
said = []
store = ParticipantStore(data, cohort, f"p-load-{pick:02d}", notify=lambda message, severity: said.append(message))
store.cohort_record()  # the file is open
(go.parent / f"ready-{pick}").touch()
while not go.exists():  # everyone starts together
    time.sleep(0.005)
session = Session(scenario, learner=f"Participant {pick}")
attempt = store.start_attempt(scenario.id, scenario.title, learner=f"Participant {pick}", mode="debrief")
while not session.finished:
    offered = session.choices()
    choice = offered[pick % len(offered)]
    node = session.node.id
    session.choose(choice.id)
    store.record_decision(attempt, session.to_json(), node, choice.id, False)
debrief = prepare_debrief(session.evidence_log(), catalogue)
store.finish_attempt(attempt, session.to_json(), session.outcome, session.node.id,
                     scorecard_summary(debrief.scorecard), to_json(debrief.log, catalogue))
store.close()
print(json.dumps({"decisions": len(session.moves), "outcome": session.outcome, "said": said}))
"""


def test_thirty_participants_writing_at_once_lose_nothing_and_see_no_lock_errors(tmp_path):
    data, go = tmp_path / "room.db", tmp_path / "go"
    with Store(data) as store:
        store.create_cohort(COHORT, "K7PQ4X", SCENARIO)
    players = [
        subprocess.Popen([sys.executable, "-c", PLAYER, str(data), COHORT, SCENARIO, str(pick), str(go)],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for pick in range(PARTICIPANTS)
    ]
    # Everyone has loaded the library and opened the file before anyone starts.
    deadline = time.monotonic() + 180
    while len(list(tmp_path.glob("ready-*"))) < PARTICIPANTS:
        assert time.monotonic() < deadline, "the participants did not all get ready"
        assert all(p.poll() is None for p in players), [p.communicate()[1] for p in players if p.poll() is not None]
        time.sleep(0.05)
    go.touch()
    reports = []
    for player in players:
        out, err = player.communicate(timeout=240)
        assert player.returncode == 0, err
        assert "locked" not in err.lower()
        reports.append(json.loads(out))

    for report in reports:
        assert not any("locked" in message.lower() for message in report["said"]), report["said"]
    # Thirty writers at once are within the store's own patience: no participant was told of a delay.
    assert [r["said"] for r in reports if r["said"]] == []

    with Store(data) as store:
        attempts = store.cohort_attempts(COHORT)
    assert len(attempts) == PARTICIPANTS
    assert len({a.participant for a in attempts}) == PARTICIPANTS
    by_participant = {a.participant: a for a in attempts}
    for pick, report in enumerate(reports):
        attempt = by_participant[f"p-load-{pick:02d}"]
        assert attempt.finished and attempt.outcome == report["outcome"]
        assert [d.seq for d in attempt.decisions] == list(range(1, report["decisions"] + 1)), "no lost or doubled rows"
    assert sum(len(a.decisions) for a in attempts) == sum(r["decisions"] for r in reports)
