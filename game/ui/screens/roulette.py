"""The roulette table: the labs on red and black (and others), the implied odds, and bets."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, DataTable, Label, Static

from game.engine import roulette
from game.engine.actions import Bet, SellStake
from game.engine.rules import bet_problem, bet_refusal
from game.engine.state import World
from game.ui import analysis, fmt
from game.ui.screens.base import MIN_SIZE, GameScreen, guarded
from game.ui.widgets import GameFooter, GameHeader, TextField, Trend, Wheel, show_key, show_keys

COLOUR_ORDER = {"red": 0, "black": 1, "green": 2, "other": 3}
CHIPS_NAME = 12  # a lab's name in the list of your chips: at 80 columns, its figure beside it
# what an amount may start with, typed on the table: a sign or a comma dropped on its way to the
# field turned "-5" into a real $5 bn bet (the field must see it, and the quote refuse it)
AMOUNT_KEYS = frozenset("0123456789.$-+,")


def _joined(names: list[str]) -> str:
    """Names in a sentence: "xAI", "xAI or Mistral AI", "Anthropic, xAI or Mistral AI"."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"


class RouletteScreen(GameScreen):
    VIEW = "roulette"
    AUTO_FOCUS = "#labs"
    CSS_PATH = "roulette.tcss"
    MAIN = "#labs"
    FORM = "#rl-bet"
    MAIN_NAME = "Table"
    MESSAGE = "#rl-message"
    MIN_SIZE = MIN_SIZE  # smaller, the table's columns and the quote were cut without a word
    NAME = "the roulette table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "focus_amount", "Bet", id="bet", show=False),
        Binding("h", "hedge", "Hedge", id="hedge", show=False),
        Binding("x", "sell", "Sell a tenth", id="sell_tenth", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.labs: list[int] = []
        self.lab: int | None = None
        # a big bet waiting for its second enter: (lab, amount typed, the game's version)
        self._armed: tuple[object, ...] | None = None
        # the amount h filled in, while the message says what that hedge is (it goes once edited)
        self._hedged: str | None = None

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield Static(id="rl-status", classes="status-line")
        yield Static(id="too-small", classes="too-small")
        with Vertical(id="rl-body"):
            table: DataTable[Text | str] = DataTable(id="labs", cursor_type="row")
            table.add_class("panel")
            table.border_title = "The table"
            table.border_subtitle = "value, change, chance, pays: now"
            # the screen's action, not the table's own select_cursor: check_action can then hide
            # "Bet" on a lab that takes no bet (the mouse still selects a row, see _selected)
            show_key(table, "enter", "screen.focus_amount", "Bet", "bet_on_row")
            # tab goes to the amount, past the lab's panel (shift+tab from the amount reaches it)
            show_keys(table, "tab", [("screen.tab_to_amount", "Amount", "tab_to_amount")], show=False)
            yield table
            yield Wheel(id="wheel")
            with Horizontal(id="rl-lower"):
                with VerticalScroll(id="rl-detail", classes="panel") as detail:
                    detail.border_title = "Lab"
                    yield Static(id="rl-detail-text")
                    yield Trend(id="rl-trend-value")
                    yield Trend(id="rl-trend-capability")
                with Vertical(id="rl-bet", classes="panel") as bet:
                    bet.border_title = "Your bet"
                    with Horizontal(classes="field-row"):
                        yield Label("Amount", id="amount-label")
                        yield TextField(id="amount", placeholder="e.g. 2 bn or 500 m", submit="Place bet")
                    with Horizontal(id="rl-buttons"):
                        yield Button("Bet", id="place", variant="primary", compact=True)
                        yield Button("Hedge (h)", id="hedge", compact=True)
                        # a tenth of your stake: "10%" read as 10% of the company, as o's sale asks
                        yield Button("Sell a tenth (x)", id="sell", compact=True)
                    message = Static(id="rl-message", classes="message")
                    message.display = False
                    yield message
                    yield Static(id="quote")
        yield GameFooter()

    def on_mount(self) -> None:
        table = self.query_one("#labs", DataTable)
        # The lab's colour is in its name, as on the dashboard ("Anthropic (R)"): a column of
        # its own left too little room at 80 columns for the others, which were cut.
        for key, label in (
            ("lab", "Lab"),
            ("value", "Value"),
            ("change", "Change"),
            ("capability", "Capab."),
            ("chance", "Chance"),
            ("pays", "Pays"),
            ("mine", "You hold"),
        ):
            table.add_column(label, key=key)
        self.safe_refresh()
        self.check_size()

    # -- showing -----------------------------------------------------------------------------
    def refresh_view(self) -> None:
        world = self.session.world
        me = self.session.me
        self.labs = sorted(
            (i for i in range(world.n) if world.is_lab[i]),
            key=lambda i: (bool(world.failed[i]), COLOUR_ORDER.get(world.colours[i], 9), i),
        )
        if self.lab is None or self.lab not in self.labs:
            self.lab = next((i for i in self.labs if i != me and not world.failed[i]), self.labs[0])
        table_value = self._table_value(world)
        status = Text()
        status.append("Roulette table", style="bold")
        status.append(f" · {fmt.money(world, table_value)} on the table · your cash ")
        status.append(fmt.money(world, float(world.cash[me])), style="bold")
        self.query_one("#rl-status", Static).update(status)
        self._fill_table(world)
        chances = self._chances(world)
        self.query_one("#wheel", Wheel).show(
            [(world.names[i], world.colours[i], chances[i]) for i in self.labs]
        )
        self._detail(world)
        self._controls()
        self._quote()

    def _table_value(self, world: World) -> float:
        return roulette.table_value(
            world.metrics["valuation"].tolist(), (world.is_lab & ~world.failed).tolist()
        )

    def _chances(self, world: World) -> list[float]:
        return roulette.implied_chances(
            world.metrics["valuation"].tolist(), (world.is_lab & ~world.failed).tolist()
        )

    def _fill_table(self, world: World) -> None:
        me = self.session.me
        table = self.query_one("#labs", DataTable)
        chances = self._chances(world)
        changes = analysis.valuation_changes(world)
        table.clear()
        for i in self.labs:
            failed = bool(world.failed[i])
            table.add_row(
                fmt.firm_label(world, i, me),
                "failed" if failed else fmt.money(world, world.metrics["valuation"][i]),
                "—" if failed else fmt.change_text(float(changes[i])),
                f"{float(world.capability[i]):.2f}",
                "—" if failed else fmt.share(chances[i]),
                "—" if failed else fmt.odds(roulette.payout(chances[i])),
                fmt.holding(float(world.stakes[me, i])) if world.stakes[me, i] > 1e-9 else "",
                key=world.ids[i],
            )
        if self.lab is not None:
            table.move_cursor(row=self.labs.index(self.lab), animate=False)

    def _detail(self, world: World) -> None:
        """The lab's figures, each on a line of its own after its label (a figure in running
        text was split over two lines at some widths: "$21.4" at the end of one, "m/q" on the
        next), then your chips."""
        lab = self.lab
        if lab is None:
            return
        me = self.session.me
        heading = Text()
        heading.append_text(fmt.firm_label(world, lab, me))
        # the share price's word, named so: the table's change is the valuation's, which a bet
        # lifts by its own cash ("flat" beside the table's "+7.2%"; "surging" on one's own money)
        price = float(analysis.price_changes(world)[lab])
        heading.append(f" · price {roulette.momentum(price)}")
        value = float(analysis.valuation_changes(world)[lab])
        facts: list[tuple[str, str]] = [("Value", fmt.money(world, world.metrics["valuation"][lab]))]
        if fmt.change(value) != fmt.change(price):
            facts.append(("", f"{fmt.change(value)} with new shares"))
        facts += [
            ("Cash", fmt.money(world, world.cash[lab])),
            ("Revenue", f"{fmt.money(world, world.metrics['revenue'][lab])}/q"),
            ("Market", f"{fmt.share(float(world.metrics['market_share'][lab]))} of demand"),
        ]
        backers = sorted(
            ((float(world.stakes[i, lab]), i) for i in range(world.n) if world.stakes[i, lab] > 1e-9),
            reverse=True,
        )
        shares = [fmt.holding(s) for s, _ in backers]  # a sliver reads "0.046%", never "0.0%"
        width = max((len(share) for share in shares), default=0)
        # the share first, as in the dashboard's holdings: a long name may wrap, the figure not
        backed = [f"{share:>{width}} {world.names[i]}" for share, (_, i) in zip(shares, backers, strict=True)]
        for k, line in enumerate(backed or ["outside investors only"]):
            facts.append(("Backed by" if k == 0 else "", line))
        clouds = sorted({c.seller for c in world.contracts if c.buyer == lab and c.kind == "compute"})
        if clouds:
            facts.append(("Compute", "from " + ", ".join(world.names[c] for c in clouds)))
        parts: list[RenderableType] = [heading, fmt.hanging([(f"{label} ", line) for label, line in facts])]
        stakes = world.stakes[me].tolist()
        active = (world.is_lab & ~world.failed).tolist()
        winnings = roulette.winnings_by_winner(stakes, world.metrics["valuation"].tolist(), active)
        if any(w > 0 for w in winnings):
            # what each lab's chips would be worth if that lab took the whole table: "Ember AI
            # $0" read as if your other chips were worth nothing when Ember wins
            parts.append(Text("Your chips, if their lab takes the table:", style="bold"))
            held = [i for i in self.labs if active[i] and winnings[i] > 0]
            parts.append(
                fmt.hanging(
                    [(f"{fmt.fit(world.names[i], CHIPS_NAME)} ", fmt.money(world, winnings[i])) for i in held]
                )
            )
            none = [world.names[i] for i in self.labs if active[i] and winnings[i] <= 0 and i != me]
            if none:
                parts.append(Text(f"None on {_joined(none)}."))
        self.query_one("#rl-detail-text", Static).update(Group(*parts))
        self.query_one("#rl-detail", VerticalScroll).border_title = world.names[lab]
        value, capability = float(world.metrics["valuation"][lab]), float(world.capability[lab])
        self.query_one("#rl-trend-value", Trend).show(
            "Value", fmt.money(world, value), analysis.series(world, "valuation", lab, now=value)
        )
        self.query_one("#rl-trend-capability", Trend).show(
            "Capability", f"{capability:.2f}", analysis.series(world, "capability", lab, now=capability)
        )
        title = "No more bets" if self._bets_closed() else f"Bet on {world.names[lab]}"
        self.query_one("#rl-bet", Vertical).border_title = title

    def _bets_closed(self) -> bool:
        """True once the seat can make no more moves: the bet form is gone."""
        return self.circular.session is not None and bool(self.session.out_of_play())

    def _refusal(self) -> str | None:
        """Why the selected lab takes no bet from you at all (your own lab, a failed one, the
        game over), in the engine's words; None if it does."""
        if self.lab is None:
            return None
        return bet_refusal(self.session.world, self.session.me, self.lab)

    def _controls(self) -> None:
        """Label and enable the buttons for the selected lab: "Bet more" adds to a holding,
        and a button that could only be refused is disabled (the quote says why). Once the
        seat can make no more moves the amount and the buttons go: every one of them could
        only be refused, on every lab, and the quote says why."""
        world = self.session.world
        me = self.session.me
        if self.lab is None:
            return
        refused = self._refusal() is not None
        held = float(world.stakes[me, self.lab]) > 1e-9
        over = bool(self.session.out_of_play())
        form = self.query_one("#rl-bet", Vertical)
        if over and form.has_focus_within:
            self.focus_main()  # the field goes from under the cursor
        form.set_class(over, "-closed")
        place = self.query_one("#place", Button)
        label = "Bet more" if held else "Bet"
        if str(place.label) != label:
            place.label = label
            place.refresh(layout=True)
        place.disabled = refused
        self.query_one("#hedge", Button).disabled = refused
        self.query_one("#sell", Button).disabled = over or not held
        self.query_one("#amount", TextField).disabled = over
        self.refresh_bindings()  # enter's "Bet" shows only on a lab that takes a bet

    @on(TextField.Changed, "#amount")
    def _amount_changed(self) -> None:
        self._armed = None  # a second enter confirms the amount it was asked for
        if self._hedged is not None and self.query_one("#amount", TextField).value != self._hedged:
            self.say("")  # "A hedge: 57% of Anthropic" stood above a quote for another amount
        self._quote()

    def _bet_key(self) -> tuple[object, ...]:
        return (self.lab, self.query_one("#amount", TextField).value, self._game_version())

    def _caution(self, cash: float) -> str:
        """Why a bet of ``cash`` takes a second enter, or "" (most bets take one): it leaves
        less cash than the commitments due when the quarter ends, or it is more than half
        the cash (a stray digit and enter would spend it)."""
        world = self.session.world
        me = self.session.me
        left, due = analysis.cash_against_due(world, me, spend=cash)
        if due > 0 and left < due:
            left_text, due_text = fmt.money(world, left), fmt.money(world, due)
            return f"it leaves {left_text} against {due_text} due when the quarter ends"
        have = float(world.cash[me])
        if cash > have / 2:
            return f"it is more than half your {fmt.money(world, have)} of cash"
        return ""

    @guarded
    def _quote(self) -> float | None:
        """Show what the amount typed would buy, or why there is no bet to place (once: the
        message under the buttons is for what the engine answered). Returns the amount when
        the quote is a real one, else None."""
        world = self.session.world
        me = self.session.me
        lab = self.lab
        quote_box = self.query_one("#quote", Static)
        if lab is None:
            quote_box.update("")
            return None
        over = self.session.out_of_play()
        if over:  # no bet on any lab: the same words as the deal room's
            quote_box.update(Text(f"{over[:1].upper()}{over[1:]}: no more bets.", style="bold"))
            return None
        refusal = self._refusal()
        if refusal:  # said at once, before any amount: no quote for a bet that would be refused
            out = Text(f"{world.names[lab]} is your own lab. " if lab == me else "", style="bold")
            out.append(f"{refusal[:1].upper()}{refusal[1:]}", style="bold")
            out.append(": o (other moves) on the dashboard." if lab == me else ".", style="bold")
            quote_box.update(out)
            return None
        text = self.query_one("#amount", TextField).value
        if not text.strip():
            quote_box.update(
                Text(
                    "Type an amount (a bare number means billions). At the market's odds a bet is fair: "
                    "it pays only if you know better, or if the money comes back to you.",
                    style="italic",
                )
            )
            return None
        try:
            cash = fmt.read_amount(text)
        except ValueError as err:
            quote_box.update(Text(str(err), style="italic"))
            return None
        problem = bet_problem(world, me, lab, cash)
        if problem:  # what enter would be told, in the engine's words: no figures from it
            quote_box.update(Text(f"{problem[:1].upper()}{problem[1:]}.", style="italic"))
            return None
        quote = roulette.quote_bet(
            cash,
            float(world.metrics["valuation"][lab]),
            float(world.stakes[me, lab]),
            self._table_value(world),
        )
        if not quote.valid:
            quote_box.update(Text("A bet must be above zero.", style="italic"))
            return None
        # Short lines, the odds last: with a message above, 80x24 leaves the quote four lines.
        held = float(world.stakes[me, lab]) > 1e-9
        # stakes to the hundredth: "Buys 10.0%" bought 9.97%, short of a goal's 10%
        out = Text(f"Buys {fmt.holding(quote.bought)} of {world.names[lab]}")
        out.append(f", to hold {fmt.holding(quote.stake_after)}.\n" if held else ".\n")
        out.append("If it takes the table: ", style="bold")
        out.append(f"+{fmt.money(world, quote.gain_if_wins)}\n", style="green")
        out.append("If it fails: ", style="bold")
        out.append(f"-{fmt.money(world, quote.loss_if_fails)}", style="red")
        out.append(" (bet and stake)\n" if held else "\n")
        caution = self._caution(cash)
        short = analysis.short_of_commitments(world, me, spend=cash)
        if caution and self._armed == self._bet_key():  # the first enter was pressed
            out.append(f"Press Enter again to bet {fmt.money(world, cash)}: {caution}.", style="bold yellow")
        elif short:  # in place of the odds: 80x24 has room for four lines
            out.append(f"{short} Enter twice to bet it.", style="bold yellow")
        else:
            out.append(f"Then it pays {fmt.odds(quote.pays)} (chance {fmt.share(quote.chance)}).")
            if caution:
                out.append("\nMore than half your cash: enter twice to bet it.", style="bold yellow")
        quote_box.update(out)
        return cash

    # -- acting ------------------------------------------------------------------------------
    def select_lab(self, firm_id: str) -> None:
        """Show a lab, with the focus on the amount (enter on the dashboard, the palette). The
        screen may not be mounted yet (``self.labs`` still empty): on_mount then shows it."""
        world = self.session.world
        lab = world.index.get(firm_id)
        if lab is None or not world.is_lab[lab]:
            return
        self.lab = lab
        self.safe_refresh()
        self.call_after_refresh(self.action_focus_amount)

    @on(DataTable.RowHighlighted, "#labs")
    @guarded
    def _highlight(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != event.data_table.cursor_row:
            return  # stale: refilling the table passes row 0 on the way, which is no choice of lab
        world = self.session.world
        key = str(event.row_key.value)
        if key in world.index and world.index[key] != self.lab:
            self.lab = world.index[key]
            self._armed = None  # a second enter confirms a bet on the lab it was asked for
            self._detail(world)
            self._controls()
            self._quote()
            self.say("")

    @on(DataTable.RowSelected, "#labs")
    def _selected(self) -> None:
        self.action_focus_amount()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        form_action = action in ("focus_amount", "tab_to_amount", "hedge", "sell")
        if form_action and (self.too_small or self._bets_closed()):
            return False  # the form is hidden
        if action == "focus_amount":  # a lab that takes no bet: the quote says why, enter does nothing
            return self.circular.session is not None and self.is_mounted and self._refusal() is None
        return super().check_action(action, parameters)

    def action_focus_amount(self) -> None:
        if self._refusal() is not None:  # a click on a row too: the amount would only be refused
            return
        self.query_one("#amount", TextField).focus()  # it selects an amount left there

    def action_tab_to_amount(self) -> None:
        field = self.query_one("#amount", TextField)
        if field.disabled:
            self.focus_next()
        else:
            field.focus()

    def on_key(self, event: events.Key) -> None:
        """A digit (or what else an amount starts with) typed anywhere but in the field starts
        the amount: the hint says "type an amount". Letters stay the game's keys."""
        character = event.character or ""
        if character not in AMOUNT_KEYS:
            return
        field = self.query_one("#amount", TextField)
        if field.disabled or self.too_small:
            return
        field.take_key(event, start_over=self.focused is not field)  # in the field: typed before it moved

    @on(Button.Pressed, "#place")
    @on(TextField.Submitted, "#amount")
    @guarded
    def action_place(self) -> None:
        session = self.session
        world = session.world
        if self.lab is None:
            return
        self.say("")  # the last action's message is old news
        cash = self._quote()
        if cash is None:  # nothing to bet, and the quote says why: no second copy of it
            self.app.bell()
            return
        if self._caution(cash) and self._armed != self._bet_key():
            self._armed = self._bet_key()  # a big bet: the quote asks for a second enter
            self._quote()
            return
        self._armed = None
        outcome = self.circular.act(Bet(session.firm, world.ids[self.lab], cash))
        self.say(outcome.message, ok=outcome.ok)
        if outcome.ok:  # back to the table, where the game's keys work again
            self._clear_amount()
            self.focus_main()

    @on(Button.Pressed, "#hedge")
    @guarded
    def action_hedge(self) -> None:
        """Fill in the bet that evens out your chips: the same share of this lab as of your
        biggest other lab, so you win the same whichever of them takes the table. Never more
        than your cash: a bet beyond it would only be refused."""
        world = self.session.world
        me = self.session.me
        lab = self.lab
        if lab is None:
            return
        if self._refusal():  # no bet on this lab at all: the quote already says why
            self.say("")
            self.app.bell()
            return
        name = world.names[lab]
        active = (world.is_lab & ~world.failed).tolist()
        cash = float(world.cash[me])
        hedge = roulette.plan_hedge(
            world.stakes[me].tolist(), world.metrics["valuation"].tolist(), active, lab, cash
        )
        if hedge.source is None:
            self.say(
                f"Nothing to hedge yet: your only chips are on {name} ({fmt.share(hedge.held)}). "
                "A hedge is a bet on another lab: select it and press h."
                if hedge.held > 1e-9
                else "Nothing to hedge: you hold no chips on any lab. A hedge evens out your chips, "
                "so you win the same whichever lab takes the table."
            )
            return
        like = f"{fmt.share(hedge.target)} of {name}, like your {world.names[hedge.source]} stake"
        if hedge.cost <= 0:
            held = fmt.share(hedge.held)
            self.say(f"Hedged already: you hold {held} of {name}, as much as of any other lab.")
            return
        if hedge.cash < 1e6:  # the amount is filled in to the million
            self.say(f"A hedge ({like}) costs {fmt.money(world, hedge.cost)}, and you have no cash.")
            return
        field = self.query_one("#amount", TextField)
        field.value = fmt.typed_amount(hedge.cash)
        field.focus()
        if hedge.partial:
            self.say(
                f"Full hedge ({like}): {fmt.money(world, hedge.cost)}, more than your cash. "
                "All your cash is filled in."
            )
        else:
            self.say(f"A hedge: {like}. Enter to place it.", ok=True)
        self._hedged = field.value

    @on(Button.Pressed, "#sell")
    @guarded
    def action_sell(self) -> None:
        """Take a tenth of your chips off this lab (sold to outside investors at a discount)."""
        session = self.session
        world = session.world
        if self.lab is None:
            return
        held = float(world.stakes[session.me, self.lab])
        if held <= 1e-9:
            self.say(f"You hold no chips on {world.names[self.lab]}.")
            return
        outcome = self.circular.act(SellStake(session.firm, world.ids[self.lab], held * 0.1))
        message = outcome.message
        if outcome.ok:  # both figures: the share of the company sold, and what is left of the stake
            now = fmt.holding(float(world.stakes[session.me, self.lab]))
            message = f"{message.rstrip('.')}: a tenth of your stake, {now} of {world.names[self.lab]} left."
        self.say(message, ok=outcome.ok)
        if outcome.ok:  # an amount typed before the sale was for a bet that is not there now
            self._clear_amount()
            self.focus_main()

    def _clear_amount(self) -> None:
        self.query_one("#amount", TextField).value = ""
        self._quote()  # at once: the Changed message would redraw it a frame later

    def say(self, message: str, ok: bool = False) -> bool:
        self._hedged = None  # any other message is not about the hedge filled in
        shown = super().say(message, ok)
        if shown:  # no empty line between the buttons and the quote
            self.query_one(self.MESSAGE).display = bool(message)
        return shown
