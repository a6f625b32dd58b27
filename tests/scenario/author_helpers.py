"""Editing the starter scenario by hand, as an author would, for the tests of its messages."""

from __future__ import annotations

from game.authoring import starter_scenario

STARTER = starter_scenario("myworld")


def edit(source: str, old: str, new: str) -> str:
    assert source.count(old) == 1, old
    return source.replace(old, new)


def line_of(text: str, start: str, after: int = 0) -> int:
    """The number of the first line from line ``after + 1`` on that starts with ``start``."""
    lines = text.splitlines()
    return next(n for n in range(after + 1, len(lines) + 1) if lines[n - 1].lstrip().startswith(start))
