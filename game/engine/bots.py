"""Computer-run firms: each quarter every firm nobody plays decides what to do.

A bot follows its personality (scenario ``personality``): ``appetite`` is how often and how
much of its spare cash it puts to work, ``risk`` how far it lets commitments outrun cash,
``rivalry`` how much a rival's bet pushes it to the other colour. Labs short of cash look
for a compute-for-equity deal and otherwise raise from outside investors; clouds and
chipmakers back labs and buy capacity when their commitments outgrow it. All randomness
comes from the world's generator, in firm order, so a game replays exactly.
"""

from __future__ import annotations

import contextlib
from functools import cached_property

import numpy as np

from game.engine import negotiation
from game.engine.actions import BuyChips, ExerciseOption, ProposeDeal
from game.engine.rules import (
    MAX_ROUNDS,
    Refused,
    buy_chips,
    check_deal,
    execute_deal,
    exercise_option,
    outside_price,
    raise_limit,
    store_offer,
    transfer_equity,
)
from game.engine.state import Offer, OptionRight, World, deal_price, shares_bought
from game.money import format_money, format_stake

DEAL_QUARTERS = 8
SPEND_BACK = (0.6, 1.2)  # compute bought back per dollar invested, drawn uniformly
# An offer for less than this share of the target is too small to matter to it: a player was
# offered $39.7 m for 0.015% of OpenAI, and the bot makes none (docs/model.md, section 7)
MIN_OFFER_STAKE = 0.005
STALE_GAP = 1.2  # a bot's open offer priced this far from the market is withdrawn


class _Round:
    """What stays fixed while the bots take their turns in one quarter, worked out once
    (and, for what only some turns need, only when first asked for).

    Bots move money, stakes and contracts, but no firm fails, no capability changes and no
    metric is recomputed until the quarter is played, so these do not change in a round.
    ``commitments`` follows the contracts the bots sign as they go.
    """

    def __init__(self, world: World) -> None:
        self.world = world
        failed = world.failed
        self.failed: list[bool] = failed.tolist()
        self.active_labs = world.is_lab & ~failed
        self.top = float(np.maximum.reduce(np.where(self.active_labs, world.capability, 0.0)))
        self.commitments = negotiation.Commitments(world)

    @cached_property
    def labs(self) -> np.ndarray:
        return self.active_labs.nonzero()[0]

    @cached_property
    def investors(self) -> np.ndarray:
        """Mask of the active firms that can back a lab."""
        return ~(self.world.is_lab | self.world.failed)

    @cached_property
    def chipmakers(self) -> list[int]:
        world = self.world
        chipmakers: list[int] = (world.sells_chips & ~world.failed).nonzero()[0].tolist()
        return chipmakers

    @cached_property
    def appeal(self) -> np.ndarray:
        """Each active lab's momentum and demand share, before rivalry and holdings."""
        metrics = self.world.metrics
        momentum = np.minimum(np.maximum(metrics["valuation_change"][self.labs], -1.0), 1.0)
        appeal: np.ndarray = momentum + metrics["market_share"][self.labs]
        return appeal


def run_bots(world: World) -> None:
    """Let every active computer-run firm act once, in a fixed order."""
    bots = _Round(world)
    humans = world.humans
    is_lab = world.is_lab.tolist()
    sells_compute = world.sells_compute.tolist()
    options: list[OptionRight] | None = None  # the option holders, worked out again only when
    counted = 0  # the list of options was replaced or has grown since
    holders: set[int] = set()
    for firm in range(world.n):
        if firm in humans or bots.failed[firm]:
            continue
        if is_lab[firm]:
            _lab_turn(world, firm, bots)
        else:
            _investor_turn(world, firm, bots)
            if sells_compute[firm]:
                _expand_capacity(world, firm, bots)
        if world.options:
            if world.options is not options or len(world.options) != counted:
                options, counted = world.options, len(world.options)
                holders = {o.holder for o in options}
            if firm in holders:
                _use_options(world, firm)


def negotiate(world: World, offer: Offer, commitments: negotiation.Commitments | None = None) -> str:
    """A bot receiver answers an offer at once: accept, reject, or counter (stored)."""
    verdict = negotiation.judge(world, offer, commitments)
    if verdict.decision == "accept":
        try:
            return execute_deal(world, offer)
        except Refused as err:
            offer.status, offer.reason = "rejected", str(err)
            return f"The deal fell through: {err}."
    if verdict.decision == "reject" or offer.round >= MAX_ROUNDS:
        offer.status, offer.reason = "rejected", verdict.reason
        return f"{world.names[offer.receiver]} says no: {verdict.reason}."
    counter = Offer(
        id=0,
        proposer=offer.receiver,
        receiver=offer.proposer,
        investor=offer.investor,
        lab=offer.lab,
        cash=offer.cash,
        stake=verdict.stake,
        compute_total=offer.compute_total,
        compute_quarters=offer.compute_quarters,
        option_amount=min(offer.option_amount, deal_price(offer.cash, verdict.stake)),
        exclusive=offer.exclusive,
        round=offer.round + 1,
        quarter=world.quarter,
        reply_to=offer.id,
    )
    store_offer(world, counter)
    # no offer number: ids count every firm's offers, so they mean nothing to the player
    return f"{world.names[offer.receiver]} counters with a stake of {format_stake(verdict.stake)}."


def _propose(
    world: World, proposer: int, receiver: int, cash: float, stake: float, compute: float, bots: _Round
) -> bool:
    """Make an offer; a bot receiver answers now, a human finds it in the deal room."""
    action = ProposeDeal(world.ids[proposer], world.ids[receiver], cash, stake, compute, DEAL_QUARTERS)
    try:
        offer = store_offer(world, check_deal(world, action))
    except Refused:
        return False
    if receiver in world.humans:
        return True
    negotiate(world, offer, bots.commitments)
    if offer.status == "countered":  # the bot proposer takes a counter it can live with
        counter = world.offers[-1]
        if negotiation.judge(world, counter, bots.commitments).decision == "accept":
            try:
                execute_deal(world, counter)
            except Refused:
                counter.status = "rejected"
        else:
            counter.status = "rejected"
    return offer.status == "accepted" or world.offers[-1].status == "accepted"


def _lab_turn(world: World, lab: int, bots: _Round) -> None:
    traits = world.traits[lab]
    rng = world.rng
    behind = _behind_leader(world, lab, bots.top)
    world.training_share[lab] = min(max(0.3 + 0.3 * traits["risk"] + 0.2 * behind, 0.1), 0.8)
    need = negotiation.cash_need(world, lab, bots.commitments)
    # Short of compute (its contracts ran out, say), a lab with cash in hand needs a deal too:
    # without serving compute it sells nothing, and its valuation falls off a cliff.
    short = negotiation.compute_gap(world, lab, bots.commitments) if need <= 0.3 else 0.0
    urge = max(need, short)
    if urge <= 0.3 or rng.random() > traits["appetite"] + urge:
        return
    value = max(float(world.metrics["valuation"][lab]), 0.0)
    if value <= 0:
        return
    cash = value * (0.08 + 0.1 * need)
    investors = np.flatnonzero(bots.investors & (world.cash > cash * 1.5))
    if short > 0.3:  # only a firm that sells compute or chips can fill the gap
        investors = investors[[_sells(world, int(i)) for i in investors]]
    if investors.size:
        partner = int(investors[int(rng.integers(investors.size))])
        stake = shares_bought(cash, value)
        compute = cash * _uniform(rng, *SPEND_BACK) if _sells(world, partner) else 0.0
        if _propose(world, lab, partner, cash, stake, compute, bots):
            return
    funding = world.market["outside_funding"]
    if (
        need > 0.3
        and cash <= raise_limit(world, lab)
        and funding > 0
        and (funding >= 1 or rng.random() < funding)
    ):
        with contextlib.suppress(Refused):  # outside owners down to their last 1%: no raise, as for a person
            transfer_equity(world, None, lab, cash, outside_price(world, lab))


def _investor_turn(world: World, firm: int, bots: _Round) -> None:
    traits = world.traits[firm]
    rng = world.rng
    spare = float(world.cash[firm] - 4.0 * world.costs[firm])
    if spare <= 0 or rng.random() > traits["appetite"]:
        return
    labs = bots.labs
    if not labs.size:
        return
    scores = _lab_attraction(world, firm, labs, bots.appeal, world.rivals[firm])
    weights = np.exp(3.0 * (scores - np.maximum.reduce(scores)))
    lab = int(labs[_pick(rng, weights / weights.sum())])
    value = float(world.metrics["valuation"][lab])
    if value <= 0:
        return
    cash = min(spare * traits["appetite"] * _uniform(rng, 0.5, 1.0), 0.15 * value)
    stake = shares_bought(cash, value)
    compute = cash * _uniform(rng, *SPEND_BACK) if _sells(world, firm) else 0.0
    if stake >= MIN_OFFER_STAKE:
        _propose(world, firm, lab, cash, stake, compute, bots)


def withdraw_stale_offers(world: World) -> None:
    """A bot withdraws an open offer to a person whose price the market has left behind (the
    quarter's close and its news moved the lab's valuation since the bot priced it): an offer
    valuing OpenAI at $264 bn stood beside a market's $331 bn.

    Such an offer was made as the quarter ended, so its receiver never saw it open: no news
    (which every seat reads, and which told of an offer nobody had seen), only the receiver's
    deal room lists it as withdrawn, with both prices."""
    for offer in world.offers:
        if offer.status != "open" or offer.proposer in world.humans or offer.receiver not in world.humans:
            continue
        priced, market = deal_price(offer.cash, offer.stake), float(world.metrics["valuation"][offer.lab])
        if market > 0 and priced > 0 and 1 / STALE_GAP <= priced / market <= STALE_GAP:
            continue
        offer.status = "withdrawn"
        unit, lab = world.unit, world.names[offer.lab]
        offer.reason = (
            f"the market moved before you could answer: it valued {lab} at {format_money(priced, unit)} "
            f"before the money, and the market now says {format_money(market, unit)}"
        )


def _lab_attraction(
    world: World,
    investor: int,
    labs: np.ndarray,
    appeal: np.ndarray | None = None,
    rivals: np.ndarray | None = None,
) -> np.ndarray:
    """Momentum, demand share and the rivalry bonus: what makes a lab worth backing.
    (``appeal``: momentum + share, and ``rivals``, when already worked out for the round.)"""
    if appeal is None:
        momentum = np.clip(world.metrics["valuation_change"][labs], -1.0, 1.0)
        appeal = momentum + world.metrics["market_share"][labs]
    own = world.stakes[investor, labs]
    bonus = negotiation.rival_bonuses(world, investor, labs, rivals, own)
    rival = world.traits[investor]["rivalry"] * bonus
    return appeal + 5.0 * rival + 0.5 * (own > 0)


def _expand_capacity(world: World, cloud: int, bots: _Round) -> None:
    """Order chips when compute already sold runs above nine tenths of capacity."""
    sold = bots.commitments.sync().selling_compute[cloud]
    deficit = sold - 0.9 * world.capacity[cloud]
    chipmakers = bots.chipmakers
    if deficit <= 0 or not chipmakers:
        return
    seller = chipmakers[int(world.rng.integers(len(chipmakers)))]
    total = 1.2 * deficit * world.market["capacity_cost"]
    if total / 4 <= float(world.cash[cloud]) * (0.5 + world.traits[cloud]["risk"]):
        with contextlib.suppress(Refused):
            buy_chips(world, BuyChips(world.ids[cloud], world.ids[seller], total, 4))


def _use_options(world: World, firm: int) -> None:
    """Exercise an option when the agreed valuation is well below today's, or at the deadline
    when it is below at all (an option out of the money is left to lapse)."""
    for option in world.options:
        if option.holder != firm or option.used or world.quarter > option.deadline:
            continue
        value = float(world.metrics["valuation"][option.firm])
        cheap = option.valuation < 0.95 * value
        last_chance = world.quarter == option.deadline and option.valuation < value
        if cheap or last_chance:
            with contextlib.suppress(Refused):
                exercise_option(world, ExerciseOption(world.ids[firm], option.id))


def _behind_leader(world: World, lab: int, top: float | None = None) -> float:
    """How far the lab trails the most capable active lab (``top``, if already known)."""
    if top is None:
        top = float(np.max(np.where(world.is_lab & ~world.failed, world.capability, 0.0)))
    return min(max(1.0 - float(world.capability[lab]) / top, 0.0), 1.0) if top > 0 else 0.0


def _sells(world: World, firm: int) -> bool:
    return bool(world.sells_compute[firm] or world.sells_chips[firm])


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    """One draw of ``rng.uniform(low, high)``, computed as numpy does it
    (``low + (high - low) * rng.random()``, the same single draw) without its call overhead."""
    return low + (high - low) * rng.random()


def _pick(rng: np.random.Generator, p: np.ndarray) -> int:
    """One draw of ``rng.choice(len(p), p=p)``, computed as numpy does it (the cumulative
    probabilities against one ``rng.random()``) without its checks and call overhead."""
    cdf = p.cumsum()
    cdf /= cdf[-1]
    return int(cdf.searchsorted(rng.random(), side="right"))
