"""Small widgets the screens share: a text field, a labelled trend line and a gauge."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, Sparkline, Static

from game.ui import fmt


class TextField(Input):
    """A compact input. The cursor does not blink when headless, so snapshots are stable."""

    def __init__(self, value: str = "", *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=True, select_on_focus=True)

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False


class Trend(Widget):
    """A name, a value and a sparkline of the quarters played so far."""

    DEFAULT_CSS = """
    Trend { height: 1; layout: horizontal; }
    Trend > Label { width: 22; }
    Trend > Sparkline { width: 1fr; }
    """

    def __init__(self, title: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._title = title

    def compose(self) -> ComposeResult:
        yield Label(self._title)
        yield Sparkline([])

    def show(self, title: str, data: Sequence[float]) -> None:
        self.query_one(Label).update(title)
        self.query_one(Sparkline).data = list(data) if len(data) > 1 else [*data, *data]


class Gauge(Horizontal):
    """A number with a bar: ``Bubble 1.35 ████░░░░ frothy``."""

    DEFAULT_CSS = """
    Gauge { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)

    def compose(self) -> ComposeResult:
        yield Static(id="gauge-text")

    def show(self, title: str, value: float, fraction: float, words: str = "") -> None:
        text = Text(f"{title} {fmt.ratio(value)} ")
        style = "red" if fraction > 0.66 else ("yellow" if fraction > 0.33 else "green")
        text.append(fmt.bar(fraction, 10), style=style)
        if words:
            text.append(f" {words}")
        self.query_one("#gauge-text", Static).update(text)
