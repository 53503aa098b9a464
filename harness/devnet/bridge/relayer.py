"""The devnet's relayer: finality, messages and confirmations between the two Bridge Hubs.

What substrate-relay's `relay-headers-and-messages bridge-hub-kusama-bridge-hub-polkadot` does
(F integration-tests/bridges/environments/polkadot-kusama/bridges_polkadot_kusama.sh), in process:
for each direction, once the source Bridge Hub has messages the target has not received,
  1. import the source relay's block that holds the source Bridge Hub's head (GRANDPA pallet,
     `initialize` the first time), then that head (parachains pallet) at the target;
  2. `receive_messages_proof` with the messages and the outbound lane state read from the source
     Bridge Hub's state at that head;
and once the target received messages the source has not seen confirmed, the same the other way
round, then `receive_messages_delivery_proof` with the target's inbound lane.

The relayer never writes state: `step()` plans calls per chain; the orchestrator runs each chain's
calls inside its next block (`execute(chain, ctx)` from BlockWork.on_initialize), signed by the
relayer account (`initialize` as Root, as `init-bridge` does with sudo on the test networks).
Controls: pause(), resume(), delay(blocks) - a message is relayed only once the source Bridge Hub
has produced `blocks` blocks on top of the one that accepted it - and state().

Halted pallets. substrate-relay's message lane loop of a direction stalls, delivery and confirmation alike,
while its source or its target messages pallet is Basic(Halted) (S bridges/relays/lib-substrate-relay
messages/source.rs + target.rs state(): ensure_messages_pallet_active; RejectingOutboundMessages does not stop
it), and the finality relay waits while the target's GRANDPA pallet is halted (finality/target.rs
ensure_pallet_active). So does this relayer. The parachains relay has no such check (parachains/target.rs):
its submissions just fail while the target's parachains pallet is halted. Here it waits instead, since a
call planned into a halted pallet would fail in every block the settle loop builds; so those failed
transactions are not recorded (docs/devnet.md).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..hashing import blake2_256
from ..runtime.frame import Ctx, DispatchError, Origin
from . import lanes
from ..paras import BRIDGE_HUB_ID
from .constants import LEGACY_LANE, SIDES
from .finality import paras_heads_key
from .proofs import make_proof

# enough for MAX_UNCONFIRMED_MESSAGES messages of the emulated dispatch weight
DISPATCH_WEIGHT = {"ref_time": 2 ** 63, "proof_size": 2 ** 63}


class ChainView(Protocol):
    """What the relayer reads of a chain: chain.Chain satisfies it (head(), block_by_hash(), runtime)."""

    runtime: Any

    def head(self) -> Any: ...                         # node.Block: number, hash, header bytes, state dict
    def block_by_hash(self, block_hash: bytes) -> Any: ...


@dataclass(frozen=True)
class Leg:
    """One direction: messages from `source` (a Bridge Hub on `source_relay`) to `target` (on
    `target_relay`); confirmations travel back the other way."""

    source: str
    source_relay: str
    target: str
    target_relay: str
    network: str          # the source's network

    @property
    def bridged_network(self) -> str:
        return SIDES[self.network].bridged_network


@dataclass
class RelayerStatus:
    paused: bool
    delay_blocks: int
    # per direction ("Kusama->Polkadot"): nonces generated / delivered / confirmed
    lanes: dict[str, dict[str, int]] = field(default_factory=dict)
    calls_planned: int = 0
    failures: list[str] = field(default_factory=list)


class Relayer:
    def __init__(self, chains: dict[str, ChainView], account: bytes, legs: list[Leg] | None = None,
                 lane: bytes = LEGACY_LANE):
        """chains by name; legs default to both directions between bridge-hub-kusama and
        bridge-hub-polkadot (on relays kusama / polkadot)."""
        self.chains = chains
        self.account = account
        self.lane = lane
        self.legs = legs if legs is not None else [
            Leg("bridge-hub-kusama", "kusama", "bridge-hub-polkadot", "polkadot", "Kusama"),
            Leg("bridge-hub-polkadot", "polkadot", "bridge-hub-kusama", "kusama", "Polkadot")]
        self.paused = False
        self.delay_blocks = 0
        self.failures: list[str] = []
        self._planned: dict[str, list[tuple[dict, Origin]]] = {}
        self._accepted_at: dict[tuple[str, int], int] = {}     # (source, nonce) -> source block seen

    # --- controls (dev_relayerPause / dev_relayerResume / dev_relayerDelay / dev_relayerState) ---
    def pause(self) -> None:
        self.paused = True

    def resume(self) -> None:
        self.paused = False

    def delay(self, blocks: int) -> None:
        if blocks < 0:
            raise ValueError("the delay is a number of blocks, at least 0")
        self.delay_blocks = blocks

    def forget_plans(self) -> None:
        """Drop the planned calls and acceptance marks (the heads they were planned at are gone)."""
        self._planned.clear()
        self._accepted_at.clear()

    def state(self) -> RelayerStatus:
        status = RelayerStatus(self.paused, self.delay_blocks, calls_planned=sum(map(len, self._planned.values())),
                               failures=list(self.failures))
        for leg in self.legs:
            out = self._outbound(leg) or {}
            inbound = self._inbound(leg)
            status.lanes[f"{leg.network}->{leg.bridged_network}"] = {
                "generated": out.get("latest_generated_nonce", 0),
                "delivered": lanes.last_delivered_nonce(inbound) if inbound else 0,
                "confirmed": out.get("latest_received_nonce", 0)}
        return status

    # --- planning ------------------------------------------------------------------------
    def step(self) -> dict[str, int]:
        """Plans the calls the current heads call for; returns how many per chain."""
        if self.paused:
            return {}
        for leg in self.legs:
            if self._lane_halted(leg):
                continue  # the direction's lane loop stalls, delivery and confirmation alike
            self._plan_delivery(leg)
            self._plan_confirmation(leg)
        return {name: len(calls) for name, calls in self._planned.items() if calls}

    def has_work(self, chain: str) -> bool:
        return bool(self._planned.get(chain))

    def execute(self, chain: str, ctx: Ctx) -> None:
        """Runs the calls planned for `chain` inside its block (each one transactional)."""
        runtime = self.chains[chain].runtime
        for call, origin in self._planned.pop(chain, []):
            try:
                runtime.dispatch(ctx, origin, call)
            except DispatchError as exc:
                self.failures.append(f"{chain}: {exc.label}")

    def _queue(self, chain: str, pallet: str, name: str, args: dict, root: bool = False) -> None:
        origin = Origin("root") if root else Origin.signed(self.account)
        self._planned.setdefault(chain, []).append(({pallet: {name: args}}, origin))

    def _plan_delivery(self, leg: Leg) -> None:
        side = SIDES[leg.network]
        out = self._outbound(leg)
        inbound = self._inbound(leg)
        if out is None or inbound is None:
            return
        source_head = self.chains[leg.source].head()
        pending = range(lanes.last_delivered_nonce(inbound) + 1, out["latest_generated_nonce"] + 1)
        for nonce in pending:
            self._accepted_at.setdefault((leg.source, nonce), source_head.number)
        ready = [n for n in pending if source_head.number - self._accepted_at[(leg.source, n)] >= self.delay_blocks]
        if not ready or self._planned.get(leg.target):
            return
        proved = self._proved(leg.source_relay, leg.target, SIDES[leg.bridged_network], leg.source, side)
        if proved is None:
            return
        head, messages, state = proved
        pairs = []
        for nonce in ready:
            key = messages.messages.key({"lane_id": self.lane, "nonce": nonce})
            if key not in state:
                break     # not yet in the proved head
            pairs.append((key, state[key]))
        if not pairs:
            return
        lane_key = messages.outbound.key(self.lane)
        pairs.append((lane_key, state[lane_key]))
        start = ready[0]
        self._queue(leg.target, SIDES[leg.bridged_network].messages, "receive_messages_proof", {
            "relayer_id_at_bridged_chain": self.account,
            "proof": {"bridged_header_hash": head, "storage_proof": make_proof(pairs), "lane": self.lane,
                      "nonces_start": start, "nonces_end": start + len(pairs) - 2},
            "messages_count": len(pairs) - 1, "dispatch_weight": DISPATCH_WEIGHT})

    def _plan_confirmation(self, leg: Leg) -> None:
        out = self._outbound(leg)
        inbound = self._inbound(leg)
        if out is None or inbound is None or self._planned.get(leg.source):
            return
        if lanes.last_delivered_nonce(inbound) <= out["latest_received_nonce"]:
            return
        target_side = SIDES[leg.bridged_network]
        proved = self._proved(leg.target_relay, leg.source, SIDES[leg.network], leg.target, target_side)
        if proved is None:
            return
        head, messages, state = proved
        key = messages.inbound.key(self.lane)
        if key not in state:
            return
        proved = messages.reg.decode(messages.bt.stored_inbound_lane_data, state[key])
        if lanes.last_delivered_nonce(proved) <= out["latest_received_nonce"]:
            return
        self._queue(leg.source, SIDES[leg.network].messages, "receive_messages_delivery_proof", {
            "proof": {"bridged_header_hash": head, "storage_proof": make_proof([(key, state[key])]), "lane": self.lane},
            "relayers_state": lanes.relayers_state(proved)})

    def _proved(self, relay: str, at: str, at_side, hub: str, hub_side):
        """Plans the finality imports at `at` that prove `hub`'s head (included by `relay`); returns that head,
        `hub`'s messages pallet and its state there, or None while there is no head to prove."""
        head = self._import_finality(relay, at, at_side)
        if head is None:
            return None
        return head, self.chains[hub].runtime.pallet(hub_side.messages), self.chains[hub].block_by_hash(head).state

    def _import_finality(self, relay: str, target: str, target_side) -> bytes | None:
        """Plans the GRANDPA and parachain-head imports at `target` that prove the head of the
        Bridge Hub included by `relay`; returns that head's hash (None while the relay holds none)."""
        relay_chain = self.chains[relay]
        relay_head = relay_chain.head()
        head_data = relay_head.state.get(paras_heads_key(BRIDGE_HUB_ID))
        if head_data is None:
            return None
        relay_rt = relay_chain.runtime
        target_rt = self.chains[target].runtime
        target_state = self.chains[target].head().state
        para_head = relay_rt.registry.decode(relay_rt.types.bytes, head_data)
        para_hash = blake2_256(para_head)
        parachains = target_rt.pallet(target_side.parachains)
        if self._halted(target, target_side.grandpa) or self._halted(target, target_side.parachains):
            return None
        if parachains.para_head(_StateView(target_state), BRIDGE_HUB_ID, para_hash) is not None:
            return para_hash
        grandpa = target_rt.pallet(target_side.grandpa)
        header = relay_rt.registry.decode(relay_rt.types.header, relay_head.header)
        best = grandpa.best_finalized(_StateView(target_state))
        if best is None:
            self._queue(target, target_side.grandpa, "initialize", {"init_data": {
                "header": header, "authority_list": [], "set_id": 0, "operating_mode": "Normal"}}, root=True)
        elif best[0] < relay_head.number:
            self._queue(target, target_side.grandpa, "submit_finality_proof_ex", {
                "finality_target": header, "justification": {
                    "round": 0, "commit": {"target_hash": relay_head.hash, "target_number": relay_head.number,
                                           "precommits": []},
                    "votes_ancestries": []},
                "current_set_id": 0, "is_free_execution_expected": False})
        elif best[1] != relay_head.hash:
            return None
        self._queue(target, target_side.parachains, "submit_parachain_heads_ex", {
            "at_relay_block": [relay_head.number, relay_head.hash], "parachains": [[BRIDGE_HUB_ID, para_hash]],
            "parachain_heads_proof": {"storage_proof": make_proof([(paras_heads_key(BRIDGE_HUB_ID), head_data)])},
            "is_free_execution_expected": False})
        return para_hash

    # --- reading lanes ------------------------------------------------------------------------
    def _lane_halted(self, leg: Leg) -> bool:
        return self._halted(leg.source, SIDES[leg.network].messages) or \
            self._halted(leg.target, SIDES[leg.bridged_network].messages)

    def _halted(self, chain: str, pallet_name: str) -> bool:
        pallet = self.chains[chain].runtime.pallet(pallet_name)
        return pallet.operating_mode.get(_StateView(self.chains[chain].head().state)) == pallet.HALTED

    def _outbound(self, leg: Leg) -> dict | None:
        messages = self.chains[leg.source].runtime.pallet(SIDES[leg.network].messages)
        return messages.outbound.get(_StateView(self.chains[leg.source].head().state), self.lane)

    def _inbound(self, leg: Leg) -> dict | None:
        messages = self.chains[leg.target].runtime.pallet(SIDES[leg.bridged_network].messages)
        return messages.inbound.get(_StateView(self.chains[leg.target].head().state), self.lane)


class _StateView:
    """A block's flattened state as the read side of frame.State."""

    def __init__(self, flat: dict[bytes, bytes]):
        self.flat = flat

    def get(self, key: bytes) -> bytes | None:
        return self.flat.get(key)
