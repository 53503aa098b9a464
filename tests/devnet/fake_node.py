"""A tiny in-memory Node (harness/devnet/node.py) for testing the RPC server on its own.

Blocks hold a full copy of the storage dict; hashes are blake2-256 of a made-up header encoding.
Like the real chain it calls listeners synchronously, and with `instant=True` a submitted
extrinsic is included and finalized before submit() returns, so its watcher receives "ready",
"inBlock" and "finalized" before the RPC layer has even sent the subscription id.
"""
from __future__ import annotations

import hashlib
import itertools

from harness.devnet.node import Block, RpcFailure

COUNTER_KEY = b":counter"
BAD_SIGNATURE = b"\xff"   # extrinsics starting with this byte fail validation (BadProof)


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


class FakeNode:
    def __init__(self, name: str = "fake", instant: bool = True):
        self.name = name
        self.instant = instant
        self.spec_version = 1
        self.nonces: dict[bytes, int] = {}
        self.pending: list[tuple[bytes, object]] = []
        self.listeners: dict[str, list] = {"head": [], "finalized": [], "storage": []}
        self._snapshots: dict[str, tuple[list[Block], int]] = {}
        self._snapshot_ids = itertools.count(1)
        genesis = self._block(None, [], {b":code": b"\x00asm", COUNTER_KEY: b"\x00"})
        self.chain: list[Block] = [genesis]      # canonical chain, index = number
        self.by_hash: dict[bytes, Block] = {genesis.hash: genesis}
        self.finalized_number = 0

    # --- test helpers ---

    def _block(self, parent: Block | None, extrinsics: list[bytes], state: dict) -> Block:
        number = 0 if parent is None else parent.number + 1
        parent_hash = bytes(32) if parent is None else parent.hash
        state_root = blake2_256(repr(sorted(state.items())).encode())
        xt_root = blake2_256(b"".join(extrinsics))
        header = parent_hash + number.to_bytes(4, "little") + state_root + xt_root
        return Block(
            number=number, hash=blake2_256(header), parent_hash=parent_hash, header=header,
            header_json={"parentHash": "0x" + parent_hash.hex(), "number": hex(number),
                         "stateRoot": "0x" + state_root.hex(),
                         "extrinsicsRoot": "0x" + xt_root.hex(), "digest": {"logs": []}},
            extrinsics=[len(x).to_bytes(1, "little") + x for x in extrinsics],  # tiny compact len
            state=state, extrinsic_hashes=[blake2_256(x) for x in extrinsics])

    def produce(self, changes: dict[bytes, bytes | None] | None = None,
                extrinsics: list[bytes] | None = None) -> Block:
        """Builds, imports and finalizes one block; bumps the counter key every block."""
        parent = self.chain[-1]
        changes = dict(changes or {})
        counter = parent.state[COUNTER_KEY][0] + 1
        changes[COUNTER_KEY] = bytes([counter % 256])
        state = dict(parent.state)
        for key, value in changes.items():
            if value is None:
                state.pop(key, None)
            else:
                state[key] = value
        block = self._block(parent, extrinsics or [], state)
        self.chain.append(block)
        self.by_hash[block.hash] = block
        self._emit("head", block)
        self._emit("storage", block, changes)
        self.finalized_number = block.number
        self._emit("finalized", block)
        return block

    def _emit(self, kind: str, *args) -> None:
        for listener in list(self.listeners[kind]):
            listener(*args)

    def _listen(self, kind: str, listener):
        self.listeners[kind].append(listener)
        return lambda: self.listeners[kind].remove(listener)

    def _state_at(self, at: bytes | None) -> dict:
        if at is None:
            return self.chain[-1].state
        block = self.by_hash.get(at)
        if block is None:
            raise RpcFailure(4003, f"Client error: UnknownBlock: Header was not found in the "
                                   f"database: 0x{at.hex()}")
        return block.state

    # --- Node ---

    def system_chain(self) -> str:
        return "Fake Chain"

    def system_name(self) -> str:
        return "fake-devnet"

    def system_version(self) -> str:
        return "0.1.0"

    def system_properties(self) -> dict:
        return {"ss58Format": 2, "tokenDecimals": 12, "tokenSymbol": "KSM"}

    def account_next_index(self, account_id: bytes) -> int:
        return self.nonces.get(account_id, 0)

    def head(self) -> Block:
        return self.chain[-1]

    def finalized(self) -> Block:
        return self.chain[self.finalized_number]

    def block_by_hash(self, block_hash: bytes) -> Block | None:
        return self.by_hash.get(block_hash)

    def block_by_number(self, number: int) -> Block | None:
        return self.chain[number] if number < len(self.chain) else None

    def runtime_version(self, at: bytes | None = None) -> dict:
        self._state_at(at)
        return {"specName": "fake", "implName": "fake", "authoringVersion": 0,
                "specVersion": self.spec_version, "implVersion": 0, "apis": [],
                "transactionVersion": 1, "stateVersion": 1}

    def metadata(self, at: bytes | None = None) -> bytes:
        self._state_at(at)
        return b"meta\x0e"

    def storage(self, key: bytes, at: bytes | None = None) -> bytes | None:
        return self._state_at(at).get(key)

    def keys_paged(self, prefix: bytes, count: int, start_key: bytes | None,
                   at: bytes | None = None) -> list[bytes]:
        keys = sorted(k for k in self._state_at(at) if k.startswith(prefix))
        if start_key is not None:
            keys = [k for k in keys if k > start_key]
        return keys[:count]

    def state_call(self, method: str, data: bytes, at: bytes | None = None) -> bytes:
        self._state_at(at)
        if method == "Echo_echo":
            return data
        if method == "Boom_boom":
            raise ZeroDivisionError("the runtime exploded")
        raise RpcFailure(4003, "Client error: Execution failed: Other: Exported method "
                               f"{method} is not found")

    def submit(self, extrinsic: bytes, watcher=None) -> bytes:
        if extrinsic.startswith(BAD_SIGNATURE):
            raise RpcFailure(1010, "Invalid Transaction", "Transaction has a bad signature")
        xt_hash = blake2_256(extrinsic)
        if watcher:
            watcher("ready")
        if self.instant:
            block = self.produce(extrinsics=[extrinsic])
            if watcher:
                watcher({"inBlock": "0x" + block.hash.hex()})
                watcher({"finalized": "0x" + block.hash.hex()})
        else:
            self.pending.append((extrinsic, watcher))
        return xt_hash

    def query_info(self, extrinsic: bytes, at: bytes | None = None) -> dict:
        self._state_at(at)
        return {"weight": {"ref_time": 1000 * len(extrinsic), "proof_size": 0},
                "class": "normal", "partialFee": str(100 * len(extrinsic))}

    def on_new_head(self, listener):
        return self._listen("head", listener)

    def on_finalized(self, listener):
        return self._listen("finalized", listener)

    def on_storage(self, listener):
        return self._listen("storage", listener)

    def dev_new_block(self, count: int = 1) -> bytes:
        for _ in range(count):
            pending, self.pending = self.pending, []
            block = self.produce(extrinsics=[x for x, _ in pending])
            for _, watcher in pending:
                if watcher:
                    watcher({"inBlock": "0x" + block.hash.hex()})
        return self.head().hash

    def dev_set_storage(self, changes: list[tuple[bytes, bytes | None]]) -> bytes:
        head = self.head()
        for key, value in changes:
            if value is None:
                head.state.pop(key, None)
            else:
                head.state[key] = value
        self._emit("storage", head, dict(changes))
        return head.hash

    def dev_set_head(self, target: bytes | int) -> bytes:
        block = self.block_by_hash(target) if isinstance(target, bytes) else \
            self.block_by_number(target)
        if block is None:
            raise RpcFailure(1, "Block not found")
        del self.chain[block.number + 1:]
        self.finalized_number = min(self.finalized_number, block.number)
        self._emit("head", block)
        return block.hash

    def dev_snapshot(self) -> str:
        snapshot_id = f"snap-{next(self._snapshot_ids)}"
        self._snapshots[snapshot_id] = (list(self.chain), self.finalized_number)
        return snapshot_id

    def dev_revert(self, snapshot_id: str) -> None:
        if snapshot_id not in self._snapshots:
            raise RpcFailure(1, f"Unknown snapshot {snapshot_id}")
        chain, self.finalized_number = self._snapshots[snapshot_id]
        self.chain = list(chain)
