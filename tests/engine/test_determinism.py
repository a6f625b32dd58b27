"""A game is decided by its scenario, seed and log of actions, and by nothing else.

The same inputs give the same game in this process, in a replay, and in other processes
(with different hash seeds); a different seed gives a different game.
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from game.engine.actions import (
    Action,
    Bet,
    BuyChips,
    Choose,
    EndQuarter,
    ProposeDeal,
    RaiseOutside,
    SellStake,
    SetTraining,
    action_from_dict,
    action_to_dict,
)
from game.engine.game import Game, ReplayError
from game.scenario.loader import LoadedScenario, load_scenario
from game.scenario.model import Scenario
from game.simulate import run_many, run_once

MakeGame = Callable[..., Game]
Digest = Callable[[Game], str]
Run = Callable[..., subprocess.CompletedProcess[str]]

HUMANS = ("cloudco", "redlab")
SCRIPT: list[Action] = [
    Bet("cloudco", "redlab", 2e9),
    SetTraining("redlab", 0.7),
    ProposeDeal("cloudco", "blacklab", 1e9, 0.001, compute_total=1e9),
    BuyChips("cloudco", "chipco", 4e9, 4),
    EndQuarter(""),
    Choose("cloudco", "chip_question", 0),
    RaiseOutside("redlab", 1e9),
    SellStake("cloudco", "blacklab", 0.01),
    ProposeDeal("redlab", "skyhost", 5e8, 0.02),
    EndQuarter(""),
    EndQuarter(""),
]


def play_script(game: Game) -> Game:
    for action in SCRIPT:
        outcome = game.act(action)
        assert outcome.ok, f"{action}: {outcome.message}"
    return game


def test_same_scenario_seed_and_actions_give_the_same_game(make_game: MakeGame, digest: Digest) -> None:
    first, second = make_game(*HUMANS, seed=11), make_game(*HUMANS, seed=11)
    assert first.fingerprint() == second.fingerprint()
    for action in SCRIPT:
        assert first.act(action) == second.act(action)
        assert first.fingerprint() == second.fingerprint()
        assert digest(first) == digest(second)
    first.play_out()
    second.play_out()
    assert first.fingerprint() == second.fingerprint()
    assert digest(first) == digest(second)


def test_fingerprint_is_a_pure_reading(make_game: MakeGame, digest: Digest) -> None:
    game = play_script(make_game(*HUMANS, seed=11))
    before = digest(game)
    assert game.fingerprint() == game.fingerprint()
    assert len(game.fingerprint()) == 64
    assert digest(game) == before


def test_replay_of_the_log_equals_the_live_game(make_game: MakeGame, mini: Scenario, digest: Digest) -> None:
    live = play_script(make_game(*HUMANS, seed=11))
    replayed = Game.replay(mini, 11, list(live.log), HUMANS)
    assert replayed.fingerprint() == live.fingerprint()
    assert digest(replayed) == digest(live)
    live.play_out()
    replayed.play_out()
    assert digest(replayed) == digest(live)


def test_replay_through_saved_dicts(make_game: MakeGame, mini: Scenario, digest: Digest) -> None:
    live = play_script(make_game(*HUMANS, seed=11))
    log = [action_from_dict(json.loads(json.dumps(action_to_dict(a)))) for a in live.log]
    assert log == live.log
    assert digest(Game.replay(mini, 11, log, HUMANS)) == digest(live)


def test_replay_refuses_a_log_that_does_not_fit(mini: Scenario) -> None:
    log = [*SCRIPT[:4], Bet("cloudco", "redlab", 1e13)]
    with pytest.raises(ReplayError, match=r"action 5 \(bet\)"):
        Game.replay(mini, 11, log, HUMANS)
    # With nobody playing CloudCo its bot answers the question itself: the answer no longer fits.
    with pytest.raises(ReplayError, match="action 6"):
        Game.replay(mini, 11, SCRIPT[:6], ())


def test_a_different_seed_gives_a_different_game(mini: Scenario) -> None:
    prints = set()
    for seed in (3, 4, 5):
        game = Game(mini, seed)
        game.play_out()
        prints.add(game.fingerprint())
    assert len(prints) == 3


def test_refused_actions_leave_no_trace_in_the_replay(
    make_game: MakeGame, mini: Scenario, digest: Digest
) -> None:
    clean = play_script(make_game(*HUMANS, seed=11))
    noisy = make_game(*HUMANS, seed=11)
    for action in SCRIPT:
        assert not noisy.act(Bet("cloudco", "redlab", float("nan"))).ok
        assert not noisy.act(ProposeDeal("cloudco", "skyhost", 1e9, 0.1)).ok
        assert noisy.act(action).ok
    assert noisy.log == clean.log
    assert digest(noisy) == digest(clean)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_replay_equals_live_for_random_play(
    data: st.DataObject,
    mini: Scenario,
    digest: Digest,
    random_move: Callable[[st.DataObject, Game], Action],
) -> None:
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    humans = tuple(data.draw(st.lists(st.sampled_from(mini.firm_ids()), unique=True, max_size=3)))
    live = Game(mini, seed, humans)
    for _ in range(data.draw(st.integers(0, 40), label="steps")):
        if live.world.finished:
            break
        live.act(random_move(data, live))
    replayed = Game.replay(mini, seed, list(live.log), humans)
    assert replayed.fingerprint() == live.fingerprint()
    assert digest(replayed) == digest(live)


# --- across processes -----------------------------------------------------------------------


def test_simulate_json_is_the_same_in_every_process(run_cli: Run, mini: Scenario, mini_path: Path) -> None:
    outputs = []
    for hash_seed in ("0", "4242"):
        result = run_cli(
            "simulate", str(mini_path), "--seed", "3", "--json", env={"PYTHONHASHSEED": hash_seed}
        )
        assert result.returncode == 0, result.stderr
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1]
    here = json.loads(json.dumps(run_once(mini, 3)))
    assert json.loads(outputs[0]) == here
    game = Game(mini, 3)
    game.play_out()
    assert here["fingerprint"] == game.fingerprint()


def test_a_played_game_is_the_same_in_another_process(
    run_python: Run, make_game: MakeGame, mini_path: Path
) -> None:
    actions = json.dumps([action_to_dict(a) for a in SCRIPT])
    code = f"""
import json
from game.engine.actions import action_from_dict
from game.engine.game import Game
from game.scenario.loader import load_scenario

game = Game(load_scenario({str(mini_path)!r}).scenario, 11, {HUMANS!r})
for data in json.loads({actions!r}):
    assert game.act(action_from_dict(data)).ok
mid = game.fingerprint()
game.play_out()
print(json.dumps({{"mid": mid, "end": game.fingerprint(), "log": len(game.log)}}))
"""
    results = []
    for hash_seed in ("1", "987"):
        result = run_python(code, env={"PYTHONHASHSEED": hash_seed})
        assert result.returncode == 0, result.stderr
        results.append(json.loads(result.stdout))
    assert results[0] == results[1]
    game = play_script(make_game(*HUMANS, seed=11))
    mid = game.fingerprint()
    game.play_out()
    assert results[0] == {"mid": mid, "end": game.fingerprint(), "log": len(game.log)}


def test_many_runs_do_not_depend_on_how_the_work_is_split(mini_loaded: LoadedScenario) -> None:
    seeds = list(range(20, 36))
    alone = run_many(mini_loaded.source, seeds, processes=1)
    shared = run_many(mini_loaded.source, seeds, processes=2)
    assert alone == shared
    assert [o.seed for o in shared] == seeds


def test_bundled_scenarios_replay_identically(bundled: Callable[[str], LoadedScenario]) -> None:
    found = 0
    for scenario_id in ("history", "tutorial", "bubble"):
        try:
            scenario = bundled(scenario_id).scenario
        except pytest.skip.Exception:
            continue
        found += 1
        live = Game(scenario, 5)
        live.play_out()
        again = Game.replay(scenario, 5, list(live.log))
        assert again.fingerprint() == live.fingerprint()
        assert load_scenario(scenario_id).scenario == scenario
    if not found:
        pytest.skip("no bundled scenarios yet")
