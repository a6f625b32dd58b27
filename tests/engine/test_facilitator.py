"""Facilitator moves: shocks at the next quarter, grants and penalties with a reason, all logged."""

from __future__ import annotations

from pathlib import Path

import pytest

from game.engine.actions import FACILITATOR, Adjudicate, EndQuarter, InjectShock, WithdrawShock
from game.engine.game import Game
from game.saves import read_save, write_save
from game.scenario.loader import load_scenario


@pytest.fixture
def tutorial() -> tuple[Game, str, str]:
    loaded = load_scenario("tutorial")
    return Game(loaded.scenario, 3, humans=("atlas",), facilitator=True), loaded.source, loaded.path


def test_a_shock_strikes_at_the_start_of_next_quarter_on_the_chosen_firm(tutorial) -> None:
    game, _, _ = tutorial
    world = game.world
    cirrus, atlas = world.index["cirrus"], world.index["atlas"]
    before = world.capacity.copy()
    outcome = game.act(InjectShock(FACILITATOR, "shock_outage", target="atlas"))
    assert outcome.ok and "next quarter" in outcome.message
    assert (world.capacity == before).all()  # nothing happens until the quarter turns
    game.act(EndQuarter(""))
    assert "shock_outage" in world.event_fired
    assert any("outage" in n.headline and "(hits Atlas Cloud)" in n.headline for n in world.news)
    # aimed at Atlas, not at the event's default target (Cirrus)
    assert world.capacity[atlas] < before[atlas]
    assert world.capacity[cirrus] >= before[cirrus] * 0.99


def test_a_shock_not_aimed_strikes_the_firm_the_scenario_names_and_says_so(tutorial) -> None:
    game, _, _ = tutorial
    world = game.world
    cirrus = world.index["cirrus"]
    calm = Game(game.scenario, game.seed, humans=game.humans, facilitator=True)  # the same, no shock
    outcome = game.act(InjectShock(FACILITATOR, "shock_outage"))
    assert outcome.ok and "aimed at Cirrus Compute" in outcome.message
    assert world.queued_shocks == [("shock_outage", "cirrus")]
    game.act(EndQuarter(""))
    calm.act(EndQuarter(""))
    assert world.capacity[cirrus] < calm.world.capacity[cirrus]
    assert any(n.headline.endswith("(hits Cirrus Compute)") for n in world.news)


def test_grant_and_penalty_move_money_from_outside_with_a_logged_reason(tutorial) -> None:
    game, _, _ = tutorial
    world = game.world
    i = world.index["vermilion"]
    cash = float(world.cash[i])
    assert game.act(Adjudicate(FACILITATOR, "vermilion", 2e9, "won the pitch contest")).ok
    assert world.cash[i] == pytest.approx(cash + 2e9)
    assert world.ledger.outside_in >= 2e9
    assert game.act(Adjudicate(FACILITATOR, "vermilion", -1e12, "broke a class rule")).ok
    assert world.cash[i] == 0 and world.debt[i] > 0  # what cash could not cover became debt
    assert [a.kind for a in game.log] == ["adjudicate", "adjudicate"]
    headlines = [n.headline for n in world.news]  # the reason is in the headline the news panel shows
    assert "The facilitator grants Vermilion AI $2 bn: won the pitch contest" in headlines


@pytest.mark.parametrize(
    "action, message",
    [
        (InjectShock(FACILITATOR, "lesson_deal"), "not one of this scenario's shocks"),
        (InjectShock(FACILITATOR, "nope"), "not one of this scenario's shocks"),
        (InjectShock(FACILITATOR, "shock_outage", target="nobody"), "unknown target"),
        (InjectShock(FACILITATOR, "shock_demand_slump", target="atlas"), "hits the whole market"),
        (InjectShock(FACILITATOR, "shock_outage", target="vermilion"), "would change nothing"),
        (Adjudicate(FACILITATOR, "atlas", 1e9, "  "), "give a reason"),
        (Adjudicate(FACILITATOR, "atlas", float("nan"), "x"), "must be a number"),
        (Adjudicate(FACILITATOR, "atlas", 0.0, "x"), "above zero"),
        (Adjudicate(FACILITATOR, "atlas", float("inf"), "x"), "absurdly large"),
        (Adjudicate(FACILITATOR, "atlas", 9e14, "x"), "what every firm together is worth"),
        (Adjudicate(FACILITATOR, "atlas", -9e14, "x"), "what every firm together is worth"),
        (Adjudicate("atlas", "atlas", 1e9, "I deserve it"), "only the facilitator"),
    ],
)
def test_illegal_facilitator_moves_are_refused(tutorial, action, message) -> None:
    game, _, _ = tutorial
    fingerprint = game.fingerprint()
    outcome = game.act(action)
    assert not outcome.ok and message in outcome.message
    assert game.fingerprint() == fingerprint and game.log == []


def test_without_facilitator_mode_nobody_can_facilitate() -> None:
    game = Game(load_scenario("tutorial").scenario, 3)
    outcome = game.act(InjectShock(FACILITATOR, "shock_demand_slump"))
    assert not outcome.ok and "facilitator mode" in outcome.message


def test_facilitated_game_saves_and_replays(tutorial, tmp_path: Path) -> None:
    game, source, path = tutorial
    game.act(InjectShock(FACILITATOR, "shock_demand_slump"))
    game.act(Adjudicate(FACILITATOR, "cirrus", 5e8, "a rescue loan from the class"))
    game.act(EndQuarter(""))
    target = write_save(game, source, path, tmp_path / "class.json")
    loaded, document = read_save(target)
    assert loaded.fingerprint() == game.fingerprint()
    assert document.options["facilitator"] is True


def test_a_queued_shock_can_be_withdrawn_before_the_quarter_ends(tutorial) -> None:
    game, _, _ = tutorial
    world = game.world
    calm = Game(game.scenario, game.seed, humans=game.humans, facilitator=True)
    assert game.act(InjectShock(FACILITATOR, "shock_outage")).ok
    outcome = game.act(WithdrawShock(FACILITATOR, "shock_outage", "cirrus"))
    assert outcome.ok and "will not strike" in outcome.message
    assert world.queued_shocks == []
    refused = game.act(WithdrawShock(FACILITATOR, "shock_outage", "cirrus"))  # nothing left to withdraw
    assert not refused.ok and "no such shock is queued" in refused.message
    game.act(EndQuarter(""))
    calm.act(EndQuarter(""))
    assert "shock_outage" not in world.event_fired
    assert game.fingerprint() == calm.fingerprint()  # the log differs, the world does not
    replayed = Game.replay(game.scenario, game.seed, game.log, humans=game.humans, facilitator=True)
    assert replayed.fingerprint() == game.fingerprint()


def test_only_the_facilitator_withdraws_a_shock(tutorial) -> None:
    game, _, _ = tutorial
    game.act(InjectShock(FACILITATOR, "shock_outage"))
    outcome = game.act(WithdrawShock("atlas", "shock_outage", "cirrus"))
    assert not outcome.ok and "only the facilitator" in outcome.message
    assert game.world.queued_shocks == [("shock_outage", "cirrus")]


def test_a_shock_queued_without_an_aim_and_withdrawn_is_listed_as_withdrawn(tutorial) -> None:
    """Queued for the whole market, the outage strikes the scenario's firm (Cirrus): the panel
    withdraws it by that firm, and the list still said it would strike."""
    from game.facilitation import facilitator_moves

    game, _, _ = tutorial
    assert game.act(InjectShock(FACILITATOR, "shock_outage")).ok
    queued_event, queued_target = game.world.queued_shocks[-1]
    assert game.act(WithdrawShock(FACILITATOR, queued_event, target=queued_target)).ok
    first, second = (move for _, move in facilitator_moves(game))
    assert first.endswith("on Cirrus Compute (withdrawn: it did not strike)")
    assert second.startswith("withdrew")
