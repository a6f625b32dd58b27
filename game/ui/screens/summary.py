"""After each quarter: what happened, the failure cascade in waves, and your position."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from game.calendar import quarter_name
from game.engine.quarter import QuarterReport
from game.ui import analysis, fmt
from game.ui.screens.base import Dialog, ReadsOn
from game.ui.widgets import DialogFooter, show_key

KIND_ORDER = {"failure": 0, "event": 1, "choice": 2, "market": 3, "deal": 4}


class SummaryScreen(ReadsOn, Dialog[None]):
    """Built once and kept by the app (building it took longer than the rest of a quarter):
    ``show`` puts the quarter just played in it before it is pushed."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # shown once in the footer, by the Continue button (which has the focus)
        Binding("enter,escape,space", "close", "Continue", id="continue_summary", show=False),
        *ReadsOn.READ_BINDINGS,
        # the button keeps the focus; the arrows and Home/End scroll the summary meanwhile
        Binding("down", "scroll_body('down')", show=False, id="summary_down"),
        Binding("up", "scroll_body('up')", show=False, id="summary_up"),
        Binding("end", "scroll_body('end')", show=False, id="summary_end"),
        Binding("home", "scroll_body('home')", show=False, id="summary_home"),
    ]
    BODY = "#summary-body"

    def __init__(self) -> None:
        super().__init__()
        self.report: QuarterReport | None = None
        self.before: analysis.Position | None = None
        self.after: analysis.Position | None = None  # None: the position now
        self.autosave = ""

    def show(
        self,
        report: QuarterReport,
        before: analysis.Position,
        autosave: str,
        after: analysis.Position | None = None,
    ) -> None:
        """``after``: the position at the quarter's close, for a hot-seat seat that reads the
        summary after earlier seats have moved (by default, the position now)."""
        self.report, self.before, self.autosave, self.after = report, before, autosave, after
        if self.is_mounted:
            self._fill()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="summary"):
            yield Label("", classes="dialog-title", id="summary-title")
            with VerticalScroll(id="summary-body"):
                yield Static(id="summary-text")
            with Horizontal(classes="buttons"):
                button = Button("Continue (enter)", id="continue", variant="primary", compact=True)
                show_key(button, "enter", "press", "Continue", "continue_button")
                yield button
        yield DialogFooter()

    def on_mount(self) -> None:
        self._fill()

    def on_screen_resume(self) -> None:
        self.query_one("#continue", Button).focus()
        self.query_one("#summary-body", VerticalScroll).scroll_home(animate=False)
        self.call_after_refresh(self.refresh_bindings)  # "Read on" once the summary's length is known

    def _fill(self) -> None:
        if self.report is None:
            return
        self.query_one("#summary-title", Label).update(f"{quarter_name(self.report.quarter)} is over")
        self.query_one("#summary-text", Static).update(self._body())

    def _body(self) -> Group:
        app: Any = self.app
        session = app.session
        world = session.world
        me = session.me
        report = self.report
        before, after = self.before, self.after or analysis.position(world, me)
        assert report is not None and before is not None
        parts: list[RenderableType] = []
        text = Text()
        waiting = []
        questions = len(session.my_questions())
        if questions and not world.finished:
            waiting.append(f"{questions} question{'s' if questions > 1 else ''} (next)")
        offers = session.open_offers_for_me()
        if offers and not world.finished:
            waiting.append(f"{offers} offer{'s' if offers > 1 else ''} in the deal room (d)")
        if waiting:  # first, so that it shows even when the news is long
            text.append(f"Waiting for your answer: {', '.join(waiting)}\n\n", style="bold reverse")
        text.append("Your position\n", style="bold underline")
        change = after.valuation / before.valuation - 1.0 if before.valuation > 0 else 0.0
        text.append(
            f"  Valuation {fmt.money(world, before.valuation)} → {fmt.money(world, after.valuation)} "
        )
        text.append_text(fmt.change_text(change))
        notes: list[tuple[str, RenderableType]] = []  # under the valuation, wrapping under themselves
        close = analysis.close_valuation(world, me)
        if abs(after.valuation - close) > 0.005 * max(abs(close), 1.0):  # the news moved it since
            moved = close / before.valuation - 1.0 if before.valuation > 0 else 0.0
            line = Text(f"{fmt.money(world, close)} at the close (")
            line.append_text(fmt.change_text(moved))
            line.append(f"), then the news of {analysis.current_quarter_name(world)}")
            notes.append(("    ", line))
        cause = analysis.cause_line(world, me, analysis.played_rows(world) - 1)
        if cause is not None:  # a big move over the quarter, and what drove it
            notes.append(("    ", Text(f"Mainly: {cause}", style="italic")))
        if notes:  # at 80 columns "Mainly: ..." wrapped to the left edge
            parts += [text, fmt.hanging(notes)]
            text = Text()
        else:
            text.append("\n")
        text.append(f"  Cash {fmt.money(world, before.cash)} → {fmt.money(world, after.cash)}")
        text.append(f" · stakes {fmt.money(world, after.stakes_value)}")
        if after.debt > 0:
            text.append(f" · debt {fmt.money(world, after.debt)}")
        text.append("\n")
        if after.failed and not before.failed:
            text.append("  Your firm has failed.\n", style="bold red")
        if not after.failed:  # a bot's down round broke a part, and only the dashboard said so
            checks = session.game.goal_checklist(world.ids[me])
            text.append(f"  {analysis.goal_headline(checks, over=world.finished)}\n")
            unmet = [
                (
                    f"    {analysis.goal_check_mark(check)} ",
                    Text(" · ".join(analysis.goal_check_lines(world, check))),
                )
                for check in checks
                if not check.met
            ]
            if unmet:  # each part wraps under its own words, not at the edge
                text.rstrip()
                parts.append(text)
                parts.append(fmt.hanging(unmet))
                text = Text()
        warning = analysis.failure_warning(analysis.failure_margin(world, me))
        if warning:
            bar = fmt.money(world, analysis.failure_line(world, me))
            text.append(f"  {warning} (below {bar}).\n", style="bold yellow")
        text.append("\nFailures\n", style="bold underline")
        if report.waves:
            reasons = analysis.wave_reasons(world, report.waves, report.defaults)
            for number, lines in enumerate(reasons, start=1):
                text.append(f"  Wave {number}", style="bold red")
                parts.append(text)  # each firm on its own line, indented as it wraps
                parts.append(Padding(Text("\n".join(lines), style="red"), (0, 0, 0, 4)))
                text = Text()
            if report.broken:
                broken = len(report.broken)
                text.append(f"  {broken} commitment{'s' if broken > 1 else ''} with failed firms broken.\n")
        else:
            # a firm that paid only part of its dues is named next: it did not fail
            text.append("  No firm failed this quarter.\n")
        for short in analysis.unpaid_text(world, report.unpaid):
            text.append(f"  {short}\n", style="yellow")
        text.append("\nWhat happened", style="bold underline")
        news = sorted(
            (n for n in report.news if n.kind != "failure"), key=lambda n: KIND_ORDER.get(n.kind, 9)
        )
        if not news:  # failures and unpaid bills are news too, told above
            text.append("\n  Nothing else." if report.waves or report.defaults else "\n  A quiet quarter.")
        parts.append(text)
        items: list[tuple[str, RenderableType]] = []
        for item in news:  # each headline and its story wrap under their own first word
            line = Text(item.headline, style="bold" if item.kind == "event" else "")
            if item.body and item.kind in ("event", "failure", "choice"):
                line.append(f"\n{item.body}", style="italic")
            items.append(("  · ", line))
        if items:
            parts.append(fmt.hanging(items))
        text = Text("\n")
        if world.finished and session.next_seat is not None:
            following = session.names.get(session.next_seat) or session.firm_name(session.next_seat)
            after_you = f"{following} reads theirs, then the debrief"
            text.append(f"That was the last quarter: {after_you}.", style="bold")
        elif world.finished:
            text.append("That was the last quarter: the debrief comes next.", style="bold")
        else:
            left = analysis.quarters_left(world)
            text.append(
                f"Next: {analysis.current_quarter_name(world)}, "
                f"{left} quarter{'s' if left != 1 else ''} left."
            )
        if self.autosave:
            text.append(f"\nAutosaved as {self.autosave}.", style="dim")
        parts.append(text)
        return Group(*parts)

    def action_scroll_body(self, where: str) -> None:
        body = self.reading_box()
        if body is not None:
            getattr(body, f"scroll_{where}")(animate=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "read":  # "Read on" in the footer only when the summary is longer than its box
            return self.can_read_on()
        return True

    @on(Button.Pressed, "#continue")
    def action_close(self) -> None:
        self.dismiss(None)
