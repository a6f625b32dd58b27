"""The soak test, short: bot games with random legal and illegal moves on every bundled
scenario (and on the tests' mini world, with a firm that fails), checking after every move
and every quarter that money is conserved, no firm is owned 100% or more and nothing is NaN
or infinite, that refused moves change nothing, and that each game replays identically and
survives a save. ``bench/soak.py`` is the long version (thousands of games)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.soak import RandomMover, play
from game.engine.game import Game
from game.scenario.loader import LoadedScenario, bundled_ids, load_scenario
from game.scenario.model import Scenario

GAMES_PER_SCENARIO = 10


@pytest.mark.parametrize("scenario_id", bundled_ids())
def test_random_games_on_a_bundled_scenario_keep_every_invariant(scenario_id: str, tmp_path: Path) -> None:
    loaded = load_scenario(scenario_id)
    rng = random.Random(scenario_id)
    for number in range(GAMES_PER_SCENARIO):
        seed = rng.randrange(2**32)
        record = play(loaded, seed, random.Random(seed), moves=10, save_to=tmp_path if number == 0 else None)
        assert record.quarters == loaded.scenario.meta.quarters
        assert sum(record.accepted.values()) > 0 and sum(record.refused.values()) > 0


def test_random_games_where_a_firm_fails_keep_every_invariant(
    doomed_source: str, doomed: Scenario, tmp_path: Path
) -> None:
    loaded = LoadedScenario(doomed, doomed_source, "doomed.toml")
    for seed in range(4):
        play(loaded, seed, random.Random(seed), moves=12, save_to=tmp_path if seed == 0 else None)


def test_the_mover_draws_every_kind_of_move(mini: Scenario) -> None:
    game = Game(mini, 1, ("cloudco", "redlab"), facilitator=True)
    mover = RandomMover(random.Random(1), game)
    kinds = {mover.draw().kind for _ in range(400)}
    assert kinds >= {"bet", "propose", "respond", "exercise", "sell", "training", "raise", "chips", "choose"}
    assert {"shock", "adjudicate"} <= kinds
