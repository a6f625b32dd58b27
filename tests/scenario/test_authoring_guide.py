"""The authoring guide documents every key of the format and every name conditions can use."""

from __future__ import annotations

import re
from pathlib import Path

from pydantic import BaseModel

from game.scenario import model
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
