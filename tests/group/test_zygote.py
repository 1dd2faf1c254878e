"""Participants' apps forked from one pre-imported parent (the zygote): each is its own
participant to the server, the zygote is replaced when it dies, and given up on when it cannot start."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import shlex
import signal
import sys
from pathlib import Path

import pytest

from simulator.group.serve import SERVER_PID
from simulator.tui.group.zygote_client import Zygote, can_fork

pytestmark = pytest.mark.skipif(not can_fork(), reason="fork is Linux and macOS only")
HERE = Path(__file__).resolve().parent


def participant(*args: str, module: str = "zygote_participant") -> str:
    return shlex.join([sys.executable, "-m", module, *args])


def environment(columns: int) -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(HERE), COLUMNS=str(columns), **{SERVER_PID: str(os.getpid())})


async def report(process) -> dict:
    return json.loads(await asyncio.wait_for(process.stdout.readline(), 60))


@pytest.fixture
def serve_log():
    """The serve log's lines, as the server writes them."""
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    logger = logging.getLogger("rehearse.serve")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lines
    logger.removeHandler(handler)


async def test_each_forked_app_has_its_own_pipes_size_random_numbers_and_exit_code(tmp_path):
    errors = (tmp_path / "serve.log").open("a")
    zygote = Zygote(participant("--cohort", "Room A"), errors)
    try:
        first = await zygote.open(environment(41))
        second = await zygote.open(environment(57))
        one, two = await report(first), await report(second)
        assert one["args"] == two["args"] == ["--cohort", "Room A"]
        assert (one["columns"], two["columns"]) == ("41", "57")
        # Each is a child of the zygote, and ends with it (the zygote ends with the server).
        assert one["parent"] == two["parent"] == zygote.pid != os.getpid()
        assert one["server"] == str(zygote.pid)
        assert one["random"] != two["random"], "random is reseeded in each child"
        if one["descriptors"] is not None:
            # stdin, stdout, stderr and the descriptor listing itself: nothing of the zygote's socket.
            assert len(one["descriptors"]) == 4 and one["descriptors"][:3] == [0, 1, 2]
        first.stdin.write(b"7\n")
        assert await asyncio.wait_for(first.wait(), 30) == 7
    finally:
        await zygote.close()
        errors.close()
    assert await asyncio.wait_for(second.wait(), 30) is not None, "closing the zygote ends the apps it forked"
    assert (tmp_path / "serve.log").read_text().count("a line for the log") == 2


async def test_a_killed_zygote_takes_its_apps_and_the_next_app_comes_from_a_new_one(serve_log):
    zygote = Zygote(participant(), None)
    try:
        orphan = await zygote.open(environment(80))
        await report(orphan)
        first_zygote = zygote.pid
        os.kill(first_zygote, signal.SIGKILL)
        await asyncio.wait_for(orphan.wait(), 30)
        replacement = await zygote.open(environment(80))
        assert replacement is not None and zygote.pid != first_zygote
        assert (await report(replacement))["parent"] == zygote.pid
        assert "has ended; another is started" in serve_log.getvalue()
    finally:
        await zygote.close()


async def test_a_zygote_that_cannot_start_leaves_plain_starts_and_says_so_once(serve_log):
    zygote = Zygote(participant(module="no_such_participant_module"), None)
    try:
        assert await zygote.open(environment(80)) is None
        assert await zygote.open(environment(80)) is None
    finally:
        await zygote.close()
    said = serve_log.getvalue()
    assert said.count("started one by one, not forked from a zygote") == 1, said


@pytest.mark.parametrize("forked", [True, False], ids=["forked", "started on its own"])
async def test_a_size_sent_while_the_app_is_starting_is_the_size_it_ends_at(tmp_path, forked):
    # A browser can take an app from the pool the moment it has written anything,
    # before it has handled the size it started with: the browser's size must win.
    from serve_support import screen_text
    from textual_serve.download_manager import DownloadManager

    from simulator.group.serve import participant_command
    from simulator.group.serve_guard import JoinLimiter
    from simulator.records.store import Store
    from simulator.tui.group.participant_service import ParticipantService

    data = tmp_path / "room.db"
    with Store(data) as store:
        store.create_cohort("Room A", "K7PQ4X", None)
    command = participant_command(data, "Room A")
    output = bytearray()

    async def shown(chunk: bytes) -> None:
        output.extend(chunk)

    async def nothing(*args) -> None:
        pass

    zygote = Zygote(command, None) if forked else None
    service = ParticipantService(command, address="127.0.0.1", limiter=JoinLimiter(), errors=None, zygote=zygote,
                                 write_bytes=shown, write_str=nothing, close=nothing,
                                 download_manager=DownloadManager())
    try:
        await service.start(20, 8)
        await service.set_terminal_size(100, 30)  # in the app's stdin before it has drawn anything
        for _ in range(600):
            if "join the group session" in " ".join(screen_text(bytes(output)).split()):
                break
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # a size handled late would redraw the screen small again now
        last = bytes(output).rsplit(b"\x1b[1;1H", 1)[-1]
        assert "join the group session" in " ".join(screen_text(b"\x1b[1;1H" + last).split()), \
            "the app is drawn at the size it started with, not the browser's"
    finally:
        await service.stop()
        if zygote is not None:
            await zygote.close()
