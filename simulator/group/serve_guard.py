"""What ``rehearse serve`` refuses, decided without the web server: sizes, connections, join codes, origins.

Anyone who can reach the port can open the page and its websocket before
typing a join code, and every websocket is a Python process of its own. So the
server checks everything a browser sends against these rules before it costs
a process, and the rules live here, free of aiohttp and Textual, to be tested
on their own. ``docs/security.md`` says what each one defends against.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlsplit

# A 4K screen at a small font is about 400 columns; nothing real is larger.
# (One resize to 12000x12000 took a participant's process to ~790 MB.)
MIN_COLUMNS, MAX_COLUMNS = 20, 400
MIN_ROWS, MAX_ROWS = 8, 150
DEFAULT_SIZE = (80, 24)
# A browser sends keys, sizes and pings: small messages. A paste is the
# largest thing a participant sends; 64 KiB is a long paste.
MAX_MESSAGE_BYTES = 64 * 1024

# Each participant is a process of ~40 MB: a room, with room to spare.
DEFAULT_MAX_PARTICIPANTS = 60
MAX_PARTICIPANTS = 500
# Started ahead of the browsers (a warm pool): ~40 MB each while they wait.
DEFAULT_WARM = 8
# Participants' apps run together in one process, four to a process: each then costs about
# half the memory of an app in a process of its own (see simulator/tui/group/host.py).
DEFAULT_APPS_PER_PROCESS = 4
MAX_APPS_PER_PROCESS = 32

# Wrong join codes: per address, then for the whole session. A code is one of
# 32**6; at these rates guessing one takes longer than any session lasts.
WINDOW_SECONDS = 600.0
WRONG_PER_ADDRESS = 10
WRONG_OVERALL = 100


def clamp_size(width: object, height: object) -> tuple[int, int]:
    """A terminal size a screen can show, from whatever a browser sent."""
    return (_clamp(width, MIN_COLUMNS, MAX_COLUMNS, DEFAULT_SIZE[0]),
            _clamp(height, MIN_ROWS, MAX_ROWS, DEFAULT_SIZE[1]))


def _clamp(value: object, low: int, high: int, default: int) -> int:
    if isinstance(value, bool):
        return default
    if isinstance(value, str):
        value = value.strip()
        if not (value.isascii() and value.isdigit()):  # "1e9", "-5", "٣": not a size
            return default
        value = int(value) if len(value) <= 6 else high
    if isinstance(value, float):
        if value != value:  # NaN
            return default
        return int(max(low, min(high, value)))
    if not isinstance(value, int):
        return default
    return max(low, min(high, value))


def origin_allowed(origin: str | None, scheme: str, host: str, public_url: str | None) -> bool:
    """May a page from ``origin`` open the websocket? Only the page this server
    sent (by the address the browser used, or the advertised public one).

    A missing Origin is allowed: browsers always send one on a websocket, and a
    program that leaves it out could as well send a false one; what the check
    stops is another site's page driving a participant's browser here."""
    if origin is None:
        return True
    mine = {f"{scheme}://{host}".lower()}
    if public_url:
        parts = urlsplit(public_url)
        mine.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origin.strip().lower().rstrip("/") in mine


@dataclass
class ConnectionCap:
    """How many participants' processes may run at once."""

    limit: int = DEFAULT_MAX_PARTICIPANTS
    active: int = 0

    def enter(self) -> bool:
        if self.active >= self.limit:
            return False
        self.active += 1
        return True

    def leave(self) -> None:
        self.active = max(0, self.active - 1)

    @property
    def full(self) -> bool:
        return self.active >= self.limit


@dataclass
class Verdict:
    allowed: bool
    wait_seconds: int = 0
    reason: str = ""  # for the log, never for the participant
    # Refused only because other codes are still being checked: ask again in a
    # moment (a room behind one address joining at once), not a lock-out.
    busy: bool = False


@dataclass
class JoinLimiter:
    """Join attempts counted before they are made: an attempt counts as wrong
    until its process says it was right, so a burst of tries in flight is
    counted too. Right codes cost nothing (a room behind one address, a
    participant who rejoins)."""

    per_address: int = WRONG_PER_ADDRESS
    overall: int = WRONG_OVERALL
    window: float = WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _by_address: dict[str, deque] = field(default_factory=dict)
    _all: deque = field(default_factory=deque)
    # Asks whose answer has not come back yet, per address and in all.
    _pending: dict[str, int] = field(default_factory=dict)
    _pending_all: int = 0

    def _forget_old(self, now: float) -> None:
        for times in (self._all, *self._by_address.values()):
            while times and times[0] <= now - self.window:
                times.popleft()
        for address in [a for a, times in self._by_address.items() if not times]:
            del self._by_address[address]

    def locked(self, address: str) -> Verdict:
        """Whether ``address`` may try at all just now (checked before a process is started)."""
        now = self.clock()
        self._forget_old(now)
        mine = self._by_address.get(address, ())
        if len(mine) >= self.per_address:
            if len(mine) - self._pending.get(address, 0) < self.per_address:
                return Verdict(False, 1, f"{self._pending[address]} codes from {address} being checked", busy=True)
            return Verdict(False, self._wait(mine, now), f"{len(mine)} wrong join codes from {address}")
        if len(self._all) >= self.overall:
            if len(self._all) - self._pending_all < self.overall:
                return Verdict(False, 1, f"{self._pending_all} codes being checked", busy=True)
            return Verdict(False, self._wait(self._all, now), f"{len(self._all)} wrong join codes in all")
        return Verdict(True)

    def ask(self, address: str) -> Verdict:
        """A participant at ``address`` wants to check a code: counted now, refunded by ``right``."""
        verdict = self.locked(address)
        if verdict.allowed:
            now = self.clock()
            self._by_address.setdefault(address, deque()).append(now)
            self._all.append(now)
            self._pending[address] = self._pending.get(address, 0) + 1
            self._pending_all += 1
        return verdict

    def _answered(self, address: str) -> None:
        if self._pending.get(address, 0) > 0:
            self._pending[address] -= 1
            self._pending_all -= 1
            if not self._pending[address]:
                del self._pending[address]

    def right(self, address: str) -> None:
        """The code that was asked about was right: it was not a guess."""
        self._answered(address)
        for times in (self._by_address.get(address), self._all):
            if times:
                times.pop()

    def wrong(self, address: str) -> None:
        """The code was wrong (or its answer never came): it stays counted as a guess."""
        self._answered(address)

    def _wait(self, times, now: float) -> int:
        return max(1, int(times[0] + self.window - now + 0.999))


def wait_words(seconds: int) -> str:
    minutes = (seconds + 59) // 60
    return "a minute" if minutes <= 1 else f"{minutes} minutes"


def inline_script_hashes(page: str) -> list[str]:
    """CSP hashes of the page's inline scripts, so they run and nothing injected does."""
    import base64
    import hashlib
    import re

    return [f"'sha256-{base64.b64encode(hashlib.sha256(body.encode('utf-8')).digest()).decode('ascii')}'"
            for body in re.findall(r"<script>(.*?)</script>", page, flags=re.S)]


def security_headers(page: str) -> dict[str, str]:
    """The headers every response carries. The page loads only what this
    server sends; nobody may frame it (a join form inside another site's page
    could be made to type for the participant); the browser must not guess
    types or tell other sites where the participant came from."""
    scripts = " ".join(["'self'", *inline_script_hashes(page)])
    policy = "; ".join([
        "default-src 'none'",
        f"script-src {scripts}",
        # xterm.js sizes its own elements with inline styles.
        "style-src 'self' 'unsafe-inline'",
        "font-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ])
    return {
        "Content-Security-Policy": policy,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
        # aiohttp would name itself and Python, with versions.
        "Server": "Rehearse",
    }
