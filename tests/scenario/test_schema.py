"""The shipped JSON Schema matches the scenario models, and accepts what the loader accepts."""

from __future__ import annotations

import json

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
