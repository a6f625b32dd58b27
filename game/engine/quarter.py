"""One quarter of the world: cash flows, clearing, capability race, sentiment, valuation,
failures and the metrics that describe them.

Each step calls the small formula functions (``valuation``, ``clearing``, ``cycling``,
``debtrank``, ``sentiment``, ``race``); this module only wires them to the state.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import numpy as np

from game.engine import race
from game.engine.clearing import clearing_vector, shortfalls
from game.engine.cycling import finn_cycling_index, round_trip_share
from game.engine.debtrank import debtrank_all, impact_matrix
from game.engine.race import Mask
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
from game.engine.state import (
    AMOUNT_CEILING,
    CAPABILITY_CEILING,
    Contract,
    Matrix,
    News,
    Shortfall,
    Vector,
    World,
)
from game.engine.valuation import (
    CrossHoldings,
    cross_holdings,
    failure_bar,
    failure_cascade,
    failure_line,
    limited_liability_values,
)

# Investment and inflow stocks fade with a half-life of four quarters, so money invested
# last year still counts as "coming back" when it is spent this year.
MEMORY_DECAY = 0.5 ** (1 / 4)
# A firm's failure threshold is measured against its best outside value of the last year.
REFERENCE_QUARTERS = 4
DEFAULT_SHOCK = -0.25  # sentiment hit for a firm that could not pay what it owed

Paid = TypeVar("Paid", float, Vector)  # one payment, or every firm's


@dataclass
class QuarterReport:
    """What happened in one quarter, for the quarter summary and the tests."""

    quarter: int
    # Money that came into and left the firms from outside since the last quarter ended, the
    # moves between quarters included: the firms' cash changed by exactly in - out.
    outside_in: float = 0.0
    outside_out: float = 0.0
    waves: list[list[int]] = field(default_factory=list)
    defaults: list[int] = field(default_factory=list)
    unpaid: list[Shortfall] = field(default_factory=list)  # who paid whom less, the defaults'
    broken: list[int] = field(default_factory=list)  # contracts cancelled by failures
    news: list[News] = field(default_factory=list)


def due_contracts(world: World) -> list[Contract]:
    """The contracts with a payment due this quarter."""
    quarter = world.quarter
    return [c for c in world.contracts if c.remaining > 0 and c.starts <= quarter]


def due_payments(world: World, due: list[Contract] | None = None) -> Matrix:
    """L[i, j]: what i owes j this quarter under its commitments (``due``: the contracts
    with a payment due, if already listed)."""
    n = world.n
    if due is None:
        due = due_contracts(world)
    if not due:
        return np.zeros((n, n))
    # bincount adds each cell's payments in list order, as a loop of += would
    cells = [c.buyer * n + c.seller for c in due]
    amounts = [c.per_quarter for c in due]
    return cast(Matrix, np.bincount(cells, amounts, minlength=n * n).reshape(n, n))


def _holdings(world: World) -> CrossHoldings:
    """inv(I - stakes) and the outside shares for the current stakes, reused while the stakes
    stay the same (``valuation.cross_holdings``)."""
    holdings = cross_holdings(world.stakes, world.holdings)
    world.holdings = holdings
    return holdings


def capacity_bought(world: World, paid: Paid) -> Paid:
    """The quarterly compute a payment for chips adds, for good: ``capacity_cost`` dollars of
    chips buy a dollar of compute a quarter."""
    return cast(Paid, paid / world.market["capacity_cost"])


def compute_bought(world: World, owed: Matrix) -> Vector:
    """Compute each lab receives this quarter from its cloud contracts."""
    return np.add.reduce(owed * world.sells_compute, axis=1)  # owed >= 0: the mask zeroes the rest


def outside_revenue(world: World, owed: Matrix) -> tuple[Vector, Vector, Vector]:
    """Revenue from outside customers, each lab's demand share, and each firm's compute."""
    compute = world.capacity + compute_bought(world, owed) * world.is_lab
    any_failed = np.count_nonzero(world.failed) > 0
    active_labs = world.is_lab & ~world.failed if any_failed else world.is_lab
    share = race.demand_shares(world.capability, active_labs, world.market["capability_sensitivity"])
    serving = (1.0 - world.training_share) * compute
    lab_revenue = race.served_revenue(world.market["demand"] * share, serving, world.market["serving_yield"])
    revenue = np.where(world.is_lab, lab_revenue, world.own_revenue)
    return (np.where(world.failed, 0.0, revenue) if any_failed else revenue), share, compute


def appraise(world: World, revenue: Vector, holdings: CrossHoldings | None = None) -> dict[str, Vector]:
    """Market and fundamental valuations given each firm's revenue this quarter.

    base = multiple x annualised revenue + cash - debt (fundamental), the business part
    scaled by exp(sentiment) for the market; cross-holdings by Elliott-Golub-Jackson. Both
    use one inverse of (I - C) (``valuation.cross_holdings``), the one the world keeps for
    its current stakes unless the caller passes ``holdings``.
    """
    stakes = world.stakes
    if holdings is None:
        holdings = _holdings(world)
    inverse = holdings.inverse
    business = world.multiple * 4.0 * revenue
    if np.count_nonzero(world.failed):
        business = np.where(world.failed, 0.0, business)
    balance = world.cash - world.debt
    if np.count_nonzero(world.failure_loss):
        balance -= world.failure_loss
    market_base = business * np.exp(world.sentiment) + balance
    valuation = limited_liability_values(stakes, market_base, inverse)
    return {
        "market_base": market_base,
        "valuation": valuation,
        "fundamental": limited_liability_values(stakes, business + balance, inverse),
        "outside": holdings.outside * valuation,
    }


def rented_compute(owed_to: Vector, capacity: Vector, sells_compute: Mask) -> Vector:
    """What a cloud pays to rent the compute it sold beyond its own capacity, at cost:
    ``max(0, sold - capacity)`` for each seller of compute (a simplification, docs/model.md
    section 1: the cloud keeps its promise and earns no margin on the overflow)."""
    sold = owed_to * sells_compute
    return cast(Vector, np.maximum(0.0, sold - capacity) * sells_compute)


def debt_repayment(cash: Vector, costs: Vector, debt: Vector) -> Vector:
    """Debt repaid from a comfortable cash pile: a quarter of the cash beyond a year of costs,
    ``min(debt, 0.25 x max(0, cash - 4 x costs))`` (this game's rule, docs/model.md section 1)."""
    surplus = np.maximum(0.0, cash - 4.0 * costs)
    return cast(Vector, np.minimum(debt, 0.25 * surplus))


def sentiment_shocks(noise: float, common: float, own: Vector) -> Vector:
    """Each firm's sentiment news this quarter: ``noise x (0.6 common + 0.8 own)``, one market-wide
    draw and one per firm, so firms move together as well as apart; 0.6² + 0.8² = 1 keeps the
    shock's spread at ``noise`` (this game's choice, docs/model.md section 5)."""
    return noise * (0.6 * common + 0.8 * own)


def run_quarter(world: World) -> QuarterReport:
    """Play out the current quarter and move the world to the next one."""
    market = world.market
    n = world.n
    ledger = world.ledger
    add = np.add.reduce
    report = QuarterReport(world.quarter)

    # 1. Cash flows: outside revenue, costs, interest; borrowing covers a shortfall.
    any_failed = np.count_nonzero(world.failed) > 0
    due_now = due_contracts(world)
    owed = due_payments(world, due_now)
    due = add(owed, axis=1)  # owed.sum(axis=1)
    owed_to = add(owed, axis=0)
    revenue, share, compute = outside_revenue(world, owed)
    costs = world.costs + rented_compute(owed_to, world.capacity, world.sells_compute)
    if any_failed:
        costs = np.where(world.failed, 0.0, costs)
    interest = world.debt * market["interest_rate"]
    resources = world.cash + revenue - costs - interest
    borrowed = 0.0
    if np.count_nonzero(resources < 0.0):
        shortfall = np.maximum(0.0, -resources)
        world.debt += shortfall
        resources += shortfall
        borrowed = float(shortfall.sum())
    ledger.add_in(float(add(revenue)) + borrowed)
    ledger.add_out(float(add(costs) + add(interest)))

    # 2. Eisenberg-Noe clearing of what firms owe each other.
    paid = clearing_vector(owed, resources, due, owed_to)
    if paid is due or not np.count_nonzero(paid != due):  # all paid in full: every fraction is 1
        fractions = [1.0] * n
        payments, received = owed, owed_to
    else:
        paid_fraction = np.divide(paid, due, out=np.ones(n), where=due > 0)
        payments = owed * paid_fraction[:, np.newaxis]
        received = add(payments, axis=0)
        report.defaults = (paid_fraction < 1.0 - 1e-9).nonzero()[0].tolist()
        report.unpaid = [Shortfall(world.quarter, *cell) for cell in shortfalls(owed, payments)]
        world.shortfalls += report.unpaid
        fractions = paid_fraction.tolist()
    world.cash = resources - paid + received
    _settle_contracts(world, fractions, due_now)
    sells_chips = world.sells_chips
    if any(sells_chips[c.seller] for c in due_now):  # otherwise nothing was paid for chips
        chip_paid = add(payments * world.sells_chips, axis=1)  # paid to chipmakers
        world.capacity += capacity_bought(world, chip_paid)

    # 3. Repay debt from comfortable cash piles (a quarter of the surplus over a year of costs).
    if np.count_nonzero(world.debt):
        repay = debt_repayment(world.cash, world.costs, world.debt)
        if any_failed:
            repay *= ~world.failed
        world.cash -= repay
        world.debt -= repay
        ledger.add_out(float(add(repay)))

    total_revenue = revenue + received
    world.flows += payments
    world.inflow_outside += revenue
    world.received = world.received + received + revenue

    # 4. Capability race and demand.
    rng = world.rng
    training = world.training_share * compute * world.is_lab
    if any_failed:
        training *= ~world.failed
    luck = rng.standard_normal(n)
    world.capability += race.capability_gain(
        training, market["training_efficiency"], market["training_scale"], market["capability_luck"], luck
    )
    np.minimum(world.capability, CAPABILITY_CEILING, out=world.capability)
    served = float(market["demand"])  # this quarter's demand, the one the labs shared
    demand_shock = float(rng.standard_normal())
    demand = race.next_demand(
        market["demand"], market["demand_growth"], market["demand_volatility"], demand_shock
    )
    world.market["demand"] = min(AMOUNT_CEILING, demand)

    # 5. Sentiment (Brock-Hommes), nudged by news: the capability leader and defaults.
    common = float(rng.standard_normal())  # drawn before each firm's own, as always
    shocks = sentiment_shocks(market["sentiment_noise"], common, rng.standard_normal(n))
    leader = race.leader(world.capability, world.is_lab & ~world.failed if any_failed else world.is_lab)
    if leader is not None:
        shocks[leader] += market["lead_boost"]
    if report.defaults:
        shocks[report.defaults] += DEFAULT_SHOCK
    _update_sentiment(world, shocks)

    # 6. Valuation and the failure cascade (Elliott-Golub-Jackson), all from one inverse.
    holdings = _holdings(world)
    values = appraise(world, total_revenue, holdings)
    world.recent_outside[world.turn % REFERENCE_QUARTERS] = values["outside"]
    reference = np.fmax.reduce(world.recent_outside, axis=0)  # nanmax without its overhead
    threshold = failure_bar(reference, market["failure_threshold"])
    failure_cost = market["failure_cost"] * threshold
    if any_failed:
        failure_cost = np.where(world.failed, 0.0, failure_cost)
    business_and_balance = values["market_base"] + world.failure_loss
    failed, waves = failure_cascade(
        world.stakes,
        business_and_balance,
        threshold,
        failure_cost + world.failure_loss,
        world.failed,
        dependency=holdings.dependency,
    )
    report.waves = waves
    if waves:
        newly = np.flatnonzero(failed & ~world.failed)
        world.failure_loss[newly] = failure_cost[newly]
        world.failed = failed
        report.broken = _break_contracts(world)
        _withdraw_offers(world)
        values = appraise(world, total_revenue, holdings)
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
    _record_metrics(world, values, total_revenue, payments, share, served)

    # 8. Next quarter.
    np.minimum(world.own_revenue * (1.0 + world.revenue_growth), AMOUNT_CEILING, out=world.own_revenue)
    np.minimum(world.costs * (1.0 + world.cost_growth), AMOUNT_CEILING, out=world.costs)
    world.invested *= MEMORY_DECAY
    world.received *= MEMORY_DECAY
    world.flows = np.zeros((n, n))
    world.inflow_outside = np.zeros(n)
    report.outside_in, report.outside_out = ledger.outside_in, ledger.outside_out
    ledger.outside_in = ledger.outside_out = 0.0
    world.quarter += 1
    world.turn += 1
    return report


def _settle_contracts(world: World, paid_fraction: list[float], due: list[Contract]) -> None:
    for c in due:
        fraction = paid_fraction[c.buyer]
        c.paid += c.per_quarter * fraction
        c.unpaid += c.per_quarter * (1.0 - fraction)
        c.remaining -= 1
    world.contracts = [c for c in world.contracts if c.remaining > 0]


def _withdraw_offers(world: World) -> None:
    """A failed firm's open offers, made or received, are withdrawn: nobody can sign them."""
    for offer in world.offers:
        if offer.status == "open" and (world.failed[offer.proposer] or world.failed[offer.receiver]):
            offer.status = "withdrawn"
            failed = offer.proposer if world.failed[offer.proposer] else offer.receiver
            offer.reason = f"{world.names[failed]} has failed"


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
    f1 = fundamentalist_forecast(x1, params.reversion)
    f2 = trend_forecast(x1, x2, params.trend)
    x = sentiment_step(x1, x2, n1, n2, params, shocks, forecasts=(f1, f2))
    if np.count_nonzero(world.failed):
        x = np.where(world.failed, x1, x)
    # Both rules at once: row 0 the fundamentalists, row 1 the trend followers.
    profits = forecast_profit(x, x1, np.array((f1, f2)), params.gross_return)
    fitness = np.array((world.profit_fundamentalist, world.profit_trend))
    world.profit_fundamentalist, world.profit_trend = accumulated_fitness(fitness, profits, params.memory)
    world.sentiment_before, world.sentiment = x1, x


def receivables(world: World) -> Matrix:
    """R[i, j]: what j still owes i under its contracts over the next year (at most four
    quarterly payments), the receivable part of i's exposure to j."""
    n = world.n
    contracts = world.contracts
    if not contracts:
        return np.zeros((n, n))
    # bincount adds each cell's amounts in list order, as a loop of += would
    cells = [c.seller * n + c.buyer for c in contracts]
    amounts = [c.per_quarter * min(c.remaining, 4) for c in contracts]
    return cast(Matrix, np.bincount(cells, amounts, minlength=n * n).reshape(n, n))


def _price_metrics(world: World, valuation: Vector, fundamental: Vector) -> dict[str, Any]:
    """The metrics that follow from the valuations alone: share price, bubble index, how much
    of each firm's value sits in stakes (exposure), the totals and the system bubble."""
    n = world.n
    add = np.add.reduce
    held = world.stakes @ np.maximum(valuation, 0.0)
    total_valuation = float(add(valuation))
    return {
        "valuation": valuation,
        "share_price": valuation / world.shares,
        "fundamental": fundamental,
        "bubble": bubble_index(valuation, fundamental),
        "exposure": np.divide(held, valuation, out=np.zeros(n), where=valuation > 0),
        "total_valuation": total_valuation,
        "system_bubble": float(bubble_index(total_valuation, float(add(fundamental)))),
    }


def failure_lines(world: World) -> Vector:
    """Each firm's failure line now (``valuation.failure_line``): the valuation below which it
    fails when the quarter ends, all else equal. Worked out when a screen asks, not every
    quarter: the engine's own test of failure is the cascade in ``run_quarter``."""
    # the best outside value of the rows of recent_outside that the quarter keeps (it
    # overwrites row turn % REFERENCE_QUARTERS with its own value)
    kept = np.delete(world.recent_outside, world.turn % REFERENCE_QUARTERS, axis=0)
    best = cast(Vector, np.fmax.reduce(kept, axis=0))
    return failure_line(best, world.market["failure_threshold"], _holdings(world).outside)


def _record_metrics(
    world: World,
    values: dict[str, Vector],
    revenue: Vector,
    payments: Matrix,
    share: Vector,
    demand: float,
    inflow: Vector | None = None,
) -> None:
    """The quarter's metrics, and its row of history. ``demand`` is the end-customer demand the
    labs' ``share`` is of (the quarter's, not the next one's, already grown by then).
    ``inflow``: all the money each firm has received, as the round trip counts it (by default
    ``world.received``, which a played quarter has brought up to date)."""
    n = world.n
    valuation = values["valuation"]
    metrics = _price_metrics(world, valuation, values["fundamental"])
    cycling, system_cycling = finn_cycling_index(world.flows, world.inflow_outside)
    positive = np.maximum(valuation, 0.0)
    exposure_to = world.stakes * positive + receivables(world)  # stakes[i, j] * value of j
    impact = impact_matrix(exposure_to, np.maximum(valuation, 1e-9))
    total_positive = float(np.add.reduce(positive))
    weights = positive / total_positive if total_positive > 0 else np.full(n, 1.0 / n)
    metrics["cash"] = world.cash.copy()
    metrics["debt"] = world.debt.copy()
    metrics["revenue"] = revenue
    metrics["capability"] = world.capability.copy()
    inflow = world.received if inflow is None else inflow
    metrics["round_trip"] = round_trip_share(payments, world.invested, inflow, revenue)
    metrics["cycling"] = cycling
    metrics["debtrank"] = debtrank_all(impact, weights)
    metrics["market_share"] = share
    metrics["system_cycling"] = system_cycling
    metrics["demand"] = demand
    metrics["failures"] = float(np.count_nonzero(world.failed))
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
    total_revenue = revenue + owed.sum(axis=0)
    values = appraise(world, total_revenue)
    world.recent_outside[:] = values["outside"]
    world.start_valuation = values["valuation"].copy()
    world.start_share_price = values["valuation"] / world.shares
    saved_turn = world.turn
    world.turn = -1  # the opening row of history
    # the opening quarter's revenue counts among the money received, as in a played quarter:
    # without it the investments alone were the inflow, and the round trip read 48%, then 4%
    inflow = world.received + total_revenue
    _record_metrics(world, values, total_revenue, owed, share, float(world.market["demand"]), inflow)
    world.turn = saved_turn


def revalue(world: World) -> None:
    """Refresh valuations after a move during the quarter (a bet, a deal, a sale).

    Cash and stakes changed, so the market price changes at once; revenue, sentiment and
    failures stay as the last quarter left them until the quarter is played.
    """
    values = appraise(world, world.metrics["revenue"])
    world.metrics.update(_price_metrics(world, values["valuation"], values["fundamental"]))
