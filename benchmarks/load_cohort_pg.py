"""One cohort, three `rehearse serve` hosts, one PostgreSQL: a load test that prints figures.

    python benchmarks/load_cohort_pg.py [--participants 90] [--hosts 3] [--kill host|server|none]

Not a pytest test (it takes minutes and most of two cores). It starts a
throwaway PostgreSQL cluster (tests/postgres_cluster.py), then ``--hosts``
serve processes on loopback ports, each with ``--store postgresql://...`` and
the same cohort, and checks that they all give the same join code. N simulated
participants, shared round-robin between the hosts, connect over websockets
(textual-serve's protocol, as benchmarks/bench_cohort.py speaks it), join and
play the cohort's scenario to the end, each key sent once the last one has been
drawn. When the participants are about half-way through, one host is killed
with SIGKILL: ``--kill host`` (default) kills it and every participant process
it started at once, as a machine that goes down; ``--kill server`` only the
serve process. Then, read from the database:

- every decision stored once: each attempt's decisions are exactly the path
  its keys took (none twice, none missing), numbered 1, 2, 3...;
- the dashboard's counts (``cohort_stats.summarise``, what the dashboard draws)
  equal the keys sent by the participants who finished;
- the killed host's participants keep every decision whose effect they had
  seen drawn before the kill; the other hosts' participants finish.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]  # the checkout first: tests/scoring must not shadow scoring
sys.path.insert(0, str(ROOT / "tests" / "group"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import postgres_cluster
from bench_cohort import (
    SCENARIO,
    Client,
    app_processes,
    expected_keys,
    memory_kib,
    spread,
)
from serve_support import start_server

COHORT = "Partnership conference, room B"


def children_of(parent: int) -> list[int]:
    """The processes whose parent is ``parent`` (PostgreSQL's backends under its postmaster)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


class Player:
    def __init__(self, number: int, host: int, client: Client) -> None:
        self.number, self.host, self.client = number, host, client
        self.keys = expected_keys(number)
        self.acked = 0  # decisions whose effect was drawn on the participant's screen
        self.sent = 0
        self.finished = False
        self.problem = ""
        self.first_screen = 0.0
        self.phase = "connecting"
        self.path = "none"  # the stored path: "keys" (as sent), "shifted" (one key on), "other"


async def play(player: Player, code: str, halfway: asyncio.Event, quiet: float) -> None:
    client = player.client
    try:
        started = time.monotonic()
        await client.connect()
        player.phase = "waiting for the first screen"
        player.first_screen = await client.wait_for("join the group session", timeout=300) - started
        player.phase = "joining"
        await client.keys(code)
        await client.keys("\r", 0)
        await client.settle()
        await client.keys(client.name)
        await client.keys("\r")
        await client.wait_for("The situation", timeout=300)
        await client.keys("\r", 0)
        await client.wait_for("Save & leave", timeout=300)
        player.phase = "playing"
        for index, key in enumerate(player.keys):
            if index == len(player.keys) // 2:
                halfway.set()
            player.sent += 1
            await client.keys(key, 0)
            await client.settle(quiet=quiet, timeout=120)
            player.acked += 1
        player.phase = "waiting for the debrief"
        await client.wait_for("Competencies", timeout=300)
        player.finished = True
    except (ConnectionError, TimeoutError, OSError) as exc:
        player.problem = f"{type(exc).__name__} while {player.phase}: {exc}"[:160]
    finally:
        halfway.set()


def pressed(keys: list[str]) -> list[tuple[str, str]]:
    """The (question, option) pairs a run of number keys makes, each key the option shown at that number."""
    from simulator.engine.session import Session
    from simulator.format.library import load_all

    scenario = next(r.scenario for r in load_all() if r.scenario and r.scenario.id == SCENARIO)
    session, made = Session(scenario), []
    for key in keys:
        if session.finished:
            break
        offered = session.choices()
        if int(key) > len(offered):
            continue  # no option at that number: the screen ignores the key
        chosen = offered[int(key) - 1]
        made.append((session.node.id, chosen.id))
        session.choose(chosen.id)
    return made


class PeakMemory:
    """Every few seconds, the participant processes on the hosts still up and their PSS: the sample with the most."""

    def __init__(self, servers: list) -> None:
        self.servers, self.victim = servers, None
        self.most, self.pss = 0, []

    async def watch(self, every: float = 5.0) -> None:
        while True:
            pids = [pid for i, server in enumerate(self.servers) if i != self.victim
                    for pid in app_processes(server.process.pid)]
            pss = []
            for pid in pids:
                try:
                    pss.append(memory_kib(pid)[1])
                except (OSError, KeyError):
                    continue  # ended while we looked
            if sum(pss) > sum(self.pss):
                self.most, self.pss = len(pss), pss
            await asyncio.sleep(every)


def expected_nodes(pick: int) -> list[str]:
    from simulator.engine.session import Session
    from simulator.format.library import load_all

    scenario = next(r.scenario for r in load_all() if r.scenario and r.scenario.id == SCENARIO)
    session, nodes = Session(scenario), []
    while not session.finished:
        offered = session.choices()
        nodes.append(session.node.id)
        session.choose(offered[pick % len(offered)].id)
    return nodes


async def run(participants: int, hosts: int, kill: str, quiet: float, stagger: float) -> None:
    import aiohttp

    from simulator.format.library import load_all
    from simulator.group.cohort_stats import summarise
    from simulator.records.store import Store

    # Two connections per participant (its reads, its writer), and room to spare.
    cluster = postgres_cluster.start(max_connections=2 * participants + 40)
    servers = []
    try:
        url = cluster.new_database("cohort")
        started = time.monotonic()
        for _ in range(hosts):  # one by one, so a host that fails to start leaves the others to be stopped
            servers.append(start_server(url, COHORT, "--scenario", SCENARIO, timeout=120))
        codes = {server.join_code for server in servers}
        print(f"{hosts} serve hosts up in {time.monotonic() - started:.1f} s, one PostgreSQL "
              f"{cluster.bin.parent.name}; join codes given: {sorted(codes)} ({'the same' if len(codes) == 1 else 'DIFFERENT'})")
        code = servers[0].join_code
        victim = hosts - 1 if kill != "none" else None

        halfway = asyncio.Event()
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=None)) as session:
            players = [Player(i, i % hosts, Client(session, servers[i % hosts].url, f"Participant {i:03d}"))
                       for i in range(participants)]
            tasks = []
            peak = PeakMemory(servers)
            watcher = asyncio.create_task(peak.watch())
            began = time.monotonic()
            for player in players:
                tasks.append(asyncio.create_task(play(player, code, halfway, quiet)))
                await asyncio.sleep(stagger)  # arrivals over a minute or so, as a room's do
            killed_at = None
            victims: list[Player] = []
            acked_at_kill: dict[int, int] = {}
            if victim is not None:
                victims = [p for p in players if p.host == victim]
                # Half-way: when the victim host's participants have, on average, made half their decisions.
                while sum(p.acked for p in victims) < sum(len(p.keys) for p in victims) / 2:
                    if all(t.done() for t in tasks):
                        break
                    await asyncio.sleep(0.2)
                server = servers[victim]
                acked_at_kill = {p.number: p.acked for p in victims}
                peak.victim = victim
                if kill == "host":
                    os.killpg(server.process.pid, signal.SIGKILL)
                else:
                    os.kill(server.process.pid, signal.SIGKILL)
                killed_at = time.monotonic() - began
                print(f"kill -9 of host {victim + 1} ({kill}) after {killed_at:.1f} s: its {len(victims)} participants "
                      f"had {sum(acked_at_kill.values())} decisions drawn on screen")
            await asyncio.gather(*tasks)
            played_for = time.monotonic() - began
            watcher.cancel()
            # Measured while everyone left is still connected.
            pids = [pid for i, server in enumerate(servers) if i != victim for pid in app_processes(server.process.pid)]
            pss = [memory_kib(pid)[1] for pid in pids]
            host_pss = [memory_kib(server.process.pid)[1] for i, server in enumerate(servers) if i != victim]
            postmaster = int((cluster.folder / "data" / "postmaster.pid").read_text().split()[0])
            database_pss = sum(memory_kib(pid)[1] for pid in [postmaster, *children_of(postmaster)])
            backends = cluster.sql(cluster.url(), "SELECT count(*) FROM pg_stat_activity WHERE datname = 'cohort'")[0][0]
            await asyncio.gather(*(p.client.ws.close() for p in players if p.client.ws is not None),
                                 return_exceptions=True)

        if kill == "server":
            await asyncio.sleep(25)  # the orphaned participant processes save what they hold, then end

        survivors = [p for p in players if p.host != victim]
        times = [p.first_screen for p in players if p.first_screen]
        print(f"{participants} participants over {hosts} hosts, played {SCENARIO} in {played_for:.1f} s "
              f"(arrivals {stagger * 1000:.0f} ms apart, {quiet * 1000:.0f} ms quiet after each key)")
        print(f"  time to first screen: {spread(times, 's')}")
        print(f"  finished: {sum(p.finished for p in survivors)} of {len(survivors)} on the hosts left up; "
              f"{sum(p.finished for p in victims)} of {len(victims)} on the killed host")

        with Store(url, access="read") as store:
            attempts = store.cohort_attempts(COHORT)
        by_name = {a.learner: a for a in attempts}
        doubled = wrong = shifted = 0
        for p in players:
            attempt = by_name.get(p.client.name)
            if attempt is None:
                continue
            nodes = [d.node_id for d in attempt.decisions]
            if [d.seq for d in attempt.decisions] != list(range(1, len(nodes) + 1)):
                doubled += 1
            made = [(d.node_id, d.choice_id) for d in attempt.decisions]
            if nodes == expected_nodes(p.number)[:len(nodes)] and len(nodes) <= p.sent:
                p.path = "keys"
            elif made == pressed(["1", *p.keys])[:len(made)] and len(made) <= p.sent + 1:
                # The Enter sent to leave the briefing reached the first question instead (the client
                # sent it before the briefing took keys): option 1 chosen, every later key one question on.
                p.path = "shifted"
                shifted += 1
            else:
                p.path = "other"
                wrong += 1
                if wrong <= 3:
                    print(f"  {p.client.name} (host {p.host + 1}, sent {p.sent}, drawn {p.acked}): stored "
                          f"{[(d.node_id, d.choice_id) for d in attempt.decisions]}, path "
                          f"{expected_nodes(p.number)} keys {p.keys}")
        stored = sum(len(a.decisions) for a in attempts)
        sent_survivors = sum(p.sent for p in survivors)
        stored_survivors = sum(len(by_name[p.client.name].decisions) for p in survivors if p.client.name in by_name)
        print(f"  store: {len(attempts)} attempts, {sum(a.finished for a in attempts)} finished, {stored} decisions; "
              f"attempts with a decision doubled or out of order: {doubled}; a path other than the keys': {wrong}; "
              f"the keys' path one key on, the briefing's Enter taken as option 1: {shifted}")
        print(f"  hosts left up: keys sent {sent_survivors}, decisions stored {stored_survivors}")
        done = [p for p in survivors if p.finished]
        print(f"    participants who finished: keys sent {sum(p.sent for p in done)}, decisions stored "
              f"{sum(len(by_name[p.client.name].decisions) for p in done if p.client.name in by_name)}")
        true = [p for p in survivors if p.path == "keys"]
        print(f"    participants whose decisions followed their keys ({len(true)}): keys sent {sum(p.sent for p in true)}, "
              f"drawn {sum(p.acked for p in true)}, decisions stored {sum(len(by_name[p.client.name].decisions) for p in true)}")
        for p in [p for p in survivors if not p.finished][:8]:
            kept = len(by_name[p.client.name].decisions) if p.client.name in by_name else 0
            print(f"    not finished: {p.client.name}: keys sent {p.sent}, drawn {p.acked}, stored {kept} ({p.problem})")
        if victims:
            kept = sum(len(by_name[p.client.name].decisions) for p in victims if p.client.name in by_name)
            lost = sum(max(0, acked_at_kill[p.number] - len(by_name[p.client.name].decisions) if p.client.name in by_name
                           else acked_at_kill[p.number]) for p in victims)
            print(f"  killed host: {sum(acked_at_kill.values())} decisions drawn before the kill, {kept} stored, "
                  f"{lost} drawn but lost; keys sent by then {sum(p.sent for p in victims)}")
            for kind in ("keys", "shifted", "other", "none"):
                those = [p for p in victims if p.path == kind]
                if those:
                    stored_here = [len(by_name[p.client.name].decisions) if p.client.name in by_name else 0 for p in those]
                    print(f"    stored path {kind!r}: {len(those)} participants, drawn before the kill "
                          f"{sum(acked_at_kill[p.number] for p in those)}, stored {sum(stored_here)}, drawn but lost "
                          f"{sum(max(0, acked_at_kill[p.number] - n) for p, n in zip(those, stored_here))}")

        scenarios = [r.scenario for r in load_all() if r.scenario is not None]
        summary = summarise(attempts, scenarios)
        answered = sum(node.answered for s in summary.scenarios for node in s.nodes)
        print(f"  dashboard: {len(summary.participants)} joined, {summary.playing} playing, {summary.finished} "
              f"finished; decisions counted {answered} (stored {stored}; keys sent in all "
              f"{sum(p.sent for p in players)})")

        if peak.pss:
            print(f"  processes running participants' apps (serve's --apps-per-process to each), at the most "
                  f"memory seen (the killed host's counted until the kill): {peak.most}, PSS each "
                  f"{spread(peak.pss, 'MiB', 1 / 1024)}, {sum(peak.pss) / 2**20:.2f} GiB in all")
        if pss:
            print(f"  processes running participants' apps on the hosts left up: {len(pids)}, PSS each {spread(pss, 'MiB', 1 / 1024)}, "
                  f"{sum(pss) / 2**20:.2f} GiB in all; each serve process {spread(host_pss, 'MiB', 1 / 1024)}; "
                  f"PostgreSQL (server and its backends) {database_pss / 1024:.0f} MiB")
        size = cluster.sql(cluster.url(), "SELECT pg_database_size('cohort')")[0][0]
        print(f"  PostgreSQL: {backends} connections to the cohort's database with {len(pids)} processes running "
              f"participants' apps; database size {size / 2**20:.1f} MiB")
        print(f"summary: {participants} participants, {hosts} hosts, first screen median "
              f"{statistics.median(times):.1f} s; decisions stored once: {'yes' if doubled == 0 else 'NO'}; "
              f"paths other than the keys': {wrong}; "
              f"dashboard count equals stored: {'yes' if answered == stored else 'NO'}; survivors finished "
              f"{sum(p.finished for p in survivors)}/{len(survivors)}")
    finally:
        for index, server in enumerate(servers):
            if index == (hosts - 1 if kill != "none" else None):
                try:
                    os.killpg(server.process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                continue
            server.stop()
        cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=90)
    parser.add_argument("--hosts", type=int, default=3)
    parser.add_argument("--kill", choices=["host", "server", "none"], default="host")
    parser.add_argument("--quiet", type=float, default=0.3, help="seconds of no output that mean a key was drawn")
    parser.add_argument("--stagger", type=float, default=0.5, help="seconds between participants arriving")
    args = parser.parse_args()
    asyncio.run(run(args.participants, args.hosts, args.kill, args.quiet, args.stagger))


if __name__ == "__main__":
    main()
