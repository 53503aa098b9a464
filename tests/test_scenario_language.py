"""The scenario language without a chain: amounts, source positions, matrix expansion."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from project_layout import with_networks
from harness.network.catalog import BUILTIN_DIR
from harness.scenario.amounts import Amount, AmountError, format_planck
from harness.scenario.loader import load_documents
from harness.steps.transfer import Transfer
from harness.steps.xcm_transfer import XcmTransfer
from harness.scenario.parse import load_scenarios
from harness.scenario.positions import Position, ScenarioErrors, format_path

KNOWN = ", ".join(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))  # the built-in networks

U128_MAX = 2**128 - 1  # balances are u128


# --- amounts -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, signed, value, unit", [
    ("10 KSM", False, "10", "KSM"),
    ("0.5 DOT", False, "0.5", "DOT"),
    ("1_000_000 planck", False, "1000000", "planck"),
    ("3 Planck", False, "3", "planck"),  # the planck unit is case-insensitive, token symbols are not
    ("  7   KSM ", False, "7", "KSM"),
    ("+5 KSM", True, "5", "KSM"),
    ("-1.25 KSM", True, "-1.25", "KSM"),
    ("- 2 KSM", True, "-2", "KSM"),
    ("0 KSM", True, "0", "KSM"),  # a balance may be expected not to change
])
def test_parse(text, signed, value, unit):
    amount = Amount.parse(text, signed=signed)
    assert (amount.value, amount.unit) == (Decimal(value), unit)


@pytest.mark.parametrize("text, signed, message, hint", [
    ("10", False, "'10' is not an amount with a unit", "write a number and a unit, e.g. '10 KSM', '0.5 DOT' or "
                                                       "'1_000_000 planck'"),
    (10, False, "'10' is not an amount with a unit", "write a number and a unit, e.g. '10 KSM', '0.5 DOT' or "
                                                     "'1_000_000 planck'"),
    ("KSM 10", False, "'KSM 10' is not an amount with a unit", None),
    ("1e3 KSM", False, "'1e3 KSM' is not an amount with a unit", None),
    ("10 K-SM", False, "'10 K-SM' is not an amount with a unit", None),
    (True, False, "True is not an amount", "write a number and a unit, e.g. '10 KSM'"),
    (None, True, "None is not an amount", "write a number and a unit, e.g. '10 KSM'"),
    ("-1 KSM", False, "'-1 KSM' must be positive", "write the amount without a sign"),
    ("+1 KSM", False, "'+1 KSM' must be positive", "write the amount without a sign"),
    ("0 KSM", False, "'0 KSM' must be positive", "a transfer of nothing proves nothing"),
    ("0.5 planck", False, "'0.5 planck' is a fraction of a planck", "planck amounts are whole numbers"),
    ("-0.5 planck", True, "'-0.5 planck' is a fraction of a planck", "planck amounts are whole numbers"),
])
def test_parse_rejects(text, signed, message, hint):
    with pytest.raises(AmountError) as info:
        Amount.parse(text, signed=signed)
    assert str(info.value) == message
    if hint is not None:
        assert info.value.hint == hint


@pytest.mark.parametrize("text, decimals, planck", [
    ("1.5 KSM", 12, 1_500_000_000_000),
    ("10 DOT", 10, 100_000_000_000),
    ("0.000000000001 KSM", 12, 1),
    ("-0.5 KSM", 12, -500_000_000_000),
    ("7 planck", 12, 7),  # planck ignores the decimals
    ("1.50 X", 1, 15),  # trailing zeros beyond the decimals are not a fraction of a planck
    ("3 X", 0, 3),
    # 39 digits: more than Decimal's default 28-digit precision, which must not round
    ("340282366920938463463.374607431768211455 X", 18, U128_MAX),
    ("-340282366920938463463374607431768211455 planck", 12, -U128_MAX),
])
def test_to_planck(text, decimals, planck):
    assert Amount.parse(text, signed=True).to_planck(decimals) == planck


@pytest.mark.parametrize("text, decimals", [
    ("0.0000000000001 KSM", 12),
    ("1.5 X", 0),
    ("1000000000000000.0000000000001 KSM", 12),  # 29 digits once scaled: must not round to a whole number
])
def test_to_planck_rejects_sub_planck_amounts(text, decimals):
    amount = Amount.parse(text)
    with pytest.raises(AmountError, match=rf"has more than {decimals} decimals") as info:
        amount.to_planck(decimals)
    assert info.value.hint == f"{amount.unit} has {decimals} decimals"


@pytest.mark.parametrize("planck, decimals, text", [
    (1_500_000_000_000, 12, "1.5 KSM"),
    (10**12, 12, "1 KSM"),
    (1, 12, "0.000000000001 KSM"),
    (0, 12, "0 KSM"),
    (100, 0, "100 KSM"),  # no 1E+2
    (-15, 1, "-1.5 KSM"),
    (U128_MAX, 18, "340282366920938463463.374607431768211455 KSM"),
])
def test_format_planck(planck, decimals, text):
    assert format_planck(planck, decimals, "KSM") == text


def test_amount_str_has_no_exponent():
    # str(Decimal) would say 1E-8; the text goes into failure messages
    assert str(Amount.parse("0.00000001 KSM")) == "0.00000001 KSM"


@given(planck=st.integers(-U128_MAX, U128_MAX), decimals=st.integers(0, 18),
       symbol=st.sampled_from(["KSM", "DOT", "USDt", "X1"]))
@example(planck=U128_MAX, decimals=18, symbol="KSM")
@example(planck=-1, decimals=18, symbol="DOT")
@example(planck=0, decimals=0, symbol="KSM")
def test_format_then_parse_round_trips(planck, decimals, symbol):
    text = format_planck(planck, decimals, symbol)
    amount = Amount.parse(text, signed=True)
    assert amount.unit == symbol
    assert amount.to_planck(decimals) == planck
    # and the text is the shortest: no exponent, no trailing zeros after the point
    number = text.split(" ")[0]
    assert "E" not in number and not (("." in number) and number.endswith(("0", ".")))


@given(planck=st.integers(1, U128_MAX), decimals=st.integers(0, 18))
def test_format_then_parse_round_trips_unsigned(planck, decimals):
    # a positive amount, as a transfer amount is written
    assert Amount.parse(format_planck(planck, decimals, "KSM")).to_planck(decimals) == planck


# --- positions -----------------------------------------------------------------------------------------------

NESTED = """\
# a comment, line 1
name: positions
network: kusama-local
steps:
  - transfer:
      chain: kusama
      amount: 1 KSM
  - wait: {chain: kusama, blocks: 2}
expect:
  balances:
    - chain: kusama
      change: +1 KSM
"""


def write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_positions_of_nested_keys_are_one_based(tmp_path):
    [doc] = load_documents(write(tmp_path, NESTED))
    where = {path: (pos.line, pos.column) for path, pos in doc.positions.items()}
    assert where[()] == (2, 1)
    assert where[("name",)] == (2, 1)
    assert where[("network",)] == (3, 1)
    assert where[("steps",)] == (4, 1)
    assert where[("steps", 0)] == (5, 5)  # the item's mapping, after "- "
    assert where[("steps", 0, "transfer")] == (5, 5)
    assert where[("steps", 0, "transfer", "chain")] == (6, 7)
    assert where[("steps", 0, "transfer", "amount")] == (7, 7)
    assert where[("steps", 1)] == (8, 5)
    assert where[("steps", 1, "wait", "chain")] == (8, 12)  # inside a flow mapping
    assert where[("steps", 1, "wait", "blocks")] == (8, 27)
    assert where[("expect", "balances", 0)] == (11, 7)
    assert where[("expect", "balances", 0, "change")] == (12, 7)


def test_a_key_spans_to_the_end_of_its_value(tmp_path):
    [doc] = load_documents(write(tmp_path, NESTED))
    assert doc.positions[("steps", 0, "transfer", "amount")] == Position(7, 7, 7)
    assert doc.positions[("steps", 1, "wait")] == Position(8, 5, 8)  # a flow mapping ends at its "}"
    assert doc.positions[("expect",)].end_line == 12  # the last line of the file
    # a block mapping ends at its own last line, not where PyYAML's next token (the next step) starts
    assert doc.positions[("steps", 0, "transfer")] == Position(5, 5, 7)
    assert doc.positions[("steps", 0)] == Position(5, 5, 7)


def test_a_step_snippet_shows_only_that_step(tmp_path):
    [doc] = load_documents(write(tmp_path, NESTED))
    assert doc.snippet(("steps", 0), context=0) == (
        "> 5 |   - transfer:\n"
        "  6 |       chain: kusama\n"
        "  7 |       amount: 1 KSM"
    )


def test_position_falls_back_to_the_nearest_ancestor(tmp_path):
    [doc] = load_documents(write(tmp_path, NESTED))
    assert doc.position(("steps", 0, "transfer", "no_such_key")) == doc.positions[("steps", 0, "transfer")]
    assert doc.position(("steps", 7, "x")) == doc.positions[("steps",)]


def test_snippet_marks_the_line(tmp_path):
    [doc] = load_documents(write(tmp_path, NESTED))
    assert doc.snippet(("steps", 0, "transfer", "amount")) == (
        "  6 |       chain: kusama\n"
        "> 7 |       amount: 1 KSM"
    )


def test_format_path():
    assert format_path(("steps", 0, "transfer", "amount")) == "steps[0].transfer.amount"
    assert format_path(("expect", "balances", 2)) == "expect.balances[2]"
    assert format_path(()) == "<document>"


MULTI = """\
name: first
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 1}
---
# the second document
name: second
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 2}
---
"""


def test_each_document_has_file_lines_and_its_own_data(tmp_path):
    docs = load_documents(write(tmp_path, MULTI))
    assert len(docs) == 2  # the empty document after the last '---' is no document
    first, second = docs
    assert (first.data["name"], second.data["name"]) == ("first", "second")
    assert first.position(("name",)) == Position(1, 1, 1)
    assert second.position(("name",)) == Position(7, 1, 7)  # lines count from the file's start
    assert second.position(("steps", 0, "wait", "blocks")) == Position(10, 27, 10)
    assert first.lines == second.lines == MULTI.splitlines()  # snippets of either come from the whole file


def test_error_in_a_later_document_is_positioned_in_the_file(tmp_path):
    text = MULTI.replace("  - wait: {chain: kusama, blocks: 2}", "  - wait: {chain: kusama, blocks: 2, blocks: 3}")
    with pytest.raises(ScenarioErrors) as info:
        load_documents(write(tmp_path, text))
    [error] = info.value.errors
    assert error.line() == (f"{tmp_path / 's.yaml'}:10:38: steps[0].wait.blocks: duplicate key 'blocks' "
                            "(hint: each key may appear once in a mapping)")


def test_merge_keys_may_be_overridden(tmp_path):
    # YAML merge keys: a key written in the mapping wins over the merged one; that is no duplicate
    text = """\
base: &base {chain: kusama, blocks: 1}
first:
  <<: *base
  blocks: 5
second: {<<: *base}
"""
    [doc] = load_documents(write(tmp_path, text))
    assert doc.data == yaml.safe_load(text)
    assert doc.data["first"] == {"chain": "kusama", "blocks": 5}
    assert doc.position(("first", "blocks")) == Position(4, 3, 4)
    assert doc.position(("first", "chain")) == Position(1, 14, 1)  # where the merged value is written


@pytest.mark.parametrize("text, where", [("a: &a [*a]\n", "1:4: a[0]"), ("a: &a\n  b: *a\n", "1:4: a.b")])
def test_an_alias_inside_itself_is_an_error_not_a_recursion(tmp_path, text, where):
    with pytest.raises(ScenarioErrors) as info:
        load_documents(write(tmp_path, text))
    assert [e.line() for e in info.value.errors] == [
        f"{tmp_path / 's.yaml'}:{where}: an alias refers to a mapping or list that holds it "
        "(hint: such YAML never ends; repeat the values instead)"
    ]


def test_malformed_yaml_is_positioned(tmp_path):
    # the '{' on line 3 is never closed; PyYAML notices at the ':' of line 4
    with pytest.raises(ScenarioErrors) as info:
        load_documents(write(tmp_path, "name: x\nsteps:\n  - wait: {chain: kusama\n  blocks: 2\n"))
    [error] = info.value.errors
    assert error.line() == (f"{tmp_path / 's.yaml'}:4:9: <document>: malformed YAML: expected ',' or '}}', "
                            "but got ':' (hint: check indentation, quotes and ':' after each key)")
    assert error.snippet == "  3 |   - wait: {chain: kusama\n> 4 |   blocks: 2"


# --- matrix expansion ----------------------------------------------------------------------------------------

MATRIX = """\
name: teleport ${amount} as ${who}
network: kusama-local
tags: [xcm]
accounts: {sender: //Alice, receiver: //Bob}
matrix:
  - {amount: 10 KSM, who: alice}
  - {amount: 0.5 KSM, who: bob}
  - {amount: 3 planck, who: carol}
steps:
  - xcm_transfer: {from: kusama, to: kusama-asset-hub, sender: sender, beneficiary: receiver, amount: "${amount}"}
expect:
  balances:
    - {chain: kusama, account: sender, change: "-${amount}", plus_fees: true}
---
name: plain
network: kusama-local
accounts: {sender: //Alice, receiver: //Bob}
steps:
  - transfer: {chain: kusama, from: sender, to: receiver, amount: 1 KSM}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A folder with networks/kusama-local.yaml, found from a scenario file's ancestors."""
    return with_networks(tmp_path, "kusama-local")


def test_matrix_rows_become_scenarios_in_order(project):
    scenarios = load_scenarios(write(project, MATRIX))
    assert [s.name for s in scenarios] == ["teleport 10 KSM as alice", "teleport 0.5 KSM as bob",
                                           "teleport 3 planck as carol", "plain"]
    assert [s.row for s in scenarios] == [0, 1, 2, None]
    assert [s.params for s in scenarios] == [{"amount": "10 KSM", "who": "alice"},
                                             {"amount": "0.5 KSM", "who": "bob"},
                                             {"amount": "3 planck", "who": "carol"}, {}]


def test_matrix_values_reach_steps_and_expectations(project):
    scenarios = load_scenarios(write(project, MATRIX))
    amounts = [s.steps[0].action.amount for s in scenarios[:3]]
    assert amounts == [Amount(Decimal("10"), "KSM"), Amount(Decimal("0.5"), "KSM"), Amount(Decimal("3"), "planck")]
    assert all(isinstance(s.steps[0].action, XcmTransfer) for s in scenarios[:3])
    assert [s.balances[0].change for s in scenarios[:3]] == [Amount(Decimal("-10"), "KSM"),
                                                            Amount(Decimal("-0.5"), "KSM"),
                                                            Amount(Decimal("-3"), "planck")]
    assert isinstance(scenarios[3].steps[0].action, Transfer)


def test_matrix_rows_share_the_document_and_its_positions(project):
    scenarios = load_scenarios(write(project, MATRIX))
    assert scenarios[0].doc is scenarios[2].doc
    assert [s.line for s in scenarios] == [1, 1, 1, 15]
    assert scenarios[1].tags == ["xcm"]
    assert scenarios[1].network.name == "kusama-local"


def test_a_bad_value_in_one_row_is_reported_at_its_use(project):
    text = MATRIX.replace("{amount: 0.5 KSM, who: bob}", "{amount: 0.5 DOT, who: bob}")
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, text))
    # reported where ${amount} is used (the step on line 10, the balance on line 13), for that row only
    hint = "(hint: 'kusama' counts in KSM (or planck))"
    assert [e.line() for e in info.value.errors] == [
        f"{project / 's.yaml'}:10:95: steps[0].xcm_transfer.amount: unknown asset 'DOT' on chain 'kusama' {hint}",
        f"{project / 's.yaml'}:13:40: expect.balances[0].change: unknown asset 'DOT' on chain 'kusama' {hint}",
    ]


def test_numbers_in_a_matrix_become_text(project):
    text = """\
name: wait ${n} blocks
network: kusama-local
matrix: [{n: 2}, {n: 3}]
steps:
  - wait: {chain: kusama, blocks: 1}
"""
    assert [s.name for s in load_scenarios(write(project, text))] == ["wait 2 blocks", "wait 3 blocks"]


def test_a_variable_without_a_matrix(project):
    text = "name: x ${n}\nnetwork: kusama-local\nsteps:\n  - wait: {chain: kusama, blocks: 1}\n"
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, text))
    assert [e.line() for e in info.value.errors] == [
        f"{project / 's.yaml'}:1:1: name: '${{n}}' is not a matrix variable (hint: variables: none (add a matrix))"
    ]


def test_only_empty_documents_are_skipped(project):
    # a trailing '---' adds an empty document, which is skipped; a document that says null is no scenario
    assert load_scenarios(write(project, "---\n# nothing yet\n---\n")) == []
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, "--- null\n"))
    assert [e.message for e in info.value.errors] == ["a scenario is a mapping"]


# --- errors point at the key ---------------------------------------------------------------------------------

def test_each_unknown_key_is_reported_at_itself(project):
    text = """\
name: typos
network: kusama-local
accounts: {sender: //Alice, receiver: //Bob}
steps:
  - transfer:
      chain: kusama
      from: sender
      to: receiver
      amount: 1 KSM
      memo: hello
      keepalive: true
"""
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, text))
    allowed = "(hint: allowed here: chain, from, to, amount, keep_alive)"
    assert [e.line() for e in info.value.errors] == [
        f"{project / 's.yaml'}:10:7: steps[0].transfer.memo: unknown key 'memo' {allowed}",
        f"{project / 's.yaml'}:11:7: steps[0].transfer.keepalive: unknown key 'keepalive' {allowed}",
    ]
    assert info.value.errors[0].snippet.splitlines()[-1] == "> 10 |       memo: hello"


def test_a_bad_account_name_is_reported_at_the_name(project):
    text = "name: x\nnetwork: kusama-local\naccounts:\n  sender: //Alice\n  1st: //Bob\nsteps:\n" \
           "  - wait: {chain: kusama, blocks: 1}\n"
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, text))
    [error] = info.value.errors
    assert (error.position.line, error.position.column, error.path) == (5, 3, ("accounts", "1st"))


def test_wait_fields_need_an_event(project):
    base = "name: x\nnetwork: kusama-local\naccounts: {a: //Alice}\nsteps:\n  - wait: {chain: kusama, %s}\n"
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, base % "blocks: 2, fields: {who: a}"))
    [error] = info.value.errors
    assert error.line().startswith(f"{project / 's.yaml'}:5:38: steps[0].wait.fields: 'fields' needs 'event' ")
    # the control: with an event, fields are what the wait matches
    [scenario] = load_scenarios(write(project, base % "event: Balances.Transfer, fields: {to: a}"))
    assert scenario.steps[0].action.event.fields == {"to": "a"}


# --- the network of a matrix row -----------------------------------------------------------------------------

NETWORK_MATRIX = """\
name: transfer on ${net}
network: ${net}
accounts: {sender: //Alice, receiver: //Bob}
matrix:
  - {net: kusama-local}
  - {net: kusama-fork}
steps:
  - transfer: {chain: kusama, from: sender, to: receiver, amount: 1 KSM}
"""


def test_network_is_substituted_per_row(project):
    fork = (project / "networks" / "kusama-local.yaml").read_text().replace("name: kusama-local", "name: fork")
    (project / "networks" / "kusama-fork.yaml").write_text(fork)
    scenarios = load_scenarios(write(project, NETWORK_MATRIX))
    assert [(s.name, s.network.name) for s in scenarios] == [("transfer on kusama-local", "kusama-local"),
                                                             ("transfer on kusama-fork", "fork")]
    assert [s.network.file.name for s in scenarios] == ["kusama-local.yaml", "kusama-fork.yaml"]


def test_a_row_naming_a_missing_network_is_reported_at_network(project):
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, NETWORK_MATRIX))
    assert [e.line() for e in info.value.errors] == [
        f"{project / 's.yaml'}:2:1: network: network file 'kusama-fork' not found "
        f"(hint: known networks: {KNOWN}; searched {project / 'networks'}, then the built-in "
        "networks; add networks/kusama-fork.yaml or give its path)"
    ]


def test_an_undefined_variable_in_network(project):
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(write(project, NETWORK_MATRIX.replace("network: ${net}", "network: ${nett}")))
    assert [e.line() for e in info.value.errors] == [
        f"{project / 's.yaml'}:2:1: network: '${{nett}}' is not a matrix variable (hint: variables: net)"
    ]
