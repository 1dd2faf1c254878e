"""The web server behind ``rehearse serve``: textual-serve, with our page and a quiet console.

It lives with the UI because it is the one part besides the screens that
imports textual-serve; what to run and where (the join code, the checks on the
address, the participant's command) is ``simulator.group.serve``.
"""

from __future__ import annotations

from pathlib import Path


def make_server(command: str, host: str, port: int, public_url: str, templates: Path):
    """A textual-serve server that runs ``command`` for each browser, on our page."""
    import asyncio
    import logging

    from textual_serve.server import Server

    class RehearseServer(Server):
        """textual-serve with our page, a quiet console, and a prompt stop."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._connections: set[asyncio.Task] = set()

        def initialize_logging(self) -> None:
            super().initialize_logging()
            # A line per request would bury the join code the facilitator reads out.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        async def on_startup(self, app) -> None:
            pass  # the serve command has said what matters

        async def handle_websocket(self, request):
            task = asyncio.current_task()
            self._connections.add(task)
            try:
                return await super().handle_websocket(request)
            finally:
                self._connections.discard(task)

        async def on_shutdown(self, app) -> None:
            # Without this, Ctrl+C waits up to a minute for open browsers.
            # Cancelling a connection closes its websocket and tells its app
            # process to quit; every decision is already saved.
            for task in list(self._connections):
                task.cancel()

    return RehearseServer(command, host=host, port=port, title="Rehearse", public_url=public_url,
                          templates_path=templates)
