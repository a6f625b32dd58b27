"""The three teaching scenarios (amazon_option, leverage_loop, dotcom): they load, both sides
can play and are asked questions, they carry teaching notes, and each teaches what its
header says on a quick batch of seeds.

The outcome checks use 20 seeds to stay fast; the figures in each file's header were
measured on 200 with bench/bubble_outcomes.py and `circular simulate ID --runs 200`.
"""

from __future__ import annotations

import re
import statistics

import numpy as np
import pytest

from game.engine.actions import Choose, EndQuarter, ExerciseOption
from game.engine.events import EventBook
from game.engine.game import Game
from game.scenario.loader import BUNDLED_DIR, load_scenario
from game.scenario.model import Scenario

TEACHING = ("amazon_option", "leverage_loop", "dotcom")
HYPERSCALER_KINDS = {"hyperscaler", "neocloud", "chipmaker"}
SEEDS = range(20)
OPTION_PRICE = 15e9  # amazon_option: Delta's second tranche is priced at 15 bn before the money


def _load(name: str) -> Scenario:
    return load_scenario(BUNDLED_DIR / f"{name}.toml").scenario


def _played(scenario: Scenario, seeds: range = SEEDS) -> list[Game]:
    book = EventBook.of(scenario)
    games = []
    for seed in seeds:
        game = Game(scenario, seed, compiled_events=book)
        game.play_out()
        games.append(game)
    return games


@pytest.fixture(scope="module")
def runs() -> dict[str, list[Game]]:
    """Each teaching scenario played once per seed by the computer, shared by the tests."""
    return {name: _played(_load(name)) for name in TEACHING}


# --- shape ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", TEACHING)
def test_loads_with_a_fitting_length(name: str) -> None:
    scenario = _load(name)
    assert scenario.meta.id == name
    assert 8 <= scenario.meta.quarters <= 16


@pytest.mark.parametrize("name", TEACHING)
def test_both_sides_are_playable_and_asked_questions(name: str) -> None:
    scenario = _load(name)
    kinds = {f.id: f.kind for f in scenario.firms}
    asked = {e.chooser for e in scenario.events if e.choices}
    seats = set(scenario.meta.playable)
    cloud_side = {f for f in seats if kinds[f] in HYPERSCALER_KINDS}
    labs = {f for f in seats if kinds[f] == "lab"}
    assert cloud_side & asked, "no question for a playable hyperscaler, neocloud or chipmaker"
    assert labs & asked, "no question for a playable lab"


@pytest.mark.parametrize("name", TEACHING)
def test_has_goals_and_teaching_notes(name: str) -> None:
    scenario = _load(name)
    assert scenario.goals.hyperscaler.description.strip()
    assert scenario.goals.lab.description.strip()
    teaching = scenario.teaching
    assert len(teaching.objectives) >= 3
    assert len(teaching.debrief) >= 4
    assert teaching.notes.strip()
    for event in scenario.events:
        assert event.body.strip(), f"event {event.id} has no body to teach with"


@pytest.mark.parametrize("name", TEACHING)
def test_header_names_the_lesson_and_how_it_was_measured(name: str) -> None:
    text = (BUNDLED_DIR / f"{name}.toml").read_text(encoding="utf-8")
    header = text.split("[meta]")[0]
    assert "For authors" in header
    assert f"bench/bubble_outcomes.py {name}" in header
    assert "MEASURED-" not in header, "the measured figures were not filled in"


# --- amazon_option: the value of an option and of betting early ----------------------------


def test_amazon_option_the_lab_usually_but_not_always_rises_above_the_option_price(
    runs: dict[str, list[Game]],
) -> None:
    games = runs["amazon_option"]
    crimson = games[0].world.index["crimson"]
    deadline_row = 2  # after 2023-Q3 and 2023-Q4: what Delta sees in 2024-Q1, the last quarter
    at_deadline = [float(g.world.history["valuation"][deadline_row, crimson]) for g in games]
    at_end = [float(g.world.metrics["valuation"][crimson]) for g in games]
    in_the_money = sum(v > OPTION_PRICE for v in at_deadline)
    assert 11 <= in_the_money <= 19, at_deadline  # usually, but not always
    assert sum(v > OPTION_PRICE for v in at_end) >= 13, at_end


def _delta_net_gain(scenario: Scenario, book: EventBook, seed: int, strategy: str) -> float:
    """Value of Delta's Crimson shares at the end, minus the second tranche if it paid it.

    strategy: "early" pays 2.75 bn at 15 bn in the first quarter; "deadline" keeps the option
    and exercises it in its last quarter only if Crimson is worth more than 15 bn; "walk"
    never adds money. Delta declines the 2024-Q4 round at market price in all three.
    """
    game = Game(scenario, seed, humans=("delta",), compiled_events=book)
    world = game.world
    first = {"early": 1, "deadline": 0, "walk": 2}[strategy]
    assert game.act(Choose("delta", "second_tranche", first)).ok
    paid = 2.75e9 if strategy == "early" else 0.0
    while not world.finished:
        for pending in list(world.pending):
            game.act(Choose("delta", pending.event, 1))  # decline the round at market price
        for option in list(world.options):
            value = float(world.metrics["valuation"][option.firm])
            due = strategy == "deadline" and world.quarter == option.deadline and value > OPTION_PRICE
            if due and game.act(ExerciseOption("delta", option.id)).ok:
                paid += option.amount
        game.act(EndQuarter(""))
    delta, crimson = world.index["delta"], world.index["crimson"]
    return float(world.stakes[delta, crimson] * world.metrics["valuation"][crimson]) - paid


def test_amazon_option_keeping_the_option_pays_more_than_walking_away() -> None:
    scenario = _load("amazon_option")
    book = EventBook.of(scenario)
    gains = {
        s: [_delta_net_gain(scenario, book, seed, s) for seed in SEEDS] for s in ("deadline", "early", "walk")
    }
    # Both ways of putting the money in beat walking away on average; keeping the option and
    # exercising it only in the money loses money less often than the early bet, because it
    # is only exercised when the shares are worth more than they cost.
    assert statistics.mean(gains["deadline"]) > statistics.mean(gains["walk"])
    assert statistics.mean(gains["early"]) > statistics.mean(gains["walk"])
    losses = {s: sum(g < 0 for g in gains[s]) for s in gains}
    assert losses["deadline"] <= losses["early"], gains


# --- leverage_loop: debt-financed capacity against one customer ----------------------------


def test_leverage_loop_fails_often_and_mostly_the_borrowers(runs: dict[str, list[Game]]) -> None:
    games = runs["leverage_loop"]
    index = games[0].world.index
    failed = np.array([g.world.failed for g in games])
    with_failure = int(failed.any(axis=1).sum())
    assert 4 <= with_failure <= 18, with_failure  # failures in a good share of runs, not all
    rate = failed.mean(axis=0)
    assert rate[index["corvid"]] > rate[index["granite"]]  # the leveraged neocloud, not the big cloud
    assert rate[index["granite"]] == 0.0
    leveraged = failed[:, [index["corvid"], index["oriel"]]].sum()
    assert leveraged >= failed.sum() / 2, "most failures should be the firms that borrowed to build"


def test_leverage_loop_shortfalls_are_shared_by_clearing(runs: dict[str, list[Game]]) -> None:
    """Polaris defaults on its clouds, and Corvid, short in turn, on its chip bill."""
    games = runs["leverage_loop"]
    index = games[0].world.index
    defaulted = [{d for r in g.reports for d in r.defaults} for g in games]
    assert sum(index["polaris"] in d for d in defaulted) >= 4
    assert sum(index["corvid"] in d for d in defaulted) >= 2


# --- dotcom: vendor financing ---------------------------------------------------------------


def test_dotcom_vendor_round_trip_share_becomes_large(runs: dict[str, list[Game]]) -> None:
    games = runs["dotcom"]
    lantern = games[0].world.index["lantern"]
    # From the first quarter played on (row 0 is the opening position, before any money moved).
    peaks = [float(np.nanmax(g.world.history["round_trip"][1:, lantern])) for g in games]
    assert statistics.median(peaks) > 0.2, peaks


def test_dotcom_bust_takes_the_carriers_and_spares_the_incumbent(runs: dict[str, list[Game]]) -> None:
    games = runs["dotcom"]
    index = games[0].world.index
    failed = np.array([g.world.failed for g in games]).mean(axis=0)
    carriers = (failed[index["beacon"]] + failed[index["crosswire"]]) / 2
    assert carriers >= 0.5, failed
    assert failed[index["continental"]] < carriers
    assert failed[index["lantern"]] < carriers  # the vendor is hurt, but usually survives


# --- the instructor's guide -----------------------------------------------------------------

GUIDE = BUNDLED_DIR.parent / "docs" / "instructors.md"


def test_the_guide_has_a_lesson_plan_for_every_bundled_scenario() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    for path in sorted(BUNDLED_DIR.glob("*.toml")):
        assert f"### `{path.stem}`" in text, f"docs/instructors.md has no lesson plan for {path.stem}"


def test_the_guides_commands_name_real_seats_and_default_seeds() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    commands = re.findall(r"circular play ([a-z]\w*) --seed (\d+) --as ([a-z]\w*)", text)
    others = re.findall(r"`--as ([a-z]\w*)`", text)
    assert len(commands) >= 6
    for name, seed, firm in commands:
        scenario = _load(name)
        assert firm in scenario.meta.playable, f"{firm} is not a seat of {name}"
        assert int(seed) == scenario.meta.seed, (name, seed)
    seats = {f for path in BUNDLED_DIR.glob("*.toml") for f in load_scenario(path).scenario.meta.playable}
    assert set(others) <= seats, set(others) - seats
