"""The web server behind ``rehearse serve``: textual-serve, with our page, our limits and a quiet console.

It lives with the UI because it is the one part besides the screens that
imports textual-serve; what to run and where (the join code, the checks on the
address, the participant's command) is ``simulator.group.serve``, and what is
refused is ``simulator.group.serve_guard``.

Everything a browser can send before typing the join code is checked here
before it costs a process: the page's origin, the connection cap, an address
locked out for wrong codes, the terminal size, the shape of every message.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import IO

from simulator.group.serve_guard import (
    DEFAULT_APPS_PER_PROCESS,
    MAX_MESSAGE_BYTES,
    ConnectionCap,
    JoinLimiter,
    Verdict,
    clamp_size,
    origin_allowed,
    security_headers,
    wait_words,
)

log = logging.getLogger("rehearse.serve")

REFUSAL = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Rehearse</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family: sans-serif; max-width: 36em; margin: 4em auto; line-height: 1.5">
<h1>Rehearse</h1><p>{message}</p></body></html>
"""
FULL = ("This group session is full: {limit} participants are connected. Ask the facilitator, "
        "or try again when someone has left.")
LOCKED = "Too many wrong join codes have been tried from this network. Try again in {wait}, or ask the facilitator."


def make_server(command: str, host: str, port: int, public_url: str, templates: Path, *,
                max_participants: int | None = None, log_file: IO | None = None,
                limiter: JoinLimiter | None = None, console=print, warm: int = 0,
                apps_per_process: int = DEFAULT_APPS_PER_PROCESS):
    """A textual-serve server that runs ``command`` for each browser, on our page, within our limits.
    ``log_file`` (opened for appending) takes tracebacks and refusals; ``console`` gets a line
    the first time an address is locked out, for the facilitator. ``warm`` processes are kept
    started ahead of the browsers (``WarmPool``); ``apps_per_process`` participants' apps run
    together in one process (``host``)."""
    from aiohttp import WSMsgType, web
    from textual_serve.server import Server

    from simulator.tui.group.participant_service import ParticipantService
    from simulator.tui.group.warm_pool import WarmPool
    from simulator.tui.group.zygote_client import Zygote

    cap = ConnectionCap() if max_participants is None else ConnectionCap(max_participants)
    joins = limiter or JoinLimiter()
    headers = security_headers((templates / "app_index.html").read_text(encoding="utf-8"))

    def refusal(status: int, message: str) -> web.Response:
        return web.Response(status=status, text=REFUSAL.format(message=message), content_type="text/html")

    class RehearseServer(Server):
        """textual-serve with our page, our limits, a quiet console, and a prompt stop."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._connections: set[asyncio.Task] = set()
            self.cap, self.joins = cap, joins
            self._told: set[str] = set()  # addresses the facilitator has been told about
            self.pool: WarmPool | None = None
            # Forks every participant's app (or a process for several), where it can.
            self.zygote = Zygote(command, log_file, apps_per_process)

        def initialize_logging(self) -> None:
            # Tracebacks (with their local variables) and a line per refusal go
            # to the log file: on the console they would bury the join code.
            handler: logging.Handler = (logging.StreamHandler(log_file) if log_file is not None
                                        else logging.NullHandler())
            handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
            root = logging.getLogger()
            root.handlers[:] = [handler]
            root.setLevel(logging.INFO)
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def _make_app(self) -> web.Application:
            app = web.Application(client_max_size=MAX_MESSAGE_BYTES)
            import aiohttp_jinja2
            import jinja2

            aiohttp_jinja2.setup(app, loader=jinja2.FileSystemLoader(self.templates_path))
            app.add_routes([
                web.get("/", self.handle_index, name="index"),
                web.get("/ws", self.handle_websocket, name="websocket"),
                web.get("/download/{key}", self.handle_download, name="download"),
                web.static("/static", self.statics_path, show_index=False, name="static"),
            ])
            app.on_response_prepare.append(self._secure)
            app.on_startup.append(self.on_startup)
            app.on_shutdown.append(self.on_shutdown)
            return app

        async def _secure(self, request, response) -> None:
            response.headers.update(headers)

        def _locked(self, address: str, verdict: Verdict) -> None:
            if address not in self._told:
                self._told.add(address)
                console(f"Refusing join attempts from {address}: {verdict.reason} "
                        f"(for {wait_words(verdict.wait_seconds)}; each refusal is in the log).")

        def _refuse(self, request) -> web.Response | None:
            """Why this browser gets no participant process, as a page; None: it may have one."""
            address = request.remote or "unknown"
            verdict = self.joins.locked(address)
            # Codes from this address still being checked (a room joining at once) are no
            # reason to refuse a browser: its own code will wait for their answers.
            if not verdict.allowed and not verdict.busy:
                log.warning("connection refused from %s: %s", address, verdict.reason)
                self._locked(address, verdict)
                return refusal(429, LOCKED.format(wait=wait_words(verdict.wait_seconds)))
            if self.cap.full:
                log.warning("connection refused from %s: the session is full (%d)", address, self.cap.limit)
                return refusal(503, FULL.format(limit=self.cap.limit))
            return None

        async def on_startup(self, app) -> None:
            # The serve command has said what matters; the pool starts filling.
            self.pool = WarmPool(
                lambda: ParticipantService.ahead(self.command, limiter=self.joins, errors=log_file,
                                                 on_lock=self._locked, zygote=self.zygote,
                                                 download_manager=self.download_manager, debug=self.debug),
                warm, self.cap, on_full=lambda count: console(f"{count} participants' apps are started and "
                                                              "waiting: joining takes a moment (--warm)."))
            self.pool.fill()

        async def handle_index(self, request):
            return self._refuse(request) or await super().handle_index(request)

        async def handle_websocket(self, request):
            address = request.remote or "unknown"
            if not origin_allowed(request.headers.get("Origin"), request.scheme, request.host, self.public_url):
                log.warning("websocket refused from %s: page from another site (%r)", address,
                            request.headers.get("Origin", "")[:200])
                return refusal(403, "This page may only be opened from the session's own address.")
            if not web.WebSocketResponse().can_prepare(request).ok:
                return refusal(400, "This address is for the session's page: open the address you were given.")
            refused = self._refuse(request)
            if refused is not None or not self.cap.enter():
                return refused or refusal(503, FULL.format(limit=self.cap.limit))
            task = asyncio.current_task()
            self._connections.add(task)
            try:
                return await self._participant(request, address)
            finally:
                self._connections.discard(task)
                self.cap.leave()
                if self.pool is not None:
                    self.pool.fill()  # a place under the cap is free again

        async def _participant(self, request, address: str):
            websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE_BYTES)
            width, height = clamp_size(request.query.get("width", "80"), request.query.get("height", "24"))
            service = None
            try:
                await websocket.prepare(request)
                service = await self.pool.take() if self.pool is not None else None
                if service is not None:
                    await service.attach(websocket, address, width, height)
                else:
                    service = ParticipantService(
                        self.command, address=address, limiter=self.joins, errors=log_file, on_lock=self._locked,
                        zygote=self.zygote, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                        close=websocket.close, download_manager=self.download_manager, debug=self.debug)
                    await service.start(width, height)
                await self._process_messages(websocket, service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception:
                log.exception("participant connection from %s failed", address)
            finally:
                if service is not None:
                    await service.stop()
            return websocket

        async def _process_messages(self, websocket, service) -> None:
            """What the browser sends, checked: a message of another shape ends the connection
            (the page never sends one), a size is clamped, a size already set is not redrawn."""
            size = None
            async for message in websocket:
                if message.type != WSMsgType.TEXT:
                    continue
                try:
                    envelope = json.loads(message.data)
                except ValueError:
                    envelope = None
                if not (isinstance(envelope, list) and envelope and isinstance(envelope[0], str)):
                    log.warning("closing %s's connection: a message of the wrong shape", service.address)
                    break
                kind, data = envelope[0], (envelope[1] if len(envelope) > 1 else None)
                if kind == "stdin" and isinstance(data, str):
                    await service.send_bytes(data.encode("utf-8", "replace"))
                elif kind == "resize" and isinstance(data, dict):
                    wanted = clamp_size(data.get("width"), data.get("height"))
                    if wanted != size:
                        size = wanted
                        await service.set_terminal_size(*wanted)
                elif kind == "ping" and (data is None or isinstance(data, (str, int, float))):
                    await websocket.send_json(["pong", data])
                elif kind == "blur":
                    await service.blur()
                elif kind == "focus":
                    await service.focus()

        async def on_shutdown(self, app) -> None:
            # Without this, Ctrl+C waits up to a minute for open browsers.
            # Cancelling a connection closes its websocket and tells its app
            # process to quit; every decision is already saved.
            for task in list(self._connections):
                task.cancel()
            if self.pool is not None:
                await self.pool.close()
            await self.zygote.close()

    return RehearseServer(command, host=host, port=port, title="Rehearse", public_url=public_url,
                          templates_path=templates)
