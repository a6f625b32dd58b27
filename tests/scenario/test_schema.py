"""The shipped JSON Schema matches the scenario models, and accepts what the loader accepts."""

from __future__ import annotations

import json
import re

import pytest

from game.money import parse_money
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
