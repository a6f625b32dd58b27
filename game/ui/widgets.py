"""Small widgets the screens share: a text field, a list whose entries wrap whole, a table that
never cuts a figure, a labelled trend line and a gauge."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Focus, Key, Mount
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Checkbox, DataTable, Footer, Header, Input, OptionList, Select
from textual.widgets._header import HeaderTitle

from game.ui import fmt


class TextField(Input):
    """A compact input. The cursor does not blink when headless, so snapshots are stable.

    While a field has the focus it takes the letter keys, so the footer shows what enter does
    here (``submit``: "Bet", "Send offer") beside escape, which leaves the field."""

    def __init__(
        self,
        value: str = "",
        *,
        placeholder: str = "",
        id: str | None = None,
        submit: str = "OK",
        more_fields: bool = False,
    ) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=True, select_on_focus=True)
        show_key(self, "enter", "submit", submit, "submit_field")
        if more_fields:  # a form of several fields: say how to get to the next one
            show_key(self, "tab", "app.focus_next", "Next", "next_field")

    def on_mount(self) -> None:
        if self.app.is_headless:
            self.cursor_blink = False

    def take_key(self, event: Key, *, start_over: bool = False) -> None:
        """Type a character pressed elsewhere on the screen (a table, a button) into this field,
        and give it the focus: typing goes where the form says it does. ``start_over``: it
        starts a new entry rather than adding to the one there. Every character counts however
        fast they come: the focus moves at once, and a character that reaches the screen once
        the field has the focus was pressed before it moved, so it is added at the cursor."""
        character = event.character or ""
        event.stop()
        event.prevent_default()  # a button's space would press it
        if self.has_focus:
            self.insert_text_at_cursor(character)
            return
        self.value = character if start_over else self.value + character
        self.cursor_position = len(self.value)
        self._keep_cursor = True  # selected on focus, the character would be replaced by the next
        self.screen.set_focus(self)  # now, not after the next refresh: the next key may be here

    _keep_cursor = False

    def _on_focus(self, event: Focus) -> None:
        """Runs before Input's own, which selects what is typed if ``select_on_focus``."""
        if self._keep_cursor:
            self._keep_cursor = False
            chosen, self.select_on_focus = self.select_on_focus, False
            self.call_later(setattr, self, "select_on_focus", chosen)

    async def _on_key(self, event: Key) -> None:
        """Run the field's own keys (backspace, arrows, enter) here, in the order typed.

        Textual inserts a typed character at once but runs a bound key only once the key has
        bubbled up to the app, so in a burst of keys (a busy screen, a fast typist) the
        characters after a backspace landed before it: "70%", backspace, backspace, "5" gave
        "70" instead of "75" (Textualize/textual#6605). The app would run the same binding:
        priority bindings were checked before the key reached the field, and the focused
        field is the first place the app looks for the others."""
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if not binding.priority and await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)


class WrappedOptionList(OptionList):
    """An option list whose entries are always as tall as their text wrapped at the width they
    are drawn. Textual's (8.2) works out an entry's height once, when it is added, at the width
    of that moment: as entries come in the scrollbar shows or hides, and text narrowed by a
    scrollbar that appeared later wrapped onto lines the entry did not have, so its last lines
    were cut off (or an entry showed only its heading)."""

    _wrapped_at = -1  # the width the entries' heights were worked out for

    def _update_lines(self) -> None:
        width = self.scrollable_content_region.width
        if width != self._wrapped_at:
            self._wrapped_at = width
            self._line_cache.clear()
            self._option_render_cache.clear()
        super()._update_lines()


class WholeColumnTable(DataTable[Text | str]):
    """A table that never shows part of a column: each column is as wide as its widest cell
    (heading included), and a column the edge of the view would cut (on the right, or on the
    left under the fixed columns as the table scrolls) is left blank rather than shown cut
    ("$10" for $10 bn, "1." for 1.05). In a row table ← and → scroll by whole columns."""

    def column_edges(self) -> list[tuple[int, int]]:
        """Where each column starts and ends, in cells from the left of the whole table."""
        edges: list[tuple[int, int]] = []
        x = 0
        for column in self.ordered_columns:
            width = column.get_render_width(self)
            edges.append((x, x + width))
            x += width
        return edges

    def _fixed_width(self, edges: list[tuple[int, int]]) -> int:
        """The cells the fixed columns take on the left, which never scroll."""
        return sum(end - start for start, end in edges[: self.fixed_columns])

    def hidden_columns(self) -> int:
        """How many columns are out of view (or cut, so left blank) now."""
        width, scroll_x = self.size.width, round(self.scroll_x)
        edges = self.column_edges()
        fixed = self._fixed_width(edges)
        scrollable = edges[self.fixed_columns :]
        return sum(1 for start, end in scrollable if start - scroll_x < fixed or end - scroll_x > width)

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        width, scroll_x = self.size.width, round(self.scroll_x)
        edges = self.column_edges()
        fixed = self._fixed_width(edges)
        for start, end in edges[self.fixed_columns :]:
            left, right = start - scroll_x, end - scroll_x  # on screen
            shown_left, shown_right = max(left, fixed), min(right, width)
            if shown_left < shown_right and (left < fixed or right > width):
                strip = _blank(strip, shown_left, shown_right)
        return strip

    def _column_stops(self) -> list[int]:
        """The scroll positions at which a column starts just right of the fixed columns."""
        edges = self.column_edges()
        fixed = self._fixed_width(edges)
        return [start - fixed for start, _ in edges[self.fixed_columns :]]

    def action_cursor_right(self) -> None:
        if self.cursor_type != "row":
            super().action_cursor_right()
            return
        stop = next((x for x in self._column_stops() if x > round(self.scroll_x)), self.max_scroll_x)
        self.scroll_to(x=min(stop, self.max_scroll_x), animate=False)

    def action_cursor_left(self) -> None:
        if self.cursor_type != "row":
            super().action_cursor_left()
            return
        stop = max((x for x in self._column_stops() if x < round(self.scroll_x)), default=0)
        self.scroll_to(x=stop, animate=False)


def _blank(strip: Strip, left: int, right: int) -> Strip:
    """The strip with the cells from ``left`` to ``right`` emptied, their colours kept."""
    before, middle, after = strip.divide([left, right, strip.cell_length])
    spaces = Strip([Segment(" " * segment.cell_length, segment.style) for segment in middle])
    return Strip.join([before, spaces, after])


class Tick(Checkbox):
    """A checkbox whose box is empty when off: Textual draws an X in both states and tells
    them apart by colour alone."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # a class constant in Textual
        return "X" if self.value else " "


class FormCheckbox(Tick):
    """A checkbox in a form: space ticks it and enter submits the form, as enter does in the
    form's text fields (Textual's checkbox toggles on both, so enter never sent the form).
    The footer shows both keys."""

    class Submitted(Message):
        """Enter was pressed on the checkbox."""

    def __init__(self, label: str = "", *, id: str | None = None, submit: str = "OK") -> None:
        super().__init__(label, id=id)
        show_key(self, "enter", "submit", submit, "submit_box")
        show_key(self, "space", "toggle_button", "Toggle", "toggle_box")
        show_key(self, "tab", "app.focus_next", "Next", "next_box")

    def action_submit(self) -> None:
        self.post_message(self.Submitted())


class Dropdown(Select[str], inherit_bindings=False):
    """A drop-down that opens on enter or space (or a click), never on an arrow key: Textual's
    opens on up and down too, so up on the title screen, meant for the scenario list beside
    it, opened "Play as" instead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,space", "show_overlay", "Show menu", show=False),
    ]


def show_key(widget: Widget, key: str, action: str, description: str, binding_id: str) -> None:
    """Show one of a widget's own keys in the footer under a name that says what it does here
    (a table's enter: "Bet"), for this widget only."""
    show_keys(widget, key, [(action, description, binding_id)])


def show_keys(widget: Widget, key: str, uses: Sequence[tuple[str, str, str]], show: bool = True) -> None:
    """Like ``show_key``, for a key that does one of several things, each an (action,
    description, binding id): the first whose action ``check_action`` allows acts, and the
    footer names it (the dashboard's enter: "Bet on it" on a lab, else "Money map") unless
    ``show`` is False."""
    widget._bindings.key_to_bindings[key] = [Binding(key, a, d, show=show, id=i) for a, d, i in uses]


def say_if_more(panel: Widget, hint: str = "more below ↓") -> None:
    """A scrolling panel's bottom edge says when lines are hidden below it, and nothing once it
    is scrolled to its end. Call it when its text or size changes, and watch its ``scroll_y``."""
    panel.border_subtitle = hint if panel.scroll_y < panel.max_scroll_y else ""


class Trend(Widget):
    """A name, a figure and a sparkline of the quarters played so far."""

    DEFAULT_CSS = """
    Trend { height: 1; layout: horizontal; }
    Trend > TrendTitle { width: 22; height: 1; }
    Trend > Spark { width: 1fr; }
    """

    def compose(self) -> ComposeResult:
        yield TrendTitle()
        yield Spark()

    def show(self, name: str, figure: str, data: Sequence[float], least_span: float = 0.0) -> None:
        self.query_one(TrendTitle).show(name, figure)
        self.query_one(Spark).show(data, least_span)


class Spark(Widget):
    """A one-line sparkline in honest proportion (fmt.spark_heights): Textual's stretches every
    series from its lowest value to its highest, so a 0.1% move drew as a full-height jump."""

    BARS = "▁▂▃▄▅▆▇█"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"spark--low", "spark--high"}
    DEFAULT_CSS = """
    Spark { height: 1; }
    Spark > .spark--low { color: $primary 30%; }
    Spark > .spark--high { color: $primary; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.heights: list[float] = []

    def show(self, data: Sequence[float], least_span: float = 0.0) -> None:
        heights = fmt.spark_heights(data, least_span=least_span)
        if heights != self.heights:
            self.heights = heights
            self.refresh()

    def render(self) -> Text:
        _, base = self.background_colors
        low = base + self.get_component_styles("spark--low").color
        high = base + self.get_component_styles("spark--high").color
        width, heights = self.size.width, self.heights or [0.0]
        text = Text()
        for column in range(width):  # each column the highest of the quarters it stands for
            start = column * len(heights) // width
            height = max(heights[start : max((column + 1) * len(heights) // width, start + 1)])
            bar = self.BARS[int(height * (len(self.BARS) - 1))]
            text.append(bar, style=Style(color=low.blend(high, height).rich_color))
        return text


def titles_in_one_column(trends: Iterable[Trend]) -> None:
    """Trends shown one above the other, their titles as wide as the widest needs to be whole
    (or as its stylesheet's max-width allows), so that every chart starts in the same column."""
    titles = [trend.query_one(TrendTitle) for trend in trends if trend.display]
    width = max((title.whole_width for title in titles), default=0)
    for title in titles:
        title.styles.width = width


class TrendTitle(Widget):
    """A trend's name and figure ("Anthropic R $5.25 bn"): the figure always whole, the name
    shortened with an ellipsis when both do not fit the width the stylesheet gives (its last
    cell kept blank, so the chart never touches the figure)."""

    def __init__(self) -> None:
        super().__init__()
        self.label, self.figure = "", ""

    def show(self, label: str, figure: str) -> None:
        if (label, figure) != (self.label, self.figure):
            self.label, self.figure = label, figure
            self.refresh()

    @property
    def whole_width(self) -> int:
        """The width that shows the name and the figure whole, with a space after each."""
        return cell_len(self.label) + cell_len(self.figure) + 2

    def render(self) -> Text:
        figure = Text(self.figure)
        room = self.size.width - figure.cell_len - 2  # a space after the name, one before the chart
        return Text(f"{fmt.fit(self.label, room)} ").append_text(figure) if room > 0 else figure


class Gauge(Widget):
    """A figure with a bar filling the rest of the line: ``Bubble 1.35 fair ████░░░░``."""

    DEFAULT_CSS = """
    Gauge { height: 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.title = ""
        self.figure = ""
        self.fraction = 0.0
        self.words = ""

    def show(self, title: str, figure: str, fraction: float, words: str = "") -> None:
        self.title, self.figure, self.fraction, self.words = title, figure, fraction, words
        self.refresh()

    def render(self) -> Text:
        text = Text(f"{self.title} {self.figure}")
        if self.words:
            text.append(f" {self.words}", style="italic")
        text.append(" ")
        width = max(0, self.size.width - text.cell_len)
        if width >= 3:
            style = "red" if self.fraction > 0.66 else ("yellow" if self.fraction > 0.33 else "green")
            text.append(fmt.bar(self.fraction, width), style=style)
        return text


class LeanFooter(Footer):
    """Textual's footer, redrawn only when the keys it shows change.

    The stock footer recomposes whenever the bindings might have changed (every focus change,
    every action); each time it also leaves the old keys' ``compact`` watchers behind, which
    keeps the old keys, and everything they drew, alive (Textual 8.2). This one skips the
    recompose when the keys shown are the same, and drops the watchers of keys it removed."""

    def __init__(self, *, compact: bool = True, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._shown: tuple[object, ...] | None = None

    def _keys_shown(self) -> tuple[object, ...]:
        return (
            self.show_command_palette,
            tuple(
                (key, b.binding.action, b.binding.description, b.binding.group, b.enabled, b.tooltip)
                for key, b in self.screen.active_bindings.items()
                if b.binding.show or key == self.app.COMMAND_PALETTE_BINDING
            ),
        )

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen and self._bindings_ready:
            shown = self._keys_shown()
            if shown == self._shown:
                return
        super().bindings_changed(screen)

    def compose(self) -> ComposeResult:
        watchers: dict[str, list[tuple[object, object]]] = getattr(self, "__watchers", {})
        for name, bound in watchers.items():  # the keys of the last compose are gone now
            watchers[name] = [
                (node, callback) for node, callback in bound if getattr(node, "is_attached", True)
            ]
        if self._bindings_ready:
            self._shown = self._keys_shown()
        yield from super().compose()


class DialogFooter(LeanFooter):
    """The footer of a dialog: its own keys (the screen under it takes none while it is open)."""

    def __init__(self) -> None:
        super().__init__(show_command_palette=False)


class GameFooter(LeanFooter):
    """A compact footer; the command palette key is left out when the terminal is narrow
    (it is on the title screen and in the help), so the game's own keys fit at 80 columns."""

    WIDE = 96

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
            label = _slice_label(name, chance, span, first=left == 0)
            text.append(label, style=WHEEL_STYLE.get(colour, "bold white on blue"))
        return text


def _slice_label(name: str, chance: float, span: int, first: bool = False) -> str:
    """A wheel slice's text, exactly ``span`` wide: the name and chance if they fit, else the
    name, else a short form that still reads as the name, else nothing. Each slice but the
    first starts with a space, so neighbours never run together, even without colour."""
    lead = 0 if first else 1
    for label in (f"{name} {fmt.share(chance)}", name, *_short_forms(name)):
        if len(label) + lead <= span:
            return " " * lead + label.center(span - lead)
    return " " * span


def _short_forms(name: str) -> list[str]:
    """Shorter and shorter forms of a name: its first word ("Mistral AI": "Mistral"), that word
    cut with a full stop ("Anthropic": "Anthro.", ..., "Ant."), its initial. A word cut with no
    stop ("Anth", "xA") reads as a typo."""
    word = name.split()[0] if name.split() else name
    forms = [word] if word != name else []
    forms += [word[:length] + "." for length in range(len(word) - 2, 2, -1)]
    return [*forms, word[:1]]


class GameHeader(Header):
    """Textual's Header, except that a change of title reaching a header whose title line is
    not mounted (or no longer is) is skipped instead of crashing the app: under load, the
    class code set as a game starts reached a header mid-removal (Textual 8.2.8 only allows
    for the screen being gone)."""

    def _on_mount(self, event: Mount) -> None:
        event.prevent_default()  # instead of Header._on_mount, whose update would raise

        async def set_title() -> None:
            with contextlib.suppress(NoMatches, NoScreen):
                self.query_one(HeaderTitle).update(self.format_title())

        for source in (self.app, self.screen):
            self.watch(source, "title", set_title)
            self.watch(source, "sub_title", set_title)
