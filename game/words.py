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


def did_you_mean(word: str, allowed: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the allowed word closest to ``word``, or nothing."""
    close = closest(word, allowed)
    return f" (did you mean '{close}'?)" if close else ""


def closest(word: str, allowed: Iterable[str]) -> str | None:
    """The allowed word closest to ``word`` (case aside), never ``word`` itself; None when
    none is close."""
    import difflib  # only for a mistake: a valid file never needs it

    by_lower = {choice.lower(): choice for choice in allowed if choice != word}
    close = difflib.get_close_matches(word.lower(), list(by_lower), n=1)
    return by_lower[close[0]] if close else None
