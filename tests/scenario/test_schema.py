"""The shipped JSON Schema matches the scenario models, and accepts what the loader accepts."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import tomli

from game.calendar import quarter_index
from game.money import parse_money
from game.scenario.loader import BUNDLED_DIR
from game.scenario.model import MAX_AMOUNT, PERSONALITIES
from game.scenario.schema import SCHEMA_FILE, schema_text


def test_shipped_schema_is_up_to_date() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "scenarios/circular-scenario.schema.json is stale: run "
        "`circular schema --output scenarios/circular-scenario.schema.json`"
    )


def test_schema_forbids_unknown_keys_and_allows_money_text() -> None:
    schema = json.loads(schema_text())
    firm = schema["$defs"]["Firm"]
    assert firm["additionalProperties"] is False
    cash = firm["properties"]["cash"]
    assert any(branch.get("type") == "string" for branch in cash["anyOf"])


def test_every_amount_written_as_a_number_has_the_loaders_limits() -> None:
    """validate refuses an amount over 1,000 tn: editors flag it too."""
    numbers = [
        branch
        for definition in json.loads(schema_text())["$defs"].values()
        for prop in definition.get("properties", {}).values()
        if any(branch.get("type") == "string" and "pattern" in branch for branch in prop.get("anyOf", []))
        for branch in prop["anyOf"]
        if branch.get("type") == "number"
    ]
    assert len(numbers) > 10
    assert all(branch.get("maximum") == MAX_AMOUNT for branch in numbers), numbers
    assert all(branch.get("minimum") in (0, -MAX_AMOUNT) for branch in numbers), numbers


def test_the_schema_offers_the_tutorial_flag() -> None:
    meta = json.loads(schema_text())["$defs"]["Meta"]["properties"]
    assert meta["tutorial"] == {"default": False, "title": "Tutorial", "type": "boolean"}


MONEY_TEXTS = [
    "1.25 bn", "600 m", "2 tn", "2 TN", "$4bn", "£ 3.5 k", "1,500", "1,500 m", "12,000,000",
    "1_000_000", ".5 bn", "5.", "1e9", "+2 bn", "  7 mn ",
    "1,5 bn", "1,50", "1,5000", "1234,567", "1.5.5", "2 bnn", "two bn", "", "bn", "-1 bn", "1 bn 2",
]  # fmt: skip


@pytest.mark.parametrize("text", MONEY_TEXTS)
@pytest.mark.parametrize(("model", "key"), [("Firm", "cash"), ("Adjust", "add"), ("Shift", "add")])
def test_the_schemas_money_text_is_exactly_what_the_loader_reads(model: str, key: str, text: str) -> None:
    """An editor flags the text validate refuses, and only that: "1,5 bn" (a decimal comma)
    is refused by both; commas that group thousands, "1,500", are read by both. An effect's
    ``add`` may be negative ("-1 bn"); a firm's cash may not."""
    schema = json.loads(schema_text())
    branches = schema["$defs"][model]["properties"][key]["anyOf"]
    (pattern,) = [branch["pattern"] for branch in branches if "pattern" in branch]
    try:
        read = parse_money(text) >= 0 or key == "add"
    except ValueError:
        read = False
    assert (re.search(pattern, text) is not None) == read


QUARTER_TEXTS = [
    "2025-Q3", "2025-q1", " 2025-Q4 ", "1900-Q1", "2200-Q4",
    "1899-Q4", "2201-Q1", "2025-Q5", "2025-Q0", "2025Q3", "25-Q3", "2025-03", "Q3-2025", "",
]  # fmt: skip
QUARTER_KEYS = {"start", "when", "deadline"}


def _quarter_pattern() -> str:
    (pattern,) = {
        branch["pattern"]
        for definition in json.loads(schema_text())["$defs"].values()
        for key, prop in definition.get("properties", {}).items()
        if key in QUARTER_KEYS
        for branch in prop.get("anyOf", [prop])
        if branch.get("type") == "string"
    }
    return pattern


@pytest.mark.parametrize("text", QUARTER_TEXTS)
def test_the_schemas_quarter_is_exactly_what_the_loader_reads(text: str) -> None:
    """Every key written as a quarter (start, when, deadline) has the one pattern, and it takes
    exactly the text quarter_index reads: an editor flags "2025-Q5" and "2025Q3" as validate does."""
    try:
        read = quarter_index(text) > 0
    except ValueError:
        read = False
    assert (re.search(_quarter_pattern(), text) is not None) == read


def test_the_schemas_personality_is_a_preset_or_a_table() -> None:
    personality = json.loads(schema_text())["$defs"]["Firm"]["properties"]["personality"]
    (names,) = [branch["enum"] for branch in personality["anyOf"] if "enum" in branch]
    assert names == list(PERSONALITIES)
    assert {"$ref": "#/$defs/Personality"} in personality["anyOf"]
    assert personality["default"] == "balanced"


def _values_at(data: Any, keys: set[str]) -> Iterator[Any]:
    """Every value written under one of ``keys``, at any depth of a parsed TOML file."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in keys:
                yield value
            yield from _values_at(value, keys)
    elif isinstance(data, list):
        for item in data:
            yield from _values_at(item, keys)


@pytest.mark.parametrize("path", sorted(BUNDLED_DIR.glob("*.toml")), ids=lambda p: p.stem)
def test_the_schema_accepts_the_bundled_scenarios_personalities_and_quarters(path: Path) -> None:
    """jsonschema is no dependency: the parts of the schema an editor got wrong before, checked
    by hand on every bundled file. A preset's name, as every bundled scenario writes, or a
    table of the Personality traits; quarters that match the pattern."""
    raw = tomli.loads(path.read_text(encoding="utf-8"))
    defs = json.loads(schema_text())["$defs"]
    presets = next(b["enum"] for b in defs["Firm"]["properties"]["personality"]["anyOf"] if "enum" in b)
    traits = set(defs["Personality"]["properties"])
    for firm in raw["firms"]:
        personality = firm.get("personality", "balanced")
        assert personality in presets if isinstance(personality, str) else set(personality) <= traits
    quarters = [value for value in _values_at(raw, QUARTER_KEYS) if isinstance(value, str)]
    assert quarters and all(re.search(_quarter_pattern(), q) for q in quarters)
