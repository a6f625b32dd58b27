"""What the pilot tests share: screen sizes, reading the footer and widgets, typing into a
field, and ending a quarter as a player would."""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.text import Text
from textual import events
from textual.coordinate import Coordinate
from textual.pilot import Pilot
from textual.widgets import DataTable, OptionList, Static

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


def option_text(options: OptionList, index: int) -> str:
    """An option's words, printed 100 columns wide (a prompt may be a grid of renderables)."""
    console = Console(width=100, file=io.StringIO(), color_system=None)
    console.print(options.get_option_at_index(index).prompt)
    return console.file.getvalue()  # type: ignore[attr-defined]


def cut_cells(table: DataTable[Text | str]) -> list[str]:
    """Every cell of a table (headings included) that shows only part of its text as the
    table is now drawn and scrolled, as "row, column: shown / whole"; a column the view cuts
    must show nothing rather than part of its figure."""
    width, scroll_x, scroll_y = table.size.width, round(table.scroll_x), round(table.scroll_y)
    edges, x = [], 0
    for column in table.ordered_columns:
        edges.append((x, x + column.get_render_width(table)))
        x += column.get_render_width(table)
    fixed = sum(end - start for start, end in edges[: table.fixed_columns])
    cut = []
    for y in range(min(table.size.height, table.row_count + 1)):
        line = table.render_line(y).text
        row = None if y == 0 else y - 1 + scroll_y
        for index, (column, (start, end)) in enumerate(zip(table.ordered_columns, edges, strict=True)):
            if index >= table.fixed_columns:
                start, end = start - scroll_x, end - scroll_x
            if row is None:
                whole = column.label.plain
            else:
                cell = table.get_cell_at(Coordinate(row, index))
                whole = cell.plain if isinstance(cell, Text) else str(cell)
            left, right = max(start, fixed if index >= table.fixed_columns else 0), min(end, width)
            if left >= right:
                continue  # out of view
            shown = line[left:right].strip()
            if (left, right) == (start, end):
                if shown != whole.strip():
                    cut.append(f"{row}, {column.key.value}: {shown!r} / {whole.strip()!r}")
            elif shown:  # partly in view: it must be blank
                cut.append(f"{row}, {column.key.value}: {shown!r} / {whole.strip()!r}")
    return cut


async def list_lines(pilot: Pilot[Any], options: OptionList) -> list[str]:
    """Every line of a list as drawn, scrolled a page at a time from the top."""
    lines: list[str] = []
    page = options.scrollable_content_region.height
    while len(lines) < options.virtual_size.height:
        options.scroll_to(y=len(lines), animate=False)
        await pilot.pause()
        top = round(options.scroll_y)  # the last page stops short: it overlaps the one before
        lines += [options.render_line(y).text.rstrip() for y in range(len(lines) - top, page)]
    return lines


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
    for _ in range(2):  # the field's Changed message, then what the screen redraws for it
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


async def play_to_the_end(app: CircularApp, pilot: Pilot[int]) -> None:
    """Bots play every quarter left (the player's moves none), and the screens show the end."""
    assert app.session is not None
    app.session.game.play_out()
    app.changed()
    await pilot.pause()
