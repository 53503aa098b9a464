"""A devnet: the chains of one network in this process, an RPC server per chain, XCM between them.

Everything runs on one asyncio loop thread. Block modes:
  instant  - a chain builds a block per submitted transaction; the XCM messages it sent are then
             delivered and every receiving chain builds blocks until nothing is in flight, all
             before the submitting RPC call returns;
  manual   - blocks only on dev_newBlock; sent messages wait in the receiver's inbox for its next block;
  interval - every chain builds a block every interval_ms; messages as in manual.
Message flow follows the orchestrator contract in xcm/transport.py; with both Bridge Hubs in the
network, bridge/driver.py adds the relayer (its calls run in each chain's next block, a delivery
round steps it) and the relays' Paras.Heads.
"""
from __future__ import annotations

import asyncio
import errno
import itertools
import logging
from dataclasses import dataclass

from ..errors import ChainStartError
from .bridge.driver import BridgeDriver
from .chain import Chain, Snapshot
from .devnet_config import DevnetChainConfig, DevnetConfig, dev_public_key
from .node import Block, RpcFailure
from .rpc import RpcServer, serve
from .rpc.errors import INVALID_PARAMS, METHOD_NOT_FOUND
from .runtime.executive import BlockWork
from .xcm.transport import RELAY, OutboundMessage, deliver, drain_outbox, record_block

log = logging.getLogger(__name__)

CLOSE_SECONDS = 1.0
MAX_DELIVERY_ROUNDS = 64  # a relay -> para -> relay round trip takes 2; more means messages ping-pong forever
RELAYER_SEED = "//Charlie"  # the relayer's signer in the zombienet environment (bridges_polkadot_kusama.sh run_relay)


class NetworkChain(Chain):
    """A chain of a devnet: node.py's snapshot ids are devnet-wide, so these act on every chain at once."""

    def __init__(self, devnet: "Devnet", config: DevnetChainConfig, mode: str):
        self.devnet = devnet
        self.endowed_keys = config.endowed_keys  # read by the genesis, inside Chain.__init__
        super().__init__(config.chain, mode, state_pruning=devnet.config.state_pruning)

    def dev_accounts(self) -> list[bytes]:
        return list(self.endowed_keys)  # derived by devnet_config.py, without importing substrate-interface

    def dev_snapshot(self) -> str:
        return self.devnet.snapshot()

    def dev_revert(self, snapshot_id: str) -> None:
        self.devnet.revert(snapshot_id)

    def dev_relayer(self, method: str, params: list) -> object:
        return self.devnet.relayer_control(method, params)

    def build_block(self, work: BlockWork | None = None,
                    pre_changes: list[tuple[bytes, bytes | None]] = ()) -> Block:
        """Every block carries the bridge's part: a relay's Paras.Heads, the relayer's calls."""
        bridge = self.devnet.bridge
        return super().build_block(bridge.work(self.name, work), [*bridge.para_heads(self.name), *pre_changes])


@dataclass(frozen=True)
class DevnetSnapshot:
    chains: dict[str, Snapshot]
    outboxes: dict[str, list]  # messages sent and not yet delivered (manual and interval modes)
    inboxes: dict[str, list]   # messages delivered and not yet in a block


class Devnet:
    def __init__(self, config: DevnetConfig):
        self.config = config
        self.chains: dict[str, NetworkChain] = {}
        self.servers: dict[str, RpcServer] = {}
        self._paras = {(c.relay, c.para_id): c.name for c in config.chains.values() if c.relay}
        self._snapshots: dict[str, DevnetSnapshot] = {}
        self._snapshot_ids = itertools.count(1)
        self._delivering = False
        self._ticker: asyncio.Task | None = None
        self.bridge = BridgeDriver(self.chains, config.chains, dev_public_key(RELAYER_SEED))

    @classmethod
    async def start(cls, config: DevnetConfig) -> "Devnet":
        """Builds every chain, then listens; raises ChainStartError (nothing left open) if a port is taken."""
        devnet = cls(config)
        mode = config.block_mode
        for name, chain in config.chains.items():
            devnet.chains[name] = NetworkChain(devnet, chain, mode)
            devnet.chains[name].after_block.append(devnet._after_block)
        try:
            for name, chain in config.chains.items():
                devnet.servers[name] = await _listen(devnet.chains[name], chain.port)
        except BaseException:
            await devnet.close()
            raise
        if mode == "interval":
            devnet._ticker = asyncio.create_task(devnet._tick(config.interval_ms / 1000))
        return devnet

    @property
    def endpoints(self) -> dict[str, str]:
        return {name: server.url for name, server in self.servers.items()}

    async def close(self) -> None:
        """Stops listening and closes every connection, waiting at most CLOSE_SECONDS for clients to answer
        the close handshake: a client that is itself being stopped (a harness on Ctrl-C) never answers."""
        if self._ticker:
            self._ticker.cancel()
        closing = [asyncio.create_task(server.close()) for server in self.servers.values()]
        if closing:
            await asyncio.wait(closing, timeout=CLOSE_SECONDS)

    # --- XCM delivery ------------------------------------------------------------------------
    def _after_block(self, chain: Chain, block: Block) -> None:
        record_block(chain.runtime, block.state, block.number)
        self._deliver_round()

    def _deliver_round(self) -> None:
        if self._delivering:  # a delivery round built this block; that round picks up what it sent
            return
        self._delivering = True
        try:
            self._deliver(settle=self.config.block_mode == "instant")
        finally:
            self._delivering = False

    def _deliver(self, settle: bool) -> None:
        """Hands every sent message to its receiver and steps the relayer; with `settle`, builds
        blocks until no message is in flight and the relayer has nothing to do."""
        for _ in range(MAX_DELIVERY_ROUNDS):
            for chain in self.chains.values():
                for message in drain_outbox(chain.runtime):
                    target = self.destination_chain(message)
                    if target is None:
                        log.warning("dropped an XCM message from %s to %s: no such chain in network '%s'",
                                    message.origin, message.destination, self.config.network)
                    else:
                        deliver(self.chains[target].runtime, message.inbound())
            self.bridge.step()
            receiving = [c for c in self.chains.values() if c.runtime.xcm_inbox or self.bridge.wants_block(c.name)]
            if not settle or not receiving:
                return
            for chain in receiving:
                chain.build_block()
        # a bug, not a client's mistake: the RPC layer logs it and answers "Internal error"
        raise RuntimeError(f"XCM messages still in flight after {MAX_DELIVERY_ROUNDS} rounds of blocks")

    def destination_chain(self, message: OutboundMessage) -> str | None:
        """RELAY from a parachain is its relay; ("para", id) is the child (from a relay) or sibling of that id."""
        origin = self.config.chains[message.origin]
        if message.destination == RELAY:
            return origin.relay
        return self._paras.get((origin.relay or origin.name, message.destination[1]))

    # --- interval mode -----------------------------------------------------------------------
    async def _tick(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            for chain in self.chains.values():
                try:
                    chain.build_block()
                except Exception:  # one bad block must not stop block production for good
                    log.exception("building a block on %s failed", chain.name)

    # --- devnet-wide snapshots ---------------------------------------------------------------
    def snapshot(self) -> str:
        snapshot_id = f"devnet-{next(self._snapshot_ids)}"
        self._snapshots[snapshot_id] = DevnetSnapshot(
            {name: chain.snapshot() for name, chain in self.chains.items()},
            {name: list(chain.runtime.xcm_outbox) for name, chain in self.chains.items()},
            {name: list(chain.runtime.xcm_inbox) for name, chain in self.chains.items()})
        return snapshot_id

    def revert(self, snapshot_id: str) -> None:
        """Every chain back to the snapshot. Like evm_revert in hardhat and anvil, this uses the snapshot
        up, and every later one: a run of thousands of scenarios keeps no thousands of snapshots."""
        snap = self._snapshots.get(snapshot_id)
        if snap is None:
            raise RpcFailure(-32602, "Invalid params", f"unknown snapshot {snapshot_id!r}")
        for name, chain in self.chains.items():  # before anything moves: all chains revert or none
            chain.check_kept(snap.chains[name])
        taken = list(self._snapshots)
        for later in taken[taken.index(snapshot_id):]:
            del self._snapshots[later]
        for name, chain in self.chains.items():
            chain.runtime.xcm_outbox[:] = snap.outboxes[name]
            chain.runtime.xcm_inbox[:] = snap.inboxes[name]
            chain.revert(snap.chains[name])
        self.bridge.reset()

    # --- the relayer's dev RPCs (bridge/control.py) ----------------------------------------
    def relayer_control(self, method: str, params: list) -> object:
        """Runs a dev_relayer* RPC, then a delivery round: in instant mode what it unblocks (a
        resume) settles at once."""
        try:
            result = self.bridge.control(method, params)
        except LookupError as exc:
            raise RpcFailure(METHOD_NOT_FOUND, "Method not found", str(exc)) from None
        except ValueError as exc:
            raise RpcFailure(INVALID_PARAMS, "Invalid params", f"{method}: {exc}") from None
        self._deliver_round()
        return result


async def _listen(chain: Chain, port: int) -> RpcServer:
    try:
        return await serve(chain, port)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ChainStartError(f"port {port} for chain '{chain.name}' is in use",
                                  "stop what holds it (another 'harness chains up'?), or drop the fixed port") from None
        raise ChainStartError(f"cannot listen on 127.0.0.1:{port} for chain '{chain.name}': {exc.strerror}",
                              "pick another port, or remove it to get a free one") from None
