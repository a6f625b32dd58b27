"""Headless batches: forecasts for the debrief."""

from __future__ import annotations

from game.scenario.loader import load_scenario
from game.simulate import forecast_seeds, run_many, share_beaten


def test_forecast_places_a_result_among_bot_games() -> None:
    loaded = load_scenario("tests/data/mini.toml")
    seeds = forecast_seeds(7, 12)
    assert seeds == forecast_seeds(7, 12) and len(set(seeds)) == 12 and 7 not in seeds
    outcomes = run_many(loaded.source, seeds, processes=1)
    firm = loaded.scenario.firm_ids().index("redlab")
    finals = sorted(o.final_score[firm] for o in outcomes)
    assert share_beaten(outcomes, firm, finals[0]) == 0.0
    assert share_beaten(outcomes, firm, finals[-1] + 1) == 1.0
    assert 0.4 <= share_beaten(outcomes, firm, finals[6]) <= 0.6
    assert share_beaten([], firm, 1.0) == 0.0


def test_text_tables_never_cut_a_firm_s_name(bundled) -> None:
    from game.report import print_run, print_summary
    from game.simulate import run_many, run_once, summarise, with_quarters

    loaded = bundled("dotcom")
    scenario = with_quarters(loaded.scenario, 2)
    assert "continental" in print_run(scenario, run_once(scenario, 1)).splitlines()[0].split()
    summary = summarise(scenario, run_many(loaded.source, [1], 2, processes=1))
    assert "Continental Bell " in print_summary(scenario, {**summary, "seconds": 0})


def test_text_tables_show_the_cycling_index_as_the_game_does(mini_loaded) -> None:
    """The command line printed "median peak cycling index: 0.012" where the game says
    "peak cycling 1.2%"; --json keeps the fraction."""
    from game.money import format_share
    from game.report import print_run, print_summary
    from game.simulate import run_once, summarise

    scenario = mini_loaded.scenario
    run = run_once(scenario, 1)
    rows = print_run(scenario, run).splitlines()[1 : 1 + len(run["quarters"])]
    cycling = [format_share(quarter["system_cycling"]) for quarter in run["quarters"]]
    assert [row.split()[-2] for row in rows] == cycling
    assert any(figure != "0%" for figure in cycling)
    summary = summarise(scenario, run_many(mini_loaded.source, [1, 2], processes=1))
    peak = format_share(summary["peak_cycling_median"])
    assert f"median peak cycling index: {peak}; " in print_summary(scenario, {**summary, "seconds": 0})
    assert isinstance(summary["peak_cycling_median"], float)  # what --json prints


def test_a_bot_game_records_the_score_the_debrief_gives() -> None:
    """The debrief's score is the share price against the start (``World.growth``), and the
    bot games are compared on it: they compared valuations, which a lab raises by selling
    shares, so a lab that kept its price as its goal asked was said to lose to every bot."""
    from game.engine.game import Game

    loaded = load_scenario("tests/data/mini.toml")
    (outcome,) = run_many(loaded.source, [11], processes=1)
    game = Game(loaded.scenario, 11)
    game.play_out()
    assert outcome.final_score == game.world.growth().tolist()
    assert outcome.final_score != outcome.final_valuation
    # whether each playable firm's bots reached its goal, as the debrief's line says
    playable = loaded.scenario.meta.playable
    assert outcome.reached == [f in playable and game.goal(f).won for f in game.world.ids]
