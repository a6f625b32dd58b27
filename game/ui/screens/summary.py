"""After each quarter: what happened, the failure cascade in waves, and your position."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from game.calendar import quarter_name
from game.engine.quarter import QuarterReport
from game.ui import analysis, fmt
from game.ui.screens.base import Dialog

KIND_ORDER = {"failure": 0, "event": 1, "choice": 2, "market": 3, "deal": 4}


class SummaryScreen(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,space", "close", "Continue", id="continue_summary"),
    ]

    def __init__(self, report: QuarterReport, before: analysis.Position, autosave: str) -> None:
        super().__init__()
        self.report = report
        self.before = before
        self.autosave = autosave

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="summary"):
            yield Label(f"{quarter_name(self.report.quarter)} is over", classes="dialog-title")
            with VerticalScroll(id="summary-body"):
                yield Static(self._body(), id="summary-text")
            with Horizontal(classes="buttons"):
                yield Button("Continue (enter)", id="continue", variant="primary", compact=True)

    def on_mount(self) -> None:
        self.query_one("#continue", Button).focus()

    def _body(self) -> Text:
        app: Any = self.app
        session = app.session
        world = session.world
        me = session.me
        report = self.report
        before, after = self.before, analysis.position(world, me)
        text = Text()
        text.append("Your position\n", style="bold underline")
        change = after.valuation / before.valuation - 1.0 if before.valuation > 0 else 0.0
        text.append(
            f"  Valuation {fmt.money(world, before.valuation)} → {fmt.money(world, after.valuation)} "
        )
        text.append_text(fmt.change_text(change))
        text.append(f"\n  Cash {fmt.money(world, before.cash)} → {fmt.money(world, after.cash)}")
        text.append(f" · stakes {fmt.money(world, after.stakes_value)}")
        if after.debt > 0:
            text.append(f" · debt {fmt.money(world, after.debt)}")
        text.append("\n")
        if after.failed and not before.failed:
            text.append("  Your firm has failed.\n", style="bold red")
        text.append("\nFailures\n", style="bold underline")
        if report.waves:
            for line in analysis.wave_reasons(world, report.waves):
                text.append(f"  {line}\n", style="red")
            if report.broken:
                text.append(f"  {len(report.broken)} commitment(s) with failed firms were broken.\n")
        else:
            text.append("  None this quarter.\n")
        if report.defaults:
            names = ", ".join(world.names[i] for i in report.defaults)
            text.append(f"  Could not pay all they owed: {names}\n", style="yellow")
        text.append("\nWhat happened\n", style="bold underline")
        news = sorted(
            (n for n in report.news if n.kind != "failure"), key=lambda n: KIND_ORDER.get(n.kind, 9)
        )
        if not news:
            text.append("  A quiet quarter.\n")
        for item in news:
            marker = "✖ " if item.kind == "failure" else "· "
            text.append(
                f"  {marker}{item.headline}\n", style="bold" if item.kind in ("failure", "event") else ""
            )
            if item.body and item.kind in ("event", "failure", "choice"):
                text.append(f"    {item.body}\n", style="italic")
        text.append("\n")
        if world.finished:
            text.append("That was the last quarter: the debrief comes next.", style="bold")
        else:
            left = analysis.quarters_left(world)
            text.append(
                f"Next: {analysis.current_quarter_name(world)}, "
                f"{left} quarter{'s' if left != 1 else ''} left."
            )
            questions = len(session.my_questions())
            if questions:
                text.append(f" {questions} question{'s' if questions > 1 else ''} for you.", style="bold")
        if self.autosave:
            text.append(f"\nAutosaved as {self.autosave}.", style="dim")
        return text

    @on(Button.Pressed, "#continue")
    def action_close(self) -> None:
        self.dismiss(None)
