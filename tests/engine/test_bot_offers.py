"""Bots' offers to people: none too small to matter, and none left standing at a stale price."""

from __future__ import annotations

from collections.abc import Callable

from game.engine import bots
from game.engine.actions import EndQuarter
from game.engine.game import Game
from game.engine.state import Offer, deal_price
from game.scenario.loader import BUNDLED_DIR, load_scenario

MakeGame = Callable[..., Game]


def test_no_bot_offers_less_than_the_minimum_stake(make_game: MakeGame) -> None:
    for seed in range(6):
        game = make_game("redlab", "blacklab", seed=seed)
        while not game.world.finished:
            game.act(EndQuarter(""))
        investors = [o for o in game.world.offers if o.round == 1 and o.proposer not in game.world.humans]
        assert all(o.stake >= bots.MIN_OFFER_STAKE for o in investors), [o.stake for o in investors]


def _offer(game: Game, value: float) -> Offer:
    world = game.world
    lab, cloud = world.index["redlab"], world.index["cloudco"]
    offer = Offer(0, cloud, lab, cloud, lab, 1e9, 1e9 / value, 0.0, 8, 0.0, False, 1, world.quarter)
    world.offers.append(offer)
    return offer


def test_a_bot_withdraws_an_offer_the_market_has_left_behind_and_says_why(make_game: MakeGame) -> None:
    game = make_game("redlab")
    world = game.world
    market = float(world.metrics["valuation"][world.index["redlab"]])
    fair, stale = _offer(game, market * 1.1), _offer(game, market / 1.3)
    assert deal_price(stale.cash, stale.stake) < market / bots.STALE_GAP
    news = len(world.news)
    bots.withdraw_stale_offers(world)
    assert fair.status == "open"
    assert stale.status == "withdrawn" and "moved" in stale.reason
    assert "it valued Red Lab at" in stale.reason
    # made as the quarter ended, the offer was never seen open: nothing for every seat's news
    assert world.news[news:] == []


def test_an_offer_withdrawn_at_the_turn_was_never_seen_and_is_not_news() -> None:
    """Tutorial, seed 4, as Atlas: the news said "Obsidian AI withdraws its offer for Obsidian
    AI" of an offer made as 2025-Q4 ended and withdrawn before 2026-Q1 opened."""
    game = Game(load_scenario(BUNDLED_DIR / "tutorial.toml").scenario, 4, ("atlas",))
    world = game.world
    withdrawn: set[int] = set()
    while not world.finished:
        ended = world.quarter
        game.end_quarter()
        for offer in world.offers:
            if "market moved" in offer.reason and offer.id not in withdrawn:
                assert offer.quarter == ended  # made as the quarter ended: never open on a screen
                withdrawn.add(offer.id)
    assert withdrawn
    assert not [n.headline for n in world.news if "withdraws its offer" in n.headline]
