"""The warm pool: participants' processes started ahead of their browsers, within the connection cap."""

from __future__ import annotations

import asyncio

from simulator.group.serve_guard import MIN_COLUMNS, MIN_ROWS, ConnectionCap
from simulator.tui.group.warm_pool import WarmPool


class FakeService:
    started: list = []

    def __init__(self) -> None:
        self.alive = False
        self.size = None
        self.gone = asyncio.Event()

    async def start(self, width, height):
        await asyncio.sleep(0)
        self.alive, self.size = True, (width, height)
        FakeService.started.append(self)

    @property
    def running(self) -> bool:
        return self.alive

    async def drawn(self, timeout):
        return True

    async def stop(self):
        self.die()

    def die(self):
        self.alive = False
        self.gone.set()

    async def ended(self):
        await self.gone.wait()


async def filled(pool: WarmPool) -> None:
    for _ in range(200):
        await asyncio.sleep(0)
        if pool._filling is None or pool._filling.done():
            return


async def test_the_pool_fills_to_its_size_at_the_smallest_size_and_says_so_once():
    FakeService.started = []
    said = []
    pool = WarmPool(FakeService, 3, ConnectionCap(10), on_full=said.append)
    pool.fill()
    await filled(pool)
    assert pool.ready == 3 and said == [3]
    assert {s.size for s in FakeService.started} == {(MIN_COLUMNS, MIN_ROWS)}
    await pool.close()
    assert not any(s.alive for s in FakeService.started), "closing the server stops the waiting processes"


async def test_a_taken_process_is_replaced_and_a_dead_one_is_skipped():
    FakeService.started = []
    pool = WarmPool(FakeService, 2, ConnectionCap(10))
    pool.fill()
    await filled(pool)
    first, second = list(pool._ready)
    first.alive = False  # ended, not noticed yet
    assert await pool.take() is second
    await filled(pool)
    assert pool.ready == 2 and len(FakeService.started) == 4
    await pool.close()


async def test_a_waiting_process_that_dies_is_replaced_without_a_browser_asking():
    FakeService.started = []
    pool = WarmPool(FakeService, 2, ConnectionCap(10))
    pool.fill()
    await filled(pool)
    dead = pool._ready[0]
    dead.die()  # a crash, or killed, while waiting
    for _ in range(5):
        await asyncio.sleep(0)
    await filled(pool)
    assert pool.ready == 2 and dead not in pool._ready and len(FakeService.started) == 3
    await pool.close()
    assert not any(s.alive for s in FakeService.started)


async def test_waiting_processes_count_against_the_cap():
    FakeService.started = []
    cap = ConnectionCap(5)
    cap.active = 3
    pool = WarmPool(FakeService, 4, cap)
    pool.fill()
    await filled(pool)
    assert pool.ready == 2, "3 connected + 2 waiting = the cap of 5"
    cap.enter()
    assert await pool.take() is not None
    await filled(pool)
    assert cap.active + pool.ready <= cap.limit
    await pool.close()


async def test_no_pool_starts_nothing():
    FakeService.started = []
    pool = WarmPool(FakeService, 0, ConnectionCap(5))
    pool.fill()
    await asyncio.sleep(0)
    assert await pool.take() is None and FakeService.started == []


class SlowToDraw(FakeService):
    """A process still importing when the server is told to end."""

    async def drawn(self, timeout):
        await asyncio.sleep(timeout)
        return False


async def test_ending_the_server_while_a_process_is_starting_is_prompt_and_stops_it():
    FakeService.started = []
    pool = WarmPool(SlowToDraw, 2, ConnectionCap(10))
    pool.fill()
    for _ in range(5):
        await asyncio.sleep(0)
    assert len(FakeService.started) == 1 and pool.ready == 0
    await asyncio.wait_for(pool.close(), 1.0)
    assert not FakeService.started[0].alive, "the one being started is stopped, not left behind"


async def test_a_browser_arriving_while_one_is_starting_waits_for_it_rather_than_passing_the_cap():
    FakeService.started = []
    gate = asyncio.Event()

    class Gated(FakeService):
        async def drawn(self, timeout):
            await gate.wait()
            return True

    cap = ConnectionCap(2)
    pool = WarmPool(Gated, 2, cap)
    pool.fill()
    for _ in range(5):
        await asyncio.sleep(0)
    cap.enter()
    taking = asyncio.ensure_future(pool.take())
    for _ in range(5):
        await asyncio.sleep(0)
    assert not taking.done(), "the browser waits for the app being started"
    gate.set()
    service = await asyncio.wait_for(taking, 1.0)
    assert service is FakeService.started[0]
    await filled(pool)
    assert cap.active + pool.ready + pool._starting <= cap.limit
    await pool.close()
