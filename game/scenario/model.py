"""The scenario format: what an author can write in a TOML file.

Every model forbids unknown keys, so a typo is reported rather than ignored.
Cross-references (firm ids, quarters inside the game, conditions) are checked
during validation with a context built from the raw file by ``validation_context``,
so that pydantic reports every problem at once with its location.
"""

import math
import re
import typing
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Literal, Self

from annotated_types import Ge, Gt, Le, Lt
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo
from pydantic_core import InitErrorDetails, PydanticCustomError

from game.calendar import MAX_INDEX, MAX_YEAR, QUARTER_PATTERN, quarter_index
from game.money import money_pattern, parse_money
from game.scenario.conditions import ConditionError, compile_condition
from game.scenario.vocabulary import CONDITION_FUNCTIONS, condition_names, names_elsewhere
from game.words import did_you_mean, listing

MAX_FIRMS = 1000
MAX_SEED = 2**63 - 1  # seeds fit a signed 64-bit integer, in files, saves and class codes
MAX_QUARTERS = 400
MAX_EVENTS = 500
MAX_TEXT = 4000
# Limits on what a (possibly hostile) file may ask for; with MAX_FILE_BYTES in the loader they
# keep the time and memory of loading bounded whatever the file holds.
MAX_STAKES = 20_000
MAX_COMMITMENTS = 20_000
MAX_OPTIONS = 5_000
MAX_DIFFICULTIES = 20
MAX_TEACHING_ITEMS = 200
MAX_MONEY_TEXT = 60  # "1.25 bn" needs a few characters; long text is refused before it is read

FirmKind = Literal["hyperscaler", "chipmaker", "neocloud", "lab", "investor"]
STAKES_LIMIT = 0.99  # firms may together own less than this much of a firm: outsiders keep more than 1%
COMPUTE_SELLERS = ("hyperscaler", "neocloud")
CHIP_SELLERS = ("chipmaker",)


def _check_quarter(value: str) -> str:
    try:
        quarter_index(value)
    except ValueError as err:
        raise PydanticCustomError("bad_quarter", "{reason}", {"reason": str(err)}) from None
    return value


def _known_firm(value: str, info: ValidationInfo, placeholders: tuple[str, ...] = ()) -> str:
    """``value`` names a firm of the file (or is one of ``placeholders``, never suggested
    unless they may stand here)."""
    context = info.context or {}
    firms = context.get("firms")
    if firms is not None and value not in firms and value not in context.get("unusable_ids", ()):
        import difflib  # only for a mistake: a valid file never needs it

        close = difflib.get_close_matches(value, [*firms, *placeholders], n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        # the id as the one placeholder: a firm written "{hint}" must not be filled in
        raise PydanticCustomError("unknown_firm", "unknown firm {firm}", {"firm": f"'{value}'{hint}"})
    return value


def _known_firm_or_target(value: str, info: ValidationInfo) -> str:
    """In an event's effects, "target" stands for the event's target firm."""
    return value if value == "target" else _known_firm(value, info, placeholders=("target",))


MAX_AMOUNT = 1e15  # 1,000 tn, the largest amount a file may give: the loader's and the schema's limit

# Amounts may be numbers or text like "1.25 bn"; the schema tells editors so, with the very
# rule parse_money reads text by, and the loader's limit.
MONEY_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": 0, "maximum": MAX_AMOUNT},
        {"type": "string", "maxLength": MAX_MONEY_TEXT, "pattern": money_pattern(signed=False)},
    ],
    "description": 'an amount: a number (1.25e9) or text ("1.25 bn", "600 m")',
}


def _read_money(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return value  # refused by the number check, in the words of every number's (nan, inf)
    if isinstance(value, str) and len(value) > MAX_MONEY_TEXT:
        raise ValueError(f"an amount of money is at most {MAX_MONEY_TEXT} characters of text")
    return parse_money(value)


Money = Annotated[
    float, BeforeValidator(_read_money), Field(ge=0, le=MAX_AMOUNT), WithJsonSchema(MONEY_SCHEMA)
]
PositiveMoney = Annotated[
    float, BeforeValidator(_read_money), Field(gt=0, le=MAX_AMOUNT), WithJsonSchema(MONEY_SCHEMA)
]
SIGNED_SCHEMA = {
    "anyOf": [
        {"type": "number", "minimum": -MAX_AMOUNT, "maximum": MAX_AMOUNT},
        {"type": "string", "maxLength": MAX_MONEY_TEXT, "pattern": money_pattern(signed=True)},
    ],
    "description": 'a number (-0.02, 2e9), or an amount as text ("2 bn", "-1 bn")',
}


def _read_signed(value: object) -> object:
    """Text is an amount of money ("-1 bn"); anything else goes on to the number check, whose
    message ("must be a number (got true)") suits a rate as well as an amount."""
    return _read_money(value) if isinstance(value, str) else value


# A change that may be negative: a number, or an amount of money written as text.
SignedAmount = Annotated[
    float, BeforeValidator(_read_signed), Field(ge=-MAX_AMOUNT, le=MAX_AMOUNT), WithJsonSchema(SIGNED_SCHEMA)
]
Fraction = Annotated[float, Field(ge=0, le=1)]
QUARTER_SCHEMA = {"type": "string", "pattern": QUARTER_PATTERN, "description": 'a quarter: "2025-Q3"'}
Quarter = Annotated[str, AfterValidator(_check_quarter), WithJsonSchema(QUARTER_SCHEMA)]
ID_PATTERN = r"^[a-z][a-z0-9_]*$"
ID_LENGTH = 40
Identifier = Annotated[str, Field(pattern=ID_PATTERN, min_length=1, max_length=ID_LENGTH)]
FirmRef = Annotated[str, AfterValidator(_known_firm)]
Text = Annotated[str, Field(max_length=MAX_TEXT)]
ShortText = Annotated[str, Field(min_length=1, max_length=120)]
Quarters = Annotated[int, Field(ge=1, le=MAX_QUARTERS)]


class Strict(BaseModel):
    # nan and inf are refused before any range is checked: "must be less than 1 (got nan)"
    # would suggest that some other nan might do
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, allow_inf_nan=False)


def _no_items() -> list[Any]:
    """The default of an optional list. (A Python function, not ``list``: pydantic inspects a
    default factory's signature, and inspecting a builtin's costs milliseconds at start-up.)"""
    return []


def _kind_of(info: ValidationInfo, firm: str) -> str | None:
    return ((info.context or {}).get("firms") or {}).get(firm)


def _inside_game(value: str, info: ValidationInfo) -> str:
    """Dates must fall inside the scenario's quarters so they can ever happen."""
    window = (info.context or {}).get("window")
    if window is None:
        return value
    first, last = window
    index = quarter_index(value)
    if not first <= index <= last:
        raise ValueError(f"{value} is outside the game ({_span(first, last)})")
    return value


GameQuarter = Annotated[Quarter, AfterValidator(_inside_game)]  # a date the game reaches


def _at(key: str, message: str) -> PydanticCustomError:
    """A rule of a whole entry that one of its keys breaks (a seller that sells no compute):
    the loader reports it at that key (``at``), where the author looks."""
    return PydanticCustomError("at_key", "{message}", {"at": key, "message": message})


def _span(first: int, last: int) -> str:
    from game.calendar import quarter_name

    return f"{quarter_name(first)} to {quarter_name(last)}"


# --- meta -----------------------------------------------------------------------------------


class Difficulty(Strict):
    """A named preset that scales the world for a weaker or stronger player."""

    id: Identifier
    label: ShortText
    player_cash: Annotated[float, Field(gt=0, le=100)] = 1.0
    volatility: Annotated[float, Field(ge=0, le=10)] = 1.0
    bot_appetite: Annotated[float, Field(ge=0, le=10)] = 1.0

    @property
    def changes_nothing(self) -> bool:
        """True for a preset that scales nothing ("Historian (as it happened)"): its world is
        the scenario's own, the one played with no difficulty."""
        return self.player_cash == 1.0 and self.volatility == 1.0 and self.bot_appetite == 1.0


class Meta(Strict):
    id: Identifier
    title: ShortText
    summary: Text
    start: Quarter
    quarters: Quarters
    seed: Annotated[int, Field(ge=0, le=MAX_SEED)] = 1
    unit: Literal["USD", "EUR", "GBP"] = "USD"
    playable: Annotated[list[FirmRef], Field(min_length=1, max_length=MAX_FIRMS)]
    author: Text = ""
    difficulties: list[Difficulty] = Field(default_factory=_no_items, max_length=MAX_DIFFICULTIES)
    # a tutorial for newcomers: the title screen lists it first
    tutorial: bool = False

    @model_validator(mode="after")
    def _ends_in_the_calendar(self) -> Self:
        """The calendar stops at MAX_YEAR: a longer game would crash in its last quarters."""
        last = quarter_index(self.start) + self.quarters - 1
        if last > MAX_INDEX:
            year, quarter = divmod(last, 4)  # past the calendar, so not quarter_name
            message = f"the game would end in {year}-Q{quarter + 1}; a game must end by {MAX_YEAR}"
            raise _at("quarters", message)
        return self


# --- firms ----------------------------------------------------------------------------------


class Personality(Strict):
    """How a computer-run firm weighs its choices (see docs/model.md, 'Computer-run firms')."""

    appetite: Fraction = 0.3
    dilution_aversion: Annotated[float, Field(ge=0, le=10)] = 1.0
    compute_hunger: Annotated[float, Field(ge=0, le=10)] = 1.0
    rivalry: Annotated[float, Field(ge=0, le=10)] = 1.0
    risk: Fraction = 0.5


PERSONALITIES: dict[str, Personality] = {
    "aggressive": Personality(appetite=0.5, dilution_aversion=0.6, compute_hunger=1.5, rivalry=1.5, risk=0.8),
    "balanced": Personality(),
    "cautious": Personality(appetite=0.15, dilution_aversion=1.5, compute_hunger=0.8, rivalry=0.5, risk=0.25),
    "loyal": Personality(appetite=0.3, dilution_aversion=1.0, compute_hunger=1.0, rivalry=2.0, risk=0.5),
}


PresetName = Literal["aggressive", "balanced", "cautious", "loyal"]  # PERSONALITIES' names, for the schema


def _personality(value: object) -> object:
    """A personality is a preset's name or a table of traits."""
    if isinstance(value, str):
        if value not in PERSONALITIES:
            names = ", ".join(PERSONALITIES)
            hint = did_you_mean(value, PERSONALITIES)
            raise ValueError(f"unknown personality '{value:.60}'{hint}; use one of {names} or a table")
        return PERSONALITIES[value]
    return value


class Firm(Strict):
    id: Identifier
    name: ShortText
    kind: FirmKind
    cash: Money = 0.0
    debt: Money = 0.0
    revenue: Money = 0.0
    revenue_growth: Annotated[float, Field(ge=-0.9, le=5)] = 0.0
    costs: Money = 0.0
    cost_growth: Annotated[float, Field(ge=-0.9, le=5)] = 0.0
    multiple: Annotated[float, Field(gt=0, le=1000)] = 10.0
    capacity: Money = 0.0
    capability: Annotated[float, Field(ge=0, le=1e6)] = 0.0
    training_share: Fraction = 0.5
    colour: Literal["red", "black", "green", "other"] = "other"
    # the schema offers editors the presets' names as well as the table
    personality: Annotated[
        Personality,
        BeforeValidator(_personality, json_schema_input_type=PresetName | Personality),
        Field(json_schema_extra={"default": "balanced"}),
    ] = PERSONALITIES["balanced"]
    note: Text = ""

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> Self:
        if self.kind != "lab" and self.colour != "other":
            raise _at("colour", f"only labs sit on the roulette table; a {self.kind} has colour 'other'")
        if self.kind == "lab" and self.capability <= 0:
            message = "a lab needs a capability above 0"
            # at the key when it is written; a missing one is the firm's to add
            raise _at("capability", message) if "capability" in self.model_fields_set else ValueError(message)
        return self


class BetweenTwoFirms(Strict):
    """An entry between two firms: a stake, an option, an investment or a sale. One firm on
    both sides would own or pay itself, so it is refused, by this one check, in the file's
    tables and in events' effects alike. (Only ``adjust`` may name the event's "target", so
    the two firms are always known when the file loads.)"""

    verb: ClassVar[str]  # what the first firm may not do with itself: "invest in"

    def parties(self) -> tuple[str, str]:
        """The two firms, the one that would own or pay first."""
        raise NotImplementedError

    @model_validator(mode="after")
    def _not_itself(self) -> Self:
        first, second = self.parties()
        if first == second:
            raise ValueError(f"'{first}' cannot {self.verb} itself")
        return self


class Stake(BetweenTwoFirms):
    verb = "hold a stake in"

    holder: FirmRef
    firm: FirmRef
    share: Annotated[float, Field(gt=0, lt=1)]
    invested: Money = 0.0
    note: Text = ""

    def parties(self) -> tuple[str, str]:
        return self.holder, self.firm


class Contract(BetweenTwoFirms):
    """A purchase commitment: ``total`` paid in equal parts over ``quarters`` from ``start``.

    kind = "compute": a lab buys cloud compute; kind = "chips": a cloud buys chips.
    """

    verb = "buy from"

    buyer: FirmRef
    seller: FirmRef
    total: PositiveMoney  # a commitment of nothing would be a link that is none
    quarters: Quarters
    start: GameQuarter | None = None
    kind: Literal["compute", "chips"] = "compute"
    note: Text = ""

    def parties(self) -> tuple[str, str]:
        return self.buyer, self.seller

    @model_validator(mode="after")
    def _seller_sells(self, info: ValidationInfo) -> Self:
        sellers, other = (COMPUTE_SELLERS, "chips") if self.kind == "compute" else (CHIP_SELLERS, "compute")
        kind = _kind_of(info, self.seller)
        if kind is None or kind in sellers:
            return self
        sold = "compute is" if self.kind == "compute" else "chips are"
        message = f"'{self.seller}' is a {kind}, but {sold} sold by a {listing(sellers, 'or')}"
        if kind in COMPUTE_SELLERS + CHIP_SELLERS:  # it sells the other: the kind is what is wrong
            message += f'; for {other}, write kind = "{other}"'
        raise _at("seller", message)


class Option(BetweenTwoFirms):
    """The right to invest ``amount`` more at a fixed pre-money ``valuation`` until ``deadline``
    (Amazon's $2.75 bn tranche in Anthropic at the September 2023 valuation)."""

    verb = "hold an option on"

    holder: FirmRef
    firm: FirmRef
    amount: Money
    valuation: PositiveMoney
    deadline: Quarter
    note: Text = ""

    def parties(self) -> tuple[str, str]:
        return self.holder, self.firm

    @model_validator(mode="after")
    def _sensible(self, info: ValidationInfo) -> Self:
        if self.amount >= self.valuation:
            raise ValueError("the option amount must be below the valuation it is priced at")
        return self


# --- market ---------------------------------------------------------------------------------


class Market(Strict):
    """World-wide parameters; each is explained in docs/model.md."""

    demand: Money = 1e9
    demand_growth: Annotated[float, Field(ge=-0.5, le=2)] = 0.1
    demand_volatility: Annotated[float, Field(ge=0, le=1)] = 0.05
    capability_sensitivity: Annotated[float, Field(ge=0, le=10)] = 1.5
    training_efficiency: Annotated[float, Field(ge=0, le=10)] = 0.3
    training_scale: PositiveMoney = 1e9
    capability_luck: Annotated[float, Field(ge=0, le=2)] = 0.2
    serving_yield: Annotated[float, Field(gt=0, le=100)] = 2.0
    lead_boost: Annotated[float, Field(ge=0, le=1)] = 0.05
    # Brock-Hommes v: fundamentalists expect v times today's mispricing; v = 1 would expect it
    # to stay (no reversion at all), so v stays below 1
    reversion: Annotated[float, Field(ge=0, lt=1)] = 0.6
    trend: Annotated[float, Field(ge=0, le=3)] = 1.2
    choice_intensity: Annotated[float, Field(ge=0, le=20)] = 3.0
    memory: Fraction = 0.5
    gross_return: Annotated[float, Field(ge=1, le=1.5)] = 1.01
    sentiment_noise: Annotated[float, Field(ge=0, le=1)] = 0.05
    initial_sentiment: Annotated[float, Field(ge=-3, le=3)] = 0.0
    failure_threshold: Fraction = 0.4
    failure_cost: Fraction = 0.5
    interest_rate: Annotated[float, Field(ge=0, le=0.5)] = 0.015
    sale_discount: Fraction = 0.1
    outside_funding: Fraction = 1.0
    capacity_cost: Annotated[float, Field(gt=0, le=100)] = 1.0


# --- events ---------------------------------------------------------------------------------


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
        kind = _kind_of(info, self.seller)
        if kind is not None and kind not in COMPUTE_SELLERS + CHIP_SELLERS:
            raise _at("seller", f"'{self.seller}' is a {kind} and sells neither compute nor chips")
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
    firm: Annotated[str, AfterValidator(_known_firm_or_target)]
    field: FirmField
    multiply: Annotated[float, Field(ge=0, le=100)] = 1.0
    add: SignedAmount = 0.0

    @model_validator(mode="after")
    def _field_of_its_kind(self, info: ValidationInfo) -> Self:
        kind = _kind_of(info, self.firm)  # None for "target", which is checked in play
        if self.field == "capability" and kind not in (None, "lab"):
            raise _at("field", f"'{self.firm}' is a {kind}; only labs have a capability")
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


class Choice(Strict):
    label: ShortText
    description: Text = ""
    effects: list[Effect] = Field(default_factory=_no_items, max_length=50)


def _check_condition(value: str, info: ValidationInfo, *, with_me: bool) -> str:
    """Compile the condition now, so a typo is found when the file loads, not mid-game."""
    try:
        compile_condition(
            value,
            functions=CONDITION_FUNCTIONS,
            names=condition_names(with_me=with_me),
            elsewhere=names_elsewhere(with_me=with_me),
            firms=list((info.context or {}).get("firms") or ()),
            unchecked_firms=(info.context or {}).get("unusable_ids", ()),
            kinds=(info.context or {}).get("firms"),
        )
    except ConditionError as err:
        problems = "; ".join(f"at character {p.offset + 1}: {p.message}" for p in err.problems)
        offset = err.problems[0].offset if err.problems else 0
        # the problems (which quote the condition) last: pydantic fills placeholders in turn
        raise PydanticCustomError(
            "bad_condition", "{problems}", {"offset": offset, "problems": problems}
        ) from None
    return value


def _event_condition(value: str, info: ValidationInfo) -> str:
    return _check_condition(value, info, with_me=False)


def _goal_condition(value: str, info: ValidationInfo) -> str:
    return _check_condition(value, info, with_me=True)


ConditionText = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_event_condition)]
GoalCondition = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_goal_condition)]


class Event(Strict):
    id: Identifier
    headline: ShortText
    body: Text = ""
    when: GameQuarter | None = None
    condition: ConditionText | None = None
    probability: Fraction = 1.0
    once: bool = True
    cooldown: Annotated[int, Field(ge=0, le=MAX_QUARTERS)] = 0
    target: FirmRef | None = None
    chooser: FirmRef | None = None
    shock: bool = False
    effects: list[Effect] = Field(default_factory=_no_items, max_length=50)
    choices: list[Choice] = Field(default_factory=_no_items, max_length=6)
    default_choice: Annotated[int, Field(ge=0, le=5)] | None = None  # after choices: it reads them

    @field_validator("choices")
    @classmethod
    def _a_real_question(cls, choices: list[Choice]) -> list[Choice]:
        """At the key, and before default_choice: a default is only judged among two or more
        choices (one choice is the mistake to report, not the default that counts past it)."""
        if len(choices) == 1:
            raise ValueError("an event that asks a question needs at least two choices; this one has 1")
        return choices

    @field_validator("default_choice")
    @classmethod
    def _is_a_choice(cls, value: int | None, info: ValidationInfo) -> int | None:
        """Reported at the key, with the numbers it may take: choices count from 0, though
        the game shows them as 1., 2., so each number is named with its choice."""
        choices = info.data.get("choices")  # absent when they have mistakes of their own
        if value is None or choices is None or value < len(choices):
            return value
        if not choices:
            raise ValueError("the event has no choices to default to")
        numbers = ", ".join(f"{k} = '{choice.label}'" for k, choice in enumerate(choices))
        raise ValueError(f"choice {value} does not exist; choices count from 0: {numbers}")

    @model_validator(mode="after")
    def _can_happen(self, info: ValidationInfo) -> Self:
        if self.when is None and self.condition is None and not self.shock:
            raise ValueError(
                "an event needs 'when', 'condition', or shock = true (injected by a facilitator)"
            )
        if self.choices and self.chooser is None:
            raise ValueError("an event with choices needs 'chooser', the firm that decides")
        if self.chooser is not None and not self.choices:
            raise _at(
                "chooser", "'chooser' is the firm that picks one of the event's choices, but it has none"
            )
        uses_target = any(getattr(e, "firm", None) == "target" for e in self.effects) or any(
            getattr(e, "firm", None) == "target" for c in self.choices for e in c.effects
        )
        if uses_target and self.target is None:
            raise ValueError("effects name firm = \"target\" but the event has no 'target'")
        return self


# --- goals and teaching ---------------------------------------------------------------------


class RoleGoal(Strict):
    description: Text
    win: GoalCondition
    lose: GoalCondition | None = None


class Goals(Strict):
    hyperscaler: RoleGoal
    lab: RoleGoal
    # a firm's own goal, in place of its role's: firms of one role can start far apart
    firms: dict[FirmRef, RoleGoal] = Field(default_factory=dict, max_length=MAX_FIRMS)
    collapse: ConditionText = "failed_share >= 0.5"
    collapse_text: Text = "Half the system's firms have failed: everyone loses."

    def of(self, firm: str, role: str) -> RoleGoal:
        """The goal ``firm`` plays to: its own if the scenario gives it one, else its role's
        (``role``: "lab" or "hyperscaler", which every firm that is not a lab plays to)."""
        own = self.firms.get(firm)
        if own is not None:
            return own
        return self.lab if role == "lab" else self.hyperscaler


class Teaching(Strict):
    objectives: list[Text] = Field(default_factory=_no_items, max_length=MAX_TEACHING_ITEMS)
    debrief: list[Text] = Field(default_factory=_no_items, max_length=MAX_TEACHING_ITEMS)
    notes: Text = ""


# --- the whole scenario ---------------------------------------------------------------------


class Scenario(Strict):
    meta: Meta
    market: Market = Field(default_factory=Market)
    firms: Annotated[list[Firm], Field(min_length=2, max_length=MAX_FIRMS)]
    stakes: list[Stake] = Field(default_factory=_no_items, max_length=MAX_STAKES)
    commitments: list[Contract] = Field(default_factory=_no_items, max_length=MAX_COMMITMENTS)
    options: list[Option] = Field(default_factory=_no_items, max_length=MAX_OPTIONS)
    events: list[Event] = Field(default_factory=_no_items, max_length=MAX_EVENTS)
    goals: Goals
    teaching: Teaching = Field(default_factory=Teaching)

    @model_validator(mode="wrap")
    @classmethod
    def _across_entries(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Self:
        """Rules across entries (ids used twice, ...) read the raw file, not the validated
        entries, so they are reported with every other problem even when some entries have
        mistakes of their own: an author sees every problem at once."""
        found = _cross_reference_errors(data)
        try:
            scenario: Self = handler(data)
        except ValidationError as err:
            if not found:
                raise
            raise ValidationError.from_exception_data(cls.__name__, [*_again(err), *found]) from None
        if found:
            raise ValidationError.from_exception_data(cls.__name__, found)
        return scenario

    def firm_ids(self) -> list[str]:
        return [firm.id for firm in self.firms]


# --- rules across entries -------------------------------------------------------------------


def _cross_reference_errors(data: Any) -> list[InitErrorDetails]:
    """Every broken rule across entries, read from the raw data as far as it allows: an entry
    whose own keys are unusable for a rule (not a table, an id that is not text, ...) is
    left out of that rule; its own mistakes are reported by its model."""
    if not isinstance(data, dict):
        return []
    firms = _entries(data, "firms", MAX_FIRMS)
    meta = data.get("meta")
    meta = meta if isinstance(meta, dict) else {}
    return [
        *_duplicate_ids(("firms",), firms),
        *_duplicate_ids(("events",), _entries(data, "events", MAX_EVENTS)),
        *_duplicate_ids(("meta", "difficulties"), _entries(meta, "difficulties", MAX_DIFFICULTIES)),
        *_listed_twice(("meta", "playable"), _items(meta, "playable", MAX_FIRMS)),
        *_missing_lab(firms),
        *_stakes_beyond_whole(_entries(data, "stakes", MAX_STAKES)),
    ]


def _items(data: dict[str, Any], key: str, limit: int) -> list[Any]:
    """The list ``data[key]``; none for a list over its limit, which is one problem already
    (a file of 20,001 stakes must not cost 20,000 more messages)."""
    items = data.get(key)
    return items if isinstance(items, list) and len(items) <= limit else []


def _entries(data: dict[str, Any], table: str, limit: int) -> list[tuple[int, dict[str, Any]]]:
    """The tables of ``data[table]`` with their index (see _items)."""
    return [(index, item) for index, item in enumerate(_items(data, table, limit)) if isinstance(item, dict)]


def _error(kind: str, message: str, loc: tuple[str | int, ...], value: Any, **ctx: Any) -> InitErrorDetails:
    """A finished message (it may quote the author's text) as the template's one placeholder,
    filled last: pydantic fills placeholders one after another, so an id written "{first}"
    would otherwise be filled in too."""
    return {
        "type": PydanticCustomError(kind, "{message}", {**ctx, "message": message}),
        "loc": loc,
        "input": value,
    }


def _duplicate_ids(
    table: tuple[str, ...], entries: list[tuple[int, dict[str, Any]]]
) -> list[InitErrorDetails]:
    """Each later use of an id in the tables at ``table``, where it is written; ``first`` lets
    the loader say where the first one is."""
    first: dict[str, int] = {}
    found = []
    for index, entry in entries:
        ident = entry.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            message = f"two {table[-1]} have the id '{ident}'"
            where: tuple[str | int, ...] = (*table, index, "id")
            found.append(_error("duplicate_id", message, where, ident, first=(*table, first[ident], "id")))
        else:
            first[ident] = index
    return found


def _listed_twice(path: tuple[str, ...], items: list[Any]) -> list[InitErrorDetails]:
    """Each later repeat of a text in the list at ``path`` (a firm made playable twice)."""
    first: dict[str, int] = {}
    found = []
    for index, item in enumerate(items):
        if not isinstance(item, str):
            continue
        if item in first:
            message = f"'{item}' is listed twice"
            found.append(_error("listed_twice", message, (*path, index), item, first=(*path, first[item])))
        else:
            first[item] = index
    return found


def _missing_lab(firms: list[tuple[int, dict[str, Any]]]) -> list[InitErrorDetails]:
    kinds = [entry.get("kind") for _, entry in firms]
    if not kinds or "lab" in kinds or not all(kind in typing.get_args(FirmKind) for kind in kinds):
        return []  # a kind that is no kind at all is reported on its own: perhaps it meant "lab"
    return [_error("no_lab", "a scenario needs at least one lab", ("firms",), kinds)]


def _stakes_beyond_whole(stakes: list[tuple[int, dict[str, Any]]]) -> list[InitErrorDetails]:
    """A holder with two stakes in one firm, and stakes that leave outsiders 1% or less:
    shown at the stake that repeats, and at the one that reaches 99%."""
    first: dict[tuple[str, str], int] = {}
    owned: dict[str, float] = {}
    written: dict[str, Decimal] = {}  # the same sums as written, to show them exactly
    crossed: dict[str, int] = {}
    found = []
    for index, stake in stakes:
        holder, firm, share = stake.get("holder"), stake.get("firm"), stake.get("share")
        if not (isinstance(holder, str) and isinstance(firm, str)):
            continue
        if (holder, firm) in first:
            message = f"'{holder}' holds '{firm}' twice; give one share"
            found.append(
                _error(
                    "stake_twice", message, ("stakes", index), stake, first=("stakes", first[(holder, firm)])
                )
            )
            continue
        first[(holder, firm)] = index
        if isinstance(share, int | float) and not isinstance(share, bool) and 0 < share < 1:
            owned[firm] = owned.get(firm, 0.0) + share
            written[firm] = written.get(firm, Decimal(0)) + Decimal(repr(share))
            if owned[firm] >= STAKES_LIMIT:
                crossed.setdefault(firm, index)
    for firm, index in crossed.items():
        total = format((written[firm] * 100).normalize(), "f")  # 99.5, not a rounded 100
        message = f"stakes in '{firm}' add up to {total}%; outside shareholders must keep more than 1%"
        found.append(_error("stakes_over_whole", message, ("stakes", index), owned[firm]))
    return found


def _again(err: ValidationError) -> list[InitErrorDetails]:
    """The problems pydantic found, to raise again beside the rules across entries: each keeps
    its type, place, input, context and exact message (the message goes in last so that no
    other context value can change it)."""
    return [
        {
            "type": PydanticCustomError(e["type"], "{message}", {**e.get("ctx", {}), "message": e["msg"]}),
            "loc": e["loc"],
            "input": e["input"],
        }
        for e in err.errors(include_url=False)
    ]


def _usable_id(ident: str) -> bool:
    """True if ``ident`` is a valid id (the rule of ``Identifier``)."""
    return len(ident) <= ID_LENGTH and re.fullmatch(ID_PATTERN, ident) is not None


def validation_context(raw: Any) -> dict[str, Any]:
    """Facts the validators need from the whole file (firm ids and kinds, the game's quarters),
    read defensively from the raw TOML so that every error can still be reported at once."""
    context: dict[str, Any] = {}
    if isinstance(raw, dict):
        firms = raw.get("firms")
        if isinstance(firms, list):
            known = typing.get_args(FirmKind)  # a misspelt kind is reported once, at the firm
            written = [f for f in firms if isinstance(f, dict) and isinstance(f.get("id"), str)]
            kinds: dict[str, str | None] = {}
            for f in written:  # an id used twice is the first firm's: the second is the mistake
                if _usable_id(f["id"]):
                    kinds.setdefault(f["id"], f.get("kind") if f.get("kind") in known else None)
            context["firms"] = kinds
            # An id that is wrong itself ("Atlas") is reported once, at the firm: references to
            # it as written or in lower case ("atlas", surely the id meant) are not reported
            # again, and no "did you mean" ever suggests it.
            context["unusable_ids"] = frozenset(
                name for f in written if not _usable_id(f["id"]) for name in (f["id"], f["id"].lower())
            )
        meta = raw.get("meta")
        if isinstance(meta, dict):
            quarters = meta.get("quarters")
            # only a length the model accepts gives a window (type, as true is an int to Python): a
            # bad one (0, 2.5, true) is reported once, not again at every date as "outside the game"
            if type(quarters) is int and 1 <= quarters <= MAX_QUARTERS:
                try:
                    first = quarter_index(meta.get("start", ""))
                except ValueError:
                    pass
                else:
                    # a game past the calendar is reported at meta.quarters; its dates are
                    # judged against the quarters the calendar has
                    context["window"] = (first, min(first + quarters - 1, MAX_INDEX))
    return context
