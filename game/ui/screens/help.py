"""Help: every mechanism and metric in plain words. Opens over any screen; escape closes it."""

from __future__ import annotations

from typing import ClassVar

from rich.markdown import Markdown as RichMarkdown
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from game.ui.help_text import help_markdown
from game.ui.widgets import GameFooter, GameHeader


class HelpScreen(Screen[None]):
    CSS_PATH = "help.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "close", "Close help", id="close_help"),
        Binding("up,k", "scroll(-1)", "", show=False, id="help_up"),
        Binding("down,j", "scroll(1)", "", show=False, id="help_down"),
        Binding("pageup", "scroll(-10)", "", show=False, id="help_page_up"),
        Binding("pagedown,space", "scroll(10)", "", show=False, id="help_page_down"),
    ]

    def compose(self) -> ComposeResult:
        yield GameHeader()
        with VerticalScroll(id="help"):
            yield Static(
                RichMarkdown(help_markdown(formulas=getattr(self.app, "help_guide", True))), id="help-text"
            )
        yield GameFooter()

    def on_mount(self) -> None:
        self.query_one("#help").focus()

    def action_close(self) -> None:
        self.dismiss(None)

    def action_scroll(self, lines: int) -> None:
        help_view = self.query_one("#help")
        help_view.scroll_relative(y=lines, animate=False)
