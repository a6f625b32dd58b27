"""The command palette (ctrl+p): every action the player can take now, searchable by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.command import DiscoveryHit, Hit, Hits, Provider


class CircularCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: Any = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = app.palette_commands()
        return commands

    async def discover(self) -> Hits:
        for title, help, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help)
