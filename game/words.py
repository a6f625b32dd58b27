"""Small helpers for writing counts and lists in plain English, shared by every message."""

from __future__ import annotations

from collections.abc import Iterable


def count(number: int, noun: str) -> str:
    """The number and its noun, plural unless it is one: "1 player", "3 players"."""
    return f"{number} {noun}{'s' * (number != 1)}"


def listing(items: Iterable[str], last: str = "and") -> str:
    """Items as a sentence lists them: "a", "a and b", "a, b and c" (``last``: the word
    before the last item, e.g. "or")."""
    words = list(items)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" {last} " + words[-1]
