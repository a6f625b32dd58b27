"""The JSON Schema of scenario files, for editors (Taplo / Even Better TOML)."""

from __future__ import annotations

import json

from game.folders import project_folder
from game.scenario.model import Scenario

SCHEMA_FILE = project_folder("scenarios") / "circular-scenario.schema.json"


def schema_text() -> str:
    schema = Scenario.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Circular scenario"
    schema["description"] = "A scenario for Circular, the game about circular AI financing."
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
