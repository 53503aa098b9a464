"""The step-kind table: every kind's schema, parser and handler come from its one module, and the scenario
language (with the table) loads without the engine or a chain client."""
from __future__ import annotations

import subprocess
import sys

from harness.scenario.schema import scenario_schema
from harness.steps import KINDS


def test_the_schema_lists_each_kind_of_the_table_with_its_own_fragment():
    steps = scenario_schema()["$defs"]["step"]["properties"]
    assert list(steps) == ["name", *KINDS, "expect"]
    assert all(steps[name] is kind.schema for name, kind in KINDS.items())


def test_each_kind_is_named_by_its_action_and_has_a_parser_and_a_handler():
    for name, kind in KINDS.items():
        assert kind.action.KEY == name
        assert callable(kind.parse) and callable(kind.run)
    assert [name for name, kind in KINDS.items() if kind.signed] == ["transfer", "xcm_transfer", "call"]


def test_the_scenario_language_loads_without_the_engine_or_a_chain_client():
    code = ("import sys, harness.scenario.parse, harness.steps; "
            "print(sorted(m for m in sys.modules if m.startswith(('harness.engine', 'harness.client.chain', "
            "'harness.plugin', 'pytest'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_engine_loads_without_pytest():
    code = ("import sys, harness.engine.runner; "
            "print(sorted(m for m in sys.modules if m.startswith(('pytest', '_pytest'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
