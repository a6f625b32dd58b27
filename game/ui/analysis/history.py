"""The quarters and the history of the figures: which quarter it is, how many are left, a
metric's line over the quarters played and its change since the last close."""

from __future__ import annotations

import math

import numpy as np

from game.calendar import quarter_name
from game.engine.state import World


def quarters_left(world: World) -> int:
    return max(0, world.last_quarter - world.quarter + 1)


def payments_in_game(world: World, quarters: int) -> int:
    """How many of the quarterly payments of a commitment made now, the first when this quarter
    ends, fall before the game does: the rest would come after the end and are never made."""
    return min(quarters, quarters_left(world))


def current_quarter_name(world: World) -> str:
    return quarter_name(min(world.quarter, world.last_quarter))


def last_played_name(world: World) -> str | None:
    """The quarter played last ("2024-Q1"), whose flows the cycling index counts; None before
    the first."""
    if world.turn <= 0:
        return None
    return quarter_name(world.first_quarter + world.turn - 1)


def last_close_name(world: World) -> str:
    """When the figures that change only as a quarter is played were last worked out:
    "2024-Q1's close", or "the start" before the first quarter."""
    played = last_played_name(world)
    return "the start" if played is None else f"{played}'s close"


def money_has_gone_round(world: World) -> bool:
    """Whether a quarter has been played, so that round-trip shares and cycling count money that
    moved. Before the first, the opening round trip is only what the starting contracts will
    bring back (the tutorial's Quartz read 11% from Cirrus's first chip payment, Cirrus being
    part-owned by Quartz) and cycling has no flows to count: the screens show a dash."""
    return world.turn > 0


def played_rows(world: World) -> int:
    """Rows of history filled so far: the start plus every quarter played."""
    return min(world.turn + 1, len(world.system_history["demand"]))


def series(world: World, name: str, firm: int | None = None, now: float | None = None) -> list[float]:
    """A metric over the quarters played so far (the start first), NaNs dropped, and ending at
    ``now``, the figure shown beside the line, when that differs from the last close: a bet or
    an event since then moves the figure, and a line that stopped at the close fell while the
    figure beside it rose."""
    rows = played_rows(world)
    data = world.system_history[name][:rows] if firm is None else world.history[name][:rows, firm]
    points = [float(x) for x in data if math.isfinite(float(x))]
    if now is not None and math.isfinite(now) and not (points and math.isclose(now, points[-1])):
        points.append(float(now))
    return points


def valuation_changes(world: World) -> np.ndarray:
    """Each firm's valuation now against when the last quarter was ended (the start, before
    any): the change beside a valuation on screen, the one the quarter summary shows."""
    return _changes(world.metrics["valuation"], world.metrics["ended_valuation"])


def price_changes(world: World) -> np.ndarray:
    """Each firm's share price now against when the last quarter was ended: how a lab fares.
    Its valuation also counts the cash of a bet just placed, so a $2 bn bet on a $5 bn lab
    showed it 38% up, "surging", on the bettor's own money."""
    return _changes(world.metrics["share_price"], world.metrics["ended_share_price"])


def _changes(now: np.ndarray, then: np.ndarray) -> np.ndarray:
    size = np.abs(then)
    return np.divide(now - then, size, out=np.zeros(len(now)), where=size > 0)


def close_valuation(world: World, firm: int) -> float:
    """The firm's valuation at the close of the last quarter played (the start before any), as
    history keeps it: before the news that opens the next quarter moves it."""
    return float(world.history["valuation"][played_rows(world) - 1, firm])


def row_label(world: World, row: int) -> str:
    """History row 0 is the start; row k is the end of the k-th quarter played."""
    return "start" if row == 0 else quarter_name(world.first_quarter + row - 1)
