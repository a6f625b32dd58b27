"""Seats: the firms people run in one game, and the names they type at the start.

One person runs one firm; in a hot-seat game two to six people share one keyboard, each
running a different firm, and take their turns in seat order. A seat's player name is the
only personal data the game keeps (it goes into saves and the class report), so it is short
plain text. Shared by the command line, the title screen and the session; no heavy imports.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

MAX_SEATS = 6
MAX_NAME = 60
PLAYERS_SYNTAX = "FIRM:NAME pairs separated by commas, e.g. anthropic:Ada,microsoft:Bo"


def clean_name(name: str) -> str:
    """A player name as stored: trimmed; raises ValueError if too long or not plain text."""
    name = name.strip()
    if len(name) > MAX_NAME:
        raise ValueError(f"a player name has at most {MAX_NAME} characters")
    if any(not character.isprintable() for character in name):
        raise ValueError("a player name is plain text on one line")
    return name


def names_in_file_name(names: Iterable[str], limit: int = 40) -> str:
    """The players' names as a piece of a file name ("ada-bo-van-dijk"), so that the saves of
    students who played the same world do not share a name; "" when no name was typed."""
    words = []
    for name in names:
        word = "".join(c if c.isalnum() else "-" for c in name.lower())
        word = "-".join(part for part in word.split("-") if part)
        if word:
            words.append(word)
    return "-".join(words)[:limit].strip("-")


def parse_players(text: str) -> list[tuple[str, str]]:
    """``"anthropic:Ada,microsoft:Bo"`` -> ``[("anthropic", "Ada"), ("microsoft", "Bo")]``.

    A seat without a name (``anthropic`` or ``anthropic:``) is allowed. Only the syntax is
    checked here; ``check_seats`` checks the firms against a scenario."""
    seats: list[tuple[str, str]] = []
    for part in text.split(","):
        firm, _, name = part.partition(":")
        firm = firm.strip()
        if not firm:
            raise ValueError(f"a seat has no firm; write {PLAYERS_SYNTAX}")
        seats.append((firm, clean_name(name)))
    return seats


def check_seats(firms: Sequence[str], known: Iterable[str], playable: Sequence[str]) -> None:
    """Raise ValueError, in one line, unless ``firms`` are one to six different firms that
    the scenario lets people play."""
    choices = f"this scenario lets you play {', '.join(playable)}"
    if not firms:
        raise ValueError(f"no firm to play; {choices}")
    if len(firms) > MAX_SEATS:
        raise ValueError(f"at most {MAX_SEATS} players share a game ({len(firms)} seats given)")
    firm_ids = set(known)
    seen: set[str] = set()
    for firm in firms:
        if firm not in firm_ids:
            raise ValueError(f"'{firm}' is not a firm in this scenario; {choices}")
        if firm not in playable:
            raise ValueError(f"{firm} cannot be played; {choices}")
        if firm in seen:
            raise ValueError(f"{firm} has two seats; each player runs a different firm")
        seen.add(firm)


def check_names(names: Iterable[str]) -> None:
    """Raise ValueError, in one line, if two players typed the same name (ignoring case and
    spacing): the game's hand-over screens, the save's file name and the class report could
    not tell them apart. Seats left without a name are fine."""
    seen: set[str] = set()
    for name in names:
        key = " ".join(name.split()).casefold()
        if key in seen:
            raise ValueError(f"two players are called {name.strip()}; give each player a different name")
        if key:
            seen.add(key)
