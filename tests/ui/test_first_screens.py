"""Pilot tests: the first screens a player sees, the title screen and the game's first
question, answer the keys the player expects and are not covered."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Select
from ui_helpers import LARGE, SMALL

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
