"""Issue 12's acceptance on the devnet: the shipped bridge suite run twice compares equal; run with NextFeeMultiplier
doubled on both Asset Hubs (a network-file storage override) it differs in the transaction fees and the balance
changes that carry them, and in nothing else: exit 1 under the default rules, 0 under a wide fee rule."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.network.catalog import BUILTIN_DIR
from harness.cli import main
from harness.settings import PROJECT_ROOT

NETWORK = BUILTIN_DIR / "kusama-polkadot.yaml"
HUBS = ("kusama-asset-hub", "polkadot-asset-hub")
DOUBLED = '    storage:\n      - {pallet: TransactionPayment, item: NextFeeMultiplier, value: "2000000000000000000"}\n'


def with_doubled_multiplier(folder: Path) -> Path:
    """The shipped devnet network file with NextFeeMultiplier = 2 (FixedU128: 2 * 10^18) on both Asset Hubs."""
    text = NETWORK.read_text()
    for hub in HUBS:
        assert f"\n  {hub}:\n" in text
        text = text.replace(f"\n  {hub}:\n", f"\n  {hub}:\n{DOUBLED}", 1)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / NETWORK.name).write_text(text)
    return folder / NETWORK.name


def run_suite(report: Path, *extra: str) -> None:
    done = subprocess.run([sys.executable, "-m", "pytest", "scenarios/bridge", "-q", "-p", "no:cacheprovider",
                           "--report", str(report), *extra], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    root = tmp_path_factory.mktemp("reports")
    run_suite(root / "base")
    run_suite(root / "again")
    run_suite(root / "doubled", "--network", str(with_doubled_multiplier(root / "networks")))
    return root


def test_the_bridge_suite_twice_compares_equal(reports, capsys):
    assert main(["compare", str(reports / "base"), str(reports / "again")]) == 0
    data = json.loads((reports / "again" / "compare" / "compare.json").read_text())
    assert len(data["scenarios"]) == 14
    assert {s["verdict"] for s in data["scenarios"]} == {"same"}


def test_a_doubled_fee_multiplier_changes_transaction_fees_and_what_carries_them_only(reports, capsys):
    assert main(["compare", str(reports / "base"), str(reports / "doubled"), "--out", str(reports / "c1")]) == 1
    data = json.loads((reports / "c1" / "compare.json").read_text())
    changes = [c for s in data["scenarios"] for c in s["changes"]]
    assert changes and all(s["verdict"] == "regression" for s in data["scenarios"])
    fees = [c for c in changes if c["aspect"] == "fee"]
    balances = [c for c in changes if c["aspect"] == "balance"]
    assert len(fees) + len(balances) == len(changes), {c["aspect"] for c in changes}  # no event, hop or step
    assert {c["kind"] for c in fees} == {"transaction"}
    assert {c["chain"] for c in changes} <= set(HUBS)
    assert all(c["after"] > c["before"] for c in fees)  # base + length + 2 x weight fee > base + length + weight fee
    assert all(c["after"] < 2 * c["before"] for c in fees)
    base = {json.loads(p.read_text())["scenario"]["name"]: json.loads(p.read_text())["compared"]
            for p in (reports / "base" / "results").glob("*.json")}
    for scenario in data["scenarios"]:
        name = scenario["scenario"].split("::", 1)[1]
        dependent = {(b["chain"], b["account"]) for b in base[name]["balances"] if b["fee_dependent"]}
        for change in scenario["changes"]:
            if change["aspect"] == "balance":
                account = change["what"].split("balance change of ", 1)[1].split(" on ")[0]
                assert (change["chain"], account) in dependent, change


def test_a_wide_fee_rule_passes_the_doubled_multiplier(reports, tmp_path, capsys):
    rules = tmp_path / "fees.yaml"
    rules.write_text("rules:\n  - {name: fee multiplier may double, chains: [kusama-asset-hub, polkadot-asset-hub],"
                     " relative: 100%}\n")
    code = main(["compare", str(reports / "base"), str(reports / "doubled"), "--tolerances", str(rules),
                 "--out", str(tmp_path / "out")])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "rules that decided: fee multiplier may double" in out
    assert "14 scenario(s): 0 same, 14 drift, 0 regression(s)" in out
