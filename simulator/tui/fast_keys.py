"""Screens that stay whole when keys arrive faster than they are drawn.

A participant on a busy server (or a quick typist) can send a name, Enter and
a choice at once: a screen may then be opened and closed again before its own
mount handler has run. Two things crash a session then, and both are held here.

``when_shown``: a screen's mount handler fills widgets that are gone once the
screen has been closed; the handler is skipped for a screen no longer shown.

``KeysStayOnTheirScreen``: Textual looks up a key's binding only once the key
has passed through the focused widget and its containers, each a queue of its
own; on a busy server that took 16 seconds, and by then the screen had changed.
A participant's Enter typed on the join screen was taken by the briefing that
had replaced it (starting the scenario), and their next Enter, meant for the
briefing, chose option 1. A key now acts only on the screen it was typed on.

``Header``: Textual's header retitles itself whenever the app's title changes, for every
header on every screen. When keys arrive faster than screens are drawn (a
participant typing their name, Enter and a choice at once), that happens to a
header whose title widget is not mounted yet or already removed, and Textual's
own header then raises ``NoMatches`` and ends the session. This one retitles
only a title that is there; a header about to appear reads the title when it does.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import TypeVar

from textual import events
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.screen import Screen
from textual.widgets import Header as TextualHeader
from textual.widgets._header import HeaderTitle

S = TypeVar("S", bound=Screen)


def when_shown(mounted: Callable[[S], None]) -> Callable[[S], None]:
    """A screen's ``on_mount`` that does nothing if the screen was closed before it ran."""

    @wraps(mounted)
    def guarded(screen: S) -> None:
        if screen not in screen.app.screen_stack:
            return  # closed by a key typed ahead; its widgets are already gone
        mounted(screen)

    return guarded


# Set on a key as it arrives: the screen it was typed on.
_TYPED_ON = "_rehearse_typed_on"


class KeysStayOnTheirScreen:
    """App mixin (before ``App``): a key whose screen has gone by the time it
    reaches the app's bindings is dropped, not applied to the new screen."""

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            try:
                setattr(event, _TYPED_ON, self.screen)
            except NoScreen:
                pass
        await super().on_event(event)

    async def _on_key(self, event: events.Key) -> None:
        typed_on = getattr(event, _TYPED_ON, None)
        try:
            showing = self.screen
        except NoScreen:
            showing = None
        if typed_on is not None and typed_on is not showing:
            # Textual's own handler (next in line) would look the key up in the
            # bindings of whatever screen is showing now.
            event.prevent_default()
            event.stop()


class Header(TextualHeader):
    def _on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # instead of Textual's handler, not as well as it

        def set_title() -> None:
            if not self.is_attached:
                return
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoMatches, NoScreen):
                pass  # not composed yet, or being removed: nothing to retitle

        for owner in (self.app, self.screen):
            self.watch(owner, "title", set_title)
            self.watch(owner, "sub_title", set_title)
