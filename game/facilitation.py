"""The facilitator's moves in words: shocks, grants and fines, quarter by quarter.

Shared by the debrief in the game and the class report on the command line, so it is a
pure function of the game and imports nothing from the UI.
"""

from __future__ import annotations

from game.calendar import quarter_name
from game.engine.actions import FACILITATOR, Action, Adjudicate, EndQuarter, InjectShock, WithdrawShock
from game.engine.events import aims_at_a_firm
from game.engine.game import Game
from game.money import format_money


def facilitator_moves(game: Game) -> list[tuple[str, str]]:
    """The facilitator's moves in the order made, each as (quarter, what was done):
    ("2024-Q2", "granted Red Lab $2 bn: won the pitch contest"). A shock is dated when it was
    queued and says when it strikes, the next quarter ("... (strikes in 2024-Q3)"): the news
    dates it then, and a lesson plan's "in 2023-Q4" read either way."""
    world = game.world
    quarter = world.first_quarter
    moves = []
    for action in game.log:
        if isinstance(action, EndQuarter):
            quarter += 1
        elif action.actor == FACILITATOR:
            move = _describe_move(game, action)
            if isinstance(action, InjectShock):
                move += f" (strikes in {quarter_name(quarter + 1)})"
            moves.append((quarter_name(quarter), move))
    return moves


def _describe_move(game: Game, action: Action) -> str:
    world = game.world
    if isinstance(action, InjectShock | WithdrawShock):
        event = game.book.by_id(action.event)
        headline = event.headline if event is not None else action.event
        usual = event.target if event is not None and aims_at_a_firm(event) else None
        target = action.target or usual  # not aimed, it struck the firm the scenario names
        aim = f" on {world.names[world.index[target]]}" if target else ""
        shock = headline if headline.lower().startswith("shock") else f"shock: {headline}"
        if isinstance(action, WithdrawShock):
            return f"withdrew {shock[0].lower()}{shock[1:]}{aim}"
        return f"{shock}{aim}"
    if isinstance(action, Adjudicate):
        verb = "granted" if action.amount > 0 else "fined"
        name = world.names[world.index[action.firm]]
        return f"{verb} {name} {format_money(abs(action.amount), world.unit)}: {action.reason}"
    return action.kind
