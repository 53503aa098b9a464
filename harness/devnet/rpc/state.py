"""state_*: substrate/client/rpc-api/src/state/mod.rs, substrate/client/rpc/src/state/."""
from __future__ import annotations

import hashlib

from harness.devnet.node import Block, Node, RpcFailure
from harness.devnet.rpc.errors import STATE_INVALID_COUNT, STATE_INVALID_RANGE
from harness.devnet.rpc.method import Context, Namespace, Sink, Start
from harness.devnet.rpc.params import (Params, parse_hash, parse_hex, parse_hex_list, parse_str, parse_u32,
                                       to_hex)

KEYS_PAGED_MAX_COUNT = 1000   # substrate/client/rpc/src/state/mod.rs: STORAGE_KEYS_PAGED_MAX_COUNT

namespace = Namespace()


@namespace.rpc("state_getRuntimeVersion", "at", aliases=("chain_getRuntimeVersion",))
def _state_get_runtime_version(ctx, p):
    return ctx.node.runtime_version(p.at(0))


@namespace.rpc("state_getMetadata", "at")
def _state_get_metadata(ctx, p):
    return to_hex(ctx.node.metadata(p.at(0)))


def _storage(ctx: Context, p: Params) -> bytes | None:
    return ctx.node.storage(p.get(0, parse_hex, required=True), p.at(1))


@namespace.rpc("state_getStorage", "key", "at", aliases=("state_getStorageAt",))
def _state_get_storage(ctx, p):
    value = _storage(ctx, p)
    return None if value is None else to_hex(value)


@namespace.rpc("state_getStorageHash", "key", "at", aliases=("state_getStorageHashAt",))
def _state_get_storage_hash(ctx, p):
    value = _storage(ctx, p)   # the block hasher (blake2-256) of the raw value
    return None if value is None else to_hex(hashlib.blake2b(value, digest_size=32).digest())


@namespace.rpc("state_getStorageSize", "key", "at", aliases=("state_getStorageSizeAt",))
def _state_get_storage_size(ctx, p):
    value = _storage(ctx, p)
    return None if value is None else len(value)


def _change_set(block_hash: bytes, changes: list[tuple[bytes, bytes | None]]) -> dict:
    # sp_core::storage::StorageChangeSet: {"block", "changes": [[key, value|null], ...]}
    return {"block": to_hex(block_hash),
            "changes": [[to_hex(k), None if v is None else to_hex(v)] for k, v in changes]}


@namespace.rpc("state_queryStorageAt", "keys", "at")
def _state_query_storage_at(ctx, p):
    keys = p.get(0, parse_hex_list, required=True)
    at = p.at(1)
    block_hash = at if at is not None else ctx.node.head().hash
    return [_change_set(block_hash, [(k, ctx.node.storage(k, block_hash)) for k in keys])]


@namespace.rpc("state_queryStorage", "keys", "block", "hash")
def _state_query_storage(ctx, p):
    # state_full.rs query_storage: every key at the first block, then only changes, skipping
    # blocks where nothing listed changed.
    keys = p.get(0, parse_hex_list, required=True)
    first = p.get(1, parse_hash, required=True)
    last = p.at(2) or ctx.node.head().hash
    blocks = _range(ctx.node, first, last)
    result, seen = [], {}
    for block_hash in blocks:
        changes = []
        for key in keys:
            value = ctx.node.storage(key, block_hash)
            if key not in seen or seen[key] != value:
                changes.append((key, value))
                seen[key] = value
        if changes:
            result.append(_change_set(block_hash, changes))
    return result


def _range(node: Node, first: bytes, last: bytes) -> list[bytes]:
    """Block hashes from first to last (inclusive), walking parents back from last."""
    start, end = node.block_by_hash(first), node.block_by_hash(last)
    if start is None or end is None or end.number < start.number:
        raise RpcFailure(STATE_INVALID_RANGE, f"Cannot resolve a block range ['{to_hex(first)}' ... "
                                              f"'{to_hex(last)}]. Unknown block or wrong order")
    hashes = [end.hash]
    block = end
    while block.number > start.number:
        block = node.block_by_hash(block.parent_hash)
        if block is None:
            break
        hashes.append(block.hash)
    if hashes[-1] != start.hash:
        raise RpcFailure(STATE_INVALID_RANGE, f"Cannot resolve a block range ['{to_hex(first)}' ... "
                                              f"'{to_hex(last)}]. Blocks are on different forks")
    return hashes[::-1]


@namespace.rpc("state_getKeysPaged", "prefix", "count", "start_key", "hash", aliases=("state_getKeysPagedAt",))
def _state_get_keys_paged(ctx, p):
    prefix = p.get(0, parse_hex) or b""
    count = p.get(1, parse_u32, required=True)
    if count > KEYS_PAGED_MAX_COUNT:
        raise RpcFailure(STATE_INVALID_COUNT, f"count exceeds maximum value. value: {count}, "
                                              f"max: {KEYS_PAGED_MAX_COUNT}")
    keys = ctx.node.keys_paged(prefix, count, p.get(2, parse_hex), p.at(3))
    return [to_hex(k) for k in keys]


def _all_keys(node: Node, prefix: bytes, at: bytes | None) -> list[bytes]:
    keys: list[bytes] = []
    while True:
        page = node.keys_paged(prefix, KEYS_PAGED_MAX_COUNT, keys[-1] if keys else None, at)
        if keys and page and page[0] <= keys[-1]:
            page = [k for k in page if k > keys[-1]]   # a start_key that is inclusive
        keys.extend(page)
        if len(page) < KEYS_PAGED_MAX_COUNT:
            return keys


@namespace.rpc("state_getKeys", "prefix", "hash")
def _state_get_keys(ctx, p):
    return [to_hex(k) for k in _all_keys(ctx.node, p.get(0, parse_hex, required=True), p.at(1))]


@namespace.rpc("state_getPairs", "prefix", "hash")
def _state_get_pairs(ctx, p):
    at = p.at(1)
    keys = _all_keys(ctx.node, p.get(0, parse_hex, required=True), at)
    pairs = ((k, ctx.node.storage(k, at)) for k in keys)
    return [[to_hex(k), to_hex(v)] for k, v in pairs if v is not None]


@namespace.rpc("state_call", "name", "bytes", "hash", aliases=("state_callAt",))
def _state_call(ctx, p):
    name = p.get(0, parse_str, required=True)
    data = p.get(1, parse_hex, required=True)
    return to_hex(ctx.node.state_call(name, data, p.at(2)))


@namespace.subscription(("state_subscribeStorage",), ("state_unsubscribeStorage",), "state_storage", "keys")
def _state_subscribe_storage(ctx: Context, p: Params) -> Start:
    # state_full.rs subscribe_storage: initial values of the listed keys at the best block, then
    # one change set per notification with the listed keys that changed (none sent if none did).
    keys = p.get(0, parse_hex_list)

    def start(sink: Sink):
        node = ctx.node
        if keys is not None:
            best = node.head().hash
            sink.notify(_change_set(best, [(k, node.storage(k, best)) for k in keys]))

        def on_storage(block: Block, changed: dict[bytes, bytes | None]):
            if keys is None:
                picked = sorted(changed.items())
            else:
                picked = [(k, changed[k]) for k in dict.fromkeys(keys) if k in changed]
            if picked:
                sink.notify(_change_set(block.hash, picked))
        return node.on_storage(on_storage)
    return start


@namespace.subscription(("state_subscribeRuntimeVersion", "chain_subscribeRuntimeVersion"),
                        ("state_unsubscribeRuntimeVersion", "chain_unsubscribeRuntimeVersion"),
                        "state_runtimeVersion")
def _state_subscribe_runtime_version(ctx: Context, p: Params) -> Start:
    # state_full.rs subscribe_runtime_version: the current version, then a new one only when a
    # new best block runs a different runtime (after an upgrade).
    def start(sink: Sink):
        last = [ctx.node.runtime_version()]
        sink.notify(last[0])

        def on_head(block: Block):
            version = ctx.node.runtime_version(block.hash)
            if version != last[0]:
                last[0] = version
                sink.notify(version)
        return ctx.node.on_new_head(on_head)
    return start
