"""The rules of every action, through ``Game.act``, the one door for players.

Each action kind is accepted in a legal case with the expected change to the world, and
refused, with a reason and the world untouched, in every illegal case we could think of.
Bots answer offers: a generous one is accepted, a stingy one rejected, a borderline one
countered, and talks end after the round limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import pytest

from game.engine import bots, events, negotiation, rules
from game.engine.actions import (
    Action,
    Bet,
    BuyChips,
    Choose,
    EndQuarter,
    ExerciseOption,
    ProposeDeal,
    RaiseOutside,
    Respond,
    SellStake,
    SetTraining,
)
from game.engine.game import Game
from game.engine.observe import Observer
from game.engine.rules import MAX_ROUNDS, Outcome
from game.engine.state import Offer, deal_price
from game.money import format_money, format_share
from game.scenario.loader import LoadedScenario, load_scenario, parse_scenario
from game.scenario.model import Event, RoleGoal, Scenario

MakeGame = Callable[..., Game]
Digest = Callable[[Game], str]

NAN, INF = math.nan, math.inf


def ix(game: Game, firm: str) -> int:
    return game.world.index[firm]


def value_of(game: Game, firm: str) -> float:
    return float(game.world.metrics["valuation"][ix(game, firm)])


def cash_of(game: Game, firm: str) -> float:
    return float(game.world.cash[ix(game, firm)])


def stake(game: Game, holder: str, firm: str) -> float:
    return float(game.world.stakes[ix(game, holder), ix(game, firm)])


def outside(game: Game, firm: str) -> float:
    return game.world.outside_share(ix(game, firm))


def ok(game: Game, action: Action) -> Outcome:
    outcome = game.act(action)
    assert outcome.ok, outcome.message
    assert game.log[-1] is action
    return outcome


def offer(game: Game, number: int | None) -> Offer:
    return next(o for o in game.world.offers if o.id == number)


def end(game: Game, quarters: int = 1) -> None:
    for _ in range(quarters):
        ok(game, EndQuarter(actor=""))


def assert_refused(game: Game, action: Action, digest: Digest, reason: str = "") -> Outcome:
    """The action is refused with a readable reason and the game is exactly as before."""
    fingerprint, log, everything = game.fingerprint(), len(game.log), digest(game)
    outcome = game.act(action)
    assert not outcome.ok, f"{action} was accepted: {outcome.message}"
    assert isinstance(outcome.message, str) and outcome.message.strip()
    assert reason.lower() in outcome.message.lower(), outcome.message
    assert game.fingerprint() == fingerprint
    assert len(game.log) == log
    assert digest(game) == everything, f"{action} was refused but changed the world"
    return outcome


# --- accepted actions -----------------------------------------------------------------------


def test_bet_dilutes_every_holder_by_the_same_factor(make_game: MakeGame) -> None:
    game = make_game("skyhost")
    cash = 5e9
    pre = value_of(game, "blacklab")
    cloud_before, outside_before = stake(game, "cloudco", "blacklab"), outside(game, "blacklab")
    sky_cash, lab_cash = cash_of(game, "skyhost"), cash_of(game, "blacklab")
    other_columns = np.delete(game.world.stakes, ix(game, "blacklab"), axis=1).copy()
    assert cloud_before == pytest.approx(0.2)

    outcome = ok(game, Bet("skyhost", "blacklab", cash))

    share = cash / (pre + cash)
    assert stake(game, "skyhost", "blacklab") == pytest.approx(share, rel=1e-12)
    assert stake(game, "cloudco", "blacklab") == pytest.approx(cloud_before * (1 - share), rel=1e-12)
    assert outside(game, "blacklab") == pytest.approx(outside_before * (1 - share), rel=1e-12)
    assert cash_of(game, "skyhost") == pytest.approx(sky_cash - cash, rel=1e-12)
    assert cash_of(game, "blacklab") == pytest.approx(lab_cash + cash, rel=1e-12)
    np.testing.assert_array_equal(np.delete(game.world.stakes, ix(game, "blacklab"), axis=1), other_columns)
    assert "Black Lab" in outcome.message
    assert game.world.news[-1].kind == "deal"


def test_bet_by_an_existing_holder_adds_to_its_diluted_stake(make_game: MakeGame) -> None:
    game = make_game("cloudco")
    cash, pre = 3e9, value_of(game, "blacklab")
    ok(game, Bet("cloudco", "blacklab", cash))
    share = cash / (pre + cash)
    assert stake(game, "cloudco", "blacklab") == pytest.approx(0.2 * (1 - share) + share, rel=1e-12)


def test_bet_of_all_the_cash_is_allowed(make_game: MakeGame) -> None:
    game = make_game("chipco")
    everything = cash_of(game, "chipco")
    ok(game, Bet("chipco", "redlab", everything))
    assert cash_of(game, "chipco") == pytest.approx(0.0, abs=1e-6)


def test_deal_signed_by_a_person_creates_stake_contract_option_and_exclusivity(make_game: MakeGame) -> None:
    game = make_game("cloudco", "redlab")
    world = game.world
    cloud_cash, lab_cash = cash_of(game, "cloudco"), cash_of(game, "redlab")
    contracts = len(world.contracts)
    proposal = ProposeDeal(
        "cloudco",
        "redlab",
        cash=2e9,
        stake=0.05,
        compute_total=4e9,
        compute_quarters=8,
        option_amount=1e9,
        exclusive=True,
    )
    sent = ok(game, proposal)
    waiting = offer(game, sent.offer)
    assert waiting.status == "open" and waiting.receiver == ix(game, "redlab") and waiting.round == 1
    assert cash_of(game, "cloudco") == cloud_cash and stake(game, "cloudco", "redlab") == 0.0

    signed = ok(game, Respond("redlab", waiting.id, True))
    assert "signed" in signed.message.lower()
    assert waiting.status == "accepted"
    assert stake(game, "cloudco", "redlab") == pytest.approx(0.05, rel=1e-12)
    assert cash_of(game, "cloudco") == pytest.approx(cloud_cash - 2e9)
    assert cash_of(game, "redlab") == pytest.approx(lab_cash + 2e9)
    assert len(world.contracts) == contracts + 1
    contract = world.contracts[-1]
    assert (contract.buyer, contract.seller, contract.kind) == (
        ix(game, "redlab"),
        ix(game, "cloudco"),
        "compute",
    )
    assert contract.per_quarter == pytest.approx(0.5e9) and contract.remaining == 8
    assert contract.starts == world.quarter
    option = world.options[-1]
    assert (option.holder, option.firm) == (ix(game, "cloudco"), ix(game, "redlab"))
    assert option.amount == 1e9 and not option.used
    assert option.valuation == pytest.approx(2e9 / 0.05 - 2e9)  # the deal's pre-money valuation
    assert option.deadline == world.quarter + 4
    assert world.exclusive[ix(game, "redlab")] == (ix(game, "cloudco"), world.quarter + 7)

    # Exclusivity: Red Lab now buys compute only from CloudCo, but may still sell equity.
    assert_refused_outcome = game.act(ProposeDeal("redlab", "skyhost", 1e9, 0.02, compute_total=1e9))
    assert not assert_refused_outcome.ok and "only from" in assert_refused_outcome.message
    assert game.act(ProposeDeal("redlab", "skyhost", 1e9, 0.02)).ok

    # The option is exercised at the deal's valuation, not today's market valuation.
    held = stake(game, "cloudco", "redlab")
    ok(game, ExerciseOption("cloudco", option.id))
    share = 1e9 / (option.valuation + 1e9)
    assert stake(game, "cloudco", "redlab") == pytest.approx(held * (1 - share) + share, rel=1e-12)


def test_offer_rejected_by_a_person_changes_nothing_else(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab")
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=2e9, stake=0.05))
    cash, stakes = game.world.cash.copy(), game.world.stakes.copy()
    contracts = len(game.world.contracts)
    ok(game, Respond("redlab", sent.offer, False))
    assert offer(game, sent.offer).status == "rejected"
    assert (game.world.cash == cash).all() and (game.world.stakes == stakes).all()
    assert len(game.world.contracts) == contracts
    assert_refused(game, Respond("redlab", sent.offer, True), digest, "rejected")


def test_open_offers_expire_at_the_end_of_the_quarter(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab")
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=2e9, stake=0.05))
    end(game)
    assert offer(game, sent.offer).status == "expired"
    assert_refused(game, Respond("redlab", sent.offer, True), digest, "expired")


def test_option_exercise_uses_the_fixed_valuation(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("skyhost")
    option = next(o for o in game.world.options if o.holder == ix(game, "skyhost"))
    assert (option.amount, option.valuation) == (2e9, 10e9)
    assert abs(value_of(game, "redlab") - 10e9) > 5e9  # the market price is far from the fixed one
    sky_cash, lab_cash = cash_of(game, "skyhost"), cash_of(game, "redlab")

    ok(game, ExerciseOption("skyhost", option.id))

    assert stake(game, "skyhost", "redlab") == pytest.approx(2e9 / 12e9, rel=1e-12)
    assert cash_of(game, "skyhost") == pytest.approx(sky_cash - 2e9)
    assert cash_of(game, "redlab") == pytest.approx(lab_cash + 2e9)
    assert option.used
    assert_refused(game, ExerciseOption("skyhost", option.id), digest, "already")


def test_option_can_be_exercised_until_its_deadline_quarter(make_game: MakeGame) -> None:
    game = make_game("skyhost")
    option = next(o for o in game.world.options if o.holder == ix(game, "skyhost"))
    end(game, option.deadline - game.world.quarter)
    assert game.world.quarter == option.deadline
    ok(game, ExerciseOption("skyhost", option.id))


def test_sell_stake_at_market_value_less_the_discount(
    make_game: MakeGame, mini: Scenario, digest: Digest
) -> None:
    game = make_game("cloudco")
    value, cash = value_of(game, "blacklab"), cash_of(game, "cloudco")
    outside_before = outside(game, "blacklab")
    quote = rules.quote_sale(game.world, ix(game, "cloudco"), ix(game, "blacklab"), 0.05)
    ok(game, SellStake("cloudco", "blacklab", 0.05))
    price = 0.05 * value * (1 - mini.market.sale_discount)
    assert (quote.share, quote.price) == (0.05, pytest.approx(price, rel=1e-12))  # the quote is the sale
    assert stake(game, "cloudco", "blacklab") == pytest.approx(0.15)
    assert cash_of(game, "cloudco") == pytest.approx(cash + price, rel=1e-12)
    assert outside(game, "blacklab") == pytest.approx(outside_before + 0.05)
    assert game.world.ledger.outside_in == pytest.approx(price)  # the buyers are outsiders

    ok(game, SellStake("cloudco", "blacklab", stake(game, "cloudco", "blacklab")))  # all the rest
    assert stake(game, "cloudco", "blacklab") == 0.0
    assert_refused(game, SellStake("cloudco", "blacklab", 0.01), digest, "no stake")


def test_training_share_is_kept_and_buys_capability(make_game: MakeGame) -> None:
    gains = {}
    for share in (0.1, 0.9):
        game = make_game("redlab")
        before = float(game.world.capability[ix(game, "redlab")])
        ok(game, SetTraining("redlab", share))
        assert game.world.training_share[ix(game, "redlab")] == share
        end(game)
        assert game.world.training_share[ix(game, "redlab")] == share  # no bot overrides a person
        gains[share] = float(game.world.capability[ix(game, "redlab")]) - before
    assert gains[0.9] > gains[0.1] >= 0.0


def test_outside_raise_brings_money_in_and_dilutes_holders(make_game: MakeGame, mini: Scenario) -> None:
    game = make_game("blacklab")
    value, lab_cash = value_of(game, "blacklab"), cash_of(game, "blacklab")
    cash = 0.1 * value
    ok(game, RaiseOutside("blacklab", cash))
    share = cash / (value * (1 - mini.market.sale_discount) + cash)
    assert stake(game, "cloudco", "blacklab") == pytest.approx(0.2 * (1 - share), rel=1e-12)
    assert cash_of(game, "blacklab") == pytest.approx(lab_cash + cash)
    assert game.world.ledger.outside_in == pytest.approx(cash)


def test_the_raise_quote_changes_nothing_and_is_what_the_raise_does(
    make_game: MakeGame, digest: Digest
) -> None:
    game = make_game("blacklab")
    world, lab = game.world, ix(game, "blacklab")
    before = digest(game)
    quote = rules.quote_raise(world, lab, 0.1 * value_of(game, "blacklab"))
    assert digest(game) == before
    held, cash = stake(game, "cloudco", "blacklab"), cash_of(game, "blacklab")
    outcome = ok(game, RaiseOutside("blacklab", quote.cash))
    assert outcome.message.endswith(f"for {format_share(quote.share)}.")
    assert stake(game, "cloudco", "blacklab") == pytest.approx(held * (1 - quote.share), rel=1e-12)
    assert cash_of(game, "blacklab") == pytest.approx(cash + quote.cash)


def test_the_raise_quote_refuses_what_the_raise_refuses(make_game: MakeGame) -> None:
    game = make_game("blacklab")
    world = game.world
    too_much = 0.6 * value_of(game, "blacklab")
    for firm, cash in (("blacklab", too_much), ("blacklab", -1.0), ("cloudco", 1e9)):
        with pytest.raises(rules.Refused) as refused:
            rules.quote_raise(world, ix(game, firm), cash)
        outcome = game.act(RaiseOutside(firm, cash))
        assert not outcome.ok and outcome.message == str(refused.value)


def test_a_lab_raises_from_outside_once_a_quarter(make_game: MakeGame, digest: Digest) -> None:
    """Raise after raise within a quarter made cash from nothing: each raise lifted the
    valuation the next one was priced at (5 bn grew to 17 tn in twenty raises)."""
    game = make_game("blacklab")
    ok(game, RaiseOutside("blacklab", 0.1 * value_of(game, "blacklab")))
    assert_refused(game, RaiseOutside("blacklab", 1e6), digest, "once a quarter")
    end(game)
    ok(game, RaiseOutside("blacklab", 0.1 * value_of(game, "blacklab")))


def test_a_raise_is_at_most_half_the_valuation_less_the_cash(make_game: MakeGame) -> None:
    """Counting the cash, a raise every quarter lifted the next one's limit and compounded."""
    game = make_game("blacklab")
    world, lab = game.world, ix(game, "blacklab")
    most = 0.5 * (value_of(game, "blacklab") - cash_of(game, "blacklab"))
    assert rules.raise_limit(world, lab) == pytest.approx(most)
    with pytest.raises(rules.Refused, match="less your cash"):
        rules.quote_raise(world, lab, most * 1.001)
    rules.quote_raise(world, lab, most * 0.999)


@pytest.mark.parametrize("funding", [0.0, 0.3])
def test_outside_funding_below_1_still_lets_a_player_raise_and_0_stops_it(
    make_game: MakeGame, funding: float
) -> None:
    """As the guide says: between 0 and 1, outside_funding is the chance that outside investors
    fund a computer-run lab that turns to them in a quarter; a person's raise is refused
    only at 0."""
    game = make_game("blacklab")
    game.world.market["outside_funding"] = funding
    outcome = game.act(RaiseOutside("blacklab", 0.1 * value_of(game, "blacklab")))
    assert outcome.ok == (funding > 0), outcome.message


def test_chip_orders_are_paid_for_together(make_game: MakeGame, digest: Digest) -> None:
    """Two orders that each fit what the buyer can pay, but not together: the second is refused."""
    game = make_game("cloudco")
    world, me = game.world, ix(game, "cloudco")
    affordable = float(world.cash[me] + 4 * world.metrics["revenue"][me])
    ok(game, BuyChips("cloudco", "chipco", 0.6 * affordable, 1))
    assert_refused(game, BuyChips("cloudco", "chipco", 0.6 * affordable, 1), digest, "already due")


def test_chip_order_adds_a_contract_and_capacity(make_game: MakeGame, mini: Scenario) -> None:
    game = make_game("cloudco")
    world = game.world
    capacity = float(world.capacity[ix(game, "cloudco")])
    ok(game, BuyChips("cloudco", "chipco", 8e9, 4))
    contract = world.contracts[-1]
    assert (contract.buyer, contract.seller, contract.kind) == (
        ix(game, "cloudco"),
        ix(game, "chipco"),
        "chips",
    )
    assert contract.per_quarter == pytest.approx(2e9) and contract.remaining == 4
    end(game)
    assert contract.paid == pytest.approx(2e9) and contract.remaining == 3
    expected = capacity + 2e9 / mini.market.capacity_cost
    assert float(world.capacity[ix(game, "cloudco")]) == pytest.approx(expected)


def test_person_answers_an_event_question(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco")
    assert_refused(game, Choose("cloudco", "chip_question", 0), digest, "no question")
    end(game)  # the question is asked at the start of 2024-Q2
    assert [(p.event, p.chooser) for p in game.world.pending] == [("chip_question", ix(game, "cloudco"))]
    contracts = len(game.world.contracts)

    assert_refused(game, Choose("skyhost", "chip_question", 0), digest, "no question")
    for bad in (2, -1, True, 1.0, "0", None):
        assert_refused(game, Choose("cloudco", "chip_question", bad), digest)  # type: ignore[arg-type]

    outcome = ok(game, Choose("cloudco", "chip_question", 0))
    assert "Take it" in outcome.message
    assert game.world.pending == []
    assert len(game.world.contracts) == contracts + 1
    new = game.world.contracts[-1]
    assert (new.buyer, new.seller, new.kind) == (ix(game, "cloudco"), ix(game, "chipco"), "chips")
    assert new.per_quarter == pytest.approx(0.5e9)
    assert_refused(game, Choose("cloudco", "chip_question", 1), digest, "no question")


def test_declining_the_question_adds_nothing(make_game: MakeGame) -> None:
    game = make_game("cloudco")
    end(game)
    contracts = len(game.world.contracts)
    ok(game, Choose("cloudco", "chip_question", 1))
    assert len(game.world.contracts) == contracts


def test_unanswered_question_takes_the_first_answer(make_game: MakeGame) -> None:
    game = make_game("cloudco")
    end(game)
    assert game.world.pending
    end(game)
    assert game.world.pending == []
    chips = [
        c for c in game.world.contracts if c.buyer == ix(game, "cloudco") and c.seller == ix(game, "chipco")
    ]
    assert len(chips) == 1 and chips[0].remaining == 3


# --- refused actions ------------------------------------------------------------------------

WEIRD_NUMBERS = [NAN, INF, -INF, -1.0, 0.0, 1e20, 1e16, "1e9", True, False, None, [1e9], b"1", 1 + 0j]
WEIRD_FRACTIONS = [NAN, INF, -INF, -0.1, 0.0, 1.0, 1.5, 1e20, "0.1", True, None, [0.1]]

REFUSED: list[tuple[str, Action, str]] = [
    ("not enough cash", Bet("cloudco", "redlab", 1e12), "has only"),
    ("unknown actor", Bet("nosuch", "redlab", 1e9), "unknown"),
    ("actor is not a string", Bet(7, "redlab", 1e9), "unknown"),  # type: ignore[arg-type]
    ("actor is None", SetTraining(None, 0.5), "unknown"),  # type: ignore[arg-type]
    ("unknown lab", Bet("cloudco", "nolab", 1e9), "unknown lab"),
    ("bet on a non-lab", Bet("cloudco", "skyhost", 1e9), "not a lab"),
    ("lab bets on itself", Bet("redlab", "redlab", 1e8), "itself"),
    ("sell more than held", SellStake("cloudco", "blacklab", 0.25), "more than 0% and at most 20%"),
    ("sell a stake not held", SellStake("cloudco", "redlab", 0.1), "no stake"),
    ("sell in an unknown firm", SellStake("cloudco", "nosuch", 0.1), "unknown"),
    ("deal stake above half", ProposeDeal("cloudco", "redlab", 1e9, 0.6), "stake"),
    ("deal with itself", ProposeDeal("cloudco", "cloudco", 1e9, 0.1), "itself"),
    ("deal between two labs", ProposeDeal("redlab", "blacklab", 1e9, 0.1), "between a lab"),
    ("deal between two clouds", ProposeDeal("cloudco", "skyhost", 1e9, 0.1), "between a lab"),
    ("deal with an unknown firm", ProposeDeal("cloudco", "nosuch", 1e9, 0.1), "unknown"),
    ("deal beyond the investor's cash", ProposeDeal("redlab", "chipco", 5e10, 0.2), "has only"),
    ("exclusivity from a chipmaker", ProposeDeal("chipco", "redlab", 1e9, 0.02, exclusive=True), "cloud"),
    ("deal of zero quarters", ProposeDeal("cloudco", "redlab", 1e9, 0.05, 1e9, 0), "whole number"),
    ("deal of 3 quarters", ProposeDeal("cloudco", "redlab", 1e9, 0.05, 1e9, 3), "from 4 to 40"),
    ("option of half the lab", ProposeDeal("cloudco", "redlab", 1e9, 0.05, option_amount=2e10), "half of"),
    ("deal of 41 quarters", ProposeDeal("cloudco", "redlab", 1e9, 0.05, 1e9, 41), "whole number"),
    ("deal of 8.0 quarters", ProposeDeal("cloudco", "redlab", 1e9, 0.05, 1e9, 8.0), "whole number"),  # type: ignore[arg-type]
    ("deal of True quarters", ProposeDeal("cloudco", "redlab", 1e9, 0.05, 1e9, True), "whole number"),
    ("deal option NaN", ProposeDeal("cloudco", "redlab", 1e9, 0.05, option_amount=NAN), "number"),
    ("deal option negative", ProposeDeal("cloudco", "redlab", 1e9, 0.05, option_amount=-1.0), "above zero"),
    ("deal compute infinite", ProposeDeal("cloudco", "redlab", 1e9, 0.05, compute_total=INF), "absurdly"),
    ("counter an unknown offer", ProposeDeal("cloudco", "redlab", 1e9, 0.05, reply_to=999), "no open offer"),
    ("answer an unknown offer", Respond("redlab", 999, True), "no offer"),
    ("answer an offer number of the wrong type", Respond("redlab", "1", True), "no offer"),  # type: ignore[arg-type]
    ("exercise another firm's option", ExerciseOption("cloudco", 3), "no option"),
    ("exercise an unknown option", ExerciseOption("skyhost", 999), "no option"),
    ("exercise an option number as text", ExerciseOption("skyhost", "3"), "no option"),  # type: ignore[arg-type]
    ("non-lab trains", SetTraining("cloudco", 0.5), "only labs"),
    ("train above the cap", SetTraining("redlab", 0.96), "training share"),
    ("non-lab raises", RaiseOutside("cloudco", 1e9), "only labs"),
    ("raise above half the valuation", RaiseOutside("redlab", 1e13), "at most"),
    ("chips from a non-chipmaker", BuyChips("cloudco", "skyhost", 1e9), "does not sell chips"),
    ("chipmaker buys chips", BuyChips("chipco", "chipco", 1e9), "chipmaker"),
    ("chips from an unknown firm", BuyChips("cloudco", "nosuch", 1e9), "unknown"),
    ("chips over zero quarters", BuyChips("cloudco", "chipco", 1e9, 0), "whole number"),
    ("chips over 21 quarters", BuyChips("cloudco", "chipco", 1e9, 21), "whole number"),
    ("chips over 2.5 quarters", BuyChips("cloudco", "chipco", 1e9, 2.5), "whole number"),  # type: ignore[arg-type]
    ("chips beyond what can be paid", BuyChips("cloudco", "chipco", 1e15, 1), "can pay"),
    ("answer with no question waiting", Choose("cloudco", "chip_question", 0), "no question"),
    ("answer an unknown event", Choose("cloudco", "nosuch", 0), "no question"),
]
for number in WEIRD_NUMBERS:
    REFUSED += [
        (f"bet of {number!r}", Bet("cloudco", "redlab", number), ""),  # type: ignore[arg-type]
        (f"deal cash of {number!r}", ProposeDeal("cloudco", "redlab", number, 0.05), ""),  # type: ignore[arg-type]
        (f"raise of {number!r}", RaiseOutside("redlab", number), ""),  # type: ignore[arg-type]
        (f"chip order of {number!r}", BuyChips("cloudco", "chipco", number), ""),  # type: ignore[arg-type]
    ]
for number in WEIRD_FRACTIONS:
    REFUSED += [
        (f"deal stake of {number!r}", ProposeDeal("cloudco", "redlab", 1e9, number), ""),  # type: ignore[arg-type]
        (f"sale of {number!r}", SellStake("cloudco", "blacklab", number), ""),  # type: ignore[arg-type]
    ]
for number in [v for v in WEIRD_FRACTIONS if v != 0.0]:  # training nothing (0%) is allowed
    REFUSED.append((f"training share of {number!r}", SetTraining("redlab", number), ""))  # type: ignore[arg-type]


@pytest.mark.parametrize(("case", "action", "reason"), REFUSED, ids=[c[0] for c in REFUSED])
def test_illegal_action_is_refused_and_changes_nothing(
    case: str, action: Action, reason: str, make_game: MakeGame, digest: Digest
) -> None:
    game = make_game("cloudco", "redlab")
    assert_refused(game, action, digest, reason)


def test_countering_an_offer_that_is_not_yours(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "skyhost", "redlab")
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=2e9, stake=0.05))
    assert_refused(
        game, ProposeDeal("skyhost", "redlab", 2e9, 0.04, reply_to=sent.offer), digest, "no open offer"
    )
    assert_refused(
        game, ProposeDeal("cloudco", "redlab", 2e9, 0.04, reply_to=sent.offer), digest, "no open offer"
    )
    assert_refused(game, Respond("skyhost", sent.offer, True), digest, "no offer")
    assert_refused(game, Respond("cloudco", sent.offer, True), digest, "no offer")  # the proposer itself
    assert offer(game, sent.offer).status == "open"

    counter = ok(game, ProposeDeal("redlab", "cloudco", 2e9, 0.04, reply_to=sent.offer))
    assert offer(game, sent.offer).status == "countered"
    assert offer(game, counter.offer).round == 2
    assert_refused(game, Respond("redlab", sent.offer, True), digest, "countered")
    ok(game, Respond("cloudco", counter.offer, True))
    assert stake(game, "cloudco", "redlab") == pytest.approx(0.04)


def test_expired_option_is_refused(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("skyhost")
    option = next(o for o in game.world.options if o.holder == ix(game, "skyhost"))
    end(game, option.deadline - game.world.quarter + 1)
    assert game.world.quarter > option.deadline
    assert_refused(game, ExerciseOption("skyhost", option.id), digest)


def test_option_past_its_deadline_says_expired(mini_loaded: LoadedScenario, digest: Digest) -> None:
    source = mini_loaded.source.replace('deadline = "2024-Q4"', 'deadline = "2023-Q4"')
    game = Game(parse_scenario(source, "old-option.toml"), 7, ("skyhost",))
    option = game.world.options[0]
    assert_refused(game, ExerciseOption("skyhost", option.id), digest, "expired")


def test_nothing_is_accepted_after_the_game_is_over(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab")
    game.play_out()
    assert game.world.finished
    for action in (
        EndQuarter(""),
        Bet("cloudco", "redlab", 1e9),
        SetTraining("redlab", 0.5),
        ProposeDeal("cloudco", "redlab", 1e9, 0.01),
        SellStake("cloudco", "blacklab", 0.01),
        RaiseOutside("redlab", 1e9),
        BuyChips("cloudco", "chipco", 1e9),
        Choose("cloudco", "chip_question", 0),
        Respond("redlab", 1, True),
        ExerciseOption("skyhost", 3),
    ):
        assert_refused(game, action, digest, "game is over")


def test_the_table_knows_before_any_amount_what_a_bet_would_be_told(
    make_game: MakeGame, doomed: Scenario
) -> None:
    """rules.bet_refusal (asked by the roulette table before it quotes) agrees with Game.act
    on every pair of firms, and says the game is over once it is."""
    world = make_game("cloudco", "redlab").world
    for actor in world.ids:
        for lab in world.ids:
            reason = rules.bet_refusal(world, world.index[actor], world.index[lab])
            outcome = make_game("cloudco", "redlab").act(Bet(actor, lab, 1e6))
            assert (outcome.ok, outcome.message if reason else None) == (reason is None, reason), (actor, lab)
    assert rules.bet_refusal(world, world.index["redlab"], world.index["redlab"]) == (
        "a lab cannot bet on itself; raise from outside investors instead"
    )
    failing = Game(doomed, 7, ("cloudco",))
    end(failing)
    world = failing.world
    assert "Red Lab has failed" in str(rules.bet_refusal(world, 0, world.index["redlab"]))
    failing.play_out()
    assert rules.bet_refusal(world, 0, world.index["blacklab"]) == "the game is over; no more bets"


@pytest.mark.parametrize("cash", [1e6, 1e99 * 1e9, math.inf, 0.0, -1e9, math.nan, 1e14])
def test_the_table_knows_what_a_bet_of_any_amount_would_be_told(make_game: MakeGame, cash: float) -> None:
    """rules.bet_problem (asked by the roulette table at every keystroke, so that its quote
    never computes with an absurd amount) agrees with Game.act."""
    game = make_game("cloudco", "redlab")
    world = game.world
    problem = rules.bet_problem(world, world.index["cloudco"], world.index["redlab"], cash)
    outcome = game.act(Bet("cloudco", "redlab", cash))
    assert (outcome.ok, outcome.message if problem else None) == (problem is None, problem)
    assert rules.bet_problem(world, world.index["redlab"], world.index["redlab"], cash) == (
        "a lab cannot bet on itself; raise from outside investors instead"  # the lab first
    )


def test_a_failed_firm_cannot_act_or_be_traded(doomed: Scenario, digest: Digest) -> None:
    game = Game(doomed, 7, ("skyhost", "redlab", "cloudco"))
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=1e9, stake=0.01))
    end(game)
    assert game.world.failed.tolist() == [False, False, False, True, False]
    option = next(o for o in game.world.options if o.holder == ix(game, "skyhost"))
    for action in (
        SetTraining("redlab", 0.5),
        RaiseOutside("redlab", 1e8),
        ProposeDeal("redlab", "cloudco", 1e8, 0.01),
        Respond("redlab", sent.offer, True),
        Bet("redlab", "blacklab", 1e8),
        BuyChips("redlab", "chipco", 1e8),
    ):
        assert_refused(game, action, digest, "failed")
    assert_refused(game, Bet("skyhost", "redlab", 1e9), digest, "failed")
    assert_refused(game, ProposeDeal("cloudco", "redlab", 1e9, 0.01), digest, "failed")
    assert_refused(game, ExerciseOption("skyhost", option.id), digest, "failed")
    assert_refused(game, SellStake("cloudco", "redlab", 0.01), digest, "nobody buys its shares")
    # an event's effect on the failed firm falls through, and the news says why
    scandal = next(e for e in doomed.events if e.id == "scandal")
    news = len(game.world.news)
    events.apply_effects(game.world, scandal.effects, None)
    fell_through = f"{events.FELL_THROUGH}: Red Lab has failed"
    assert [n.headline for n in game.world.news[news:]] == [fell_through] * 2
    game.play_out()
    assert game.world.failed[ix(game, "redlab")]


# --- bots answering offers ------------------------------------------------------------------


def status_of(make_game: MakeGame, stake_asked: float, cash: float = 2e9) -> str:
    """A fresh game; CloudCo (a person) offers Red Lab (a bot) cash for a stake."""
    game = make_game("cloudco")
    return offer(game, ok(game, ProposeDeal("cloudco", "redlab", cash, stake_asked)).offer).status


def accept_boundary(make_game: MakeGame) -> float:
    """The largest stake Red Lab accepts for the cash, by bisection on fresh games."""
    low, high = 0.001, 0.49
    assert status_of(make_game, low) == "accepted" and status_of(make_game, high) == "rejected"
    for _ in range(30):
        middle = (low + high) / 2
        if status_of(make_game, middle) == "accepted":
            low = middle
        else:
            high = middle
    return low


def test_bot_lab_accepts_generous_and_rejects_stingy_offers(make_game: MakeGame) -> None:
    game = make_game("cloudco")
    generous = ok(game, ProposeDeal("cloudco", "redlab", 2e9, 0.002))
    assert offer(game, generous.offer).status == "accepted"
    assert stake(game, "cloudco", "redlab") == pytest.approx(0.002)

    game = make_game("cloudco")
    cash = cash_of(game, "cloudco")
    stingy = ok(game, ProposeDeal("cloudco", "redlab", 1e9, 0.45))
    assert offer(game, stingy.offer).status == "rejected"
    assert "no" in stingy.message.lower()
    assert stake(game, "cloudco", "redlab") == 0.0 and cash_of(game, "cloudco") == cash


def an_offer(game: Game, proposer: str, receiver: str, cash: float, stake: float, **terms: Any) -> Offer:
    """An offer as the rules store it (not sent), for judging on its own."""
    world = game.world
    one, other = ix(game, proposer), ix(game, receiver)
    lab, investor = (one, other) if world.is_lab[one] else (other, one)
    fields = {"compute_total": 0.0, "compute_quarters": 8, "option_amount": 0.0, "exclusive": False} | terms
    return Offer(0, one, other, investor, lab, cash, stake, round=1, quarter=world.quarter, **fields)


@pytest.mark.parametrize(
    ("price_over_market", "call_per_spot"),
    [(1.0, 0.19741), (2.0, 0.026139), (0.5, 0.51307), (1000.0, 0.0)],
    ids=["at the market", "twice the market", "half the market", "far above"],
)
def test_an_option_is_worth_calls_on_the_lab(
    make_game: MakeGame, price_over_market: float, call_per_spot: float
) -> None:
    """Black-Scholes by hand, volatility 50%, one year, spot 1: at the money
    C = 2 N(0.25) - 1 = 0.19741; strike 2: d1 = -1.1363, C = N(d1) - 2 N(d1 - 0.5) = 0.026139;
    strike 0.5: C = N(1.6363) - 0.5 N(1.1363) = 0.51307. Investing A at the price K buys
    A / (K + A) of the lab: that many calls."""
    game = make_game("cloudco")
    market = value_of(game, "redlab")
    price = price_over_market * market  # the deal's pre-money price, the option's price
    cash, amount = 1e9, 3e9
    offer = an_offer(game, "cloudco", "redlab", cash, cash / (price + cash), option_amount=amount)
    worth = negotiation.option_worth(game.world, offer)
    expected = amount / (price + amount) * market * call_per_spot
    assert worth == pytest.approx(expected, rel=1e-4, abs=1.0)  # 5 figures, as worked


def test_an_option_counts_only_what_the_investor_could_pay(make_game: MakeGame) -> None:
    """An option for half a lab, offered to a firm with a tenth of that in cash, bought deals."""
    game = make_game("cloudco")
    left = cash_of(game, "cloudco") - 1e9
    price = value_of(game, "redlab")
    payable = an_offer(game, "cloudco", "redlab", 1e9, 1e9 / (price + 1e9), option_amount=left)
    beyond = replace(payable, option_amount=10 * left)
    assert negotiation.option_worth(game.world, beyond) == negotiation.option_worth(game.world, payable)


def test_an_option_costs_the_lab_what_it_is_worth_to_the_investor(make_game: MakeGame) -> None:
    """A bot lab used to sign away an option of any size for nothing (a 50 bn option on a
    6 bn lab bought 91% of it a year later): now both sides count what it is worth."""
    game = make_game("cloudco")
    world = game.world
    plain = an_offer(game, "cloudco", "redlab", 2e9, 0.01)
    with_option = replace(plain, option_amount=5e9)
    worth = negotiation.option_worth(world, with_option)
    lab_cost = negotiation.lab_score(world, plain)(0.01) - negotiation.lab_score(world, with_option)(0.01)
    investor_gain = negotiation.investor_score(world, with_option)(0.01) - negotiation.investor_score(
        world, plain
    )(0.01)
    aversion = world.traits[ix(game, "redlab")]["dilution_aversion"]
    assert worth > 0
    assert lab_cost == pytest.approx(worth * aversion / 2e9)
    assert investor_gain == pytest.approx(worth / 2e9)


def test_a_refusal_names_the_term_that_costs_the_receiver_most(make_game: MakeGame) -> None:
    """A lab that needed no compute refused a deal over its compute commitment, saying it would
    give away too much of the company: the reason now names the largest cost in its score."""
    game = make_game("cloudco")
    world = game.world
    value = value_of(game, "redlab")
    cheap_stake = an_offer(game, "cloudco", "redlab", 1e9, 1e9 / (value + 1e9))
    greedy = replace(cheap_stake, stake=0.45)
    heavy = replace(cheap_stake, compute_total=1e3 * value)
    world.traits[ix(game, "redlab")]["compute_hunger"] = 0.0  # a lab with the compute it needs
    assert "too much of the company" in negotiation.objection(world, greedy)
    assert "compute" in negotiation.objection(world, heavy)
    assert negotiation.judge(world, heavy).reason == negotiation.objection(world, heavy)
    to_investor = replace(greedy, proposer=greedy.lab, receiver=greedy.investor)
    assert "not worth the cash" in negotiation.objection(world, replace(to_investor, stake=1e-6))


def test_a_counter_keeps_the_option_within_half_the_lab(make_game: MakeGame, digest: Digest) -> None:
    """A counter asking a bigger stake lowers the deal's price, and with it the most the option
    may be: the computer-run side trims the option, and signing checks it again."""
    counters = 0
    for asked in np.geomspace(0.0005, 0.3, 30):
        game = make_game("redlab")
        cash = 1e9
        price = deal_price(cash, float(asked))
        sent = game.act(ProposeDeal("redlab", "cloudco", cash, float(asked), option_amount=price))
        counter = next((o for o in game.world.offers if o.reply_to == sent.offer), None)
        if counter is None:
            continue
        counters += 1
        assert counter.option_amount <= deal_price(counter.cash, counter.stake) * (1 + 1e-12)
    assert counters  # some stake asked was countered
    game = make_game("redlab")
    too_big = an_offer(game, "cloudco", "redlab", 1e9, 0.05, option_amount=1e11)
    before = digest(game)
    with pytest.raises(rules.Refused, match="buys half of"):
        rules.execute_deal(game.world, too_big)
    assert digest(game) == before


def test_an_investor_counts_its_margin_only_on_compute_the_lab_can_pay(make_game: MakeGame) -> None:
    """Amazon paid 18.8 bn for 0.1% of Anthropic against a compute promise far beyond what
    Anthropic could ever pay; the margin now counts up to the lab's cash and a year of revenue,
    less what it already owes in that year."""
    game = make_game("redlab")
    world, lab = game.world, ix(game, "redlab")
    owed = sum(c.per_quarter * min(c.remaining, 4) for c in world.contracts if c.buyer == lab)
    assert owed > 0  # Red Lab already owes SkyHost for compute
    means = float(world.cash[lab]) + 1e9 + 4 * float(world.metrics["revenue"][lab]) - owed
    deal = an_offer(game, "redlab", "cloudco", 1e9, 0.001, compute_total=100 * means)
    assert negotiation.payable_compute(world, deal) == pytest.approx(means)
    small = replace(deal, compute_total=0.5 * means)
    assert negotiation.payable_compute(world, small) == 0.5 * means
    payable = replace(deal, compute_total=means)  # promising more than that buys nothing more
    assert negotiation.investor_score(world, deal)(0.001) == negotiation.investor_score(world, payable)(0.001)


def test_bot_lab_answers_are_ordered_by_the_stake_asked(make_game: MakeGame) -> None:
    order = {"accepted": 0, "countered": 1, "rejected": 2}
    answers = [status_of(make_game, float(s)) for s in np.geomspace(0.001, 0.49, 40)]
    assert set(answers) <= set(order)
    assert [order[a] for a in answers] == sorted(order[a] for a in answers)


def test_borderline_offer_is_countered_and_talks_end_at_the_round_limit(
    make_game: MakeGame, digest: Digest
) -> None:
    asked = accept_boundary(make_game) * 1.02
    game = make_game("cloudco")
    first = ok(game, ProposeDeal("cloudco", "redlab", 2e9, asked))
    assert offer(game, first.offer).status == "countered"
    assert "counter" in first.message.lower()
    assert "#" not in first.message  # offer ids count every firm's offers: they mean nothing to a player

    current = first.offer
    rounds = [1]
    while True:
        counter = next(o for o in game.world.offers if o.reply_to == current)
        assert counter.proposer == ix(game, "redlab") and counter.receiver == ix(game, "cloudco")
        assert counter.status == "open" and counter.round == rounds[-1] + 1
        assert 0 < counter.stake < asked  # the lab asks to give less
        rounds.append(counter.round)
        if counter.round >= MAX_ROUNDS:
            break
        reply = ok(game, ProposeDeal("cloudco", "redlab", 2e9, asked, reply_to=counter.id))
        assert offer(game, reply.offer).round == counter.round + 1
        rounds.append(counter.round + 1)
        assert offer(game, reply.offer).status == "countered"
        current = reply.offer
    assert rounds == list(range(1, MAX_ROUNDS + 1))

    assert_refused(
        game, ProposeDeal("cloudco", "redlab", 2e9, asked, reply_to=counter.id), digest, "too long"
    )
    ok(game, Respond("cloudco", counter.id, True))
    assert stake(game, "cloudco", "redlab") == pytest.approx(counter.stake)


def test_a_bot_lab_whose_compute_ran_out_seeks_a_cloud_even_with_cash(make_game: MakeGame) -> None:
    """A debt-free lab whose only compute contract ended failed with 22 bn in the bank: it
    sought deals only when short of cash, and with no compute it sold nothing."""
    game = make_game()
    world = game.world
    lab = ix(game, "redlab")
    world.contracts = [c for c in world.contracts if c.buyer != lab]
    world.cash[lab] = 50 * value_of(game, "redlab")  # years of runway: no need of cash
    assert negotiation.cash_need(world, lab) == 0.0
    assert negotiation.compute_gap(world, lab) > 0.3
    bots.run_bots(world)
    asked = [o for o in world.offers if o.proposer == lab]
    assert asked and all(world.sells_compute[o.receiver] or world.sells_chips[o.receiver] for o in asked)
    assert all(o.compute_total > 0 for o in asked)


def test_bot_investor_answers_a_person_lab(make_game: MakeGame) -> None:
    game = make_game("redlab")
    generous = ok(game, ProposeDeal("redlab", "cloudco", 1e9, 0.3))
    assert offer(game, generous.offer).status == "accepted"
    assert stake(game, "cloudco", "redlab") == pytest.approx(0.3)

    game = make_game("redlab")
    stingy = ok(game, ProposeDeal("redlab", "cloudco", 2e10, 0.001))
    assert offer(game, stingy.offer).status == "rejected"
    assert stake(game, "cloudco", "redlab") == 0.0


def test_preview_changes_nothing_and_reports_both_sides(make_game: MakeGame, digest: Digest) -> None:
    game, twin = make_game("cloudco"), make_game("cloudco")
    before = digest(game)
    preview = game.preview_deal(ProposeDeal("cloudco", "redlab", 2e9, 0.05, compute_total=2e9))
    assert preview["valid"], preview
    assert preview["implied_valuation"] == pytest.approx(4e10)
    assert preview["pre_money"] == pytest.approx(3.8e10)
    for side, firm in (("investor", "cloudco"), ("lab", "redlab")):
        assert preview[side]["firm"] == firm
        assert all(math.isfinite(v) for k, v in preview[side].items() if k != "firm")
    assert preview["lab"]["cash_after"] > preview["lab"]["cash_before"]
    assert digest(game) == before
    bad = game.preview_deal(ProposeDeal("cloudco", "redlab", 2e9, 0.7))
    assert bad["valid"] is False and bad["message"]
    assert digest(game) == before
    end(game)
    end(twin)
    assert digest(game) == digest(twin)  # previews drew nothing from the game's random numbers


# --- bugs -----------------------------------------------------------------------------------


def test_answer_must_be_true_or_false(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab")
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=2e9, stake=0.05))
    assert_refused(game, Respond("redlab", sent.offer, "no"), digest)  # type: ignore[arg-type]


def test_exclusive_must_be_true_or_false(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab")
    action = ProposeDeal("cloudco", "redlab", 2e9, 0.05, exclusive="no")  # type: ignore[arg-type]
    assert_refused(game, action, digest)


def test_counter_offer_goes_back_to_the_original_proposer(make_game: MakeGame, digest: Digest) -> None:
    game = make_game("cloudco", "redlab", "blacklab")
    sent = ok(game, ProposeDeal("redlab", "cloudco", cash=1e9, stake=0.05))
    assert_refused(game, ProposeDeal("cloudco", "blacklab", 1e9, 0.04, reply_to=sent.offer), digest)
    assert offer(game, sent.offer).status == "open"


def test_the_world_opens_with_its_opening_deals_in_the_start_valuation_and_history() -> None:
    """History's 2023-Q3 events (Amazon's first $1.25 bn into Anthropic) fire as the game
    opens: the start valuation that scores divide by, the first row of history and the first
    screen's valuation are the same figure, the one reported for that date."""
    game = Game(load_scenario("history").scenario, 7, humans=("anthropic",))
    world = game.world
    i = world.index["anthropic"]
    assert world.event_fired  # the opening events did fire
    shown = float(world.metrics["valuation"][i])
    assert world.start_valuation[i] == shown == world.history["valuation"][0][i]
    assert shown == pytest.approx(5.25e9, rel=0.01)
    assert game.goal("anthropic").score == pytest.approx(1.0)


def test_a_firm_with_a_goal_of_its_own_plays_to_it(mini: Scenario) -> None:
    """``[goals.firms.<id>]`` replaces the role's goal for that firm only."""
    own = RoleGoal(description="Stay alive.", win="not failed(me)")
    goals = mini.goals.model_copy(update={"firms": {"cloudco": own}})
    game = Game(mini.model_copy(update={"goals": goals}), 1, humans=("cloudco", "skyhost"))
    game.play_out()
    mine, role = game.goal("cloudco"), game.goal("skyhost")
    assert mine.description == "Stay alive." and mine.won == (not game.world.failed[ix(game, "cloudco")])
    assert role.description == mini.goals.hyperscaler.description
    assert [check.text for check in game.goal_checklist("cloudco")] == ["not failed(me)"]


# --- events that invest at a written price --------------------------------------------------


@pytest.mark.parametrize(("price_factor", "noted"), [(None, False), (1.2, False), (2.0, True), (0.5, True)])
def test_a_round_at_a_set_price_far_from_the_games_valuation_says_so(
    make_game: MakeGame, price_factor: float | None, noted: bool
) -> None:
    """History's rounds keep their real prices; the news must not let the player read that
    price as the game's valuation when the two differ by more than a quarter."""
    game = make_game("cloudco")
    world = game.world
    market = float(world.metrics["valuation"][ix(game, "redlab")])
    valuation = None if price_factor is None else market * price_factor
    effect = {"do": "invest", "investor": "skyhost", "firm": "redlab", "cash": 1e8, "valuation": valuation}
    event = Event.model_validate(
        {"id": "round", "headline": "Red Lab raises", "when": "2030-Q1", "effects": [effect]}
    )
    events.fire(world, event)
    body = world.news[-1].body
    assert ("This game values Red Lab at" in body) is noted
    if price_factor == 2.0:
        assert "so its investors got smaller stakes" in body
    if price_factor == 0.5:
        assert "so its investors got larger stakes" in body


@pytest.mark.parametrize("beside", [(), ("atlas",), ("atlas", "obsidian")])
def test_start_valuations_do_not_depend_on_who_answers_the_opening_question(beside: tuple[str, ...]) -> None:
    """Tutorial's first quarter asks Atlas where to bet 5 bn. A bot used to answer at once and
    its bet went into the start valuations, a person's later: Vermilion's player was scored
    from 169 bn beside a bot and from 167 bn beside a person in the same world."""
    scenario = load_scenario("tutorial").scenario
    alone = Game(scenario, 3, ("vermilion",)).world
    other = Game(scenario, 3, ("vermilion", *beside)).world
    assert other.start_valuation.tolist() == alone.start_valuation.tolist()
    assert other.history["valuation"][0].tolist() == alone.history["valuation"][0].tolist()
    bot_answered = "atlas" not in beside
    assert bool(other.pending) is not bot_answered  # a person's question waits for them
    assert any(n.kind == "choice" for n in other.news) is bot_answered


def test_demand_is_the_quarters_in_conditions_and_in_history(make_game: MakeGame, mini: Scenario) -> None:
    """``demand`` in a condition, read as a quarter starts, is the demand that quarter's labs
    share (events at its start included: mini's boom in 2024-Q3); the history (and so the CSV)
    keeps in each quarter's row the same number, the one its market shares are of, not the
    next quarter's, already grown by the time the row is written."""
    game = make_game()
    world = game.world
    seen = []
    while not world.finished:
        seen.append(Observer(world).value("demand"))
        game.act(EndQuarter(actor=""))
    history = world.system_history["demand"].tolist()
    assert history[0] == seen[0] == mini.market.demand
    assert history[1:] == seen
    boom = world.first_quarter + 2  # 2024-Q3: demand x 1.2 as it starts
    assert seen[boom - world.first_quarter] > 1.1 * seen[boom - world.first_quarter - 1]


def test_a_failed_firms_open_offers_are_withdrawn(doomed: Scenario) -> None:
    """An offer from a firm that failed still asked for "YOUR ANSWER" and counted in the
    dashboard's offer badge, only to be refused when accepted."""
    game = Game(doomed, 7, ("redlab", "cloudco"))
    sent = ok(game, ProposeDeal("cloudco", "redlab", cash=1e9, stake=0.01))
    end(game)
    assert game.world.failed[ix(game, "redlab")]
    withdrawn = offer(game, sent.offer)
    assert (withdrawn.status, withdrawn.reason) == ("withdrawn", "Red Lab has failed")


def test_the_start_share_price_counts_shares_the_opening_events_sold() -> None:
    """Amazon's 1.25 bn into Anthropic opens the history scenario with new shares, so
    Anthropic's September share price is its valuation over 1.3125 shares, not over one:
    "25x the start share price" was 33x the price the player saw."""
    from game.engine.observe import Observer

    game = Game(load_scenario("history").scenario, 7, ("anthropic",))
    world = game.world
    lab = world.index["anthropic"]
    assert world.shares[lab] > 1.3
    price = world.start_valuation[lab] / world.shares[lab]
    assert world.start_share_price[lab] == pytest.approx(price)
    assert Observer(world, me="anthropic").call("start_share_price", ["anthropic"]) == pytest.approx(price)
    assert game.goal("anthropic").score == pytest.approx(world.metrics["share_price"][lab] / price)


def test_the_score_is_the_share_price_growth(make_game: MakeGame) -> None:
    """A lab that sells new shares grows its valuation by their price, not its shareholders'
    wealth: the score follows the share price, the valuation for a firm that sells none."""
    game = make_game("redlab")
    world = game.world
    lab, cloud = ix(game, "redlab"), ix(game, "cloudco")
    assert game.act(RaiseOutside("redlab", rules.raise_limit(world, lab))).ok
    game.act(EndQuarter(""))
    growth = world.growth()
    assert growth[lab] == pytest.approx(world.metrics["share_price"][lab] / world.start_valuation[lab])
    assert growth[lab] < world.metrics["valuation"][lab] / world.start_valuation[lab]
    assert growth[cloud] == pytest.approx(world.metrics["valuation"][cloud] / world.start_valuation[cloud])
    assert game.goal("redlab").score == growth[lab]


def test_a_lab_sells_no_shares_below_what_outside_investors_pay(make_game: MakeGame) -> None:
    """Amazon bought 45% of OpenAI for 20 bn, 55% below the market, and sold it back the same
    quarter for 30 bn. A bot lab now counters at the outside investors' price, and a stake
    bought at it and sold at once loses money."""
    game = make_game("cloudco")
    world = game.world
    lab, me = ix(game, "redlab"), ix(game, "cloudco")
    cash = 0.3 * value_of(game, "redlab")
    cheap = an_offer(game, "cloudco", "redlab", cash, 0.45)
    most = negotiation.cheapest_stake(world, cheap)
    assert most < 0.45
    verdict = negotiation.judge(world, cheap)
    assert (verdict.decision, verdict.stake, verdict.reason) == ("counter", most, negotiation.BELOW_MARKET)
    assert negotiation.judge(world, replace(cheap, stake=2.5 * most)).decision == "reject"
    before = cash_of(game, "cloudco")
    ok(game, ProposeDeal("cloudco", "redlab", cash, most))
    ok(game, SellStake("cloudco", "redlab", float(world.stakes[me, lab])))
    assert cash_of(game, "cloudco") < before


def test_a_failed_firm_keeps_its_failure_cost(doomed_source: str) -> None:
    """EGJ charge a failed firm its failure cost for as long as it stays failed: its value is
    cash - debt - cost (or zero) from the quarter it fails on, with no bounce back to its cash
    the quarter after (which read as a recovery)."""
    # Red Lab loses its business a quarter in, with cash left and no new debt
    source = doomed_source.replace('when = "2024-Q1"', 'when = "2024-Q2"')
    source = source.replace('  { do = "adjust", firm = "redlab", field = "debt", add = 1e11 },\n', "")
    game = Game(parse_scenario(source, "doomed_later.toml"), 7)
    red = ix(game, "redlab")
    end(game, 2)
    world = game.world
    assert world.failed[red] and world.failure_loss[red] > 0
    at_failure = world.metrics["valuation"][red]
    end(game, 2)
    own = world.cash[red] - world.debt[red] - world.failure_loss[red]
    assert world.metrics["valuation"][red] == pytest.approx(max(0.0, own), abs=1.0)
    assert world.metrics["valuation"][red] <= at_failure + 1.0


def test_a_deal_with_a_chipmaker_says_chips(make_game: MakeGame) -> None:
    """A reviewer's Ember signed with Helix to buy chips, and "Deal signed" said compute."""
    game = make_game("redlab")
    chips = an_offer(game, "chipco", "redlab", 1e9, 0.01, compute_total=2e9)
    assert rules.execute_deal(game.world, chips).endswith("; $2 bn of chips over 8 quarters.")
    compute = an_offer(game, "cloudco", "redlab", 1e9, 0.01, compute_total=2e9)
    assert rules.execute_deal(game.world, compute).endswith("; $2 bn of compute over 8 quarters.")


def test_a_bot_lab_that_may_not_sell_more_shares_skips_its_raise_and_the_quarter_ends(
    bundled: Callable[[str], LoadedScenario],
) -> None:
    """A valid file in which Atlas holds 98.95% of a cash-starved Obsidian: its bot's outside
    raise broke the 1% rule, the refusal stopped every End quarter, and simulate never ended."""
    source = bundled("tutorial").source
    obsidian = 'id = "obsidian"\nname = "Obsidian AI"\nkind = "lab"\ncash = '
    source = source.replace(obsidian + '"6 bn"', obsidian + '"0.1 bn"')
    source += '\n[[stakes]]\nholder = "atlas"\nfirm = "obsidian"\nshare = 0.9895\n'
    assert '"0.1 bn"' in source
    scenario = parse_scenario(source)
    for seed in (1, 2, 3):
        game = Game(scenario, seed)
        game.play_out()
        assert game.world.finished


def test_a_condition_reads_cash_and_debt_as_they_are_now_not_at_the_last_close(
    make_game: MakeGame,
) -> None:
    """A goal's 'cash ≥ $1 bn' said 'now $3.05 bn' beside a panel's $9.05 bn after an IPO."""
    game = make_game("redlab")
    world = game.world
    me = world.index["redlab"]
    assert game.act(RaiseOutside("redlab", 1e9)).ok
    observer = Observer(world, me="redlab")
    assert observer.call("cash", ("redlab",)) == float(world.cash[me]) != float(world.metrics["cash"][me])
    assert observer.call("debt", ("redlab",)) == float(world.debt[me])


def test_an_option_too_large_is_refused_with_the_largest_amount_allowed(make_game: MakeGame) -> None:
    """'may buy at most half ... at the deal's price: $665 bn' read as a price, not the limit."""
    world = make_game("cloudco").world
    lab = world.index["redlab"]
    with pytest.raises(rules.Refused) as refused:
        rules.check_option(world, lab, 1e9, 0.1, 10e9)  # the deal's price: $9 bn before its cash
    said = "the option may be at most $9 bn: at the deal's price that buys half of Red Lab"
    assert str(refused.value) == said
    rules.check_option(world, lab, 1e9, 0.1, 9e9)  # 9 / (9 + 9): exactly half


def test_an_order_of_chips_too_large_says_what_it_would_cost_against_what_can_pay(
    make_game: MakeGame,
) -> None:
    game = make_game("cloudco")
    world = game.world
    me = world.index["cloudco"]
    affordable = float(world.cash[me] + 4 * world.metrics["revenue"][me])
    outcome = game.act(BuyChips("cloudco", "chipco", 8 * affordable, 4))
    assert not outcome.ok
    assert outcome.message.startswith(
        f"the order would cost {format_money(2 * affordable, world.unit)} a quarter"
    )
    assert outcome.message.endswith(
        f"more than your cash and a year's revenue ({format_money(affordable, world.unit)}) can pay"
    )


def test_a_stake_over_the_limit_is_refused_with_what_sets_it(make_game: Callable[..., Game]) -> None:
    """ "The stake must be more than 0% and less than 42.5%" gave no reason."""
    game = make_game("cloudco")
    world = game.world
    lab = world.index["redlab"]
    refused = game.act(ProposeDeal("cloudco", "redlab", 1e9, 0.6))
    assert not refused.ok and refused.message.endswith("less than 50%: a deal sells at most half of Red Lab")
    world.stakes[world.index["skyhost"], lab] = 0.6  # firms of the game own 60%: 40% is left
    refused = game.act(ProposeDeal("cloudco", "redlab", 1e9, 0.45))
    assert refused.message.endswith("less than 40%: firms in the game own the other 60% of Red Lab")
