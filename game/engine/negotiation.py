"""How a computer-run firm judges a compute-for-equity offer.

Each side scores the deal in money, divided by the cash at stake so that big and small
deals compare; positive means the deal is worth more than it costs. The terms are:

Lab: ``cash + need * cash - stake * V * dilution_aversion
       + compute_hunger * gap * compute - compute_burden``
Investor: ``stake * V - cash + margin * compute + rivalry * rival_bonus * cash
       - (1 - risk) * concentration * cash``

where V is the lab's market valuation, ``need`` grows as the lab's cash runway shrinks,
``gap`` is how short the lab is of compute for its demand, and ``margin`` is the share of
the lab's compute payments that the investor keeps as profit: the circular incentive, since
part of the investor's cash comes back as its own revenue. A score within ``COUNTER_BAND``
below zero earns a counter-offer that moves the stake halfway to where the deal scores zero.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from game.engine.state import Offer, World

COMPUTE_MARGIN = 0.35  # share of compute revenue a cloud keeps as gross profit
COUNTER_BAND = 0.25
RUNWAY_COMFORT = 6.0  # quarters of spending a lab likes to hold in cash


@dataclass(frozen=True)
class Verdict:
    decision: str  # accept, reject, counter
    score: float
    stake: float  # the stake a counter-offer asks for
    reason: str


def runway(world: World, firm: int) -> float:
    """Quarters of spending the firm's cash covers (compute payments included)."""
    spending = world.costs[firm] + sum(c.per_quarter for c in world.contracts if c.buyer == firm)
    return float(world.cash[firm] / spending) if spending > 0 else 99.0


def cash_need(world: World, lab: int) -> float:
    """0 for a lab with a comfortable runway, up to 1 for a lab about to run dry."""
    return _unit(1.0 - runway(world, lab) / RUNWAY_COMFORT)


def compute_gap(world: World, lab: int) -> float:
    """How short the lab is of serving compute for its demand share (0 = enough, 1 = none)."""
    share = world.metrics.get("market_share")
    if share is None:
        return 0.5
    wanted = world.market["demand"] * float(share[lab]) / world.market["serving_yield"]
    have = world.capacity[lab] + sum(
        c.per_quarter for c in world.contracts if c.buyer == lab and c.kind == "compute"
    ) * (1.0 - world.training_share[lab])
    return _unit(1.0 - have / wanted) if wanted > 0 else 0.0


def lab_score(world: World, offer: Offer, stake: float) -> float:
    traits = world.traits[offer.lab]
    value = max(float(world.metrics["valuation"][offer.lab]), 1.0)
    cash = offer.cash
    burden = 0.5 * offer.compute_total * (1.0 - cash_need(world, offer.lab))
    gain = (
        cash * (1.0 + cash_need(world, offer.lab))
        - stake * value * traits["dilution_aversion"]
        + traits["compute_hunger"] * compute_gap(world, offer.lab) * offer.compute_total
        - burden
        - (0.1 * cash if offer.exclusive else 0.0)
    )
    return gain / cash


def investor_score(world: World, offer: Offer, stake: float) -> float:
    traits = world.traits[offer.investor]
    value = max(float(world.metrics["valuation"][offer.lab]), 0.0)
    margin = (
        COMPUTE_MARGIN if (world.sells_compute[offer.investor] or world.sells_chips[offer.investor]) else 0.0
    )
    cash = offer.cash
    concentration = cash / max(float(world.cash[offer.investor]), cash)
    gain = (
        stake * value
        - cash
        + margin * offer.compute_total
        + traits["rivalry"] * rival_bonus(world, offer.investor, offer.lab) * cash
        - (1.0 - traits["risk"]) * concentration * cash
        + offer.option_amount * 0.05
        + (0.05 * cash if offer.exclusive else 0.0)
    )
    return gain / cash


def rival_bonus(world: World, investor: int, lab: int) -> float:
    """Reward for backing a lab that no rival of the same kind already backs heavily:
    a hyperscaler whose rival has its chips on red bets on black."""
    return float(rival_bonuses(world, investor, np.array([lab]))[0])


def rival_bonuses(world: World, investor: int, labs: np.ndarray) -> np.ndarray:
    """``rival_bonus`` for many labs at once: +0.1 where the investor holds at least as much
    as any rival of its kind, -0.1 where a rival holds more, +0.05 where no rival holds any."""
    rivals = world.kind_codes == world.kind_codes[investor]
    rivals[investor] = False
    if not rivals.any():
        return np.zeros(len(labs))
    rival_hold = world.stakes[np.ix_(rivals, labs)].max(axis=0)
    own_hold = world.stakes[investor, labs]
    return np.where(rival_hold > 0, np.where(own_hold >= rival_hold, 0.1, -0.1), 0.05)


def judge(world: World, offer: Offer) -> Verdict:
    """The receiver's answer to an offer."""
    receiver_is_lab = offer.receiver == offer.lab
    score_of = lab_score if receiver_is_lab else investor_score
    score = score_of(world, offer, offer.stake)
    if score >= 0:
        return Verdict("accept", score, offer.stake, "the terms work for us")
    fair = _fair_stake(world, offer, score_of)
    if score < -COUNTER_BAND or fair is None:
        return Verdict("reject", score, offer.stake, _rejection_reason(receiver_is_lab))
    proposal = (offer.stake + fair) / 2 if offer.round > 1 else fair
    proposal = min(max(proposal, 0.001), 0.49)
    return Verdict("counter", score, proposal, "close, but the stake needs to move")


def _fair_stake(world: World, offer: Offer, score_of: object) -> float | None:
    """The stake at which the receiver's score is zero (scores are linear in the stake)."""
    s0, s1 = 0.0, 0.5
    f0 = score_of(world, offer, s0)  # type: ignore[operator]
    f1 = score_of(world, offer, s1)  # type: ignore[operator]
    if f1 == f0:
        return None
    root = s0 - f0 * (s1 - s0) / (f1 - f0)
    return root if 0.0 < root < 0.5 else None


def _unit(x: float) -> float:
    """Clip to [0, 1] (plain floats: numpy's clip costs microseconds on a scalar)."""
    return min(max(float(x), 0.0), 1.0)


def _rejection_reason(receiver_is_lab: bool) -> str:
    if receiver_is_lab:
        return "we would give away too much of the company for that money"
    return "the stake is not worth the cash, even counting the compute it buys"
