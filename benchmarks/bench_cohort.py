"""Group-session benchmark: prints figures, asserts nothing (shared, noisy machines).

    python benchmarks/bench_cohort.py [--participants 30] [--warm N] [--pairs K] [--apps-per-process A]

``--warm N`` is serve's warm pool (0: each browser starts its own app, as
before issue 18); the cap is set to the room's size so a pool is never
refilled while the room plays. ``--pairs K`` runs K pairs, no pool then the
pool, alternating, first screens only, with the ratio per pair.
``--apps-per-process A`` is serve's (default: serve's own, 4; 1: a process per
participant, as before hosting).

Starts the real `rehearse serve` on loopback with a temporary history file and
connects N websocket clients at once, speaking textual-serve's protocol as the
page's script does (JSON text frames such as ["stdin", "..."] in; terminal
output as binary frames out). Then:

1. Time to first screen: from opening the websocket to receiving the join
   screen, for one participant alone, then for N connecting at once.
2. Each participant joins with the code, starts the cohort's scenario and
   plays it to the end (each key sent once the previous one has been drawn);
   the store is checked for N finished attempts and every decision.
3. Memory once everyone has played, from /proc (Linux): RSS and PSS of each
   process that runs participants' apps (PSS shares out the pages processes
   have in common, so it adds up to what N participants really cost), and
   their PSS added up and divided by N: the memory per participant.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "group"))

from serve_support import screen_text, start_server  # noqa: E402

SCENARIO = "hv-gcp2-closure"
COHORT = "Benchmark room"
WIDTH, HEIGHT = 100, 30
ZYGOTE = b"simulator.tui.group.zygote"
from simulator.group.serve_guard import DEFAULT_APPS_PER_PROCESS

TOGETHER = DEFAULT_APPS_PER_PROCESS  # participants' apps to a process (serve's --apps-per-process); set by main


def processes_for(participants: int) -> int:
    return math.ceil(participants / TOGETHER)


class Client:
    """One participant's browser, without the browser."""

    def __init__(self, session, url: str, name: str) -> None:
        self.session, self.url, self.name = session, url, name
        self.output = bytearray()
        self.seen = 0  # how much of the output has been searched already
        self.ws = None

    async def connect(self) -> None:
        self.ws = await self.session.ws_connect(f"{self.url}/ws?width={WIDTH}&height={HEIGHT}")
        await self.ws.send_json(["resize", {"width": WIDTH, "height": HEIGHT}])

    async def wait_for(self, text: str, timeout: float = 60) -> float:
        """Read output until ``text`` appears in what arrived since the last wait; returns when."""
        import aiohttp

        deadline = time.monotonic() + timeout
        while text not in screen_text(bytes(self.output[self.seen:])):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                tail = " ".join(screen_text(bytes(self.output[-6000:])).split())[-600:]
                raise TimeoutError(f"{self.name}: no {text!r}; last on screen: {tail}")
            try:
                message = await asyncio.wait_for(self.ws.receive(), remaining)
            except asyncio.TimeoutError:
                continue  # the check above says what the screen showed instead
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output += message.data
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise ConnectionError(f"{self.name}: connection closed")
        self.seen = len(self.output)
        return time.monotonic()

    async def settle(self, quiet: float = 0.3, timeout: float = 60) -> None:
        """Read until the app has drawn the last keys' effect: at least one frame, then ``quiet`` seconds of none."""
        import aiohttp

        deadline, drawn = time.monotonic() + timeout, False
        while time.monotonic() < deadline:
            try:
                message = await asyncio.wait_for(self.ws.receive(), quiet if drawn else deadline - time.monotonic())
            except asyncio.TimeoutError:
                if drawn:
                    return
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output += message.data
                drawn = True
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                raise ConnectionError(f"{self.name}: connection closed")  # a gone host is not a quiet screen
        raise TimeoutError(f"{self.name}: nothing drawn")

    async def keys(self, text: str, pause: float = 0.15) -> None:
        await self.ws.send_json(["stdin", text])
        await asyncio.sleep(pause)

    async def drain(self, seconds: float) -> None:
        """Keep reading (as a browser would) so the server never waits on us."""
        import aiohttp

        deadline = time.monotonic() + seconds
        while (remaining := deadline - time.monotonic()) > 0:
            try:
                message = await asyncio.wait_for(self.ws.receive(), remaining)
            except asyncio.TimeoutError:
                return
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output += message.data


def expected_keys(pick: int) -> list[str]:
    from simulator.engine.session import Session
    from simulator.format.library import load_all

    scenario = next(r.scenario for r in load_all() if r.scenario and r.scenario.id == SCENARIO)
    session, keys = Session(scenario), []
    while not session.finished:
        offered = session.choices()
        keys.append(str(pick % len(offered) + 1))
        session.choose(offered[pick % len(offered)].id)
    return keys


async def first_screen(session, url: str, name: str) -> tuple[Client, float]:
    client = Client(session, url, name)
    started = time.monotonic()
    await client.connect()
    shown = await client.wait_for("join the group session")
    return client, shown - started


async def play(client: Client, code: str, keys: list[str]) -> None:
    # As a person would: type once the join screen has finished drawing.
    await client.settle()
    await client.keys(code)
    await client.keys("\r", 0)
    await client.settle()  # focus has moved to the name field
    await client.keys(client.name)
    await client.keys("\r")
    await client.wait_for("The situation", timeout=120)
    await client.keys("\r", 0)
    await client.wait_for("Save & leave", timeout=120)  # the play screen's footer
    for key in keys:
        await client.keys(key, 0)
        await client.settle(quiet=0.2)  # a reader takes at least this long over each answer
    await client.wait_for("Competencies", timeout=120)


def process_tree(server_pid: int) -> list[tuple[int, int, list[bytes]]]:
    """(pid, parent, argv) of every process under the server (found through /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, queue = [], [server_pid]
    while queue:
        pid = queue.pop()
        for child in children.get(pid, []):
            queue.append(child)
            try:
                found.append((child, pid, Path(f"/proc/{child}/cmdline").read_bytes().split(b"\0")))
            except OSError:
                continue
    return found


def zygotes(server_pid: int) -> list[int]:
    """The process participants' apps are forked from, if serve runs one."""
    return [pid for pid, parent, argv in process_tree(server_pid)
            if parent == server_pid and ZYGOTE in argv]


def app_processes(server_pid: int) -> list[int]:
    """The participant app processes under the server: started on their own, or forked by the zygote."""
    zygote = set(zygotes(server_pid))
    # The Python process itself, not the shell textual-serve starts it through.
    return [pid for pid, parent, argv in process_tree(server_pid)
            if b"simulator.tui.group.cohort_app" in argv and Path(argv[0].decode()).name.startswith("python")
            and pid not in zygote]


def cpu_ticks(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total


async def idle(server_pid: int, count: int, timeout: float = 300) -> None:
    """Wait until the processes for ``count`` participants' apps are running and none
    of them is busy (a warm pool filled and settled), so a run starts from a quiet machine."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        pids = app_processes(server_pid)
        ticks = cpu_ticks(pids + [server_pid])
        # An idle app still looks for input ten times a second (under a tick a second).
        if len(pids) >= processes_for(count) and last is not None and ticks - last <= 2 + count:
            return
        last = ticks
        await asyncio.sleep(1.0)
    print(f"  (the pool had not settled after {timeout:.0f} s: {len(app_processes(server_pid))} processes)")


def memory_kib(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KiB; (0, 0) for one that has just ended."""
    values = {}
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]
    except FileNotFoundError:
        return 0, 0
    for line in lines:
        key, value = line.split(":", 1)
        values[key] = int(value.split()[0])
    return values["Rss"], values["Pss"]


def spread(values: list[float], unit: str, scale: float = 1.0) -> str:
    values = sorted(v * scale for v in values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return (f"median {statistics.median(values):.1f} {unit}, p95 {p95:.1f} {unit}, "
            f"min {values[0]:.1f}, max {values[-1]:.1f}")


def serve_options(participants: int, warm: int) -> list[str]:
    return ["--scenario", SCENARIO, "--warm", str(warm), "--max-participants", str(participants),
            "--apps-per-process", str(TOGETHER)]


def pss_line(pids: list[int], what: str, participants: int) -> list[int]:
    """PSS of each process, and their total shared out among the ``participants`` they run."""
    pss = [found for found in (memory_kib(pid)[1] for pid in pids) if found]
    if pss:
        print(f"  PSS per process ({TOGETHER} apps to a process): {spread(pss, 'MiB', 1 / 1024)}; "
              f"total {sum(pss) / 1024:.0f} MiB for {len(pss)}")
        print(f"  PSS per {what}: {sum(pss) / participants / 1024:.1f} MiB ({participants} participants)")
    return pss


def zygote_line(server_pid: int, processes_pss: list[int], participants: int) -> None:
    """The zygote's own PSS is part of what the room costs: shown, and shared out among the participants."""
    for pid in zygotes(server_pid):
        _, pss = memory_kib(pid)
        share = (sum(processes_pss) + pss) / participants / 1024
        print(f"  zygote process (the apps are forked from it): PSS {pss / 1024:.1f} MiB; "
              f"participants and zygote together: {share:.1f} MiB per participant")


async def burst(session, url: str, participants: int) -> tuple[list[Client], list[float], float]:
    started = time.monotonic()
    results = await asyncio.gather(*(first_screen(session, url, f"Participant {i:02d}") for i in range(participants)))
    return [c for c, _ in results], [t for _, t in results], time.monotonic() - started


async def run(participants: int, warm: int) -> list[float]:
    import aiohttp

    from simulator.records.store import Store

    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "bench.db"
        server = start_server(data, COHORT, *serve_options(participants, warm))
        print(f"serve --warm {warm} --max-participants {participants}")
        try:
            async with aiohttp.ClientSession() as session:
                await idle(server.process.pid, warm)
                alone, alone_time = await first_screen(session, server.url, "Solo")
                await alone.ws.close()
                print(f"time to first screen, 1 participant alone: {alone_time * 1000:.0f} ms")
                await idle(server.process.pid, warm)
                if warm:
                    waiting = pss_line(app_processes(server.process.pid), "app waiting in the pool", warm)
                    zygote_line(server.process.pid, waiting, warm)

                clients, times, everyone = await burst(session, server.url, participants)
                print(f"time to first screen, {participants} connecting at once: {spread(times, 'ms', 1000)}; "
                      f"all {participants} shown after {everyone * 1000:.0f} ms")

                started = time.monotonic()
                await asyncio.gather(*(play(client, server.join_code, expected_keys(i))
                                       for i, client in enumerate(clients)))
                print(f"{participants} participants joined and played {SCENARIO} to the end in "
                      f"{time.monotonic() - started:.1f} s (each key sent once the last one had been drawn)")
                expected = sum(len(expected_keys(i)) for i in range(participants))
                # Each decision is saved a moment after it is drawn (by the app's writer thread):
                # read until all are in, or a minute has passed, and say how long that took.
                played = time.monotonic()
                while True:
                    with Store(data) as store:
                        attempts = store.cohort_attempts(COHORT)
                    finished = sum(a.finished for a in attempts)
                    stored = sum(len(a.decisions) for a in attempts)
                    if (stored >= expected and finished == participants) or time.monotonic() - played > 60:
                        break
                    await asyncio.sleep(0.2)
                print(f"every decision in the store {time.monotonic() - played:.1f} s after the last debrief was drawn")
                print(f"store: {len(attempts)} attempts, {finished} finished, "
                      f"{sum(len(a.decisions) for a in attempts)} decisions (keys pressed: {expected})")
                for attempt in attempts:  # a participant whose decisions differ from their keys, step by step
                    pick = next((i for i, c in enumerate(clients) if c.name == attempt.learner), None)
                    if pick is not None and len(attempt.decisions) != len(expected_keys(pick)):
                        print(f"  {attempt.learner}: keys {','.join(expected_keys(pick))}; stored "
                              + ", ".join(f"{d.seq}:{d.node_id}={d.choice_id}@{d.made_at[11:19]}"
                                          for d in attempt.decisions))

                # Only processes still running when read (a closed tab's app ends meanwhile).
                readings = {pid: memory_kib(pid) for pid in app_processes(server.process.pid)}
                pids = [pid for pid, (resident, _) in readings.items() if resident]
                rss = [readings[pid][0] for pid in pids]
                print(f"processes running participants' apps after playing: {len(pids)}")
                print(f"  RSS per process: {spread(rss, 'MiB', 1 / 1024)}")
                pss = pss_line(pids, "participant (from /proc/PID/smaps_rollup)", participants)
                server_rss, server_pss = memory_kib(server.process.pid)
                print(f"  server process: RSS {server_rss / 1024:.1f} MiB, PSS {server_pss / 1024:.1f} MiB")
                zygote_line(server.process.pid, pss, participants)
                await asyncio.gather(*(client.ws.close() for client in clients))
        finally:
            stopped = server.stop()
            print(f"server stopped on Ctrl+C with every app process ended: {'yes' if stopped else 'NO'}")
    return times


async def first_screens(participants: int, warm: int) -> tuple[list[float], list[int]]:
    """One run, first screens only: (seconds per participant, PSS in KiB per participant at the join screen)."""
    import aiohttp

    with tempfile.TemporaryDirectory() as folder:
        server = start_server(Path(folder) / "bench.db", COHORT, *serve_options(participants, warm))
        try:
            async with aiohttp.ClientSession() as session:
                await idle(server.process.pid, warm)
                clients, times, _ = await burst(session, server.url, participants)
                await asyncio.sleep(2)
                pss = [memory_kib(pid)[1] for pid in app_processes(server.process.pid)]
                await asyncio.gather(*(client.ws.close() for client in clients))
        finally:
            server.stop()
    return times, pss


async def pairs(participants: int, warm: int, count: int) -> list[float]:
    pooled: list[float] = []
    for pair in range(1, count + 1):
        figures = {}
        for size in (0, warm):
            times, pss = await first_screens(participants, size)
            figures[size] = statistics.median(times)
            print(f"pair {pair}, --warm {size}: first screen {spread(times, 's')}; "
                  f"PSS at the join screen {sum(pss) / participants / 1024:.1f} MiB per participant", flush=True)
            if size:
                pooled.extend(times)
        print(f"pair {pair}: median with the pool / without: {figures[warm] / figures[0]:.2f}", flush=True)
    return pooled


def final_line(participants: int, times: list[float]) -> None:
    values = sorted(times)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    print(f"first screen, {participants} at once: median {statistics.median(values):.2f} s, p95 {p95:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--warm", type=int, default=None, help="serve's --warm (default: as many as participants)")
    parser.add_argument("--pairs", type=int, default=0, help="K pairs without and with the pool, first screens only")
    parser.add_argument("--apps-per-process", type=int, default=DEFAULT_APPS_PER_PROCESS,
                        help=f"serve's --apps-per-process (default: {DEFAULT_APPS_PER_PROCESS})")
    args = parser.parse_args()
    global TOGETHER
    TOGETHER = args.apps_per_process
    warm = args.participants if args.warm is None else args.warm
    times = (asyncio.run(pairs(args.participants, warm, args.pairs)) if args.pairs
             else asyncio.run(run(args.participants, warm)))
    final_line(args.participants, times)


if __name__ == "__main__":
    main()
