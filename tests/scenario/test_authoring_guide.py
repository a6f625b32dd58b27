"""The authoring guide documents every key of the format and every name conditions can use."""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomli
from pydantic import BaseModel

from game.calendar import quarter_index
from game.engine import events
from game.engine.actions import EndQuarter
from game.engine.game import Game
from game.scenario import model
from game.scenario.loader import ScenarioError, parse_scenario
from game.scenario.vocabulary import DESCRIPTIONS

GUIDE = (Path(__file__).resolve().parents[2] / "docs" / "authoring.md").read_text(encoding="utf-8")


def test_every_key_of_the_format_is_documented() -> None:
    missing = set()
    for value in vars(model).values():
        if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
            for key in value.model_fields:
                if not re.search(rf"\b{key}\b", GUIDE):
                    missing.add(f"{value.__name__}.{key}")
    assert not missing, f"docs/authoring.md does not mention: {sorted(missing)}"


def test_every_condition_name_is_documented() -> None:
    missing = [name for name in DESCRIPTIONS if f"`{name}" not in GUIDE]
    assert not missing, f"docs/authoring.md does not list: {missing}"


def test_what_each_firm_kind_needs_is_documented(mini_path: Path) -> None:
    """The guide's table names every kind, and the lab's required capability with the very
    message validate gives when it is missing."""
    table = GUIDE[GUIDE.index("| kind | also required |") :]
    table = table[: table.index("\n\n")]
    assert [kind for kind in typing.get_args(model.FirmKind) if f"`{kind}`" not in table] == []
    text = mini_path.read_text(encoding="utf-8").replace("capability = 1.0\n", "")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text, "mini.toml")
    (problem,) = caught.value.problems
    assert problem.message == "firms[3]: a lab needs a capability above 0"
    lab_row = next(row for row in table.splitlines() if row.startswith("| `lab` |"))
    assert (
        '**`capability` above 0** (the default 0 is refused: "a lab needs a capability above 0")' in lab_row
    )


def toml_block(containing: str) -> str:
    """The guide's ```toml example that contains ``containing``."""
    blocks = re.findall(r"```toml\n(.*?)```", GUIDE, flags=re.S)
    (block,) = [b for b in blocks if containing in b]
    return block


def test_the_event_example_sets_a_date_or_a_condition_as_its_comment_says() -> None:
    """Copied as it is, the example fires in its quarter: it does not set both keys, which
    would mean a date *and* a condition."""
    block = toml_block('id = "chip_shortage"')
    (event,) = tomli.loads(block)["events"]
    assert "when" in event and "condition" not in event
    assert "# condition = " in block  # the alternative, commented out


def test_when_events_fire_is_what_the_guide_says(mini_path: Path) -> None:
    """``when`` and ``condition`` together mean a date and a condition: the event fires on its
    date if the condition holds then, and never otherwise (the guide's table says so)."""
    assert "a date **and** a condition, checked once" in GUIDE
    events = """
[[events]]
id = "both_true_on_the_date"
headline = "A"
when = "2024-Q3"
condition = 'quarter >= "2024-Q2"'
once = false

[[events]]
id = "both_false_on_the_date"
headline = "B"
when = "2024-Q3"
condition = 'quarter >= "2024-Q4"'

[[events]]
id = "condition_only"
headline = "C"
condition = 'quarter >= "2024-Q4"'

[goals]"""
    source = mini_path.read_text(encoding="utf-8").replace("\n[goals]", events, 1)
    game = Game(parse_scenario(source, "mini.toml"), seed=1)
    fired: dict[str, list[int]] = {}
    while not game.world.finished:
        game.act(EndQuarter(actor=""))
        for event_id, quarter in game.world.event_fired.items():
            if quarter == game.world.quarter:
                fired.setdefault(event_id, []).append(quarter)
    assert fired.get("both_true_on_the_date") == [quarter_index("2024-Q3")]  # once = false: still once
    assert "both_false_on_the_date" not in fired
    assert fired.get("condition_only") == [quarter_index("2024-Q4")]


def test_the_guide_says_which_tables_and_keys_are_required(mini_path: Path) -> None:
    """The table of what a file must have names every required key of every table, and quotes
    the message a missing one gives."""
    section = GUIDE[GUIDE.index("## What a file must have") :]
    section = section[: section.index("\n## ", 1)]
    rows = {
        row.split(" | ")[0].removeprefix("| "): row for row in section.splitlines() if row.startswith("| `")
    }
    tables: dict[str, list[type[BaseModel]]] = {
        "`[meta]`": [model.Meta],
        "`[[firms]]`": [model.Firm],
        "`[goals]`": [model.Goals, model.RoleGoal],
        "`[[stakes]]`": [model.Stake],
        "`[[commitments]]`": [model.Contract],
        "`[[options]]`": [model.Option],
        "`[[events]]`": [model.Event, model.Choice],
        "`[[meta.difficulties]]`": [model.Difficulty],
        "`[market]`": [model.Market],
        "`[teaching]`": [model.Teaching],
    }
    assert set(rows) == set(tables)
    for table, models in tables.items():
        required = [key for m in models for key, field in m.model_fields.items() if field.is_required()]
        missing = [
            key for key in required if f"`{key}`" not in rows[table] and f".{key}]`" not in rows[table]
        ]
        assert missing == [], table
    for key, field in model.Scenario.model_fields.items():  # the required tables say "yes"
        row = next(row for table, row in rows.items() if table.strip("`[]") == key)
        assert ("| **yes**" in row) == field.is_required(), key
    text = mini_path.read_text(encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text[: text.index("[goals]")], "mini.toml")
    (problem,) = caught.value.problems
    assert f"`{problem.message}`" in section


def test_the_limits_of_adjust_and_market_are_the_engines(mini: model.Scenario) -> None:
    """The guide's limits: `adjust` never takes an amount below 0 (only revenue_growth may go
    negative); `market` keeps sentiment within ±3, threshold and funding within 0 to 1, and
    lets demand_growth go negative."""
    assert (
        "never takes `revenue`, `costs`, `cash`, `debt`, `capability`, `multiple` or\n  `capacity` below 0"
        in GUIDE
    )
    world = Game(mini, seed=1).world
    red = world.index["redlab"]

    def most(field: str) -> float:
        """The most an effect may add to ``field``: the width of its range, or 1e15 for an amount."""
        low, high = model.NUMBER_RANGES.get(field, (0.0, 1e15))
        return high - low

    adjust = [
        model.Adjust(do="adjust", firm="redlab", field=name, add=-most(name))
        for name in (
            "revenue",
            "costs",
            "cash",
            "debt",
            "capability",
            "multiple",
            "capacity",
            "revenue_growth",
        )
    ]
    shift = [
        model.Shift(do="market", field="sentiment", add=most("sentiment")),
        model.Shift(do="market", field="failure_threshold", add=most("failure_threshold")),
        model.Shift(do="market", field="outside_funding", add=-most("outside_funding")),
        model.Shift(do="market", field="interest_rate", add=-most("interest_rate")),
        model.Shift(do="market", field="demand", add=-most("demand")),
        model.Shift(do="market", field="demand_growth", add=-most("demand_growth")),
    ]
    events.apply_effects(world, [*adjust, *shift], None)
    floors = [world.own_revenue, world.costs, world.cash, world.debt, world.capability, world.multiple]
    assert [float(a[red]) for a in [*floors, world.capacity]] == [0.0] * 7
    assert world.revenue_growth[red] < 0
    assert set(world.sentiment.tolist()) == {3.0}
    market = world.market
    assert (market["failure_threshold"], market["outside_funding"], market["interest_rate"]) == (
        1.0,
        0.0,
        0.0,
    )
    assert market["demand"] == 0.0 and market["demand_growth"] < 0


def test_the_guide_says_warnings_are_advice_as_validate_treats_them(run_cli: Callable[..., Any]) -> None:
    """The guide says to validate until it prints `ok`; a valid file with warnings prints
    `ok (N warnings)` and exits 0, as the bundled history does, and the guide says so."""
    assert "Warnings are advice, not errors" in GUIDE
    result = run_cli("validate", "scenarios/history.toml")
    assert result.returncode == 0
    assert re.fullmatch(r"scenarios/history\.toml: ok \(\d+ warnings\)\n", result.stdout), result.stdout
    assert "The bundled `history.toml` keeps\n   some" in GUIDE
