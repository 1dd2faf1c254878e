"""The participant's side of the line to ``rehearse serve``: Textual's web driver, plus join checks.

The server counts join attempts for every address (the participant's process
cannot see the others), so before checking a code the join screen asks the
server through this driver whether it may, and says afterwards whether the
code was right. ``rehearse serve`` names this driver in TEXTUAL_DRIVER.
"""

from __future__ import annotations

from typing import Callable

from textual.drivers.web_driver import WebDriver

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
        if packet_type != JOIN:
            super().on_meta(packet_type, payload)
            return
        answer, self._waiting = self._waiting, None
        if answer is None:
            return
        wait = payload.get("seconds")
        allowed = payload.get("verdict") == "go"
        self._app.call_from_thread(answer, allowed, wait if isinstance(wait, int) else 0)
