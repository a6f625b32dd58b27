"""Hot seat: between two seats, a screen that hides the whole game until the next player is
at the keyboard, so that no one sees another seat's offers, questions or position."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from game.ui.widgets import DialogFooter, GameHeader, show_key


class HandoffScreen(Screen[None]):
    """ "Pass the keyboard to Bo — Microsoft": nothing of the game shows behind it, and the
    app takes none of the game's keys while it is up (``HIDES_GAME``). Enter (or the button)
    dismisses it; the app then shows the seat's own dashboard."""

    CSS_PATH = "handoff.tcss"
    AUTO_FOCUS = "#ready"
    HIDES_GAME: ClassVar[bool] = True
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "ready", "Ready", id="handoff_ready", show=False),
    ]

    def __init__(self, player: str, firm_name: str, *, where: str = "", note: str = "") -> None:
        """``player``: the name typed for the seat ("" if none); ``where``: "2024-Q2 · seat 2
        of 3"; ``note``: what just happened ("Ada's turn is over.")."""
        super().__init__()
        self.player = player
        self.firm_name = firm_name
        self.where = where
        self.note = note

    def compose(self) -> ComposeResult:
        yield GameHeader()
        with Vertical(id="handoff"):
            if self.where:
                yield Label(self.where, id="handoff-where")
            if self.note:
                yield Static(self.note, id="handoff-note")
            title = Text("Pass the keyboard to ", style="bold")
            if self.player:
                title.append(f"{self.player} — {self.firm_name}", style="bold reverse")
                here = f"Press Enter when {self.player} is at the keyboard."
            else:
                title.append(f"whoever runs {self.firm_name}", style="bold reverse")
                here = "Press Enter when they are at the keyboard."
            title.append(".", style="bold")
            yield Static(title, id="handoff-title")
            yield Static(here, id="handoff-enter")
            yield Static(
                "Until then the game stays hidden: each seat sees only its own offers, questions "
                "and position.",
                id="handoff-hint",
                classes="hint",
            )
            with Center():
                button = Button("Ready (enter)", id="ready", variant="primary", compact=True)
                show_key(button, "enter", "press", "Ready", "handoff_ready_button")
                yield button
        yield DialogFooter()

    @on(Button.Pressed, "#ready")
    def action_ready(self) -> None:
        self.dismiss(None)
