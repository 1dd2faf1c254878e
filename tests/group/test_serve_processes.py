"""`rehearse serve` with real participant processes: a huge resize costs no memory, and a
killed server leaves no participant behind. Driven by a websocket client, as an attacker would."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from pathlib import Path

import aiohttp
import pytest
from serve_support import start_server, wait_for

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(child) for child in text.split()]


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def connect_and_resize(url: str, seconds: float) -> int:
    """One hostile browser: the largest size in the URL and in a message. Returns the bytes it was sent."""
    received = 0
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url.replace("http", "ws") + "/ws?width=12000&height=12000") as ws:
            await ws.send_json(["resize", {"width": 12000, "height": 12000}])
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline:
                try:
                    message = await ws.receive(timeout=max(0.05, deadline - time.monotonic()))
                except asyncio.TimeoutError:
                    break
                if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
                    received += len(message.data)
                elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
    return received


def test_a_huge_resize_keeps_the_participant_small_and_a_killed_server_takes_its_participants(tmp_path):
    server = start_server(tmp_path / "room.db", "Room A", "--warm", "0")  # the one process is the attacker's
    try:
        loop = asyncio.new_event_loop()
        task = loop.create_task(connect_and_resize(server.url, 8))
        loop.run_until_complete(asyncio.sleep(6))
        (participant,) = wait_for(lambda: cohort_apps(server.process.pid), what="the participant's process")
        size = rss_mib(participant)
        received = loop.run_until_complete(task)
        assert size < 150, f"the participant grew to {size:.0f} MiB"
        assert received < 5_000_000, f"{received} bytes sent for one screen"

        # A second browser stays connected while the server is killed outright.
        keep = loop.create_task(connect_and_resize(server.url, 30))
        loop.run_until_complete(asyncio.sleep(3))
        participants = wait_for(lambda: cohort_apps(server.process.pid), what="the second participant")
        participants += children(server.process.pid)  # the zygote they were forked from, too
        os.kill(server.process.pid, signal.SIGKILL)
        server.process.wait()
        wait_for(lambda: not any(alive(pid) for pid in participants), timeout=15,
                 what="the participants to end with the server")
        keep.cancel()
        loop.run_until_complete(asyncio.gather(keep, return_exceptions=True))
        loop.close()
        assert "Traceback" not in server.banner
    finally:
        server.stop()


def cohort_apps(server_pid: int) -> list[int]:
    """The participants' apps: forked by the server's zygote, or started by the server itself."""
    apps = []
    for pid in children(server_pid):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:  # ended meanwhile
            continue
        if b"simulator.tui.group.zygote" in command:
            apps += children(pid)
        elif b"cohort_app" in command:
            apps.append(pid)
    return apps


def zygotes(server_pid: int) -> list[int]:
    return [pid for pid in children(server_pid)
            if b"simulator.tui.group.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()]


async def join_through_the_page(url: str, code: str) -> str:
    """A participant types the code and a name; returns the words on their screen afterwards."""
    from serve_support import screen_text

    output = bytearray()

    def words(data: bytes) -> str:
        # Spaces removed: a styled first letter ("Y" of "You") comes with an escape of its own.
        return "".join(screen_text(data).split())

    async def read_until(ws, text: str, seconds: float = 60) -> None:
        deadline, seen = time.monotonic() + seconds, 0
        while "".join(text.split()) not in words(bytes(output[max(0, seen - 2000):])):
            seen = len(output)
            if time.monotonic() > deadline:
                raise AssertionError(f"no {text!r} on screen; last: {words(bytes(output[-8000:]))[-800:]}")
            message = await ws.receive(timeout=max(0.1, deadline - time.monotonic()))
            if message.type == aiohttp.WSMsgType.BINARY:
                output.extend(message.data)
            elif message.type != aiohttp.WSMsgType.TEXT:
                raise AssertionError(f"closed before {text!r}")

    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url.replace("http", "ws") + "/ws?width=100&height=30") as ws:
            await read_until(ws, "join the group session")
            await ws.send_json(["stdin", code + "\r"])
            await asyncio.sleep(0.5)
            await ws.send_json(["stdin", "Asha\r"])
            await read_until(ws, "You have joined", 30)
    return " ".join(screen_text(bytes(output)).split())


def filled_pool(server, size: int) -> tuple[list[int], int]:
    """Once the warm pool of ``size`` has filled: the processes running its apps, and the zygote."""
    wait_for(lambda: f"{size} participants' apps are started and waiting" in server.console(), timeout=60,
             what="the pool to fill")
    (zygote,) = zygotes(server.process.pid)
    return cohort_apps(server.process.pid), zygote


def join_once(server) -> None:
    words = asyncio.run(asyncio.wait_for(join_through_the_page(server.url, server.join_code), 150))
    assert "havejoinedRoomA" in "".join(words.split())


def test_a_warm_pool_is_started_ahead_refilled_and_joins_like_a_cold_start(tmp_path):
    # The pool is as large as the cap: the one taken can only be replaced once its browser has left.
    server = start_server(tmp_path / "room.db", "Room A", "--warm", "2", "--max-participants", "2",
                          "--apps-per-process", "1")
    try:
        assert "2 started ahead (--warm)" in server.banner
        apps, zygote = filled_pool(server, 2)
        waiting = set(apps)
        assert len(waiting) == 2
        assert set(children(zygote)) == waiting, "the waiting apps are forked from one pre-imported process"
        join_once(server)
        # The browser has gone: the one taken was replaced, and never more than the cap of 2.
        def refilled():
            apps = set(cohort_apps(server.process.pid))
            assert len(apps) <= 2, "the cap counts the waiting apps"
            return len(apps) == 2 and apps != waiting

        wait_for(refilled, timeout=60, what="the pool to refill")
    finally:
        assert server.stop(), "Ctrl+C ends the waiting processes too"


def test_apps_hosted_together_wait_in_one_process_join_and_end_with_the_session(tmp_path):
    server = start_server(tmp_path / "room.db", "Room A", "--warm", "2", "--max-participants", "3",
                          "--apps-per-process", "2")
    try:
        assert "2 to a process (--apps-per-process)" in server.banner
        (host,), zygote = filled_pool(server, 2)
        assert children(zygote) == [host], "both waiting apps run in one process forked from the zygote"
        join_once(server)
        # Its browser has gone: the one taken is replaced in a second process (the first has had its two).
        wait_for(lambda: len(cohort_apps(server.process.pid)) == 2, timeout=60, what="the pool to refill")
        assert host in cohort_apps(server.process.pid), "the other app waiting in the first process is still there"
    finally:
        assert server.stop(), "Ctrl+C ends the hosting processes and their apps too"
