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
    dates it then, and a lesson plan's "in 2023-Q4" read either way. One withdrawn before the
    quarter turned says so instead: it never struck."""
    quarter = game.world.first_quarter
    moves: list[tuple[str, str]] = []
    queued: dict[int, InjectShock] = {}  # this quarter's shocks still queued, by place in moves
    for action in game.log:
        if isinstance(action, EndQuarter):
            quarter += 1
            queued.clear()
        elif action.actor == FACILITATOR:
            move = move_in_words(game, action)
            if isinstance(action, InjectShock):
                queued[len(moves)] = action
                move += f" (strikes in {quarter_name(quarter + 1)})"
            elif isinstance(action, WithdrawShock):  # the later one when queued twice, as the game does
                aim = (action.event, _aim(game, action))
                same = [p for p, s in queued.items() if (s.event, _aim(game, s)) == aim]
                if same:
                    shock = queued.pop(same[-1])
                    moves[same[-1]] = (
                        moves[same[-1]][0],
                        f"{move_in_words(game, shock)} (withdrawn: it did not strike)",
                    )
            moves.append((quarter_name(quarter), move))
    return moves


def _aim(game: Game, action: InjectShock | WithdrawShock) -> str | None:
    """The firm a shock strikes: the one aimed at, else the one the scenario names (as the game
    queues it), else none (the whole market)."""
    event = game.book.by_id(action.event)
    usual = event.target if event is not None and aims_at_a_firm(event) else None
    return action.target or usual


def move_in_words(game: Game, action: Action) -> str:
    world = game.world
    if isinstance(action, InjectShock | WithdrawShock):
        event = game.book.by_id(action.event)
        headline = event.headline if event is not None else action.event
        target = _aim(game, action)
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
