"""The relayer, bridge mode and congestion steps on the devnet: they act, and a scenario leaves the relayer and
the storage it changed as it found them, whether it passed or failed."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from devnet_network import devnet_clients, devnet_network  # noqa: F401 - fixtures
from harness.engine.result import ScenarioFailure
from harness.engine.runner import ScenarioRunner
from harness.scenario.parse import load_scenarios

ROOT = Path(__file__).resolve().parent.parent

PAUSED = """\
name: paused, then a failed expectation
network: kusama-polkadot
accounts: {sender: //Alice//controls, receiver: //Bob//controls}
steps:
  - relayer: {delay: 2}
  - relayer: pause
  - bridge_mode: {chain: kusama-bridge-hub, mode: Halted}
  - congestion: {chain: kusama-asset-hub, congested: true}
  - wait: {chain: kusama-bridge-hub, blocks: 1}
expect:
  balances:
    - {chain: kusama-asset-hub, account: receiver, change: +1 KSM}
"""


def scenario(tmp_path: Path, text: str):
    (tmp_path / "networks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", tmp_path / "networks" / "kusama-polkadot.yaml")
    (tmp_path / "s.yaml").write_text(text)
    return load_scenarios(tmp_path / "s.yaml")[0]


class Watching(ScenarioRunner):
    """Notes what the chains say just before the scenario puts things back."""

    seen: dict = {}

    def _run(self) -> None:
        try:
            super()._run()
        finally:
            net, clients = self.network, self.clients
            Watching.seen = {"relayer": net.rpc("kusama-bridge-hub", "dev_relayerState", []),
                             "mode": clients["kusama-bridge-hub"].storage_value("BridgePolkadotMessages",
                                                                                "PalletOperatingMode"),
                             "router": clients["kusama-asset-hub"].storage_value("ToPolkadotXcmRouter", "Bridge")}


def test_the_controls_act_and_are_put_back_after_a_failure(tmp_path, devnet_network, devnet_clients):
    before = devnet_network.rpc("kusama-bridge-hub", "dev_relayerState", [])
    with pytest.raises(ScenarioFailure):
        Watching(scenario(tmp_path, PAUSED), devnet_network, devnet_clients, 30).run()
    during = Watching.seen
    assert (during["relayer"]["paused"], during["relayer"]["delay_blocks"]) == (True, 2)
    assert during["mode"] == {"Basic": "Halted"}
    assert during["router"]["is_congested"] is True
    after = devnet_network.rpc("kusama-bridge-hub", "dev_relayerState", [])
    assert (after["paused"], after["delay_blocks"]) == (before["paused"], before["delay_blocks"]) == (False, 0)
    assert devnet_clients["kusama-bridge-hub"].storage_value("BridgePolkadotMessages", "PalletOperatingMode") == \
        {"Basic": "Normal"}
    assert devnet_clients["kusama-asset-hub"].storage_value("ToPolkadotXcmRouter", "Bridge")["is_congested"] is False
