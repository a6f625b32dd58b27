"""What a player (or a bot, or a facilitator) can do: small frozen records.

Every action names the firm that takes it (``actor``). Actions are the game's only
input besides the scenario and the seed, so they serialise to plain dicts for saves.
"""

from __future__ import annotations

from dataclasses import MISSING, asdict, dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True)
class Action:
    kind: ClassVar[str] = ""
    actor: str


@dataclass(frozen=True)
class Bet(Action):
    """Buy new shares of a lab with cash at its current valuation (a chip on red or black)."""

    kind: ClassVar[str] = "bet"
    lab: str
    cash: float


@dataclass(frozen=True)
class ProposeDeal(Action):
    """Offer a compute-for-equity deal: ``investor`` pays ``cash`` for ``stake`` of ``lab``,
    and the lab commits to buy ``compute_total`` of the investor's compute over
    ``compute_quarters``; ``option_amount`` is a right to invest that much more at the same
    valuation within four quarters; ``exclusive`` makes the investor the lab's only cloud for new compute
    while the commitment runs (see ``rules.exclusive_cloud``)."""

    kind: ClassVar[str] = "propose"
    counterparty: str
    cash: float
    stake: float
    compute_total: float = 0.0
    compute_quarters: int = 8
    option_amount: float = 0.0
    exclusive: bool = False
    reply_to: int | None = None


@dataclass(frozen=True)
class Respond(Action):
    """Accept or reject an offer addressed to the actor."""

    kind: ClassVar[str] = "respond"
    offer: int
    accept: bool


@dataclass(frozen=True)
class ExerciseOption(Action):
    kind: ClassVar[str] = "exercise"
    option: int


@dataclass(frozen=True)
class SellStake(Action):
    """Sell part of a stake to outside investors at the market valuation less a discount."""

    kind: ClassVar[str] = "sell"
    firm: str
    share: float


@dataclass(frozen=True)
class SetTraining(Action):
    """A lab splits its compute: ``share`` to training, the rest to serving customers."""

    kind: ClassVar[str] = "training"
    share: float


@dataclass(frozen=True)
class RaiseOutside(Action):
    """A lab sells new shares to outside investors (venture funds, sovereign funds)."""

    kind: ClassVar[str] = "raise"
    cash: float


@dataclass(frozen=True)
class BuyChips(Action):
    """A cloud orders chips from a chipmaker, paid over ``quarters``; each payment adds
    capacity."""

    kind: ClassVar[str] = "chips"
    seller: str
    total: float
    quarters: int = 4


@dataclass(frozen=True)
class Choose(Action):
    """Answer an event's question."""

    kind: ClassVar[str] = "choose"
    event: str
    choice: int


@dataclass(frozen=True)
class EndQuarter(Action):
    """Close the quarter: bots act, money moves, valuations update."""

    kind: ClassVar[str] = "end"


FACILITATOR = "facilitator"  # the actor name of a class's facilitator (not a firm)


@dataclass(frozen=True)
class InjectShock(Action):
    """Facilitator: fire one of the scenario's shock events at the start of next quarter,
    optionally aimed at one firm (effects written for firm = "target")."""

    kind: ClassVar[str] = "shock"
    event: str
    target: str | None = None


@dataclass(frozen=True)
class WithdrawShock(Action):
    """Facilitator: take back a shock queued this quarter (the same event and target as
    queued; the target the scenario names when it was queued unaimed)."""

    kind: ClassVar[str] = "withdraw"
    event: str
    target: str | None = None


@dataclass(frozen=True)
class Adjudicate(Action):
    """Facilitator: grant (amount > 0) or penalise (amount < 0) a firm, with a reason."""

    kind: ClassVar[str] = "adjudicate"
    firm: str
    amount: float
    reason: str


ACTION_TYPES: dict[str, type[Action]] = {
    cls.kind: cls
    for cls in (
        Bet,
        ProposeDeal,
        Respond,
        ExerciseOption,
        SellStake,
        SetTraining,
        RaiseOutside,
        BuyChips,
        Choose,
        EndQuarter,
        InjectShock,
        WithdrawShock,
        Adjudicate,
    )
}


def action_to_dict(action: Action) -> dict[str, Any]:
    return {"type": action.kind, **asdict(action)}


def action_from_dict(data: dict[str, Any]) -> Action:
    """Rebuild an action from a save; raises ValueError naming what is wrong."""
    if not isinstance(data, dict) or data.get("type") not in ACTION_TYPES:
        raise ValueError(f"unknown action {data!r:.80}")
    cls = ACTION_TYPES[data["type"]]
    names = {f.name for f in fields(cls)}
    required = {f.name for f in fields(cls) if f.default is MISSING}
    given = set(data) - {"type"}
    if not required <= given <= names:
        raise ValueError(f"action '{data['type']}' has keys {sorted(given)}, expected {sorted(names)}")
    return cls(**{k: v for k, v in data.items() if k != "type"})
