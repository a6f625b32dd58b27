"""Pilot tests: the first screens a player sees, the title screen and the game's first
question, answer the keys the player expects and are not covered."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Select
from ui_helpers import LARGE, SMALL, finish_quarter

from game.ui.screens.dashboard import DashboardScreen
from game.ui.screens.event import EventDialog
from game.ui.screens.title import TitleScreen
from game.ui.widgets import Dropdown


def expanded(app) -> list[str]:
    return [str(select.id) for select in app.screen.query(Select) if select.expanded]


@pytest.mark.parametrize("size", [SMALL, LARGE])
async def test_arrow_keys_open_no_dropdown_on_the_title_screen(make_app, size) -> None:
    """Up, pressed to move in the scenario list while "Play as" had the focus (it has at
    first), opened the firms' drop-down: only enter or space opens one."""
    app = make_app()
    async with app.run_test(size=size) as pilot:
        screen = app.screen
        assert isinstance(screen, TitleScreen)
        firm = screen.query_one("#firm", Select)
        assert isinstance(firm, Dropdown) and app.focused is firm
        chosen = firm.value
        for key in ("up", "down", "up"):
            await pilot.press(key)
            await pilot.pause()
            assert expanded(app) == [] and firm.value == chosen
        scenarios = screen.query_one("#scenarios", OptionList)
        scenarios.focus()
        scenarios.highlighted = 0
        await pilot.press("up")  # at the top of the list
        await pilot.pause()
        assert expanded(app) == []
        firm.focus()
        for key in ("enter", "space"):
            await pilot.press(key)
            await pilot.pause()
            assert expanded(app) == ["firm"]
            await pilot.press("escape")
            await pilot.pause()
            assert expanded(app) == []
        assert all(isinstance(select, Dropdown) for select in screen.query(Select))


@pytest.mark.parametrize("answer", ["escape", "enter"])
async def test_the_firm_run_is_told_after_the_opening_question(make_app, bundled, answer) -> None:
    """Started without --as, the game says which firm it runs and how to run another: that
    toast lay over the opening question's last lines for 12 s at 80x24. It comes once the
    question is answered or put off (the question's title names the firm already)."""
    app = make_app(loaded=bundled("tutorial"), start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, EventDialog)
        assert "You run Atlas Cloud" in str(app.screen.query_one("#event-dialog").border_title)
        assert not app._notifications
        await pilot.press(answer)
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        [note] = [n for n in app._notifications if n.title]  # enter's answer has a toast too
        assert note.title == "You run Atlas Cloud" and "--as vermilion" in note.message
        app.clear_notifications()
        await finish_quarter(pilot)
        assert all("--as" not in n.message for n in app._notifications)  # told once


async def test_the_firm_run_is_told_at_once_without_a_question(make_app) -> None:
    app = make_app(start_playing=True)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, DashboardScreen)
        [note] = list(app._notifications)
        assert note.title == "You run CloudCo" and "--as redlab" in note.message
