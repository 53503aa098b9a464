"""--report: the JSON result of a scenario (checked against its schema, which must also refuse bad results), the
HTML page (every hop, lane and fee of a trace, self-contained), and the plugin writing both under pytest."""
from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import jsonschema
import pytest

from fake_chain import FakeChain, FakeNetwork
from harness.client.chain import Event, Receipt
from harness.engine.pool import NetworkPool
from harness.engine.result import BalanceRow, ScenarioResult
from harness.engine.trace import BRIDGED, Hop, Trace
from harness.engine.units import Units
from harness.report.html import render_page
from harness.report.json_result import ScenarioOutcome, dumps, to_json
from harness.report.result_schema import SCHEMA
from harness.scenario.parse import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA)
UNITS = {"kusama-asset-hub": (12, "KSM"), "kusama-bridge-hub": (12, "KSM"), "polkadot-bridge-hub": (10, "DOT"),
         "polkadot-asset-hub": (10, "DOT")}

SCENARIO = """\
name: KSM over the bridge
network: kusama-polkadot
accounts: {sender: //Alice//report, receiver: //Bob//report}
steps:
  - name: there
    xcm_transfer: {from: kusama-asset-hub, to: polkadot-asset-hub, sender: sender, beneficiary: receiver, amount: 1 KSM}
"""


@pytest.fixture
def scenario(tmp_path: Path):
    (tmp_path / "networks").mkdir()
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", tmp_path / "networks" / "kusama-polkadot.yaml")
    (tmp_path / "s.yaml").write_text(SCENARIO)
    return load_scenarios(tmp_path / "s.yaml")[0]


def bridged_trace() -> Trace:
    event = Event("BridgePolkadotMessages", "MessageAccepted", {"lane_id": "0x00000001", "nonce": 4}, None, 11, 0)
    return Trace(1, "there", ("kusama-asset-hub", "kusama-bridge-hub", "polkadot-bridge-hub", "polkadot-asset-hub"),
                 "KSM", 10**12, "receiver", ["0x" + "aa" * 32], [
                     Hop("kusama-asset-hub", 9, "sent", True, [], "0x" + "aa" * 32, delivery_fee=3_499_308_077),
                     Hop("kusama-bridge-hub", 11, "executed", True, [event], "0x" + "cc" * 32, lane="0x00000001",
                         nonce=4, confirmed_block=13),
                     Hop("polkadot-bridge-hub", 10, BRIDGED, True, [], lane="0x00000001", nonce=4),
                     Hop("polkadot-asset-hub", 7, "executed", True, [], "0x" + "aa" * 32, deposited=999_518_276_102,
                         execution_fee=481_723_898)])


def result_of(scenario, trace: Trace | None = None) -> ScenarioResult:
    result = ScenarioResult(scenario, seconds=1.25, units=Units(scenario.network, UNITS))
    sent = Event("PolkadotXcm", "Sent", {"message_id": "0x" + "aa" * 32, "raw": b"\x01"}, 1, 9, 0)
    result.receipts = [Receipt("kusama-asset-hub", "0x" + "12" * 32, "0xb", 9, True, None, 3_651_115_042, [sent])]
    result.balances = [BalanceRow("polkadot-asset-hub", "receiver", "16ADA3", "free", "+1 KSM, less at most 0.01 KSM",
                                  10**12 - 10**10, 10**12, 0, 999_518_276_102, 6, 7, "KSM", 1000)]
    result.traces = [trace or bridged_trace()]
    return result


def test_a_passed_result_is_valid_json_by_the_schema(scenario):
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "passed", result_of(scenario)))))
    VALIDATOR.validate(data)
    assert data["outcome"] == "passed" and data["scenario"]["name"] == "KSM over the bridge"
    assert data["tokens"] == {"KSM": 12, "DOT": 10}
    [trace] = data["traces"]
    assert [h["chain"] for h in trace["hops"]] == list(trace["path"])
    assert trace["hops"][1]["lane"] == "0x00000001" and trace["hops"][3]["execution_fee"] == 481_723_898
    assert data["extrinsics"][0]["events"][0]["attributes"]["raw"] == "0x01"  # bytes become hex text


def test_an_error_without_a_run_is_valid_too(scenario):
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "error", message="network did not start",
                                            position=f"{scenario.file}:1"))))
    VALIDATOR.validate(data)
    assert (data["balances"], data["traces"], data["seconds"]) == ([], [], None)


@pytest.mark.parametrize("damage", [
    lambda d: d["traces"][0]["hops"][1].pop("lane"),
    lambda d: d.update(outcome="skipped"),
    lambda d: d["balances"][0].update(before="1 KSM"),
    lambda d: d["traces"][0]["hops"][0].update(what="teleported"),
    lambda d: d.update(extra=1),
])
def test_the_schema_refuses_a_damaged_result(scenario, damage):
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "passed", result_of(scenario)))))
    damaged = copy.deepcopy(data)
    damage(damaged)
    assert not VALIDATOR.is_valid(damaged)


def test_the_page_draws_every_hop_lane_and_fee(scenario):
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "failed", result_of(scenario),
                                                    "1 balance change(s) not as expected", f"{scenario.file}:14:7"))))
    page = render_page([data])
    svg = page[page.index("<svg"):page.index("</svg>")]
    for lane in ("kusama-asset-hub", "kusama-bridge-hub", "polkadot-bridge-hub", "polkadot-asset-hub"):
        assert f'class="lane">{lane}</text>' in svg
    for label in ("#9 sent, ok", "#11 executed, ok", "#10 received over the bridge, ok", "#7 executed, ok"):
        assert f'class="hop">{label}</text>' in svg
    assert "lane 0x00000001 nonce 4" in svg
    assert "delivery fee 0.003499308077 KSM" in svg and "execution fee 0.000481723898 KSM" in svg
    assert svg.count("<line") == 4 + 3  # four lifelines, three arrows
    table = page[page.index("<th>chain</th><th>block</th>"):]
    assert "<td>0.003499308077 KSM</td>" in table and "<td>0.999518276102 KSM</td>" in table
    assert "<td>0x00000001 #4</td>" in table and "<td>#13</td>" in table  # the confirmation
    assert "1 balance change(s) not as expected" in page and "<td>KSM</td>" in page
    assert 'class="failed">failed</span>' in page


def test_chains_not_reached_are_drawn_as_such(scenario):
    trace = bridged_trace()
    trace.hops = trace.hops[:2]
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "failed", result_of(scenario, trace), "timed out", None))))
    page = render_page([data])
    assert page.count(">not reached</text>") == 2 and "(incomplete)" in page


def test_the_page_is_self_contained(scenario):
    page = render_page([json.loads(dumps(to_json(ScenarioOutcome(scenario, "passed", result_of(scenario)))))])
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    for outside in ("<script", "<link", "src=", "@import", "url(http"):
        assert outside not in page
    assert "http" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")


# --- the plugin ----------------------------------------------------------------------------------------------

PASSING = """\
name: local transfer
network: kusama-polkadot
accounts: {sender: //Alice//report-plugin, receiver: //Bob//report-plugin}
steps:
  - fund: {chain: kusama, account: sender, amount: 10 KSM}
  - transfer: {chain: kusama, from: sender, to: receiver, amount: 1 KSM}
expect:
  balances:
    - {chain: kusama, account: receiver, change: %s}
"""


@pytest.fixture
def fake_networks(monkeypatch):
    """Every network is made of FakeChains (tests/fake_chain.py): the plugin runs, no chain starts."""
    def get(self, spec):
        chains = {name: FakeChain(name) for name in spec.chains}
        return FakeNetwork(spec, "fake", {}, dev_rpcs=True, chains=chains), chains
    monkeypatch.setattr(NetworkPool, "get", get)


def test_the_plugin_writes_a_result_per_scenario_and_one_page(pytester, fake_networks):
    (pytester.path / "networks").mkdir()
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", pytester.path / "networks")
    (pytester.path / "scenarios").mkdir()
    (pytester.path / "scenarios" / "ok.yaml").write_text(PASSING % "+1 KSM")
    (pytester.path / "scenarios" / "bad.yaml").write_text(PASSING.replace("local transfer", "wrong") % "+2 KSM")
    run = pytester.runpytest("scenarios", "--report", "out", "-p", "no:cacheprovider")
    run.assert_outcomes(passed=1, failed=1)
    files = sorted((pytester.path / "out" / "results").glob("*.json"))
    assert [f.name for f in files] == ["000-scenarios-bad.yaml-wrong.json", "001-scenarios-ok.yaml-local-transfer.json"]
    schema = json.loads((pytester.path / "out" / "result.schema.json").read_text())
    bad, ok = (json.loads(f.read_text()) for f in files)
    for data in (bad, ok):
        jsonschema.validate(data, schema)
    assert (ok["outcome"], bad["outcome"]) == ("passed", "failed")
    assert bad["position"].endswith("bad.yaml:9:7") and bad["message"].startswith("1 balance change(s)")
    assert [row["ok"] for row in bad["balances"]] == [False]
    page = (pytester.path / "out" / "index.html").read_text()
    assert "1 passed, 1 failed, 0 errors" in page and ">wrong <span" in page


def test_harness_run_passes_report_on_to_pytest(monkeypatch):
    from harness import cli
    seen = []
    monkeypatch.setattr("pytest.main", lambda args: seen.append(args) or 0)
    assert cli.main(["run", "scenarios/xcm", "--report", "out"]) == 0
    assert seen == [["scenarios/xcm", "--report", "out"]]


def test_the_compared_record_names_accounts_by_role_and_holds_no_hash_block_or_timing(scenario):
    from harness.engine.result import StepRecord

    result = result_of(scenario)
    result.traces[0].step = 0
    sender = "EDDeSqa74rtpGvuA8bx9efWVtLcc8Ztq1JuZpVECDkBFyLA"
    result.roles = {"kusama-asset-hub": {sender: "sender", "0x" + "48" * 32: "sender"}}
    result.events = {"kusama-asset-hub": [
        Event("PolkadotXcm", "Sent", {"origin": {"X1": [{"AccountId32": {"id": "0x" + "48" * 32}}]},
                                      "message_id": "0x" + "aa" * 32, "who": sender, "amount": 5}, 1, 9, 0),
        Event("System", "ExtrinsicSuccess", {"dispatch_info": {"weight": 1}}, 1, 9, 1)]}
    result.steps = [StepRecord(0, "xcm_transfer", "there", "ok", result.receipts[0])]
    result.provider = "devnet"
    result.runtimes = {"kusama-asset-hub": {"spec_name": "statemine", "spec_version": 1, "transaction_version": 2,
                                            "code_hash": None}}
    data = json.loads(dumps(to_json(ScenarioOutcome(scenario, "passed", result))))
    VALIDATOR.validate(data)
    compared = data["compared"]
    assert compared["events"] == {"kusama-asset-hub": [
        {"event": "PolkadotXcm.Sent", "fields": {"origin": {"X1": [{"AccountId32": {"id": "<sender>"}}]},
                                                 "message_id": "0x…", "who": "<sender>"}}]}
    assert compared["steps"] == [{"step": "there", "kind": "xcm_transfer", "outcome": "ok", "dispatched": True,
                                  "error": None}]
    assert compared["fees"] == [
        {"step": "there", "chain": "kusama-asset-hub", "kind": "transaction", "hop": None, "amount": 0},
        {"step": "there", "chain": "kusama-asset-hub", "kind": "delivery", "hop": 1, "amount": 3_499_308_077},
        {"step": "there", "chain": "polkadot-asset-hub", "kind": "execution", "hop": 4, "amount": 481_723_898}]
    assert compared["hops"][0]["hops"][1] == {"chain": "kusama-bridge-hub", "what": "executed", "success": True,
                                              "lane": "0x00000001", "nonce": 4}
    assert compared["balances"] == [{"chain": "polkadot-asset-hub", "account": "receiver", "asset": "KSM",
                                     "field": "free", "change": 999_518_276_102, "fee_dependent": False}]
    result.balances[0].carries_fees = True  # as a row of an expectation with a fee_bound is
    again = to_json(ScenarioOutcome(scenario, "passed", result))["compared"]
    assert again["balances"][0]["fee_dependent"] is True
    text = json.dumps(compared)
    assert "0x" + "aa" * 32 not in text and "seconds" not in text and '"block"' not in text
    assert data["provider"] == "devnet" and data["runtimes"]["kusama-asset-hub"]["spec_version"] == 1


def test_compare_to_compares_the_run_with_a_baseline(pytester, fake_networks):
    (pytester.path / "networks").mkdir()
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", pytester.path / "networks")
    (pytester.path / "scenarios").mkdir()
    scenario_file = pytester.path / "scenarios" / "ok.yaml"
    scenario_file.write_text(PASSING % "+1 KSM")
    pytester.runpytest("scenarios", "--report", "base", "-p", "no:cacheprovider").assert_outcomes(passed=1)

    same = pytester.runpytest("scenarios", "--compare-to", "base", "-p", "no:cacheprovider")
    assert same.ret == 0
    same.stdout.fnmatch_lines(["comparison with base:", "1 scenario(s): 1 same, 0 drift, 0 regression(s)"])

    # the candidate's scenario moves 2 KSM, and expects it: it passes, and the comparison fails the run
    scenario_file.write_text(PASSING.replace("amount: 1 KSM", "amount: 2 KSM") % "+2 KSM")
    moved = pytester.runpytest("scenarios", "--compare-to", "base", "--report", "cand", "-p", "no:cacheprovider")
    moved.assert_outcomes(passed=1)
    assert moved.ret == 1
    moved.stdout.fnmatch_lines(["*balance change of receiver on kusama (free)*1_000_000_000_000 -> 2_000_000_000_000"
                                "*regression*exact (default)"])
    assert (pytester.path / "cand" / "compare" / "junit.xml").is_file()

    # a bad baseline stops the run before it starts (in its own process, as `harness run` is)
    missing = pytester.runpytest_subprocess("scenarios", "--compare-to", "nowhere", "-p", "no:cacheprovider")
    assert missing.ret == 2
    assert "nowhere: no such folder" in missing.stdout.str() + missing.stderr.str()
