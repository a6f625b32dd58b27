"""Offers between people sharing one game (hot seat): each receiver gets a turn to answer.

People take their turns in the order of ``Game.humans``. An offer made by a later seat to an
earlier one (which has already played this quarter) stays open through the next quarter, so
that its receiver sees it on its next turn; every other open offer lapses as the quarter
ends, exactly as in a game with one person.
"""

from __future__ import annotations

from collections.abc import Callable

from game.engine.actions import EndQuarter, ProposeDeal, Respond
from game.engine.game import Game
from game.engine.state import Offer
from game.scenario.model import Scenario

MakeGame = Callable[..., Game]


def sent(game: Game, action: ProposeDeal) -> Offer:
    outcome = game.act(action)
    assert outcome.ok, outcome.message
    return next(o for o in game.world.offers if o.id == outcome.offer)


def end(game: Game) -> None:
    assert game.act(EndQuarter("")).ok


def test_a_later_seat_s_offer_waits_for_the_earlier_seat_s_next_turn(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")  # CloudCo plays first, Red Lab second
    offer = sent(game, ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    end(game)
    assert offer.status == "open"  # CloudCo had played already: it answers next quarter
    cash = float(game.world.cash[game.world.index["redlab"]])
    outcome = game.act(Respond("cloudco", offer.id, True))
    assert outcome.ok, outcome.message
    assert offer.status == "accepted"
    assert float(game.world.cash[game.world.index["redlab"]]) > cash


def test_an_offer_to_a_person_says_whom_it_waits_for_not_its_number(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")
    outcome = game.act(ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    assert outcome.ok and outcome.offer is not None
    assert outcome.message == "Offer sent to CloudCo; it waits for an answer."


def test_the_kept_offer_lapses_after_its_receiver_s_turn(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")
    offer = sent(game, ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    end(game)
    end(game)
    assert offer.status == "expired"
    assert not game.act(Respond("cloudco", offer.id, True)).ok


def test_an_earlier_seat_s_offer_lapses_with_the_quarter(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")
    offer = sent(game, ProposeDeal("cloudco", "redlab", 2e9, 0.05))  # Red Lab plays after
    end(game)
    assert offer.status == "expired"


def test_the_seat_order_is_the_order_of_humans(make_game: MakeGame) -> None:
    game = make_game("redlab", "cloudco")  # now Red Lab plays first
    early = sent(game, ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    late = sent(game, ProposeDeal("cloudco", "redlab", 1e9, 0.03))
    end(game)
    assert (early.status, late.status) == ("expired", "open")


def test_a_counter_from_a_computer_run_firm_still_lapses_with_the_quarter(make_game: MakeGame) -> None:
    game = make_game("skyhost", "cloudco")  # Red Lab is run by the computer
    first = sent(game, ProposeDeal("cloudco", "redlab", 2e9, 0.06, compute_total=2e9))
    assert first.status == "countered"
    counter = game.world.offers[-1]
    assert (counter.reply_to, counter.status) == (first.id, "open")
    end(game)
    assert counter.status == "expired"


def test_kept_offers_replay_to_the_same_game(make_game: MakeGame, mini: Scenario) -> None:
    game = make_game("cloudco", "redlab")
    offer = sent(game, ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    end(game)
    assert game.act(Respond("cloudco", offer.id, True)).ok
    end(game)
    again = Game.replay(mini, game.seed, list(game.log), game.humans)
    assert again.fingerprint() == game.fingerprint()


def test_in_the_last_quarter_no_offer_goes_to_a_seat_that_has_had_its_turn(make_game: MakeGame) -> None:
    """Bo's counter to Ada in the last quarter was 'sent' and could never be answered."""
    game = make_game("cloudco", "redlab")
    while game.world.quarter < game.world.last_quarter:
        end(game)
    before = len(game.world.offers)
    outcome = game.act(ProposeDeal("redlab", "cloudco", 2e9, 0.05))
    assert not outcome.ok and outcome.message == (
        "CloudCo has had its last turn: the game ends before it could answer"
    )
    assert len(game.world.offers) == before
    preview = game.preview_deal(ProposeDeal("redlab", "cloudco", 2e9, 0.05))  # the deal room says so first
    assert not preview["valid"] and preview["message"] == outcome.message
    assert sent(game, ProposeDeal("cloudco", "redlab", 2e9, 0.05)).status == "open"  # a later seat: fine


def test_a_counter_to_a_person_is_called_a_counter(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")
    first = sent(game, ProposeDeal("cloudco", "redlab", 2e9, 0.05))
    outcome = game.act(ProposeDeal("redlab", "cloudco", 2e9, 0.04, reply_to=first.id))
    assert outcome.ok and outcome.message == "Counter sent to CloudCo; it waits for an answer."
