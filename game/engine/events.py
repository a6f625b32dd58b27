"""Scenario events: when they fire, what their effects do, and the questions they ask.

Events are checked at the start of each quarter, after the previous one has been played,
so that players read the news and answer any question before they end the quarter.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from game.calendar import quarter_index
from game.engine.observe import Observer
from game.engine.rules import Refused, add_contract, exclusive_cloud, say, transfer_equity
from game.engine.state import AMOUNT_CEILING, CAPABILITY_CEILING, News, OptionRight, PendingChoice, World
from game.money import format_money
from game.scenario.conditions import Condition, compile_condition
from game.scenario.model import (
    STAKES_LIMIT,
    Adjust,
    Cancel,
    Commit,
    Event,
    GrantOption,
    Invest,
    Scenario,
    SetStake,
    Shift,
)
from game.scenario.vocabulary import CONDITION_FUNCTIONS, condition_names

FIRM_FIELDS = {
    "revenue": "own_revenue",
    "revenue_growth": "revenue_growth",
    "costs": "costs",
    "cash": "cash",
    "debt": "debt",
    "capability": "capability",
    "multiple": "multiple",
    "capacity": "capacity",
}
SIGNED_FIELDS = {"revenue_growth", "cost_growth"}


@dataclass
class EventBook:
    """The scenario's events with their conditions compiled once."""

    events: list[Event]
    conditions: dict[str, Condition]
    dates: dict[str, int]  # event id -> the quarter it is dated for
    _schedule: dict[int, list[Event]] = field(default_factory=dict, init=False, repr=False, compare=False)
    _goals: dict[str, Condition] = field(default_factory=dict, init=False, repr=False, compare=False)

    @classmethod
    def of(cls, scenario: Scenario) -> EventBook:
        """Compile a scenario's book. A book holds no game state: every game of the scenario
        can share one (``Game(..., compiled_events=book)``), which saves compiling again."""
        names = condition_names(with_me=False)
        firms = scenario.firm_ids()
        conditions = {
            e.id: compile_condition(e.condition, functions=CONDITION_FUNCTIONS, names=names, firms=firms)
            for e in scenario.events
            if e.condition is not None
        }
        dates = {e.id: quarter_index(e.when) for e in scenario.events if e.when is not None}
        return cls(list(scenario.events), conditions, dates)

    def goal_condition(self, text: str, firms: list[str], expect: str = "bool") -> Condition:
        """A goal's condition (it may name ``me``), compiled once for all the games of the book;
        ``expect="number"`` for a side of one of its comparisons (ConditionError if it is not)."""
        condition = self._goals.get(f"{expect}:{text}")
        if condition is None:
            names = condition_names(with_me=True)
            condition = compile_condition(
                text, functions=CONDITION_FUNCTIONS, names=names, firms=firms, expect=expect
            )
            self._goals[f"{expect}:{text}"] = condition
        return condition

    def by_id(self, event_id: str) -> Event | None:
        return next((e for e in self.events if e.id == event_id), None)

    def fire_due(self, world: World, bots_wait: bool = False) -> list[Event]:
        """Fire every event due this quarter, in file order (``bots_wait``: see :func:`fire`)."""
        observer = Observer(world)
        fired = []
        for event in self._candidates(world.quarter):
            if self._due(world, event, observer):
                fire(world, event, bots_wait=bots_wait)
                fired.append(event)
        return fired

    def answer_for_bots(self, world: World) -> bool:
        """The computer-run firms answer the questions left waiting for them; True if any did."""
        waiting = [p for p in world.pending if p.chooser not in world.humans]
        for pending in waiting:
            world.pending.remove(pending)
            event = self.by_id(pending.event)
            if event is not None:
                _bot_chooses(world, event)
        return bool(waiting)

    def _candidates(self, quarter: int) -> list[Event]:
        """The events that may fire in ``quarter``, in file order: those dated for it and
        those with a condition but no date (shocks only fire when injected)."""
        candidates = self._schedule.get(quarter)
        if candidates is None:
            candidates = [
                e
                for e in self.events
                if self.dates.get(e.id, quarter) == quarter and not (e.when is None and e.condition is None)
            ]
            self._schedule[quarter] = candidates
        return candidates

    def _due(self, world: World, event: Event, observer: Observer) -> bool:
        last = world.event_fired.get(event.id)
        if last is not None and (event.once or world.quarter - last <= event.cooldown):
            return False
        date = self.dates.get(event.id)
        if date is not None and date != world.quarter:
            return False
        if event.when is None and event.condition is None:
            return False  # a shock: only a facilitator injects it
        condition = self.conditions.get(event.id)
        if condition is not None and not condition.evaluate(observer):
            return False
        return event.probability >= 1.0 or bool(world.rng.random() < event.probability)


FELL_THROUGH = "A planned move fell through"  # the news when an event's effect cannot be done


def aims_at_a_firm(event: Event) -> bool:
    """True if the event's effects (or its choices') name ``firm = "target"``; otherwise it
    hits the whole market and a facilitator cannot aim it at one firm."""
    effects = [*event.effects, *(e for choice in event.choices for e in choice.effects)]
    return any(getattr(effect, "firm", None) == "target" for effect in effects)


def can_hit(world: World, event: Event, firm: int) -> bool:
    """True if aiming the event at ``firm`` would change something there: a shock that cuts
    compute capacity by a third does nothing to a lab, which has none."""
    effects = [*event.effects, *(e for choice in event.choices for e in choice.effects)]
    for effect in effects:
        if isinstance(effect, Adjust) and effect.firm == "target":
            old = float(getattr(world, FIRM_FIELDS[effect.field])[firm])
            if old * effect.multiply + effect.add != old:
                return True
        elif getattr(effect, "firm", None) == "target":
            return True  # another kind of effect on the target always acts
    return False


def aimed_headline(world: World, event: Event, target: str | None) -> str:
    """The headline of a shock aimed at ``target``: it names the firm, as the event's own
    text says only "the target"."""
    return f"{event.headline} (hits {world.names[world.index[target]]})" if target else event.headline


def fire(world: World, event: Event, target: str | None = None, bots_wait: bool = False) -> None:
    """Publish the event, apply its effects, and ask its question if it has one. A shock the
    facilitator aimed at ``target`` names it in the headline (its text says only "the target").
    A computer-run chooser answers at once, unless ``bots_wait``: then its question waits like
    a person's until :meth:`EventBook.answer_for_bots`."""
    world.event_fired[event.id] = world.quarter
    headline = aimed_headline(world, event, target)
    target = target or event.target
    firms = tuple(world.index[f] for f in (target, event.chooser) if f is not None)
    world.news.append(News(world.quarter, headline, event.body, "event", firms))
    _add_notes(world, len(world.news) - 1, apply_effects(world, event.effects, target, event.id), None)
    if not event.choices or event.chooser is None:
        return
    chooser = world.index[event.chooser]
    if chooser in world.humans or bots_wait:
        world.pending.append(PendingChoice(event.id, chooser, world.quarter))
    else:
        _bot_chooses(world, event, target)


def _bot_chooses(world: World, event: Event, target: str | None = None) -> None:
    """A computer-run firm answers: the event's default answer, or one at random."""
    pick = event.default_choice
    choose(world, event, pick if pick is not None else int(world.rng.integers(len(event.choices))), target)


def default_choice(event: Event) -> int:
    """The answer a question takes when nobody answers it by the end of the quarter: the
    scenario's ``default_choice``, else the first."""
    choice = event.default_choice or 0
    return choice if 0 <= choice < len(event.choices) else 0


def choose(world: World, event: Event, pick: int, target: str | None = None) -> str:
    choice = event.choices[pick]
    chooser = world.index[event.chooser] if event.chooser else None
    who = world.names[chooser] if chooser is not None else "The market"
    world.news.append(News(world.quarter, f"{who}: {choice.label}", choice.description, "choice"))
    done = apply_effects(world, choice.effects, target or event.target, event.id)
    _add_notes(world, len(world.news) - 1, done, chooser)
    return choice.label


def apply_effects(world: World, effects: list[Any], target: str | None, event: str = "") -> list[Any]:
    """Apply each effect that can be done and report the others in the news, naming the
    ``event`` they belong to (so that `circular validate` can point at it). Returns the
    effects done."""
    done = []
    for effect in effects:
        try:
            _apply(world, effect, target)
        except Refused as err:  # the reason in the headline: the news shows headlines
            world.news.append(News(world.quarter, f"{FELL_THROUGH}: {err}", "", "market", event=event))
        else:
            done.append(effect)
    return done


def _add_notes(world: World, at: int, done: list[Any], chooser: int | None) -> None:
    """Add to the event's news (``world.news[at]``: its effects may have added news after it)
    the sentences the effects ``done`` call for."""
    notes = _scripted_for_people(world, done, chooser) + _set_price_notes(world, done)
    if notes:
        item = world.news[at]
        world.news[at] = replace(item, body=" ".join([item.body, *notes]).strip())


def _scripted_for_people(world: World, done: list[Any], chooser: int | None) -> list[str]:
    """A sentence when the event moved the money of a firm a person plays, who did not choose
    it (history's scripted rounds, a tutorial's lesson): the player should not think they did it,
    or missed a question. Worded for any scenario: "what really happened" read oddly in a tutorial."""
    moved = [world.index[firm] for e in done if isinstance(e, Invest | Commit) for firm in e.parties()]
    people = [firm for firm in dict.fromkeys(moved) if firm in world.humans and firm != chooser]
    if not people:
        return []
    who = " and ".join(world.names[firm] for firm in people)
    if chooser is not None:  # another firm's answer to the scenario's offer (a tutorial's lesson)
        return [
            f"Scripted: {world.names[chooser]}'s answer made this move for {who} without asking: "
            "the offer is part of the story the scenario tells."
        ]
    return [
        f"Scripted: the scenario made this move for {who} without asking, because it is part of "
        "the story the scenario tells."
    ]


SET_PRICE_GAP = 1.25  # a set price this far from the game's valuation deserves a sentence


def _set_price_notes(world: World, done: list[Any]) -> list[str]:
    """A sentence for each firm whose round kept its written price (history's real rounds)
    although this game values the firm quite differently: the headline quotes the real price,
    and the player should not read it as the game's."""
    priced = [e for e in done if isinstance(e, Invest) and e.valuation is not None]
    notes = []
    for firm_id in dict.fromkeys(effect.firm for effect in priced):
        firm = world.index[firm_id]
        market = float(world.metrics["valuation"][firm])
        pre = next(e.valuation for e in priced if e.firm == firm_id and e.valuation is not None)
        if market > 0 and not 1 / SET_PRICE_GAP <= pre / market <= SET_PRICE_GAP:
            name, unit = world.names[firm], world.unit
            notes.append(
                f"This game values {name} at {format_money(market, unit)}, but the round kept its "
                f"set price of {format_money(pre, unit)} before the money, so its investors got "
                f"{'smaller' if pre > market else 'larger'} stakes than this game's price would give."
            )
    return notes


def _apply(world: World, effect: Any, target: str | None) -> None:
    ix = world.index
    if isinstance(effect, Invest):
        investor, firm = ix[effect.investor], ix[effect.firm]
        if world.failed[investor] or world.failed[firm]:
            raise Refused(f"{world.names[firm]} deal cancelled: a party has failed")
        if world.cash[investor] < effect.cash:
            raise Refused(f"{world.names[investor]} lacks the cash to invest in {world.names[firm]}")
        pre = effect.valuation if effect.valuation is not None else float(world.metrics["valuation"][firm])
        if pre <= 0:
            raise Refused(f"{world.names[firm]} has no positive valuation to invest at")
        transfer_equity(world, investor, firm, effect.cash, pre)
    elif isinstance(effect, Commit):
        buyer, seller = ix[effect.buyer], ix[effect.seller]
        if world.failed[buyer] or world.failed[seller]:
            raise Refused("a commitment between failed firms was dropped")
        add_contract(world, buyer, seller, effect.total, effect.quarters)
        _break_exclusivity(world, buyer, seller)
    elif isinstance(effect, GrantOption):
        world.options.append(
            OptionRight(
                world.new_id(),
                ix[effect.holder],
                ix[effect.firm],
                effect.amount,
                effect.valuation,
                quarter_index(effect.deadline),
            )
        )
    elif isinstance(effect, SetStake):
        _set_stake(world, ix[effect.holder], ix[effect.firm], effect.share)
    elif isinstance(effect, Adjust):
        firm = ix[target] if effect.firm == "target" and target else ix[effect.firm]
        if world.failed[firm]:
            raise Refused(f"{world.names[firm]} has failed")
        _adjust_firm(world, firm, effect)
    elif isinstance(effect, Shift):
        _shift_market(world, effect)
    elif isinstance(effect, Cancel):
        buyer, seller = ix[effect.buyer], ix[effect.seller]
        world.contracts = [c for c in world.contracts if not (c.buyer == buyer and c.seller == seller)]


def _break_exclusivity(world: World, lab: int, seller: int) -> None:
    """A scripted commitment is made even where a deal made in this game bars it (history is
    history), and the news says that it ends the lab's exclusive deal."""
    cloud = exclusive_cloud(world, lab, seller)
    if cloud is None:
        return
    del world.exclusive[lab]
    names = world.names
    say(
        world,
        f"{names[lab]}'s commitment to {names[seller]} ends {names[cloud]}'s exclusive deal",
        f"The scenario makes this move because it happened in real history; {names[lab]} may now "
        f"buy compute from any cloud. Contracts already signed keep running.",
        "event",
        lab,
        cloud,
    )


def _set_stake(world: World, holder: int, firm: int, share: float) -> None:
    others = float(world.stakes[:, firm].sum() - world.stakes[holder, firm])
    if others + share >= STAKES_LIMIT:
        raise Refused(f"stakes in {world.names[firm]} would leave outside shareholders 1% or less")
    world.stakes[holder, firm] = share


def _adjust_firm(world: World, firm: int, effect: Adjust) -> None:
    array: np.ndarray = getattr(world, FIRM_FIELDS[effect.field])
    old = float(array[firm])
    new = old * effect.multiply + effect.add
    if effect.field not in SIGNED_FIELDS:
        new = max(0.0, new)
    new = min(new, CAPABILITY_CEILING if effect.field == "capability" else AMOUNT_CEILING)
    array[firm] = new
    if effect.field == "cash":  # money appearing or vanishing comes from outside the system
        if new > old:
            world.ledger.add_in(new - old)
        else:
            world.ledger.add_out(old - new)


def _shift_market(world: World, effect: Shift) -> None:
    if effect.field == "sentiment":
        world.sentiment = np.clip(world.sentiment * effect.multiply + effect.add, -3.0, 3.0)
        return
    value = world.market[effect.field] * effect.multiply + effect.add
    if effect.field != "demand_growth":
        value = max(0.0, value)
    if effect.field in ("failure_threshold", "outside_funding"):
        value = min(value, 1.0)
    world.market[effect.field] = min(value, AMOUNT_CEILING)
