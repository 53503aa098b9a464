"""XCM transfer calls, built for the highest XCM version both the chain and the harness speak.

Location shapes per version (polkadot-sdk polkadot/xcm/src/v3, v4, v5):
- V3: junctions `X1: {...}`, `X2: [..]` as tuples; AssetId is `Concrete(location)`; assets `[[asset]]`
  (scalecodec passes the Vec inside the versioned wrapper as a list in a list).
- V4/V5: junctions are arrays for every arity (`X1: [{...}]`); AssetId is the location itself.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import ChainCallError

SUPPORTED = (5, 4, 3)  # highest first
XCM_PALLETS = ("XcmPallet", "PolkadotXcm")  # relay chains / system parachains name it differently
CALLS = {"teleport": "limited_teleport_assets", "reserve": "limited_reserve_transfer_assets"}


@dataclass(frozen=True)
class Location:
    parents: int
    junctions: tuple[tuple[str, object], ...] = ()  # ("Parachain", 1000), ("AccountId32", bytes)

    def encode(self, version: int) -> dict:
        items = [_junction(kind, value, version) for kind, value in self.junctions]
        if not items:
            interior: object = "Here"
        elif version == 3:
            interior = {f"X{len(items)}": items[0] if len(items) == 1 else tuple(items)}
        else:
            interior = {f"X{len(items)}": items}
        return {"parents": self.parents, "interior": interior}


def _junction(kind: str, value: object, version: int) -> dict:
    if kind == "AccountId32":
        return {"AccountId32": {"network": None, "id": "0x" + bytes(value).hex()}}
    return {kind: value}


def xcm_pallet(pallets: set[str]) -> str:
    for name in XCM_PALLETS:
        if name in pallets:
            return name
    raise ChainCallError("the chain has no XCM pallet (XcmPallet or PolkadotXcm)", "is this a relay or system chain?")


def versions_in_metadata(param_type: dict) -> list[int]:
    """The `V3`, `V4`... variants a call's versioned parameter admits, per the chain's metadata."""
    return sorted(int(k[1:]) for k in param_type if isinstance(k, str) and k.startswith("V") and k[1:].isdigit())


def choose_version(chain_versions: list[int]) -> int:
    for version in SUPPORTED:
        if version in chain_versions:
            return version
    raise ChainCallError(f"the chain speaks XCM {chain_versions}, the harness {list(SUPPORTED)}",
                         "add the version to harness/client/xcm.py")


def transfer_params(dest: Location, beneficiary: Location, asset: Location, amount: int, version: int) -> dict:
    asset_id = {"Concrete": asset.encode(version)} if version == 3 else asset.encode(version)
    key = f"V{version}"
    return {
        "dest": {key: dest.encode(version)},
        "beneficiary": {key: beneficiary.encode(version)},
        "assets": {key: [[{"id": asset_id, "fun": {"Fungible": amount}}]]},
        "fee_asset_item": 0,
        "weight_limit": "Unlimited",
    }
