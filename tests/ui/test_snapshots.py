"""SVG snapshots of every screen at 80x24 and 120x40 (pytest-textual-snapshot).

Deterministic by construction: the mini scenario with its fixed seed, no clock in the header,
no blinking cursor when headless, saves in tmp_path (only file names are ever shown), and no
bundled scenarios on the title screen. Regenerate with ``pytest tests/ui --snapshot-update``
and look at the pictures before committing them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import pytest
from textual.pilot import Pilot

from game.engine.actions import Bet, EndQuarter
from game.ui.app import CircularApp
from game.ui.widgets import TextField

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}
Setup = Callable[[Pilot[int]], Awaitable[None]]


async def _played(pilot: Pilot[int], quarters: int = 2) -> CircularApp:
    """A game a few quarters in, with a bet placed, on the dashboard."""
    app = pilot.app
    assert isinstance(app, CircularApp) and app.session is not None
    game = app.session.game
    game.act(Bet("cloudco", "redlab", 3e9))
    for _ in range(quarters):
        game.act(EndQuarter(""))
    app.changed()
    await pilot.pause()
    return app


async def _fill(pilot: Pilot[int], values: dict[str, str]) -> None:
    for selector, value in values.items():
        field = pilot.app.screen.query_one(selector, TextField)
        field.focus()
        field.value = value
    await pilot.pause()


async def title(pilot: Pilot[int]) -> None:
    await pilot.pause()


async def dashboard(pilot: Pilot[int]) -> None:
    await _played(pilot)


async def roulette(pilot: Pilot[int]) -> None:
    app = await _played(pilot)
    app.view("roulette")
    await pilot.pause()
    await _fill(pilot, {"#amount": "2"})


async def deals(pilot: Pilot[int]) -> None:
    app = await _played(pilot, 1)
    app.view("deals")
    await pilot.pause()
    await _fill(pilot, {"#cash": "2", "#stake": "3", "#compute": "2"})
    await pilot.press("enter")  # Red Lab counters: an offer waits for an answer
    await pilot.pause()


async def money_map(pilot: Pilot[int]) -> None:
    app = await _played(pilot)
    app.view("map")
    await pilot.pause()


async def summary(pilot: Pilot[int]) -> None:
    await pilot.press("e")
    await pilot.pause()


async def event(pilot: Pilot[int]) -> None:
    await pilot.press("e", "enter")
    await pilot.pause()


async def debrief(pilot: Pilot[int]) -> None:
    app = pilot.app
    assert isinstance(app, CircularApp) and app.session is not None
    app.session.game.act(Bet("cloudco", "redlab", 3e9))
    app.session.game.play_out()
    app.changed()
    app.view("debrief")
    await pilot.pause()


async def help_screen(pilot: Pilot[int]) -> None:
    await pilot.press("question_mark")
    await pilot.pause()


SCREENS: dict[str, tuple[Setup, bool]] = {
    "title": (title, False),
    "dashboard": (dashboard, True),
    "roulette": (roulette, True),
    "deals": (deals, True),
    "money_map": (money_map, True),
    "summary": (summary, True),
    "event": (event, True),
    "debrief": (debrief, True),
    "help": (help_screen, True),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen(snap_compare, make_app, screen: str, size: str) -> None:
    setup, playing = SCREENS[screen]
    app = make_app(firm="cloudco", start_playing=playing, help_guide=False)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=setup)
