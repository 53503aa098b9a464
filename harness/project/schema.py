"""The scenario JSON Schema for editors (yaml-language-server), the very one the loader validates with."""
from __future__ import annotations

import json
from pathlib import Path

SCHEMA_FILE = "scenario.schema.json"


def scenario_schema() -> dict:
    """The loader's schema: the one place that knows where the loader keeps it."""
    from ..scenario.parse import _validator
    return _validator().schema


def schema_text() -> str:
    return json.dumps(scenario_schema(), indent=2) + "\n"


def write_schema(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(schema_text())
    return path
