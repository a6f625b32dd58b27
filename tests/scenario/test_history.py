"""The real-history scenario (scenarios/history.toml): it loads, carries the reported deals at
the right quarters, and its median game stays near the reported valuations.

The calibration check here uses 20 seeds and a factor of 3; bench/calibrate_history.py runs
200 seeds and requires a factor of 2.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from game.calendar import quarter_index
from game.engine.events import FELL_THROUGH
from game.engine.game import Game
from game.money import parse_money
from game.scenario.loader import load_scenario
from game.scenario.model import Commit, Event, GrantOption, Invest, Scenario, SetStake

REPO = Path(__file__).resolve().parents[2]
HISTORY = REPO / "scenarios" / "history.toml"
BENCH = REPO / "bench" / "calibrate_history.py"

# Deals from the reference table, 2023-Q3 to 2026-Q4: event id -> quarter announced.
DEALS = {
    "amazon_anthropic_1_25bn": "2023-Q3",
    "google_anthropic_2bn": "2023-Q4",
    "amazon_anthropic_2_75bn": "2024-Q1",
    "mistral_series_b": "2024-Q2",
    "amazon_anthropic_4bn": "2024-Q4",
    "google_anthropic_1bn": "2025-Q1",
    "openai_coreweave_11_9bn": "2025-Q1",
    "openai_coreweave_4bn": "2025-Q2",
    "openai_coreweave_6_5bn": "2025-Q3",
    "nvidia_coreweave_6_3bn": "2025-Q3",
    "oracle_openai_300bn": "2025-Q3",
    "nvidia_openai_loi": "2025-Q3",
    "mistral_asml": "2025-Q3",
    "amd_openai_warrants": "2025-Q4",
    "nvidia_xai_2bn": "2025-Q4",
    "google_anthropic_tpus": "2025-Q4",
    "microsoft_openai_recap": "2025-Q4",
    "openai_aws_38bn": "2025-Q4",
    "microsoft_nvidia_anthropic": "2025-Q4",
    "nvidia_coreweave_2bn": "2026-Q1",
    "openai_122bn_round": "2026-Q1",
    "amazon_anthropic_25bn": "2026-Q2",
}


@pytest.fixture(scope="module")
def history() -> Scenario:
    return load_scenario(HISTORY).scenario


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("calibrate_history", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being built
    spec.loader.exec_module(module)
    return module


def _event(scenario: Scenario, event_id: str) -> Event:
    found = [e for e in scenario.events if e.id == event_id]
    assert found, f"no event '{event_id}'"
    return found[0]


def test_loads_with_the_schema_line_and_the_promised_meta(history: Scenario) -> None:
    assert HISTORY.read_text(encoding="utf-8").splitlines()[0] == "#:schema ./circular-scenario.schema.json"
    meta = history.meta
    assert (meta.id, meta.start, meta.quarters, meta.unit) == ("history", "2023-Q3", 14, "USD")
    assert {"microsoft", "amazon", "google", "nvidia", "openai", "anthropic"} <= set(meta.playable)


def test_firms_and_colours(history: Scenario) -> None:
    kinds = {f.id: f.kind for f in history.firms}
    assert kinds["coreweave"] == "neocloud"
    assert kinds["amd"] == kinds["nvidia"] == "chipmaker"
    assert {kinds[f] for f in ("microsoft", "amazon", "google", "oracle")} == {"hyperscaler"}
    colours = {f.id: f.colour for f in history.firms if f.kind == "lab"}
    assert colours["openai"] == "black"
    assert colours["anthropic"] == "red"
    assert colours["xai"] == "green"
    assert colours["mistral"] == "other"


def test_opening_stakes_commitments_and_the_amazon_option(history: Scenario) -> None:
    stakes = {(s.holder, s.firm): s for s in history.stakes}
    assert stakes["microsoft", "openai"].share == pytest.approx(0.49)
    assert stakes["microsoft", "openai"].invested == pytest.approx(13e9)
    assert stakes["google", "anthropic"].share == pytest.approx(0.10)
    assert stakes["nvidia", "coreweave"].share == pytest.approx(0.06)
    buyers = {(c.buyer, c.seller) for c in history.commitments}
    assert ("openai", "microsoft") in buyers
    (option,) = [o for o in history.options if (o.holder, o.firm) == ("amazon", "anthropic")]
    assert option.amount == pytest.approx(2.75e9)
    assert option.deadline == "2024-Q1"


@pytest.mark.parametrize(("event_id", "quarter"), sorted(DEALS.items()))
def test_every_reported_deal_is_an_event_at_its_quarter(
    history: Scenario, event_id: str, quarter: str
) -> None:
    event = _event(history, event_id)
    assert event.when == quarter
    assert event.headline


def test_the_deal_terms_of_a_few_events(history: Scenario) -> None:
    amazon = _event(history, "amazon_anthropic_1_25bn").effects
    invest = next(e for e in amazon if isinstance(e, Invest))
    assert (invest.investor, invest.firm, invest.cash) == ("amazon", "anthropic", 1.25e9)

    recap = _event(history, "microsoft_openai_recap").effects
    set_stake = next(e for e in recap if isinstance(e, SetStake))
    assert (set_stake.holder, set_stake.firm, set_stake.share) == ("microsoft", "openai", 0.27)
    azure = next(e for e in recap if isinstance(e, Commit))
    assert (azure.buyer, azure.seller, azure.total) == ("openai", "microsoft", 250e9)

    deal = _event(history, "microsoft_nvidia_anthropic").effects
    cash = {e.investor: e.cash for e in deal if isinstance(e, Invest)}
    assert cash == {"microsoft": 5e9, "nvidia": 10e9}
    assert any(isinstance(e, Commit) and e.total == 30e9 for e in deal)

    aws = _event(history, "openai_aws_38bn").effects
    assert [(e.buyer, e.seller, e.total) for e in aws if isinstance(e, Commit)] == [
        ("openai", "amazon", 38e9)
    ]
    round_ = _event(history, "openai_122bn_round").effects
    assert any(isinstance(e, GrantOption) and e.holder == "amazon" for e in round_)


def test_the_nvidia_letter_of_intent_is_not_binding_by_default(history: Scenario) -> None:
    loi = _event(history, "nvidia_openai_loi")
    assert not loi.effects
    assert loi.chooser == "nvidia"
    assert loi.default_choice is not None
    assert not loi.choices[loi.default_choice].effects


def test_dated_events_fall_in_order_and_questions_go_to_players(history: Scenario) -> None:
    dates = [quarter_index(e.when) for e in history.events if e.when is not None]
    assert dates == sorted(dates), "dated events are listed in time order"
    triggered = [e for e in history.events if e.condition is not None]
    assert len(triggered) >= 3
    for event in history.events:
        if event.choices:
            assert event.chooser in history.meta.playable, event.id


def test_goals_and_teaching(history: Scenario) -> None:
    assert "start_valuation(me)" in history.goals.hyperscaler.win
    assert "failed(me)" in (history.goals.lab.lose or "")
    text = " ".join(history.teaching.debrief) + history.teaching.notes
    assert "Lucent" in text and "8.1 bn" in text and "37.9 bn" in text
    assert history.teaching.objectives


def test_a_game_plays_to_the_end_with_every_scripted_deal_affordable(history: Scenario) -> None:
    game = Game(history, 0)
    game.play_out()
    fell = [n.headline for n in game.world.news if n.headline.startswith(FELL_THROUGH)]
    assert not fell, fell
    assert game.world.finished


def test_a_scripted_move_of_a_player_s_money_says_the_scenario_made_it(history: Scenario) -> None:
    """As Google, the 2023-Q4 summary told of Google's 2 bn into Anthropic as if Google had
    done it; the news now says the scenario did, and only history's real figures are quoted."""
    game = Game(history, 5, ("google",))
    game.play_out()
    news = {n.headline: n.body for n in game.world.news if n.kind == "event"}
    assert "Scripted: the scenario made this move for Google" in news["Google commits 2 bn more to Anthropic"]
    added = next(body for headline, body in news.items() if headline.startswith("Google adds 1 bn"))
    assert "Scripted" in added
    # a bot's scripted move is its own: no such sentence where no person plays the firm
    assert not any("Scripted" in body for headline, body in news.items() if headline.startswith("OpenAI"))


def test_event_texts_quote_stakes_and_totals_as_real_life_figures(history: Scenario) -> None:
    """A headline said "about 14%" of Anthropic while the money map showed Google's 43%: a
    stake or a total the game does not set is said to be the real one."""
    quoting = [
        "amazon_anthropic_4bn",
        "google_anthropic_1bn",
        "openai_coreweave_6_5bn",
        "google_anthropic_tpus",
        "openai_coreweave_11_9bn",
        "google_anthropic_2bn",
    ]
    for event_id in quoting:
        event = _event(history, event_id)
        assert "real life" in event.headline + event.body, event_id


def test_median_valuations_stay_within_a_factor_of_3_of_history(history: Scenario, bench: ModuleType) -> None:
    runs = [bench.play(history, seed) for seed in range(20)]
    misses = [
        f"{rep.quarter} {rep.lab}: {median / 1e9:.0f} bn vs {rep.value / 1e9:.0f} bn"
        for rep, median, ratio, _spread in bench.calibration_rows(history, runs)
        if not 1 / 3 <= ratio <= 3
    ]
    assert not misses, misses


def test_reported_values_in_the_bench_match_the_deal_table(bench: ModuleType) -> None:
    reported = {(r.quarter, r.lab): r.value for r in bench.REPORTED}
    assert reported["2025-Q4", "anthropic"] == parse_money("350 bn")
    assert reported["2026-Q1", "openai"] == parse_money("852 bn")
    assert len(reported) == 11
