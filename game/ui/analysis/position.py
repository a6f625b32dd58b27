"""A firm's position and the warnings about it: cash running out, the failure line close,
a move that would leave less cash than the payments due."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.quarter import due_payments, failure_lines
from game.engine.state import World
from game.money import format_money


@dataclass(frozen=True)
class Position:
    quarter: int
    cash: float
    debt: float
    valuation: float
    stakes_value: float
    owed: float  # what the firm still has to pay under its commitments
    owed_to: float  # what others still have to pay the firm
    failed: bool


def position(world: World, firm: int) -> Position:
    value = np.maximum(world.metrics["valuation"], 0.0)
    owed = sum(c.owed() for c in world.contracts if c.buyer == firm)
    owed_to = sum(c.owed() for c in world.contracts if c.seller == firm)
    return Position(
        world.quarter,
        float(world.cash[firm]),
        float(world.debt[firm]),
        float(world.metrics["valuation"][firm]),
        float(world.stakes[firm] @ value),
        float(owed),
        float(owed_to),
        bool(world.failed[firm]),
    )


RUNWAY_WARNING = 4  # quarters: below this the You panel warns that cash is running out


def net_runway(world: World, firm: int) -> float | None:
    """Quarters the firm's cash lasts if the last quarter repeats: cash over the net outflow
    (costs, interest and this quarter's payments due, less last quarter's revenue); None when
    the firm takes in more than it pays out. After that it borrows, and debt lowers its value.
    (The bots' ``negotiation.runway`` counts spending alone, no revenue: how long a lab could
    last with no customers, which is what makes it hungry for a deal.)"""
    due = float(due_payments(world)[firm].sum())
    outflow = float(world.costs[firm] + world.debt[firm] * world.market["interest_rate"]) + due
    burn = outflow - float(world.metrics["revenue"][firm])
    return float(world.cash[firm]) / burn if burn > 0 else None


def runway_warning(quarters: float | None) -> str:
    """What the You panel says when cash runs short (``quarters``: :func:`net_runway`), else ""."""
    if quarters is None or quarters >= RUNWAY_WARNING:
        return ""
    if quarters < 0.05:
        return "Out of cash: you borrow to pay"
    if quarters < 1:
        return "Cash lasts less than a quarter"
    return f"Cash lasts about {quarters:.0f} quarter{'s' * (quarters >= 1.5)}"


FAILURE_WARNING = 0.4  # the You panel and the summary warn when a fall this large would fail (as in a bust)


def failure_line(world: World, firm: int) -> float:
    """The valuation below which the firm fails when the quarter ends, all else equal."""
    return float(failure_lines(world)[firm])


def failure_margin(world: World, firm: int) -> float | None:
    """How far the firm's valuation can fall before it ends a quarter below its failure line
    (:func:`failure_line`): 0.18 = an 18% fall. None for a failed firm or one without a line
    (no outside owners, or no value to lose); negative when it is already below the line, so
    it fails when the quarter ends unless its value recovers first."""
    line = failure_line(world, firm)
    value = float(world.metrics["valuation"][firm])
    if world.failed[firm] or line <= 0.0:
        return None
    return 1.0 - line / value if value > 0.0 else -1.0


def failure_warning(margin: float | None) -> str:
    """What the You panel and the summary say when the failure line is near, else ""."""
    if margin is None or margin >= FAILURE_WARNING:
        return ""
    if margin <= 0.0:
        return "Below the failure line: you fail at the end of the quarter unless your value recovers"
    return f"A fall of {margin:.0%} would make you fail"


def cash_against_due(
    world: World, firm: int, spend: float = 0.0, new_due: float = 0.0
) -> tuple[float, float]:
    """The cash a move that spends ``spend`` (and adds ``new_due`` to this quarter's payments)
    would leave, and the payments due when the quarter ends."""
    return float(world.cash[firm]) - spend, float(due_payments(world)[firm].sum()) + new_due


def short_of_commitments(world: World, firm: int, spend: float = 0.0, new_due: float = 0.0) -> str:
    """A warning when a move that spends ``spend`` (and adds ``new_due`` to this quarter's
    payments) would leave less cash than the payments due when the quarter ends, else "".
    Revenue may still cover them; a shortfall is borrowed, or defaults."""
    left, due = cash_against_due(world, firm, spend, new_due)
    if due <= 0 or left >= due:
        return ""
    return (
        f"This leaves {format_money(left, world.unit)} of cash, less than the "
        f"{format_money(due, world.unit)} of commitments due when the quarter ends."
    )
