"""How a devnet runs the bridge: one relayer between its two Bridge Hubs, the relays' Paras.Heads,
and the relayer's calls inside each chain's next block.

The orchestrator (orchestrator.py) asks, per block it builds, for the relay's `para_heads` (what
ParaInclusion would have written: every child's latest head, HeadData(header bytes), at the time
the relay block is built) and for the chain's `work` (the relayer's planned calls, in
BlockWork.on_initialize); after each delivery round it calls `step()`, and builds a block on every
chain for which `wants_block` holds, until none does.
"""
from __future__ import annotations

from typing import Any, Mapping

from ..paras import BRIDGE_HUB_ID
from ..runtime.executive import BlockWork
from . import control
from .finality import paras_heads_key
from .relayer import Leg, Relayer

BRIDGE_HUB_RUNTIMES = {"kusama-bridge-hub": "Kusama", "polkadot-bridge-hub": "Polkadot"}


class BridgeDriver:
    """chains: name -> chain.Chain; specs: name -> config.DevnetChainConfig (runtime, relay, para id)."""

    def __init__(self, chains: Mapping[str, Any], specs: Mapping[str, Any], relayer_account: bytes):
        self.chains = chains
        self.children = {name: [(c.para_id, c.name) for c in specs.values() if c.relay == name]
                         for name, spec in specs.items() if spec.relay is None}
        hubs = {BRIDGE_HUB_RUNTIMES[c.runtime]: c for c in specs.values() if c.runtime in BRIDGE_HUB_RUNTIMES}
        self.relayer: Relayer | None = None
        if len(hubs) == 2:
            k, p = hubs["Kusama"], hubs["Polkadot"]
            self.relayer = Relayer(chains, relayer_account, [Leg(k.name, k.relay, p.name, p.relay, "Kusama"),
                                                             Leg(p.name, p.relay, k.name, k.relay, "Polkadot")])
            self._watched = {k.relay: k.name, p.relay: p.name}     # relay -> its Bridge Hub
        else:
            self._watched = {}

    # --- per block ----------------------------------------------------------------------------
    def para_heads(self, relay: str) -> list[tuple[bytes, bytes]]:
        """pre_changes for a relay block: Paras.Heads of each child, HeadData(its head's header)."""
        return [(paras_heads_key(para_id), self._head_data(relay, name))
                for para_id, name in self.children.get(relay, ())]

    def _head_data(self, relay: str, para: str) -> bytes:
        """HeadData(Vec<u8>) of the para's latest header, as the relay stores it."""
        runtime = self.chains[relay].runtime
        return runtime.registry.encode(runtime.types.bytes, self.chains[para].head().header)

    def work(self, chain: str, work: BlockWork | None) -> BlockWork | None:
        """`work` with the relayer's calls for `chain` added to its on_initialize."""
        if self.relayer is None or not self.relayer.has_work(chain):
            return work
        work = work or BlockWork()
        before = work.on_initialize

        def on_initialize(ctx, before=before):
            if before is not None:
                before(ctx)
            self.relayer.execute(chain, ctx)
        return BlockWork(on_initialize, work.on_idle, work.inherent_data)

    # --- per delivery round -------------------------------------------------------------------
    def step(self) -> None:
        if self.relayer is not None:
            self.relayer.step()

    def wants_block(self, chain: str) -> bool:
        """The relayer has calls for it, or it is a relay whose Bridge Hub has something to relay
        (messages to deliver or deliveries to confirm) in a block the relay has not included yet:
        the relayer proves Bridge Hub heads by the relay's Paras.Heads."""
        if self.relayer is None:
            return False
        if self.relayer.has_work(chain):
            return True
        hub = self._watched.get(chain)
        if hub is None or self.relayer.paused or hub not in self._hubs_to_prove():
            return False
        return self.chains[chain].head().state.get(paras_heads_key(BRIDGE_HUB_ID)) != self._head_data(chain, hub)

    def _hubs_to_prove(self) -> set[str]:
        """Bridge Hubs whose state the relayer must prove next: a source with undelivered messages,
        a target with unconfirmed deliveries."""
        wanted, lanes = set(), self.relayer.state().lanes
        for leg in self.relayer.legs:
            lane = lanes[f"{leg.network}->{leg.bridged_network}"]
            if lane["generated"] > lane["delivered"]:
                wanted.add(leg.source)
            if lane["delivered"] > lane["confirmed"]:
                wanted.add(leg.target)
        return wanted

    # --- controls -----------------------------------------------------------------------------
    def control(self, method: str, params: list) -> Any:
        """A dev_relayer* RPC (bridge/control.py): LookupError without a relayer, ValueError for bad params."""
        if self.relayer is None:
            raise LookupError("this network has no bridge (it needs both Bridge Hubs)")
        return control.call(self.relayer, method, params)

    def reset(self) -> None:
        """After a revert: the relayer forgets the calls it planned against the dropped heads."""
        if self.relayer is not None:
            self.relayer.forget_plans()
