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


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


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


@pytest.mark.parametrize("forked", [True, 3, False], ids=["forked", "hosted with others", "started on its own"])
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

    zygote = Zygote(command, None, apps_per_process=1 if forked is True else forked) if forked else None
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


async def test_hosted_participants_share_a_process_up_to_the_number_asked_each_with_its_own_pipes(tmp_path):
    zygote = Zygote(participant("--cohort", "Room A"), None, apps_per_process=2)
    try:
        apps = [await zygote.open(environment(columns)) for columns in (41, 57, 63)]
        reports = [await report(app) for app in apps]
        assert [r["columns"] for r in reports] == ["41", "57", "63"]
        assert reports[0]["process"] == reports[1]["process"] != reports[2]["process"]
        assert reports[0]["thread"] != reports[1]["thread"]
        assert all(r["args"] == ["--cohort", "Room A"] for r in reports)
        # To the server each is a participant of its own, never mistaken for a process id.
        assert len({app.pid for app in apps}) == 3 and all(app.pid < 0 for app in apps)
        assert apps[0].host == reports[0]["process"] and apps[2].host == reports[2]["process"]
        apps[1].stdin.write(b"5\n")
        assert await asyncio.wait_for(apps[1].wait(), 30) == 5
        assert apps[0].returncode is None, "one participant ending leaves the other in the process"
        apps[0].kill()  # the server ending one participant: its line is closed, its app ends
        assert await asyncio.wait_for(apps[0].wait(), 30) == 99
        # Its output is closed too (the server reads that as the app's end), though it started the process.
        assert await asyncio.wait_for(apps[0].stdout.read(), 10) == b""
        # Both of its participants have ended: the process ends and gives its memory back.
        for _ in range(100):
            if not alive(reports[0]["process"]):
                break
            await asyncio.sleep(0.1)
        assert not alive(reports[0]["process"])
        assert apps[2].returncode is None
    finally:
        await zygote.close()
    assert await asyncio.wait_for(apps[2].wait(), 30) is not None, "closing the zygote ends the hosted apps"


async def test_a_killed_hosting_process_ends_its_participants_and_the_next_goes_to_a_new_one():
    zygote = Zygote(participant(), None, apps_per_process=3)
    try:
        first, second = await zygote.open(environment(80)), await zygote.open(environment(80))
        host = (await report(first))["process"]
        await report(second)
        os.kill(host, signal.SIGKILL)
        assert await asyncio.wait_for(first.wait(), 30) is not None
        assert await asyncio.wait_for(second.wait(), 30) is not None
        third = await zygote.open(environment(80))
        assert (await report(third))["process"] != host
    finally:
        await zygote.close()
