"""The rules across entries (an id used twice, stakes in a firm past the whole, no lab), read
from the raw file so that they are reported with every other problem at once; and the facts
the validators need from the whole file (``validation_context``)."""

import re
import typing
from decimal import Decimal
from typing import Any

from pydantic import (
    ValidationError,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from game.calendar import MAX_INDEX, quarter_index
from game.scenario.fields import (
    ID_LENGTH,
    ID_PATTERN,
    MAX_DIFFICULTIES,
    MAX_EVENTS,
    MAX_FIRMS,
    MAX_QUARTERS,
    MAX_STAKES,
    STAKES_LIMIT,
    FirmKind,
)


def cross_reference_errors(data: Any) -> list[InitErrorDetails]:
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


def errors_again(err: ValidationError) -> list[InitErrorDetails]:
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
