"""Differential fidelity with the user's own tool: the spine's relay <-> Asset Hub scenarios run unchanged on the
real Kusama runtimes (chopsticks) and on the devnet, each with `--report`, then `harness compare` with
ci/devnet-vs-chopsticks.tolerances.yaml, the file that states the known differences (docs/devnet.md lists them).

Everything the tolerance file does not name must be equal: outcomes, step outcomes and dispatch errors, balance
changes that carry no fee, hop traces, and the event trails less the events the runtimes emit differently. Fees,
and the balance changes that carry them, must stay within the bounds stated per chain and kind; a devnet fee
computed wrongly (e.g. the weight fee doubled) fails the relay's transaction fee bound."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from harness.cli import main
from harness.settings import PROJECT_ROOT

pytestmark = pytest.mark.chopsticks

SCENARIOS = ["scenarios/xcm/relay_to_asset_hub.yaml", "scenarios/xcm/asset_hub_to_relay.yaml",
             "scenarios/relay/local_transfer.yaml", "scenarios/relay/insufficient_funds.yaml",
             "scenarios/relay/existential_deposit.yaml"]
REAL, DEVNET = "kusama-local", "kusama-polkadot"
TOLERANCES = PROJECT_ROOT / "ci" / "devnet-vs-chopsticks.tolerances.yaml"


def run(network: str, report: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", *SCENARIOS, "-q", "-p", "no:cacheprovider",
                           "--network", network, "--report", str(report)], cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=1200, env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)})


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    if not (PROJECT_ROOT / "node_modules" / ".bin" / "chopsticks").exists():
        pytest.fail("chopsticks is not installed: run `bash ci/setup.sh`")
    root = tmp_path_factory.mktemp("differential")
    real = run(REAL, root / "real")
    assert real.returncode == 0, f"the scenarios fail on the real runtimes:\n{real.stdout[-3000:]}"
    run(DEVNET, root / "devnet")  # its failures are the comparison's to report, against the real outcomes
    return root


def test_the_devnet_agrees_with_the_real_runtimes_within_the_stated_differences(reports, capsys):
    code = main(["compare", str(reports / "real"), str(reports / "devnet"), "--tolerances", str(TOLERANCES),
                 "--out", str(reports / "compare")])
    out = capsys.readouterr().out
    assert code == 0, out
    data = json.loads((reports / "compare" / "compare.json").read_text())
    assert len(data["scenarios"]) == 7
    # what the comparison saw differ is what the tolerance file states: fees, fee-carrying balances, setting
    aspects = {c["aspect"] for s in data["scenarios"] for c in s["changes"]}
    assert aspects <= {"fee", "balance", "provider", "runtime"}, aspects
    assert {c["after"] for s in data["scenarios"] for c in s["changes"] if c["aspect"] == "provider"} == {"devnet"}
