"""The server's side of the zygote: participants' processes forked from one pre-imported parent.

``Zygote.open(environment)`` hands ``ParticipantService`` a process it talks to
exactly as to one it started itself (stdin and stdout pipes, a pid, a return
code): the pipes are made here and passed to the zygote over a Unix socket
(``socket.send_fds``), which forks a child onto them (``zygote.py``).

The zygote is started for the first participant's app and started again if it
ends (three times more at most). Where fork is not available (not Linux or macOS),
or the zygote cannot start, each app is started the plain way, and the log says
so once: ``open`` returns None then.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
import signal
import socket
import sys
from typing import IO

log = logging.getLogger("rehearse.serve")
ZYGOTE_MODULE = "simulator.tui.group.zygote"
# How many apps the zygote puts in one process, in its environment (read in zygote.py, which
# this module does not import: it is the zygote's program, run in a process of its own).
APPS_PER_PROCESS = "REHEARSE_APPS_PER_PROCESS"
STARTUP_SECONDS = 60  # importing takes ~0.5 s of processor time; far longer on a swamped machine
REPLY_SECONDS = 30  # a fork is milliseconds
STARTS = 4  # the first and three more: a zygote that keeps ending is given up on


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform.startswith(("linux", "darwin"))


async def wait_or_kill(process, seconds: float) -> None:
    """Wait up to ``seconds`` for ``process`` (anything with ``returncode``, ``wait`` and ``kill``) to end, then kill it."""
    if process.returncode is not None:
        return
    try:
        await asyncio.wait_for(process.wait(), seconds)
    except asyncio.TimeoutError:
        process.kill()
        await process.wait()


class ZygoteGone(Exception):
    """The zygote ended, or did not answer, while a child was being asked for."""


def ended_stream() -> asyncio.StreamReader:
    stream = asyncio.StreamReader()
    stream.feed_eof()
    return stream


async def pipe_streams(stdin_write: int, stdout_read: int) -> tuple[asyncio.StreamWriter, asyncio.StreamReader]:
    """asyncio streams on our ends of a child's stdin and stdout pipes, as a subprocess has."""
    loop = asyncio.get_running_loop()
    stdout = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(stdout), os.fdopen(stdout_read, "rb", 0))
    transport, protocol = await loop.connect_write_pipe(lambda: asyncio.StreamReaderProtocol(asyncio.StreamReader()),
                                                        os.fdopen(stdin_write, "wb", 0))
    return asyncio.StreamWriter(transport, protocol, None, loop), stdout


class ForkedProcess:
    """A participant's process forked by the zygote, with what the server uses of
    asyncio's ``Process``: pid, stdin, stdout, stderr, returncode, ``wait`` and ``kill``.

    A participant hosted with others in one process (``host``: its pid) has the
    zygote's id for a pid; killing it closes its input, which ends its app alone."""

    def __init__(self, pid: int, host: int | None = None) -> None:
        self.pid = pid
        self.host = host
        self.stdin: asyncio.StreamWriter | None = None
        self.stdout: asyncio.StreamReader | None = None
        self.stderr = ended_stream()  # its error output goes straight to the log file
        self.returncode: int | None = None
        self._ended = asyncio.Event()

    def ended(self, code: int) -> None:
        if self.returncode is None:
            self.returncode = code
            if self.stdin is not None:
                self.stdin.close()
            self._ended.set()

    async def wait(self) -> int:
        await self._ended.wait()
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            if self.host is not None:
                if self.stdin is not None:
                    self.stdin.close()
                return
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

    async def ended_without_word(self) -> None:
        """The zygote has gone, so no one will say when this child ends: watch for it."""
        while self.returncode is None:
            try:
                os.kill(self.pid if self.host is None else self.host, 0)
            except ProcessLookupError:
                self.ended(-1)  # its code went to a parent that is no longer there
                return
            await asyncio.sleep(0.1)


class Zygote:
    def __init__(self, command: str, errors: IO | None, apps_per_process: int = 1) -> None:
        self.command = command  # the participant's command: PYTHON -m MODULE ARG...
        self.apps_per_process = apps_per_process  # participants' apps run together in one process
        self._errors = errors
        self._process: asyncio.subprocess.Process | None = None
        self._socket: socket.socket | None = None
        self._reader: asyncio.Task | None = None
        self._replies: asyncio.Queue = asyncio.Queue()
        self._children: dict[int, ForkedProcess] = {}
        self._watchers: set[asyncio.Task] = set()
        self._lock = asyncio.Lock()
        self._starts = 0
        self.given_up = not can_fork()
        self.pid: int | None = None

    async def open(self, environment: dict[str, str]) -> ForkedProcess | None:
        """A participant's process forked from the zygote (started first if need be),
        with ``environment``; None: start this one the plain way."""
        if self.given_up:
            return None
        async with self._lock:
            if self._reader is None or self._reader.done():
                if self._reader is not None:
                    log.warning("the zygote (pid %s) has ended; another is started", self.pid)
                await self._forget()
                if not await self._start(environment):
                    return None
            try:
                return await self._fork(environment)
            except ZygoteGone as why:
                log.warning("the zygote did not fork a participant's app (%s): this one is started "
                            "the plain way", why)
                await self._forget()
                return None

    async def _start(self, environment: dict[str, str]) -> bool:
        participant = shlex.split(self.command)
        if self._starts >= STARTS or len(participant) < 3 or participant[1] != "-m":
            return self._give_up("it ended too often" if self._starts else "the command is not PYTHON -m MODULE")
        self._starts += 1
        ours, theirs = socket.socketpair()
        errors = self._errors.fileno() if self._errors is not None else asyncio.subprocess.DEVNULL
        try:
            # The zygote is given the participants' environment: Textual reads
            # some of it once, on import, and the children inherit those imports.
            self._process = await asyncio.create_subprocess_exec(
                participant[0], "-m", ZYGOTE_MODULE, str(theirs.fileno()), *participant,
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL, stderr=errors,
                env=dict(environment, **{APPS_PER_PROCESS: str(self.apps_per_process)}), pass_fds=(theirs.fileno(),))
        except OSError as exc:
            ours.close()
            return self._give_up(f"it could not be started ({exc})")
        finally:
            theirs.close()
        ours.setblocking(False)
        self._socket = ours
        self._reader = asyncio.get_running_loop().create_task(self._read(ours))
        reply = await self._reply(STARTUP_SECONDS)
        if "ready" not in reply:
            await self._forget()
            return self._give_up("it ended before it was ready (its error is above in this log)")
        self.pid = reply["ready"]
        log.info("participants' apps are forked from one pre-imported process (pid %s)", self.pid)
        return True

    def _give_up(self, why: str) -> bool:
        if not self.given_up:
            log.warning("participants' apps are started one by one, not forked from a zygote: %s", why)
        self.given_up = True
        return False

    async def _fork(self, environment: dict[str, str]) -> ForkedProcess:
        stdin_read, stdin_write = os.pipe()
        stdout_read, stdout_write = os.pipe()
        errors = self._errors.fileno() if self._errors is not None else os.open(os.devnull, os.O_WRONLY)
        try:
            await self._send({"environment": environment}, [stdin_read, stdout_write, errors])
        except OSError as exc:
            os.close(stdin_write)
            os.close(stdout_read)
            raise ZygoteGone(str(exc)) from exc
        finally:
            os.close(stdin_read)
            os.close(stdout_write)
            if self._errors is None:
                os.close(errors)
        reply = await self._reply(REPLY_SECONDS)
        process = reply.get("started")
        if not isinstance(process, ForkedProcess):
            os.close(stdin_write)
            os.close(stdout_read)
            raise ZygoteGone(reply.get("failed", "no answer"))
        process.stdin, process.stdout = await pipe_streams(stdin_write, stdout_read)
        if process.returncode is not None:  # ended already
            process.stdin.close()
        return process

    async def _send(self, message: dict, fds: list[int]) -> None:
        if self._socket is None:
            raise ZygoteGone("not running")
        data = json.dumps(message).encode() + b"\n"
        loop = asyncio.get_running_loop()
        while True:
            try:
                sent = socket.send_fds(self._socket, [data], fds)
                break
            except BlockingIOError:
                writable = loop.create_future()
                loop.add_writer(self._socket.fileno(), lambda: writable.done() or writable.set_result(None))
                try:
                    await writable
                finally:
                    loop.remove_writer(self._socket.fileno())
        if sent < len(data):
            await loop.sock_sendall(self._socket, data[sent:])

    async def _reply(self, timeout: float) -> dict:
        try:
            return await asyncio.wait_for(self._replies.get(), timeout)
        except asyncio.TimeoutError:
            return {"failed": f"no answer in {timeout} s"}

    async def _read(self, control: socket.socket) -> None:
        """What the zygote says: ready, a child started, a child ended; until it has gone."""
        loop = asyncio.get_running_loop()
        waiting = b""
        try:
            while data := await loop.sock_recv(control, 1 << 16):
                waiting += data
                while b"\n" in waiting:
                    line, waiting = waiting.split(b"\n", 1)
                    self._heard(json.loads(line))
        except (OSError, ValueError) as exc:
            log.warning("the zygote's messages could not be read: %s", exc)
        finally:
            self._replies.put_nowait({"failed": "it ended"})
            self._orphaned()

    def _heard(self, message: dict) -> None:
        if "ended" in message:
            child = self._children.pop(message["ended"], None)
            if child is not None:
                child.ended(message.get("code", -1))
            return
        if "started" in message:
            # Known from now, so an end said before the pipes are attached is not lost.
            child = self._children[message["started"]] = ForkedProcess(message["started"], message.get("host"))
            message = {"started": child}
        self._replies.put_nowait(message)

    def _orphaned(self) -> None:
        """The zygote has gone: its children end with it (their parent-death signal);
        each is watched until it has, since no one will say so now."""
        for child in self._children.values():
            watcher = asyncio.get_running_loop().create_task(child.ended_without_word())
            self._watchers.add(watcher)
            watcher.add_done_callback(self._watchers.discard)
        self._children = {}

    async def _forget(self) -> None:
        """Let go of a zygote that has ended or stopped answering; the next open starts another."""
        if self._reader is not None:
            self._reader.cancel()
            await asyncio.gather(self._reader, return_exceptions=True)
            self._reader = None
        control, self._socket = self._socket, None
        if control is not None:
            control.close()  # the zygote reads its end closing as "the server has gone"
        process, self._process = self._process, None
        if process is not None:
            await wait_or_kill(process, 10)
        self._replies = asyncio.Queue()

    async def close(self) -> None:
        """The server is ending: the zygote ends its children (each saves what is waiting), then itself."""
        self.given_up = True
        async with self._lock:
            await self._forget()
