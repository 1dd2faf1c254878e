"""`rehearse serve` refuses what a hostile browser sends before it costs a process.

The server runs in the test's own loop (aiohttp's test server); the
participant's process is replaced by a stand-in that records how it was
started and what reached it, so "no process" is counted, not assumed.
"""

from __future__ import annotations

import asyncio
import io
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from simulator.group.serve import TEMPLATES
from simulator.group.serve_guard import MAX_COLUMNS, MAX_ROWS, JoinLimiter
from simulator.tui.group import participant_service
from simulator.tui.group.web_server import make_server


class Spawned:
    """What the stand-in participant processes were asked to do."""

    def __init__(self) -> None:
        self.started: list[tuple[int, int]] = []
        self.sizes: list[tuple[int, int]] = []
        self.keys: list[bytes] = []


@pytest.fixture
def spawned(monkeypatch):
    record = Spawned()

    async def start(self, width, height):
        record.started.append((width, height))

    async def stop(self):
        pass

    async def set_terminal_size(self, width, height):
        record.sizes.append((width, height))

    async def send_bytes(self, data):
        record.keys.append(data)
        return True

    for name, fake in [("start", start), ("stop", stop), ("set_terminal_size", set_terminal_size),
                       ("send_bytes", send_bytes)]:
        monkeypatch.setattr(participant_service.ParticipantService, name, fake)
    return record


async def serving(max_participants=3, limiter=None, log_file=None, console=None):
    server = make_server("true", "127.0.0.1", 0, "http://127.0.0.1:8000", TEMPLATES, max_participants=max_participants,
                         limiter=limiter, log_file=log_file, console=console or (lambda line: None))
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return server, client


async def settle(condition, what: str) -> None:
    for _ in range(100):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


async def test_a_huge_size_in_the_url_or_a_message_reaches_the_app_clamped(spawned):
    server, client = await serving()
    try:
        ws = await client.ws_connect("/ws?width=12000&height=12000")
        await settle(lambda: spawned.started, "the participant to start")
        await ws.send_json(["resize", {"width": 12000, "height": 12000}])
        await ws.send_json(["resize", {"width": "9" * 5000, "height": 1e300}])
        await ws.send_json(["stdin", "K"])
        await settle(lambda: spawned.keys, "the key")
        assert spawned.started == [(MAX_COLUMNS, MAX_ROWS)]
        assert spawned.sizes == [(MAX_COLUMNS, MAX_ROWS)], "the same clamped size again is not redrawn"
        await ws.close()
    finally:
        await client.close()


async def test_a_malformed_message_ends_the_connection_quietly_into_the_log(spawned):
    log = io.StringIO()
    server, client = await serving(log_file=log)
    server.initialize_logging()
    try:
        ws = await client.ws_connect("/ws")
        await settle(lambda: spawned.started, "the participant to start")
        await ws.send_str('{"not": "a list"')
        message = await ws.receive(timeout=5)
        assert message.type.name in ("CLOSE", "CLOSED", "CLOSING")
        assert "wrong shape" in log.getvalue()
        plain = await client.get("/ws")  # a plain GET, not a websocket
        assert plain.status == 400
    finally:
        await client.close()
        logging.getLogger().handlers[:] = []


async def test_connections_past_the_cap_get_a_plain_page_and_no_process(spawned):
    server, client = await serving(max_participants=3)
    try:
        sockets = [await client.ws_connect("/ws") for _ in range(3)]
        await settle(lambda: len(spawned.started) == 3, "three participants")
        page = await client.get("/")
        assert page.status == 503 and "session is full: 3 participants" in await page.text()
        for _ in range(20):
            refused = await client.get("/ws", headers={"Connection": "Upgrade", "Upgrade": "websocket",
                                                       "Sec-WebSocket-Version": "13",
                                                       "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
            assert refused.status == 503
        assert len(spawned.started) == 3, "a refused browser starts no process"
        await sockets[0].close()
        await settle(lambda: not server.cap.full, "a place to free up")
        again = await client.ws_connect("/ws")
        await settle(lambda: len(spawned.started) == 4, "the next participant")
        for socket in [again, *sockets[1:]]:
            await socket.close()
    finally:
        await client.close()


async def test_another_sites_page_cannot_open_a_participant(spawned):
    server, client = await serving()
    try:
        with pytest.raises(Exception):
            await client.ws_connect("/ws", origin="http://evil.example")
        assert spawned.started == []
        ws = await client.ws_connect("/ws", origin=str(client.make_url("")).rstrip("/"))
        await settle(lambda: spawned.started, "the participant from the page's own origin")
        await ws.close()
    finally:
        await client.close()


async def test_every_response_carries_the_security_headers_and_no_version(spawned):
    server, client = await serving()
    try:
        for path in ["/", "/static/js/textual.js", "/static/", "/nowhere"]:
            response = await client.get(path)
            headers = response.headers
            assert headers["Server"] == "Rehearse", path
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"], path
            assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY", path
            assert headers["Referrer-Policy"] == "no-referrer", path
        listing = await client.get("/static/")
        assert listing.status in (403, 404) and "textual.js" not in await listing.text()
        assert (await client.get("/static/js/textual.js")).status == 200
    finally:
        await client.close()


async def test_a_locked_out_address_gets_a_page_and_no_process(spawned):
    limiter = JoinLimiter(per_address=2, overall=100)
    said: list[str] = []
    server, client = await serving(limiter=limiter, console=said.append)
    try:
        for _ in range(2):
            limiter.ask("127.0.0.1")
            limiter.wrong("127.0.0.1")
        page = await client.get("/")
        assert page.status == 429 and "Too many wrong join codes" in await page.text()
        with pytest.raises(Exception):
            await client.ws_connect("/ws")
        await client.get("/")
        assert spawned.started == []
        assert len(said) == 1 and "127.0.0.1" in said[0], "the facilitator is told once, not per refusal"
    finally:
        await client.close()


async def test_a_room_whose_codes_are_still_being_checked_is_not_turned_away(spawned):
    limiter = JoinLimiter(per_address=2, overall=100)
    server, client = await serving(limiter=limiter, console=lambda line: None)
    try:
        limiter.ask("127.0.0.1")
        limiter.ask("127.0.0.1")  # two classmates' codes, answers not back yet
        page = await client.get("/")
        assert page.status == 200 and "Too many wrong join codes" not in await page.text()
    finally:
        await client.close()


async def test_a_participants_errors_go_to_the_log_file_not_the_console_or_the_browser(tmp_path, capfd):
    import sys

    log_path = tmp_path / "serve.log"
    crash = f"{sys.executable} -c \"import sys; sys.stderr.write('Traceback: participant failed, secret=42\\\\n')\""
    with log_path.open("a", encoding="utf-8", buffering=1) as log_file:
        server = make_server(crash, "127.0.0.1", 0, "http://127.0.0.1:8000", TEMPLATES, log_file=log_file,
                             console=lambda line: None)
        server.initialize_logging()
        client = TestClient(TestServer(await server._make_app()))
        await client.start_server()
        try:
            ws = await client.ws_connect("/ws")
            sent = []
            while (message := await ws.receive(timeout=20)).type.name not in ("CLOSE", "CLOSED", "CLOSING"):
                sent.append(str(message.data))
        finally:
            await client.close()
            logging.getLogger().handlers[:] = []
    logged = log_path.read_text(encoding="utf-8")
    assert "participant failed" in logged and "Application failed to start" in logged
    out, err = capfd.readouterr()
    assert "participant failed" not in out + err, "nothing reaches the facilitator's console"
    assert not any("participant failed" in text for text in sent), "nor the participant's browser"


async def test_the_server_answers_join_questions_from_its_count():
    from simulator.tui.group.participant_service import ParticipantService

    limiter = JoinLimiter(per_address=1, overall=100)
    said, locked = [], []

    async def nowhere(*args):
        pass

    service = ParticipantService("true", address="10.1.1.1", limiter=limiter, errors=None,
                                 on_lock=lambda address, verdict: locked.append(address),
                                 write_bytes=nowhere, write_str=nowhere, close=nowhere, download_manager=None)

    async def send_meta(data):
        said.append(data)
        return True

    service.send_meta = send_meta
    await service.on_meta(b'{"type": "rehearse-join", "stage": "ask"}')
    await service.on_meta(b'{"type": "rehearse-join", "stage": "right"}')
    await service.on_meta(b'{"type": "rehearse-join", "stage": "ask"}')
    await service.on_meta(b'{"type": "rehearse-join", "stage": "wrong"}')
    await service.on_meta(b'{"type": "rehearse-join", "stage": "ask"}')
    assert [m["verdict"] for m in said] == ["go", "go", "wait"]
    assert said[-1]["seconds"] > 0 and locked == ["10.1.1.1"]
