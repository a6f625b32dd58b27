"""The roulette table in numbers: implied odds, what a bet buys, and what it can win or lose.

The table is a way of reading the labs' valuations. Labs race; the market prices each one
as if the winner were to end up worth the whole table (the sum of the labs' valuations).
A lab's *implied chance* is then its share of the table, and a chip on it "pays" the rest
of the table in proportion. These are pure functions of numbers the engine already keeps;
nothing here changes the game, and a bet itself is placed with ``actions.Bet``.

A bet of ``cash`` on a lab valued ``V`` before the bet buys new shares, as the rules do:
``cash / (V + cash)`` of the lab, diluting every holder alike. At the market's own odds the
bet is fair (its expected gain is zero): it pays only if you know better than the market,
or if the money comes back to you some other way, as revenue for your compute.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from game.engine.state import deal_price, post_money, shares_bought


def table_value(valuations: Sequence[float], active: Sequence[bool]) -> float:
    """What the table is worth: the sum of the positive valuations of labs still racing."""
    return float(sum(max(v, 0.0) for v, a in zip(valuations, active, strict=True) if a))


def implied_chances(valuations: Sequence[float], active: Sequence[bool]) -> list[float]:
    """Market-implied chance that each lab wins the race: its share of the table's value.

    Failed labs and labs with no positive valuation get 0; if nothing is left on the table,
    every chance is 0.
    """
    total = table_value(valuations, active)
    if total <= 0:
        return [0.0] * len(valuations)
    return [max(v, 0.0) / total if a else 0.0 for v, a in zip(valuations, active, strict=True)]


def payout(chance: float) -> float:
    """What a fair chip pays per unit staked on top of the stake ("pays x to 1"): (1 - p) / p.

    A lab with a 25% chance pays 3 to 1. A lab with no chance pays nothing (``inf`` is
    avoided so the number can always be shown).
    """
    if not math.isfinite(chance) or chance <= 0 or chance > 1:
        return 0.0
    return (1.0 - chance) / chance


def stake_after(held: float, cash: float, pre_money: float) -> float:
    """Your whole stake after the bet: the old stake is diluted, the new shares are added."""
    bought = shares_bought(cash, pre_money)
    return held * (1.0 - bought) + bought


@dataclass(frozen=True)
class BetQuote:
    """What a bet of ``cash`` on one lab buys and what it stands to win or lose."""

    cash: float
    pre_money: float
    bought: float  # share of the lab the new shares are
    stake_after: float  # your whole stake in the lab after the bet
    chance: float  # the lab's implied chance after the bet
    pays: float  # the fair payout of the bet, x to 1
    bet_if_wins: float  # what the new shares are worth if the lab takes the whole table
    gain_if_wins: float  # bet_if_wins - cash
    loss_if_fails: float  # what you lose if the lab fails: the bet plus your old stake's value
    expected_gain: float  # chance * bet_if_wins - cash: zero at the market's odds

    @property
    def valid(self) -> bool:
        return self.cash > 0 and self.pre_money > 0


def quote_bet(cash: float, pre_money: float, held: float, table: float) -> BetQuote:
    """Quote a bet of ``cash`` on a lab valued ``pre_money`` of which you hold ``held``,
    at a table worth ``table`` before the bet (the lab included)."""
    if cash <= 0 or pre_money <= 0 or not math.isfinite(cash) or not math.isfinite(pre_money):
        return BetQuote(max(cash, 0.0), pre_money, 0.0, held, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    bought = shares_bought(cash, pre_money)
    after = stake_after(held, cash, pre_money)
    table_after = max(table, pre_money) + cash
    chance = (pre_money + cash) / table_after
    bet_if_wins = bought * table_after
    return BetQuote(
        cash=cash,
        pre_money=pre_money,
        bought=bought,
        stake_after=after,
        chance=chance,
        pays=payout(chance),
        bet_if_wins=bet_if_wins,
        gain_if_wins=bet_if_wins - cash,
        loss_if_fails=cash + held * pre_money,
        expected_gain=chance * bet_if_wins - cash,
    )


def hedge_cash(held: float, pre_money: float, target: float) -> float:
    """The bet that lifts your stake in a lab from ``held`` to ``target``.

    Solving ``(held * V + c) / (V + c) = target`` gives ``c = V (target - held) / (1 - target)``.
    If the winner takes the whole table, holding the same share of every lab pays the same
    whichever wins: that is the hedge. Zero when you already hold at least ``target``.
    """
    if pre_money <= 0 or target <= held or not 0 <= target < 1:
        return 0.0
    return pre_money * (target - held) / (1.0 - target)


def hedge_source(stakes: Sequence[float], active: Sequence[bool], lab: int) -> int | None:
    """The other active lab of which you hold the most: the stake a hedge on ``lab`` matches
    (None when you hold no other active lab)."""
    others = [k for k, (s, a) in enumerate(zip(stakes, active, strict=True)) if a and k != lab and s > 0]
    return max(others, key=lambda k: stakes[k], default=None)


ROUNDING = 1e-9  # relative: amounts this close are the same amount


@dataclass(frozen=True)
class Hedge:
    """The bet that hedges your chips on one lab, within the cash you have."""

    source: int | None  # the other lab still racing of which you hold the most (None: none)
    target: float  # the share to hold: your stake in ``source`` (0: none)
    held: float  # what you hold of this lab now
    cost: float  # the bet that reaches the target (0: nothing to add)
    cash: float  # the bet proposed: the cost, or all your cash when the cost is more
    reaches: float  # your stake in this lab after betting ``cash``

    @property
    def partial(self) -> bool:
        """True when your cash falls short of the full hedge by more than rounding (cash equal
        to the cost can come out a billionth short of it, and reach the target all the same)."""
        return self.cash < self.cost * (1.0 - ROUNDING)


def plan_hedge(
    stakes: Sequence[float], valuations: Sequence[float], active: Sequence[bool], lab: int, cash: float
) -> Hedge:
    """The hedge on ``lab`` for a holder of ``stakes`` with ``cash`` to spend: never more than
    the cash, since a bet beyond it would be refused."""
    source = hedge_source(stakes, active, lab)
    target = 0.0 if source is None else float(stakes[source])
    held, value = stakes[lab], valuations[lab]
    cost = hedge_cash(held, value, target)
    bet = min(cost, max(cash, 0.0))
    return Hedge(source, target, held, cost, bet, stake_after(held, bet, value))


def winnings_by_winner(
    stakes: Sequence[float], valuations: Sequence[float], active: Sequence[bool]
) -> list[float]:
    """For each lab: what your stakes at the table are worth if that lab takes the table."""
    total = table_value(valuations, active)
    return [s * total if a else 0.0 for s, a in zip(stakes, active, strict=True)]


def momentum(change: float) -> str:
    """A word for a lab's share price change over the quarter, beside its name."""
    if not math.isfinite(change):
        return "flat"
    if change >= 0.15:
        return "surging"
    if change >= 0.03:
        return "rising"
    if change > -0.03:
        return "flat"
    if change > -0.15:
        return "falling"
    return "sliding"


def implied_valuation(cash: float, stake: float) -> tuple[float, float]:
    """The (post-money, pre-money) valuation implied by paying ``cash`` for ``stake``."""
    if cash <= 0 or not 0 < stake < 1:
        return 0.0, 0.0
    return post_money(cash, stake), deal_price(cash, stake)
