"""How a computer-run firm judges a compute-for-equity offer.

Each side scores the deal in money, divided by the cash at stake so that big and small
deals compare; positive means the deal is worth more than it costs. The terms are:

Lab: ``cash + need * cash - stake * V * dilution_aversion
       + compute_hunger * gap * compute - compute_burden
       - option_worth * dilution_aversion - 0.1 * cash (if exclusive)``
Investor: ``stake * V - cash + margin * payable_compute + rivalry * rival_bonus * cash
       - (1 - risk) * concentration * cash + option_worth + 0.05 * cash (if exclusive)``

where V is the lab's market valuation, ``need`` grows as the lab's cash runway shrinks,
``gap`` is how short the lab is of compute for its demand, and ``margin`` is the share of
the lab's compute payments that the investor keeps as profit: the circular incentive, since
part of the investor's cash comes back as its own revenue. The investor counts that margin
only on the compute the lab can pay for (``payable_compute``), and both sides price the
option to invest more later at a fixed price as calls on the lab (``option_worth``), so a
promise the lab cannot keep or a large option does not buy a stake for nothing. A score
within ``COUNTER_BAND`` below zero earns a counter-offer: at the stake where the deal scores
zero in the first round, and halfway from the offer to it in later rounds.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from game.engine.rules import OPTION_QUARTERS, outside_price
from game.engine.state import Contract, Offer, World, deal_price

COMPUTE_MARGIN = 0.35  # share of compute revenue a cloud keeps as gross profit
# How much a lab's value may move in a year, for pricing options (a young listed tech firm's
# volatility is of this order), over the quarters an option runs.
LAB_VOLATILITY = 0.5
OPTION_YEARS = OPTION_QUARTERS / 4
PAYABLE_QUARTERS = 4  # an investor counts on the compute a lab can pay from cash and a year of revenue
COUNTER_BAND = 0.25
RUNWAY_COMFORT = 6.0  # quarters of spending a lab likes to hold in cash


@dataclass(frozen=True)
class Verdict:
    decision: str  # accept, reject, counter
    score: float
    stake: float  # the stake a counter-offer asks for
    reason: str


class Commitments:
    """Each firm's quarterly contract payments, summed once and then kept up to date.

    ``buying[i]`` is what firm i pays per quarter under all its contracts,
    ``buying_compute[i]`` the compute part of it, and ``selling_compute[i]`` the compute
    firm i has sold per quarter. The sums run over ``world.contracts`` in list order, as
    ``sum(...)`` over the list does, so they are the same numbers bit for bit. Contracts
    appended since the last look are folded in; a list that was replaced or shortened is
    summed again. Bots use one for a whole round of turns instead of scanning every
    contract for every question.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        self._contracts: list[Contract] | None = None
        self._seen = 0
        self.buying: list[float] = []
        self.buying_compute: list[float] = []
        self.selling_compute: list[float] = []

    def sync(self) -> Commitments:
        contracts = self.world.contracts
        if contracts is not self._contracts or len(contracts) < self._seen:
            n = self.world.n
            self.buying, self.buying_compute, self.selling_compute = [0.0] * n, [0.0] * n, [0.0] * n
            self._contracts, self._seen = contracts, 0
        if len(contracts) > self._seen:
            for c in contracts[self._seen :]:
                self.buying[c.buyer] += c.per_quarter
                if c.kind == "compute":
                    self.buying_compute[c.buyer] += c.per_quarter
                    self.selling_compute[c.seller] += c.per_quarter
            self._seen = len(contracts)
        return self


def runway(world: World, firm: int, commitments: Commitments | None = None) -> float:
    """Quarters of spending the firm's cash covers (compute payments included)."""
    if commitments is None:
        paying = sum(c.per_quarter for c in world.contracts if c.buyer == firm)
    else:
        paying = commitments.sync().buying[firm]
    spending = world.costs[firm] + paying
    return float(world.cash[firm] / spending) if spending > 0 else 99.0


def cash_need(world: World, lab: int, commitments: Commitments | None = None) -> float:
    """0 for a lab with a comfortable runway, up to 1 for a lab about to run dry."""
    return _unit(1.0 - runway(world, lab, commitments) / RUNWAY_COMFORT)


def compute_gap(world: World, lab: int, commitments: Commitments | None = None) -> float:
    """How short the lab is of serving compute for its demand share (0 = enough, 1 = none)."""
    share = world.metrics.get("market_share")
    if share is None:
        return 0.5
    wanted = world.market["demand"] * float(share[lab]) / world.market["serving_yield"]
    if commitments is None:
        bought = sum(c.per_quarter for c in world.contracts if c.buyer == lab and c.kind == "compute")
    else:
        bought = commitments.sync().buying_compute[lab]
    have = world.capacity[lab] + bought * (1.0 - world.training_share[lab])
    return _unit(1.0 - have / wanted) if wanted > 0 else 0.0


class _Terms(NamedTuple):
    """One side's view of an offer, in money; its score is linear in the stake."""

    gain: float
    per_stake: float  # money per unit of stake: what the lab gives up, what the investor gets
    costs: dict[str, float]  # by name, for the reason of a refusal


def lab_score(world: World, offer: Offer, commitments: Commitments | None = None) -> Callable[[float], float]:
    """The lab's score of an offer, in money per dollar of cash, as a function of the stake
    alone (the other terms are worked out once): at zero or above, the lab would sign."""
    gain, dilution, costs = _lab_terms(world, offer, commitments)
    cost = sum(costs.values())
    cash = offer.cash

    def score(stake: float) -> float:
        return (gain - stake * dilution - cost) / cash

    return score


def _lab_terms(world: World, offer: Offer, commitments: Commitments | None) -> _Terms:
    """The lab's side of an offer, in money: what the cash is worth to it (more when short),
    the cost of each point of stake it gives (its valuation times its dilution aversion), and
    the other costs by name: the commitment's burden less the compute it needs, exclusivity,
    and the option it grants."""
    traits = world.traits[offer.lab]
    value = max(float(world.metrics["valuation"][offer.lab]), 1.0)
    cash = offer.cash
    need = cash_need(world, offer.lab, commitments)
    burden = 0.5 * offer.compute_total * (1.0 - need)
    hunger = traits["compute_hunger"] * compute_gap(world, offer.lab, commitments)
    costs = {
        "compute": burden - hunger * offer.compute_total,
        "exclusive": 0.1 * cash if offer.exclusive else 0.0,
        "option": option_worth(world, offer) * traits["dilution_aversion"],
    }
    return _Terms(cash * (1.0 + need), value * traits["dilution_aversion"], costs)


def investor_score(world: World, offer: Offer) -> Callable[[float], float]:
    """The investor's score of an offer, in money per dollar of cash, as a function of the
    stake alone (the other terms are worked out once): at zero or above, it would sign."""
    gain, value, costs = _investor_terms(world, offer)
    cost = sum(costs.values())
    cash = offer.cash

    def score(stake: float) -> float:
        return (stake * value + gain - cost) / cash

    return score


def _investor_terms(world: World, offer: Offer) -> _Terms:
    """The investor's side of an offer, in money: what it gains besides the stake (its margin
    on the compute the lab can pay for, rivalry, the option, exclusivity), the lab's value
    (what each point of stake is worth), and its costs by name: the cash, and caution about
    putting much of its cash in one lab."""
    traits = world.traits[offer.investor]
    sells = world.sells_compute[offer.investor] or world.sells_chips[offer.investor]
    cash = offer.cash
    concentration = cash / max(float(world.cash[offer.investor]), cash)
    gain = (
        (COMPUTE_MARGIN * payable_compute(world, offer) if sells else 0.0)
        + traits["rivalry"] * rival_bonus(world, offer.investor, offer.lab) * cash
        + option_worth(world, offer)
        + (0.05 * cash if offer.exclusive else 0.0)
    )
    costs = {"cash": cash, "concentration": (1.0 - traits["risk"]) * concentration * cash}
    return _Terms(gain, max(float(world.metrics["valuation"][offer.lab]), 0.0), costs)


def call_value(spot: float, strike: float, volatility: float, years: float) -> float:
    """Black-Scholes value of a European call with no interest rate:
    ``C = S N(d1) - K N(d2)``, ``d1 = (ln(S / K) + s^2 / 2) / s``, ``d2 = d1 - s``,
    ``s = volatility * sqrt(years)`` (Black & Scholes 1973, J. Political Economy 81(3):637-654).
    At the money it is about ``0.4 * s * S`` (Brenner & Subrahmanyam 1988)."""
    if spot <= 0.0:
        return 0.0
    if strike <= 0.0:
        return spot
    s = volatility * math.sqrt(years)
    d1 = (math.log(spot / strike) + s * s / 2.0) / s
    return max(spot * _normal_cdf(d1) - strike * _normal_cdf(d1 - s), 0.0)  # no rounding below 0


def _normal_cdf(x: float) -> float:
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def option_worth(world: World, offer: Offer) -> float:
    """What the offer's option is worth today: the right to invest an amount ``A`` within a
    year at the deal's price ``K`` (pre-money) in a lab the market values at ``V``. Investing
    A at K buys ``A / (K + A)`` of the lab, which gains ``A / (K + A) * (V - K)`` when V is
    above K: the option is ``A / (K + A)`` calls struck at K,
    ``A / (K + A) * call_value(V, K)``. At the market price that is about a fifth of a small
    amount; far above it, almost nothing; far below it, about its discount.

    A counts at most the cash the investor has left once the deal's cash is paid: an option
    it could not pay for today is worth no more to it than that much of one (an option
    priced at half a lab, offered to a firm with a tenth of that in cash, bought deals before)."""
    usable = min(offer.option_amount, float(world.cash[offer.investor]) - offer.cash)
    if usable <= 0:
        return 0.0
    market = max(float(world.metrics["valuation"][offer.lab]), 0.0)
    price = deal_price(offer.cash, offer.stake)
    return usable / (price + usable) * call_value(market, price, LAB_VOLATILITY, OPTION_YEARS)


def payable_compute(world: World, offer: Offer) -> float:
    """The part of the offer's compute commitment the lab can pay: at most its cash after the
    deal plus ``PAYABLE_QUARTERS`` quarters of its current revenue, less what it already owes
    in those quarters. A promise beyond that is worth nothing to the seller, since a lab that
    runs dry stops paying (Eisenberg-Noe)."""
    lab = offer.lab
    revenue = max(float(world.metrics["revenue"][lab]), 0.0)
    owed = sum(c.per_quarter * min(c.remaining, PAYABLE_QUARTERS) for c in world.contracts if c.buyer == lab)
    means = float(world.cash[lab]) + offer.cash + PAYABLE_QUARTERS * revenue - owed
    return min(offer.compute_total, max(means, 0.0))


def rival_bonus(world: World, investor: int, lab: int) -> float:
    """Reward for backing a lab that no rival of the same kind already backs heavily:
    a hyperscaler whose rival has its chips on red bets on black (``rival_bonuses`` for one lab)."""
    rivals = world.rivals[investor]
    if not rivals.size:
        return 0.0
    rival_hold = float(np.maximum.reduce(world.stakes[rivals, lab]))
    if rival_hold > 0:
        return 0.1 if float(world.stakes[investor, lab]) >= rival_hold else -0.1
    return 0.05


def rival_bonuses(
    world: World,
    investor: int,
    labs: np.ndarray,
    rivals: np.ndarray | None = None,
    own_hold: np.ndarray | None = None,
) -> np.ndarray:
    """``rival_bonus`` for many labs at once: +0.1 where the investor holds at least as much
    as any rival of its kind, -0.1 where a rival holds more, +0.05 where no rival holds any.
    ``rivals`` (the indices of the firms of the investor's kind but itself; by default
    ``world.rivals[investor]``) and ``own_hold`` (its stakes in ``labs``) may be passed."""
    if rivals is None:
        rivals = world.rivals[investor]
    if not rivals.size:
        return np.zeros(len(labs))
    rival_hold = np.maximum.reduce(world.stakes[rivals][:, labs], axis=0)
    if own_hold is None:
        own_hold = world.stakes[investor, labs]
    return np.where(rival_hold > 0, np.where(own_hold >= rival_hold, 0.1, -0.1), 0.05)


def judge(world: World, offer: Offer, commitments: Commitments | None = None) -> Verdict:
    """The receiver's answer to an offer (``commitments``: a bot round's running sums)."""
    receiver_is_lab = offer.receiver == offer.lab
    score_of = lab_score(world, offer, commitments) if receiver_is_lab else investor_score(world, offer)
    score = score_of(offer.stake)
    most = cheapest_stake(world, offer) if receiver_is_lab else 1.0
    if offer.stake > most:  # below the price outside investors pay: refused, whatever the score
        if offer.stake > 2.0 * most:
            return Verdict("reject", score, offer.stake, BELOW_MARKET)
        return Verdict("counter", score, most, BELOW_MARKET)
    if score >= 0:
        return Verdict("accept", score, offer.stake, "the terms work for us")
    fair = _fair_stake(score_of)
    if score < -COUNTER_BAND or fair is None:
        return Verdict("reject", score, offer.stake, objection(world, offer, commitments))
    proposal = (offer.stake + fair) / 2 if offer.round > 1 else fair
    proposal = min(max(proposal, 0.001), 0.49)
    return Verdict("counter", score, proposal, "close, but the stake needs to move")


BELOW_MARKET = "that prices our shares below what outside investors pay"


def cheapest_stake(world: World, offer: Offer) -> float:
    """The largest stake a lab sells for the offer's cash: at a price (pre-money) no lower
    than outside investors pay, its valuation less the market's ``sale_discount``,
    ``stake <= cash / (cash + V (1 - d))``. A lab that sold cheaper handed the buyer a profit
    it could take at once by selling the stake back at that price: 45% of OpenAI for 20 bn
    sold for 30 bn the same quarter."""
    price = outside_price(world, offer.lab)
    return offer.cash / (offer.cash + price) if price > 0 else 1.0


def _fair_stake(score_of: Callable[[float], float]) -> float | None:
    """The stake at which the receiver's score is zero (scores are linear in the stake)."""
    s0, s1 = 0.0, 0.5
    f0 = score_of(s0)
    f1 = score_of(s1)
    if f1 == f0:
        return None
    root = s0 - f0 * (s1 - s0) / (f1 - f0)
    return root if 0.0 < root < 0.5 else None


def _unit(x: float) -> float:
    """Clip to [0, 1] (plain floats: numpy's clip costs microseconds on a scalar)."""
    return min(max(float(x), 0.0), 1.0)


def objection(world: World, offer: Offer, commitments: Commitments | None = None) -> str:
    """Why the receiver turns the offer down: the largest cost in its score, in words."""
    if offer.receiver == offer.lab:
        _, dilution, costs = _lab_terms(world, offer, commitments)
        costs["stake"] = offer.stake * dilution
        return LAB_OBJECTIONS[max(costs, key=costs.__getitem__)]
    _, value, costs = _investor_terms(world, offer)
    overpaid = costs["cash"] - offer.stake * value  # the cash beyond what the stake is worth
    return INVESTOR_OBJECTIONS["cash" if overpaid >= costs["concentration"] else "concentration"]


LAB_OBJECTIONS = {
    "stake": "we would give away too much of the company for that money",
    "compute": "we cannot use or pay for that much compute",
    "exclusive": "exclusivity is worth more to us than that",
    "option": "the option gives away too much of our upside",
}
INVESTOR_OBJECTIONS = {
    "cash": "the stake is not worth the cash, even counting the compute it buys",
    "concentration": "that is too much of our cash in one lab",
}
