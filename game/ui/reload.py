"""Reload the scenario of the game being played after its author has edited the file.

The moves made so far are replayed on the new version, so an author sees the change at
once in the same game. A file with problems changes nothing: the game keeps the last good
version and the problems are shown. Nothing here knows about Textual.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from game.calendar import quarter_name
from game.classroom import describe_move
from game.engine.actions import FACILITATOR, EndQuarter, action_to_dict
from game.engine.game import Game, ReplayError
from game.facilitation import move_in_words
from game.scenario.loader import LoadedScenario, ScenarioError, load_scenario


@dataclass(frozen=True)
class Reload:
    """What reloading found. ``game`` is the replayed game when the moves replay on the new
    version; ``loaded`` without ``game`` is a valid new version the moves do not replay on
    (``message`` says why); neither: nothing to change (``message`` says why)."""

    message: str
    loaded: LoadedScenario | None = None
    game: Game | None = None


def reload_scenario(current: LoadedScenario, game: Game) -> Reload:
    path = Path(current.path)
    if not path.is_file():
        return Reload(f"The scenario file {current.path} is not on disk; there is nothing to reload.")
    try:
        loaded = load_scenario(path)
    except ScenarioError as err:
        count = len(err.problems)
        return Reload(
            f"{path.name} has {count} problem{'s' if count > 1 else ''}; the game keeps the last good "
            f"version.\n\n{err}"
        )
    if loaded.source == current.source:
        return Reload(f"{path.name} has not changed since it was loaded.")
    moves = sum(1 for action in game.log if not isinstance(action, EndQuarter))
    try:
        replayed = Game.replay(
            loaded.scenario, game.seed, game.log, game.humans, game.difficulty, game.facilitator
        )
    except ReplayError as err:
        when = quarter_name(err.quarter)
        if isinstance(err.action, EndQuarter):  # the new version is shorter than the game played
            said = f"The new version of {path.name} ends before {when}, which was played: {err.reason}."
        else:  # the move in the old version's words
            if err.action.actor == FACILITATOR:
                who, move = "The facilitator's move", move_in_words(game, err.action)
            else:
                who, move = "The move", describe_move(game, action_to_dict(err.action))
            said = f"{who} in {when} ({move}) no longer fits the new version of {path.name}: {err.reason}."
        return Reload(said, loaded)
    except ValueError as err:
        return Reload(f"The moves made so far do not replay on the new version of {path.name}: {err}", loaded)
    quarters = game.world.turn
    return Reload(
        f"Reloaded {path.name}: {moves} move{'s' if moves != 1 else ''} and {quarters} "
        f"quarter{'s' if quarters != 1 else ''} replayed on the new version.",
        loaded,
        replayed,
    )
