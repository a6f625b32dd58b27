"""One quarter of the world: cash flows, clearing, capability race, sentiment, valuation,
failures and the metrics that describe them.

Each step calls the small formula functions (``valuation``, ``clearing``, ``cycling``,
``debtrank``, ``sentiment``, ``race``); this module only wires them to the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.engine import race
from game.engine.clearing import clearing_vector
from game.engine.cycling import finn_cycling_index, round_trip_share
from game.engine.debtrank import debtrank_all, impact_matrix
from game.engine.sentiment import (
    SentimentParams,
    accumulated_fitness,
    bubble_index,
    forecast_profit,
    fundamentalist_forecast,
    sentiment_step,
    strategy_fractions,
    trend_forecast,
)
from game.engine.state import Matrix, News, Vector, World
from game.engine.valuation import failure_cascade, limited_liability_values, outside_shares

# Investment and inflow stocks fade with a half-life of four quarters, so money invested
# last year still counts as "coming back" when it is spent this year.
MEMORY_DECAY = 0.5 ** (1 / 4)
# A firm's failure threshold is measured against its best outside value of the last year.
REFERENCE_QUARTERS = 4
DEFAULT_SHOCK = -0.25  # sentiment hit for a firm that could not pay what it owed


@dataclass
class QuarterReport:
    """What happened in one quarter, for the quarter summary and the tests."""

    quarter: int
    cash_before: float
    cash_after: float
    outside_in: float
    outside_out: float
    waves: list[list[int]] = field(default_factory=list)
    defaults: list[int] = field(default_factory=list)
    broken: list[int] = field(default_factory=list)  # contracts cancelled by failures
    news: list[News] = field(default_factory=list)


def due_payments(world: World) -> Matrix:
    """L[i, j]: what i owes j this quarter under its commitments."""
    n = world.n
    owed = np.zeros((n, n))
    for c in world.contracts:
        if c.remaining > 0 and c.starts <= world.quarter:
            owed[c.buyer, c.seller] += c.per_quarter
    return owed


def compute_bought(world: World, owed: Matrix) -> Vector:
    """Compute each lab receives this quarter from its cloud contracts."""
    mask = world.sells_compute[np.newaxis, :]
    return np.where(mask, owed, 0.0).sum(axis=1)


def outside_revenue(world: World, owed: Matrix) -> tuple[Vector, Vector, Vector]:
    """Revenue from outside customers, each lab's demand share, and each firm's compute."""
    compute = world.capacity + compute_bought(world, owed) * world.is_lab
    active_labs = world.is_lab & ~world.failed
    share = race.demand_shares(world.capability, active_labs, world.market["capability_sensitivity"])
    serving = (1.0 - world.training_share) * compute
    lab_revenue = race.served_revenue(world.market["demand"] * share, serving, world.market["serving_yield"])
    revenue = np.where(world.is_lab, lab_revenue, world.own_revenue)
    return np.where(world.failed, 0.0, revenue), share, compute


def appraise(world: World, revenue: Vector) -> dict[str, Vector]:
    """Market and fundamental valuations given each firm's revenue this quarter.

    base = multiple x annualised revenue + cash - debt (fundamental), the business part
    scaled by exp(sentiment) for the market; cross-holdings by Elliott-Golub-Jackson. Both
    are solved in one factorisation of (I - C).
    """
    business = np.where(world.failed, 0.0, world.multiple * 4.0 * revenue)
    balance = world.cash - world.debt - world.failure_loss
    market_base = business * np.exp(world.sentiment) + balance
    bases = np.column_stack((market_base, business + balance))
    values = limited_liability_values(world.stakes, bases)
    return {
        "market_base": market_base,
        "valuation": values[:, 0],
        "fundamental": values[:, 1],
        "outside": outside_shares(world.stakes) * values[:, 0],
    }


def run_quarter(world: World) -> QuarterReport:
    """Play out the current quarter and move the world to the next one."""
    market = world.market
    n = world.n
    report = QuarterReport(
        world.quarter,
        float(world.cash.sum()) - world.ledger.outside_in + world.ledger.outside_out,
        0.0,
        world.ledger.outside_in,
        world.ledger.outside_out,
    )
    ledger = world.ledger

    # 1. Cash flows: outside revenue, costs, interest; borrowing covers a shortfall.
    owed = due_payments(world)
    revenue, share, compute = outside_revenue(world, owed)
    sold = np.where(world.sells_compute, owed.sum(axis=0), 0.0)
    overflow = np.maximum(0.0, sold - world.capacity) * world.sells_compute
    costs = np.where(world.failed, 0.0, world.costs + overflow)
    interest = world.debt * market["interest_rate"]
    resources = world.cash + revenue - costs - interest
    borrowed = np.maximum(0.0, -resources)
    world.debt += borrowed
    resources += borrowed
    ledger.add_in(float(revenue.sum() + borrowed.sum()))
    ledger.add_out(float(costs.sum() + interest.sum()))

    # 2. Eisenberg-Noe clearing of what firms owe each other.
    due = owed.sum(axis=1)
    paid = clearing_vector(owed, resources)
    paid_fraction = np.divide(paid, due, out=np.ones(n), where=due > 0)
    payments = owed * paid_fraction[:, np.newaxis]
    received = payments.sum(axis=0)
    world.cash = resources - paid + received
    report.defaults = [int(i) for i in np.flatnonzero(paid_fraction < 1.0 - 1e-9)]
    _settle_contracts(world, paid_fraction)
    chip_paid = np.where(world.sells_chips[np.newaxis, :], payments, 0.0).sum(axis=1)
    world.capacity += chip_paid / market["capacity_cost"]

    # 3. Repay debt from comfortable cash piles (a quarter of the surplus over a year of costs).
    surplus = np.maximum(0.0, world.cash - 4.0 * world.costs)
    repay = np.minimum(world.debt, 0.25 * surplus) * ~world.failed
    world.cash -= repay
    world.debt -= repay
    ledger.add_out(float(repay.sum()))

    total_revenue = revenue + received
    world.flows += payments
    world.inflow_outside += revenue
    world.received = world.received + received + revenue

    # 4. Capability race and demand.
    rng = world.rng
    training = world.training_share * compute * world.is_lab * ~world.failed
    luck = rng.standard_normal(n)
    world.capability += race.capability_gain(
        training, market["training_efficiency"], market["training_scale"], market["capability_luck"], luck
    )
    demand_shock = float(rng.standard_normal())
    world.market["demand"] = race.next_demand(
        market["demand"], market["demand_growth"], market["demand_volatility"], demand_shock
    )

    # 5. Sentiment (Brock-Hommes), nudged by news: the capability leader and defaults.
    shocks = market["sentiment_noise"] * (0.6 * float(rng.standard_normal()) + 0.8 * rng.standard_normal(n))
    leader = race.leader(world.capability, world.is_lab & ~world.failed)
    if leader is not None:
        shocks[leader] += market["lead_boost"]
    shocks[report.defaults] += DEFAULT_SHOCK
    _update_sentiment(world, shocks)

    # 6. Valuation and the failure cascade (Elliott-Golub-Jackson).
    values = appraise(world, total_revenue)
    world.recent_outside[world.turn % REFERENCE_QUARTERS] = values["outside"]
    reference = np.nanmax(world.recent_outside, axis=0)
    threshold = market["failure_threshold"] * np.maximum(reference, 0.0)
    failure_cost = np.where(world.failed, 0.0, market["failure_cost"] * threshold)
    business_and_balance = values["market_base"] + world.failure_loss
    failed, waves = failure_cascade(
        world.stakes, business_and_balance, threshold, failure_cost + world.failure_loss, world.failed
    )
    report.waves = waves
    if waves:
        newly = np.flatnonzero(failed & ~world.failed)
        world.failure_loss[newly] = failure_cost[newly]
        world.failed = failed
        report.broken = _break_contracts(world)
        values = appraise(world, total_revenue)
        for number, wave in enumerate(waves, start=1):
            names = ", ".join(world.names[i] for i in wave)
            report.news.append(
                News(
                    world.quarter,
                    f"Wave {number} of failures: {names}",
                    "Their valuations fell below the level at which they can keep operating.",
                    "failure",
                    tuple(wave),
                )
            )

    # 7. Metrics and history.
    _record_metrics(world, values, total_revenue, payments, share)

    # 8. Next quarter.
    world.own_revenue *= 1.0 + world.revenue_growth
    world.costs *= 1.0 + world.cost_growth
    world.invested *= MEMORY_DECAY
    world.received *= MEMORY_DECAY
    world.flows = np.zeros((n, n))
    world.inflow_outside = np.zeros(n)
    world.failure_loss = np.zeros(n)  # the EGJ failure cost hits once, in the quarter of failure
    report.cash_after = float(world.cash.sum())
    report.outside_in, report.outside_out = ledger.outside_in, ledger.outside_out
    ledger.outside_in = ledger.outside_out = 0.0
    world.quarter += 1
    world.turn += 1
    return report


def _settle_contracts(world: World, paid_fraction: Vector) -> None:
    for c in world.contracts:
        if c.remaining > 0 and c.starts <= world.quarter:
            fraction = float(paid_fraction[c.buyer])
            c.paid += c.per_quarter * fraction
            c.unpaid += c.per_quarter * (1.0 - fraction)
            c.remaining -= 1
    world.contracts = [c for c in world.contracts if c.remaining > 0]


def _break_contracts(world: World) -> list[int]:
    """A failed firm neither pays nor delivers: its commitments end (the broken link)."""
    broken = [c.id for c in world.contracts if world.failed[c.buyer] or world.failed[c.seller]]
    world.contracts = [c for c in world.contracts if c.id not in broken]
    return broken


def _update_sentiment(world: World, shocks: Vector) -> None:
    market = world.market
    params = SentimentParams(
        market["reversion"],
        market["trend"],
        market["choice_intensity"],
        market["memory"],
        market["gross_return"],
    )
    x1, x2 = world.sentiment, world.sentiment_before
    n1, n2 = strategy_fractions(world.profit_fundamentalist, world.profit_trend, params.choice_intensity)
    x = sentiment_step(x1, x2, n1, n2, params, shocks)
    x = np.where(world.failed, x1, x)
    f1 = fundamentalist_forecast(x1, params.reversion)
    f2 = trend_forecast(x1, x2, params.trend)
    world.profit_fundamentalist = accumulated_fitness(
        world.profit_fundamentalist, forecast_profit(x, x1, f1, params.gross_return), params.memory
    )
    world.profit_trend = accumulated_fitness(
        world.profit_trend, forecast_profit(x, x1, f2, params.gross_return), params.memory
    )
    world.sentiment_before, world.sentiment = x1, x


def _record_metrics(
    world: World, values: dict[str, Vector], revenue: Vector, payments: Matrix, share: Vector
) -> None:
    valuation, fundamental = values["valuation"], values["fundamental"]
    cycling, system_cycling = finn_cycling_index(world.flows, world.inflow_outside)
    round_trip = round_trip_share(payments, world.invested, world.received, revenue)
    receivable = np.zeros_like(world.stakes)
    for c in world.contracts:
        receivable[c.seller, c.buyer] += c.per_quarter * min(c.remaining, 4)
    positive = np.maximum(valuation, 0.0)
    exposure_to = world.stakes * positive[np.newaxis, :] + receivable
    impact = impact_matrix(exposure_to, np.maximum(valuation, 1e-9))
    weights = positive / positive.sum() if positive.sum() > 0 else np.full(world.n, 1.0 / world.n)
    held = world.stakes @ positive
    exposure = np.divide(held, valuation, out=np.zeros(world.n), where=valuation > 0)
    metrics: dict[str, Any] = {
        "valuation": valuation,
        "share_price": valuation / world.shares,
        "fundamental": fundamental,
        "cash": world.cash.copy(),
        "debt": world.debt.copy(),
        "revenue": revenue,
        "capability": world.capability.copy(),
        "round_trip": round_trip,
        "cycling": cycling,
        "debtrank": debtrank_all(impact, weights),
        "bubble": bubble_index(valuation, fundamental),
        "exposure": exposure,
        "market_share": share,
        "system_cycling": system_cycling,
        "system_bubble": float(bubble_index(np.array(valuation.sum()), np.array(fundamental.sum()))),
        "demand": float(world.market["demand"]),
        "failures": float(world.failed.sum()),
        "total_valuation": float(valuation.sum()),
    }
    world.metrics = metrics
    row = min(world.turn + 1, len(world.system_history["demand"]) - 1)
    for name, table in world.history.items():
        table[row] = metrics[name]
    for name, series in world.system_history.items():
        series[row] = metrics[name]


def opening_metrics(world: World) -> None:
    """Metrics for the start of the game (turn 0), before any quarter is played."""
    owed = due_payments(world)
    revenue, share, _ = outside_revenue(world, owed)
    values = appraise(world, revenue + owed.sum(axis=0))
    world.recent_outside[:] = values["outside"]
    world.start_valuation = values["valuation"].copy()
    saved_turn = world.turn
    world.turn = -1  # the opening row of history
    _record_metrics(world, values, revenue + owed.sum(axis=0), owed, share)
    world.turn = saved_turn
