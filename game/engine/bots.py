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

import numpy as np

from game.engine import negotiation
from game.engine.actions import BuyChips, ExerciseOption, ProposeDeal
from game.engine.rules import (
    Refused,
    buy_chips,
    check_deal,
    execute_deal,
    exercise_option,
    store_offer,
    transfer_equity,
)
from game.engine.state import Offer, World

DEAL_QUARTERS = 8
SPEND_BACK = (0.6, 1.2)  # compute bought back per dollar invested, drawn uniformly


def run_bots(world: World) -> None:
    """Let every active computer-run firm act once, in a fixed order."""
    for firm in range(world.n):
        if firm in world.humans or world.failed[firm]:
            continue
        if world.is_lab[firm]:
            _lab_turn(world, firm)
        else:
            _investor_turn(world, firm)
            if world.sells_compute[firm]:
                _expand_capacity(world, firm)
        _use_options(world, firm)


def negotiate(world: World, offer: Offer) -> str:
    """A bot receiver answers an offer at once: accept, reject, or counter (stored)."""
    verdict = negotiation.judge(world, offer)
    if verdict.decision == "accept":
        try:
            return execute_deal(world, offer)
        except Refused as err:
            offer.status = "rejected"
            return f"The deal fell through: {err}."
    if verdict.decision == "reject" or offer.round >= 4:
        offer.status = "rejected"
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
        option_amount=offer.option_amount,
        exclusive=offer.exclusive,
        round=offer.round + 1,
        quarter=world.quarter,
        reply_to=offer.id,
    )
    store_offer(world, counter)
    return (
        f"{world.names[offer.receiver]} counters with a stake of {verdict.stake:.1%} (offer #{counter.id})."
    )


def _propose(world: World, proposer: int, receiver: int, cash: float, stake: float, compute: float) -> bool:
    """Make an offer; a bot receiver answers now, a human finds it in the deal room."""
    action = ProposeDeal(world.ids[proposer], world.ids[receiver], cash, stake, compute, DEAL_QUARTERS)
    try:
        offer = store_offer(world, check_deal(world, action))
    except Refused:
        return False
    if receiver in world.humans:
        return True
    negotiate(world, offer)
    if offer.status == "countered":  # the bot proposer takes a counter it can live with
        counter = world.offers[-1]
        if negotiation.judge(world, counter).decision == "accept":
            try:
                execute_deal(world, counter)
            except Refused:
                counter.status = "rejected"
        else:
            counter.status = "rejected"
    return offer.status == "accepted" or world.offers[-1].status == "accepted"


def _lab_turn(world: World, lab: int) -> None:
    traits = world.traits[lab]
    rng = world.rng
    behind = _behind_leader(world, lab)
    world.training_share[lab] = min(max(0.3 + 0.3 * traits["risk"] + 0.2 * behind, 0.1), 0.8)
    need = negotiation.cash_need(world, lab)
    if need <= 0.3 or rng.random() > traits["appetite"] + need:
        return
    value = max(float(world.metrics["valuation"][lab]), 0.0)
    if value <= 0:
        return
    cash = value * (0.08 + 0.1 * need)
    investors = [
        i
        for i in range(world.n)
        if not world.is_lab[i] and not world.failed[i] and world.cash[i] > cash * 1.5
    ]
    if investors:
        partner = investors[int(rng.integers(len(investors)))]
        stake = cash / (value + cash)
        compute = cash * rng.uniform(*SPEND_BACK) if _sells(world, partner) else 0.0
        if _propose(world, lab, partner, cash, stake, compute):
            return
    funding = world.market["outside_funding"]
    if cash <= 0.5 * value and funding > 0 and (funding >= 1 or rng.random() < funding):
        transfer_equity(world, None, lab, cash, value * (1.0 - world.market["sale_discount"]))


def _investor_turn(world: World, firm: int) -> None:
    traits = world.traits[firm]
    rng = world.rng
    spare = float(world.cash[firm] - 4.0 * world.costs[firm])
    if spare <= 0 or rng.random() > traits["appetite"]:
        return
    labs = np.flatnonzero(world.is_lab & ~world.failed)
    if not labs.size:
        return
    scores = _lab_attraction(world, firm, labs)
    weights = np.exp(3.0 * (scores - scores.max()))
    lab = int(labs[int(rng.choice(len(labs), p=weights / weights.sum()))])
    value = float(world.metrics["valuation"][lab])
    if value <= 0:
        return
    cash = min(spare * traits["appetite"] * rng.uniform(0.5, 1.0), 0.15 * value)
    stake = cash / (value + cash)
    compute = cash * rng.uniform(*SPEND_BACK) if _sells(world, firm) else 0.0
    _propose(world, firm, lab, cash, stake, compute)


def _lab_attraction(world: World, investor: int, labs: np.ndarray) -> np.ndarray:
    """Momentum, demand share and the rivalry bonus: what makes a lab worth backing."""
    momentum = np.clip(world.metrics["valuation_change"][labs], -1.0, 1.0)
    share = world.metrics["market_share"][labs]
    rival = world.traits[investor]["rivalry"] * negotiation.rival_bonuses(world, investor, labs)
    return momentum + share + 5.0 * rival + 0.5 * (world.stakes[investor, labs] > 0)


def _expand_capacity(world: World, cloud: int) -> None:
    """Order chips when compute already sold runs above nine tenths of capacity."""
    sold = sum(c.per_quarter for c in world.contracts if c.seller == cloud and c.kind == "compute")
    deficit = sold - 0.9 * world.capacity[cloud]
    chipmakers = [i for i in range(world.n) if world.sells_chips[i] and not world.failed[i]]
    if deficit <= 0 or not chipmakers:
        return
    seller = chipmakers[int(world.rng.integers(len(chipmakers)))]
    total = 1.2 * deficit * world.market["capacity_cost"]
    if total / 4 <= float(world.cash[cloud]) * (0.5 + world.traits[cloud]["risk"]):
        with contextlib.suppress(Refused):
            buy_chips(world, BuyChips(world.ids[cloud], world.ids[seller], total, 4))


def _use_options(world: World, firm: int) -> None:
    """Exercise an option when the agreed valuation is below today's and cash allows."""
    for option in world.options:
        if option.holder != firm or option.used or world.quarter > option.deadline:
            continue
        cheap = option.valuation < 0.95 * float(world.metrics["valuation"][option.firm])
        last_chance = world.quarter == option.deadline
        if cheap or last_chance:
            with contextlib.suppress(Refused):
                exercise_option(world, ExerciseOption(world.ids[firm], option.id))


def _behind_leader(world: World, lab: int) -> float:
    top = float(np.max(np.where(world.is_lab & ~world.failed, world.capability, 0.0)))
    return min(max(1.0 - float(world.capability[lab]) / top, 0.0), 1.0) if top > 0 else 0.0


def _sells(world: World, firm: int) -> bool:
    return bool(world.sells_compute[firm] or world.sells_chips[firm])
