"""A participant who types the code, their name, Enter and a choice all at
once (a quick typist on a busy server): the session must not crash."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events

from simulator.group.participant_store import ParticipantStore
from simulator.records.store import Store
from simulator.tui.group.cohort_app import CohortApp
from simulator.tui.group.join_screen import JoinScreen

FIXTURES = Path(__file__).parents[1] / "fixtures"
MINIMAL = str(FIXTURES / "minimal.yaml")
CODE = "K7PQ4X"


def room(tmp_path: Path, scenario_id: str | None) -> Path:
    path = tmp_path / "room.db"
    with Store(path) as store:
        store.create_cohort("Room A", CODE, scenario_id)
    return path


@pytest.mark.parametrize("scenario_id", [None, "test-minimal"])
@pytest.mark.parametrize("tail", [("1",), ("enter",), ("enter", "1"), ("enter", "enter", "1", "1")])
async def test_code_name_enter_and_keys_at_once_do_not_crash(tmp_path, scenario_id, tail):
    path = room(tmp_path, scenario_id)
    app = CohortApp([MINIMAL], ParticipantStore(path, "Room A", "p-fast"), "Room A", "p-fast")
    async with app.run_test(size=(100, 30)) as pilot:
        for key in [*CODE, "enter", *"Asha", "enter", *tail]:
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
            await asyncio.sleep(0)  # each key its own message, none waited for
        for _ in range(30):
            await pilot.pause(0.1)
            if not isinstance(app.screen, JoinScreen):
                break
        await pilot.pause(0.3)
        assert app.is_running and app.return_code is None, "the participant's session is still open"
        assert not isinstance(app.screen, JoinScreen)
