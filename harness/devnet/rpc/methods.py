"""The JSON-RPC method table: each Substrate method name mapped to calls on one Node.

Handlers are plain synchronous functions (the node runs on the devnet's single loop thread). They
validate their params strictly and raise RpcFailure for every error a client should see; the
server turns any other exception into -32603. Result shapes follow the Substrate RPC API traits
cited at each group, so unmodified clients (substrate-interface, @polkadot/api) accept them.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any, Callable, Protocol

from harness.devnet.bridge.control import METHODS as RELAYER_METHODS
from harness.devnet.node import Block, Node, RpcFailure

# JSON-RPC 2.0 error codes, with the messages jsonrpsee (Substrate's RPC server) uses.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
OVERSIZED_REQUEST = -32007   # jsonrpsee types/src/error.rs: OVERSIZED_REQUEST_CODE

# Substrate's per-module error bases (substrate/client/rpc-api/src/error.rs).
CHAIN_ERROR_OTHER = 3001      # chain/error.rs: Error::Other
STATE_INVALID_RANGE = 4001    # state/error.rs: InvalidBlockRange
STATE_INVALID_COUNT = 4002    # state/error.rs: InvalidCount
KEYS_PAGED_MAX_COUNT = 1000   # substrate/client/rpc/src/state/mod.rs: STORAGE_KEYS_PAGED_MAX_COUNT
U32_MAX = 0xFFFF_FFFF


def invalid_params(detail: str) -> RpcFailure:
    # jsonrpsee puts the fixed text in message and the detail in data.
    return RpcFailure(INVALID_PARAMS, "Invalid params", detail)


# ---------------------------------------------------------------------------------------------
# Param parsing: strict, so that a client bug shows up as -32602 instead of a wrong answer.

# impl-serde's from_hex (serialize.rs) takes the 0x prefix as optional and an odd digit count
_HEX_RE = re.compile(r"(?:0x)?[0-9a-fA-F]*")
_HEX_NUMBER_RE = re.compile(r"0x[0-9a-fA-F]{1,64}")


def to_hex(data: bytes) -> str:
    return "0x" + data.hex()


def parse_hex(value: object, name: str = "value") -> bytes:
    """Hex -> bytes as a node reads sp_core::Bytes: '0x' optional, an odd count padded on the left."""
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected a hex string, got {type(value).__name__}")
    if not _HEX_RE.fullmatch(value):
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise invalid_params(f"{name}: not hex: {shown!r}")
    digits = value[2:] if value.startswith("0x") else value
    return bytes.fromhex(digits if len(digits) % 2 == 0 else "0" + digits)


def parse_hash(value: object, name: str = "hash") -> bytes:
    data = parse_hex(value, name)
    if len(data) != 32:
        raise invalid_params(f"{name}: expected a 32-byte hash, got {len(data)} bytes")
    return data


def parse_number_or_hex(value: object, name: str = "number") -> int:
    """sp_rpc::number::NumberOrHex: a JSON integer or a 0x hex string (any length up to U256)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise invalid_params(f"{name}: expected a block number or 0x hex number")
    if isinstance(value, str):
        if not _HEX_NUMBER_RE.fullmatch(value):
            raise invalid_params(f"{name}: not a 0x hex number: {value[:80]!r}")
        value = int(value, 16)
    if value < 0:
        raise invalid_params(f"{name}: block numbers are unsigned, got {value}")
    return value


def parse_u32(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= U32_MAX:
        raise invalid_params(f"{name}: expected an unsigned 32-bit integer, got {value!r}")
    return value


def parse_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected a string, got {type(value).__name__}")
    return value


def parse_list(value: object, name: str, item: Callable[[object, str], Any]) -> list:
    if not isinstance(value, list):
        raise invalid_params(f"{name}: expected a list, got {type(value).__name__}")
    return [item(v, f"{name}[{i}]") for i, v in enumerate(value)]


def parse_subscription_id(value: object, name: str = "subscription") -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise invalid_params(f"{name}: expected a subscription id")
    return str(value)


_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        digit = _B58.find(ch)
        if digit < 0:
            raise ValueError(f"invalid base58 character {ch!r}")
        n = n * 58 + digit
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def ss58_decode(address: str) -> bytes:
    """SS58 address (any network prefix) -> 32-byte account id.

    Format (sp-core crypto.rs, Ss58Codec): prefix (1 byte for 0..63, 2 bytes for 64..16383),
    payload, then the first 2 bytes of blake2b-512(b"SS58PRE" + prefix + payload).
    """
    raw = b58decode(address)
    if not raw:
        raise ValueError("empty address")
    prefix_len = 2 if raw[0] & 0b0100_0000 else 1
    if raw[0] >= 128:
        raise ValueError("reserved ss58 prefix byte")
    if len(raw) != prefix_len + 32 + 2:
        raise ValueError(f"expected a 32-byte account id, got {len(raw) - prefix_len - 2} bytes")
    checksum = hashlib.blake2b(b"SS58PRE" + raw[:-2], digest_size=64).digest()[:2]
    if checksum != raw[-2:]:
        raise ValueError("invalid ss58 checksum")
    return raw[prefix_len:-2]


def parse_account(value: object, name: str = "account") -> bytes:
    """AccountId32 from an ss58 address (any prefix) or 0x hex of 32 bytes."""
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected an ss58 address or 0x hex account id")
    if value.startswith("0x"):
        account = parse_hex(value, name)
        if len(account) != 32:
            raise invalid_params(f"{name}: expected 32 bytes, got {len(account)}")
        return account
    try:
        return ss58_decode(value)
    except ValueError as e:
        raise invalid_params(f"{name}: invalid ss58 address {value[:80]!r}: {e}") from None


class Params:
    """A request's params: positional list, named object (jsonrpsee accepts both) or absent."""

    def __init__(self, raw: object, names: tuple[str, ...]):
        if raw is None:
            items: list = []
        elif isinstance(raw, list):
            items = raw
        elif isinstance(raw, dict):
            unknown = sorted(set(raw) - set(names))
            if unknown:
                raise invalid_params(f"unknown named params {unknown}; expected {list(names)}")
            items = [raw.get(n) for n in names]
        else:
            raise invalid_params("params must be a list or an object")
        if len(items) > len(names):
            raise invalid_params(f"expected at most {len(names)} params {list(names)}, got {len(items)}")
        self._items = items
        self._names = names

    def values(self) -> list:
        """The params as given, positionally (for methods that check them themselves)."""
        return list(self._items)

    def get(self, index: int, parse: Callable[[object, str], Any], required: bool = False) -> Any:
        name = self._names[index]
        value = self._items[index] if index < len(self._items) else None
        if value is None:
            if required:
                raise invalid_params(f"missing required param {index} ({name})")
            return None
        return parse(value, name)


# ---------------------------------------------------------------------------------------------
# Subscriptions: the server side (one per connection) implements these.

class Sink(Protocol):
    def notify(self, result: object) -> None: ...   # queued until the subscribe reply is out
    def end(self) -> None: ...                       # server-side end (e.g. final tx status)


Start = Callable[[Sink], Callable[[], None] | None]   # registers listeners, returns their remover


class Session(Protocol):
    def subscribe(self, kind: "SubscriptionKind", start: Start) -> str: ...
    def unsubscribe(self, kind: "SubscriptionKind", sub_id: str) -> bool: ...


@dataclass(frozen=True)
class SubscriptionKind:
    notification: str                  # the "method" of each notification
    unsubscribe: tuple[str, ...]       # unsubscribe method and its aliases


@dataclass
class Context:
    node: Node
    session: Session


# ---------------------------------------------------------------------------------------------
# The table.

@dataclass(frozen=True)
class Method:
    name: str
    handler: Callable[[Context, Params], Any]
    params: tuple[str, ...]


METHODS: dict[str, Method] = {}


def rpc(name: str, *params: str, aliases: tuple[str, ...] = ()):
    def register(handler):
        for n in (name, *aliases):
            METHODS[n] = Method(n, handler, params)
        return handler
    return register


def call(ctx: Context, name: str, raw_params: object) -> object:
    method = METHODS.get(name)
    if method is None:
        raise RpcFailure(METHOD_NOT_FOUND, "Method not found")
    return method.handler(ctx, Params(raw_params, method.params))


def method_names() -> list[str]:
    return sorted(METHODS)


def _at(p: Params, index: int) -> bytes | None:
    return p.get(index, parse_hash)


# rpc_methods: substrate/client/service/src/builder.rs (gen_rpc_module) -> {"methods": [sorted]}
@rpc("rpc_methods")
def _rpc_methods(ctx: Context, p: Params):
    return {"methods": method_names()}


# --- system_*: substrate/client/rpc-api/src/system/mod.rs, helpers.rs (Health, NodeRole) ------

def _constant(name: str, value: object) -> None:
    rpc(name)(lambda ctx, p: value)


def _passthrough(name: str, node_method: str) -> None:
    rpc(name)(lambda ctx, p: getattr(ctx.node, node_method)())


for _name in ("system_chain", "system_name", "system_version", "system_properties"):
    _passthrough(_name, _name)
_constant("system_chainType", "Development")   # sc_chain_spec::ChainType: the variant name
_constant("system_health", {"peers": 0, "isSyncing": False, "shouldHavePeers": False})
_constant("system_nodeRoles", ["Authority"])
_constant("system_peers", [])
_constant("system_reservedPeers", [])


def local_peer_id(node: Node) -> str:
    """A well-formed libp2p ed25519 PeerId (identity multihash of the protobuf public key),
    derived from the chain name so it is stable across runs; the key itself is made up."""
    key = hashlib.blake2b(f"devnet-peer:{node.name}".encode(), digest_size=32).digest()
    return b58encode(bytes([0x00, 0x24, 0x08, 0x01, 0x12, 0x20]) + key)


@rpc("system_localPeerId")
def _system_local_peer_id(ctx, p):
    return local_peer_id(ctx.node)


@rpc("system_localListenAddresses")
def _system_local_listen_addresses(ctx, p):
    return [f"/ip4/127.0.0.1/tcp/30333/p2p/{local_peer_id(ctx.node)}"]


@rpc("system_syncState")
def _system_sync_state(ctx, p):
    best = ctx.node.head().number
    return {"startingBlock": 0, "currentBlock": best, "highestBlock": best}


# substrate/utils/frame/rpc/system/src/lib.rs: nonce as a JSON number
@rpc("system_accountNextIndex", "account", aliases=("account_nextIndex",))
def _system_account_next_index(ctx, p):
    return ctx.node.account_next_index(p.get(0, parse_account, required=True))


# Same file: dry_run runs BlockBuilder_apply_extrinsic and returns the SCALE ApplyExtrinsicResult.
@rpc("system_dryRun", "extrinsic", "at", aliases=("system_dryRunAt",))
def _system_dry_run(ctx, p):
    xt = p.get(0, parse_hex, required=True)
    return to_hex(ctx.node.state_call("BlockBuilder_apply_extrinsic", xt, _at(p, 1)))


# --- chain_*: substrate/client/rpc-api/src/chain/mod.rs, substrate/client/rpc/src/chain/mod.rs --

def _block_hash(node: Node, value: object, name: str) -> str | None:
    number = parse_number_or_hex(value, name)
    if number > U32_MAX:
        # chain/mod.rs block_hash: the database keys blocks by u32
        raise RpcFailure(CHAIN_ERROR_OTHER, f"`{value}` > u32::MAX, the max block number is u32.")
    block = node.block_by_number(number)
    return to_hex(block.hash) if block else None


@rpc("chain_getBlockHash", "hash", aliases=("chain_getHead",))
def _chain_get_block_hash(ctx, p):
    raw = p.get(0, lambda v, n: v)   # ListOrValue<NumberOrHex>
    if raw is None:
        return to_hex(ctx.node.head().hash)
    if isinstance(raw, list):
        return [_block_hash(ctx.node, v, f"hash[{i}]") for i, v in enumerate(raw)]
    return _block_hash(ctx.node, raw, "hash")


def _block_at(node: Node, at: bytes | None) -> Block | None:
    return node.head() if at is None else node.block_by_hash(at)


@rpc("chain_getHeader", "hash")
def _chain_get_header(ctx, p):
    block = _block_at(ctx.node, _at(p, 0))
    return block.header_json if block else None   # unknown hash -> null, as a node answers


@rpc("chain_getBlock", "hash")
def _chain_get_block(ctx, p):
    # sp_runtime::generic::SignedBlock: {"block": {"header", "extrinsics"}, "justifications"}
    block = _block_at(ctx.node, _at(p, 0))
    if block is None:
        return None
    return {
        "block": {"header": block.header_json, "extrinsics": [to_hex(x) for x in block.extrinsics]},
        "justifications": None,
    }


@rpc("chain_getFinalizedHead", aliases=("chain_getFinalisedHead",))
def _chain_get_finalized_head(ctx, p):
    return to_hex(ctx.node.finalized().hash)


def subscription(subscribe: tuple[str, ...], unsubscribe: tuple[str, ...], notification: str,
                 *params: str):
    """Registers a subscribe handler under all its names, plus the generic unsubscribe."""
    kind = SubscriptionKind(notification, unsubscribe)

    def register(make_start: Callable[[Context, Params], Start]):
        def handler(ctx: Context, p: Params) -> str:
            return ctx.session.subscribe(kind, make_start(ctx, p))
        for name in subscribe:
            METHODS[name] = Method(name, handler, params)
        for name in unsubscribe:
            METHODS[name] = Method(name, _unsubscribe(kind), ("subscription",))
        return make_start
    return register


def _unsubscribe(kind: SubscriptionKind):
    def handler(ctx: Context, p: Params) -> bool:
        # jsonrpsee answers false for an id it does not know (or of another subscription kind)
        return ctx.session.unsubscribe(kind, p.get(0, parse_subscription_id, required=True))
    return handler


def _head_start(current: Callable[[Node], Block], listen: str):
    # substrate/client/rpc/src/chain/chain_full.rs subscribe_headers: current header first,
    # then one per notification.
    def make_start(ctx: Context, p: Params) -> Start:
        def start(sink: Sink):
            sink.notify(current(ctx.node).header_json)
            return getattr(ctx.node, listen)(lambda block: sink.notify(block.header_json))
        return start
    return make_start


subscription(("chain_subscribeNewHeads", "chain_subscribeNewHead", "subscribe_newHead"),
             ("chain_unsubscribeNewHeads", "chain_unsubscribeNewHead", "unsubscribe_newHead"),
             "chain_newHead")(_head_start(lambda n: n.head(), "on_new_head"))
subscription(("chain_subscribeAllHeads",), ("chain_unsubscribeAllHeads",),
             "chain_allHead")(_head_start(lambda n: n.head(), "on_new_head"))
subscription(("chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads"),
             ("chain_unsubscribeFinalizedHeads", "chain_unsubscribeFinalisedHeads"),
             "chain_finalizedHead")(_head_start(lambda n: n.finalized(), "on_finalized"))


# --- state_*: substrate/client/rpc-api/src/state/mod.rs, substrate/client/rpc/src/state/ -------

@rpc("state_getRuntimeVersion", "at", aliases=("chain_getRuntimeVersion",))
def _state_get_runtime_version(ctx, p):
    return ctx.node.runtime_version(_at(p, 0))


@rpc("state_getMetadata", "at")
def _state_get_metadata(ctx, p):
    return to_hex(ctx.node.metadata(_at(p, 0)))


def _storage(ctx: Context, p: Params) -> bytes | None:
    return ctx.node.storage(p.get(0, parse_hex, required=True), _at(p, 1))


@rpc("state_getStorage", "key", "at", aliases=("state_getStorageAt",))
def _state_get_storage(ctx, p):
    value = _storage(ctx, p)
    return None if value is None else to_hex(value)


@rpc("state_getStorageHash", "key", "at", aliases=("state_getStorageHashAt",))
def _state_get_storage_hash(ctx, p):
    value = _storage(ctx, p)   # the block hasher (blake2-256) of the raw value
    return None if value is None else to_hex(hashlib.blake2b(value, digest_size=32).digest())


@rpc("state_getStorageSize", "key", "at", aliases=("state_getStorageSizeAt",))
def _state_get_storage_size(ctx, p):
    value = _storage(ctx, p)
    return None if value is None else len(value)


def _change_set(block_hash: bytes, changes: list[tuple[bytes, bytes | None]]) -> dict:
    # sp_core::storage::StorageChangeSet: {"block", "changes": [[key, value|null], ...]}
    return {"block": to_hex(block_hash),
            "changes": [[to_hex(k), None if v is None else to_hex(v)] for k, v in changes]}


@rpc("state_queryStorageAt", "keys", "at")
def _state_query_storage_at(ctx, p):
    keys = p.get(0, lambda v, n: parse_list(v, n, parse_hex), required=True)
    at = _at(p, 1)
    block_hash = at if at is not None else ctx.node.head().hash
    return [_change_set(block_hash, [(k, ctx.node.storage(k, block_hash)) for k in keys])]


@rpc("state_queryStorage", "keys", "block", "hash")
def _state_query_storage(ctx, p):
    # state_full.rs query_storage: every key at the first block, then only changes, skipping
    # blocks where nothing listed changed.
    keys = p.get(0, lambda v, n: parse_list(v, n, parse_hex), required=True)
    first = p.get(1, parse_hash, required=True)
    last = _at(p, 2) or ctx.node.head().hash
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


@rpc("state_getKeysPaged", "prefix", "count", "start_key", "hash", aliases=("state_getKeysPagedAt",))
def _state_get_keys_paged(ctx, p):
    prefix = p.get(0, parse_hex) or b""
    count = p.get(1, parse_u32, required=True)
    if count > KEYS_PAGED_MAX_COUNT:
        raise RpcFailure(STATE_INVALID_COUNT, f"count exceeds maximum value. value: {count}, "
                                              f"max: {KEYS_PAGED_MAX_COUNT}")
    keys = ctx.node.keys_paged(prefix, count, p.get(2, parse_hex), _at(p, 3))
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


@rpc("state_getKeys", "prefix", "hash")
def _state_get_keys(ctx, p):
    return [to_hex(k) for k in _all_keys(ctx.node, p.get(0, parse_hex, required=True), _at(p, 1))]


@rpc("state_getPairs", "prefix", "hash")
def _state_get_pairs(ctx, p):
    at = _at(p, 1)
    keys = _all_keys(ctx.node, p.get(0, parse_hex, required=True), at)
    pairs = ((k, ctx.node.storage(k, at)) for k in keys)
    return [[to_hex(k), to_hex(v)] for k, v in pairs if v is not None]


@rpc("state_call", "name", "bytes", "hash", aliases=("state_callAt",))
def _state_call(ctx, p):
    name = p.get(0, parse_str, required=True)
    data = p.get(1, parse_hex, required=True)
    return to_hex(ctx.node.state_call(name, data, _at(p, 2)))


@subscription(("state_subscribeStorage",), ("state_unsubscribeStorage",), "state_storage", "keys")
def _state_subscribe_storage(ctx: Context, p: Params) -> Start:
    # state_full.rs subscribe_storage: initial values of the listed keys at the best block, then
    # one change set per notification with the listed keys that changed (none sent if none did).
    keys = p.get(0, lambda v, n: parse_list(v, n, parse_hex))

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


@subscription(("state_subscribeRuntimeVersion", "chain_subscribeRuntimeVersion"),
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


# --- author_*: substrate/client/rpc-api/src/author/mod.rs; statuses are
# sc_transaction_pool_api::TransactionStatus JSON (substrate/client/transaction-pool/api/src/lib.rs)

FINAL_TX_STATUSES = {"finalized", "usurped", "dropped", "invalid", "finalityTimeout"}


@rpc("author_submitExtrinsic", "extrinsic")
def _author_submit_extrinsic(ctx, p):
    return to_hex(ctx.node.submit(p.get(0, parse_hex, required=True)))


_constant("author_pendingExtrinsics", [])   # the devnet puts what it accepts in its next block


@subscription(("author_submitAndWatchExtrinsic",), ("author_unwatchExtrinsic",),
              "author_extrinsicUpdate", "bytes")
def _author_submit_and_watch(ctx: Context, p: Params) -> Start:
    xt = p.get(0, parse_hex, required=True)

    def start(sink: Sink):
        def on_status(status: object):
            sink.notify(status)
            kind = status if isinstance(status, str) else next(iter(status), None)
            if kind in FINAL_TX_STATUSES:
                sink.end()   # the pool drops its watcher after a final status
        ctx.node.submit(xt, watcher=on_status)   # RpcFailure -> error reply, no subscription
        return None
    return start


# --- payment_*: substrate/frame/transaction-payment/rpc/src/lib.rs ------------------------------

@rpc("payment_queryInfo", "encoded_xt", "at")
def _payment_query_info(ctx, p):
    return ctx.node.query_info(p.get(0, parse_hex, required=True), _at(p, 1))


# --- dev_*: chopsticks' names (packages/chopsticks/src/rpc/dev); our snapshot/revert -----------

_NEW_BLOCK_IGNORED = ("transactions", "ump", "dmp", "hrmp", "horizontalMessages",
                      "downwardMessages", "upwardMessages")


@rpc("dev_newBlock", "params")
def _dev_new_block(ctx, p):
    opts = p.get(0, lambda v, n: v) or {}
    if not isinstance(opts, dict):
        raise invalid_params("dev_newBlock: expected an object like {\"count\": 1}")
    unknown = [k for k, v in opts.items() if k not in ("count", "to") and
               not (k in _NEW_BLOCK_IGNORED and not v)]
    if unknown:
        raise invalid_params(f"dev_newBlock: unsupported options {sorted(unknown)}; "
                             "only count and to are supported")
    count = 1 if opts.get("count") is None else parse_u32(opts["count"], "count")
    if opts.get("to") is not None:
        count = parse_u32(opts["to"], "to") - ctx.node.head().number
    if count < 1:
        raise invalid_params(f"dev_newBlock: nothing to build (count {count})")
    return to_hex(ctx.node.dev_new_block(count))


def _storage_pair(value: object, name: str) -> tuple[bytes, bytes | None]:
    if not isinstance(value, list) or len(value) != 2:
        raise invalid_params(f"{name}: expected [key, value|null]")
    key = parse_hex(value[0], f"{name}[0]")
    return key, None if value[1] is None else parse_hex(value[1], f"{name}[1]")


@rpc("dev_setStorage", "values", "blockHash")
def _dev_set_storage(ctx, p):
    values = p.get(0, lambda v, n: v, required=True)
    if isinstance(values, dict):
        raise invalid_params("dev_setStorage: only the raw form [[key, value|null], ...] is "
                             "supported, not the pallet-object form")
    p.get(1, parse_hash)   # chopsticks' block hash: validated, the head is always changed
    return to_hex(ctx.node.dev_set_storage(parse_list(values, "values", _storage_pair)))


@rpc("dev_setHead", "hashOrNumber")
def _dev_set_head(ctx, p):
    target = p.get(0, lambda v, n: v, required=True)
    if isinstance(target, str):
        return to_hex(ctx.node.dev_set_head(parse_hash(target, "hashOrNumber")))
    if isinstance(target, bool) or not isinstance(target, int):
        raise invalid_params("hashOrNumber: expected a block hash or number")
    if target < 0:   # chopsticks: a negative number counts back from the head
        target += ctx.node.head().number
        if target < 0:
            raise invalid_params("hashOrNumber: goes back past genesis")
    return to_hex(ctx.node.dev_set_head(target))


@rpc("dev_snapshot")
def _dev_snapshot(ctx, p):
    return ctx.node.dev_snapshot()


@rpc("dev_revert", "snapshot")
def _dev_revert(ctx, p):
    ctx.node.dev_revert(p.get(0, parse_str, required=True))
    return None


# --- dev_relayer*: the bridge relayer's controls (harness/devnet/bridge/control.py) -------------

def _relayer_method(name: str) -> Callable[[Context, Params], Any]:
    def handler(ctx: Context, p: Params) -> Any:
        control = getattr(ctx.node, "dev_relayer", None)
        if control is None:          # a lone chain, not a devnet with a bridge
            raise RpcFailure(METHOD_NOT_FOUND, "Method not found")
        return control(name, p.values())
    return handler


for _name in RELAYER_METHODS:
    rpc(_name, *(("blocks",) if _name == "dev_relayerDelay" else ()))(_relayer_method(_name))
