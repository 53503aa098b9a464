"""One emulated chain behind the Node protocol (harness/devnet/node.py): blocks, pool, dev RPCs.

Block production modes:
  "instant"  - a block is built as soon as a valid (ready) extrinsic is submitted;
  "manual"   - blocks come only from dev_new_block / build_block;
  "interval" - the orchestrator calls build_block() on its timer.
Finality: every block is final the moment it is built (finalized head == best head), so a
watcher sees "ready", {"inBlock": h} and {"finalized": h} one after the other.

Hooks for the orchestrator:
  after_block: callables (chain, block) run after each block is imported and announced (e.g. to
    collect the XCM messages the block sent);
  build_block(work=BlockWork(...)): runs message delivery inside the next block, in the FRAME
    phase each part belongs to (see executive.BlockWork);
  snapshot()/revert(token): this chain's head, blocks and pool; dev_snapshot/dev_revert wrap them.
"""
from __future__ import annotations

import asyncio
import bisect
import itertools
import time
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .block_state import as_full, hand_down
from . import upgrades
from .hashing import blake2_256
from .node import Block, RpcFailure, StatusListener
from .runtime import apis
from .runtimes import build_runtime
from .runtime.code import Code, code_in
from .runtime.executive import BlockWork, BuiltBlock, Validity
from .runtime.extrinsic import Extrinsic, TransactionInvalid
from .runtime.frame import State
from .runtime.runtime import ChainConfig
from .scale import ScaleError

FINALITY_LAG_S = 0.1
# A node keeps the state of the last 256 blocks unless told otherwise (sc-cli `--state-pruning`, default
# 256: substrate/client/cli/src/params/pruning_params.rs); older blocks keep header and body only.
STATE_PRUNING = 256

EMPTY_TRIE_ROOT = blake2_256(b"\x00")   # the root of an empty trie: a genesis block's extrinsics_root
MODES = ("instant", "manual", "interval")


@dataclass
class PoolEntry:
    extrinsic: Extrinsic
    validity: Validity
    watcher: StatusListener | None = None


@dataclass(frozen=True)
class Snapshot:
    canonical: tuple[Block, ...]
    pool: tuple[tuple[bytes, PoolEntry], ...]
    timestamp: int


class Chain:
    """Implements node.Node for one runtime built by runtimes.build_runtime."""

    def __init__(self, config: ChainConfig, mode: str = "instant", genesis_timestamp_ms: int | None = None,
                 state_pruning: int = STATE_PRUNING):
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        if state_pruning < 1:
            raise ValueError("state_pruning must keep at least the head's state (1 block)")
        self.state_pruning = state_pruning
        self.config = config
        self.name = config.name
        self.mode = mode
        self.runtime = build_runtime(config)
        self.executive = self.runtime.executive
        self.after_block: list[Callable[["Chain", Block], None]] = []
        self._listeners: dict[str, list] = {"head": [], "finalized": [], "storage": []}
        self._blocks: dict[bytes, Block] = {}
        self._with_state: dict[int, list[Block]] = {}  # block number -> its blocks (any fork) whose state is kept
        self._canonical: list[Block] = []
        self._pool: dict[bytes, PoolEntry] = {}
        self._sorted_keys: dict[bytes, list[bytes]] = {}
        self._snapshots: dict[str, Snapshot] = {}
        self._snapshot_ids = itertools.count(1)
        slot = self.executive.slot_duration
        start = genesis_timestamp_ms if genesis_timestamp_ms is not None else int(time.time() * 1000)
        self._timestamp = start // slot * slot
        self._import(self._genesis(), changes={})

    # --- genesis ---------------------------------------------------------------------------
    def dev_accounts(self) -> list[bytes]:
        from substrateinterface import Keypair
        return [Keypair.create_from_uri(seed).public_key for seed in self.config.endowed]

    def _genesis(self) -> Block:
        state = State()
        ctx = self.runtime.new_ctx(state, 0)
        balances = [(who, self.config.endowment) for who in self.dev_accounts()]
        balances += self.config.extra.get("balances", [])       # accounts the composition funds
        # The live fee sinks (Treasury, collator pot, DAP staging) exist; give them their ED so a
        # small fee can land there instead of being burnt as BelowMinimum.
        fees = self.runtime.pallet("TransactionPayment").FEES
        sink = fees.fee_account if fees.fee_account is not None else fees.treasury_share[0]
        balances.append((sink, self.config.existential_deposit))
        genesis_config = {"balances": balances, **self.config.extra.get("genesis", {})}
        for pallet in self.runtime.pallets:
            pallet.genesis(ctx, genesis_config)
        final = state.flattened()
        header = {"parent_hash": bytes(32), "number": 0,
                  "state_root": blake2_256(b"".join(k + v for k, v in sorted(final.items()))),
                  "extrinsics_root": EMPTY_TRIE_ROOT, "digest": {"logs": []}}
        return self._block(BuiltBlock(0, b"", bytes(32), header, b"", [], final, {}, []))

    def _block(self, built: BuiltBlock) -> Block:
        reg, t = self.runtime.registry, self.runtime.types
        header_bytes = built.header_bytes or reg.encode(t.header, built.header)
        h = built.header
        digest_logs = ["0x" + reg.encode(t.digest_item, item).hex() for item in h["digest"]["logs"]]
        header_json = {"parentHash": "0x" + h["parent_hash"].hex(), "number": hex(h["number"]),
                       "stateRoot": "0x" + h["state_root"].hex(), "extrinsicsRoot": "0x" + h["extrinsics_root"].hex(),
                       "digest": {"logs": digest_logs}}
        return Block(number=h["number"], hash=blake2_256(header_bytes), parent_hash=h["parent_hash"],
                     header=header_bytes, header_json=header_json, extrinsics=list(built.extrinsics),
                     state=built.state, extrinsic_hashes=[blake2_256(x) for x in built.extrinsics])

    # --- Node: system_* --------------------------------------------------------------------
    def system_chain(self) -> str:
        return self.config.chain_name

    def system_name(self) -> str:
        return "Parity Polkadot" if self.config.is_relay else "Polkadot parachain"

    def system_version(self) -> str:
        return "1.19.0-devnet"

    def system_properties(self) -> dict:
        return {"ss58Format": self.config.ss58, "tokenDecimals": self.config.decimals,
                "tokenSymbol": self.config.symbol}

    def account_next_index(self, account_id: bytes) -> int:
        """The state nonce, then past every pooled extrinsic of that sender in sequence."""
        nonce = self.runtime.pallet("System").account.get(State(self.head().state), account_id)["nonce"]
        pooled = {e.validity.nonce for e in self._pool.values() if e.validity.sender == account_id}
        while nonce in pooled:
            nonce += 1
        return nonce

    # --- Node: chain_* ---------------------------------------------------------------------
    def head(self) -> Block:
        return self._canonical[-1]

    def finalized(self) -> Block:
        return self.head()

    def block_by_hash(self, block_hash: bytes) -> Block | None:
        return self._blocks.get(block_hash)

    def block_by_number(self, number: int) -> Block | None:
        return self._canonical[number] if 0 <= number < len(self._canonical) else None

    def _at(self, at: bytes | None) -> Block:
        if at is None:
            return self.head()
        block = self._blocks.get(at)
        if block is None or block.state is None:
            raise _discarded(at)
        return block

    # --- Node: state_* ---------------------------------------------------------------------
    def code(self, block: Block) -> Code:
        """The code a block's state holds (runtime/code.py): what a node would run to answer at that block."""
        return code_in(block.state, self.runtime.genesis_code)

    @contextmanager
    def _running(self, block: Block) -> Iterator[None]:
        """The runtime as the code of `block` (not the head's, after an upgrade), for queries at that block."""
        self.runtime.use_code(self.code(block))
        try:
            yield
        finally:
            self.runtime.use_code(self.code(self.head()))

    def runtime_version(self, at: bytes | None = None) -> dict:
        with self._running(self._at(at)):
            return apis.runtime_version_json(self.runtime)

    def metadata(self, at: bytes | None = None) -> bytes:
        with self._running(self._at(at)):
            return self.runtime.metadata(14)

    def storage(self, key: bytes, at: bytes | None = None) -> bytes | None:
        return self._at(at).state.get(key)

    def keys_paged(self, prefix: bytes, count: int, start_key: bytes | None, at: bytes | None = None) -> list[bytes]:
        block = self._at(at)
        keys = self._sorted_keys.get(block.hash)
        if keys is None:
            keys = self._sorted_keys[block.hash] = sorted(block.state)
        begin = bisect.bisect_right(keys, start_key) if start_key is not None and start_key >= prefix \
            else bisect.bisect_left(keys, prefix)
        out = []
        for key in keys[begin:]:
            if not key.startswith(prefix) or len(out) == count:
                break
            out.append(key)
        return out

    def state_call(self, method: str, data: bytes, at: bytes | None = None) -> bytes:
        block = self._at(at)
        if method not in self.runtime.api_handlers:
            # sc-client: the wasm export is missing (Error::Client(Execution(...)), code 4003 family)
            raise RpcFailure(4003, f"Client error: Execution failed: Other: Exported method {method} is not found")
        try:
            with self._running(block):
                return apis.call(self.runtime, block.state, method, data)
        except (ScaleError, IndexError, ValueError) as failure:
            raise RpcFailure(4003, f"Client error: Execution failed: Execution aborted due to trap: {failure}") \
                from None

    # --- Node: author_* and payment --------------------------------------------------------
    def decode(self, extrinsic: bytes) -> Extrinsic:
        try:
            return self.executive.format.decode(extrinsic)
        except ScaleError as failure:
            # author RPC: Error::Client(codec error) -> BASE_ERROR (1000)
            raise RpcFailure(1000, f"Client error: Could not decode `UncheckedExtrinsic`: {failure}") from None

    def submit(self, extrinsic: bytes, watcher: StatusListener | None = None) -> bytes:
        xt = self.decode(extrinsic)
        if xt.hash in self._pool:
            raise RpcFailure(1013, "Transaction Already Imported", "0x" + xt.hash.hex())
        head = self.head()
        try:
            validity = self.executive.validate_transaction(head.state, head.number, head.hash, xt)
        except TransactionInvalid as why:
            raise why.rpc_failure() from None
        self._pool[xt.hash] = PoolEntry(xt, validity, watcher)
        _notify(watcher, "future" if validity.future else "ready")
        if not validity.future:
            self._promote(validity.sender, validity.nonce + 1)
            if self.mode == "instant":
                self.build_block()
        return xt.hash

    def _promote(self, sender: bytes, nonce: int) -> None:
        """Future extrinsics of `sender` that now follow a ready one without a gap become ready."""
        by_nonce = {e.validity.nonce: e for e in self._pool.values() if e.validity.sender == sender}
        while nonce in by_nonce:
            entry = by_nonce[nonce]
            if entry.validity.future:
                entry.validity = replace(entry.validity, account_nonce=nonce)   # its requirement is met
                _notify(entry.watcher, "ready")
            nonce += 1

    def query_info(self, extrinsic: bytes, at: bytes | None = None) -> dict:
        block = self._at(at)
        xt = self.decode(extrinsic)
        info = self.executive.dispatch_info(xt)
        fee = self.executive.fee(State(block.state), xt, info) if xt.signed else 0
        ref_time, proof_size = info.total_weight
        return {"weight": {"ref_time": ref_time, "proof_size": proof_size},
                "class": info.dispatch_class.lower(), "partialFee": str(fee - (xt.tip if xt.signed else 0))}

    # --- subscriptions ---------------------------------------------------------------------
    def _listen(self, kind: str, listener) -> Callable[[], None]:
        self._listeners[kind].append(listener)

        def remove() -> None:
            if listener in self._listeners[kind]:
                self._listeners[kind].remove(listener)
        return remove

    def on_new_head(self, listener) -> Callable[[], None]:
        return self._listen("head", listener)

    def on_finalized(self, listener) -> Callable[[], None]:
        return self._listen("finalized", listener)

    def on_storage(self, listener) -> Callable[[], None]:
        return self._listen("storage", listener)

    # --- block production ------------------------------------------------------------------
    def build_block(self, work: BlockWork | None = None,
                    pre_changes: list[tuple[bytes, bytes | None]] = ()) -> Block:
        """Builds, imports and finalizes the next block with the ready pool extrinsics."""
        parent = self.head()
        self._timestamp += self.executive.slot_duration
        ready = [e.extrinsic for e in self._ready_in_order(parent)]
        built, refused = self.executive.build(parent.state, parent.number, parent.hash, self._timestamp,
                                              ready, work, pre_changes)
        block = self._block(built)
        included = {a.extrinsic.hash for a in built.applied}
        statuses = []
        for h in included:
            entry = self._pool.pop(h, None)
            if entry is not None:
                statuses.append(entry.watcher)
        for xt, why in refused:
            if why.kind != "Future" or why.unknown:
                entry = self._pool.pop(xt.hash, None)
                if entry is not None:
                    _notify(entry.watcher, "invalid")
        self._import(block, built.changes)
        for watcher in statuses:
            _notify(watcher, {"inBlock": "0x" + block.hash.hex()})
            _notify_later(watcher, {"finalized": "0x" + block.hash.hex()})
        self._revalidate_pool()
        for hook in list(self.after_block):
            hook(self, block)
        return block

    def _ready_in_order(self, parent: Block) -> list[PoolEntry]:
        """Each sender's extrinsics in nonce order from its current nonce, senders by arrival."""
        system = self.runtime.pallet("System")
        state = State(parent.state)
        by_sender: dict[bytes, dict[int, PoolEntry]] = {}
        for entry in self._pool.values():
            by_sender.setdefault(entry.validity.sender, {})[entry.validity.nonce] = entry
        ordered = []
        for sender, entries in by_sender.items():
            nonce = system.account.get(state, sender)["nonce"]
            while nonce in entries:
                ordered.append(entries[nonce])
                nonce += 1
        return ordered

    def _revalidate_pool(self) -> None:
        """Drops what became invalid; a future extrinsic whose gap is filled becomes ready."""
        head = self.head()
        for h, entry in list(self._pool.items()):
            try:
                validity = self.executive.validate_transaction(head.state, head.number, head.hash, entry.extrinsic)
            except TransactionInvalid:
                del self._pool[h]
                _notify(entry.watcher, "invalid")
                continue
            was_future = entry.validity.future
            if not was_future and validity.future:   # still queued behind a ready predecessor
                validity = replace(validity, account_nonce=validity.nonce)
            entry.validity = validity
            if was_future and not validity.future:
                _notify(entry.watcher, "ready")
                self._promote(validity.sender, validity.nonce + 1)
        if self.mode == "instant" and any(not e.validity.future for e in self._pool.values()):
            self.build_block()

    def _import(self, block: Block, changes: dict[bytes, bytes | None]) -> None:
        self._blocks[block.hash] = block
        self._canonical.append(block)
        self._with_state.setdefault(block.number, []).append(block)
        if block.number == 0:
            return
        self._prune(block.number - self.state_pruning)
        self.runtime.use_code(self.code(block))   # a block that changed the code: the next runs the new one
        parent = self._blocks[block.parent_hash]
        changed = {k: v for k, v in changes.items() if parent.state.get(k) != v}
        hand_down(parent, block, changed)
        for listener in list(self._listeners["head"]):
            listener(block)
        for listener in list(self._listeners["finalized"]):
            listener(block)
        for listener in list(self._listeners["storage"]):
            listener(block, changed)

    def _prune(self, below: int) -> None:
        """Discards the state of every block (canonical or not) numbered `below` or lower, as state-db does
        once a block falls out of the window; headers and bodies stay."""
        for number in [n for n in self._with_state if n <= below]:
            for block in self._with_state.pop(number):
                block.state = None
                self._sorted_keys.pop(block.hash, None)

    # --- dev_* -----------------------------------------------------------------------------
    def dev_new_block(self, count: int = 1) -> bytes:
        for _ in range(count):
            self.build_block()
        return self.head().hash

    def dev_set_storage(self, changes: list[tuple[bytes, bytes | None]]) -> bytes:
        """Writes raw keys as the first thing in a new block (built at once, whatever the mode)."""
        return self.build_block(pre_changes=changes).hash

    def dev_set_head(self, target: bytes | int) -> bytes:
        block = self.block_by_number(target) if isinstance(target, int) else self.block_by_hash(target)
        if block is None:
            raise RpcFailure(-32602, "Invalid params", f"no block {target!r}")
        if block.state is None:
            raise _discarded(block.hash)
        while self._canonical[-1].hash != block.hash:
            self._canonical.pop()
            if not self._canonical:   # a block off the canonical chain: rebuild its ancestry
                self._canonical = self._ancestry(block)
                break
        as_full(block)
        self._timestamp = self._block_timestamp(block)
        self.runtime.use_code(self.code(block))
        for listener in list(self._listeners["head"]):
            listener(block)
        for listener in list(self._listeners["finalized"]):
            listener(block)
        return block.hash

    def _ancestry(self, block: Block) -> list[Block]:
        chain = [block]
        while chain[-1].number > 0:
            chain.append(self._blocks[chain[-1].parent_hash])
        return chain[::-1]

    def _block_timestamp(self, block: Block) -> int:
        return self.runtime.pallet("Timestamp").now.get(State(block.state)) or self._timestamp

    def dev_set_spec_version(self, spec_version: int) -> dict:
        return upgrades.set_spec_version(self, spec_version).json()

    def dev_set_xcm_version(self, version: int) -> dict:
        return upgrades.set_xcm_version(self, version).json()

    def snapshot(self) -> Snapshot:
        return Snapshot(tuple(self._canonical), tuple(self._pool.items()), self._timestamp)

    def check_kept(self, snap: Snapshot) -> None:
        """Raises the node's error if the snapshot's head fell out of the state window."""
        if snap.canonical[-1].state is None:
            raise _discarded(snap.canonical[-1].hash)

    def revert(self, snap: Snapshot) -> None:
        self.check_kept(snap)
        self._canonical = list(snap.canonical)
        as_full(self._canonical[-1])
        self._pool = dict(snap.pool)
        self._timestamp = snap.timestamp
        self.runtime.use_code(self.code(self.head()))
        for listener in list(self._listeners["head"]):
            listener(self.head())
        for listener in list(self._listeners["finalized"]):
            listener(self.head())

    def dev_snapshot(self) -> str:
        snapshot_id = f"{self.name}-{next(self._snapshot_ids)}"
        self._snapshots[snapshot_id] = self.snapshot()
        return snapshot_id

    def dev_revert(self, snapshot_id: str) -> None:
        snap = self._snapshots.get(snapshot_id)
        if snap is None:
            raise RpcFailure(-32602, "Invalid params", f"unknown snapshot {snapshot_id!r}")
        self.revert(snap)


def _discarded(block_hash: bytes) -> RpcFailure:
    """What a node answers for the state of a block it pruned or never had: sc-client-db's `state_at` fails with
    UnknownBlock("State already discarded for {hash:?}") (substrate/client/db/src/lib.rs), which the state RPC
    wraps as Error::Client, code 4003 = STATE base 4000 + 3 (substrate/client/rpc-api/src/state/error.rs)."""
    return RpcFailure(4003, f"Client error: UnknownBlock: State already discarded for 0x{block_hash.hex()}")


def _notify_later(watcher: StatusListener | None, status: object) -> None:
    """Finalized follows InBlock after a pause, as GRANDPA's would: @polkadot/api drops the InBlock
    it is still decorating when the next status arrives at once (api/submittable/createClass.js);
    chopsticks waits the same 100 ms (chopsticks-core rpc/substrate/author.js)."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        _notify(watcher, status)
    else:
        loop.call_later(FINALITY_LAG_S, _notify, watcher, status)


def _notify(watcher: StatusListener | None, status: object) -> None:
    if watcher is not None:
        watcher(status)
