"""Words a newcomer stumbled on in the play-test, said plainly."""

from __future__ import annotations

from textual.widgets import DataTable
from ui_helpers import LARGE, SMALL, finish_quarter, summary_text, text_of

from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.money_map import MoneyMapScreen, _no_loops
from game.ui.screens.summary import SummaryScreen
from game.ui.widgets import Trend, TrendTitle


async def test_the_summary_says_no_firm_failed_rather_than_none(make_app) -> None:
    """ "Failures: None this quarter." then "Could not pay all they owed: CoreWeave" read as
    if nothing had gone wrong, or as a contradiction."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, SummaryScreen)
        assert "No firm failed this quarter." in summary_text(app)


async def test_the_dashboard_s_total_trend_says_whose_total_it_is(make_app) -> None:
    """ "All $7.27 tn": all of what? The value of every firm together."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        title = app.screen.query_one("#trend-selected", Trend).query_one(TrendTitle)
        assert title.render_line(0).text.startswith("All firms $")


def test_the_help_names_the_roulette_s_buttons_as_they_read() -> None:
    """Help said "Raise adds to a bet" where the button reads "Bet more" (Raise is a lab's
    outside raise, another move altogether). test_roulette pins the button's "Bet more"."""
    from game.ui.help_text import help_markdown

    guide = help_markdown(formulas=False)
    assert "**Bet more** adds to a bet" in guide and "**Raise** adds to a bet" not in guide


async def test_round_and_cycle_show_a_dash_until_a_quarter_is_played(make_app) -> None:
    """The first dashboard showed "Round 11%" for the tutorial's Quartz: what its starting chip
    contract would bring back, before any money had moved."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        await pilot.pause()
        table = app.screen.query_one("#firms", DataTable)
        assert {str(table.get_cell_at((row, 4))) for row in range(table.row_count)} == {"—"}
        assert {str(table.get_cell_at((row, 5))) for row in range(table.row_count)} == {"—"}
        await finish_quarter(pilot)
        assert "—" not in {str(table.get_cell_at((row, 4))) for row in range(table.row_count)}


async def test_the_table_s_edge_says_what_the_change_counts_from(make_app) -> None:
    """Lesson 5 found Quartz "▼ -31%" under "value, change ...: now · the rest: 2025-Q4's
    close" although Quartz had risen since that close: the change counts from the last turn."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        await finish_quarter(pilot)
        edge = str(app.screen.query_one("#firms").border_subtitle)
        assert "change: since the last turn" in edge and "the rest: " in edge
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        edge = str(app.screen.query_one("#firms").border_subtitle)
        assert "change: last turn" in edge and len(edge) <= SMALL[0] - 4


async def test_the_money_map_says_what_cycling_counts_and_why_no_loop_can_bring_money_back(
    make_app,
) -> None:
    """At the tutorial's end "No loops: nobody's investment comes back to it as revenue yet."
    stood beside Atlas's "3.2% of it was its own investment coming back"."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await finish_quarter(pilot)
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MoneyMapScreen)
        first = text_of(app, "#loops-text").splitlines()[0]
        assert first.startswith("Cycling: the share of ") and "payments and investments" in first
        world = app.session.world
        world.metrics["round_trip"][:] = 0.0
        assert "came back" not in _no_loops(world)
        world.metrics["round_trip"][0] = 0.032  # a loop whose contract has just run out
        assert "Money still came back round" in _no_loops(world)
