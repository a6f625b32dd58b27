"""The facilitator's panel (facilitator mode only): queue one of the scenario's shocks for
the next quarter, grant or penalise a firm with a reason, and hold the class before the
debrief. Every move goes through the engine, so it is refused or logged like any other."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Checkbox, Label, Select, Static

from game.engine.actions import FACILITATOR, Action, Adjudicate, InjectShock, WithdrawShock
from game.engine.events import aimed_headline, aims_at_a_firm, can_hit
from game.facilitation import facilitator_moves
from game.ui import fmt
from game.ui.screens.base import Dialog, guarded
from game.ui.session import Session
from game.ui.widgets import DialogFooter, Dropdown, TextField, Tick

WHOLE_MARKET = "(the whole market)"


def hold_label(on: bool) -> str:
    """The pause switch says its state in words (meaning never rests on colour)."""
    return f"Pause before the debrief: {'on' if on else 'off'}"


class FacilitatorDialog(Dialog[None]):
    """One form for the facilitator; the engine's answer shows inline."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="close_facilitator")]

    @property
    def session(self) -> Session:
        session = self.circular.session
        assert session is not None, "the facilitator's panel needs a game"
        return session

    def compose(self) -> ComposeResult:
        session = self.session
        world = session.world
        # the field is called Shock: its entries need not say it again
        shocks = [(e.headline.removeprefix("Shock: "), e.id) for e in session.game.book.events if e.shock]
        firms = [(world.names[i], world.ids[i]) for i in range(world.n) if not world.failed[i]]
        with VerticalScroll(classes="dialog", id="facilitator"):
            yield Label(f"Facilitator · {fmt.quarter(world.quarter)}", classes="dialog-title")
            yield Static("Inject a shock at the start of next quarter", classes="section")
            with Horizontal(classes="field-row"):
                yield Label("Shock")
                yield Dropdown(
                    shocks,
                    id="shock",
                    compact=True,
                    allow_blank=not shocks,
                    prompt="(this scenario has no shocks)",
                )
            yield Static(id="shock-body", classes="hint")
            with Horizontal(classes="field-row"):
                yield Label("Aimed at")
                yield Dropdown([], id="target", compact=True, allow_blank=True, prompt=WHOLE_MARKET)
            with Horizontal(classes="buttons"):
                yield Button("Queue shock", id="queue", variant="warning", compact=True, disabled=not shocks)
                yield Button("Withdraw the last", id="withdraw", compact=True, disabled=True)
            yield Static(id="shock-message", classes="message")
            yield Static(id="queued", classes="hint")
            yield Static("Grant or penalise a firm (from or to outside the game)", classes="section")
            with Horizontal(classes="field-row"):
                yield Label("Firm")
                yield Dropdown(firms, id="firm", compact=True, allow_blank=False)
            with Horizontal(classes="field-row"):
                yield Label("Amount")
                yield TextField(id="amount", placeholder="e.g. 2 bn", submit="Grant", more_fields=True)
            with Horizontal(classes="field-row"):
                yield Label("Reason")
                yield TextField(id="reason", placeholder="shown in the news and the log", submit="Grant")
            with Horizontal(classes="buttons"):
                yield Button("Grant", id="grant", variant="success", compact=True)
                yield Button("Penalise", id="penalise", variant="error", compact=True)
            yield Static(id="fac-message", classes="message")
            yield Tick(
                hold_label(self.circular.hold_debrief),
                self.circular.hold_debrief,
                id="hold",
                compact=True,
            )
            yield Static("On: the game ends on a held screen; f reveals the debrief.", classes="hint")
            yield Static(id="fac-log")
        yield DialogFooter()

    def on_mount(self) -> None:
        self._aim_choices()
        self._show_log()
        self.query_one("#shock", Select).focus()

    @on(Select.Changed, "#shock")
    def _aim_choices(self) -> None:
        """Only a shock written for a target firm can be aimed; the rest hit everyone."""
        world = self.session.world
        target = self.query_one("#target", Select)
        event = self.session.game.book.by_id(str(self.query_one("#shock", Select).value))
        self.query_one("#shock-body", Static).update(event.body if event is not None else "")
        if event is None or not aims_at_a_firm(event):
            target.set_options([])
            target.disabled = True
            return
        target.disabled = False
        choices = [
            (world.names[i], world.ids[i])
            for i in range(world.n)
            if not world.failed[i] and can_hit(world, event, i)  # a lab has no capacity to cut
        ]
        target.set_options(choices)
        if any(firm == event.target for _, firm in choices):
            target.value = event.target

    def _show_log(self) -> None:
        session = self.session
        world = session.world
        headlines = []
        for event_id, target in world.queued_shocks:
            event = session.game.book.by_id(event_id)
            headlines.append(aimed_headline(world, event, target) if event else event_id)
        self.query_one("#queued", Static).update(
            "Queued for next quarter: " + "; ".join(headlines) if headlines else "No shock queued."
        )
        self.query_one("#withdraw", Button).disabled = not headlines
        text = Text("Your moves so far (all in the action log)\n", style="bold")
        moves = facilitator_moves(session.game)
        for quarter, move in moves[-6:]:
            text.append(f" {quarter}: {move}\n")
        if not moves:
            text.append(" none yet\n", style="italic")
        self.query_one("#fac-log", Static).update(text)

    def _say(self, message: str, ok: bool, where: str = "#fac-message") -> None:
        """The answer shows under the buttons just pressed, where the eye is: at 80x24 the
        log further down is out of view, and a form that only cleared invites a second press.
        One answer at a time: the other section's goes."""
        for box in self.query(".message").results(Static):
            box.update("")
            box.display = False
        box = self.query_one(where, Static)
        box.update(message)
        box.set_class(ok, "-ok")
        box.display = True
        box.scroll_visible(animate=False)

    def _send(self, action: Action, where: str = "#fac-message") -> bool:
        outcome = self.circular.act(action)
        self._say(outcome.message, outcome.ok, where)
        self._show_log()
        return outcome.ok

    @on(Button.Pressed, "#queue")
    @guarded
    def _queue(self) -> None:
        shock = self.query_one("#shock", Select).value
        if not isinstance(shock, str):
            self._say("Choose a shock first.", ok=False, where="#shock-message")
            return
        target = self.query_one("#target", Select)
        aim = target.value if not target.disabled and isinstance(target.value, str) else None
        self._send(InjectShock(FACILITATOR, shock, target=aim), where="#shock-message")

    @on(Button.Pressed, "#withdraw")
    @guarded
    def _withdraw(self) -> None:
        queued = self.session.world.queued_shocks
        if queued:
            event, target = queued[-1]
            self._send(WithdrawShock(FACILITATOR, event, target), where="#shock-message")

    @on(Button.Pressed, "#grant")
    @on(Button.Pressed, "#penalise")
    @on(TextField.Submitted)
    @guarded
    def _adjudicate(self, event: Button.Pressed | TextField.Submitted) -> None:
        sign = -1.0 if isinstance(event, Button.Pressed) and event.button.id == "penalise" else 1.0
        firm = self.query_one("#firm", Select).value
        try:
            amount = fmt.read_amount(self.query_one("#amount", TextField).value)
        except ValueError as err:
            self._say(str(err), ok=False)
            return
        if amount <= 0:  # the button gives the sign: "-3 bn" on Grant would fine the firm
            self._say("type the amount without a sign: Grant adds it, Penalise takes it away", ok=False)
            return
        reason = self.query_one("#reason", TextField).value
        if isinstance(firm, str) and self._send(Adjudicate(FACILITATOR, firm, sign * amount, reason)):
            self.query_one("#amount", TextField).value = ""
            self.query_one("#reason", TextField).value = ""

    @on(Checkbox.Changed, "#hold")
    def _hold(self, event: Checkbox.Changed) -> None:
        self.circular.hold_debrief = event.value
        event.checkbox.label = hold_label(event.value)

    def action_close(self) -> None:
        self.dismiss(None)


class DebriefHeld(Dialog[None]):
    """The end of a facilitated game: the class waits until the facilitator reveals the debrief."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "app.reveal_debrief", "Reveal debrief", id="reveal"),
        Binding("escape", "close", "Look at the game", id="close_held"),
    ]

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog"):
            yield Label("The game is over", classes="dialog-title")
            yield Static(
                "The facilitator holds the debrief back until the class is ready to discuss it. "
                "Facilitator: press f to reveal it. Escape shows the game meanwhile."
            )
            with Horizontal(classes="buttons"):
                yield Button("Reveal the debrief (f)", id="reveal", variant="primary", compact=True)
        yield DialogFooter()

    @on(Button.Pressed, "#reveal")
    def _reveal(self) -> None:
        self.circular.action_reveal_debrief()

    def action_close(self) -> None:
        self.dismiss(None)  # the dashboard says that f reveals the debrief
