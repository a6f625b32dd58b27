"""The scenarios shipped in scenarios/: they load, and they play the way their notes promise.

The outcome checks use few seeds to stay fast; bench/bubble_outcomes.py measures the same
things on 200 seeds.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from game.engine.actions import EndQuarter, RaiseOutside
from game.engine.game import Game
from game.engine.rules import raise_limit
from game.scenario.loader import BUNDLED_DIR, load_scenario
from game.scenario.model import Scenario

SCHEMA_LINE = "#:schema ./circular-scenario.schema.json"
SCENARIO_FILES = sorted(BUNDLED_DIR.glob("*.toml"))
HYPERSCALER_KINDS = {"hyperscaler", "neocloud", "chipmaker"}


def _load(name: str) -> Scenario:
    return load_scenario(BUNDLED_DIR / f"{name}.toml").scenario


def _failures(scenario: Scenario, seeds: range) -> list[int]:
    counts = []
    for seed in seeds:
        game = Game(scenario, seed)
        game.play_out()
        counts.append(int(game.world.failed.sum()))
    return counts


def test_the_bundled_scenarios_exist() -> None:
    names = {p.stem for p in SCENARIO_FILES}
    assert {"tutorial", "bubble"} <= names


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_loads_without_problems(path: Path) -> None:
    loaded = load_scenario(path)  # raises ScenarioError listing every problem
    assert loaded.scenario.meta.id == path.stem


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_starts_with_the_schema_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first == SCHEMA_LINE


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_the_readme_names_the_firms_a_person_may_play(path: Path) -> None:
    """A newcomer read the README, tried `--as xai` on history and was refused."""
    readme = (BUNDLED_DIR.parent / "README.md").read_text(encoding="utf-8")
    row = next(line for line in readme.splitlines() if line.startswith(f"| `{path.stem}` |"))
    named = [cell.strip("` ") for cell in row.rstrip(" |").split("|")[-1].split(",")]
    assert named == load_scenario(path).scenario.meta.playable


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_a_cloud_side_and_a_lab_are_playable(path: Path) -> None:
    scenario = load_scenario(path).scenario
    kinds = {f.id: f.kind for f in scenario.firms}
    playable = {kinds[f] for f in scenario.meta.playable}
    assert playable & HYPERSCALER_KINDS, "no playable hyperscaler, neocloud or chipmaker"
    assert "lab" in playable, "no playable lab"


def _raises_the_most_and_nothing_else(scenario: Scenario, lab: str, seed: int) -> bool:
    """One game in which ``lab``'s seat raises all outside investors allow every quarter and
    does nothing else; True if it reached its goal."""
    game = Game(scenario, seed, humans=(lab,))
    world = game.world
    i = world.index[lab]
    while not world.finished:
        most = raise_limit(world, i)
        if most > 0 and not world.failed[i]:
            game.act(RaiseOutside(lab, most))
        game.act(EndQuarter(lab))
    return game.goal(lab).won


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda p: p.stem)
def test_no_lab_goal_is_won_by_raising_alone(path: Path) -> None:
    """A raise adds its cash to the valuation and the bank, so a goal of valuation or cash was
    won by raising every quarter in every game; a goal that asks for the share price, which
    each round dilutes, must be played for (seeds 0-19: at most half of them today)."""
    scenario = load_scenario(path).scenario
    labs = [f.id for f in scenario.firms if f.kind == "lab" and f.id in scenario.meta.playable]
    for lab in labs:
        wins = sum(_raises_the_most_and_nothing_else(scenario, lab, seed) for seed in range(20))
        assert wins < 15, f"{lab} reaches its goal in {wins} of 20 games by raising alone"


def test_only_the_tutorial_says_it_is_one() -> None:
    """The title screen lists a scenario with ``tutorial = true`` first, for newcomers."""
    tutorials = [path.stem for path in SCENARIO_FILES if _load(path.stem).meta.tutorial]
    assert tutorials == ["tutorial"]


def test_tutorial_lessons_come_one_a_quarter_and_ask_the_players() -> None:
    scenario = _load("tutorial")
    assert 6 <= scenario.meta.quarters <= 8
    dated = [e.when for e in scenario.events if e.when is not None]
    assert len(dated) == len(set(dated)), "two lessons in the same quarter"
    questions = [e for e in scenario.events if e.choices]
    assert len(questions) >= 2
    assert all(e.chooser in scenario.meta.playable for e in questions)
    assert scenario.teaching.objectives and scenario.teaching.debrief


def test_tutorial_median_game_has_no_failures() -> None:
    counts = _failures(_load("tutorial"), range(20))
    assert statistics.median(counts) == 0, counts


def test_bubble_usually_ends_in_several_failures() -> None:
    counts = _failures(_load("bubble"), range(40))
    assert sum(c >= 2 for c in counts) >= 20, counts


def test_tutorial_s_scripted_note_names_the_answer_and_not_history() -> None:
    """Lesson 2's note ended "(in the history scenario, what really happened)" inside the
    tutorial, and said "the scenario" made a move that Vermilion's answer made."""
    game = Game(_load("tutorial"), 3, ("atlas",))
    game.end_quarter()
    body = next(n.body for n in game.world.news if n.headline.startswith("Vermilion AI: Accept"))
    assert "Scripted: Vermilion AI's answer made this move for Atlas Cloud without asking" in body
    assert "history" not in body
