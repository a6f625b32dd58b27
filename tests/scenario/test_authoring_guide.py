"""The authoring guide documents every key of the format and every name conditions can use."""

from __future__ import annotations

import re
import typing
from pathlib import Path

import pytest
from pydantic import BaseModel

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
