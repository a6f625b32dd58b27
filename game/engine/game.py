"""A game: scenario + seed + the log of accepted actions. Nothing else decides the outcome.

``Game.act`` is the one door for every action, a player's or a facilitator's; a refused
action changes nothing and is not logged. ``Game.replay`` rebuilds a game from its log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from game.calendar import quarter_name
from game.engine import bots, events, rules
from game.engine.actions import (
    FACILITATOR,
    Action,
    Adjudicate,
    Choose,
    EndQuarter,
    InjectShock,
    ProposeDeal,
    Respond,
    WithdrawShock,
)
from game.engine.observe import Observer
from game.engine.preview import deal_signed, move_done, preview_choice, preview_deal
from game.engine.quarter import QuarterReport, opening_metrics, revalue, run_quarter
from game.engine.state import World, build_world
from game.scenario.conditions import ConditionError, comparison_sides, conjuncts, disjuncts
from game.scenario.model import Scenario


class ReplayError(Exception):
    """An action log that does not replay on this scenario and seed: which ``action``, made in
    which ``quarter`` (its index), was refused and why (``reason``), for a message in words."""

    def __init__(self, number: int, action: Action, quarter: int, reason: str) -> None:
        super().__init__(f"action {number} ({action.kind}) was refused on replay: {reason}")
        self.action, self.quarter, self.reason = action, quarter, reason


@dataclass(frozen=True)
class GoalCheck:
    """One part of a goal's win condition (the parts joined by ``and``) and how it stands."""

    text: str  # as the scenario writes it
    met: bool
    now: float | None = None  # for a comparison of numbers: its left side today...
    needs: float | None = None  # ...and its right side
    # for a part of alternatives joined by ``or``: each alternative's own parts, checked alike
    # (a part "A leads and own 10% of A, or the same of B" had no figures to say how far it was)
    alternatives: tuple[tuple[GoalCheck, ...], ...] = ()


@dataclass(frozen=True)
class GoalResult:
    firm: str
    role: str
    won: bool
    lost: bool
    collapse: bool
    description: str
    score: float  # share price now / at the start (World.growth)


@dataclass
class Game:
    scenario: Scenario
    seed: int
    humans: tuple[str, ...] = ()
    difficulty: str | None = None
    compiled_events: events.EventBook | None = None  # pass one to skip recompiling conditions
    facilitator: bool = False  # a class facilitator may inject shocks and grant or penalise
    world: World = field(init=False)
    log: list[Action] = field(init=False, default_factory=list)
    reports: list[QuarterReport] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        unknown = [h for h in self.humans if h not in self.scenario.firm_ids()]
        if unknown:
            raise ValueError(f"unknown firm(s) to play: {', '.join(unknown)}")
        self.world = build_world(self.scenario, self.seed, self.humans, self.difficulty)
        self.book = self.compiled_events or events.EventBook.of(self.scenario)
        opening_metrics(self.world)  # the events' conditions read these
        fired = self.book.fire_due(self.world, bots_wait=True)
        if fired:
            # The opening events moved cash, stakes and contracts: the world opens with them,
            # so the first row of history and the start valuations (what scores divide by)
            # show the same figures. Nobody has answered their questions yet: a person's
            # answer comes later, so a bot's must not count in the start valuations either,
            # or the same seat would be scored from a different start when a bot sits beside it.
            opening_metrics(self.world)
        # the change on screen starts from the start valuations and prices, before anyone answered
        self.world.metrics["ended_valuation"] = self.world.start_valuation.copy()
        self.world.metrics["ended_share_price"] = self.world.metrics["share_price"].copy()
        if fired and self.book.answer_for_bots(self.world):
            revalue(self.world)
        self.world.metrics["valuation_change"] = np.zeros(self.world.n)

    # -- acting ------------------------------------------------------------------------------
    def act(self, action: Action) -> rules.Outcome:
        """Apply an action, or refuse it with a reason and leave the game untouched."""
        try:
            outcome = self._apply(action)
        except rules.Refused as err:
            return rules.Outcome(False, str(err))
        self.log.append(action)
        if not isinstance(action, EndQuarter):
            revalue(self.world)
        return outcome

    def _apply(self, action: Action) -> rules.Outcome:
        world = self.world
        if world.finished:
            raise rules.Refused("the game is over")
        if isinstance(action, EndQuarter):
            report = self.end_quarter()
            return rules.Outcome(True, f"{quarter_name(report.quarter)} played.")
        if isinstance(action, InjectShock | WithdrawShock | Adjudicate):
            return self._facilitate(action)
        rules.active_firm(world, action.actor)
        if isinstance(action, ProposeDeal):
            offer = rules.store_offer(world, rules.check_deal(world, action))
            if offer.receiver in world.humans:
                what = "Counter" if offer.reply_to is not None else "Offer"
                message = f"{what} sent to {world.names[offer.receiver]}; it waits for an answer."
                return rules.Outcome(True, message, offer.id)
            return rules.Outcome(True, bots.negotiate(world, offer), offer.id)
        if isinstance(action, Respond):
            offer, message = rules.respond(world, action)
            return rules.Outcome(True, message, offer.id)
        if isinstance(action, Choose):
            return self._choose(action)
        return rules.apply_simple(world, action)

    def _facilitate(self, action: InjectShock | WithdrawShock | Adjudicate) -> rules.Outcome:
        """A facilitator's move; it goes into the action log like any other."""
        world = self.world
        if not self.facilitator or action.actor != FACILITATOR:
            raise rules.Refused("only the facilitator can do that (start the game in facilitator mode)")
        if isinstance(action, Adjudicate):
            return rules.adjudicate(world, action)
        if isinstance(action, WithdrawShock):
            return self._withdraw(action)
        event = self.book.by_id(action.event)
        if event is None or not event.shock:
            shocks = ", ".join(e.id for e in self.book.events if e.shock) or "none"
            raise rules.Refused(f"'{action.event}' is not one of this scenario's shocks ({shocks})")
        target = action.target
        if target is not None:
            aimed = rules.active_firm(world, target, "target")
            if not events.aims_at_a_firm(event):
                raise rules.Refused(
                    f"'{event.headline}' hits the whole market; it cannot be aimed at one firm"
                )
            if not events.can_hit(world, event, aimed):
                raise rules.Refused(f"'{event.headline}' would change nothing at {world.names[aimed]}")
        elif events.aims_at_a_firm(event):  # not aimed: it strikes the firm the scenario names
            if event.target is None:
                raise rules.Refused(f"'{event.headline}' strikes one firm: choose which")
            target = event.target
        world.queued_shocks.append((event.id, target))
        aim = f" aimed at {world.names[world.index[target]]}" if target else ""
        return rules.Outcome(True, f"'{event.headline}' will strike at the start of next quarter{aim}.")

    def _withdraw(self, action: WithdrawShock) -> rules.Outcome:
        """Take back a queued shock before the quarter turns (the later one if queued twice)."""
        world = self.world
        queued = (action.event, action.target)
        if queued not in world.queued_shocks:
            raise rules.Refused("no such shock is queued for next quarter")
        last = len(world.queued_shocks) - 1 - world.queued_shocks[::-1].index(queued)
        del world.queued_shocks[last]
        event = self.book.by_id(action.event)
        headline = event.headline if event is not None else action.event
        return rules.Outcome(True, f"'{headline}' withdrawn: it will not strike.")

    def _choose(self, action: Choose) -> rules.Outcome:
        world = self.world
        actor = world.index[action.actor]
        pending = next((p for p in world.pending if p.event == action.event and p.chooser == actor), None)
        event = self.book.by_id(action.event)
        if pending is None or event is None:
            raise rules.Refused("no question is waiting for that answer")
        if (
            isinstance(action.choice, bool)
            or not isinstance(action.choice, int)
            or not (0 <= action.choice < len(event.choices))
        ):
            raise rules.Refused(f"choose a number from 0 to {len(event.choices) - 1}")
        world.pending.remove(pending)
        label = events.choose(world, event, action.choice)
        return rules.Outcome(True, f"You chose: {label}.")

    def end_quarter(self) -> QuarterReport:
        world = self.world
        news_before = len(world.news)
        for offer in world.offers:  # offers left unanswered for a whole turn lapse
            if offer.status == "open" and not rules.awaits_its_turn(world, offer):
                offer.status = "expired"
        bots.run_bots(world)
        for pending in list(world.pending):  # unanswered questions take their default answer
            event = self.book.by_id(pending.event)
            if event is not None:
                events.choose(world, event, events.default_choice(event))
        world.pending.clear()
        world.offers = [o for o in world.offers if o.quarter >= world.quarter - 3]
        previous = world.metrics["valuation"].copy()
        previous_price = world.metrics["share_price"].copy()
        report = run_quarter(world)
        size = np.abs(previous)
        world.metrics["valuation_change"] = np.divide(
            world.metrics["valuation"] - previous, size, out=np.zeros(world.n), where=size > 0
        )
        # What the screens compare today's valuation with: the one when the quarter was
        # ended, as the quarter summary does. (valuation_change, which bots and conditions
        # read, stops at the close, before the next quarter's news moves the valuation.)
        world.metrics["ended_valuation"] = previous
        world.metrics["ended_share_price"] = previous_price  # a bet's cash lifts the valuation, not the price
        world.news.extend(report.news)
        world.options = [o for o in world.options if not o.used and o.deadline >= world.quarter]
        if world.quarter > world.last_quarter:
            world.finished = True
        else:
            for event_id, target in world.queued_shocks:
                shock = self.book.by_id(event_id)
                if shock is not None:
                    events.fire(world, shock, target)
            world.queued_shocks.clear()
            self.book.fire_due(world)
            revalue(world)  # events at the turn of the quarter moved cash and stakes
            bots.withdraw_stale_offers(world)
        report.news = world.news[news_before:]
        self.reports.append(report)
        return report

    # -- reading -----------------------------------------------------------------------------
    def preview_deal(self, action: ProposeDeal) -> dict[str, Any]:
        """Each side's round-trip share, exposure and valuation next quarter, with and without
        the deal (see ``preview.py``); ``valid`` is False with a message if it would be refused."""
        return preview_deal(self.world, action)

    @property
    def world_difficulty(self) -> str | None:
        """The difficulty that shapes this world: None for no preset or for one that changes
        nothing, which plays the same world (the same class code, one table in the report)."""
        preset = next((d for d in self.scenario.meta.difficulties if d.id == self.difficulty), None)
        return None if preset is None or preset.changes_nothing else preset.id

    def goal(self, firm: str) -> GoalResult:
        """How ``firm`` stands against its role's goal (meaningful at the end)."""
        world = self.world
        i = world.index[firm]
        role = "lab" if world.is_lab[i] else "hyperscaler"
        spec = self.scenario.goals.of(firm, role)
        observer = Observer(world, me=firm)

        def holds(text: str | None) -> bool:
            if text is None:
                return False
            return bool(self.book.goal_condition(text, world.ids).evaluate(observer))

        collapse = holds(self.scenario.goals.collapse)
        score = float(world.growth()[i])
        won = holds(spec.win) and not collapse and not world.failed[i]
        return GoalResult(
            firm, role, won, holds(spec.lose) or bool(world.failed[i]), collapse, spec.description, score
        )

    def goal_checklist(self, firm: str) -> list[GoalCheck]:
        """The parts of ``firm``'s win condition, each with whether it holds now and, for a
        comparison of numbers, both sides' values: what is left to do, part by part."""
        return self._checklist(self.world, firm)

    def choice_goal_changes(self, firm: str, event_id: str, pick: int) -> list[GoalCheck]:
        """The parts of ``firm``'s goal that answer ``pick`` to the event would break or meet at
        once, as they would stand after it (see ``preview.py``): "Join the round" gave Nimbus a
        stake in Ember that its goal forbids, and nothing said so before it answered."""
        event = self.book.by_id(event_id)
        if event is None or not 0 <= pick < len(event.choices):
            return []
        return self._goal_changes(firm, preview_choice(self.world, event, pick))

    def deal_goal_changes(self, firm: str, action: ProposeDeal) -> list[GoalCheck]:
        """The parts of ``firm``'s goal that signing the deal would break or meet at once (an
        offer of 14.8% of Ember broke Nimbus's "under 1%" and the deal room did not say so)."""
        after = deal_signed(self.world, action)
        return [] if after is None else self._goal_changes(firm, after)

    def move_goal_changes(self, action: Action) -> list[GoalCheck]:
        """The parts of the mover's goal that a move of its own (a sale, a raise, an order of
        chips, an option exercised) would break or meet at once: selling 45% of OpenAI took
        Microsoft under its "own ≥ 5% of OpenAI", and the sale's dialog did not say so."""
        after, _ = move_done(self.world, action)
        return [] if after is None else self._goal_changes(action.actor, after)

    def move_refusal(self, action: Action) -> str:
        """Why the rules would refuse a move of a firm's own, in the words :meth:`act` would
        answer ("" if they take it): a form says so as it is filled in, not only on enter."""
        return move_done(self.world, action)[1]

    def _goal_changes(self, firm: str, after: World) -> list[GoalCheck]:
        """The parts of ``firm``'s goal whose status differs in ``after``, as they stand there."""
        before = self._checklist(self.world, firm)
        return [a for b, a in zip(before, self._checklist(after, firm), strict=True) if a.met != b.met]

    def _checklist(self, world: World, firm: str) -> list[GoalCheck]:
        role = "lab" if world.is_lab[world.index[firm]] else "hyperscaler"
        observer = Observer(world, me=firm)
        return [self._check(part, observer) for part in conjuncts(self.scenario.goals.of(firm, role).win)]

    def _check(self, part: str, observer: Observer) -> GoalCheck:
        ids = observer.world.ids
        met = bool(self.book.goal_condition(part, ids).evaluate(observer))
        sides = comparison_sides(part) or ()
        try:
            figures = [float(self.book.goal_condition(s, ids, "number").evaluate(observer)) for s in sides]
        except ConditionError:  # a comparison of quarters or firms: no numbers to show
            figures = []
        now, needs = figures or (None, None)
        either = disjuncts(part)
        alternatives = (
            tuple(tuple(self._check(p, observer) for p in conjuncts(a)) for a in either)
            if len(either) > 1
            else ()
        )
        return GoalCheck(part, met, now, needs, alternatives)

    def fingerprint(self) -> str:
        """A hash of the whole state, to check that a replay (or a save) gives the same game."""
        world = self.world
        digest = hashlib.sha256()
        for array in (
            world.cash, world.debt, world.stakes, world.capability, world.sentiment,
            world.capacity, world.training_share, world.own_revenue, world.costs, world.shares,
            world.metrics["valuation"], world.failed.astype(np.float64),
        ):  # fmt: skip
            digest.update(np.ascontiguousarray(array, dtype=np.float64).tobytes())
        contracts = [(c.buyer, c.seller, c.per_quarter, c.remaining, c.starts) for c in world.contracts]
        options = [(o.holder, o.firm, o.amount, o.valuation, o.deadline, o.used) for o in world.options]
        offers = [(o.id, o.status, o.cash, o.stake, o.compute_total) for o in world.offers]
        state = (world.quarter, contracts, options, offers, sorted(world.market.items()),
                 len(world.news), world.rng.bit_generator.state)  # fmt: skip
        digest.update(repr(state).encode())
        return digest.hexdigest()

    @classmethod
    def replay(
        cls,
        scenario: Scenario,
        seed: int,
        log: list[Action],
        humans: tuple[str, ...] = (),
        difficulty: str | None = None,
        facilitator: bool = False,
    ) -> Game:
        game = cls(scenario, seed, humans, difficulty, facilitator=facilitator)
        for number, action in enumerate(log, start=1):
            outcome = game.act(action)
            if not outcome.ok:
                raise ReplayError(number, action, game.world.quarter, outcome.message)
        return game

    def play_out(self) -> None:
        """Let the bots play every remaining quarter (for headless simulation). A quarter that
        cannot end is a fault in the engine: raised, rather than tried again for ever."""
        while not self.world.finished:
            outcome = self.act(EndQuarter(actor=""))
            if not outcome.ok:
                raise RuntimeError(f"{quarter_name(self.world.quarter)} could not end: {outcome.message}")
