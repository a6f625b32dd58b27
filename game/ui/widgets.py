"""Small widgets the screens share: a text field, a labelled trend line and a gauge."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Sparkline

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

    def __init__(self, title: str = "", *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._title = title

    def compose(self) -> ComposeResult:
        yield Label(self._title)
        yield Sparkline([])

    def show(self, title: str, data: Sequence[float]) -> None:
        self.query_one(Label).update(title)
        self.query_one(Sparkline).data = list(data) if len(data) > 1 else [*data, *data]


class Gauge(Widget):
    """A number with a bar filling the rest of the line: ``Bubble 1.35 fair ████░░░░``."""

    DEFAULT_CSS = """
    Gauge { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.value = 0.0
        self.fraction = 0.0
        self.words = ""

    def show(self, title: str, value: float, fraction: float, words: str = "") -> None:
        self.title, self.value, self.fraction, self.words = title, value, fraction, words
        self.refresh()

    def render(self) -> Text:
        text = Text(f"{self.title} {fmt.ratio(self.value)}")
        if self.words:
            text.append(f" {self.words}", style="italic")
        text.append(" ")
        width = max(0, self.size.width - text.cell_len)
        if width >= 3:
            style = "red" if self.fraction > 0.66 else ("yellow" if self.fraction > 0.33 else "green")
            text.append(fmt.bar(self.fraction, width), style=style)
        return text


class GameFooter(Footer):
    """A compact footer; the command palette key is left out when the terminal is narrow
    (it is on the title screen and in the help), so the game's own keys fit at 80 columns."""

    WIDE = 96

    def __init__(self) -> None:
        super().__init__(compact=True, show_command_palette=True)

    def compose(self) -> ComposeResult:
        self.set_reactive(Footer.show_command_palette, self.app.size.width >= self.WIDE)
        yield from super().compose()

    def on_resize(self) -> None:
        if (self.app.size.width >= self.WIDE) != self.show_command_palette:
            self.call_after_refresh(self.recompose)


WHEEL_STYLE = {
    "red": "bold white on dark_red",
    "black": "bold white on grey23",
    "green": "bold white on dark_green",
}


class Wheel(Widget):
    """The roulette wheel as one bar: each lab gets a slice as wide as its implied chance,
    with its name (or initial) in it, so the odds read without colour too."""

    DEFAULT_CSS = """
    Wheel { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.slices: list[tuple[str, str, float]] = []  # (name, colour, chance)

    def show(self, slices: list[tuple[str, str, float]]) -> None:
        self.slices = [(n, c, p) for n, c, p in slices if p > 0]
        self.refresh()

    def render(self) -> Text:
        width = self.size.width
        text = Text()
        if not self.slices or width <= 0:
            return Text("Nothing left on the table.", style="italic")
        edges = [0]
        total = 0.0
        for _, _, chance in self.slices:
            total += chance
            edges.append(round(total * width))
        for (name, colour, chance), left, right in zip(self.slices, edges[:-1], edges[1:], strict=True):
            span = right - left
            if span <= 0:
                continue
            label = f"{name} {fmt.share(chance)}"
            if len(label) > span:
                label = name[:span]
            text.append(label.center(span)[:span], style=WHEEL_STYLE.get(colour, "bold white on blue"))
        return text
