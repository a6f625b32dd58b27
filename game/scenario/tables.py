"""The tables that set up the world at the start: ``[meta]`` (with its difficulties),
``[[firms]]``, ``[[stakes]]``, ``[[commitments]]``, ``[[options]]`` and ``[market]``."""

from typing import Annotated, Literal, Self

from pydantic import (
    BeforeValidator,
    Field,
    ValidationInfo,
    model_validator,
)

from game.calendar import MAX_INDEX, MAX_YEAR, quarter_index
from game.scenario.fields import (
    CHIP_SELLERS,
    COMPUTE_SELLERS,
    MAX_DIFFICULTIES,
    MAX_FIRMS,
    MAX_SEED,
    BetweenTwoFirms,
    FirmKind,
    FirmRef,
    Fraction,
    GameQuarter,
    Identifier,
    Money,
    PositiveMoney,
    Quarter,
    Quarters,
    ShortText,
    Strict,
    Text,
    at_key,
    kind_of,
    no_items,
)
from game.words import did_you_mean, listing

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
    difficulties: list[Difficulty] = Field(default_factory=no_items, max_length=MAX_DIFFICULTIES)
    # a tutorial for newcomers: the title screen lists it first
    tutorial: bool = False

    @model_validator(mode="after")
    def _ends_in_the_calendar(self) -> Self:
        """The calendar stops at MAX_YEAR: a longer game would crash in its last quarters."""
        last = quarter_index(self.start) + self.quarters - 1
        if last > MAX_INDEX:
            year, quarter = divmod(last, 4)  # past the calendar, so not quarter_name
            message = f"the game would end in {year}-Q{quarter + 1}; a game must end by {MAX_YEAR}"
            raise at_key("quarters", message)
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
            raise at_key("colour", f"only labs sit on the roulette table; a {self.kind} has colour 'other'")
        if self.kind == "lab" and self.capability <= 0:
            message = "a lab needs a capability above 0"
            # at the key when it is written; a missing one is the firm's to add
            raise (
                at_key("capability", message)
                if "capability" in self.model_fields_set
                else ValueError(message)
            )
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
        kind = kind_of(info, self.seller)
        if kind is None or kind in sellers:
            return self
        sold = "compute is" if self.kind == "compute" else "chips are"
        message = f"'{self.seller}' is a {kind}, but {sold} sold by a {listing(sellers, 'or')}"
        if kind in COMPUTE_SELLERS + CHIP_SELLERS:  # it sells the other: the kind is what is wrong
            message += f'; for {other}, write kind = "{other}"'
        raise at_key("seller", message)


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
