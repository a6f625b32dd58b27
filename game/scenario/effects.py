"""What an event (or one of its choices) does to the world: invest, commit, grant an option,
set a stake, adjust a firm's number, shift the market's, cancel commitments."""

import typing
from typing import Annotated, Literal, Self

from annotated_types import Ge, Gt, Le, Lt
from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from game.scenario.fields import (
    CHIP_SELLERS,
    COMPUTE_SELLERS,
    BetweenTwoFirms,
    FirmRef,
    Money,
    PositiveMoney,
    Quarter,
    Quarters,
    SignedAmount,
    Strict,
    at_key,
    kind_of,
    known_firm_or_target,
)
from game.scenario.tables import (
    Firm,
    Market,
)


class Invest(BetweenTwoFirms):
    """``investor`` buys new shares of ``firm`` for ``cash`` at a pre-money ``valuation``
    (the market valuation when omitted): it receives cash / (valuation + cash) of the firm."""

    verb = "invest in"

    do: Literal["invest"]
    investor: FirmRef
    firm: FirmRef
    cash: Money
    valuation: PositiveMoney | None = None

    def parties(self) -> tuple[str, str]:
        return self.investor, self.firm


class Commit(BetweenTwoFirms):
    """A new purchase commitment, as in ``[[commitments]]``, starting the quarter it is made;
    compute when the seller is a cloud, chips when it is a chipmaker."""

    verb = "buy from"

    do: Literal["commit"]
    buyer: FirmRef
    seller: FirmRef
    total: PositiveMoney
    quarters: Quarters

    def parties(self) -> tuple[str, str]:
        return self.buyer, self.seller

    @model_validator(mode="after")
    def _seller_sells(self, info: ValidationInfo) -> Self:
        kind = kind_of(info, self.seller)
        if kind is not None and kind not in COMPUTE_SELLERS + CHIP_SELLERS:
            raise at_key("seller", f"'{self.seller}' is a {kind} and sells neither compute nor chips")
        return self


class GrantOption(BetweenTwoFirms):
    verb = "hold an option on"

    do: Literal["option"]
    holder: FirmRef
    firm: FirmRef
    amount: Money
    valuation: PositiveMoney
    deadline: Quarter

    def parties(self) -> tuple[str, str]:
        return self.holder, self.firm


class SetStake(BetweenTwoFirms):
    """Restructure: ``holder`` now owns exactly ``share`` of ``firm`` (e.g. a recapitalisation)."""

    verb = "hold a stake in"

    do: Literal["set_stake"]
    holder: FirmRef
    firm: FirmRef
    share: Annotated[float, Field(ge=0, lt=1)]

    def parties(self) -> tuple[str, str]:
        return self.holder, self.firm


FirmField = Literal[
    "revenue", "revenue_growth", "costs", "cash", "debt", "capability", "multiple", "capacity"
]
MarketField = Literal[
    "demand", "demand_growth", "sentiment", "failure_threshold", "interest_rate", "outside_funding"
]
AMOUNT_FIELDS = frozenset({"revenue", "costs", "cash", "debt", "capacity", "demand"})


def _range_of(field: FieldInfo) -> tuple[float, float]:
    """The lowest and highest value a file may give a number: the bounds of its Field."""
    lows = [m.ge if isinstance(m, Ge) else m.gt for m in field.metadata if isinstance(m, Ge | Gt)]
    highs = [m.le if isinstance(m, Le) else m.lt for m in field.metadata if isinstance(m, Le | Lt)]
    return typing.cast(float, lows[0]), typing.cast(float, highs[0])


# The range of each number an effect may change that is no amount, as a file may write it;
# sentiment's is the starting sentiment's (the engine keeps it within the same bounds).
NUMBER_RANGES = {
    **{name: _range_of(Firm.model_fields[name]) for name in ("revenue_growth", "capability", "multiple")},
    **{
        name: _range_of(Market.model_fields[name])
        for name in ("demand_growth", "failure_threshold", "interest_rate", "outside_funding")
    },
    "sentiment": _range_of(Market.model_fields["initial_sentiment"]),
}


class ChangesANumber(Strict):
    """An effect that changes one number by ``multiply`` and ``add`` (adjust, market). Text
    such as "2 bn" is for amounts only, and a number that is no amount moves by at most the
    width of its range: 2 bn added to demand_growth was read as 2e9 and grew demand past all
    sense. (Subclasses declare ``field`` before ``add``, so the check can read it.)"""

    @field_validator("add", mode="wrap", check_fields=False)
    @classmethod
    def _add_fits_the_field(
        cls, value: object, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
    ) -> float:
        field = info.data.get("field")  # absent when it is a mistake of its own
        if field is None or field in AMOUNT_FIELDS:
            return float(handler(value))
        if isinstance(value, str):
            raise ValueError(f"{field} is not an amount of money: write add as a number (got {value!r:.60})")
        added = float(handler(value))
        low, high = NUMBER_RANGES[field]
        if abs(added) > high - low:
            width = _plain(high - low)
            raise ValueError(
                f"must be between -{width} and {width} for {field}, which a file sets between "
                f"{_plain(low)} and {_plain(high)} (got {_plain(added)})"
            )
        return added

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if not {"add", "multiply"} & self.model_fields_set:
            do = getattr(self, "do", "")
            raise ValueError(f"a '{do}' effect needs add or multiply: without them it changes nothing")
        return self


def _plain(number: float) -> str:
    """A number as an author writes it: 1,000,000, 2.5, -0.9."""
    return f"{number:,.10g}"


class Adjust(ChangesANumber):
    """Change one number of a firm: ``value * multiply + add``."""

    do: Literal["adjust"]
    firm: Annotated[str, AfterValidator(known_firm_or_target)]
    field: FirmField
    multiply: Annotated[float, Field(ge=0, le=100)] = 1.0
    add: SignedAmount = 0.0

    @model_validator(mode="after")
    def _field_of_its_kind(self, info: ValidationInfo) -> Self:
        kind = kind_of(info, self.firm)  # None for "target", which is checked in play
        if self.field == "capability" and kind not in (None, "lab"):
            raise at_key("field", f"'{self.firm}' is a {kind}; only labs have a capability")
        return self


class Shift(ChangesANumber):
    """Change one number of the market: ``value * multiply + add``."""

    do: Literal["market"]
    field: MarketField
    multiply: Annotated[float, Field(ge=0, le=100)] = 1.0
    add: SignedAmount = 0.0


class Cancel(BetweenTwoFirms):
    """End every commitment from ``buyer`` to ``seller`` (a broken link)."""

    verb = "buy from"

    do: Literal["cancel"]
    buyer: FirmRef
    seller: FirmRef

    def parties(self) -> tuple[str, str]:
        return self.buyer, self.seller


Effect = Annotated[
    Invest | Commit | GrantOption | SetStake | Adjust | Shift | Cancel, Field(discriminator="do")
]
