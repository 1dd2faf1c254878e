"""The attacks on `rehearse serve` from issue 16, re-run: prints a figure per attack, asserts nothing.

    python benchmarks/serve_attacks.py [--only NAME ...]

Each attack gets a fresh `rehearse serve` on loopback (a temporary history
file), driven by websocket and HTTP clients speaking to it as a hostile
browser would, with no join code. Linux only (memory and processes from /proc).

  resize      ["resize", {"width": 12000, "height": 12000}] and ?width=&height= in the URL:
              the participant's and the server's memory, bytes sent in 10 s
  flood       50 connections at once against --max-participants 30: admitted, refused,
              processes, time to the join screen, load average
  malformed   a plain GET /ws and a message that is not JSON: lines on the facilitator's console
  origin      a websocket from another site's page: status, processes
  headers     the security headers, /static/ listing, the Server banner
  name        whether the session's name reaches a browser before the code
  guessing    20 connections typing wrong codes as fast as the form allows for 20 s:
              codes checked per second, attempts refused, a new connection afterwards
  kill        kill -9 of the server with 3 participants connected: participants left after 5 s
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "group"))

from serve_support import screen_text, start_server  # noqa: E402

COHORT = "Safeguarding team Ashford North"


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (a participant may sit under a shell, as on main)."""
    found = []
    for child in children(pid):
        found += [child, *descendants(child)]
    return found


def apps(server_pid: int) -> list[int]:
    """The participants' app processes: the server's own, or forked by its zygote (not the zygote itself)."""
    zygotes = {pid for pid in children(server_pid) if "simulator.tui.group.zygote" in cmdline(pid)}
    return [pid for pid in descendants(server_pid) if "cohort_app" in cmdline(pid) and pid not in zygotes]


def alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def rss_mib(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Browser:
    """A hostile browser: textual-serve's protocol, no page, no code."""

    def __init__(self, session, url: str) -> None:
        self.session, self.url = session, url
        self.ws = None
        self.received = 0
        self.output = bytearray()

    async def connect(self, query: str = "width=100&height=30", **kwargs) -> None:
        self.ws = await self.session.ws_connect(self.url.replace("http", "ws", 1) + "/ws?" + query, **kwargs)

    async def read_for(self, seconds: float, until: str | None = None) -> bool:
        """Read what arrives for ``seconds`` (or until ``until`` is on screen); False if closed."""
        import aiohttp

        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                message = await self.ws.receive(timeout=left)
            except asyncio.TimeoutError:
                return True
            if message.type == aiohttp.WSMsgType.BINARY:
                self.received += len(message.data)
                if len(self.output) < 2_000_000:
                    self.output += message.data
                if until and until in screen_text(bytes(self.output[-20000:])):
                    return True
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                return False
        return True

    async def keys(self, text: str) -> None:
        await self.ws.send_json(["stdin", text])


def serve(folder: Path, *extra: str):
    return start_server(folder / "room.db", COHORT, *extra)


def log_text(server) -> str:
    logs = sorted(server.data.parent.glob("room-serve-*.log"))
    return logs[-1].read_text(encoding="utf-8", errors="replace") if logs else ""


async def attack_resize(folder: Path) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            browser = Browser(session, server.url)
            await browser.connect("width=12000&height=12000")
            await browser.ws.send_json(["resize", {"width": 12000, "height": 12000}])
            await browser.read_for(10)
            participant = max(apps(server.process.pid) or [0], key=rss_mib)
            figures = [f"participant {rss_mib(participant):.0f} MiB RSS, server {rss_mib(server.process.pid):.0f} MiB, "
                       f"{browser.received / 1e6:.2f} MB sent in 10 s (issue: ~790 MB, 243 MB, 433 MB)"]
            await browser.ws.close()
        return figures
    finally:
        server.stop()


async def attack_flood(folder: Path, count: int = 50, cap: int = 30) -> list[str]:
    import aiohttp

    server = serve(folder, "--max-participants", str(cap))
    peak = 0
    try:
        async with aiohttp.ClientSession() as session:
            async def one() -> float | None:
                browser = Browser(session, server.url)
                started = time.monotonic()
                try:
                    await browser.connect()
                except aiohttp.WSServerHandshakeError:
                    return None
                await browser.read_for(120, until="join the group session")
                return time.monotonic() - started

            async def watch() -> None:
                nonlocal peak
                while True:
                    peak = max(peak, len(apps(server.process.pid)))
                    await asyncio.sleep(0.2)

            watcher = asyncio.create_task(watch())
            times = await asyncio.gather(*(one() for _ in range(count)))
            watcher.cancel()
            load = os.getloadavg()[0]
        admitted = sorted(t for t in times if t is not None)
        p95 = admitted[min(len(admitted) - 1, int(0.95 * len(admitted)))] if admitted else 0
        return [f"{count} at once, cap {cap}: {len(admitted)} admitted, {count - len(admitted)} refused before a process, "
                f"{peak} processes at most",
                f"join screen for the admitted: median {statistics.median(admitted) if admitted else 0:.1f} s, "
                f"p95 {p95:.1f} s; load average {load:.1f} (issue: 50 admitted, median 16 s, load 25)"]
    finally:
        server.stop()


async def attack_malformed(folder: Path) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        before = len(server.console())
        async with aiohttp.ClientSession() as session:
            try:
                async with session.get(server.url + "/ws") as response:
                    plain = response.status
            except aiohttp.ClientError as exc:
                plain = type(exc).__name__
            browser = Browser(session, server.url)
            await browser.connect()
            await browser.read_for(5, until="join the group session")
            await browser.ws.send_str('["resize", {"width": ')
            still_open = await browser.read_for(3)
        await asyncio.sleep(1)
        console = server.console()[before:]
        return [f"plain GET /ws: {plain}; malformed message: connection {'kept' if still_open else 'closed'}; "
                f"{len(console.splitlines())} lines on the console, {log_text(server).count('wrong shape')} in the log "
                "(issue: 40-146 lines of traceback on the console)"]
    finally:
        server.stop()


async def attack_origin(folder: Path) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            browser = Browser(session, server.url)
            try:
                await browser.connect(origin="http://evil.example")
                status = 101
            except aiohttp.WSServerHandshakeError as exc:
                status = exc.status
            await asyncio.sleep(1)
        return [f"websocket from http://evil.example: {status}, {len(descendants(server.process.pid))} processes "
                "(issue: accepted)"]
    finally:
        server.stop()


async def attack_headers(folder: Path) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(server.url + "/") as page:
                headers = page.headers
            async with session.get(server.url + "/static/") as listing:
                listed = listing.status
        wanted = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]
        present = [name for name in wanted if name in headers]
        return [f"{len(present)}/{len(wanted)} security headers ({', '.join(present)}); /static/ listing: {listed}; "
                f"Server: {headers.get('Server')!r} (issue: none, a listing, 'Python/3.11 aiohttp/3.x')"]
    finally:
        server.stop()


async def attack_name(folder: Path) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            browser = Browser(session, server.url)
            await browser.connect()
            await browser.read_for(10, until="join the group session")
            await browser.ws.close()
        shown = COHORT in " ".join(screen_text(bytes(browser.output)).split())
        return [f"session name on the join screen before the code: {'shown' if shown else 'not shown'} "
                "(issue: shown)"]
    finally:
        server.stop()


async def attack_guessing(folder: Path, connections: int = 20, seconds: float = 20) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            browsers = [Browser(session, server.url) for _ in range(connections)]
            await asyncio.gather(*(b.connect() for b in browsers))
            await asyncio.gather(*(b.read_for(60, until="join the group session") for b in browsers))
            started = time.monotonic()

            async def guess(browser: Browser) -> None:
                await browser.keys("\t")  # to the name field, once
                await browser.keys("Mallory")
                while time.monotonic() - started < seconds:
                    await browser.keys("\x1b[Z")  # back to the code field
                    await browser.keys("ZZZZZZ\r")
                    if not await browser.read_for(0.3):
                        return

            await asyncio.gather(*(guess(b) for b in browsers))
            elapsed = time.monotonic() - started
            try:
                late = Browser(session, server.url)
                await late.connect()
                afterwards = "admitted"
            except aiohttp.WSServerHandshakeError as exc:
                afterwards = f"refused ({exc.status})"
        await asyncio.sleep(0.5)
        log = log_text(server)
        checked, refused = log.count("wrong join code from"), log.count("join attempt refused")
        return [f"{connections} connections, {elapsed:.0f} s: {checked} codes checked ({checked / elapsed:.2f}/s), "
                f"{refused} attempts refused; a new connection afterwards: {afterwards} (issue: ~21 guesses/s, no limit)"]
    finally:
        server.stop()


async def attack_kill(folder: Path, count: int = 3) -> list[str]:
    import aiohttp

    server = serve(folder)
    try:
        async with aiohttp.ClientSession() as session:
            browsers = [Browser(session, server.url) for _ in range(count)]
            await asyncio.gather(*(b.connect() for b in browsers))
            await asyncio.gather(*(b.read_for(60, until="join the group session") for b in browsers))
            participants = apps(server.process.pid)
            everything = descendants(server.process.pid)  # the zygote, and apps waiting in the pool, too
            os.kill(server.process.pid, signal.SIGKILL)
            server.process.wait()
            await asyncio.sleep(5)
        left = [pid for pid in everything if alive(pid)]
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        return [f"kill -9 of the server with {len(participants)} participants' apps ({len(everything)} processes "
                f"under it): {len(left)} still running after 5 s (issue: all, minutes later)"]
    finally:
        server.stop()


ATTACKS = {"resize": attack_resize, "flood": attack_flood, "malformed": attack_malformed, "origin": attack_origin,
           "headers": attack_headers, "name": attack_name, "guessing": attack_guessing, "kill": attack_kill}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", choices=sorted(ATTACKS), help="run only these attacks")
    args = parser.parse_args()
    for name in args.only or ATTACKS:
        with tempfile.TemporaryDirectory(prefix="rehearse-attack-") as folder:
            try:
                lines = asyncio.run(ATTACKS[name](Path(folder)))
            except Exception as exc:  # a server that falls over is a figure too
                lines = [f"the attack broke the run: {type(exc).__name__}: {exc}"[:300]]
            for line in lines:
                print(f"{name:10} {line}", flush=True)


if __name__ == "__main__":
    main()
