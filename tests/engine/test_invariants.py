"""Properties that hold in every game, whatever the seed and whatever players try.

Hypothesis plays random games: random seeds, random seats for people, and random sequences
of legal and illegal actions (weird numbers, unknown firms, other firms' offers). After each
action and each quarter it checks the books: money is conserved, stakes stay shares of a
firm, nothing is NaN or infinite, cash never goes negative, capability never falls, failed
firms stay failed, and the Elliott-Golub-Jackson dependency matrix keeps columns summing to 1.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import HealthCheck, currently_in_test_context, event, given, settings
from hypothesis import strategies as st

from game.engine.actions import (
    Action,
    EndQuarter,
    ExerciseOption,
    ProposeDeal,
    Respond,
)
from game.engine.game import Game
from game.engine.quarter import QuarterReport
from game.engine.state import World
from game.engine.valuation import dependency_matrix
from game.scenario.loader import LoadedScenario
from game.scenario.model import Adjust, Scenario

Digest = Callable[[Game], str]

Move = Callable[[st.DataObject, Game], Action]
SETTINGS = settings(
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def examples(count: int) -> settings:
    return settings(SETTINGS, max_examples=count)


# --- the checks -----------------------------------------------------------------------------


def check_world(game: Game) -> None:
    """What must be true of the world at any moment."""
    world = game.world
    stakes = world.stakes
    assert np.all(stakes >= 0.0), "a negative stake"
    assert np.all(np.diagonal(stakes) == 0.0), "a firm holds itself"
    assert np.all(stakes.sum(axis=0) < 1.0), f"a firm is owned 100% or more: {stakes.sum(axis=0)}"
    for name in ("cash", "debt", "capability", "capacity", "training_share", "sentiment"):
        values = getattr(world, name)
        assert np.all(np.isfinite(values)), f"{name} is not finite: {values}"
    # Cash never goes below zero, up to rounding: a firm that pays out all it has may be left
    # with -1 ulp of a sum of tens of billions (about -2e-6), so the floor scales with the books.
    floor = -max(1e-6, 1e-13 * float(np.abs(world.cash).sum()))
    assert np.all(world.cash >= floor), f"negative cash: {world.cash}"
    assert np.all(world.debt >= 0.0), f"negative debt: {world.debt}"
    assert np.all(world.capability >= 0.0)
    for name, value in world.metrics.items():
        assert np.all(np.isfinite(np.asarray(value, dtype=np.float64))), f"metric {name} not finite: {value}"
    for name, table in world.history.items():
        filled = table[: min(world.turn, len(table) - 1) + 1]
        assert np.all(np.isfinite(filled)), f"history of {name} not finite"
    # Elliott-Golub-Jackson: cross-holdings redistribute value but create none.
    dependency = dependency_matrix(stakes)
    assert np.all(dependency >= -1e-12)
    np.testing.assert_allclose(dependency.sum(axis=0), 1.0, rtol=0, atol=1e-9)
    base = np.abs(world.cash) + 1.0
    assert (dependency @ base).sum() == pytest.approx(base.sum(), rel=1e-9)  # outside values
    for contract in world.contracts:
        assert contract.per_quarter >= 0 and math.isfinite(contract.per_quarter)
        assert contract.remaining >= 1
    for option in world.options:
        assert math.isfinite(option.amount) and option.valuation > 0


def check_report(report: QuarterReport, cash_at_start: float, world: World) -> float:
    """Money is conserved: every change in the firms' cash since the last quarter ended,
    people's moves and events between quarters included, came from or went to outside.
    Returns the firms' cash when this quarter ended, the next one's ``cash_at_start``."""
    # What has come and gone since the quarter ended (the next quarter's opening news) is in
    # the ledger, not yet in a report.
    cash_at_close = float(world.cash.sum()) - world.ledger.outside_in + world.ledger.outside_out
    flows = cash_at_start + report.outside_in - report.outside_out
    scale = max(abs(cash_at_start), report.outside_in, report.outside_out, 1.0)
    assert abs(cash_at_close - flows) <= 1e-6 * scale, (cash_at_close, flows)
    for value in (cash_at_close, report.outside_in, report.outside_out):
        assert math.isfinite(value)
    assert report.outside_in >= 0 and report.outside_out >= 0
    return cash_at_close


def lowers_capability(scenario: Scenario) -> bool:
    """Whether some event can take capability away (then it may fall, by the author's will)."""
    effects = [e for event in scenario.events for e in event.effects]
    effects += [e for event in scenario.events for c in event.choices for e in c.effects]
    return any(isinstance(e, Adjust) and e.field == "capability" for e in effects)


class Books:
    """Tracks one game and checks it after every action."""

    def __init__(self, game: Game, digest: Digest) -> None:
        self.game = game
        self.digest = digest
        self.cash = float(sum(firm.cash for firm in game.scenario.firms))  # before any event
        self.capability_may_fall = lowers_capability(game.scenario)
        self.accepted = 0
        check_world(game)

    def act(self, action: Action) -> None:
        game, world = self.game, self.game.world
        fingerprint, log, everything = game.fingerprint(), len(game.log), self.digest(game)
        capability, failed, reports = world.capability.copy(), world.failed.copy(), len(game.reports)
        outcome = game.act(action)
        if currently_in_test_context():  # statistics for --hypothesis-show-statistics
            event(f"{'accepted' if outcome.ok else 'refused'} {action.kind}")
        assert isinstance(outcome.message, str) and outcome.message
        if not outcome.ok:
            assert game.fingerprint() == fingerprint and len(game.log) == log
            assert self.digest(game) == everything, f"refused {action} changed the world"
            return
        self.accepted += 1
        assert len(game.log) == log + 1
        check_world(game)
        assert np.all(world.failed[failed]), "a failed firm came back"
        if not self.capability_may_fall:
            assert np.all(world.capability >= capability), "capability fell"
        if isinstance(action, EndQuarter):
            assert len(game.reports) == reports + 1
            report = game.reports[-1]
            self.cash = check_report(report, self.cash, game.world)

    def finish(self) -> None:
        while not self.game.world.finished:
            self.act(EndQuarter(""))
        assert self.game.world.quarter == self.game.world.last_quarter + 1
        assert len(self.game.reports) == self.game.scenario.meta.quarters


def play_randomly(data: st.DataObject, scenario: Scenario, digest: Digest, move: Move, steps: int) -> Books:
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    firms = scenario.firm_ids()
    humans = data.draw(st.lists(st.sampled_from(firms), unique=True, max_size=3), label="humans")
    books = Books(Game(scenario, seed, tuple(humans)), digest)
    for _ in range(data.draw(st.integers(0, steps), label="steps")):
        if books.game.world.finished:
            break
        books.act(move(data, books.game))
    books.finish()
    return books


# --- the properties -------------------------------------------------------------------------


@examples(70)
@given(data=st.data())
def test_random_play_on_mini_keeps_the_books(
    data: st.DataObject, mini: Scenario, digest: Digest, random_move: Move
) -> None:
    play_randomly(data, mini, digest, random_move, steps=50)


@examples(30)
@given(seed=st.integers(0, 2**63 - 1))
def test_bots_alone_keep_the_books_for_any_seed(seed: int, mini: Scenario, digest: Digest) -> None:
    books = Books(Game(mini, seed), digest)
    books.finish()


@examples(25)
@given(data=st.data())
def test_random_play_where_a_firm_fails(
    data: st.DataObject, doomed: Scenario, digest: Digest, random_move: Move
) -> None:
    books = play_randomly(data, doomed, digest, random_move, steps=30)
    assert books.game.world.failed[books.game.world.index["redlab"]]


@pytest.mark.parametrize("scenario_id", ["history", "tutorial", "bubble"])
def test_random_play_on_bundled_scenarios(
    scenario_id: str, bundled: Callable[[str], LoadedScenario], digest: Digest, random_move: Move
) -> None:
    scenario = bundled(scenario_id).scenario

    @examples(8)
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        play_randomly(data, scenario, digest, random_move, steps=30)

    run()


def test_every_quarter_of_a_long_game_balances(mini: Scenario, digest: Digest) -> None:
    """The same checks over 60 quarters (events keep their dates), bots at every seat."""
    long = mini.model_copy(update={"meta": mini.meta.model_copy(update={"quarters": 60})})
    for seed in range(3):
        Books(Game(long, seed), digest).finish()


# --- bugs -----------------------------------------------------------------------------------


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_no_legal_moves_let_one_firm_own_all_of_another(
    make_game: Callable[..., Game], digest: Digest
) -> None:
    game = make_game("redlab", "skyhost")
    books = Books(game, digest)
    # an option at a near-zero price would buy nearly all the lab: refused when proposed
    refused = game.act(ProposeDeal("redlab", "skyhost", cash=1e-9, stake=0.49, option_amount=2e9))
    assert not refused.ok and "buys half of" in refused.message
    books.act(ProposeDeal("redlab", "skyhost", cash=1e-9, stake=0.49, option_amount=1e-9))
    sent = game.world.offers[-1]
    books.act(Respond("skyhost", sent.id, True))
    assert sent.status == "accepted"
    option = game.world.options[-1]
    books.act(ExerciseOption("skyhost", option.id))  # check_world: column sums stay below 1
