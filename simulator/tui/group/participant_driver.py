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

from typing import Callable

from textual import events
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
