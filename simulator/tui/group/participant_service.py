"""One participant's process, as the server runs it: textual-serve's AppService, made safe to offer a room.

- forked from the zygote, which has imported the app once (``zygote_client``),
  or else started directly (no shell); either way with our driver, and its
  parent (the zygote, or the server) ends with the server, so it does too
  (``simulator.group.serve``);
- its error output goes to the session's log file, never to the facilitator's
  console or the participant's browser;
- the join-attempt messages it sends are answered here, from the server's
  count of wrong codes (``JoinLimiter``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import shlex
from typing import IO

from textual_serve.app_service import AppService

from simulator.group.serve import SERVER_PID
from simulator.group.serve_guard import JoinLimiter, wait_words
from simulator.tui.group.participant_driver import JOIN
from simulator.tui.group.zygote_client import Zygote, ended_stream, wait_or_kill

log = logging.getLogger("rehearse.serve")
DRIVER = "simulator.tui.group.participant_driver:ParticipantDriver"
KEPT_AHEAD = 1024 * 1024  # a first screen at the smallest size is a few KB
# A code asked about while others from the same address are being checked waits
# for them: up to BUSY_TRIES x BUSY_PAUSE (the join screen waits 10 s for an answer).
BUSY_TRIES, BUSY_PAUSE = 120, 0.05


class ParticipantService(AppService):
    def __init__(self, command: str, *, address: str, limiter: JoinLimiter, errors: IO | None,
                 on_lock=None, zygote: Zygote | None = None, **kwargs) -> None:
        super().__init__(command, **kwargs)
        self._zygote = zygote
        self.address = address
        self.limiter = limiter
        self._errors = errors
        self._on_lock = on_lock or (lambda address, verdict: None)
        self._asking = False  # a code of this participant's is being checked

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        environment = super()._build_environment(width, height)
        environment["TEXTUAL_DRIVER"] = DRIVER
        environment[SERVER_PID] = str(os.getpid())
        return environment

    async def _open_app_process(self, width: int = 80, height: int = 24):
        environment = self._build_environment(width, height)
        # Forked from the zygote where there is one (it shares the imported
        # modules' memory); otherwise started on its own.
        process = await self._zygote.open(environment) if self._zygote is not None else None
        if process is None:
            errors = self._errors.fileno() if self._errors is not None else asyncio.subprocess.DEVNULL
            process = await asyncio.create_subprocess_exec(
                *shlex.split(self.command), stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
                stderr=errors, env=environment)
            # AppService reads the process's error output and prints it on the
            # console; it goes to the log file instead, so it is handed an empty stream.
            process.stderr = ended_stream()
        self._process = process
        self._stdin = process.stdin
        return process

    async def run(self) -> None:
        await super().run()
        if self._asking:  # ended before its answer came: counted as a guess
            self._asking = False
            self.limiter.wrong(self.address)
        # However the process ended (a crash included), the browser is told:
        # it shows "your session has ended" rather than a screen that no longer answers.
        try:
            await self.remote_close()
        except Exception:  # the connection may be closing already
            pass

    # -- a process started ahead of its browser (the warm pool) ---------------------------
    @classmethod
    def ahead(cls, command: str, *, limiter: JoinLimiter, errors: IO | None, on_lock=None,
              zygote: Zygote | None = None, download_manager=None, debug: bool = False) -> "ParticipantService":
        """A service with no browser yet: what its app writes is kept for the browser that
        takes it (the terminal modes it sets come first and are needed; the screen is redrawn)."""
        kept = bytearray()
        drawn = asyncio.Event()

        async def keep(data: bytes) -> None:
            drawn.set()
            if len(kept) < KEPT_AHEAD:
                kept.extend(data)

        async def nowhere(*args) -> None:
            pass

        service = cls(command, address="", limiter=limiter, errors=errors, on_lock=on_lock, zygote=zygote,
                      write_bytes=keep, write_str=nowhere, close=nowhere, download_manager=download_manager,
                      debug=debug)
        service._kept, service._drawn = kept, drawn
        return service

    async def drawn(self, timeout: float) -> bool:
        """Wait until a process started ahead has drawn its first screen (it has imported
        everything and is waiting for keys); False if it has not within ``timeout`` seconds."""
        if self._drawn is None or self._task is None:
            return True
        drawn = asyncio.ensure_future(self._drawn.wait())
        try:
            # A process that ends before drawing (Ctrl+C reaches the whole terminal's
            # group) must not hold up the pool, nor the server's ending.
            await asyncio.wait({drawn, self._task}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        finally:
            drawn.cancel()
        return self._drawn.is_set()

    _kept: bytearray | None = None
    _drawn: asyncio.Event | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def stop(self) -> None:
        """Ask the app to quit, and wait until its process has gone: the place it held
        under the connection cap is only free then."""
        await super().stop()
        if self._process is not None:
            await wait_or_kill(self._process, 5)

    async def ended(self) -> None:
        """Returns when the process has ended."""
        if self._task is not None:
            await asyncio.shield(self._task)

    async def attach(self, websocket, address: str, width: int, height: int) -> None:
        """Hand this process to a browser: what it wrote so far, then its screen redrawn at the browser's size."""
        self.address = address
        kept = self._kept if self._kept is not None else bytearray()
        while kept:  # more may arrive while the first part is sent; order is kept
            chunk = bytes(kept)
            del kept[:]
            await websocket.send_bytes(chunk)
        self._kept = None
        self.remote_write_bytes = websocket.send_bytes
        self.remote_write_str = websocket.send_str
        self.remote_close = websocket.close
        await self.set_terminal_size(width, height)

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    async def on_meta(self, data: bytes) -> None:
        try:
            meta = json.loads(data)
        except ValueError:
            log.warning("participant %s sent a message that is not JSON", self.pid)
            return
        if isinstance(meta, dict) and meta.get("type") == JOIN:
            await self._join(meta.get("stage"))
            return
        await super().on_meta(data)

    async def _join(self, stage: object) -> None:
        if stage == "ask":
            verdict = self.limiter.ask(self.address)
            # Others from this address are having codes checked this moment (a room
            # behind one network address joining at once): wait for their answers,
            # well within the join screen's patience, rather than refuse a right code.
            for _ in range(BUSY_TRIES):
                if not verdict.busy:
                    break
                await asyncio.sleep(BUSY_PAUSE)
                verdict = self.limiter.ask(self.address)
            self._asking = verdict.allowed
            if not verdict.allowed:
                log.warning("join attempt refused from %s: %s; wait %s", self.address, verdict.reason,
                            wait_words(verdict.wait_seconds))
                self._on_lock(self.address, verdict)
            await self.send_meta({"type": JOIN, "verdict": "go" if verdict.allowed else "wait",
                                  "seconds": verdict.wait_seconds})
        elif stage == "right" and self._asking:
            self._asking = False
            self.limiter.right(self.address)
        elif stage == "wrong" and self._asking:
            self._asking = False
            self.limiter.wrong(self.address)
            log.info("wrong join code from %s", self.address)
