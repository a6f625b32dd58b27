"""A news event that asks the player to choose: a dialog with the choices."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from game.engine.events import default_choice
from game.scenario.model import Event
from game.ui import fmt
from game.ui.screens.base import Dialog, ReadsOn
from game.ui.widgets import DialogFooter, show_key


class EventDialog(ReadsOn, Dialog[int | None]):
    """Returns the index of the chosen answer, or None to decide later."""

    BODY = "#event-body"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "later", "Decide later", id="later"),
        *ReadsOn.READ_BINDINGS,
        *[Binding(str(k + 1), f"pick({k})", show=False, id=f"pick_{k + 1}") for k in range(6)],
    ]

    def __init__(self, event: Event, who: str, goal_notes: Sequence[Sequence[tuple[bool, str]]] = ()) -> None:
        """``who``: the player's firm, "Atlas Cloud (hyperscaler)"; ``goal_notes``: for each
        choice, the goal parts it would meet or break, as (met, words)."""
        super().__init__()
        self.event = event
        self.who = who
        self.goal_notes = goal_notes

    def compose(self) -> ComposeResult:
        event = self.event
        with Vertical(classes="dialog", id="event-dialog") as dialog:
            # The dialog covers the status line that says which firm the player runs: a
            # question at the very start ("Atlas has 5 bn to place") was asked of nobody known.
            dialog.border_title = f"You run {self.who}"
            yield Label(f"A decision for you · {event.headline}", classes="dialog-title")
            if event.body:
                with VerticalScroll(id="event-body"):
                    yield Static(event.body)
            options = []
            for k, choice in enumerate(event.choices):
                text = Text(choice.label, style="bold")
                if choice.description:
                    text.append(f"\n{choice.description}")
                text.append_text(fmt.goal_notes(self.goal_notes[k] if k < len(self.goal_notes) else ()))
                options.append(
                    Option(fmt.hanging([(Text(f"{k + 1}. ", style="bold"), text)]))
                )  # wraps under its words
            choices = OptionList(*options, id="choices")
            show_key(choices, "enter", "select", "Choose", "choose_answer")
            yield choices
            yield Static(
                f"Enter or 1-{len(event.choices)} to choose · esc to decide later "
                f'(if you never answer: "{event.choices[default_choice(event)].label}")',
                classes="hint",
            )
        yield DialogFooter()

    def on_mount(self) -> None:
        choices = self.query_one("#choices", OptionList)
        choices.highlighted = default_choice(self.event)  # enter takes what never answering takes
        choices.focus()
        self.call_after_refresh(self.refresh_bindings)  # "Read on" once the story's length is known

    @on(OptionList.OptionSelected, "#choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.event.choices):
            self.dismiss(index)

    def action_later(self) -> None:
        self.dismiss(None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read":  # shown only when the story is longer than its box
            return self.can_read_on()
        return True
