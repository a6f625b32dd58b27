"""Words a newcomer stumbled on in the play-test, said plainly."""

from __future__ import annotations

from ui_helpers import SMALL, summary_text

from game.ui.screens.dashboard import DashboardScreen
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
