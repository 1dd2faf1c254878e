"""The projector screens of a group session must not silently change: the vote
step and the group debrief at 100x30, the size the brief for facilitators names.

The clock is frozen and the scenario is a fixture, so nothing drawn depends on
the time or the bundled library. Update after a deliberate change with
`pytest tests/test_facilitation_snapshots.py --snapshot-update`, and look at
the report before committing.
"""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from simulator.format.loader import load_file
from simulator.tui.group.facilitation_app import make_facilitation_app

GROUP = Path(__file__).parent / "fixtures" / "facilitation" / "group.yaml"


@pytest.fixture
def app(tmp_path):
    scenario = load_file(GROUP).scenario
    return make_facilitation_app(scenario, countdown=90, export_dir=tmp_path / "records",
                                 now=lambda: datetime(2026, 10, 14, 10, 15, tzinfo=timezone.utc),
                                 monotonic=lambda: 1000.0)


def test_vote_step(snap_compare, app):
    # Decision 1 discussed, the vote taken: A and B counted, C being typed.
    assert snap_compare(app, press=["enter", "enter", "5", "tab", "3", "tab", "2"], terminal_size=(100, 30))


def test_group_debrief(snap_compare, app):
    # A majority at decision 1, then a tie at decision 2 that the facilitator breaks with B.
    press = ["enter", "enter", "5", "enter", "3", "enter", "2", "enter", "enter",
             "enter", "4", "enter", "4", "enter", "1", "enter", "0", "enter", "b"]
    assert snap_compare(app, press=press, terminal_size=(100, 30))
