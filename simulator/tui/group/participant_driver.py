"""The participant's side of the line to ``rehearse serve``: Textual's web driver, plus join checks.

Sizes the server sends are handled after the size the app starts with (see
``_resize``): an app taken from the warm pool while still starting is drawn at
the browser's size.

The server counts join attempts for every address (the participant's process
cannot see the others), so before checking a code the join screen asks the
server through this driver whether it may, and says afterwards whether the
code was right. ``rehearse serve`` names this driver in TEXTUAL_DRIVER.
"""

from __future__ import annotations

import asyncio
import os
import selectors
import threading
from functools import partial
from typing import Callable

from textual import events, messages
from textual.drivers.web_driver import WebDriver
from textual.geometry import Size

JOIN = "rehearse-join"


class ParticipantDriver(WebDriver):
    """WebDriver that carries the join-attempt messages both ways."""

    _waiting: Callable[[bool, int], None] | None = None

    def ask_to_join(self, answer: Callable[[bool, int], None]) -> None:
        """Ask the server whether a code may be checked; ``answer(allowed, wait_seconds)`` runs on the app's thread."""
        self._waiting = answer
        self.write_meta({"type": JOIN, "stage": "ask"})

    def tell_join(self, right: bool) -> None:
        self.write_meta({"type": JOIN, "stage": "right" if right else "wrong"})

    def on_meta(self, packet_type: str, payload: dict[str, object]) -> None:
        if packet_type == "resize":
            self._resize(payload)
            return
        if packet_type != JOIN:
            super().on_meta(packet_type, payload)
            return
        answer, self._waiting = self._waiting, None
        if answer is None:
            return
        wait = payload.get("seconds")
        allowed = payload.get("verdict") == "go"
        self._app.call_from_thread(answer, allowed, wait if isinstance(wait, int) else 0)

    def _resize(self, payload: dict[str, object]) -> None:
        # Sent the way the driver sends the size the app starts with. Textual's own
        # handling posts it straight from this thread, so a size that arrives while
        # the app is starting (a browser taking an app from the warm pool) could be
        # handled before the starting size, and the app stayed at the smaller one.
        width, height = payload.get("width"), payload.get("height")
        if isinstance(width, int) and isinstance(height, int):
            self._size = (width, height)
            self.send_message(events.Resize(Size(width, height), Size(width, height)))


class _PipeReader:
    """What the driver's input thread reads in a hosting process: one participant's
    own input pipe (a process of its own reads its standard input instead)."""

    def __init__(self, fd: int, timeout: float = 0.1) -> None:
        self._fd = fd
        self.timeout = timeout
        self._selector = selectors.DefaultSelector()
        self._selector.register(fd, selectors.EVENT_READ)
        self._closed = threading.Event()

    def close(self) -> None:
        self._closed.set()

    def __iter__(self):
        try:
            while not self._closed.is_set():
                if self._selector.select(self.timeout):
                    data = os.read(self._fd, 4096)
                    if not data:
                        return  # the server has closed the line: the browser has gone
                    yield data
                yield b""
        finally:
            self._selector.close()


def hosted_driver(stdin_fd: int, stdout_fd: int, size: tuple[int, int] | None) -> type[ParticipantDriver]:
    """The driver of one participant among several in one process (``simulator.tui.group.host``):
    their own pipes rather than the process's standard input and output, no signal handlers
    (the process's main thread has those), and the app ends when its line to the server closes."""
    class HostedDriver(ParticipantDriver):
        def __init__(self, app, **options) -> None:
            if options.get("size") is None:
                options["size"] = size
            super().__init__(app, **options)
            self._input_reader._selector.close()  # Textual's reader, on the process's standard input
            self.stdout = None
            self.fileno = stdout_fd
            self._write = partial(os.write, stdout_fd)
            self._input_reader = _PipeReader(stdin_fd)

        def start_application_mode(self) -> None:
            # Signals reach the process's main thread only; the host ends every app on SIGTERM.
            asyncio.get_running_loop().add_signal_handler = lambda *args: None
            super().start_application_mode()

        def run_input_thread(self) -> None:
            super().run_input_thread()
            if not self.exit_event.is_set():
                # A process of its own is ended by the server; here, the closed line ends the app.
                self._app.post_message(messages.ExitApp())

    return HostedDriver
