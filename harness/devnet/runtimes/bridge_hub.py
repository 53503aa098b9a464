"""The Bridge Hub runtime (Kusama "bridge-hub-kusama", Polkadot "bridge-hub-polkadot"), composed as
construct_runtime! is.

Indices: construct_runtime! in polkadot-fellows/runtimes system-parachains/bridge-hubs/
bridge-hub-{kusama,polkadot}/src/lib.rs (the same on both; the bridge pallets 50-54 are named after
the bridged side); only the emulated pallets are listed, in index order (also their declaration
order, so the metadata order). No AssetTxPayment here.

To add a pallet: one line `(PalletClass, index)` in pallets() at its upstream index, with its
per-chain Config passed through parts.configured(...) (numbers in params.py); if it needs parts
that exist only once the runtime does (the router, another pallet), connect them in wire().
"""
from __future__ import annotations

from ..bridge.compose import sibling_channel_status
from ..bridge.constants import (GRANDPA_INDEX, MESSAGES_INDEX, PARACHAINS_INDEX, RELAYERS_INDEX, SIDES,
                                XCM_BRIDGE_HUB_INDEX)
from ..bridge.finality import grandpa_pallet, parachains_pallet
from ..bridge.messages import messages_pallet
from ..bridge.relayers import relayers_pallet
from ..bridge.xcm_bridge_hub import xcm_bridge_hub_pallet
from ..runtime.frame import Pallet
from ..runtime.runtime import ChainConfig, Runtime
from ..runtime.system import System
from ..xcm.pallet_xcm import XcmPallet
from ..xcm.parachain_system import ParachainInfo, ParachainSystem
from ..xcm.router import XcmRouter
from ..xcm.xcmp_queue import XcmpQueue
from .parts import balances, message_queue, timestamp, transaction_payment, utility, xcm_hooks

SPECS = ("bridge-hub-kusama", "bridge-hub-polkadot")


def pallets(config: ChainConfig) -> list[tuple[type[Pallet], int]]:
    spec, side = config.spec_name, SIDES[config.network]
    return [
        (System, 0),
        (ParachainSystem, 1),
        (timestamp(spec), 2),
        (ParachainInfo, 3),
        (balances(spec), 10),
        (transaction_payment(spec), 11),
        (XcmpQueue, 30),
        (XcmPallet, 31),
        (utility(spec), 40),
        (relayers_pallet(config.network), RELAYERS_INDEX),         # BridgeRelayers, 50
        (grandpa_pallet(side), GRANDPA_INDEX),                     # BridgeXxxGrandpa, 51
        (parachains_pallet(side), PARACHAINS_INDEX),               # BridgeXxxParachains, 52
        (messages_pallet(side), MESSAGES_INDEX),                   # BridgeXxxMessages, 53
        (xcm_bridge_hub_pallet(side), XCM_BRIDGE_HUB_INDEX),       # XcmOverBridgeHubXxx, 54
        (message_queue(), 175),
    ]


def wire(runtime: Runtime) -> None:
    """The XCM router behind pallet-xcm, and XcmOverBridgeHub* as the executor's ExportMessage
    exporter, over the XCMP router and its outbound channel status."""
    router = runtime.xcm_router = XcmRouter(runtime)
    bridge = runtime.pallet(SIDES[runtime.config.network].xcm_over)
    bridge.router = router
    bridge.channel_congested = sibling_channel_status(runtime.pallet("XcmpQueue").outbound_congested)
    runtime.pallet("PolkadotXcm").hooks = xcm_hooks(runtime, router=router, exporter=bridge.export_message)
