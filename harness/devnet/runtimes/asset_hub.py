"""The Asset Hub runtime (Kusama "statemine", Polkadot "statemint"), composed as construct_runtime! is.

Indices: construct_runtime! in polkadot-fellows/runtimes system-parachains/asset-hubs/
asset-hub-{kusama,polkadot}/src/lib.rs (the same on both but PoolAssets and AssetConversion, 55/56 on
Kusama and 54/55 on Polkadot); only the emulated pallets are listed, in index order (also their
declaration order, so the metadata order).

To add a pallet: one line `(PalletClass, index)` in pallets() at its upstream index, with its
per-chain Config passed through parts.configured(...) (numbers in params.py); if it needs parts
that exist only once the runtime does (the router, another pallet), connect them in wire().
"""
from __future__ import annotations

from ..assets.pallet import Assets, ForeignAssets
from ..assets.conversion import AssetConversion, PoolAssets
from ..bridge.compose import sibling_channel_status
from ..bridge.constants import ROUTER_INDEX, SIDES
from ..bridge.router import router_pallet
from ..runtime.frame import Pallet
from ..runtime.payment import AssetTxPayment
from ..runtime.runtime import ChainConfig, Runtime
from ..runtime.system import System
from ..xcm.pallet_xcm import XcmPallet
from ..xcm.parachain_system import ParachainInfo, ParachainSystem
from ..xcm.router import XcmRouter
from ..xcm.xcmp_queue import XcmpQueue
from .params import ASSET_FEE_WEIGHTS
from .parts import balances, configured, message_queue, timestamp, transaction_payment, utility, xcm_hooks

SPECS = ("statemine", "statemint")


def pallets(config: ChainConfig) -> list[tuple[type[Pallet], int]]:
    spec = config.spec_name
    kusama = spec == "statemine"
    return [
        (System, 0),
        (ParachainSystem, 1),
        (timestamp(spec), 3),
        (ParachainInfo, 4),
        (balances(spec), 10),
        (transaction_payment(spec), 11),
        (configured(AssetTxPayment, ASSET_WEIGHT=ASSET_FEE_WEIGHTS[spec]), 13),
        (XcmpQueue, 30),
        (XcmPallet, 31),
        (router_pallet(SIDES[config.network]), ROUTER_INDEX),   # ToPolkadotXcmRouter / ToKusamaXcmRouter, 34
        (message_queue(), 35),
        (utility(spec), 40),
        (Assets, 50),
        (ForeignAssets, 53),
        (PoolAssets, 55 if kusama else 54),
        (AssetConversion, 56 if kusama else 55),
    ]


def wire(runtime: Runtime) -> None:
    """The XCM router behind pallet-xcm, AssetConversion as the pools SwapFirstAssetTrader swaps through, and the
    bridge router over the XCMP router and its channel status."""
    router = runtime.xcm_router = XcmRouter(runtime)
    hooks = xcm_hooks(runtime, router=router)
    hooks.pools = runtime.pallet("AssetConversion")
    runtime.pallet("PolkadotXcm").hooks = hooks
    bridge_router = runtime.bridge_router = runtime.pallet(SIDES[runtime.config.network].router_name)
    bridge_router.sender = router
    bridge_router.channel_congested = sibling_channel_status(runtime.pallet("XcmpQueue").in_and_out_congested)
