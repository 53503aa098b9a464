"""Fuzzing the scenario loader and schema, directly and through `harness validate`.

Inputs, from most to least structured: trees from the scenario grammar (which must load), those trees
mutated (wrong types, unknown/missing keys, bad amounts, deep nesting), their YAML text damaged by
character edits, then arbitrary text and bytes. Every input must give scenarios or positioned
ScenarioErrors, never a traceback (loader_checks.check_file). The bugs these fuzzers found are at the
bottom, each pinned by its minimal example.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from harness.scenario.parse import load_scenarios
from harness.scenario.positions import ScenarioErrors
from harness.testing.scenario_strategies import damaged_yaml, scenario_yaml, valid_scenarios
from loader_checks import NETWORK_DIRS, check_file, load, time_limit


@pytest.fixture(scope="module")
def scenario_file(tmp_path_factory) -> Path:
    # one file, rewritten by every example: tmp_path would be shared across examples anyway
    return tmp_path_factory.mktemp("fuzz") / "scenario.yaml"


def _check(file: Path, content: str | bytes) -> list | ScenarioErrors:
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8", newline="")
    outcome = check_file(file)
    event("scenario errors" if isinstance(outcome, ScenarioErrors) else "loaded")
    return outcome


@given(valid_scenarios())
def test_grammar_valid_scenarios_load(scenario_file, tree):
    outcome = _check(scenario_file, yaml.safe_dump(tree, sort_keys=False, allow_unicode=True))
    assert not isinstance(outcome, ScenarioErrors), "\n".join(e.line() for e in outcome.errors)
    assert len(outcome) == len(tree.get("matrix") or [None])
    assert all(len(s.steps) == len(tree["steps"]) for s in outcome)


@given(scenario_yaml())
def test_mutated_scenarios_load_or_fail_with_positions(scenario_file, text):
    _check(scenario_file, text)


@given(valid_scenarios(), st.sampled_from(["name", "network", "steps"]))
def test_a_missing_required_key_is_named(scenario_file, tree, key):
    del tree[key]
    outcome = _check(scenario_file, yaml.safe_dump(tree, sort_keys=False))
    assert isinstance(outcome, ScenarioErrors)
    assert f"'{key}' is required" in [e.message for e in outcome.errors]


@given(damaged_yaml())
def test_damaged_yaml_loads_or_fails_with_positions(scenario_file, text):
    _check(scenario_file, text)


@given(st.text(max_size=400))
def test_arbitrary_text(scenario_file, text):
    _check(scenario_file, text)


@given(st.binary(max_size=400))
def test_arbitrary_bytes(scenario_file, data):
    _check(scenario_file, data)


@given(valid_scenarios(), st.binary(min_size=1, max_size=40))
def test_valid_text_with_bytes_appended(scenario_file, tree, tail):
    _check(scenario_file, yaml.safe_dump(tree, sort_keys=False).encode() + tail)


# --- bugs found, each its minimal example ----------------------------------------------------------
# Each test states the behaviour the loader must have, with the minimal example that once broke it.

def _load_text(file: Path, text: str) -> ScenarioErrors:
    file.write_text(text, encoding="utf-8", newline="")
    outcome = load(file)
    assert isinstance(outcome, ScenarioErrors)
    return outcome


@pytest.mark.parametrize("scalar", ["2024-13-01", "0x_", "0b_", "!!int abc", "!!float abc", "!!bool maybe",
                                    "!!timestamp nope", "!!int", "!!float"])
def test_an_unconstructable_scalar_is_an_error_at_its_line_and_column(scenario_file, scalar):
    errors = _load_text(scenario_file, f"name: {scalar}\nnetwork: kusama-local\nsteps: []\n")
    assert (errors.errors[0].position.line, errors.errors[0].position.column) == (1, 7)


def test_a_thousand_nested_lists_are_an_error_on_their_line(scenario_file):
    errors = _load_text(scenario_file, "name: " + "[" * 1000 + "]" * 1000 + "\n")
    assert errors.errors[0].position.line == 1


def test_a_forbidden_character_is_an_error_at_its_line_and_column(scenario_file):
    errors = _load_text(scenario_file, "name: a\nnetwork: kusama-local\nsteps: \x0c\n")
    error, = errors.errors
    assert (error.position.line, error.position.column) == (3, 8)
    assert "\n" not in error.line()


@pytest.mark.parametrize("text", [
    'name: n\nnetwork: kusama-local\naccounts: {a: //Alice}\n'
    'steps:\n  - transfer: {chain: "kusama\\nx", from: a, to: a, amount: 1 KSM}\n',
    '? "a\\nb"\n: 1\n',
], ids=["value", "key"])
def test_an_error_in_a_scalar_with_a_line_break_shows_one_line(scenario_file, text):
    errors = _load_text(scenario_file, text)
    assert [e.line() for e in errors.errors if "\n" in e.line()] == []


@pytest.mark.parametrize("text, position", [
    ("\x85\x1f", (2, 1)),  # NEL: the fuzzer's example, once reported at 1:2, past the end of line 1
    ("a: b\u2028c: d\u2029\x1f", (3, 1)),  # LS, PS
    ("a: b\r\nc: \x1f", (2, 4)),  # CRLF is one break
    ("a: b\rc: d\r\x1f", (3, 1)),  # CR
    ("\ufeffa: \x1f", (1, 4)),  # a BOM takes no column, as in PyYAML's marks
], ids=["NEL", "LS-PS", "CRLF", "CR", "BOM"])
def test_a_forbidden_character_is_placed_on_the_line_yaml_counts(scenario_file, text, position):
    error, = _load_text(scenario_file, text).errors
    assert (error.position.line, error.position.column) == position


def test_snippets_show_the_lines_yaml_counts(scenario_file):
    errors = _load_text(scenario_file, "name: n\x85network: kusama-local\u2028steps: 5\n")
    error, = errors.errors
    assert error.position.line == 3
    assert error.snippet == "  2 | network: kusama-local\n> 3 | steps: 5"


def _aliases(levels: int) -> str:
    """The 'billion laughs': each level is a list of ten aliases to the one before."""
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # an alarm that hit a gc callback
def test_aliases_of_aliases_are_refused_within_three_seconds(scenario_file):
    scenario_file.write_text(_aliases(7))
    with time_limit(3.0), pytest.raises(ScenarioErrors):  # not load(): its own, longer limit would replace this one
        load_scenarios(scenario_file, NETWORK_DIRS)


def test_network_dirs_hold_the_network_the_grammar_uses():
    # the grammar's trees name kusama-local; without it every valid tree would be rejected
    assert (NETWORK_DIRS[0] / "kusama-local.yaml").is_file()
