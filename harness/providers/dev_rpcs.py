"""Capabilities done with the dev RPCs that chopsticks and the devnet both serve (chopsticks-core's dev
namespace: dev_newBlock, dev_setStorage, dev_setHead), on a network reached through its endpoints."""
from __future__ import annotations

from dataclasses import dataclass

from .base import RunningNetwork
from .capabilities import Capability, Snapshot


@dataclass
class DevStorage:
    network: RunningNetwork

    def write(self, chain: str, items: list[tuple[str, str | None]]) -> None:
        self.network.rpc(chain, "dev_setStorage", [[list(kv) for kv in items]])


@dataclass
class DevBlocks:
    network: RunningNetwork

    def new_block(self, chain: str) -> None:
        self.network.rpc(chain, "dev_newBlock", [{"count": 1}])


@dataclass(eq=False)
class HeadSnapshots:
    """Every chain's head, set back one chain at a time with dev_setHead."""

    network: RunningNetwork

    def take(self) -> Snapshot:
        return Snapshot(self, {chain: self.network.rpc(chain, "chain_getBlockHash", [])
                               for chain in self.network.endpoints})

    def revert(self, snapshot: Snapshot) -> None:
        heads = own_state(self, snapshot)
        # parachains first, so no message from a reverted relay block is replayed into them
        for chain in sorted(heads, key=lambda c: self.network.spec.chains[c].role == "relay"):
            self.network.rpc(chain, "dev_setHead", [heads[chain]])


def own_state(taker: object, snapshot: Snapshot) -> object:
    """What `taker` put in `snapshot`; a token from elsewhere is a harness bug, said plainly."""
    if snapshot.taken_by is not taker:
        raise ValueError("this snapshot was taken on another network")
    return snapshot.state


def dev_capabilities(network: RunningNetwork) -> dict[Capability, object]:
    """Storage writes and block building, which every dev chain serves."""
    return {Capability.STORAGE: DevStorage(network), Capability.BLOCKS: DevBlocks(network)}
