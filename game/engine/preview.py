"""What a deal would do, before anyone signs: play next quarter twice, with and without it.

Both copies start from the same state and the same random draws, and no bot acts in
either, so the difference between them is the deal's own effect on each side's
round-trip share, exposure and valuation. And what a deal, an answer to an event's
question or a move of one's own (a sale, a raise) would do at once, before the player makes it.
"""

from __future__ import annotations

import copy
from typing import Any

from game.engine import events
from game.engine.actions import Action, ProposeDeal
from game.engine.quarter import revalue, run_quarter
from game.engine.rules import SIMPLE_RULES, Refused, apply_simple, check_deal, execute_deal
from game.engine.state import World, deal_price, post_money
from game.scenario.model import Event

SIDE_METRICS = ("round_trip", "exposure", "valuation", "cash")


def preview_deal(world: World, action: ProposeDeal) -> dict[str, Any]:
    try:
        offer = check_deal(world, action)
    except Refused as err:
        return {"valid": False, "message": str(err)}
    without = copy.deepcopy(world)
    with_deal = copy.deepcopy(world)
    try:
        execute_deal(with_deal, offer)
    except Refused as err:
        return {"valid": False, "message": str(err)}
    with_deal.news.clear()
    run_quarter(without)
    run_quarter(with_deal)
    result: dict[str, Any] = {
        "valid": True,
        "message": "",
        "implied_valuation": post_money(offer.cash, offer.stake),
        "pre_money": deal_price(offer.cash, offer.stake),
        "market_valuation": float(world.metrics["valuation"][offer.lab]),
    }
    for side, firm in (("investor", offer.investor), ("lab", offer.lab)):
        result[side] = {"firm": world.ids[firm]}
        for name in SIDE_METRICS:
            result[side][f"{name}_before"] = float(without.metrics[name][firm])
            result[side][f"{name}_after"] = float(with_deal.metrics[name][firm])
    return result


def preview_choice(world: World, event: Event, pick: int) -> World:
    """A copy of ``world`` right after answer ``pick`` to ``event``: its effects done and the
    firms revalued, as :meth:`Game.act` leaves them (no quarter played: what the answer does
    at once, with no random draw to tell apart from it)."""
    after = copy.deepcopy(world)
    events.choose(after, event, pick)
    revalue(after)
    return after


def deal_signed(world: World, action: ProposeDeal) -> World | None:
    """A copy of ``world`` right after the deal is signed and the firms revalued (no quarter
    played), or None when the rules would refuse it."""
    after = copy.deepcopy(world)
    try:
        execute_deal(after, check_deal(after, action))
    except Refused:
        return None
    revalue(after)
    return after


def move_done(world: World, action: Action) -> tuple[World | None, str]:
    """A copy of ``world`` right after a move of one firm's own (``rules.SIMPLE_RULES``: a
    sale, a raise, an order of chips...) and the firms revalued, as :meth:`Game.act` leaves
    them, with ""; or None with the rules' refusal, in the words ``Game.act`` would answer."""
    if action.kind not in SIMPLE_RULES:
        return None, f"a {action.kind} is not a move of one firm's own"
    after = copy.deepcopy(world)
    try:
        apply_simple(after, action)
    except Refused as err:
        return None, str(err)
    revalue(after)
    return after, ""
