"""What the JSON-RPC layer sees of one emulated chain: the node interface.

The RPC server (harness/devnet/rpc) only talks to this interface; the chain (harness/devnet/chain.py)
implements it. Everything here runs on the devnet's single asyncio loop thread, so methods are
plain synchronous calls; listeners are called synchronously after each change.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Protocol


class RpcFailure(Exception):
    """A JSON-RPC error the node wants the client to see, with the node's own code and text.

    Invalid transactions use code 1010 with message "Invalid Transaction" and data such as
    "Transaction has a bad signature" (BadProof), as substrate's author RPC does
    (substrate/client/rpc-api/src/author/error.rs).
    """

    def __init__(self, code: int, message: str, data: object = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.data = data


@dataclass
class Block:
    number: int
    hash: bytes                 # 32 bytes
    parent_hash: bytes
    header: bytes               # SCALE-encoded header
    header_json: dict           # {"parentHash", "number" (hex), "stateRoot", "extrinsicsRoot", "digest": {"logs": [hex]}}
    extrinsics: list[bytes]     # each SCALE-encoded with its compact length prefix, as a node returns them
    state: object = None        # the chain's storage after this block (opaque to the RPC layer)
    extrinsic_hashes: list[bytes] = field(default_factory=list)


# Extrinsic status kinds sent to watchers, in substrate's TransactionStatus JSON form:
#   "ready" | {"inBlock": "0x<block hash>"} | {"finalized": "0x<block hash>"} | "invalid" | "dropped"
StatusListener = Callable[[object], None]
HeadListener = Callable[[Block], None]
StorageListener = Callable[[Block, dict[bytes, bytes | None]], None]  # block, changed keys -> new value


class Node(Protocol):
    name: str                   # "kusama", "kusama-asset-hub", ...

    # system_*
    def system_chain(self) -> str: ...            # e.g. "Kusama" / "Kusama Asset Hub"
    def system_name(self) -> str: ...             # node implementation name
    def system_version(self) -> str: ...
    def system_properties(self) -> dict: ...      # {"ss58Format": 2, "tokenDecimals": 12, "tokenSymbol": "KSM"}
    def account_next_index(self, account_id: bytes) -> int: ...

    # chain_*
    def head(self) -> Block: ...
    def finalized(self) -> Block: ...
    def block_by_hash(self, block_hash: bytes) -> Block | None: ...
    def block_by_number(self, number: int) -> Block | None: ...

    # state_*  (at=None means the best block; unknown hashes raise RpcFailure)
    def runtime_version(self, at: bytes | None = None) -> dict: ...
    def metadata(self, at: bytes | None = None) -> bytes: ...     # V14 bytes, prefixed with b"meta"
    def storage(self, key: bytes, at: bytes | None = None) -> bytes | None: ...
    def keys_paged(self, prefix: bytes, count: int, start_key: bytes | None, at: bytes | None = None) -> list[bytes]: ...
    def state_call(self, method: str, data: bytes, at: bytes | None = None) -> bytes: ...

    # author_* (submit raises RpcFailure 1010/1011/1012 like a node; returns the extrinsic hash)
    def submit(self, extrinsic: bytes, watcher: StatusListener | None = None) -> bytes: ...

    # payment_queryInfo (the RuntimeDispatchInfo JSON: weight, class, partialFee)
    def query_info(self, extrinsic: bytes, at: bytes | None = None) -> dict: ...

    # subscriptions; each returns a function that removes the listener
    def on_new_head(self, listener: HeadListener) -> Callable[[], None]: ...
    def on_finalized(self, listener: HeadListener) -> Callable[[], None]: ...
    def on_storage(self, listener: StorageListener) -> Callable[[], None]: ...

    # dev_* (chopsticks-compatible)
    def dev_new_block(self, count: int = 1) -> bytes: ...           # returns the new head hash
    def dev_set_storage(self, changes: list[tuple[bytes, bytes | None]]) -> bytes: ...
    def dev_set_head(self, target: bytes | int) -> bytes: ...
    def dev_snapshot(self) -> str: ...                               # devnet-wide snapshot id
    def dev_revert(self, snapshot_id: str) -> None: ...
    # the devnet's own: a code change without wasm (harness/devnet/upgrades.py); ValueError when refused
    def dev_set_spec_version(self, spec_version: int) -> dict: ...
    def dev_set_xcm_version(self, version: int) -> dict: ...
