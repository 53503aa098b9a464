"""`harness validate` over tests/broken: one exact, positioned error line per broken file, exit codes, no tracebacks."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main

ROOT = Path(__file__).resolve().parent.parent
BROKEN = "tests/broken"  # relative to ROOT, which every run here uses as its cwd

_AMOUNT_HINT = "(hint: write a number and a unit, e.g. '10 KSM', '0.5 DOT' or '1_000_000 planck')"
# the built-in networks, as the not-found hint lists them (other network files come and go)
_KNOWN_NETWORKS = ", ".join(sorted({p.stem for p in (ROOT / "harness" / "networks").glob("*.y*ml")}))

# file -> the one line `harness validate` must print for it: file:line:col: key.path: message (hint: ...)
EXPECTED = {
    "amount_without_unit.yaml":
        f"12:7: steps[0].transfer.amount: '10' is not an amount with a unit {_AMOUNT_HINT}",
    "bad_account_seed.yaml":
        "5:3: accounts.sender: 'Alice' is not an account (hint: write a dev seed like '//Alice' or {env: VAR_NAME})",
    "bad_event_name.yaml":
        "15:27: steps[0].expect.events[0].event: 'Transfer' is not Pallet.Name (hint: e.g. Balances.Transfer)",
    "bad_unit.yaml":
        f"12:7: steps[0].transfer.amount: '1 %' is not an amount with a unit {_AMOUNT_HINT}",
    "bad_xcm_kind.yaml":
        "14:7: steps[0].xcm_transfer.kind: 'teleprt' is not one of teleport, reserve",
    "call_unknown_account.yaml":
        "13:86: steps[0].call.args.beneficiary.V5.interior.X1[0].AccountId32.id: unknown account 'carol' "
        "(hint: declare it under 'accounts:' (declared: sender))",
    "duplicate_key.yaml":
        "13:7: steps[0].transfer.amount: duplicate key 'amount' (hint: each key may appear once in a mapping)",
    "duplicate_scenario_name.yaml":
        "2:1: name: two scenarios are named 'same name' "
        "(hint: names must differ; with a matrix, put a ${variable} in the name)",
    "failure_expected_on_wait.yaml":
        "6:5: steps[0].expect: a wait step has no extrinsic that could fail "
        "(hint: expect failure on a transfer, xcm_transfer or call)",
    "fraction_of_planck.yaml":
        "12:7: steps[0].transfer.amount: '0.5 planck' is a fraction of a planck "
        "(hint: planck amounts are whole numbers)",
    # the flow mapping is still open at the end of the 8-line file: PyYAML marks the stream end, line 9
    "malformed_yaml.yaml":
        "9:1: <document>: malformed YAML: expected ',' or '}', but got '<stream end>' "
        "(hint: check indentation, quotes and ':' after each key)",
    "missing_network_file.yaml":
        "3:1: network: network file 'polkadot-local' not found "
        f"(hint: known networks: {_KNOWN_NETWORKS}; searched the built-in networks (no networks/ folder); "
        "add networks/polkadot-local.yaml or give its path)",
    "missing_steps.yaml":
        "2:1: <document>: 'steps' is required",
    "negative_amount.yaml":
        "12:7: steps[0].transfer.amount: '-1 KSM' must be positive (hint: write the amount without a sign)",
    "sovereign_of_itself.yaml":
        "11:17: expect.balances[0].account.sovereign: 'kusama-asset-hub' has no sovereign account on itself "
        "(hint: name the chain whose account on this one you mean)",
    "success_and_error.yaml":
        "10:7: steps[0].expect.success: a step cannot both succeed and fail with an error "
        "(hint: drop 'success: true' or the 'error')",
    "two_actions_in_step.yaml":
        "8:5: steps[0]: a step needs exactly one of transfer, xcm_transfer, call, wait, fund, relayer, bridge_mode, "
        "congestion, reserves, set_storage, upgrade, xcm_version, found transfer, wait "
        "(hint: split it into several steps)",
    "undefined_matrix_variable.yaml":
        "15:7: steps[0].xcm_transfer.amount: '${amont}' is not a matrix variable (hint: variables: amount)",
    "unknown_account.yaml":
        "11:7: steps[0].transfer.to: unknown account 'carol' "
        "(hint: declare it under 'accounts:' (declared: sender, receiver))",
    "unknown_asset.yaml":
        "12:7: steps[0].transfer.amount: unknown asset 'DOT' on chain 'kusama' "
        "(hint: 'kusama' counts in KSM (or planck))",
    "unknown_bridge_mode.yaml":
        "5:45: steps[0].bridge_mode.mode: unknown bridge mode 'Stopped' "
        "(hint: one of Normal, Halted, RejectingOutboundMessages)",
    "unknown_chain.yaml":
        "9:7: steps[0].transfer.chain: unknown chain 'polkadot' "
        "(hint: network 'kusama-local' has: kusama, kusama-asset-hub)",
    # at the unknown key itself, not at the mapping that holds it
    "unknown_key.yaml":
        "14:7: steps[0].transfer.memo: unknown key 'memo' (hint: allowed here: chain, from, to, amount, keep_alive)",
    "unknown_since_step.yaml":
        "11:3: expect.since: no step is named 'teleport back' (hint: step names: send)",
    "wait_fields_without_event.yaml":
        "16:7: steps[1].wait.fields: 'fields' needs 'event' (hint: 'fields' matches the awaited event's fields; "
        "a wait for blocks has no event to match, so drop 'fields' or wait for an event)",
    "wait_delivered_unknown_step.yaml":
        "11:12: steps[1].wait.delivered: no earlier step is named 'thither' (hint: step names so far: there)",
    "wait_without_event_or_blocks.yaml":
        "13:5: steps[1].wait: wait needs exactly one of 'event', 'blocks' or 'delivered' "
        "(hint: e.g. wait: {chain: kusama, blocks: 2} or wait: {delivered: STEP NAME})",
    "xcm_to_same_chain.yaml":
        "10:7: steps[0].xcm_transfer.to: an xcm_transfer goes to another chain (hint: use 'transfer' on one chain)",
    "zero_amount.yaml":
        "12:7: steps[0].transfer.amount: '0 KSM' must be positive (hint: a transfer of nothing proves nothing)",
}

_ERROR_LINE = re.compile(r"^(?P<file>[^:]+\.ya?ml):\d+:\d+: ")


def expected_line(name: str) -> str:
    return f"{BROKEN}/{name}:{EXPECTED[name]}"


def broken_files() -> list[str]:
    return sorted(p.name for p in (ROOT / BROKEN).iterdir() if p.suffix in (".yaml", ".yml"))


def assert_no_traceback(*outputs: str) -> None:
    for text in outputs:
        assert "Traceback" not in text, text


def test_the_table_covers_every_broken_file():
    # a broken file without an expected line (or a stale table entry) would go unchecked
    assert broken_files() == sorted(EXPECTED)
    assert len(EXPECTED) >= 14


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gives_its_one_line(name, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["validate", f"{BROKEN}/{name}"])
    out, err = capsys.readouterr()
    assert_no_traceback(out, err)
    assert code == 1
    assert out.splitlines() == [expected_line(name)]
    assert err == ""


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_says_what_is_wrong_at_the_top(name):
    # the first line is a comment naming the mistake, so that a reader need not run anything
    first = (ROOT / BROKEN / name).read_text().splitlines()[0]
    assert first.startswith("# Broken: ")


def _check_folder_output(code: int, out: str, err: str) -> None:
    assert_no_traceback(out, err)
    assert code == 1
    lines = out.splitlines()
    files = [m["file"] for m in map(_ERROR_LINE.match, lines) if m]
    assert len(files) == len(lines), f"a line without file:line:col: in {lines}"
    # exactly one error line per broken file, none missing, none doubled
    assert sorted(files) == [f"{BROKEN}/{name}" for name in broken_files()]
    assert lines == [expected_line(name) for name in broken_files()]  # validate walks the folder sorted


def test_validate_folder_in_process(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["validate", BROKEN])
    out, err = capsys.readouterr()
    _check_folder_output(code, out, err)
    assert err == ""


def test_validate_folder_as_a_command():
    proc = subprocess.run([sys.executable, "-m", "harness.cli", "validate", BROKEN], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    _check_folder_output(proc.returncode, proc.stdout, proc.stderr)
    assert proc.stderr == ""


def test_shipped_scenarios_are_valid(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["validate", "scenarios"])
    out, err = capsys.readouterr()
    assert_no_traceback(out, err)
    assert code == 0, out
    assert re.fullmatch(r"[1-9]\d* scenario\(s\) in [1-9]\d* file\(s\): valid\n", out), out


VALID = """\
# A valid file of two documents, the second with a matrix of three rows, then an empty document: four scenarios.
name: wait two blocks
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 2}
---
name: transfer ${amount}
network: kusama-local
accounts: {sender: //Alice, receiver: //Bob}
matrix:
  - {amount: 1 KSM}
  - {amount: 0.5 KSM}
  - {amount: 7 planck}
steps:
  - transfer: {chain: kusama, from: sender, to: receiver, amount: "${amount}"}
expect:
  balances:
    - {chain: kusama, account: receiver, change: "+${amount}"}
---
"""


def test_valid_file_outside_the_project_with_network_dir(tmp_path, capsys, monkeypatch):
    # no networks/ folder above tmp_path: the network is found only through --network-dir
    (tmp_path / "ok.yaml").write_text(VALID)
    monkeypatch.chdir(tmp_path)
    code = main(["validate", "ok.yaml", "--network-dir", str(ROOT / "harness" / "networks")])
    out, err = capsys.readouterr()
    assert_no_traceback(out, err)
    assert (code, out) == (0, "4 scenario(s) in 1 file(s): valid\n")


def test_a_built_in_network_is_found_from_any_folder(tmp_path, capsys, monkeypatch):
    # no networks/ folder above tmp_path: kusama-local is one of the networks built into the package
    (tmp_path / "ok.yaml").write_text(VALID)
    monkeypatch.chdir(tmp_path)
    code = main(["validate", "ok.yaml"])
    out, err = capsys.readouterr()
    assert_no_traceback(out, err)
    assert (code, out) == (0, "4 scenario(s) in 1 file(s): valid\n")


def test_a_network_that_is_nowhere_is_not_found(tmp_path, capsys, monkeypatch):
    (tmp_path / "ok.yaml").write_text(VALID.replace("network: kusama-local", "network: polkadot-local"))
    monkeypatch.chdir(tmp_path)
    code = main(["validate", "ok.yaml"])
    out, _ = capsys.readouterr()
    assert code == 1
    # one error per document, each at that document's own network: key, listing the built-in networks
    assert out.splitlines() == [
        "ok.yaml:3:1: network: network file 'polkadot-local' not found "
        f"(hint: known networks: {_KNOWN_NETWORKS}; searched the built-in networks (no networks/ folder); "
        "add networks/polkadot-local.yaml or give its path)",
        "ok.yaml:8:1: network: network file 'polkadot-local' not found "
        f"(hint: known networks: {_KNOWN_NETWORKS}; searched the built-in networks (no networks/ folder); "
        "add networks/polkadot-local.yaml or give its path)",
    ]


def test_missing_path(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["validate", "tests/no-such-folder"])
    out, err = capsys.readouterr()
    assert_no_traceback(out, err)
    assert code == 1
    assert out.splitlines() == ["tests/no-such-folder: no such file or folder (hint: give scenario files or folders)"]
