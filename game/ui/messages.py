"""Messages between the screens and the app, as dataclasses (posted, never called)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.message import Message

from game.scenario.loader import LoadedScenario


@dataclass
class StateChanged(Message, bubble=False):
    """The game changed (an action, a quarter, a load): screens showing it refresh."""


@dataclass(frozen=True)
class GameChoice:
    """What a new game starts from: the scenario, the seed (None: the scenario's own), the
    difficulty and the seats. One seat: ``firm`` (None: the first playable) run by
    ``player``; hot seat: ``seats``, every seat in turn order as (firm, player name)."""

    loaded: LoadedScenario
    seed: int | None = None
    firm: str | None = None
    difficulty: str | None = None
    player: str = ""
    seats: tuple[tuple[str, str], ...] = ()
    facilitator: bool = False


@dataclass
class NewGameRequested(Message):
    """The title screen asks the app to start a game."""

    choice: GameChoice


@dataclass
class LoadRequested(Message):
    """Resume the save at ``path``."""

    path: Path
