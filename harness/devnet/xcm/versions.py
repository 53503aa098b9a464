"""Versioned* values: conversion between XCM v3, v4 and v5 as the xcm crate's TryFrom impls do.

Sources: polkadot-sdk polkadot/xcm/src/v4/{mod,junction,junctions,location,asset}.rs (v3 <-> v4)
and polkadot/xcm/src/v5/{mod,junction,asset}.rs (v4 <-> v5). What changes between versions:
- v3 -> v4: Junctions X1(j) becomes X1([j]) (v3 X1 is a bare junction in the codec value model,
  X2..X8 are lists in both); AssetId::Concrete(loc) becomes AssetId(loc), Abstract is refused.
- v4 -> v5: NetworkId Westend/Rococo become ByGenesis(their genesis hash) (Wococo has no v5 form);
  Transact.require_weight_at_most becomes fallback_max_weight: Some(..).
- v5 -> v4: PayFees, InitiateTransfer, ExecuteWithOrigin, SetHints have no v4 form; Transact's
  require_weight_at_most is the fallback weight (the call cannot be weighed here) or Weight::MAX;
  the error TooManyAssets has no v3 form.
"""
from __future__ import annotations

from typing import Any

LATEST = 5
VERSIONS = (3, 4, 5)

# polkadot/xcm/src/v5/junction.rs
WESTEND_GENESIS_HASH = bytes.fromhex("e143f23803ac50e8f6f8e62695d1ce9e4e1d68aa36c1cd2cfd15340213f3423e")
ROCOCO_GENESIS_HASH = bytes.fromhex("6408de7737c59c238890533af25896a2c20608d8b380bb01029acb392781063e")
WEIGHT_MAX = {"ref_time": 2**64 - 1, "proof_size": 2**64 - 1}
V5_ONLY_INSTRUCTIONS = ("PayFees", "InitiateTransfer", "ExecuteWithOrigin", "SetHints")


class VersionError(ValueError):
    """A value with no form in the requested version (the crate's TryFrom returns Err(()))."""


# What each instruction field holds, so nested locations, assets and programs get converted.
_FIELDS: dict[str, Any] = {
    "WithdrawAsset": "assets", "ReserveAssetDeposited": "assets", "ReceiveTeleportedAsset": "assets",
    "QueryResponse": {"response": "response", "querier": "opt_location"},
    "TransferAsset": {"assets": "assets", "beneficiary": "location"},
    "TransferReserveAsset": {"assets": "assets", "dest": "location", "xcm": "xcm"},
    "DescendOrigin": "junctions",
    "ReportError": "qri",
    "DepositAsset": {"assets": "filter", "beneficiary": "location"},
    "DepositReserveAsset": {"assets": "filter", "dest": "location", "xcm": "xcm"},
    "ExchangeAsset": {"give": "filter", "want": "assets"},
    "InitiateReserveWithdraw": {"assets": "filter", "reserve": "location", "xcm": "xcm"},
    "InitiateTeleport": {"assets": "filter", "dest": "location", "xcm": "xcm"},
    "ReportHolding": {"response_info": "qri", "assets": "filter"},
    "BuyExecution": {"fees": "asset"},
    "SetErrorHandler": "xcm", "SetAppendix": "xcm",
    "ClaimAsset": {"assets": "assets", "ticket": "location"},
    "BurnAsset": "assets", "ExpectAsset": "assets",
    "ExpectOrigin": "opt_location",
    "ExpectError": "opt_error",
    "QueryPallet": {"response_info": "qri"},
    "ReportTransactStatus": "qri",
    "UniversalOrigin": "junction",
    "ExportMessage": {"network": "network", "destination": "junctions", "xcm": "xcm"},
    "LockAsset": {"asset": "asset", "unlocker": "location"},
    "UnlockAsset": {"asset": "asset", "target": "location"},
    "NoteUnlockable": {"asset": "asset", "owner": "location"},
    "RequestUnlock": {"asset": "asset", "locker": "location"},
    "AliasOrigin": "location",
    "UnpaidExecution": {"check_origin": "opt_location"},
    "PayFees": {"asset": "asset"},
    "InitiateTransfer": {"destination": "location", "remote_fees": "opt_transfer_filter",
                         "assets": "transfer_filters", "remote_xcm": "xcm"},
    "ExecuteWithOrigin": {"descendant_origin": "opt_junctions", "xcm": "xcm"},
    "SetHints": {"hints": "hints"},
}


class _Step:
    """One version step (3->4, 4->5, 5->4 or 4->3) applied to any XCM value of a given kind."""

    def __init__(self, src: int, dst: int):
        self.src, self.dst = src, dst

    def convert(self, kind: str, v: Any) -> Any:
        return getattr(self, kind)(v)

    # --- locations -------------------------------------------------------------------------
    def network(self, n: Any) -> Any:
        if self.dst == 5 and n in ("Westend", "Rococo", "Wococo"):
            if n == "Wococo":
                raise VersionError("Wococo has no v5 NetworkId")
            return {"ByGenesis": WESTEND_GENESIS_HASH if n == "Westend" else ROCOCO_GENESIS_HASH}
        return n

    def junction(self, j: Any) -> Any:
        if isinstance(j, str):
            return j
        (name, payload), = j.items()
        if name in ("AccountId32", "AccountIndex64", "AccountKey20"):
            net = payload["network"]
            return {name: {**payload, "network": None if net is None else self.network(net)}}
        if name == "GlobalConsensus":
            return {name: self.network(payload)}
        return j

    def junctions(self, interior: Any) -> Any:
        if interior == "Here":
            return "Here"
        (name, items), = interior.items()
        if name == "X1" and self.src == 3:
            items = [items]
        converted = [self.junction(j) for j in items]
        if name == "X1" and self.dst == 3:
            return {"X1": converted[0]}
        return {name: converted}

    def location(self, loc: dict) -> dict:
        return {"parents": loc["parents"], "interior": self.junctions(loc["interior"])}

    def opt_location(self, loc: Any) -> Any:
        return None if loc is None else self.location(loc)

    def opt_junctions(self, interior: Any) -> Any:
        return None if interior is None else self.junctions(interior)

    # --- assets ----------------------------------------------------------------------------
    def asset_id(self, aid: Any) -> Any:
        if self.src == 3:
            if "Concrete" not in aid:
                raise VersionError("abstract asset ids have no v4 form")
            return self.location(aid["Concrete"])
        if self.dst == 3:
            return {"Concrete": self.location(aid)}
        return self.location(aid)

    def asset(self, a: dict) -> dict:
        return {"id": self.asset_id(a["id"]), "fun": a["fun"]}

    def assets(self, items: list) -> list:
        return [self.asset(a) for a in items]

    def wild(self, w: Any) -> Any:
        if isinstance(w, dict):
            (name, payload), = w.items()
            if name in ("AllOf", "AllOfCounted"):
                return {name: {**payload, "id": self.asset_id(payload["id"])}}
        return w

    def filter(self, f: dict) -> dict:
        (name, payload), = f.items()
        return {"Definite": self.assets(payload)} if name == "Definite" else {"Wild": self.wild(payload)}

    def transfer_filter(self, f: dict) -> dict:
        (name, payload), = f.items()
        return {name: self.filter(payload)}

    def opt_transfer_filter(self, f: Any) -> Any:
        return None if f is None else self.transfer_filter(f)

    def transfer_filters(self, items: list) -> list:
        return [self.transfer_filter(f) for f in items]

    def hints(self, items: list) -> list:
        return [{"AssetClaimer": {"location": self.location(h["AssetClaimer"]["location"])}} for h in items]

    # --- errors and responses --------------------------------------------------------------
    def error(self, e: Any) -> Any:
        if self.dst < 5 and e == "TooManyAssets":
            raise VersionError("TooManyAssets has no v3 form")
        return e

    def opt_error(self, e: Any) -> Any:
        return None if e is None else [e[0], self.error(e[1])]

    def response(self, r: Any) -> Any:
        if isinstance(r, str):
            return r
        (name, payload), = r.items()
        if name == "Assets":
            return {name: self.assets(payload)}
        if name == "ExecutionResult":
            return {name: self.opt_error(payload)}
        return r

    def qri(self, q: dict) -> dict:
        return {**q, "destination": self.location(q["destination"])}

    # --- programs --------------------------------------------------------------------------
    def instruction(self, ins: Any) -> Any:
        if isinstance(ins, str):
            return ins
        (name, payload), = ins.items()
        if self.dst < 5 and name in V5_ONLY_INSTRUCTIONS:
            raise VersionError(f"{name} has no v{self.dst} form")
        if name == "Transact":
            return {name: self._transact(payload)}
        spec = _FIELDS.get(name)
        if spec is None:
            return ins
        if isinstance(spec, str):
            return {name: self.convert(spec, payload)}
        return {name: {k: (self.convert(spec[k], v) if k in spec else v) for k, v in payload.items()}}

    def _transact(self, p: dict) -> dict:
        if self.dst == 5 and self.src == 4:
            return {"origin_kind": p["origin_kind"], "fallback_max_weight": p["require_weight_at_most"], "call": p["call"]}
        if self.src == 5:
            weight = p["fallback_max_weight"] if p["fallback_max_weight"] is not None else WEIGHT_MAX
            return {"origin_kind": p["origin_kind"], "require_weight_at_most": weight, "call": p["call"]}
        return p

    def xcm(self, program: list) -> list:
        return [self.instruction(i) for i in program]


_STEPS = {(3, 4): _Step(3, 4), (4, 5): _Step(4, 5), (5, 4): _Step(5, 4), (4, 3): _Step(4, 3)}
KINDS = ("location", "assets", "asset", "asset_id", "xcm", "response", "junctions")


def convert(kind: str, value: Any, src: int, dst: int) -> Any:
    """Convert a bare value of `kind` from version src to version dst, one step at a time."""
    if src not in VERSIONS or dst not in VERSIONS:
        raise VersionError(f"unsupported XCM version {src if src not in VERSIONS else dst}")
    while src != dst:
        nxt = src + 1 if dst > src else src - 1
        value = _STEPS[(src, nxt)].convert(kind, value)
        src = nxt
    return value


def split(versioned: dict) -> tuple[int, Any]:
    (tag, inner), = versioned.items()
    if not (isinstance(tag, str) and tag.startswith("V") and int(tag[1:]) in VERSIONS):
        raise VersionError(f"not a versioned value: {tag!r}")
    return int(tag[1:]), inner


def guess_kind(value: Any, version: int) -> str:
    """The kind of a bare XCM value from its shape (enough to walk it for conversion)."""
    if isinstance(value, list):
        if value and isinstance(value[0], dict) and set(value[0]) == {"id", "fun"}:
            return "assets"
        return "xcm"
    if isinstance(value, dict):
        if "parents" in value:
            return "location"
        if set(value) == {"id", "fun"}:
            return "asset"
        if version == 3 and set(value) <= {"Concrete", "Abstract"}:
            return "asset_id"
    return "response"


def to_latest(versioned: dict, kind: str | None = None) -> Any:
    """A Versioned* value ({"V3": ..} / {"V4": ..} / {"V5": ..}) as a bare v5 value."""
    version, inner = split(versioned)
    return convert(kind or guess_kind(inner, version), inner, version, LATEST)


def from_latest(value: Any, version: int, kind: str | None = None) -> dict:
    """A bare v5 value as the Versioned* value of `version`."""
    return {f"V{version}": convert(kind or guess_kind(value, LATEST), value, LATEST, version)}


def identify_version(versioned: dict) -> int:
    return split(versioned)[0]
