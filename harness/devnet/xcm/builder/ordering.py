"""Location and asset ordering as the xcm crate derives Ord (the holding register and the
sorted Assets lists depend on it).
"""
from __future__ import annotations

from typing import Any

from .. import locations as L
from ..primitives import split_instruction

def _net_key(n: Any) -> tuple:
    order = ("ByGenesis", "ByFork", "Polkadot", "Kusama", "Westend", "Rococo", "Wococo", "Ethereum",
             "BitcoinCore", "BitcoinCash", "PolkadotBulletin")
    name, p = split_instruction(n)
    idx = order.index(name)
    if name == "ByGenesis":
        return (idx, bytes(p))
    if name == "ByFork":
        return (idx, p["block_number"], bytes(p["block_hash"]))
    if name == "Ethereum":
        return (idx, p["chain_id"])
    return (idx,)


def _opt_net_key(n: Any) -> tuple:
    return (0,) if n is None else (1, _net_key(n))


def _variant_key(v: Any) -> tuple:
    name, p = split_instruction(v)
    return (name, repr(p))


_JUNCTION_ORDER = ("Parachain", "AccountId32", "AccountIndex64", "AccountKey20", "PalletInstance", "GeneralIndex",
                   "GeneralKey", "OnlyChild", "Plurality", "GlobalConsensus")


def _junction_key(j: Any) -> tuple:
    name, p = split_instruction(j)
    idx = _JUNCTION_ORDER.index(name)
    if name in ("Parachain", "PalletInstance", "GeneralIndex"):
        return (idx, p)
    if name == "AccountId32":
        return (idx, _opt_net_key(p["network"]), bytes(p["id"]))
    if name == "AccountIndex64":
        return (idx, _opt_net_key(p["network"]), p["index"])
    if name == "AccountKey20":
        return (idx, _opt_net_key(p["network"]), bytes(p["key"]))
    if name == "GeneralKey":
        return (idx, p["length"], bytes(p["data"]))
    if name == "Plurality":
        return (idx, _variant_key(p["id"]), _variant_key(p["part"]))
    if name == "GlobalConsensus":
        return (idx, _net_key(p))
    return (idx,)


def location_key(loc: dict) -> tuple:
    """The derived Ord of Location (parents, then Junctions: variant Xn, then the junctions)."""
    items = L.junctions(loc)
    return (loc["parents"], len(items), tuple(_junction_key(j) for j in items))


def asset_key(asset: dict) -> tuple:
    fun_name, amount = split_instruction(asset["fun"])
    return (location_key(asset["id"]), 0 if fun_name == "Fungible" else 1,
            amount if fun_name == "Fungible" else repr(amount))


def sort_assets(assets: list) -> list:
    return sorted(assets, key=asset_key)
