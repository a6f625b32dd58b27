"""Messages between the screens and the app, as dataclasses (posted, never called)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from game.scenario.loader import LoadedScenario


@dataclass
class StateChanged(Message, bubble=False):
    """The game changed (an action, a quarter, a load): screens showing it refresh."""


@dataclass
class NewGameRequested(Message):
    """The title screen asks the app to start a game: one seat (``firm``, run by ``player``)
    or, hot seat, ``seats``: every seat in turn order as (firm, player name)."""

    loaded: LoadedScenario
    seed: int
    firm: str
    difficulty: str | None
    player: str = ""
    seats: tuple[tuple[str, str], ...] = ()
    facilitator: bool = False


@dataclass
class LoadRequested(Message):
    """Resume the save at ``path``."""

    path: Path
