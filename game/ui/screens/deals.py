"""The deal room: compose a compute-for-equity offer, send it, answer replies and counters."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from game.engine import roulette, rules
from game.engine.actions import ProposeDeal, Respond
from game.engine.state import Offer, World
from game.ui import analysis, fmt
from game.ui.screens.base import GameScreen, guarded
from game.ui.widgets import (
    Dropdown,
    FormCheckbox,
    GameFooter,
    GameHeader,
    TextField,
    WrappedOptionList,
    say_if_more,
)

DEFAULT_QUARTERS = "8"
SEND = "Send offer"
ANSWER = Binding.Group("Answer", compact=False)


def offer_terms(world: World, offer: Offer) -> str:
    post, _ = roulette.implied_valuation(offer.cash, offer.stake)
    # the stake to a tenth of a point, as the counter form fills it in (a bot counters with 10.3%)
    terms = f"{fmt.money(world, offer.cash)} for {fmt.deal_share(offer.stake)} of {world.names[offer.lab]}"
    terms += f" (values it at {fmt.money(world, post)} with the cash)"  # post-money, not the option's price
    if offer.compute_total > 0:
        what = rules.what_it_sells(world, offer.investor)
        total = fmt.money(world, offer.compute_total)
        terms += f"; {world.names[offer.lab]} commits to buy {total} of {what}"
        terms += f" over {offer.compute_quarters} q"
    if offer.option_amount > 0:
        terms += f"; option to add {fmt.money(world, offer.option_amount)}"
    if offer.exclusive:
        terms += f"; exclusive cloud for {offer.compute_quarters} q"  # exclusivity lasts the term
    return terms


def read_quarters(text: str) -> int:
    """The commitment's term as typed, in the range the rules allow (checked here, so that -1,
    0, 41 and "two" are all told the same thing)."""
    low, high = rules.MIN_COMMIT_QUARTERS, rules.MAX_COMMIT_QUARTERS
    wrong = ValueError(f"the term must be a whole number from {low} to {high} quarters")
    try:
        quarters = fmt.read_whole(text, "the term")
    except ValueError:
        raise wrong from None
    if not low <= quarters <= high:
        raise wrong
    return quarters


def offer_to_action(world: World, offer: Offer) -> ProposeDeal:
    """The proposal an offer came from, to preview its effect."""
    return ProposeDeal(
        world.ids[offer.proposer],
        world.ids[offer.receiver],
        offer.cash,
        offer.stake,
        offer.compute_total,
        offer.compute_quarters,
        offer.option_amount,
        offer.exclusive,
    )


def deal_preview(game: Any, action: ProposeDeal) -> dict[str, Any]:
    """The engine's preview of a deal (``valid`` False with the engine's refusal)."""
    if not hasattr(game, "preview_deal"):
        return {"valid": True, "unavailable": "Preview unavailable in this version."}
    try:
        preview: dict[str, Any] = game.preview_deal(action)
    except Exception as err:  # the preview is advice; never let it break the screen
        return {"valid": True, "unavailable": f"Preview unavailable: {err}"}
    return preview


def goal_notes(game: Any, firm: str, action: ProposeDeal) -> Text:
    """The goal parts signing would break or meet at once, a line each ("" when none)."""
    if not hasattr(game, "deal_goal_changes"):
        return Text()
    return fmt.goal_notes(analysis.goal_change_notes(game.world, game.deal_goal_changes(firm, action)))


def implied_text(world: World, action: ProposeDeal, lab: int, market: float) -> Text:
    """The stake as read (a number is a percentage: "0.4" is 0.4%, not 40%) and the lab's
    valuation the offer implies, set against the market's like for like: the market values the
    lab before any money comes in, so the offer's valuation before its cash (the one after
    counts the offer's own cash as part of the lab)."""
    post, pre = roulette.implied_valuation(action.cash, action.stake)
    text = Text(f"For {fmt.deal_share(action.stake)} of {world.names[lab]}: ")
    text.append(f"implied valuation {fmt.money(world, pre)}", style="bold")
    text.append(f" before the money, {fmt.money(world, post)} after.")
    if market > 0:
        gap = pre / market - 1.0
        where = "above" if gap > 0 else "below"
        versus = f"{fmt.share(abs(gap))} {where}" if round(abs(gap), 3) else "the same as"
        text.append(f" Before the money it is {versus} the market's {fmt.money(world, market)}.")
    return text


def past_the_end(world: World, action: ProposeDeal, lab: int, investor: int) -> str:
    """A compute commitment whose payments run past the last quarter: how many fall in the game
    and what they pay, and that the rest would never be paid nor delivered (as the chips
    dialog says it); "" if all of it falls in the game."""
    quarters = action.compute_quarters
    made = analysis.payments_in_game(world, quarters)
    if action.compute_total <= 0 or made >= quarters:
        return ""
    payment = action.compute_total / quarters
    falls = "falls" if made == 1 else "fall"
    rest = quarters - made
    them = "The last one" if rest == 1 else f"The last {rest}"
    return (
        f"The game ends with {fmt.quarter(world.last_quarter)}: only {made} of the {quarters} payments "
        f"{world.names[lab]} commits to {falls} in it ({fmt.money(world, made * payment)} to "
        f"{world.names[investor]}). {them} ({fmt.money(world, rest * payment)}) would come after the "
        "end: never paid, never delivered."
    )


def preview_text(world: World, action: ProposeDeal, preview: dict[str, Any]) -> Text:
    """What the deal would do to both sides' round-trip share and exposure (engine preview)."""
    if preview.get("unavailable"):
        return Text(str(preview["unavailable"]), style="italic")
    if not preview.get("valid", True):
        return Text(f"Not possible: {preview.get('message', '')}", style="yellow")
    text = Text()  # the heading's style on the Text itself would underline the whole preview
    # each side's figures go "no deal → deal": the left one is next quarter's without the deal,
    # not the dashboard's of now (one line in the deal room's 35 columns at 80)
    text.append("Next quarter, no deal → deal:", style="bold underline")
    text.append("\n")
    me, other = world.index[action.actor], world.index[action.counterparty]
    investor, lab = (other, me) if world.is_lab[me] else (me, other)
    for side, firm in (("investor", investor), ("lab", lab)):
        numbers = preview.get(side) or {}
        try:
            rt = f"{fmt.share(numbers['round_trip_before'])} → {fmt.share(numbers['round_trip_after'])}"
            ex = f"{fmt.share(numbers['exposure_before'])} → {fmt.share(numbers['exposure_after'])}"
        except (KeyError, TypeError):
            continue
        text.append(f"{world.names[firm]}: ", style="bold")
        text.append(f"round-trip {rt}, exposure {ex}")
        if "valuation_before" in numbers and "valuation_after" in numbers:
            before, after = float(numbers["valuation_before"]), float(numbers["valuation_after"])
            text.append(f", value next quarter {fmt.money(world, after)}")
            if before > 0:
                text.append(f" ({fmt.change(after / before - 1.0)} vs no deal)")
        text.append("\n")
    if preview.get("message"):
        text.append(str(preview["message"]), style="italic")
    return text


class DealRoomScreen(GameScreen):
    VIEW = "deals"
    CSS_PATH = "deals.tcss"
    MAIN = "#offers"
    FORM = "#compose"
    MAIN_NAME = "Offers"
    MESSAGE = "#deal-message"
    AUTO_FOCUS = ""  # on_mount chooses: the offers if one waits for you, else the form
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "Accept", id="accept", group=ANSWER),
        Binding("r", "reject", "Reject", id="reject", group=ANSWER),
        Binding("c", "counter", "Counter", id="counter", group=ANSWER),
        # n is shown when no offer waits for an answer (a r c take its place at 80 columns)
        Binding("n", "new_offer", "New offer", id="new_offer"),
        Binding("n", "new_offer_quietly", "New offer", id="new_offer_quietly", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.reply_to: int | None = None
        self.offer_ids: list[int] = []
        self._choices: list[tuple[str, str]] = []
        # why the form cannot be sent as it stands ("": it can), as it says under the buttons
        self._problem = ""
        # the offer last sent, and the quarter: enter on the same terms does not send it again
        self._sent: tuple[ProposeDeal, int] | None = None
        # the message line, and the offer it answers for (see say)
        self._said: tuple[str, int | None] = ("", None)
        # the terms in the form when an answer to an offer was said: it goes once they change
        self._said_terms: ProposeDeal | None = None
        self._asked = ""  # a stake typed as a fraction ("0.5") that enter has asked about once

    def compose(self) -> ComposeResult:
        yield GameHeader()
        yield Static(id="deal-status", classes="status-line")
        with Horizontal(id="deal-body"):
            with VerticalScroll(id="compose", classes="panel") as compose:
                compose.border_title = "New offer"
                with Horizontal(classes="field-row"):
                    yield Label("With")
                    parties = self._counterparties()
                    yield Dropdown(parties, id="counterparty", compact=True, allow_blank=not parties)
                with Horizontal(classes="field-row"):
                    yield Label("Cash")
                    yield TextField(
                        "", id="cash", placeholder="investor pays, e.g. 2 bn", submit=SEND, more_fields=True
                    )
                with Horizontal(classes="field-row"):
                    yield Label("Stake")
                    yield TextField(
                        "", id="stake", placeholder="of the lab, e.g. 5%", submit=SEND, more_fields=True
                    )
                # the two fields below are one commitment; the heading names who buys from whom
                yield Static(id="compute-head")
                with Horizontal(classes="field-row"):
                    yield Label(" Total")
                    yield TextField(
                        "", id="compute", placeholder="e.g. 2 bn, blank: none", submit=SEND, more_fields=True
                    )
                with Horizontal(classes="field-row"):
                    yield Label(" Quarters")
                    yield TextField(
                        DEFAULT_QUARTERS, id="quarters", placeholder="quarters", submit=SEND, more_fields=True
                    )
                with Horizontal(classes="field-row"):
                    yield Label("Option")
                    yield TextField(
                        "", id="option", placeholder="add later, e.g. 1 bn", submit=SEND, more_fields=True
                    )
                with Horizontal(classes="field-row"):
                    yield Label("Exclusive")
                    yield FormCheckbox("no", id="exclusive", submit=SEND)
                with Horizontal(classes="buttons"):
                    yield Button("Send offer", id="send", variant="primary", compact=True)
                    yield Button("Clear (n)", id="clear", compact=True)
                message = Static(id="deal-message", classes="message")
                message.display = False
                yield message
                yield Static(id="implied")
                yield Static(id="preview")
            with Vertical(id="offers-panel", classes="panel") as offers:
                offers.border_title = "Offers"
                yield WrappedOptionList(id="offers")
                yield Static(id="offer-detail")
        yield GameFooter()

    def on_mount(self) -> None:
        # the hint goes once the form is scrolled to its end, and comes back scrolled up
        self.watch(self.query_one("#compose", VerticalScroll), "scroll_y", self._say_if_more, init=False)
        self.safe_refresh()
        # offers waiting for an answer come first; with no more deals, the form is off
        if self.session.open_offers_for_me() or self.session.out_of_play():
            self.focus_main()
        else:
            self.query_one("#cash", TextField).focus()

    # -- showing -----------------------------------------------------------------------------
    def refresh_view(self) -> None:
        session = self.session
        world = session.world
        self._status(world)
        self.query_one("#compose").disabled = bool(session.out_of_play())  # it could only be refused
        self._fill_counterparties(world)
        self._fill_offers(world)
        self._update_compose()

    def on_resize(self) -> None:
        super().on_resize()
        if self.circular.session is not None:
            self._status(self.session.world)  # the long or the compact line, whichever fits
        self.call_after_refresh(self._say_if_more)
        self.call_after_refresh(self._fit_counterparties)

    def _fit_counterparties(self) -> None:
        """The With list's choices for its new width (a firm's kind goes where it would be cut)."""
        if self.circular.session is not None and self.query("#counterparty"):
            self._fill_counterparties(self.session.world)

    def _say_if_more(self) -> None:
        """The form's bottom edge says when lines are hidden below it: at 80x24 the engine's
        preview of a deal is, and nothing else showed that the form scrolls."""
        panels = self.query("#compose")
        if panels:  # called after a refresh, once the screen may be gone
            say_if_more(panels.first(VerticalScroll))

    def _status(self, world: World) -> None:
        """One line at 80 columns: the long form when it fits, else one without "you are" and
        your firm's kind (a long name with both wrapped, pushing the screen down a line)."""
        status = self.query_one("#deal-status", Static)
        width = status.content_size.width or self.app.size.width - status.styles.gutter.width  # before layout
        text = self._status_text(world, compact=False)
        status.update(text if text.cell_len <= width else self._status_text(world, compact=True))

    def _status_text(self, world: World, compact: bool) -> Text:
        me = self.session.me
        text = Text("Deal room", style="bold")
        who = world.names[me] if compact else f"you are {world.names[me]} ({fmt.KIND_LABEL[world.kinds[me]]})"
        text.append(f" · {who}, cash ")
        text.append(fmt.money(world, float(world.cash[me])), style="bold")
        waiting = self.session.open_offers_for_me()
        if waiting:
            text.append(f" · {waiting} offer{'s' if waiting > 1 else ''} to answer", style="bold")
        return text

    def _counterparties(self, room: int = 0) -> list[tuple[str, str]]:
        """Each firm to deal with, its kind after its name if that fits in ``room`` cells
        (0: no limit): "Microsoft (hyperscale…" was cut beside the form's scrollbar at 80x24."""
        world = self.session.world
        me = self.session.me
        choices = []
        for j in range(world.n):
            if world.is_lab[j] == world.is_lab[me] or world.failed[j]:
                continue
            label = f"{world.names[j]} ({fmt.KIND_LABEL[world.kinds[j]]})"
            choices.append((label if not room or len(label) <= room else world.names[j], world.ids[j]))
        return choices

    def _choice_room(self) -> int:
        """The cells a choice has in the With list, as if the form had its scrollbar (it comes
        with a long preview, without a resize); 0 before the list is laid out."""
        select = self.query_one("#counterparty", Select)
        if not select.size.width:
            return 0
        compose = self.query_one("#compose", VerticalScroll)
        scrollbar = 0 if compose.show_vertical_scrollbar else 1
        return select.size.width - 3 - scrollbar  # a space either side and the ▼

    def _fill_counterparties(self, world: World) -> None:
        select = self.query_one("#counterparty", Select)
        choices = self._counterparties(self._choice_room())
        current = select.value
        relabelled = False
        if choices != self._choices:
            relabelled = [c[1] for c in choices] == [c[1] for c in self._choices]
            self._choices = choices
            if choices:  # with no blank entry, a list cannot be emptied: then it is switched off
                select.set_options(choices)
            select.disabled = not choices
        ids = [c[1] for c in choices]
        if current in ids:
            select.value = current
        elif ids and select.value not in ids:
            select.value = ids[0]
        if relabelled and select.value == current:  # Select shows a new label only as its value changes
            select.mutate_reactive(Select.value)  # type: ignore[misc]  # the reactive, not a value

    def _my_offers(self, world: World) -> list[Offer]:
        me = self.session.me
        mine = [o for o in world.offers if me in (o.proposer, o.receiver)]
        waiting = [o for o in mine if self.session.awaits_me(o)]
        rest = [o for o in mine if o not in waiting]
        return waiting + sorted(rest, key=lambda o: -o.id)

    def _fill_offers(self, world: World, show: int | None = None) -> None:
        """List the offers, keeping the one highlighted (or highlighting ``show``, an offer just
        sent) unless one waits for your answer: that comes first."""
        options = self.query_one("#offers", WrappedOptionList)
        highlighted = options.highlighted
        if show is not None:
            previous: int | None = show
        elif highlighted is not None and highlighted < len(self.offer_ids):
            previous = self.offer_ids[highlighted]
        else:
            previous = None
        offers = self._my_offers(world)
        self.offer_ids = [o.id for o in offers]
        entries = [Option(self._offer_entry(world, offer), id=str(offer.id)) for offer in offers]
        if not offers:
            compose = "" if self.session.out_of_play() else " Compose one on the left."
            # offers older than a few quarters are gone, so "yet" would be wrong later on
            entries = [Option(Text(f"No open offers.{compose}", style="italic"), disabled=True)]
        options.set_options(entries)  # at once: one by one, the scrollbar came and went as they did
        if offers and previous in self.offer_ids and not self.session.awaits_me(offers[0]):
            options.highlighted = self.offer_ids.index(previous)
        elif offers:
            options.highlighted = 0  # an offer waiting for your answer comes first
        self._offer_detail()

    def _offer_entry(self, world: World, offer: Offer) -> Text:
        """An offer in the list: who, when and where it stands, its terms, and why it was turned
        down (unless the message line gives its answer: a reason shows once)."""
        entry = Text()
        # no offer number: ids count every firm's offers, so the player's would jump (#5, #13)
        kind = "Counter" if offer.reply_to is not None else "Offer"
        incoming = offer.receiver == self.session.me
        who = f"from {world.names[offer.proposer]}" if incoming else f"to {world.names[offer.receiver]}"
        entry.append(f"{kind} {who} · {fmt.quarter(offer.quarter)} · ", style="bold")
        waiting = self.session.awaits_me(offer)
        entry.append(
            "YOUR ANSWER" if waiting else offer.status, style="bold reverse" if waiting else "italic"
        )
        entry.append(f"\n{offer_terms(world, offer)}")
        message, about = self._said
        if offer.reason and not (offer.id == about and offer.reason in message):
            entry.append(f"\n{offer.reason[:1].upper()}{offer.reason[1:]}.", style="italic")
        return entry

    def _selected_offer(self) -> Offer | None:
        options = self.query_one("#offers", WrappedOptionList)
        index = options.highlighted
        if index is None or index >= len(self.offer_ids):
            return None
        wanted = self.offer_ids[index]
        return next((o for o in self.session.world.offers if o.id == wanted), None)

    def _offer_detail(self) -> None:
        world = self.session.world
        offer = self._selected_offer()
        box = self.query_one("#offer-detail", Static)
        if offer is None:
            box.update("")
            return
        text = Text()
        if self.session.awaits_me(offer):
            text.append("a accept · r reject · c counter\n", style="bold")
            action = offer_to_action(world, offer)
            text.append_text(preview_text(world, action, deal_preview(self.session.game, action)))
            text.append_text(goal_notes(self.session.game, self.session.firm, action))
        box.update(text)

    def say(self, message: str, ok: bool = False, about: int | None = None) -> bool:
        """``about``: the offer the message answers for, highlighted in the list (in view, where
        the list may have been scrolled to an older one); the reason it was turned down shows
        once, in the message rather than in the list."""
        shown = super().say(message, ok)
        if shown:  # no empty line under the buttons: at 80x24 the form has none to spare
            self.query_one(self.MESSAGE).display = bool(message)
        if shown and (message, about) != self._said:
            self._said = (message, about)
            self._said_terms = self._read_form()[0]
            self._fill_offers(self.session.world, show=about)
        return shown

    @on(OptionList.OptionHighlighted, "#offers")
    @guarded
    def _offer_highlighted(self) -> None:
        self._offer_detail()
        self.refresh_bindings()

    @on(FormCheckbox.Changed, "#exclusive")
    def _exclusive_label(self, event: FormCheckbox.Changed) -> None:
        event.checkbox.label = "yes: only this cloud" if event.value else "no"

    @on(TextField.Changed)
    @on(Select.Changed, "#counterparty")
    @on(FormCheckbox.Changed, "#exclusive")
    def _form_changed(self) -> None:
        # A problem with the form as it was is old news, and so is an answer to other terms
        # ("Google says no" stayed beside the preview of the terms changed since); a stake
        # asked about is asked about again once edited, even back to what it was.
        self._asked = ""
        problem = not self.query_one(self.MESSAGE, Static).has_class("-ok")
        _, about = self._said
        if problem or (about is not None and self._read_form()[0] != self._said_terms):
            self.say("")
        self._update_compose()

    @guarded
    def _update_compose(self) -> None:
        """The implied valuation and the engine's preview of the offer in the form, or what is
        wrong with it: once, under the buttons (enter then only rings the bell)."""
        self.call_after_refresh(self._say_if_more)  # once the texts below have their new height
        world = self.session.world
        implied = self.query_one("#implied", Static)
        preview_box = self.query_one("#preview", Static)
        action, problem = self._read_form()
        self._problem = problem
        text = Text()
        counterparty = self.query_one("#counterparty", Select).value
        if not isinstance(counterparty, str):
            implied.update("Nobody is left to deal with.")
            preview_box.update("")
            return
        other = world.index[counterparty]
        me = self.session.me
        lab, investor = (me, other) if world.is_lab[me] else (other, me)
        what = rules.what_it_sells(world, investor)
        self.query_one("#compute-head", Static).update(
            f"{world.names[lab]} commits to buy {what} from {world.names[investor]}:"
        )
        over = self.session.out_of_play()
        if over:  # the form is switched off: it says why, in place of the valuation
            implied.update(Text(f"{over[:1].upper()}{over[1:]}: no more deals.", style="bold"))
            preview_box.update("")
            return
        market = float(world.metrics["valuation"][lab])
        preview = deal_preview(self.session.game, action) if action is not None else {}
        if action is None or not preview.get("valid", True):
            # what enter would be told, and no figures worked out from an amount it refuses
            if action is not None:
                problem = f"Not possible: {preview.get('message', '')}."
                self._problem = problem
            text.append(f"{world.names[lab]} is valued {fmt.money(world, market)} by the market. ")
            text.append(problem, style="italic")
            implied.update(text)
            preview_box.update("")
            return
        text.append_text(implied_text(world, action, lab, market))
        if lab == me:  # the lab gets the cash; its commitment's first payment falls due this quarter
            spend, new_due = -action.cash, action.compute_total / max(action.compute_quarters, 1)
        else:  # the investor pays now
            spend, new_due = action.cash, 0.0
        warning = analysis.short_of_commitments(world, me, spend, new_due)
        for said in (warning, past_the_end(world, action, lab, investor), self._doubt(action, lab)):
            if said:
                text.append(f"\n{said}", style="bold yellow")
        # the goal before the engine's figures: under them it was below the fold at 80x24
        text.append_text(goal_notes(self.session.game, self.session.firm, action))
        implied.update(text)
        preview_box.update(preview_text(world, action, preview))

    def _doubt(self, action: ProposeDeal, lab: int) -> str:
        """A stake typed as a fraction ("0.5" read as 0.5%) asked about, as the other moves'
        percentage fields ask: "" for any other stake."""
        doubt = fmt.share_doubt(self.query_one("#stake", TextField).value)
        names = self.session.world.names
        return f"{fmt.deal_share(action.stake)} of {names[lab]}: {doubt}." if doubt else ""

    def _read_form(self) -> tuple[ProposeDeal | None, str]:
        """The offer the form describes, or the reason it does not describe one yet."""
        counterparty = self.query_one("#counterparty", Select).value
        if not isinstance(counterparty, str):
            return None, "Choose whom to deal with."

        def value(name: str) -> str:
            return self.query_one(f"#{name}", TextField).value

        if not value("cash").strip() and not value("stake").strip():
            return None, "Fill in the cash and the stake."
        field = ""
        try:  # a problem names its field, as the form labels it
            field = "Cash"
            cash = fmt.read_amount(value("cash"))
            field = "Stake"
            stake = fmt.read_share(value("stake"))
            field = "Compute total"
            compute = fmt.read_amount(value("compute")) if value("compute").strip() else 0.0
            field = "Quarters"
            quarters = read_quarters(value("quarters") or DEFAULT_QUARTERS)
            field = "Option"
            option = fmt.read_amount(value("option")) if value("option").strip() else 0.0
        except ValueError as err:
            return None, f"{field}: {err}."
        exclusive = self.query_one("#exclusive", FormCheckbox).value
        action = ProposeDeal(
            self.session.firm, counterparty, cash, stake, compute, quarters, option, exclusive, self.reply_to
        )
        return action, ""

    # -- acting ------------------------------------------------------------------------------
    def compose_for(self, firm_id: str) -> None:
        select = self.query_one("#counterparty", Select)
        if firm_id in [v for _, v in self._choices]:
            select.value = firm_id
        self.query_one("#cash", TextField).focus()

    @on(Button.Pressed, "#send")
    @on(TextField.Submitted)
    @on(FormCheckbox.Submitted)
    @guarded
    def action_send(self) -> None:
        self._update_compose()  # the form as it stands now
        action, _ = self._read_form()
        if action is None or self._problem:  # said once, under the buttons: enter only rings
            self.app.bell()
            return
        sent = (action, self.session.world.turn)
        if sent == self._sent:  # a second enter: the offer is out, and its answer is in the list
            self.say("Sent already: change a term to send another, or esc for the offers.")
            return
        typed = self.query_one("#stake", TextField).value
        if fmt.share_doubt(typed) and self._asked != typed:  # a deal may be signed at once
            self._asked = typed
            self.say(f"Enter again to send it with a stake of {fmt.deal_share(action.stake)}.")
            return
        outcome = self.circular.act(action)
        message = outcome.message
        if outcome.ok:  # the focus stays in the form; the answer is in the offers (esc)
            self._sent = sent
            self._set_reply(None)
            self._clear_if_signed(outcome.offer)
            if any(
                self.session.awaits_me(o) for o in self.session.world.offers if o.reply_to == outcome.offer
            ):
                message += " It waits for your answer in the offers: esc, then a, r or c."
        self.say(message, ok=outcome.ok, about=outcome.offer)

    def _clear_if_signed(self, offer_id: int | None) -> None:
        """Empty the form once its deal is signed, so that enter cannot send the same deal again."""
        offer = next((o for o in self.session.world.offers if o.id == offer_id), None)
        if offer is not None and offer.status == "accepted":
            self._clear_form()

    def action_new_offer_quietly(self) -> None:
        self.action_new_offer()

    @on(Button.Pressed, "#clear")
    def action_new_offer(self) -> None:
        self._clear_form()
        self.query_one("#cash", TextField).focus()

    def _clear_form(self) -> None:
        self._set_reply(None)
        for name in ("cash", "stake", "compute", "option"):
            self.query_one(f"#{name}", TextField).value = ""
        self.query_one("#quarters", TextField).value = DEFAULT_QUARTERS
        self.query_one("#exclusive", FormCheckbox).value = False
        self.say("")

    def _set_reply(self, offer: Offer | None) -> None:
        self.reply_to = offer.id if offer is not None else None
        panel = self.query_one("#compose", VerticalScroll)
        world = self.session.world
        panel.border_title = f"Counter to {world.names[offer.proposer]}" if offer is not None else "New offer"
        self.query_one("#send", Button).label = "Send counter" if offer is not None else "Send offer"

    def _waiting_offer(self) -> Offer | None:
        offer = self._selected_offer()
        if offer is None or not self.session.awaits_me(offer):
            self.say("Highlight an offer that waits for your answer (in the list on the right).")
            return None
        return offer

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("accept", "reject", "counter", "new_offer", "new_offer_quietly"):
            if self.circular.session is None or not self.is_mounted:
                return action.startswith("new_offer")
            if self.session.out_of_play():
                return False  # nothing to answer or send any more
            offer = self._selected_offer()
            answerable = offer is not None and self.session.awaits_me(offer)
            return action == "new_offer_quietly" or answerable != (action == "new_offer")
        return super().check_action(action, parameters)

    @guarded
    def action_accept(self) -> None:
        self._respond(True)

    @guarded
    def action_reject(self) -> None:
        self._respond(False)

    def _respond(self, accept: bool) -> None:
        offer = self._waiting_offer()
        if offer is None:
            return
        outcome = self.circular.act(Respond(self.session.firm, offer.id, accept))
        if outcome.ok:
            self._clear_if_signed(outcome.offer)  # the form may still hold the terms countered
        self.say(outcome.message, ok=outcome.ok, about=offer.id)

    @guarded
    def action_counter(self) -> None:
        """Copy the offer into the form to change its terms and send it back."""
        offer = self._waiting_offer()
        if offer is None:
            return
        world = self.session.world
        self.query_one("#counterparty", Select).value = world.ids[offer.proposer]
        # as the offers list shows them, rounded as a player would type them
        self.query_one("#cash", TextField).value = fmt.shown_amount(offer.cash)
        self.query_one("#stake", TextField).value = fmt.deal_share(offer.stake)
        self.query_one("#compute", TextField).value = (
            fmt.shown_amount(offer.compute_total) if offer.compute_total else ""
        )
        self.query_one("#quarters", TextField).value = str(offer.compute_quarters)
        self.query_one("#option", TextField).value = (
            fmt.shown_amount(offer.option_amount) if offer.option_amount else ""
        )
        self.query_one("#exclusive", FormCheckbox).value = offer.exclusive
        self._set_reply(offer)
        self.query_one("#cash", TextField).focus()  # the first field, as for a new offer
        self.say(f"Change the terms and send your counter to {world.names[offer.proposer]}.", ok=True)
