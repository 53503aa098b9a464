"""The full scenario JSON Schema: schema.yaml with each step kind's fragment (harness/steps) in its place.
The loader validates with it, and `harness schema` writes it for editors."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

import yaml

from ..steps import KINDS


@lru_cache(maxsize=1)
def scenario_schema() -> dict:
    """The schema as one JSON-able dict (shared: do not modify it)."""
    schema = yaml.safe_load(resources.files("harness.scenario").joinpath("schema.yaml").read_text())
    step = schema["$defs"]["step"]["properties"]
    # name first and expect last, the kinds between in the table's order (as the error hints list them)
    step_keys = {"name": step.pop("name"), **{kind: s.schema for kind, s in KINDS.items()}}
    schema["$defs"]["step"]["properties"] = {**step_keys, **step}
    return schema
