"""Other moves: a lab's training share and outside raise, ordering chips, selling a stake,
exercising an option. A menu of the moves open to you, and a small form for each."""

from __future__ import annotations

import math
from typing import Any, ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from game.engine import rules
from game.engine.actions import Action, BuyChips, ExerciseOption, RaiseOutside, SellStake, SetTraining
from game.engine.quarter import capacity_bought
from game.engine.state import OptionRight, World
from game.ui import analysis, fmt
from game.ui.screens.base import Dialog, guarded
from game.ui.session import Session
from game.ui.widgets import DialogFooter, Dropdown, TextField, show_key


def available_moves(session: Session) -> list[tuple[str, str, str]]:
    """(kind, title, help) for each move the player's firm can make now."""
    if session.out_of_play():
        return []
    world = session.world
    me = session.me
    moves = []
    if world.is_lab[me]:
        moves.append(
            ("training", "Set the training share", "how much compute trains models vs serves customers")
        )
        raised = rules.raised_this_quarter(world, me)
        moves.append(
            (
                "raise",
                "Raise from outside investors",
                "done this quarter: investors fund a lab once a quarter"
                if raised
                else "sell new shares to venture and sovereign funds",
            )
        )
    if not world.sells_chips[me] and world.sells_chips.any():
        moves.append(("chips", "Order chips", "buy capacity from a chipmaker, paid over quarters"))
    if (world.stakes[me] > 1e-9).any():
        moves.append(("sell", "Sell part of a stake", "outside investors buy it at a discount"))
    if any(o.holder == me and not o.used for o in world.options):
        moves.append(("exercise", "Exercise an option", "invest more at the agreed valuation"))
    return moves


def _choice(choices: list[tuple[str, str]]) -> Dropdown:
    """A drop-down with the first choice already made (most often there is only one)."""
    if not choices:
        return Dropdown(choices, id="firm", compact=True, allow_blank=True)
    return Dropdown(choices, id="firm", compact=True, allow_blank=False, value=choices[0][1])


def _option_label(world: World, option: OptionRight) -> str:
    """The option's terms, short enough for the drop-down at 80 columns (with today's
    valuation beside them, its deadline was cut: the line under it says the valuation)."""
    return (
        f"{fmt.money(world, option.amount)} in {world.names[option.firm]} at "
        f"{fmt.money(world, option.valuation)}, until {fmt.quarter(option.deadline)}"
    )


def share_to_sell(typed: str, held: float) -> float:
    """The share of the company a typed amount sells. "all", or the holding as the dialog shows
    it ("1.87%"), sells the whole stake, and so does a figure over the holding that rounds to
    it as the dialog or the dashboard shows it ("1.9%" for 1.87%: the engine refuses a share
    over the exact holding). Anything else sells what was typed, a number always a percentage."""
    if typed.strip().lower() == "all":
        return held
    selling = fmt.read_share(typed)
    shown = fmt.deal_share(held)
    if math.isclose(selling, fmt.read_share(shown)):
        return held
    if selling > held and any(fmt.shown_as(selling, figure) for figure in (shown, fmt.share(held))):
        return held
    return selling


def raise_amount(typed: str, world: World, lab: int) -> float:
    """The amount a typed raise asks for. The limit shows rounded ("$20.6 bn" for 20.58), so
    "all", "max" or the figure shown raises the limit itself (the engine refuses a cent more)."""
    most = rules.raise_limit(world, lab)
    if typed.strip().lower() in ("all", "max"):
        return most
    amount = fmt.read_amount(typed)
    return most if amount > most and fmt.money(world, amount) == fmt.money(world, most) else amount


def _capital(reason: str) -> str:
    return f"{reason[:1].upper()}{reason[1:]}"


def _said(action: Action | None, problem: str) -> str:
    """A problem in the words the form says it, live and on enter: a move the rules refuse is
    "Not possible: ...", an entry the form cannot read is its reason ("" for no problem)."""
    if not problem:
        return ""
    return f"{'Not possible: ' + problem if action is not None else _capital(problem)}."


def _line(text: Text, more: Text) -> Text:
    """``more`` on a line of its own under ``text`` (at the top if there is none)."""
    return text.append("\n").append_text(more) if text else more


def _warn(text: Text, warning: str) -> Text:
    """Add a warning (if any) on a line of its own."""
    if warning:
        text.append(("\n" if text else "") + warning, style="bold yellow")
    return text


class MovesMenu(Dialog[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="close_moves")]

    def compose(self) -> ComposeResult:
        app: Any = self.app
        self.moves = available_moves(app.session)
        with Vertical(classes="dialog"):
            yield Label("Other moves", classes="dialog-title")
            options = [Option(Text.assemble((title, "bold"), f"\n  {help}")) for _, title, help in self.moves]
            if options:
                menu = OptionList(*options, id="moves")
                show_key(menu, "enter", "select", "Choose", "choose_move")
                yield menu
            else:
                yield Static("No other moves are open to you now.")
            yield Static("Enter to choose · esc to close", classes="hint")
        yield DialogFooter()

    def on_mount(self) -> None:
        if self.moves:
            self.query_one("#moves", OptionList).focus()

    @on(OptionList.OptionSelected, "#moves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        kind = self.moves[event.option_index][0]
        self.dismiss(None)
        self.app.push_screen(MoveDialog(kind))

    def action_close(self) -> None:
        self.dismiss(None)


class MoveDialog(Dialog[None]):
    """A small form for one move; the engine's answer shows inline."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "close", "Close", id="close_move")]

    def __init__(self, kind: str) -> None:
        super().__init__()
        self.kind = kind
        self._settled = False  # True once the form's own first messages have passed
        self._told = ""  # what enter said under the buttons, while it still holds
        self._asked = ""  # a share typed as a fraction ("0.5") that enter has asked about once

    @property
    def session(self) -> Session:
        app: Any = self.app
        session: Session = app.session
        return session

    def compose(self) -> ComposeResult:
        world = self.session.world
        me = self.session.me
        titles = {kind: title for kind, title, _ in available_moves(self.session)}
        with Vertical(classes="dialog", id="move"):
            yield Label(titles.get(self.kind, "Move"), classes="dialog-title")
            if self.kind == "training":
                yield Static(
                    "Training raises capability (and your share of demand later); serving earns revenue now. "
                    f"Now: {fmt.share(float(world.training_share[me]))} of compute trains."
                )
                yield from self._field("Training", "share", fmt.deal_share(float(world.training_share[me])))
            elif self._raised_already():
                yield Static(
                    "You have raised this quarter: outside investors fund a lab once a quarter. "
                    "Raise again next quarter."
                )
            elif self.kind == "raise":
                # the limit itself, as the refusal gives it: "half of it" read as half the valuation
                limit = rules.raise_limit(world, me)
                gap = limit / rules.OUTSIDE_RAISE_LIMIT
                yield Static(
                    "Outside investors buy new shares at a discount to your valuation "
                    f"({fmt.money(world, world.metrics['valuation'][me])}): at most "
                    f"{fmt.money(world, limit)} now, {fmt.share(rules.OUTSIDE_RAISE_LIMIT)} of "
                    f"{fmt.money(world, gap)}, your valuation less your cash."
                )
                yield from self._field("Amount", "amount", "", "e.g. 5 bn, or max")
            elif self.kind == "chips":
                sellers = [
                    (world.names[j], world.ids[j])
                    for j in range(world.n)
                    if world.sells_chips[j] and not world.failed[j]
                ]
                with Horizontal(classes="field-row"):
                    yield Label("From")
                    yield _choice(sellers)
                yield from self._field("Total", "amount", "", "e.g. 8 bn")
                yield from self._field("Over (q)", "quarters", "4")
                use = _chips_use(world, me)
                yield Static(f"Each quarter's payment adds compute of your own, {use}.", classes="hint")
            elif self.kind == "sell":
                held = [
                    (f"{world.names[j]} (you hold {fmt.deal_share(world.stakes[me, j])})", world.ids[j])
                    for j in range(world.n)
                    if world.stakes[me, j] > 1e-9
                ]
                with Horizontal(classes="field-row"):
                    yield Label("Stake in")
                    yield _choice(held)
                # a percentage of the company, not of the holding (the roulette's x sells a tenth of it)
                yield from self._field("Sell", "share", "", "% of the company, e.g. 5%, or all")
            elif self.kind == "exercise":
                options = [(_option_label(world, o), str(o.id)) for o in self._open_options()]
                with Horizontal(classes="field-row"):
                    yield Label("Option")
                    yield _choice(options)
            yield Static(id="move-info")  # what the move would do, as the form is filled in
            with Horizontal(classes="buttons"):
                if not self._raised_already():
                    do = Button("Do it", id="do", variant="primary", compact=True)
                    show_key(do, "enter", "press", "Do it", "do_move")
                    yield do
                yield Button("Close (esc)", id="close", compact=True)
            yield Static(id="move-message", classes="message")
        yield DialogFooter()

    def _field(self, label: str, name: str, value: str, placeholder: str = "") -> ComposeResult:
        with Horizontal(classes="field-row"):
            yield Label(label)
            yield TextField(value, id=name, placeholder=placeholder, submit="Do it")

    def on_mount(self) -> None:
        fields = self.query(TextField)
        if fields:
            fields.first().focus()
        elif len(self._open_options()) > 1:  # an option to pick first
            self.query_one("#firm", Select).focus()
        else:  # nothing to type or pick: enter does it (it opened and closed the lone choice)
            self.query_one("#do" if self.query("#do") else "#close", Button).focus()
        self._edited()
        self.call_after_refresh(self._settle)

    def on_key(self, event: events.Key) -> None:
        """With one field, what is typed goes into it wherever the focus is (tab moved it to
        "Do it", and the next characters went nowhere); enter, tab and escape keep their use."""
        fields = self.query(TextField)
        if len(fields) == 1 and event.is_printable and event.character and event.key != "question_mark":
            field = fields.first()
            if not field.disabled:
                field.take_key(event)

    def _settle(self) -> None:
        self._settled = True  # the drop-down's first Changed, sent as it mounted, is behind us

    def _raised_already(self) -> bool:
        """A raise this quarter: outside investors fund a lab once a quarter (the dialog offered
        a limit, then the engine refused it)."""
        return self.kind == "raise" and rules.raised_this_quarter(self.session.world, self.session.me)

    def _open_options(self) -> list[OptionRight]:
        """The options the player holds and has not used: what "exercise" picks from."""
        world, me = self.session.world, self.session.me
        return [o for o in world.options if o.holder == me and not o.used]

    @on(Select.Changed)
    def _then_do_it(self, event: Select.Changed) -> None:
        """Once the only thing to fill in is picked, enter does it."""
        if self._settled and not self.query(TextField) and event.select.has_focus:
            self.query_one("#do", Button).focus()

    @on(Select.Changed)
    @on(TextField.Changed)
    @guarded
    def _edited(self) -> None:
        """One message at a time: enter's answer goes once the entry it was about has changed
        into another problem or none (it stays while the same one holds). A share asked about
        is asked about again once edited, even back to what it was."""
        self._asked = ""
        if self._explain() != self._told:
            self._tell("")

    def _explain(self) -> str:
        """Say what the move would do, or what enter would be told, as the form is filled in:
        the same words, one check for every move (the order of chips said nothing of "0"
        until enter, and "1e20" read as a shortfall of "the over $1,000,000 tn"); the problem
        said, if any."""
        world, me = self.session.world, self.session.me
        text = self._intro(world, me)
        said = ""
        if not self._blank():
            action, problem = self._check()
            said = _said(action, problem)
            if said and said != self._told:  # no figures worked out from a refused entry
                text = _line(text, Text(said, style="italic"))
            elif action is not None and not problem:
                text = _warn(_line(text, self._preview(world, me, action)), self._doubt(action))
                text.append_text(self._goal_notes(action))
        self.query_one("#move-info", Static).update(text)
        return said

    def _blank(self) -> bool:
        """Nothing to check yet: the form's first field is empty (or there is no raise to make)."""
        fields = self.query(TextField)
        return self._raised_already() or (bool(fields) and not fields.first().value.strip())

    def _check(self) -> tuple[Action | None, str]:
        """The move in the form and what enter would be told about it ("" if nothing): the
        form's reading of what is typed (no move then), else the rules' refusal, worked out on
        a copy of the game."""
        try:
            action = self._build()
        except ValueError as err:
            return None, str(err)
        return action, self.session.game.move_refusal(action)

    def _intro(self, world: World, me: int) -> Text:
        """What the form is about, before anything is typed."""
        about = {"sell": self._sell_intro, "exercise": self._exercise_intro}.get(self.kind)
        return about(world, me) if about else Text()

    def _preview(self, world: World, me: int, action: Action) -> Text:
        """What a move the rules take would do, from the world as it is now."""
        if isinstance(action, SetTraining):  # the share as read: "0.4" is 0.4%, never 40%
            return Text(f"Training would get {fmt.deal_share(action.share)} of compute, serving the rest.")
        if isinstance(action, SellStake):
            return self._sell_preview(world, me, action)
        if isinstance(action, RaiseOutside):
            return self._raise_preview(world, me, action)
        if isinstance(action, BuyChips):
            return self._chips_preview(world, me, action)
        if isinstance(action, ExerciseOption):
            option = next(o for o in world.options if o.id == action.option)
            return _warn(Text(), analysis.short_of_commitments(world, me, spend=option.amount))
        return Text()

    def _doubt(self, action: Action) -> str:
        """A share typed as a fraction ("0.5" read as 0.5%) asked about, or "": a newcomer
        who meant half saw 0.5% of compute go to training at one enter."""
        if isinstance(action, SetTraining):
            of = "of compute"
        elif isinstance(action, SellStake):
            world = self.session.world
            held = float(world.stakes[self.session.me, world.index[action.firm]])
            if action.share >= held or action.share * 100 > held:
                return ""  # the whole holding, as shown, or a "meant" share it could not sell
            of = f"of {world.names[world.index[action.firm]]}"
        else:
            return ""
        doubt = fmt.share_doubt(self._value("share"))
        return f"{fmt.deal_share(action.share)} {of}: {doubt}." if doubt else ""

    def _goal_notes(self, action: Action) -> Text:
        """The goal parts the move would break or meet at once, a line each, as the deal room
        and the event questions say them ("" when none)."""
        game = self.session.game
        return fmt.goal_notes(analysis.goal_change_notes(game.world, game.move_goal_changes(action)))

    def _sell_intro(self, world: World, me: int) -> Text:
        text = Text()
        target = self._target()
        if target is None:
            return text
        firm = world.index[target]
        held = float(world.stakes[me, firm])
        worth = held * float(world.metrics["valuation"][firm])
        # the holding and the sale to the hundredth of a point, as typed: 0.45% is not "0.5%"
        text.append(f"You hold {fmt.deal_share(held)} of {world.names[firm]} ")
        text.append(f"(worth {fmt.money(world, worth)} today). ")
        shown = fmt.deal_share(held)
        text.append(f"Sell how much of the company? At most {shown}.", style="bold")
        text.append(f" A number is a percentage: {shown.rstrip('%')} or all sells all of it.")
        discount = fmt.share(world.market["sale_discount"])
        return text.append(f" Outside investors pay today's value less {discount}.")

    def _sell_preview(self, world: World, me: int, action: SellStake) -> Text:
        firm = world.index[action.firm]
        held = float(world.stakes[me, firm])
        quote = rules.quote_sale(world, me, firm, action.share)  # the cash shown is what it brings in
        part = "your whole stake" if quote.share >= held else f"{fmt.share(quote.share / held)} of your stake"
        text = Text(f"Selling {fmt.deal_share(quote.share)} of {world.names[firm]} ({part}) brings in ")
        return text.append(f"{fmt.money(world, quote.price)}.", style="bold")

    def _raise_preview(self, world: World, me: int, action: RaiseOutside) -> Text:
        quote = rules.quote_raise(world, me, action.cash)  # the engine's own: what the raise will do
        text = Text(f"For {fmt.money(world, quote.cash)} outside investors would get ")
        text.append(f"{fmt.share(quote.share)} of {world.names[me]}", style="bold")
        text.append(f" (new shares at {fmt.money(world, quote.pre_money)}, today's valuation less ")
        discount = fmt.share(world.market["sale_discount"])
        return text.append(f"{discount}); existing shareholders are diluted by as much.")

    def _exercise_intro(self, world: World, me: int) -> Text:
        text = Text()
        target = self._target()
        if target is None:
            return text
        option = next(o for o in world.options if str(o.id) == target)
        today = float(world.metrics["valuation"][option.firm])
        text.append(f"{world.names[option.firm]} is valued {fmt.money(world, today)} today; ")
        text.append(
            f"the option buys in at {fmt.money(world, option.valuation)}, the deal's price "
            "(its valuation before the deal's cash)."
        )
        if today > 0 and option.valuation > today:
            above = fmt.share(option.valuation / today - 1.0)
            text.append(
                f"\nThat is {above} above today's valuation: you would pay more than the market "
                "(a bet buys the same share for less).",
                style="bold yellow",
            )
        return text

    def _chips_preview(self, world: World, me: int, action: BuyChips) -> Text:
        """Each quarter's payment and the compute it adds, for good, once it is paid; the first
        payment falls due when this quarter ends."""
        payment = action.total / action.quarters
        text = Text(f"You pay {fmt.money(world, payment)} a quarter for {action.quarters} quarters, ")
        text.append("the first when this quarter ends. Each payment adds ")
        added = capacity_bought(world, payment)
        text.append(f"{fmt.money(world, added)} a quarter of compute {_chips_use(world, me)}", style="bold")
        now = fmt.money(world, float(world.capacity[me]))
        made = analysis.payments_in_game(world, action.quarters)
        if made < action.quarters:
            text.append(f", for good (you have {now} a quarter now).")
            text = _warn(text, _past_the_end(world, action, made))
        else:
            whole = fmt.money(world, capacity_bought(world, action.total))
            text.append(f", for good: {whole} a quarter once all is paid (you have {now} a quarter now).")
        return _warn(text, analysis.short_of_commitments(world, me, new_due=payment))

    def _value(self, name: str) -> str:
        fields = self.query(f"#{name}")  # none for a raise already made this quarter
        return fields.first(TextField).value if fields else ""

    def _target(self) -> str | None:
        """The firm or option chosen in the drop-down, if the form has one."""
        choice = self.query("#firm")
        value = choice.first(Select).value if choice else None
        return value if isinstance(value, str) else None

    def _build(self) -> Action:
        firm = self.session.firm
        if self.kind == "training":
            return SetTraining(firm, fmt.read_share(self._value("share")))
        if self.kind == "raise":
            world, me = self.session.world, self.session.me
            return RaiseOutside(firm, raise_amount(self._value("amount"), world, me))
        target = self._target()
        if target is None:
            what = {"chips": "a chipmaker", "sell": "a stake", "exercise": "an option"}.get(self.kind, "one")
            raise ValueError(f"choose {what} first")
        if self.kind == "chips":
            try:  # two fields: say which one cannot be read (read_whole names its own)
                total = fmt.read_amount(self._value("amount"))
            except ValueError as err:
                raise ValueError(f"Total: {err}") from None
            return BuyChips(firm, target, total, fmt.read_whole(self._value("quarters"), "the quarters"))
        if self.kind == "sell":
            world = self.session.world
            held = float(world.stakes[self.session.me, world.index[target]])
            return SellStake(firm, target, share_to_sell(self._value("share"), held))
        return ExerciseOption(firm, int(target))

    @on(Button.Pressed, "#do")
    @on(TextField.Submitted)
    @guarded
    def action_do(self) -> None:
        try:
            action = self._build()
        except ValueError as err:
            self._tell(_said(None, str(err)))
            return
        typed = self._value("share")
        if self._doubt(action) and self._asked != typed and not self.session.game.move_refusal(action):
            self._asked = typed  # a second enter means what is typed
            self._tell(f"Enter again to go ahead with {fmt.deal_share(fmt.read_share(typed))}.")
            return
        outcome = self.circular.act(action)
        if outcome.ok:
            self.dismiss(None)
            self.circular.tell(outcome.message)  # under the screen's controls, or a short toast
        else:
            self._tell(_said(action, outcome.message))

    def _tell(self, said: str) -> None:
        """Enter's answer under the buttons; the line above leaves it out while it shows there."""
        self._told = said
        self.query_one("#move-message", Static).update(said)
        self._explain()

    @on(Button.Pressed, "#close")
    def action_close(self) -> None:
        self.dismiss(None)


def _past_the_end(world: World, action: BuyChips, made: int) -> str:
    """An order whose payments run past the last quarter: how many fall in the game, with what
    they pay and add, and what would come after the end (never paid, never delivered)."""
    payment = action.total / action.quarters
    last = fmt.quarter(world.last_quarter)
    falls = "falls" if made == 1 else "fall"
    paid, added = fmt.money(world, made * payment), fmt.money(world, capacity_bought(world, made * payment))
    rest = action.quarters - made
    after = fmt.money(world, rest * payment)
    them = "The last one" if rest == 1 else f"The last {rest}"
    chips = "its chips" if rest == 1 else "their chips"
    return (
        f"The game ends with {last}: only {made} of the {action.quarters} payments {falls} in it "
        f"({paid}, adding {added} a quarter of compute). {them} ({after}) would come after the "
        f"end: never paid, {chips} never delivered."
    )


def _chips_use(world: World, me: int) -> str:
    """What a buyer does with the compute its chips add: a lab trains and serves with it."""
    return "to train and serve with" if world.is_lab[me] else "to sell"
