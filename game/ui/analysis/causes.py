"""Why a firm's valuation moved over a quarter, in one line, from the engine's own figures:
the market's mood (its price over what the firm is fundamentally worth), the firm's revenue,
or the rest of what it owns and owes (cash, debt, stakes in other firms). A newcomer saw
OpenAI's valuation fall 31% while its cash rose, and nothing said why."""

from __future__ import annotations

import math
from dataclasses import dataclass

from game.engine.state import World
from game.money import format_money, format_share

BIG_MOVE = 0.10  # a quarter's change of valuation worth a cause
SHARE_LOST = 0.05  # demand share lost (in points) worth naming as rivals' doing


@dataclass(frozen=True)
class Causes:
    """A change of valuation split into parts that add up to it."""

    mood: float  # the market's price over the fundamental value moved
    revenue: float  # the firm's own business (multiple x annual revenue), at the old mood
    rest: float  # cash, debt, stakes in other firms, at the old mood


def split_change(
    v0: float, v1: float, f0: float, f1: float, business0: float, business1: float
) -> Causes | None:
    """``V1 - V0 = (m1 - m0) F1 + m0 (F1 - F0)`` with the mood ``m = V / F`` (market valuation
    over fundamental, the firm's bubble index); the fundamental's change is the business's,
    ``B1 - B0``, and the rest's. None when a fundamental is not positive (no mood to speak of)."""
    if not all(math.isfinite(x) for x in (v0, v1, f0, f1, business0, business1)) or min(f0, f1) <= 0:
        return None
    m0, m1 = v0 / f0, v1 / f1
    revenue = m0 * (business1 - business0)
    return Causes(mood=(m1 - m0) * f1, revenue=revenue, rest=m0 * (f1 - f0) - revenue)


def main_cause(causes: Causes) -> str:
    """The part that moved the valuation most in the direction it went: "mood", "revenue" or "rest"."""
    parts = {"mood": causes.mood, "revenue": causes.revenue, "rest": causes.rest}
    sign = 1.0 if sum(parts.values()) >= 0 else -1.0
    return max(parts, key=lambda name: sign * parts[name])


def cause_line(world: World, firm: int, row: int) -> str | None:
    """The main cause of the firm's valuation change from history row ``row - 1`` to ``row``
    (the close of a played quarter), when the change is big; None otherwise."""
    if row < 1:
        return None
    history = world.history
    v0, v1 = (float(x) for x in history["valuation"][row - 1 : row + 1, firm])
    if not (math.isfinite(v0) and math.isfinite(v1)) or v0 <= 0 or abs(v1 / v0 - 1.0) < BIG_MOVE:
        return None
    f0, f1 = (float(x) for x in history["fundamental"][row - 1 : row + 1, firm])
    r0, r1 = (float(x) for x in history["revenue"][row - 1 : row + 1, firm])
    yearly = 4.0 * float(world.multiple[firm])
    causes = split_change(v0, v1, f0, f1, yearly * r0, yearly * r1)
    if causes is None:
        return None
    fell = v1 < v0
    cause = main_cause(causes)
    if cause == "mood":
        mood = f"market sentiment {'cooled' if fell else 'warmed'}: its price went from {v0 / f0:.2f}×"
        return f"{mood} to {v1 / f1:.2f}× what its business, cash and stakes are worth"
    if cause == "revenue":
        if r0 <= 0:
            return "its revenue changed"
        change = f"its revenue {'fell' if r1 < r0 else 'grew'} {format_share(abs(r1 / r0 - 1.0))}"
        return change + _demand_lost(world, firm, row)
    failed = _failed_holdings(world, firm, row)
    if fell and failed:
        return f"a failure nearby: {failed} failed, and its stake lost its value"
    net0, net1 = (float(history["cash"][r, firm] - history["debt"][r, firm]) for r in (row - 1, row))
    if (net1 - net0) * (1.0 if not fell else -1.0) >= 0.5 * abs(causes.rest):  # mostly its cash
        money = f"{format_money(net0, world.unit)} to {format_money(net1, world.unit)}"
        return f"its cash less its debt went from {money} ({'spent' if fell else 'raised'} on its business)"
    others = world.stakes[firm] * world.history["valuation"][row, :]
    if float(others[[i for i in range(world.n) if i != firm]].sum()) > BIG_MOVE * v1:
        return f"its stakes in other firms were worth {'less' if fell else 'more'}"
    # what is left: the multiple an event set, the interest on its debt, and the like
    return "what it owns and owes beyond this quarter's revenue, or the multiple the market pays for it"


def _demand_lost(world: World, firm: int, row: int) -> str:
    """ ", as rivals took its share of demand (63% to 54%)", for a lab that lost share."""
    if not world.is_lab[firm]:
        return ""
    s0, s1 = (float(x) for x in world.history["market_share"][row - 1 : row + 1, firm])
    if not (math.isfinite(s0) and math.isfinite(s1)) or s0 - s1 < SHARE_LOST:
        return ""
    return f", as rivals took its share of demand ({format_share(s0)} to {format_share(s1)})"


def _failed_holdings(world: World, firm: int, row: int) -> str:
    """The firms it held a stake in that failed in the row's quarter, by name."""
    quarter = world.first_quarter + row - 1
    fallen = {i for n in world.news if n.kind == "failure" and n.quarter == quarter for i in n.firms}
    held = [world.names[i] for i in sorted(fallen) if i != firm and world.stakes[firm, i] > 1e-9]
    return " and ".join(held)
