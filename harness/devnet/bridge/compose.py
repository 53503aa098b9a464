"""What chains.py adds for the bridge: the pallets at their indices and their genesis.

F bridge-hubs/bridge-hub-*/src/lib.rs construct_runtime! (50-54), asset-hubs/asset-hub-*/src/lib.rs
(34); genesis as F integration-tests/emulated/chains/parachains/bridges/bridge-hub-*/src/genesis.rs:
an owner for the finality and messages pallets (the AH 1000 <-> AH 1000 bridge on lane 0x00000001
is XcmOverBridgeHub*'s default genesis).
"""
from __future__ import annotations

from ..runtime.frame import Pallet
from .constants import (GRANDPA_INDEX, MESSAGES_INDEX, PARACHAINS_INDEX, RELAYERS_INDEX,
                        ROUTER_INDEX, SIDES, XCM_BRIDGE_HUB_INDEX)
from .finality import grandpa_pallet, parachains_pallet
from .messages import messages_pallet
from .relayers import relayers_pallet
from .router import router_pallet
from .xcm_bridge_hub import xcm_bridge_hub_pallet


def bridge_hub_pallets(network: str) -> list[tuple[type[Pallet], int]]:
    side = SIDES[network]
    return [(relayers_pallet(network), RELAYERS_INDEX), (grandpa_pallet(side), GRANDPA_INDEX),
            (parachains_pallet(side), PARACHAINS_INDEX), (messages_pallet(side), MESSAGES_INDEX),
            (xcm_bridge_hub_pallet(side), XCM_BRIDGE_HUB_INDEX)]


def asset_hub_pallets(network: str) -> list[tuple[type[Pallet], int]]:
    return [(router_pallet(SIDES[network]), ROUTER_INDEX)]


def bridge_hub_genesis(network: str, owner: bytes | None) -> dict[str, dict]:
    """The entries a Bridge Hub's genesis config carries for the bridge pallets (merged into the
    dict every pallet's genesis(ctx, config) receives); XcmOverBridgeHub* opens the AH <-> AH
    bridge and its lanes by default."""
    side = SIDES[network]
    return {side.grandpa: {"owner": owner}, side.messages: {"owner": owner}}
