"""Pilot tests: once the game is over, the screens say so and offer no move, and a player who
has finished can start a new game from the command palette or the debrief."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Static
from ui_helpers import LARGE, SMALL, finish_quarter, footer_keys, play_to_the_end, text_of

from game.scenario.loader import LoadedScenario
from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.debrief import DebriefScreen
from game.ui.screens.roulette import RouletteScreen
from game.ui.screens.title import TitleScreen


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_the_roulette_table_after_the_end_shows_no_bet_controls(make_app, size) -> None:
    """A review found the amount and the Bet, Hedge and Sell buttons still up after the end,
    and x or h answered only "the game is over": the panel now says that there are no more
    bets, in the deal room's words, and nothing in it can be pressed or typed."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=size) as pilot:
        await play_to_the_end(app, pilot)
        app.view("roulette")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RouletteScreen)
        panel = screen.query_one("#rl-bet")
        assert panel.border_title == "No more bets"
        assert text_of(app, "#quote") == "The game is over: no more bets."
        assert not screen.query_one("#amount").region.area  # not drawn, nor any button
        assert not any(button.region.area for button in screen.query(Button))
        stakes = app.session.world.stakes.copy()
        for key in ("x", "h", "1", "enter"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is screen and app.focused is screen.query_one("#labs")
        assert not screen.query_one("#rl-message", Static).display  # no refusal to read
        assert (app.session.world.stakes == stakes).all()
        assert not {"x", "h", "enter"} & set(footer_keys(app))


async def test_a_failed_firm_sees_the_table_closed_too(make_app, doomed, doomed_source) -> None:
    loaded = LoadedScenario(doomed, doomed_source, "doomed.toml")
    app = make_app(loaded=loaded, firm="redlab", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await finish_quarter(pilot)  # Red Lab fails
        assert app.session is not None and app.session.out_of_play() == "Red Lab has failed"
        app.view("roulette")  # from the palette: b is off
        await pilot.pause()
        assert isinstance(app.screen, RouletteScreen)
        assert text_of(app, "#quote") == "Red Lab has failed: no more bets."
        assert not app.screen.query_one("#rl-buttons").display


@pytest.mark.parametrize("via", ["dashboard", "debrief"])
async def test_a_finished_game_starts_a_new_one_from_the_palette(make_app, via) -> None:
    """Reported as "New game from a finished game leaves only Load": the palette's New game
    opens the title screen, with Start, from the dashboard and the debrief alike, and Start
    starts a new game."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await play_to_the_end(app, pilot)
        if via == "debrief":
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, DebriefScreen)
            assert footer_keys(app)["n"] == "New game"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"new game")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TitleScreen) and app.session is None
        assert {"s", "l"} <= set(footer_keys(app))
        assert app.screen.query_one("#start", Button).display
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        assert app.session is not None and not app.session.finished


async def test_the_palette_over_a_finished_dashboard_leaves_enter_s_name(make_app) -> None:
    """With the command palette open over a finished game's dashboard, the footer said
    "Enter Bet on it" on a cloud's row: the table's enter asked the palette, not its screen."""
    app = make_app(firm="cloudco", start_playing=True)
    async with app.run_test(size=LARGE) as pilot:
        await play_to_the_end(app, pilot)
        dashboard = app.screen
        assert isinstance(dashboard, DashboardScreen)
        assert dashboard.active_bindings["enter"].binding.description == "Money map"
        app.action_command_palette()
        await pilot.pause()
        assert app.screen is not dashboard
        assert dashboard.active_bindings["enter"].binding.description == "Money map"
