"""What chains.py adds for the bridge: the pallets at their indices and their genesis.

F bridge-hubs/bridge-hub-*/src/lib.rs construct_runtime! (50-54), asset-hubs/asset-hub-*/src/lib.rs
(34); genesis as F integration-tests/emulated/chains/parachains/bridges/bridge-hub-*/src/genesis.rs:
an owner for the finality and messages pallets (the AH 1000 <-> AH 1000 bridge on lane 0x00000001
is XcmOverBridgeHub*'s default genesis). The rest of the genesis is what the zombienet environment
sets up before its transfers (F integration-tests/bridges/environments/polkadot-kusama/
bridges_polkadot_kusama.sh init-*-local): the remote Asset Hub's / Bridge Hub's XCM version forced
to 5, the sibling Asset Hub's sovereign and the lane's two reward accounts funded with 25 tokens on
each Bridge Hub, and the pool's native liquidity on each Asset Hub (xcm/pools.py).
"""
from __future__ import annotations

from ..runtime.frame import Pallet
from ..xcm import locations as L
from ..xcm.pools import bridged_pool
from .accounts import rewards_account, sibling_sovereign
from .constants import (ASSET_HUB_ID, BRIDGE_HUB_ID, DOT_UNITS, GRANDPA_INDEX, KSM_UNITS, LEGACY_LANE, MESSAGES_INDEX,
                        PARACHAINS_INDEX, RELAYERS_INDEX, ROUTER_INDEX, SIDES, XCM_BRIDGE_HUB_INDEX)
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


XCM_VERSION = 5
# //Bob: the owner of the bridge pallets in the upstream genesis (F integration-tests/emulated/chains/
# parachains/bridges/bridge-hub-*/src/genesis.rs), so a signed account reaches set_operating_mode
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
FUNDING_UNITS = 25
UNITS = {"Kusama": KSM_UNITS, "Polkadot": DOT_UNITS}


def _remote(network: str, para_id: int) -> dict:
    return L.location(2, [{"GlobalConsensus": SIDES[network].bridged_network}, {"Parachain": para_id}])


def asset_hub_extra(network: str) -> dict:
    """ChainConfig.extra of an Asset Hub: pallet-xcm's supported_version and the pool's native side."""
    pool = bridged_pool(network)
    return {"supported_version": [(_remote(network, ASSET_HUB_ID), XCM_VERSION)],
            "balances": [(pool.account, pool.native_liquidity)]}


def bridge_hub_extra(network: str) -> dict:
    """ChainConfig.extra of a Bridge Hub: supported_version, the funded accounts and the pallets'
    genesis entries (chain.Chain hands extra["genesis"] to every pallet's genesis)."""
    side, funding = SIDES[network], FUNDING_UNITS * UNITS[network]
    funded = [sibling_sovereign(ASSET_HUB_ID)] + [rewards_account(LEGACY_LANE, side.bridged_chain_id, owner)
                                                  for owner in ("ThisChain", "BridgedChain")]
    return {"supported_version": [(_remote(network, BRIDGE_HUB_ID), XCM_VERSION)],
            "balances": [(account, funding) for account in funded],
            "genesis": bridge_hub_genesis(network, BOB)}


def bridge_hub_genesis(network: str, owner: bytes | None) -> dict[str, dict]:
    """The entries a Bridge Hub's genesis config carries for the bridge pallets (merged into the
    dict every pallet's genesis(ctx, config) receives); XcmOverBridgeHub* opens the AH <-> AH
    bridge and its lanes by default."""
    side = SIDES[network]
    return {side.grandpa: {"owner": owner}, side.messages: {"owner": owner}}
