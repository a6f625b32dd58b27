"""The rules of each action: check it, then change the world, or refuse with a reason.

A refused action leaves the world exactly as it was. Money that enters or leaves the firms
(new shares, sales to outsiders, a facilitator's grant or fine, an event's cash) is written
in the world's ledger, so the conservation check sees all of it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from game.calendar import quarter_name
from game.engine.actions import (
    Action,
    Adjudicate,
    Bet,
    BuyChips,
    ExerciseOption,
    ProposeDeal,
    RaiseOutside,
    Respond,
    SellStake,
    SetTraining,
)
from game.engine.state import Contract, News, Offer, OptionRight, World, deal_price, shares_bought
from game.money import format_holding, format_money, format_share, format_stake
from game.scenario.fields import MIN_COMMIT_QUARTERS

MAX_AMOUNT = 1e15
MAX_ROUNDS = 4  # a negotiation ends after this many offers
MAX_TRAINING_SHARE = 0.95
OPTION_QUARTERS = 4
MAX_COMMIT_QUARTERS = 40
OUTSIDE_RAISE_LIMIT = 0.5  # a lab raises at most this fraction of its value less its cash, at once
MIN_OUTSIDE_SHARE = 0.01  # outsiders keep at least 1% of every firm (a scenario file: more than 1%)


class Refused(Exception):
    """An action that breaks a rule; the message tells the player why."""


@dataclass(frozen=True)
class Outcome:
    ok: bool
    message: str
    offer: int | None = None


# --- checks ---------------------------------------------------------------------------------


def firm_index(world: World, firm_id: object, role: str = "firm") -> int:
    if not isinstance(firm_id, str) or firm_id not in world.index:
        raise Refused(f"unknown {role} '{firm_id}'")
    return world.index[firm_id]


def active_firm(world: World, firm_id: object, role: str = "firm") -> int:
    i = firm_index(world, firm_id, role)
    if world.failed[i]:
        raise Refused(f"{world.names[i]} has failed and cannot trade")
    return i


def amount(value: object, what: str, *, allow_zero: bool = False) -> float:
    if type(value) is float and (0.0 < value <= MAX_AMOUNT or (allow_zero and value == 0.0)):
        return value  # the common case, a plain float in range (NaN and inf fail these tests)
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value):
        raise Refused(f"{what} is absurdly large")  # 1e300 typed in billions overflows to inf
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refused(f"{what} must be a number")
    number = float(value)
    if number < 0 or (number == 0 and not allow_zero):
        raise Refused(f"{what} must be above zero")
    if number > MAX_AMOUNT:
        raise Refused(f"{what} is absurdly large")
    return number


def fraction(
    value: object, what: str, upper: float = 1.0, most: bool = False, why: Callable[[], str] | None = None
) -> float:
    """A share from more than 0% to less than ``upper`` (``most``: up to ``upper`` itself,
    give or take the rounding of a share typed as a percentage); ``why``: what sets the limit,
    said after it (worked out only then: bots check many deals)."""
    if type(value) is float and 0.0 < value < upper:
        return value  # the common case, a plain float in range
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isinf(value):
        raise Refused(f"{what} is absurdly large")  # 1e300 typed in billions overflows to inf
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise Refused(f"{what} must be a number")
    if not 0 < float(value) < upper and not (most and 0 < float(value) <= upper + 1e-9):
        # the limit as it is (a holding of 1.87%, not "1.9%"), as a stake is shown
        limit = f"at most {format_stake(upper)}" if most else f"less than {format_stake(upper)}"
        raise Refused(f"{what} must be more than 0% and {limit}{': ' + why() if why else ''}")
    return float(value)


def stake_limit(world: World, lab: int) -> str:
    """What caps a deal's stake in ``lab``: half the lab, or the part no firm of the game owns
    yet (a bare "less than 42.5%" gave no reason)."""
    free = world.outside_share(lab)
    if free >= 0.5:
        return f"a deal sells at most half of {world.names[lab]}"
    return f"firms in the game own the other {format_stake(1.0 - free)} of {world.names[lab]}"


def whole(value: object, what: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise Refused(f"{what} must be a whole number from {low} to {high}")
    return value


def can_pay(world: World, payer: int, cash: float) -> None:
    if cash > world.cash[payer] + 1e-6:
        unit = world.unit
        have = format_money(float(world.cash[payer]), str(unit))
        raise Refused(f"{world.names[payer]} has only {have} of cash")


def valuation_of(world: World, firm: int) -> float:
    return float(world.metrics["valuation"][firm])


# --- money movements ------------------------------------------------------------------------


def transfer_equity(world: World, investor: int | None, firm: int, cash: float, pre_money: float) -> float:
    """New shares: the investor pays ``cash`` and receives cash / (pre_money + cash) of the firm.

    Every existing holder, outside shareholders included, is diluted by the same factor.
    ``investor=None`` means outside investors (money entering the system). Returns the stake.
    """
    share = new_share(world, firm, cash, pre_money)
    world.stakes[:, firm] *= 1.0 - share
    world.shares[firm] /= 1.0 - share
    world.cash[firm] += cash
    world.received[firm] += cash
    if investor is None:
        world.ledger.add_in(cash)
        world.inflow_outside[firm] += cash
    else:
        world.stakes[investor, firm] += share
        world.cash[investor] -= cash
        world.flows[investor, firm] += cash
        world.invested[investor, firm] += cash
    return share


def new_share(world: World, firm: int, cash: float, pre_money: float) -> float:
    """The share of ``firm`` that ``cash`` buys in new shares at ``pre_money``; refused if the
    outside shareholders would keep less than 1%."""
    share = shares_bought(cash, pre_money)
    if pre_money <= 0 or world.outside_share(firm) * (1.0 - share) < MIN_OUTSIDE_SHARE:
        raise Refused(f"outside shareholders must keep at least 1% of {world.names[firm]}")
    return share


def outside_price(world: World, firm: int) -> float:
    """What outside investors pay for the whole of ``firm``: today's value less the market's
    sale discount. They buy new shares of a lab at it (a raise), stakes sold to them go at it,
    and no lab sells a firm its shares for less (``negotiation.cheapest_stake``)."""
    return max(valuation_of(world, firm), 0.0) * (1.0 - world.market["sale_discount"])


def sale_price(world: World, firm: int, share: float) -> float:
    """What outside investors pay for ``share`` of ``firm``."""
    return share * outside_price(world, firm)


def sell_to_outsiders(world: World, holder: int, firm: int, share: float) -> float:
    price = sale_price(world, firm, share)
    world.stakes[holder, firm] -= share
    world.cash[holder] += price
    world.ledger.add_in(price)
    world.inflow_outside[holder] += price
    return price


def add_contract(world: World, buyer: int, seller: int, total: float, quarters: int) -> Contract:
    kind = "chips" if world.sells_chips[seller] else "compute"
    contract = Contract(world.new_id(), buyer, seller, total / quarters, quarters, world.quarter, kind)
    world.contracts.append(contract)
    return contract


def say(world: World, headline: str, body: str = "", kind: str = "deal", *firms: int) -> None:
    world.news.append(News(world.quarter, headline, body, kind, firms))


# --- the actions ----------------------------------------------------------------------------


def bet_refusal(world: World, actor: int, lab: int) -> str | None:
    """Why ``actor`` cannot bet on ``lab`` at all, whatever the amount; None if it can.

    The roulette table asks before it quotes, so it never quotes a bet that would be refused."""
    if world.finished:
        return "the game is over; no more bets"
    if world.failed[actor]:
        return f"{world.names[actor]} has failed and cannot trade"
    if world.failed[lab]:
        return f"{world.names[lab]} has failed: nobody buys its shares"
    if not world.is_lab[lab]:
        return f"{world.names[lab]} is not a lab; bets go on labs"
    if lab == actor:
        return "a lab cannot bet on itself; raise from outside investors instead"
    if valuation_of(world, lab) <= 0:
        return f"{world.names[lab]} has no positive valuation to buy into"
    return None


def bet_problem(world: World, actor: int, lab: int, cash: object) -> str | None:
    """Why ``actor`` cannot bet ``cash`` on ``lab`` (the lab first, then the amount: absurdly
    large, not above zero, more than the cash); None if the bet would be taken.

    The roulette table asks at every keystroke, so its quote says what enter would."""
    refusal = bet_refusal(world, actor, lab)
    if refusal:
        return refusal
    try:
        can_pay(world, actor, amount(cash, "the bet"))
    except Refused as err:
        return str(err)
    return None


def place_bet(world: World, action: Bet) -> Outcome:
    actor = active_firm(world, action.actor, "investor")
    lab = firm_index(world, action.lab, "lab")
    problem = bet_problem(world, actor, lab, action.cash)
    if problem:
        raise Refused(problem)
    cash = amount(action.cash, "the bet")
    pre = valuation_of(world, lab)
    share = transfer_equity(world, actor, lab, cash, pre)
    unit = world.unit
    say(
        world,
        f"{world.names[actor]} bets {format_money(cash, unit)} on {world.names[lab]}",
        f"It buys {format_share(share)} at a {format_money(pre, unit)} valuation.",
        "deal",
        actor,
        lab,
    )
    return Outcome(True, f"Bought {format_holding(share)} of {world.names[lab]}.")


def check_option(world: World, lab: int, cash: float, stake: float, option: float) -> None:
    """Refused unless the option, exercised at the deal's price, buys at most half the lab."""
    price = deal_price(cash, stake)
    if option > price:
        most, name = format_money(price, world.unit), world.names[lab]
        raise Refused(f"the option may be at most {most}: at the deal's price that buys half of {name}")


def awaits_its_turn(world: World, offer: Offer) -> bool:
    """True for an offer between two people that its receiver has not had a turn to answer:
    made this quarter by a seat that plays after the receiver's (people take their turns in
    the order of ``humans``). It stays open until the end of the next quarter. Every other
    open offer lapses when a quarter ends (a computer-run firm's offers to people are made as
    a quarter ends, so they are open for the whole of the next one)."""
    seats = world.humans
    return (
        offer.quarter == world.quarter
        and offer.proposer in seats
        and offer.receiver in seats
        and seats.index(offer.receiver) < seats.index(offer.proposer)
    )


def check_deal(world: World, action: ProposeDeal) -> Offer:
    """Validate a proposal and return it as an offer (not yet stored)."""
    proposer = active_firm(world, action.actor, "proposer")
    receiver = active_firm(world, action.counterparty, "counterparty")
    if proposer == receiver:
        raise Refused("a firm cannot make a deal with itself")
    if world.is_lab[proposer] == world.is_lab[receiver]:
        raise Refused("a compute-for-equity deal is between a lab and a non-lab investor")
    lab, investor = (proposer, receiver) if world.is_lab[proposer] else (receiver, proposer)
    cash = amount(action.cash, "the cash")
    most = min(0.5, world.outside_share(lab))
    stake = fraction(action.stake, "the stake", upper=most, why=lambda: stake_limit(world, lab))
    compute = amount(action.compute_total, "the compute commitment", allow_zero=True)
    # at least a year: one quarter's payment is annualised in the seller's valuation, so a deal
    # paid back within the quarter would lift it by four years of revenue
    quarters = whole(
        action.compute_quarters, "the commitment's quarters", MIN_COMMIT_QUARTERS, MAX_COMMIT_QUARTERS
    )
    option = amount(action.option_amount, "the option", allow_zero=True)
    check_option(world, lab, cash, stake, option)
    if compute > 0 and not (world.sells_compute[investor] or world.sells_chips[investor]):
        raise Refused(f"{world.names[investor]} sells no compute or chips to commit to")
    if compute > 0 or action.exclusive:
        refuse_if_exclusive(world, lab, investor)
    if action.exclusive and not world.sells_compute[investor]:
        raise Refused("only a cloud can ask for exclusivity")
    if world.quarter > world.last_quarter:
        raise Refused("the game is over; no more deals")
    can_pay(world, investor, cash)
    if not isinstance(action.exclusive, bool):
        raise Refused("exclusivity is yes or no (true or false)")
    previous = None
    if action.reply_to is not None:
        if isinstance(action.reply_to, bool) or not isinstance(action.reply_to, int):
            raise Refused("counter an offer by its number")
        previous = next((o for o in world.offers if o.id == action.reply_to), None)
        same_parties = previous is not None and previous.proposer == receiver and previous.lab == lab
        if previous is None or previous.receiver != proposer or previous.status != "open" or not same_parties:
            raise Refused("there is no open offer to counter with that number")
        if previous.round >= MAX_ROUNDS:
            raise Refused("the talks have gone on too long; accept or reject the last offer")
    offer = Offer(
        id=0,
        proposer=proposer,
        receiver=receiver,
        investor=investor,
        lab=lab,
        cash=cash,
        stake=stake,
        compute_total=compute,
        compute_quarters=quarters,
        option_amount=option,
        exclusive=action.exclusive,
        round=previous.round + 1 if previous else 1,
        quarter=world.quarter,
        reply_to=action.reply_to,
    )
    if world.quarter == world.last_quarter and awaits_its_turn(world, offer):  # no turn is left
        raise Refused(f"{world.names[receiver]} has had its last turn: the game ends before it could answer")
    return offer


def exclusive_cloud(world: World, lab: int, seller: int) -> int | None:
    """The cloud whose exclusive deal bars ``lab`` from a new commitment to ``seller``, or None.

    Exclusivity is about the lab's cloud: chips ordered from a chipmaker are not barred.
    It lasts while the exclusive deal's commitment runs (or until that cloud fails), and
    contracts signed before it keep running."""
    held = world.exclusive.get(lab)
    if held is None or held[0] == seller or not world.sells_compute[seller]:
        return None
    cloud, last = held
    return None if world.quarter > last or world.failed[cloud] else cloud


def refuse_if_exclusive(world: World, lab: int, seller: int) -> None:
    cloud = exclusive_cloud(world, lab, seller)
    if cloud is not None:
        until = quarter_name(world.exclusive[lab][1])
        raise Refused(
            f"{world.names[lab]} buys compute only from {world.names[cloud]} until {until} (exclusive deal)"
        )


def store_offer(world: World, offer: Offer) -> Offer:
    offer.id = world.new_id()
    if offer.reply_to is not None:
        for old in world.offers:
            if old.id == offer.reply_to:
                old.status = "countered"
    world.offers.append(offer)
    return offer


def what_it_sells(world: World, seller: int) -> str:
    """What a deal's commitment buys from ``seller``: "chips" from a chipmaker, else "compute"."""
    return "chips" if world.sells_chips[seller] else "compute"


def execute_deal(world: World, offer: Offer) -> str:
    """Sign an accepted offer: equity for cash, the compute commitment, option, exclusivity."""
    if world.failed[offer.lab] or world.failed[offer.investor]:
        raise Refused("one side has failed since the offer was made")
    can_pay(world, offer.investor, offer.cash)
    if offer.stake >= world.outside_share(offer.lab):
        raise Refused("that stake is no longer available")
    check_option(world, offer.lab, offer.cash, offer.stake, offer.option_amount)  # a counter moves the price
    if offer.compute_total > 0 or offer.exclusive:  # another cloud's exclusive deal signed since the offer
        refuse_if_exclusive(world, offer.lab, offer.investor)
    pre = deal_price(offer.cash, offer.stake)
    transfer_equity(world, offer.investor, offer.lab, offer.cash, pre)
    if offer.compute_total > 0:
        add_contract(world, offer.lab, offer.investor, offer.compute_total, offer.compute_quarters)
    deadline = world.quarter + OPTION_QUARTERS
    if offer.option_amount > 0:
        world.options.append(
            OptionRight(world.new_id(), offer.investor, offer.lab, offer.option_amount, pre, deadline)
        )
    if offer.exclusive:
        world.exclusive[offer.lab] = (offer.investor, world.quarter + offer.compute_quarters - 1)
    offer.status = "accepted"
    unit = world.unit
    terms = f"{format_money(offer.cash, unit)} for {format_stake(offer.stake)}"  # as the offer said it
    if offer.compute_total > 0:
        terms += (
            f"; {format_money(offer.compute_total, unit)} of {what_it_sells(world, offer.investor)}"
            f" over {offer.compute_quarters} quarters"
        )
    if offer.option_amount > 0:  # part of the deal as much as the cash: the message names it
        option = format_money(offer.option_amount, unit)
        terms += f"; an option on {option} more until {quarter_name(deadline)}"
    if offer.exclusive:
        terms += f"; exclusive until {quarter_name(world.exclusive[offer.lab][1])}"
    say(
        world,
        f"{world.names[offer.investor]} and {world.names[offer.lab]} sign a deal",
        terms,
        "deal",
        offer.investor,
        offer.lab,
    )
    return f"Deal signed: {terms}."


def respond(world: World, action: Respond) -> tuple[Offer, str]:
    actor = firm_index(world, action.actor)
    offer = next((o for o in world.offers if o.id == action.offer), None)
    if offer is None or offer.receiver != actor:
        raise Refused("there is no offer with that number for you")
    if offer.status != "open":
        raise Refused(f"that offer is {offer.status}")
    if not isinstance(action.accept, bool):
        raise Refused("answer an offer with accept = true or false")
    if not action.accept:
        offer.status = "rejected"
        return offer, "Offer rejected."
    return offer, execute_deal(world, offer)


def exercise_option(world: World, action: ExerciseOption) -> Outcome:
    actor = active_firm(world, action.actor)
    option = next((o for o in world.options if o.id == action.option), None)
    if option is None or option.holder != actor:
        raise Refused("you hold no option with that number")
    if option.used:
        raise Refused("that option has already been exercised")
    if world.quarter > option.deadline:
        raise Refused("that option has expired")
    if world.failed[option.firm]:
        raise Refused(f"{world.names[option.firm]} has failed")
    can_pay(world, actor, option.amount)
    share = transfer_equity(world, actor, option.firm, option.amount, option.valuation)
    option.used = True
    unit = world.unit
    say(
        world,
        f"{world.names[actor]} exercises its option in {world.names[option.firm]}",
        f"{format_money(option.amount, unit)} for {format_share(share)} at the agreed valuation.",
        "deal",
        actor,
        option.firm,
    )
    return Outcome(True, f"Option exercised: {format_holding(share)} of {world.names[option.firm]}.")


@dataclass(frozen=True)
class SaleQuote:
    share: float  # of the firm, at most the holding
    price: float  # what outside investors pay for it


def quote_sale(world: World, holder: int, firm: int, share: object) -> SaleQuote:
    """The terms of selling ``share`` of ``firm`` to outside investors, or Refused with the rule
    it breaks. Changes nothing; the sale itself uses this quote, so a preview of it is exactly
    what happens."""
    if world.failed[firm]:
        raise Refused(f"{world.names[firm]} has failed: nobody buys its shares")
    held = float(world.stakes[holder, firm])
    if held <= 0:
        raise Refused(f"you hold no stake in {world.names[firm]}")
    sold = min(fraction(share, "the share to sell", upper=held, most=True), held)
    return SaleQuote(sold, sale_price(world, firm, sold))


def sell_stake(world: World, action: SellStake) -> Outcome:
    actor = active_firm(world, action.actor)
    firm = firm_index(world, action.firm)
    quote = quote_sale(world, actor, firm, action.share)
    price = sell_to_outsiders(world, actor, firm, quote.share)
    unit = world.unit
    return Outcome(
        True, f"Sold {format_stake(quote.share)} of {world.names[firm]} for {format_money(price, unit)}."
    )


def set_training(world: World, action: SetTraining) -> Outcome:
    actor = active_firm(world, action.actor)
    if not world.is_lab[actor]:
        raise Refused("only labs train models")
    if isinstance(action.share, bool) or not isinstance(action.share, int | float):
        raise Refused("the training share must be a number")
    if not 0 <= action.share <= MAX_TRAINING_SHARE:
        raise Refused(f"the training share must be from 0% to {format_share(MAX_TRAINING_SHARE)}")
    world.training_share[actor] = float(action.share)
    return Outcome(True, f"Training now gets {format_share(float(action.share))} of compute.")


@dataclass(frozen=True)
class RaiseQuote:
    cash: float
    pre_money: float  # the lab's valuation less the sale discount
    share: float  # of the lab, for the outside investors


def quote_raise(world: World, lab: int, cash: object) -> RaiseQuote:
    """The terms of an outside raise of ``cash``, or Refused with the rule it breaks. Changes
    nothing; the raise itself uses this quote, so a preview of it is exactly what happens."""
    if not world.is_lab[lab]:
        raise Refused("only labs raise from outside investors here")
    money = amount(cash, "the raise")
    if world.market["outside_funding"] <= 0:
        raise Refused("outside investors have stopped funding labs")
    if raised_this_quarter(world, lab):  # else raise after raise made cash from nothing
        raise Refused("outside investors fund a lab once a quarter; raise again next quarter")
    most = raise_limit(world, lab)
    if money > most:
        half = format_share(OUTSIDE_RAISE_LIMIT)
        gap = format_money(most / OUTSIDE_RAISE_LIMIT, world.unit)
        raise Refused(
            f"outside investors put in at most {format_money(most, world.unit)} now: "
            f"{half} of {gap}, your valuation less your cash"
        )
    pre = outside_price(world, lab)
    return RaiseQuote(money, pre, new_share(world, lab, money, pre))


def raised_this_quarter(world: World, lab: int) -> bool:
    """True once the lab has raised from outside investors this quarter: they fund a lab once
    a quarter."""
    return world.raised_in.get(lab) == world.quarter


def raise_limit(world: World, lab: int) -> float:
    """The most a lab can raise from outside investors now: ``OUTSIDE_RAISE_LIMIT`` of its
    valuation less its cash. Investors fund the business, not the cash pile: counting the
    cash, a raise every quarter lifted the next quarter's limit and compounded."""
    return OUTSIDE_RAISE_LIMIT * max(valuation_of(world, lab) - float(world.cash[lab]), 0.0)


def raise_outside(world: World, action: RaiseOutside) -> Outcome:
    actor = active_firm(world, action.actor)
    quote = quote_raise(world, actor, action.cash)
    cash = quote.cash
    share = transfer_equity(world, None, actor, cash, quote.pre_money)
    world.raised_in[actor] = world.quarter
    unit = world.unit
    say(
        world,
        f"{world.names[actor]} raises {format_money(cash, unit)} from outside investors",
        f"New shareholders get {format_share(share)}.",
        "deal",
        actor,
    )
    return Outcome(True, f"Raised {format_money(cash, unit)} for {format_share(share)}.")


def buy_chips(world: World, action: BuyChips) -> Outcome:
    actor = active_firm(world, action.actor)
    seller = active_firm(world, action.seller, "chipmaker")
    if not world.sells_chips[seller]:
        raise Refused(f"{world.names[seller]} does not sell chips")
    if world.sells_chips[actor]:
        raise Refused("a chipmaker does not buy chips here")
    total = amount(action.total, "the order")
    quarters = whole(action.quarters, "the order's quarters", 1, 20)
    affordable = float(world.cash[actor] + 4 * world.metrics["revenue"][actor])
    due = sum(c.per_quarter for c in world.contracts if c.buyer == actor)  # orders add up
    if due + total / quarters > affordable:
        unit = world.unit
        each = f"{format_money(total / quarters, unit)} a quarter"
        if due > 0:
            each += f" on top of {format_money(due, unit)} already due"
        raise Refused(
            f"the order would cost {each}: more than your cash and a year's revenue "
            f"({format_money(affordable, unit)}) can pay"
        )
    add_contract(world, actor, seller, total, quarters)
    unit = world.unit
    say(
        world,
        f"{world.names[actor]} orders {format_money(total, unit)} of chips from {world.names[seller]}",
        f"Paid over {quarters} quarters; each payment adds capacity.",
        "deal",
        actor,
        seller,
    )
    return Outcome(True, f"Ordered {format_money(total, unit)} of chips over {quarters} quarters.")


def adjudicate(world: World, action: Adjudicate) -> Outcome:
    """A facilitator's grant or penalty: money from or to outside the system, with a reason.
    A penalty larger than the firm's cash is added to its debt."""
    firm = active_firm(world, action.firm)
    if isinstance(action.amount, bool) or not isinstance(action.amount, int | float):
        raise Refused("the amount must be a number")
    size = amount(abs(action.amount), "the amount")
    market = float(world.metrics["valuation"].clip(min=0.0).sum())
    if size > market:  # more than every firm is worth would swamp the lesson
        raise Refused(f"at most {format_money(market, world.unit)} (what every firm together is worth)")
    reason = action.reason.strip() if isinstance(action.reason, str) else ""
    if not reason or len(reason) > 200:
        raise Refused("give a reason (up to 200 characters); it goes into the log and the news")
    if action.amount > 0:
        world.cash[firm] += size
        world.ledger.add_in(size)
        verb = "grants"
    else:
        from_cash = min(size, float(world.cash[firm]))
        world.cash[firm] -= from_cash
        world.debt[firm] += size - from_cash
        world.ledger.add_out(from_cash)
        verb = "fines"
    headline = f"The facilitator {verb} {world.names[firm]} {format_money(size, world.unit)}: {reason}"
    say(world, headline, "", "facilitator", firm)  # the reason in the headline: the news shows headlines
    return Outcome(True, headline)


SIMPLE_RULES = {
    "bet": place_bet,
    "exercise": exercise_option,
    "sell": sell_stake,
    "training": set_training,
    "raise": raise_outside,
    "chips": buy_chips,
}


def apply_simple(world: World, action: Action) -> Outcome:
    """A move of one firm's own (a sale, a raise, an order of chips...), refused as every move
    is when the game is over or the firm cannot act: ``Game.act`` and the dialogs' dry runs
    (``preview.move_done``) both come through here, so the two cannot drift apart."""
    if world.finished:
        raise Refused("the game is over")
    active_firm(world, action.actor)
    return SIMPLE_RULES[action.kind](world, action)  # type: ignore[operator]
