"""The scenarios shipped in scenarios/: they load, and they play the way their notes promise.

The outcome checks use few seeds to stay fast; bench/bubble_outcomes.py measures the same
things on 200 seeds.
"""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest

from game.engine.game import Game
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
def test_a_cloud_side_and_a_lab_are_playable(path: Path) -> None:
    scenario = load_scenario(path).scenario
    kinds = {f.id: f.kind for f in scenario.firms}
    playable = {kinds[f] for f in scenario.meta.playable}
    assert playable & HYPERSCALER_KINDS, "no playable hyperscaler, neocloud or chipmaker"
    assert "lab" in playable, "no playable lab"


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
