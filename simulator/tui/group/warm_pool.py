"""Participants' processes started before their browsers arrive, so a join costs a redraw, not a start.

Starting a participant's app (Python, Textual, the app's modules) takes about
half a second of processor time; thirty browsers arriving at once on two cores
waited a median 7 s for the join screen. The pool keeps ``size`` processes
started and drawn at the smallest size, one start at a time so the filling
never competes with a room arriving; a browser takes one and gets the screen
redrawn at its own size. Processes waiting in the pool count against the
connection cap: the cap is how many processes the computer holds.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from typing import Callable

from simulator.group.serve_guard import MIN_COLUMNS, MIN_ROWS, ConnectionCap

log = logging.getLogger("rehearse.serve")
STARTUP_SECONDS = 60  # a start takes ~0.5 s of processor time; far longer on a swamped machine


class WarmPool:
    def __init__(self, start: Callable[[], object], size: int, cap: ConnectionCap,
                 on_full: Callable[[int], None] | None = None) -> None:
        self._start = start  # makes a ParticipantService with no browser yet
        self.size = size
        self.cap = cap
        self._ready: deque = deque()
        self._watchers: set[asyncio.Task] = set()
        self._starting = 0
        self._pending = None  # the one being started
        self._settled = asyncio.Event()  # set (and replaced) each time a start has finished  # a process being started counts against the cap too
        self._filling: asyncio.Task | None = None
        self._on_full = on_full or (lambda count: None)
        self._told = False
        self.closed = False

    @property
    def ready(self) -> int:
        return len(self._ready)

    def _room(self) -> bool:
        waiting = len(self._ready) + self._starting
        return waiting < self.size and self.cap.active + waiting < self.cap.limit

    def fill(self) -> None:
        """Start filling in the background, if it is not already."""
        if self.size > 0 and not self.closed and (self._filling is None or self._filling.done()):
            self._filling = asyncio.get_running_loop().create_task(self._fill())

    async def _fill(self) -> None:
        while not self.closed and self._room():
            service = self._start()
            self._starting += 1
            self._pending = service
            try:
                await service.start(MIN_COLUMNS, MIN_ROWS)
                # One at a time: the next starts once this one is drawn and idle,
                # so filling takes one core at most while a room arrives.
                if not await service.drawn(STARTUP_SECONDS):
                    log.warning("a participant's process started ahead of time had not drawn its screen "
                                "after %d s; it is kept and the next is started", STARTUP_SECONDS)
            except Exception:
                log.exception("could not start a participant's process ahead of time")
                return
            finally:
                self._starting -= 1
                self._pending = None
                # Browsers waiting for this one run after it is in the pool (below).
                settled, self._settled = self._settled, asyncio.Event()
                settled.set()
            if self.closed:
                await service.stop()
                return
            if not service.running:
                log.warning("a participant's process started ahead of time ended before it was ready")
                await asyncio.sleep(1.0)  # a process that cannot start is not restarted in a tight loop
                continue
            self._ready.append(service)
            self._watchers.add(asyncio.get_running_loop().create_task(self._watch(service)))
        if not self.closed and len(self._ready) >= self.size and not self._told:
            self._told = True
            self._on_full(len(self._ready))

    async def _watch(self, service) -> None:
        """A waiting process that ends (a crash, killed) is dropped and replaced at once."""
        try:
            await service.ended()
        finally:
            self._watchers.discard(asyncio.current_task())
        if service in self._ready:
            self._ready.remove(service)
            log.warning("a participant's process started ahead of time ended while waiting; another is started")
            self.fill()

    async def take(self):
        """A started process for a browser that has just been admitted, or None (start one then).
        If one is being started it is waited for: starting another beside it would cost as
        much and could take the computer past the connection cap."""
        while True:
            while self._ready:
                service = self._ready.popleft()
                if service.running:
                    self.fill()
                    return service
                log.warning("a participant's process started ahead of time had ended; another is started")
            if self._pending is None or self.closed:
                self.fill()
                return None
            await self._settled.wait()

    async def close(self) -> None:
        """Stop every waiting process (the server is ending). A start under way is
        finished and stopped rather than cancelled, so no process is left unowned."""
        self.closed = True
        pending = self._pending
        if self._filling is not None:
            self._filling.cancel()
            await asyncio.gather(self._filling, return_exceptions=True)
        for watcher in list(self._watchers):
            watcher.cancel()
        waiting, self._ready = list(self._ready), deque()
        if pending is not None and getattr(pending, "running", False):
            waiting.append(pending)
        await asyncio.gather(*(service.stop() for service in waiting), return_exceptions=True)
