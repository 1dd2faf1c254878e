"""The command palette finds any scenario by its title (from the library's
summaries: a scenario is loaded in full only when it is chosen)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from simulator.model.text import inert
from simulator.tui.render import plain


class ScenarioCommands(Provider):
    def _entries(self):
        for result in self.app.library:
            if result.summary is not None:
                yield result.summary

    async def discover(self) -> Hits:
        for summary in self._entries():
            yield DiscoveryHit(plain(summary.title), partial(self.app.open_by_id, summary.id),
                               help=inert(summary.role_title))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for summary in self._entries():
            score = matcher.match(summary.title)
            if score > 0:
                yield Hit(score, matcher.highlight(inert(summary.title)), partial(self.app.open_by_id, summary.id),
                          help=inert(summary.role_title))
