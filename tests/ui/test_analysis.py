"""The UI's read-only views of the world: loops, positions, turning points, exports, input."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest

from game.engine.actions import Bet, EndQuarter, ProposeDeal
from game.engine.game import GoalCheck
from game.engine.quarter import due_payments
from game.money import format_money
from game.scenario.loader import LoadedScenario
from game.scenario.model import Scenario
from game.ui import analysis, fmt
from game.ui.screens.moves import share_to_sell
from game.ui.session import Session, new_tag
from game.words import listing


def test_the_mini_world_has_its_one_loop(make_game) -> None:
    game = make_game("cloudco")
    world = game.world
    cloudco, blacklab, redlab, skyhost = (
        world.index[f] for f in ("cloudco", "blacklab", "redlab", "skyhost")
    )
    links = analysis.money_links(world)
    kinds = {(link.source, link.target, link.kind) for link in links}
    assert (cloudco, blacklab, "stake") in kinds
    assert (blacklab, cloudco, "compute") in kinds
    loops = analysis.find_loops(world, links)
    assert [cloudco, blacklab] in loops
    assert analysis.in_loop(loops, blacklab, cloudco)
    assert not analysis.in_loop(loops, redlab, skyhost)  # Red Lab pays SkyHost, but nobody invested


def test_a_bet_closes_a_second_loop(make_game) -> None:
    game = make_game("skyhost")
    world = game.world
    assert game.act(Bet("skyhost", "redlab", 1e9)).ok
    loops = analysis.find_loops(world)
    assert [world.index["skyhost"], world.index["redlab"]] in loops
    assert all(loop[0] == min(loop) for loop in loops)
    assert len({tuple(loop) for loop in loops}) == len(loops)


def test_failure_waves_are_explained(doomed) -> None:
    from game.engine.game import Game

    game = Game(doomed, 7, ("cloudco",))
    game.act(EndQuarter(""))
    report = game.reports[-1]
    assert report.waves, "the doomed scenario makes Red Lab fail in the first quarter"
    lines = analysis.wave_reasons(game.world, report.waves)
    assert lines[0][0].startswith("Red Lab: its value fell below")
    points = analysis.turning_points(game.world, [game.world.index["cloudco"]])
    failed = [game.world.names[i] for wave in report.waves for i in wave]
    # the firms by name, as the guide's "the first failures" promises: not "1 firm failed"
    assert f"{listing(failed)} failed" in [p.text for p in points] and failed[0] == "Red Lab"


def test_a_firm_that_fell_by_itself_says_what_went_wrong(make_game) -> None:
    """Obsidian failed with 24 bn in cash, "its value fell below what it needs to keep going",
    and nothing said that it had lost its cloud and with it its revenue."""
    game = make_game("cloudco")
    game.act(EndQuarter(""))
    world = game.world
    red = world.index["redlab"]
    world.history["revenue"][1, red] = 0.1 * world.history["revenue"][0, red]
    (line,) = analysis.wave_reasons(world, [[red]], defaults=[red])[0]
    assert line.startswith("Red Lab: its value fell below what it needs to keep going; ")
    assert "its revenue fell 90%, to $" in line and line.endswith("and it could not pay all it owed")
    world.history["revenue"][1, red] = world.history["revenue"][0, red]
    assert analysis.wave_reasons(world, [[red]])[0] == [
        "Red Lab: its value fell below what it needs to keep going"
    ]


def test_position_and_quarters_left(make_game) -> None:
    game = make_game("cloudco")
    world = game.world
    me = world.index["cloudco"]
    pos = analysis.position(world, me)
    assert pos.cash == pytest.approx(60e9)
    assert pos.owed_to == pytest.approx(8e9)
    assert analysis.quarters_left(world) == 8
    assert analysis.current_quarter_name(world) == "2024-Q1"
    game.act(EndQuarter(""))
    assert analysis.quarters_left(world) == 7
    assert len(analysis.series(world, "valuation", me)) == 2
    assert analysis.row_label(world, 0) == "start" and analysis.row_label(world, 1) == "2024-Q1"


@pytest.mark.parametrize(
    ("quarters", "said"),
    [(None, ""), (4.0, ""), (3.4, "Cash lasts about 3 quarters"), (1.2, "Cash lasts about 1 quarter"),
     (0.5, "Cash lasts less than a quarter"), (0.0, "Out of cash: you borrow to pay")],
)  # fmt: skip
def test_the_runway_warning_reads_plainly(quarters: float | None, said: str) -> None:
    assert analysis.runway_warning(quarters) == said


def test_runway_is_cash_over_what_goes_out_less_what_comes_in() -> None:
    """Ember in the bubble: a quarter and a half of cash at the start, and nothing left once it
    has spent it (a passive player failed in every game, unwarned)."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("bubble").scenario, 1, ("ember",))
    world, me = game.world, game.world.index["ember"]
    due = float(due_payments(world)[me].sum())
    burn = (
        world.costs[me] + world.debt[me] * world.market["interest_rate"] + due - world.metrics["revenue"][me]
    )
    assert analysis.net_runway(world, me) == pytest.approx(world.cash[me] / burn)
    assert analysis.runway_warning(analysis.net_runway(world, me)) == "Cash lasts about 2 quarters"
    assert analysis.net_runway(world, world.index["nimbus"]) is None  # a cloud that earns more than it pays


@pytest.mark.parametrize(
    ("margin", "said"),
    [(None, ""), (0.4, ""), (0.18, "A fall of 18% would make you fail"),
     (0.0, "Below the failure line: you fail at the end of the quarter unless your value recovers")],
)  # fmt: skip
def test_the_failure_warning_reads_plainly(margin: float | None, said: str) -> None:
    assert analysis.failure_warning(margin) == said


def test_the_failure_margin_is_the_fall_to_the_failure_line() -> None:
    """Ember in the bubble (seed 11): a reviewer's Ember failed with no warning, the bar unseen.
    The margin is the fall that would take the valuation to the line; a failed firm has none."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("bubble").scenario, 11)
    world, me = game.world, game.world.index["ember"]
    line = analysis.failure_line(world, me)
    assert 0 < line < world.metrics["valuation"][me]
    fall = 1 - line / world.metrics["valuation"][me]  # the fall from the valuation to the line
    assert analysis.failure_margin(world, me) == pytest.approx(fall)
    while not world.failed[me] and not world.finished:
        game.end_quarter()
    if world.failed[me]:
        assert analysis.failure_margin(world, me) is None


def test_exports_cover_the_whole_game(make_game) -> None:
    game = make_game("cloudco")
    game.play_out()
    world = game.world
    rows = list(csv.DictReader(io.StringIO(analysis.history_csv(world))))
    assert len(rows) == (world.last_quarter - world.first_quarter + 2) * world.n
    assert rows[0]["quarter"] == "start" and rows[-1]["quarter"] == "2025-Q4"
    assert float(rows[0]["valuation"]) > 0
    markdown = analysis.debrief_markdown(game, [("cloudco", "CloudCo")])
    assert markdown.startswith("# Debrief: Mini world")
    assert "## Ranking" in markdown and "**CloudCo**" in markdown
    # which part of the goal held and which did not, in the You panel's words, a line each
    checks = [
        analysis.goal_check_line(world, check, narrow=False) for check in game.goal_checklist("cloudco")
    ]
    assert (
        checks and "The goal, part by part, at the end:\n\n" + "".join(f"- {c}\n" for c in checks) in markdown
    )
    ranked = analysis.ranking(world)
    assert sorted(r.firm for r in ranked) == list(range(world.n))


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("2", 2e9),
        ("2 bn", 2e9),
        ("500 m", 5e8),
        ("$1.5bn", 1.5e9),
        ("0.25", 2.5e8),
        (".5", 5e8),
        ("1,500 m", 1.5e9),
        ("1.5", 1.5e9),
    ],
)
def test_amounts_typed_by_the_player(text: str, amount: float) -> None:
    assert fmt.read_amount(text) == pytest.approx(amount)


@pytest.mark.parametrize("text", ["", "lots", "2 zillion"])
def test_unreadable_amounts_explain_themselves(text: str) -> None:
    with pytest.raises(ValueError, match=r"amount|money"):
        fmt.read_amount(text)


@pytest.mark.parametrize(("text", "advice"), [("1,5", "write 1.5"), ("2,75 bn", "write 2.75 bn")])
def test_a_decimal_comma_is_refused_with_the_amount_to_write(text: str, advice: str) -> None:
    """Typed "1,5" used to read as 15 bn: ten times what a European player meant."""
    with pytest.raises(ValueError, match="separates thousands") as refused:
        fmt.read_amount(text)
    assert advice in str(refused.value)


@pytest.mark.parametrize(
    ("amount", "typed"),
    [(550.9e6, "550 m"), (26.5479e9, "26.547 bn"), (2e9, "2 bn"), (1.5e9, "1.5 bn"), (0.4e6, "0 m")],
)
def test_an_amount_filled_in_for_the_player_is_rounded_down(amount: float, typed: str) -> None:
    assert fmt.typed_amount(amount) == typed
    assert fmt.read_amount(typed) <= amount  # never more than was worked out: a hedge stays within cash


@pytest.mark.parametrize(
    ("amount", "typed"),
    [(51.228e9, "51.2 bn"), (2.0456e9, "2.05 bn"), (350e9, "350 bn"), (1.25e12, "1.25 tn"), (500e6, "500 m")],
)
def test_a_counter_fills_in_amounts_as_the_offers_list_shows_them(amount: float, typed: str) -> None:
    assert fmt.shown_amount(amount) == typed
    assert f"${typed}" == format_money(amount)  # the list's figure, without its $
    assert fmt.read_amount(typed) == pytest.approx(amount, rel=0.005)


@pytest.mark.parametrize(
    ("stake", "shown"),
    [
        (0.0725, "7.25%"),  # "Deal signed: $12.3 bn for 7.2%" answered an offer of 7.25%
        (0.072, "7.2%"),
        (0.07, "7%"),
        (0.0045, "0.45%"),
        (0.1025, "10.25%"),  # typed, so shown as typed, even from 10%
        (0.00125, "0.125%"),
        (0.5, "50%"),
    ],
)
def test_a_stake_the_player_could_type_shows_as_typed(stake: float, shown: str) -> None:
    assert fmt.deal_share(stake) == shown
    assert fmt.read_share(shown) == pytest.approx(stake, rel=1e-12)


@pytest.mark.parametrize(
    ("stake", "shown"),
    [
        (0.072345, "7.23%"),  # about three figures: hundredths below 10%
        (0.147321, "14.7%"),  # tenths from 10%
        (0.103333, "10.3%"),
        (0.0045678, "0.46%"),  # two figures below 1%
        (0.00045678, "0.046%"),  # never a bare 0%
        (0.099999, "10%"),
    ],
)
def test_a_stake_worked_out_by_the_game_shows_to_about_three_figures(stake: float, shown: str) -> None:
    assert fmt.deal_share(stake) == shown


@pytest.mark.parametrize(
    ("text", "share"),
    [
        ("0.4", 0.004),  # a number is always a percentage: "0.4" is never read as 40%
        ("0.4%", 0.004),
        ("40", 0.4),
        ("40%", 0.4),
        ("2.5 %", 0.025),
        (" .5 ", 0.005),
        ("100", 1.0),
        ("0", 0.0),
    ],
)
def test_shares_typed_by_the_player(text: str, share: float) -> None:
    assert fmt.read_share(text) == pytest.approx(share, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("all", "cannot read 'all' as a share; a number is a percentage: 0.4 is 0.4%, 40 is 40%"),
        ("lots", "cannot read 'lots' as a share"),
        ("1e2", "cannot read '1e2' as a share"),
        ("nan", "cannot read 'nan' as a share"),
        ("%", "cannot read '%' as a share"),
        ("0,4", "for a decimal write 0.4"),
        ("", "type a share, like 10%"),
        ("-5", "a share is from 0% to 100%"),
        ("-0.4%", "a share is from 0% to 100%"),
        ("100.5", "a share is from 0% to 100%"),
        ("150%", "a share is from 0% to 100%"),
    ],
)
def test_a_share_that_cannot_be_read_says_why(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        fmt.read_share(text)


@pytest.mark.parametrize(
    ("typed", "held", "sold"),
    [
        ("0.4", 0.004, 0.004),  # a holding of 0.4% typed as shown sold 40% (refused)
        ("0.4%", 0.004, 0.004),
        ("all", 0.004, 0.004),
        ("0.25", 0.004, 0.0025),
        ("40", 0.004, 0.4),  # the engine refuses it: at most 0.4%
        ("40%", 0.5, 0.4),
        ("1.87%", 0.0187, 0.0187),  # the holding as the dialog shows it
        ("1.9", 0.0187, 0.0187),  # as the dashboard shows it, over the holding: all of it
        ("1.8", 0.0187, 0.018),
        ("13", 0.134, 0.13),  # under the holding: as typed, not all of it
    ],
)
def test_a_share_to_sell_is_a_percentage_and_the_holding_as_shown_is_all_of_it(
    typed: str, held: float, sold: float
) -> None:
    assert share_to_sell(typed, held) == pytest.approx(sold, rel=1e-12)


@pytest.mark.parametrize("typed", ["lots", "-1", "101%"])
def test_a_share_to_sell_that_cannot_be_read_is_refused(typed: str) -> None:
    with pytest.raises(ValueError):
        share_to_sell(typed, 0.004)


def test_text_helpers() -> None:
    assert fmt.change(0.052) == "▲ +5.2%"
    assert fmt.change(-0.12) == "▼ -12%"
    assert fmt.change(0.0) == "= 0%"
    assert fmt.bar(0.5, 4) == "██░░"
    assert fmt.bar(float("nan"), 2) == "░░"
    with pytest.raises(ValueError, match="must be a whole number"):
        fmt.read_whole("x", "the seed")
    with pytest.raises(ValueError, match="must be a whole number"):
        fmt.read_whole("²", "the seed")
    with pytest.raises(ValueError, match="the seed must be 0 or more"):  # -5 is a whole number
        fmt.read_whole("-5", "the seed")
    assert fmt.read_whole(" 0007 ", "the seed", 10) == 7
    with pytest.raises(ValueError, match="the seed must be at most 10"):
        fmt.read_whole("11", "the seed", 10)
    with pytest.raises(ValueError, match="at most 1,000,000,000,000,000,000"):
        fmt.read_whole("9" * 5000, "the quarters")


@pytest.mark.parametrize(
    ("data", "heights"),
    [
        ([100.0, 100.1], [0.0, 0.01]),  # 0.1% up: a hundredth of the height, not all of it
        ([100.0, 99.9], [0.01, 0.0]),
        ([5.0, 5.0, 5.0], [0.0, 0.0, 0.0]),  # flat stays flat
        ([0.0, 0.0], [0.0, 0.0]),
        ([7.0], [0.0]),
        ([], []),
        ([100.0, 150.0, 50.0], [0.5, 1.0, 0.0]),  # a real move fills the height, as before
        ([1.0, 0.95], [0.5, 0.0]),  # a 5% fall: half the height
    ],
)
def test_a_sparkline_draws_a_small_move_small_and_a_flat_series_flat(data, heights) -> None:
    assert fmt.spark_heights(data) == pytest.approx(heights, abs=1e-3)


def test_a_share_rising_from_nothing_is_a_step_on_its_own_scale_not_a_leap() -> None:
    assert fmt.spark_heights([0.0, 0.05], least_span=0.25) == pytest.approx([0.0, 0.2])
    assert fmt.spark_heights([0.0, 0.05]) == pytest.approx([0.0, 1.0])  # a valuation's scale
    assert fmt.spark_heights([0.1, 0.5], least_span=0.25) == pytest.approx([0.0, 1.0])


def test_a_line_ends_at_the_figure_beside_it_after_a_bet_since_the_close(make_game) -> None:
    game = make_game("cloudco")
    world = game.world
    lab = world.index["redlab"]
    game.act(EndQuarter(""))
    closed = analysis.series(world, "valuation", lab, now=float(world.metrics["valuation"][lab]))
    assert len(closed) == 2  # nothing since the close: no extra point
    assert game.act(Bet("cloudco", "redlab", 1e9)).ok
    now = float(world.metrics["valuation"][lab])
    line = analysis.series(world, "valuation", lab, now=now)
    assert line[:-1] == closed and line[-1] == now != closed[-1]


def test_session_saves_and_resumes(mini_loaded: LoadedScenario, tmp_path: Path) -> None:
    session = Session.new(mini_loaded, seed=11, firm="redlab", difficulty=None, saves_dir=tmp_path)
    assert session.firm == "redlab" and session.game.seed == 11
    assert session.unsaved
    session.end_quarter()
    auto = session.autosave()
    assert auto == tmp_path / "mini-seed11-redlab.autosave.json"
    path = session.save()
    assert path == tmp_path / "mini-seed11-redlab.json" and not session.unsaved
    resumed = Session.load(path, tmp_path)
    assert resumed.firm == "redlab"
    assert resumed.game.fingerprint() == session.game.fingerprint()
    assert not resumed.unsaved


def test_a_game_in_a_browser_saves_under_a_tag_of_its_own(
    mini_loaded: LoadedScenario, tmp_path: Path
) -> None:
    """Every browser that `circular serve --code C` served wrote mini-seed11-redlab.json over the
    last one's; now each game's files carry its tag, which a resumed game keeps."""
    first, second = (
        Session.new(mini_loaded, seed=11, firm="redlab", difficulty=None, saves_dir=tmp_path, tag=new_tag())
        for _ in range(2)
    )
    assert first.file_stem != second.file_stem
    assert (
        first.file_stem.startswith("mini-seed11-redlab-")
        and len(first.file_stem) == len("mini-seed11-redlab-") + 6
    )
    path = first.autosave()
    assert path.name == f"mini-seed11-redlab-{first.tag}.autosave.json"
    assert Session.load(path, tmp_path, tag=new_tag()).save_path() == first.save_path()
    named = Session.new(
        mini_loaded, seed=11, firm="redlab", difficulty=None, saves_dir=tmp_path, player="Ada", tag="00beef"
    )
    assert named.save().name == "mini-seed11-redlab-ada-00beef.json"
    assert Session.load(named.save(), tmp_path).tag == "00beef"
    untagged = Session.new(mini_loaded, seed=11, firm="redlab", difficulty=None, saves_dir=tmp_path)
    assert Session.load(untagged.save(), tmp_path).file_stem == "mini-seed11-redlab"  # not served: no tag


def test_a_move_leaving_less_cash_than_the_payments_due_is_flagged(make_game) -> None:
    world = make_game("redlab").world
    red = world.index["redlab"]  # $3 bn of cash; owes SkyHost $500 m a quarter, from the start
    assert analysis.short_of_commitments(world, red) == ""
    assert analysis.short_of_commitments(world, red, spend=2e9) == ""
    assert analysis.short_of_commitments(world, red, spend=2.8e9) == (
        "This leaves $200 m of cash, less than the $500 m of commitments due when the quarter ends."
    )
    assert "$3.5 bn of commitments" in analysis.short_of_commitments(world, red, new_due=3e9)
    assert analysis.short_of_commitments(world, world.index["cloudco"], spend=59e9) == ""  # owes nothing


def test_the_debrief_says_the_system_collapsed_in_plain_sentences() -> None:
    """It read "The system collapsed (Three of the five firms have failed: the little world has
    collapsed.): everyone loses." — the scenario's sentence now stands on its own."""
    from game.engine.actions import FACILITATOR, Adjudicate
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    tutorial = load_scenario("tutorial").scenario
    game = Game(tutorial, 3, ("atlas",), facilitator=True)
    for firm in [f for f in game.world.ids if f != "atlas"][:3]:
        i = game.world.index[firm]
        fine = float(game.world.metrics["valuation"][i]) + float(game.world.cash[i])  # past rescue
        assert game.act(Adjudicate(FACILITATOR, firm, -fine, "a test of the collapse")).ok
    game.play_out()
    assert game.goal("atlas").collapse
    markdown = analysis.debrief_markdown(game, [("atlas", "Atlas Cloud")])
    assert (
        "\n**The system collapsed. "
        "Three of the five firms have failed: the little world has collapsed. Everyone loses.**\n" in markdown
    )
    assert "collapsed (" not in markdown
    bubble = load_scenario("bubble").scenario  # its sentence says that everyone loses: once
    assert analysis.collapse_sentence(bubble).lower().count("everyone loses") == 1


def test_the_change_on_screen_runs_from_when_the_quarter_was_ended(make_game) -> None:
    """The change beside a valuation used to stop at the close: after the next quarter's
    news moved the valuation, "$524 bn ▼ -1.7%" sat beside a rise from $419 bn. Now it runs
    from the valuation when the quarter was ended to the one on screen, as the summary's."""
    game = make_game("cloudco")
    world = game.world
    assert analysis.valuation_changes(world).tolist() == [0.0] * world.n
    ended = world.metrics["valuation"].copy()
    game.act(EndQuarter(""))
    now = world.metrics["valuation"]
    assert analysis.valuation_changes(world) == pytest.approx(now / ended - 1.0)
    game.act(Bet("cloudco", "redlab", 1e9))  # a move during the quarter shows at once
    assert analysis.valuation_changes(world) == pytest.approx(world.metrics["valuation"] / ended - 1.0)


def test_a_collapse_is_a_loss_in_every_verdict(doomed) -> None:
    """The bubble's debrief said "everyone loses" on screen and "did not reach the goal" in
    the export for a player who met their own goal."""
    from game.engine.game import GoalResult

    result = GoalResult("x", "hyperscaler", False, False, True, "Do not fail.", 1.6)
    assert analysis.verdict(result) == "lost: the system collapsed"
    assert analysis.verdict(GoalResult("x", "lab", True, False, False, "", 2.0)) == "won"


def test_a_seat_that_can_make_no_more_moves_has_no_offer_waiting(
    mini_loaded: LoadedScenario, doomed: Scenario, doomed_source: str, tmp_path: Path
) -> None:
    """An offer still open when the game ends no longer waits for an answer (it would only be
    refused), and a seat whose firm has failed is out of play too."""
    seats = [("redlab", "Bo"), ("cloudco", "Ada")]  # a later seat's offer outlasts the quarter
    session = Session.new(mini_loaded, seed=7, firm=None, difficulty=None, saves_dir=tmp_path, seats=seats)
    game = session.game
    while analysis.quarters_left(game.world) > 2:
        game.act(EndQuarter(""))
    sent = session.act(ProposeDeal("cloudco", "redlab", 1e9, 0.2))
    offer = next(o for o in game.world.offers if o.id == sent.offer)
    session.firm = "redlab"
    assert session.out_of_play() == "" and session.awaits_me(offer) and session.open_offers_for_me() >= 1
    game.act(EndQuarter(""))
    game.act(EndQuarter(""))
    assert session.finished
    assert session.out_of_play() == "the game is over" and session.open_offers_for_me() == 0
    loaded = LoadedScenario(doomed, doomed_source, "doomed.toml")
    failed = Session.new(loaded, seed=7, firm="redlab", difficulty=None, saves_dir=tmp_path)
    assert failed.out_of_play() == ""
    failed.end_quarter()
    assert failed.out_of_play() == "Red Lab has failed"


def test_the_goal_headline_counts_its_parts_not_the_valuation() -> None:
    """Raising money lifted Anthropic's valuation 6x while new shares held its share price
    near 1.6x: "Goal · you are at 6.11x" beside a goal of 25x the share price read as progress
    the goal did not count."""
    from game.engine import rules
    from game.engine.actions import RaiseOutside
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("history").scenario, 7, ("anthropic",))
    world = game.world
    lab = world.index["anthropic"]
    for _ in range(4):
        assert game.act(RaiseOutside("anthropic", rules.raise_limit(world, lab))).ok
        game.act(EndQuarter(""))
    assert world.metrics["valuation"][lab] > 5 * world.start_valuation[lab]
    assert game.goal("anthropic").score < 3  # the score is the share price's growth, as the goal's
    checks = game.goal_checklist("anthropic")
    assert [check.met for check in checks] == [True, False, False]
    assert analysis.goal_headline(checks) == "Goal · 1 of 3 parts met"
    assert analysis.goal_headline(checks[:1]) == "Goal · met for now"
    assert analysis.goal_headline(checks[2:]) == "Goal · not met yet"
    assert analysis.goal_headline(checks[:1], over=True) == "Goal · met"  # the game is over: settled
    assert analysis.goal_headline(checks[2:], over=True) == "Goal · not met"


def test_the_goal_shows_part_by_part_with_its_figures() -> None:
    """A lab's goal asked for 35% of demand, but no screen said how much it had."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("history").scenario, 1, ("anthropic",))
    checks = game.goal_checklist("anthropic")  # Anthropic's own goal
    assert [c.text for c in checks] == [
        "not failed(me)",
        "market_share(me) >= 0.4",
        "share_price(me) >= 25 * start_share_price(me)",
    ]
    assert checks[0].met and not checks[1].met and checks[0].now is None
    world = game.world
    share = float(world.metrics["market_share"][world.index["anthropic"]])
    assert checks[1].now == pytest.approx(share) and checks[1].needs == 0.4
    lines = [analysis.goal_check_line(world, c) for c in checks]
    assert lines[0] == "✓ not failed"
    assert lines[1] == f"✗ market share ≥ 40%\n  now {fmt.deal_share(share)}"
    # a share price in money read as a valuation ("now $4 bn of $100 bn"): its growth, as the score
    assert lines[2] == "✗ share price ≥ 25× start\n  now 1.00× start"


@pytest.mark.parametrize(("written", "read"), [("0.12345", "12.345%"), ("0.0125", "1.25%"), ("0.01", "1%")])
def test_a_goal_s_share_reads_as_written(written: str, read: str) -> None:
    """A share in a goal was written to three figures ("12.3%" for 0.12345), beside deals'
    stakes written to three decimals of a point: both are format_stake now."""
    from dataclasses import replace

    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("history").scenario, 1, ("anthropic",))
    share = game.goal_checklist("anthropic")[1]
    part = replace(share, text=f"market_share(me) >= {written}", needs=float(written))
    assert analysis.goal_check_line(game.world, part).startswith(f"✗ market share ≥ {read}\n")


def test_a_share_price_part_shows_the_growth_the_score_counts() -> None:
    from game.engine.actions import EndQuarter
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("tutorial").scenario, 4, ("vermilion",))
    for _ in range(3):
        game.act(EndQuarter(""))
    score = game.goal("vermilion").score
    assert round(score, 2) != 1.0
    part = game.goal_checklist("vermilion")[-1]
    line = analysis.goal_check_line(game.world, part, narrow=False)
    assert line == f"{'✓' if part.met else '✗'} share price ≥ 1.35× start · now {score:.2f}× start"


@pytest.mark.parametrize(
    ("scenario", "firm", "lines"),
    [
        ("tutorial", "atlas", ["✓ not failed", "✗ own ≥ 10% of Vermilion AI or ≥ 10% of Obsidian AI"]),
        ("bubble", "nimbus", ["✓ not failed", "✓ hold under 1% of Ember AI\n  now 0%"]),
        ("amazon_option", "delta", ["✓ not failed", "✗ value of your stake in Crimson AI ≥ $8 bn\n  now $"]),
    ],
)
def test_the_goal_checklist_reads_in_words(scenario: str, firm: str, lines: list[str]) -> None:
    """The checklist showed code (`(stake("vermilion") ≥ 0.1 or ...)`) and a limit as a target
    to reach (`stake("ember") < 0.01 · now 0%, target 1.0%`)."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario(scenario).scenario, 9, (firm,))
    shown = [analysis.goal_check_line(game.world, check) for check in game.goal_checklist(firm)]
    assert [line[: len(start)] for line, start in zip(shown, lines, strict=False)] == lines


def test_an_either_or_part_shows_the_figures_of_each_alternative() -> None:
    """History's hyperscalers must own 10% of whichever lab leads: the part had no "now"
    line, so a player could not see who led nor how much of each lab they held."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("history").scenario, 3, ("amazon",))
    world = game.world
    either = game.goal_checklist("amazon")[-1]
    assert [[p.text for p in a] for a in either.alternatives] == [
        ['leads("openai")', 'stake(me, "openai") >= 0.10'],
        ['leads("anthropic")', 'stake(me, "anthropic") >= 0.10'],
    ]
    held = fmt.deal_share(float(world.stakes[world.index["amazon"], world.index["anthropic"]]))
    assert analysis.goal_check_line(world, either) == (
        "✗ (OpenAI leads and own ≥ 10% of OpenAI) or (Anthropic leads and own ≥ 10% of Anthropic)"
        f"\n  now OpenAI leads, 0% of OpenAI; Anthropic does not lead, {held} of Anthropic"
    )
    tutorial = Game(load_scenario("tutorial").scenario, 9, ("atlas",))
    stakes = tutorial.goal_checklist("atlas")[1]
    assert analysis.goal_check_line(tutorial.world, stakes, narrow=False) == (
        "✗ own ≥ 10% of Vermilion AI or ≥ 10% of Obsidian AI · now 0% of Vermilion AI; 0% of Obsidian AI"
    )


def test_the_bot_comparison_is_on_the_score_not_the_valuation(mini: Scenario) -> None:
    """A lab whose goal is its share price, and which raised little to keep it, was told its
    valuation beat 0% of the bot games, whose raises had bought bigger valuations: it is set
    against them on the score the debrief gives, written as the score line writes it."""
    from game.engine.game import Game
    from game.simulate import RunOutcome

    game = Game(mini, 7, ("redlab",))
    game.play_out()
    world = game.world
    redlab = world.index["redlab"]
    score = float(world.growth()[redlab])
    bigger = [10 * float(v) for v in world.metrics["valuation"]]
    lower = [score / 2] * world.n
    bots = [RunOutcome(k, bigger, lower, [False] * world.n, 0.0, 0.0, False) for k in range(4)]
    view = analysis.perspective(bots, world, redlab)
    assert (view.beaten, view.median, view.score) == (1.0, score / 2, score)
    line = analysis.perspective_line(game, redlab, view)
    name = world.names[redlab]
    assert line == (
        f"{name}'s score ({score:.2f}×) beat 100% of 4 bot games of this scenario "
        f"(their median: {score / 2:.2f}×)."
    )


def test_the_bot_comparison_says_how_often_the_bots_in_the_seat_reached_its_goal(mini: Scenario) -> None:
    """As OpenAI, "You won." stood beside "beat 3% of 1,000 bot games": the goal is not the
    score, and the line now says how often the bots playing the seat reached the goal."""
    from game.engine.game import Game
    from game.simulate import RunOutcome

    game = Game(mini, 7, ("redlab",))
    game.play_out()
    world = game.world
    redlab = world.index["redlab"]
    scores, values = world.growth().tolist(), world.metrics["valuation"].tolist()
    reached = [[k == 0 and i == redlab for i in range(world.n)] for k in range(4)]
    bots = [RunOutcome(k, values, scores, [False] * world.n, 0.0, 0.0, False, reached[k]) for k in range(4)]
    view = analysis.perspective(bots, world, redlab)
    assert view.reached == 0.25
    line = analysis.perspective_line(game, redlab, view)
    assert line.endswith(f" The bots playing {world.names[redlab]} reached its goal in 25% of them.")


def test_a_player_is_ranked_among_firms_of_its_role(bundled) -> None:
    """As Google, "You won." sat above "you came 9 of 13", the labs' share prices having grown
    tenfold more than any cloud's: a cloud is ranked with clouds and chipmakers."""
    from game.engine.game import Game

    world = Game(bundled("history").scenario, 11, ("google",)).world
    group, peers = analysis.peer_group(world, world.index["google"])
    assert group == "clouds and chipmakers"
    assert [world.ids[i] for i in peers] == [
        "microsoft",
        "amazon",
        "google",
        "oracle",
        "coreweave",
        "nvidia",
        "amd",
    ]
    group, peers = analysis.peer_group(world, world.index["openai"])
    assert (group, [world.ids[i] for i in peers]) == ("labs", ["openai", "anthropic", "xai", "mistral"])


def test_the_bot_comparison_says_when_the_facilitator_changed_the_game(mini: Scenario) -> None:
    """The bot games play the scenario without shocks, grants or fines: set against a game
    that had them, the comparison used to read as if the worlds were the same."""
    from game.engine.actions import FACILITATOR, Adjudicate
    from game.engine.game import Game

    view = analysis.Perspective(runs=1000, score=1.5, beaten=0.83, median=1.2)
    plain, facilitated = Game(mini, 7, ("cloudco",)), Game(mini, 7, ("cloudco",), facilitator=True)
    assert facilitated.act(Adjudicate(FACILITATOR, "redlab", 1e9, "won the pitch contest")).ok
    cloudco = plain.world.index["cloudco"]
    assert "of this scenario (their median" in analysis.perspective_line(plain, cloudco, view)
    line = analysis.perspective_line(facilitated, cloudco, view)
    assert "beat 83% of 1,000 bot games of this scenario, played without the facilitator's moves (" in line


def test_a_firm_s_own_goal_is_labelled_with_its_name() -> None:
    """The debrief said "Goal (hyperscaler): Back your customer…" of Oriel's own goal."""
    from game.engine.game import Game
    from game.scenario.loader import load_scenario

    game = Game(load_scenario("leverage_loop").scenario, 1)
    assert analysis.goal_owner(game, game.goal("oriel")) == "Oriel Systems"
    assert analysis.goal_owner(game, game.goal("granite")) == "hyperscaler"
    assert analysis.goal_owner(game, game.goal("polaris")) == "lab"
    dotcom = Game(load_scenario("dotcom").scenario, 1)  # "Goal (hyperscaler)" of a chipmaker
    assert analysis.goal_owner(dotcom, dotcom.goal("lantern")) == "clouds and chipmakers"


def test_a_missed_part_never_shows_the_bar_as_its_figure() -> None:
    """ "✗ own ≥ 5% of Polaris AI · now 5.0%": the stake was 4.96%."""
    from game.engine.game import Game, GoalCheck
    from game.scenario.loader import load_scenario

    world = Game(load_scenario("leverage_loop").scenario, 1).world
    text = 'stake(me, "polaris") >= 0.05'
    line = analysis.goal_check_line(world, GoalCheck(text, False, 0.0496, 0.05), narrow=False)
    assert line == "✗ own ≥ 5% of Polaris AI · now 4.96%"
    line = analysis.goal_check_line(world, GoalCheck(text, False, 0.0499999, 0.05), narrow=False)
    assert line == "✗ own ≥ 5% of Polaris AI · now just under 5%"
    line = analysis.goal_check_line(world, GoalCheck(text, True, 0.0502, 0.05), narrow=False)
    assert line == "✓ own ≥ 5% of Polaris AI · now 5.02%"


def test_two_seats_of_one_world_save_apart(mini_loaded, tmp_path) -> None:
    """A reviewer played the bubble as Ember, then as Nimbus on the same seed: the second game's
    autosave overwrote the first's (both bubble-seed7.autosave.json)."""
    from game.ui.session import Session

    def new(firm: str) -> Session:
        return Session.new(mini_loaded, seed=7, firm=firm, difficulty=None, saves_dir=tmp_path)

    cloud, lab = new("cloudco"), new("redlab")
    assert cloud.save().name == "mini-seed7-cloudco.json" and lab.save().name == "mini-seed7-redlab.json"
    assert cloud.save_path(autosave=True) != lab.save_path(autosave=True)


def test_a_share_price_just_under_its_bar_never_reads_as_the_bar(make_game) -> None:
    """'✗ share price ≥ start (1.00× start after it)' was 0.998× start."""
    world = make_game("redlab").world
    text = "share_price(me) >= start_share_price(me)"
    missed = GoalCheck(text=text, met=False, now=0.998 * 4.0, needs=4.0)
    assert analysis.goal_check_lines(world, missed)[1] == "now 0.998× start"
    met = GoalCheck(text=text, met=True, now=1.001 * 4.0, needs=4.0)
    assert analysis.goal_check_lines(world, met)[1] == "now 1.00× start"
    far = GoalCheck(text="share_price(me) >= 1.1 * start_share_price(me)", met=False, now=4.0, needs=4.4)
    assert analysis.goal_check_lines(world, far)[1] == "now 1.00× start"


def test_a_commitment_paid_only_in_part_says_what_went_unpaid(make_game) -> None:
    """The clearing's unpaid part was recorded on each contract and shown nowhere."""
    world = make_game("cloudco").world
    contract = world.contracts[0]
    link = next(
        k for k in analysis.money_links(world) if (k.source, k.target) == (contract.buyer, contract.seller)
    )
    assert "unpaid" not in analysis.describe_link(world, link)
    contract.unpaid = 0.5e9
    link = next(
        k for k in analysis.money_links(world) if (k.source, k.target) == (contract.buyer, contract.seller)
    )
    assert analysis.describe_link(world, link).endswith("; $500 m unpaid so far)")


@pytest.mark.parametrize(
    ("typed", "doubt"),
    [
        ("0.5", "did you mean 50%? Then type 50"),
        (" .25 ", "did you mean 25%? Then type 25"),
        ("0.5%", ""),
        ("5", ""),
        ("1.5", ""),
        ("0", ""),
        ("-0.5", ""),
        ("lots", ""),
    ],
)
def test_only_a_share_typed_as_a_fraction_is_asked_about(typed: str, doubt: str) -> None:
    assert fmt.share_doubt(typed) == doubt
