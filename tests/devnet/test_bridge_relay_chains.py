"""The relayer over the devnet's real relay chains (chain.Chain): real BABE-digested headers are
imported by the GRANDPA pallets, and Paras.Heads arrives the way the orchestrator will put it
(pre_changes of each relay block)."""
from __future__ import annotations

from harness.devnet.bridge.constants import LEGACY_LANE
from harness.devnet.bridge.finality import paras_heads_key
from harness.devnet.chain import Chain
from harness.devnet.runtimes.presets import default_config

from .test_bridge_pallets import Network, _View, named


class RealRelays(Network):
    def __init__(self):
        super().__init__()
        for name in ("kusama", "polkadot"):
            self.chains[name] = Chain(default_config(name), mode="manual")

    def include(self) -> None:
        for relay_name, bh in (("kusama", "bridge-hub-kusama"), ("polkadot", "bridge-hub-polkadot")):
            relay = self[relay_name]
            head = relay.runtime.registry.encode(relay.runtime.types.bytes, self[bh].head().header)
            relay.build_block(pre_changes=[(paras_heads_key(1002), head)])


def test_transfer_round_trip_over_real_relay_headers():
    net = RealRelays()
    net.export(2)
    net.relay_round()
    net.relay_round()
    target = net["bridge-hub-polkadot"]
    grandpa = target.runtime.pallet("BridgeKusamaGrandpa")
    best = grandpa.best_finalized(_View(target.head().state))
    kusama = net["kusama"]
    assert best[1] in {kusama.block_by_number(n).hash for n in range(1, kusama.head().number + 1)}
    assert net.relayer.state().lanes["Kusama->Polkadot"] == {"generated": 2, "delivered": 2, "confirmed": 2}
    assert net.relayer.state().failures == []
    # the next relay block is imported with a real finality proof (UpdatedBestFinalizedHeader)
    net.export()
    net.relay_round()
    updated = named(target.events(), "BridgeKusamaGrandpa")
    assert updated and updated[0]["UpdatedBestFinalizedHeader"]["hash"] == kusama.head().hash
    assert target.read("BridgeKusamaMessages", "inbound", LEGACY_LANE)["relayers"][-1]["messages"]["end"] == 3
