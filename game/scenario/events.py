"""Events: when they happen (a date, a condition, a facilitator's shock), what they do, and
the choices they ask a firm to make. Conditions are compiled as the file loads, so a typo is
found then, not mid-game."""

from typing import Annotated, Self

from pydantic import (
    AfterValidator,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from game.scenario.conditions import ConditionError, compile_condition
from game.scenario.effects import (
    Effect,
)
from game.scenario.fields import (
    MAX_QUARTERS,
    FirmRef,
    Fraction,
    GameQuarter,
    Identifier,
    ShortText,
    Strict,
    Text,
    at_key,
    no_items,
)
from game.scenario.vocabulary import CONDITION_FUNCTIONS, condition_names, names_elsewhere


class Choice(Strict):
    label: ShortText
    description: Text = ""
    effects: list[Effect] = Field(default_factory=no_items, max_length=50)


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
    effects: list[Effect] = Field(default_factory=no_items, max_length=50)
    choices: list[Choice] = Field(default_factory=no_items, max_length=6)
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
            raise at_key(
                "chooser", "'chooser' is the firm that picks one of the event's choices, but it has none"
            )
        uses_target = any(getattr(e, "firm", None) == "target" for e in self.effects) or any(
            getattr(e, "firm", None) == "target" for c in self.choices for e in c.effects
        )
        if uses_target and self.target is None:
            raise ValueError("effects name firm = \"target\" but the event has no 'target'")
        return self
