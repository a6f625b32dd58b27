"""What the pilot tests share: screen sizes, reading the footer and widgets, typing into a
field, and ending a quarter as a player would."""

from __future__ import annotations

import io

from rich.console import Console
from rich.text import Text
from textual import events
from textual.pilot import Pilot
from textual.widgets import Static

from game.ui.app import CircularApp
from game.ui.screens.dialogs import ConfirmDialog
from game.ui.screens.event import EventDialog
from game.ui.screens.summary import SummaryScreen
from game.ui.widgets import TextField

SMALL, LARGE = (80, 24), (120, 40)


def footer_keys(app: CircularApp) -> dict[str, str]:
    """The keys the footer shows now, with what they do."""
    return {
        key: active.binding.description
        for key, active in app.screen.active_bindings.items()
        if active.binding.show and active.enabled
    }


def text_of(app: CircularApp, selector: str) -> str:
    """A static's text; a static showing a group of renderables is printed 100 columns wide."""
    widget = app.screen.query_one(selector, Static)
    content = widget.content
    if isinstance(content, str | Text):
        return str(widget.render())
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.file.getvalue()  # type: ignore[attr-defined]


def screen_text(app: CircularApp) -> str:
    """Everything the screen on top shows in its static texts."""
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


def summary_text(app: CircularApp) -> str:
    """The quarter summary's body as plain text."""
    assert isinstance(app.screen, SummaryScreen)
    return text_of(app, "#summary-text")


async def type_into(pilot: Pilot[int], selector: str, text: str) -> None:
    field = pilot.app.screen.query_one(selector, TextField)
    field.focus()
    field.value = text
    await pilot.pause()


async def press_at_once(pilot: Pilot[int], *keys: str) -> None:
    """Press keys with no pause between them, as a fast typist does (``pilot.press`` waits
    until the app is idle after each key); then wait until the app has handled them all."""
    app = pilot.app
    assert app._driver is not None
    for key in keys:
        character = key if len(key) == 1 else {"enter": "\r", "space": " "}.get(key)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)
    for _ in range(3):  # a screen opened by one key mounts, then takes the keys after it
        await pilot.pause()


async def end_turn(pilot: Pilot[int]) -> None:
    """Close any question or summary, then e (confirming if questions wait)."""
    app = pilot.app
    while isinstance(app.screen, EventDialog | SummaryScreen):
        await pilot.press("escape")
        await pilot.pause()
    await pilot.press("e")
    await pilot.pause()
    if isinstance(app.screen, ConfirmDialog):
        await pilot.press("y")
        await pilot.pause()


async def finish_quarter(pilot: Pilot[int]) -> None:
    """End the quarter from the dashboard and close the summary and any questions."""
    app = pilot.app
    await end_turn(pilot)
    assert isinstance(app.screen, SummaryScreen)
    await pilot.press("enter")
    await pilot.pause()
    while isinstance(app.screen, EventDialog):
        await pilot.press("escape")  # decide later: the default answer is taken
        await pilot.pause()
