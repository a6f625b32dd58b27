"""The building blocks of the scenario format: the limits a file must keep within, the types of
its values (amounts, quarters, firm ids) with their checks, and the base models every table
and effect is built on."""

import math
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from game.calendar import QUARTER_PATTERN, quarter_index
from game.money import money_pattern, parse_money

MAX_FIRMS = 1000
MAX_SEED = 2**63 - 1  # seeds fit a signed 64-bit integer, in files, saves and class codes
MAX_QUARTERS = 400
# a deal's compute is bought over a year at least, as real compute deals are (the engine's rule;
# here so that `circular validate` can warn about a shorter scripted one without the engine)
MIN_COMMIT_QUARTERS = 4
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


def known_firm_or_target(value: str, info: ValidationInfo) -> str:
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


def no_items() -> list[Any]:
    """The default of an optional list. (A Python function, not ``list``: pydantic inspects a
    default factory's signature, and inspecting a builtin's costs milliseconds at start-up.)"""
    return []


def kind_of(info: ValidationInfo, firm: str) -> str | None:
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


def at_key(key: str, message: str) -> PydanticCustomError:
    """A rule of a whole entry that one of its keys breaks (a seller that sells no compute):
    the loader reports it at that key (``at``), where the author looks."""
    return PydanticCustomError("at_key", "{message}", {"at": key, "message": message})


def _span(first: int, last: int) -> str:
    from game.calendar import quarter_name

    return f"{quarter_name(first)} to {quarter_name(last)}"


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
