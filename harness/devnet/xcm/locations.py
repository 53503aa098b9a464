"""XCM v5 locations as codec values: arithmetic (reanchoring) and LocationToAccountId converters.

A Location value is {"parents": n, "interior": "Here" | {"Xn": [junction, ...]}}.

Sources: polkadot-sdk polkadot/xcm/src/v5/{location,junctions}.rs (prepend_with, append_with,
simplify, reanchor, invert_target, relative_to), polkadot/xcm/xcm-builder/src/location_conversion.rs
(the converters and describers) and universal_exports.rs (ensure_is_remote).
"""
from __future__ import annotations

from typing import Any, Callable, Iterable

from ..hashing import blake2_256
from ..scale import TypeRegistry, encode_compact
from ..types.xcm import declare_xcm

MAX_JUNCTIONS = 8
HERE = {"parents": 0, "interior": "Here"}
PARENT = {"parents": 1, "interior": "Here"}

# A registry of its own for the bytes that get hashed; the encoding is the same in every runtime.
CODEC = TypeRegistry()
XCM_TYPES = declare_xcm(CODEC, CODEC.unit())


class LocationError(ValueError):
    """A location operation that the xcm crate refuses (too many junctions, not invertible...)."""


def junctions(location: dict) -> list:
    interior = location["interior"]
    if interior == "Here":
        return []
    (_, items), = interior.items()
    return list(items)


def interior_of(items: Iterable) -> Any:
    items = list(items)
    if len(items) > MAX_JUNCTIONS:
        raise LocationError("more than 8 junctions")
    return {f"X{len(items)}": items} if items else "Here"


def location(parents: int, items: Iterable = ()) -> dict:
    return {"parents": parents, "interior": interior_of(items)}


def parachain(para_id: int, parents: int = 0) -> dict:
    return location(parents, [{"Parachain": para_id}])


def account32(account: bytes, network: Any = None) -> dict:
    return location(0, [{"AccountId32": {"network": network, "id": bytes(account)}}])


def unpack(loc: dict) -> tuple[int, list]:
    return loc["parents"], junctions(loc)


def junction_kind(junction: Any) -> str:
    return junction if isinstance(junction, str) else next(iter(junction))


def normalize(value: Any) -> Any:
    """Make decoded values comparable with built ones (bytes stay bytes, lists stay lists)."""
    if isinstance(value, dict):
        return {k: normalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [normalize(v) for v in value]
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    return value


# --- arithmetic ---------------------------------------------------------------------------------

def append_with(loc: dict, suffix: Any) -> dict:
    """Location::append_with: suffix is a Location or a Junctions interior."""
    suffix_loc = suffix if isinstance(suffix, dict) and "parents" in suffix else {"parents": 0, "interior": suffix}
    parents, items = unpack(loc)
    s_parents, s_items = unpack(suffix_loc)
    while s_parents and items:
        items.pop()
        s_parents -= 1
    if parents + s_parents > 255:
        raise LocationError("too many parents")
    return location(parents + s_parents, items + s_items)


def prepend_with(loc: dict, prefix: dict) -> dict:
    """Location::prepend_with: `loc` seen from the place `prefix` points from."""
    parents, items = unpack(loc)
    p_parents, p_items = unpack(prefix)
    if len(items) + max(len(p_items) - parents, 0) > MAX_JUNCTIONS:
        raise LocationError("prepend would exceed 8 junctions")
    if p_parents + max(parents - len(p_items), 0) > 255:
        raise LocationError("too many parents")
    while parents > 0 and p_items:
        p_items.pop()
        parents -= 1
    return location(parents + p_parents, p_items + items)


def invert_target(context: list, target: dict) -> dict:
    """Junctions::invert_target: how `target` addresses the place whose universal location is `context`."""
    itself = list(context)
    inverted: list = []
    for _ in range(target["parents"]):
        inverted.insert(0, itself.pop() if itself else "OnlyChild")
    if len(inverted) > MAX_JUNCTIONS:
        raise LocationError("location not invertible")
    return location(len(junctions(target)), inverted)


def simplify(loc: dict, context: list) -> dict:
    """Location::simplify: drop parents that lead back into the known context."""
    parents, items = unpack(loc)
    if len(context) < parents:
        return loc
    while parents > 0:
        at = context[len(context) - parents]
        if items and normalize(items[0]) == normalize(at):
            items.pop(0)
            parents -= 1
        else:
            break
    return location(parents, items)


def reanchored(loc: dict, target: dict, context: list) -> dict:
    """Location::reanchored: `loc` (seen from here, at universal `context`) as seen from `target`."""
    inverted = invert_target(context, target)
    return simplify(prepend_with(loc, inverted), junctions(target))


def reanchor_asset(asset: dict, target: dict, context: list) -> dict:
    return {"id": reanchored(asset["id"], target, context), "fun": asset["fun"]}


def relative_to(items: list, viewer: list) -> dict:
    """Junctions::relative_to: a universal location as seen from the universal location `viewer`."""
    items = list(items)
    i = 0
    while items and i < len(viewer) and normalize(items[0]) == normalize(viewer[i]):
        items.pop(0)
        i += 1
    return location(len(viewer) - i, items)


def ensure_is_remote(universal: list, dest: dict) -> tuple[Any, list] | None:
    """universal_exports::ensure_is_remote: (network, interior there) for a location in another consensus."""
    if not universal or junction_kind(universal[0]) != "GlobalConsensus":
        return None
    local_net = universal[0]["GlobalConsensus"]
    try:
        full = append_with(location(0, universal), dest)
    except LocationError:
        return None
    if full["parents"] != 0:
        return None
    items = junctions(full)
    if not items or junction_kind(items[0]) != "GlobalConsensus" or normalize(items[0]["GlobalConsensus"]) == normalize(local_net):
        return None
    return items[0]["GlobalConsensus"], items[1:]


# --- LocationToAccountId converters --------------------------------------------------------------

Converter = Callable[[dict], "bytes | None"]


def _pad32(raw: bytes) -> bytes:
    return (raw + bytes(32))[:32]


def into_account_truncating(prefix: bytes, encoded_id: bytes) -> bytes:
    """sp_runtime TypeId/PalletId into_account_truncating: prefix ++ id, zero padded to 32 bytes."""
    return _pad32(prefix + encoded_id)


def pallet_account(pallet_id: bytes) -> bytes:
    """PalletId(*b"py/xxxxx").into_account_truncating()"""
    return into_account_truncating(b"modl", pallet_id)


def parent_is_preset(loc: dict) -> bytes | None:
    return _pad32(b"Parent") if loc["parents"] == 1 and loc["interior"] == "Here" else None


def child_parachain_converts_via(loc: dict) -> bytes | None:
    parents, items = unpack(loc)
    if parents == 0 and len(items) == 1 and junction_kind(items[0]) == "Parachain":
        return into_account_truncating(b"para", items[0]["Parachain"].to_bytes(4, "little"))
    return None


def sibling_parachain_converts_via(loc: dict) -> bytes | None:
    parents, items = unpack(loc)
    if parents == 1 and len(items) == 1 and junction_kind(items[0]) == "Parachain":
        return into_account_truncating(b"sibl", items[0]["Parachain"].to_bytes(4, "little"))
    return None


def account_id32_aliases(network: Any) -> Converter:
    def convert(loc: dict) -> bytes | None:
        parents, items = unpack(loc)
        if parents == 0 and len(items) == 1 and junction_kind(items[0]) == "AccountId32":
            j = items[0]["AccountId32"]
            if j["network"] is None or normalize(j["network"]) == normalize(network):
                return bytes(j["id"])
        return None
    return convert


def _describe_terminal(loc: dict) -> bytes | None:
    """DescribeAllTerminal = (Terminus, PalletTerminal, AccountId32Terminal, AccountKey20Terminal, BodyTerminal)."""
    parents, items = unpack(loc)
    if parents != 0:
        return None
    if not items:
        return b""
    if len(items) != 1:
        return None
    j = items[0]
    kind = junction_kind(j)
    if kind == "PalletInstance":
        return b"Pallet" + encode_compact(j["PalletInstance"])
    if kind == "AccountId32":
        return b"AccountId32" + bytes(j["AccountId32"]["id"])
    if kind == "AccountKey20":
        return b"AccountKey20" + bytes(j["AccountKey20"]["key"])
    if kind == "Plurality":
        p = j["Plurality"]
        return b"Body" + CODEC.encode(XCM_TYPES.body_id, p["id"]) + CODEC.encode(XCM_TYPES.body_part, p["part"])
    return None


def describe_family(loc: dict) -> bytes | None:
    """DescribeFamily<DescribeAllTerminal>: (b"ChildChain"|b"SiblingChain", Compact(id), tail) or (b"ParentChain", tail)."""
    parents, items = unpack(loc)
    first_is_para = bool(items) and junction_kind(items[0]) == "Parachain"
    if parents in (0, 1) and first_is_para:
        tail = _describe_terminal(location(0, items[1:]))
        if tail is None:
            return None
        tag = b"ChildChain" if parents == 0 else b"SiblingChain"
        return tag + encode_compact(items[0]["Parachain"]) + encode_compact(len(tail)) + tail
    if parents == 1:
        tail = _describe_terminal(location(0, items))
        if tail is None:
            return None
        return b"ParentChain" + encode_compact(len(tail)) + tail
    return None


def hashed_description(loc: dict) -> bytes | None:
    """HashedDescription<AccountId, DescribeFamily<DescribeAllTerminal>>"""
    description = describe_family(loc)
    return None if description is None else blake2_256(description)


def _encode_junction_slice(items: list) -> bytes:
    return encode_compact(len(items)) + b"".join(CODEC.encode(XCM_TYPES.v5.junction, j) for j in items)


def global_consensus_parachain_converts_for(universal: list) -> Converter:
    def convert(loc: dict) -> bytes | None:
        remote = ensure_is_remote(universal, loc)
        if remote is None:
            return None
        network, rest = remote
        if len(rest) == 1 and junction_kind(rest[0]) == "Parachain":
            net = CODEC.encode(XCM_TYPES.v5.network_id, network)
            return blake2_256(b"glblcnsnss/prchn_" + net + rest[0]["Parachain"].to_bytes(4, "little"))
        return None
    return convert


def ethereum_locations_converter_for(universal: list) -> Converter:
    """snowbridge EthereumLocationsConverterFor: (b"ethereum-chain", chain_id[, key])."""
    def convert(loc: dict) -> bytes | None:
        parents, items = unpack(loc)
        if parents != 2 or not items or junction_kind(items[0]) != "GlobalConsensus":
            return None
        net = items[0]["GlobalConsensus"]
        if not isinstance(net, dict) or "Ethereum" not in net:
            return None
        chain_id = net["Ethereum"]["chain_id"].to_bytes(8, "little")
        if len(items) == 1:
            return blake2_256(b"ethereum-chain" + chain_id)
        if len(items) == 2 and junction_kind(items[1]) == "AccountKey20":
            return blake2_256(b"ethereum-chain" + chain_id + bytes(items[1]["AccountKey20"]["key"]))
        return None
    return convert


def external_consensus_locations_converter_for(universal: list) -> Converter:
    """ExternalConsensusLocationsConverterFor: every location in another consensus, Ethereum included."""
    def convert(loc: dict) -> bytes | None:
        remote = ensure_is_remote(universal, loc)
        if remote is None:
            return None
        network, rest = remote
        if isinstance(network, dict) and "Ethereum" in network:
            chain_id = network["Ethereum"]["chain_id"].to_bytes(8, "little")
            if not rest:
                return blake2_256(b"ethereum-chain" + chain_id)
            if len(rest) == 1 and junction_kind(rest[0]) == "AccountKey20":
                return blake2_256(b"ethereum-chain" + chain_id + bytes(rest[0]["AccountKey20"]["key"]))
            return blake2_256(b"ethereum-chain" + chain_id + _encode_junction_slice(rest))
        net = CODEC.encode(XCM_TYPES.v5.network_id, network)
        if len(rest) == 1 and junction_kind(rest[0]) == "Parachain":
            return blake2_256(b"glblcnsnss/prchn_" + net + rest[0]["Parachain"].to_bytes(4, "little"))
        return blake2_256(b"glblcnsnss" + net + _encode_junction_slice(rest))
    return convert


def first_match(converters: list[Converter]) -> Converter:
    """A tuple of converters: the first that recognises the location wins."""
    def convert(loc: dict) -> bytes | None:
        for c in converters:
            account = c(loc)
            if account is not None:
                return account
        return None
    return convert
