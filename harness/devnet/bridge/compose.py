"""The bridge's genesis on the Asset Hubs and Bridge Hubs, and the XCMP channel status its pallets read.

Genesis as F integration-tests/emulated/chains/parachains/bridges/bridge-hub-*/src/genesis.rs:
an owner for the finality and messages pallets (the AH 1000 <-> AH 1000 bridge on lane 0x00000001
is XcmOverBridgeHub*'s default genesis). The rest of the genesis is what the zombienet environment
sets up before its transfers (F integration-tests/bridges/environments/polkadot-kusama/
bridges_polkadot_kusama.sh init-*-local): the remote Asset Hub's / Bridge Hub's XCM version forced
to 5, the sibling Asset Hub's sovereign and the lane's two reward accounts funded with 25 tokens on
each Bridge Hub, and the pool's native liquidity on each Asset Hub (assets/pools.py).
"""
from __future__ import annotations

from ..assets.pools import bridged_pool
from ..paras import ASSET_HUB_ID, BRIDGE_HUB_ID
from ..xcm import locations as L
from .accounts import rewards_account, sibling_sovereign
from .constants import DOT_UNITS, KSM_UNITS, LEGACY_LANE, SIDES

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


def sibling_channel_status(of_sibling):
    """A (ctx, location) XCMP channel status: only a sibling (1, [Parachain(id)]) can be congested
    (F asset-hub-*/src/lib.rs ToXXXXcmRouter: InAndOutXcmpChannelStatusProvider;
    bridge_to_*_config.rs XcmOverBridgeHubXXX: OutXcmpChannelStatusProvider)."""
    def congested(ctx, location: dict) -> bool:
        parents, items = L.unpack(L.normalize(location))
        if parents != 1 or len(items) != 1 or L.junction_kind(items[0]) != "Parachain":
            return False
        return of_sibling(ctx.state, items[0]["Parachain"])
    return congested
