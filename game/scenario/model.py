"""The scenario format: what an author can write in a TOML file.

Every model forbids unknown keys, so a typo is reported rather than ignored.
Cross-references (firm ids, quarters inside the game, conditions) are checked
during validation with a context built from the raw file by ``validation_context``,
so that pydantic reports every problem at once with its location.

The format's parts live beside this module: ``fields`` (limits and value types), ``tables``
(meta, firms, stakes, commitments, options, market), ``effects``, ``events`` and
``cross_references`` (rules across entries); here are the goals and the whole scenario.
"""

from typing import Annotated, Any, Self

from pydantic import (
    Field,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from game.scenario.cross_references import cross_reference_errors, errors_again, validation_context
from game.scenario.effects import (
    AMOUNT_FIELDS,
    NUMBER_RANGES,
    Adjust,
    Cancel,
    ChangesANumber,
    Commit,
    Effect,
    FirmField,
    GrantOption,
    Invest,
    MarketField,
    SetStake,
    Shift,
)
from game.scenario.events import Choice, ConditionText, Event, GoalCondition
from game.scenario.fields import (
    CHIP_SELLERS,
    COMPUTE_SELLERS,
    MAX_AMOUNT,
    MAX_COMMITMENTS,
    MAX_EVENTS,
    MAX_FIRMS,
    MAX_OPTIONS,
    MAX_QUARTERS,
    MAX_SEED,
    MAX_STAKES,
    MAX_TEACHING_ITEMS,
    STAKES_LIMIT,
    BetweenTwoFirms,
    FirmKind,
    FirmRef,
    Strict,
    Text,
    no_items,
)
from game.scenario.tables import (
    PERSONALITIES,
    Contract,
    Difficulty,
    Firm,
    Market,
    Meta,
    Option,
    Personality,
    Stake,
)

# The parts of the format, for the modules that read scenarios (and the loader, which looks a
# table's keys up among every model here).
__all__ = [
    "AMOUNT_FIELDS",
    "CHIP_SELLERS",
    "COMPUTE_SELLERS",
    "MAX_AMOUNT",
    "MAX_COMMITMENTS",
    "MAX_EVENTS",
    "MAX_FIRMS",
    "MAX_OPTIONS",
    "MAX_QUARTERS",
    "MAX_SEED",
    "MAX_STAKES",
    "NUMBER_RANGES",
    "PERSONALITIES",
    "STAKES_LIMIT",
    "Adjust",
    "BetweenTwoFirms",
    "Cancel",
    "ChangesANumber",
    "Choice",
    "Commit",
    "Contract",
    "Difficulty",
    "Effect",
    "Event",
    "Firm",
    "FirmField",
    "FirmKind",
    "GoalCondition",
    "Goals",
    "GrantOption",
    "Invest",
    "Market",
    "MarketField",
    "Meta",
    "Option",
    "Personality",
    "RoleGoal",
    "Scenario",
    "SetStake",
    "Shift",
    "Stake",
    "Strict",
    "Teaching",
    "validation_context",
]


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
    objectives: list[Text] = Field(default_factory=no_items, max_length=MAX_TEACHING_ITEMS)
    debrief: list[Text] = Field(default_factory=no_items, max_length=MAX_TEACHING_ITEMS)
    notes: Text = ""


# --- the whole scenario ---------------------------------------------------------------------


class Scenario(Strict):
    meta: Meta
    market: Market = Field(default_factory=Market)
    firms: Annotated[list[Firm], Field(min_length=2, max_length=MAX_FIRMS)]
    stakes: list[Stake] = Field(default_factory=no_items, max_length=MAX_STAKES)
    commitments: list[Contract] = Field(default_factory=no_items, max_length=MAX_COMMITMENTS)
    options: list[Option] = Field(default_factory=no_items, max_length=MAX_OPTIONS)
    events: list[Event] = Field(default_factory=no_items, max_length=MAX_EVENTS)
    goals: Goals
    teaching: Teaching = Field(default_factory=Teaching)

    @model_validator(mode="wrap")
    @classmethod
    def _across_entries(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Self:
        """Rules across entries (ids used twice, ...) read the raw file, not the validated
        entries, so they are reported with every other problem even when some entries have
        mistakes of their own: an author sees every problem at once."""
        found = cross_reference_errors(data)
        try:
            scenario: Self = handler(data)
        except ValidationError as err:
            if not found:
                raise
            raise ValidationError.from_exception_data(cls.__name__, [*errors_again(err), *found]) from None
        if found:
            raise ValidationError.from_exception_data(cls.__name__, found)
        return scenario

    def firm_ids(self) -> list[str]:
        return [firm.id for firm in self.firms]
