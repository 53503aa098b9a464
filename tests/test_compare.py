"""harness compare: two --report folders under tolerance rules. Verdicts (exact by default, fees and fee-dependent
balance changes under the fee rules, events with ignore_events, scenarios with allow), the rule named on each
change, the outputs (table, JSON, JUnit, page), and one clear message with exit 2 for each bad input."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from xml.etree import ElementTree

import pytest

from harness.cli import main

SENDER_FEE = 151_473_632


def result(name: str = "a transfer", fee: int = SENDER_FEE, outcome: str = "passed", events: list | None = None,
           receiver_change: int = 10**12) -> dict:
    """A result as --report writes it, with only what the comparison and the page read."""
    compared = {
        "outcome": outcome,
        "steps": [{"step": "there", "kind": "xcm_transfer", "outcome": "ok", "dispatched": True, "error": None}],
        "balances": [
            {"chain": "kusama-asset-hub", "account": "sender", "asset": None, "field": "free",
             "change": -10**12 - fee - 3_496_641_411, "fee_dependent": True},
            {"chain": "polkadot-asset-hub", "account": "receiver", "asset": "KSM", "field": "free",
             "change": receiver_change, "fee_dependent": False}],
        "fees": [{"step": "there", "chain": "kusama-asset-hub", "kind": "transaction", "hop": None, "amount": fee},
                 {"step": "there", "chain": "kusama-asset-hub", "kind": "delivery", "hop": 1,
                  "amount": 3_496_641_411}],
        "events": {"kusama-asset-hub": events if events is not None else [
            {"event": "PolkadotXcm.Sent", "fields": {"origin": "<sender>"}},
            {"event": "PolkadotXcm.FeesPaid", "fields": {"paying": "<sender>"}}]},
        "hops": [{"step": "there", "path": ["kusama-asset-hub", "polkadot-asset-hub"], "complete": True,
                  "hops": [{"chain": "kusama-asset-hub", "what": "sent", "success": True, "lane": None, "nonce": None},
                           {"chain": "polkadot-asset-hub", "what": "executed", "success": True, "lane": None,
                            "nonce": None}]}],
    }
    trace = {"step": 1, "step_name": "there", "path": ["kusama-asset-hub", "polkadot-asset-hub"], "asset": "KSM",
             "amount": 10**12, "beneficiary": "receiver", "ids": [], "complete": True,
             "hops": [{"chain": "kusama-asset-hub", "block": 3, "what": "sent", "success": True, "message_id": None,
                       "delivery_fee": 3_496_641_411, "deposited": None, "execution_fee": None, "lane": None,
                       "nonce": None, "confirmed_block": None, "events": []}]}
    return {"schema": "harness-result/1",
            "scenario": {"name": name, "file": "/somewhere/scenarios/bridge/t.yaml", "line": 1,
                         "network": "kusama-polkadot", "row": None, "tags": []},
            "outcome": outcome, "message": None, "position": None, "seconds": 1.5,
            "chains": {"kusama-asset-hub": {"decimals": 12, "symbol": "KSM"}}, "tokens": {"KSM": 12},
            "balances": [], "extrinsics": [], "traces": [trace], "provider": "devnet",
            "runtimes": {"kusama-asset-hub": {"spec_name": "statemine", "spec_version": 2003002,
                                              "transaction_version": 15, "code_hash": None}},
            "compared": compared}


def report(folder: Path, *results: dict) -> Path:
    (folder / "results").mkdir(parents=True)
    for i, data in enumerate(results):
        (folder / "results" / f"{i:03d}.json").write_text(json.dumps(data))
    return folder


def compare(tmp_path: Path, base: list[dict], candidate: list[dict], rules: str | None = None,
            capsys=None) -> tuple[int, str]:
    a, b = report(tmp_path / "a", *base), report(tmp_path / "b", *candidate)
    args = ["compare", str(a), str(b)]
    if rules is not None:
        (tmp_path / "t.yaml").write_text(rules)
        args += ["--tolerances", str(tmp_path / "t.yaml")]
    code = main(args)
    out = capsys.readouterr() if capsys else None
    return code, (out.out + out.err) if out else ""


def test_the_same_results_compare_equal(tmp_path, capsys):
    code, out = compare(tmp_path, [result()], [result()], capsys=capsys)
    assert code == 0
    assert "1 scenario(s): 1 same, 0 drift, 0 regression(s)" in out


def test_timings_are_not_compared(tmp_path, capsys):
    slower = result()
    slower["seconds"] = 99.0
    assert compare(tmp_path, [result()], [slower], capsys=capsys)[0] == 0


def test_a_changed_fee_is_a_regression_by_default(tmp_path, capsys):
    code, out = compare(tmp_path, [result()], [result(fee=2 * SENDER_FEE)], capsys=capsys)
    assert code == 1
    assert "transaction fee of step 'there' on kusama-asset-hub" in out
    assert "151_473_632 -> 302_947_264" in out and "+100.00%" in out
    # the sender's change carries the fee; the receiver's does not, and did not move
    assert "balance change of sender on kusama-asset-hub" in out
    assert "receiver" not in out
    assert "exact (default)" in out


def test_a_wide_fee_rule_makes_it_drift_and_is_named(tmp_path, capsys):
    rules = "rules:\n  - {name: fees may double, relative: 100%, chains: [kusama-asset-hub]}\n"
    code, out = compare(tmp_path, [result()], [result(fee=2 * SENDER_FEE)], rules, capsys)
    assert code == 0
    assert "drift" in out and "rules that decided: fees may double" in out


def test_a_fee_rule_too_narrow_is_named_as_exceeded(tmp_path, capsys):
    rules = "rules:\n  - {name: fees within 10%, relative: 0.1}\n"
    code, out = compare(tmp_path, [result()], [result(fee=2 * SENDER_FEE)], rules, capsys)
    assert code == 1
    assert "beyond fees within 10%" in out


def test_a_fee_rule_for_another_kind_does_not_cover_the_fee(tmp_path, capsys):
    rules = "rules:\n  - {name: delivery may move, relative: 100%, fee_kinds: [delivery]}\n"
    code, out = compare(tmp_path, [result()], [result(fee=2 * SENDER_FEE)], rules, capsys)
    assert code == 1
    assert "transaction fee of step 'there'" in out


def test_a_rule_naming_accounts_covers_balances_only_and_one_naming_fee_kinds_fees_only(tmp_path, capsys):
    rules = ("rules:\n  - {name: balances, accounts: ['*'], absolute: 1000000000}\n"
             "  - {name: transaction fees, fee_kinds: [transaction], relative: 10%}\n")
    code, out = compare(tmp_path, [result()], [result(fee=2 * SENDER_FEE)], rules, capsys)
    assert code == 1
    fee = next(line for line in out.splitlines() if "transaction fee of step" in line)
    balance = next(line for line in out.splitlines() if "balance change of sender" in line)
    assert "regression" in fee and "beyond transaction fees" in fee  # not admitted by the balance rule
    assert "drift" in balance and balance.rstrip().endswith("balances")


def test_an_absolute_bound(tmp_path, capsys):
    rules = "rules:\n  - {name: a few planck, absolute: 5}\n"
    assert compare(tmp_path, [result()], [result(fee=SENDER_FEE + 5)], rules, capsys)[0] == 0
    assert compare(tmp_path / "again", [result()], [result(fee=SENDER_FEE + 6)], rules, capsys)[0] == 1


def test_a_balance_change_without_fees_stays_exact_under_a_fee_rule(tmp_path, capsys):
    rules = "rules:\n  - {name: anything goes, relative: 1000%}\n"
    code, out = compare(tmp_path, [result()], [result(receiver_change=10**12 - 1)], rules, capsys)
    assert code == 1
    assert "balance change of receiver on polkadot-asset-hub (KSM)" in out


def test_a_new_failure_is_a_regression(tmp_path, capsys):
    code, out = compare(tmp_path, [result()], [result(outcome="failed")], capsys=capsys)
    assert code == 1 and "passed -> failed" in out


def test_a_missing_event_is_a_regression_unless_ignored(tmp_path, capsys):
    fewer = [{"event": "PolkadotXcm.FeesPaid", "fields": {"paying": "<sender>"}}]
    code, out = compare(tmp_path, [result()], [result(events=fewer)], capsys=capsys)
    assert code == 1
    assert 'event on kusama-asset-hub' in out and "PolkadotXcm.Sent" in out
    rules = "rules:\n  - {name: old pallet-xcm, ignore_events: ['PolkadotXcm.Sent'], chains: [kusama-asset-hub]}\n"
    code, out = compare(tmp_path / "again", [result()], [result(events=fewer)], rules, capsys)
    assert code == 0
    assert "rules that decided: old pallet-xcm" in out


def test_scenarios_that_vanish_or_appear(tmp_path, capsys):
    code, out = compare(tmp_path, [result(), result("gone")], [result(), result("new")], capsys=capsys)
    assert code == 1
    assert "scenario missing from the candidate" in out and "scenario added in the candidate" in out
    rules = ("rules:\n  - {name: retired, scenarios: '*::gone', allow: missing}\n"
             "  - {name: fresh, scenarios: '*::new', allow: added}\n")
    code, out = compare(tmp_path / "again", [result(), result("gone")], [result(), result("new")], rules, capsys)
    assert code == 0
    assert "retired" in out and "fresh" in out


def test_the_outputs_json_junit_and_page(tmp_path, capsys):
    code, _ = compare(tmp_path, [result(), result("other")], [result(fee=2 * SENDER_FEE), result("other")],
                      capsys=capsys)
    assert code == 1
    out = tmp_path / "b" / "compare"
    data = json.loads((out / "compare.json").read_text())
    assert data["regressions"] == 1
    verdicts = {s["scenario"]: s["verdict"] for s in data["scenarios"]}
    assert verdicts == {"bridge/t.yaml::a transfer": "regression", "bridge/t.yaml::other": "same"}
    suite = ElementTree.parse(out / "junit.xml").getroot()
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert set(cases) == set(verdicts)
    assert cases["bridge/t.yaml::a transfer"].find("failure") is not None
    assert cases["bridge/t.yaml::other"].find("failure") is None
    page = (out / "index.html").read_text()
    assert page.count('class="change regression"') == 2  # the fee and the sender's change
    assert page.count("<svg") == 2 * (2 + 1)  # per scenario: the two hop diagrams and the fee chart
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched


def test_a_runtime_upgrade_is_reported_and_fails_nothing(tmp_path, capsys):
    upgraded = result()
    upgraded["runtimes"]["kusama-asset-hub"]["spec_version"] = 2004000
    code, out = compare(tmp_path, [result()], [upgraded], capsys=capsys)
    assert code == 0
    assert "runtime of kusama-asset-hub" in out and "statemine 2003002 tx 15 -> statemine 2004000 tx 15" in out


# --- bad input: one message each, exit 2 ---------------------------------------------------------------------
def _bad_json(folder: Path) -> None:
    (folder / "results" / "000.json").write_text("{not json")


def _old_result(folder: Path) -> None:
    data = result()
    del data["compared"]
    (folder / "results" / "000.json").write_text(json.dumps(data))


def _not_a_result(folder: Path) -> None:
    (folder / "results" / "000.json").write_text(json.dumps({"hello": 1}))


@pytest.mark.parametrize("damage, message", [
    (_bad_json, "not a readable JSON result"),
    (_old_result, "has no 'compared' record"),
    (_not_a_result, "not a harness result"),
])
def test_a_bad_result_gets_one_message(tmp_path, capsys, damage, message):
    base = report(tmp_path / "a", result())
    candidate = report(tmp_path / "b", result())
    damage(candidate)
    assert main(["compare", str(base), str(candidate)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0] and err[0].startswith("harness compare: error: ")


def test_a_missing_or_empty_folder_gets_one_message(tmp_path, capsys):
    base = report(tmp_path / "a", result())
    assert main(["compare", str(base), str(tmp_path / "nope")]) == 2
    assert "nope: no such folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["compare", str(tmp_path / "empty"), str(base)]) == 2
    assert "no results/*.json in it" in capsys.readouterr().err


@pytest.mark.parametrize("text, where, message", [
    ("rules:\n  - {name: x, relativ: 1}\n", ":2:15: rules[0].relativ", "unknown key 'relativ'"),
    ("rules:\n  - {name: x, relative: lots}\n", ":2:15: rules[0].relative", "'lots' is not a fraction"),
    ("rules:\n  - {name: x, absolute: -1}\n", ":2:15: rules[0].absolute", "not a whole number of planck"),
    ("rules:\n  - {name: x, fee_kinds: [gas], relative: 1}\n", ":2:27: rules[0].fee_kinds[0]", "'gas' is not one of"),
    ("rules:\n  - {name: x, allow: sometimes}\n", ":2:15: rules[0].allow", "'sometimes' is not one of missing"),
    ("rules:\n  - {name: x}\n", ":2:5: rules[0]", "the rule allows nothing"),
    ("rulez: []\n", ":1:1: <document>", "a list under 'rules'"),
    ("rules: [\n", ":2:1:", "malformed YAML"),
])
def test_a_bad_tolerance_file_gets_a_positioned_message(tmp_path, capsys, text, where, message):
    code, out = compare(tmp_path, [result()], [result()], text, capsys)
    assert code == 2
    first = out.strip().splitlines()[0]
    assert where in first and message in first, first


def test_a_missing_tolerance_file(tmp_path, capsys):
    base = report(tmp_path / "a", result())
    assert main(["compare", str(base), str(base), "--tolerances", str(tmp_path / "none.yaml")]) == 2
    assert "none.yaml: no such tolerance file" in capsys.readouterr().err


def test_the_engine_imports_no_pytest():
    import subprocess
    import sys

    code = "import sys, harness.compare.engine, harness.compare.cli; print('pytest' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout.strip() == "False"
