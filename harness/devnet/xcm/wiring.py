"""Puts the XCM pallets into the six chain compositions and connects each runtime's XCM parts.

Indices from construct_runtime! in polkadot-fellows/runtimes relay/kusama/src/lib.rs,
relay/polkadot/src/lib.rs, system-parachains/asset-hubs/asset-hub-{kusama,polkadot}/src/lib.rs and
system-parachains/bridge-hubs/bridge-hub-{kusama,polkadot}/src/lib.rs:
  relays:      ParaInclusion 53, Dmp 58, Hrmp 60, XcmPallet 99, MessageQueue 100
  Asset Hubs:  ParachainSystem 1, ParachainInfo 4, XcmpQueue 30, PolkadotXcm 31, MessageQueue 35,
               Assets 50, ForeignAssets 53
  Bridge Hubs: ParachainSystem 1, ParachainInfo 3, XcmpQueue 30, PolkadotXcm 31, MessageQueue 175
MessageQueue MaxStale is 16 on Kusama and 8 elsewhere (the live metadata).

runtime/chains.py calls register() before composing a runtime and setup_runtime(runtime) after.
"""
from __future__ import annotations

from ..runtime.chains import configured, register_pallets
from . import xcm_pallet_of
from .assets import Assets, ForeignAssets
from .executor import execute
from .message_queue import MessageQueue
from .pallet_xcm import XcmPallet
from .parachain_system import ParachainInfo, ParachainSystem
from .pools import Pools
from .relay_parachains import Dmp, Hrmp, ParaInclusion
from .router import XcmRouter
from .xcmp_queue import XcmpQueue

_registered = False


def register() -> None:
    """Append the XCM pallets to chains.PALLETS (once per process)."""
    global _registered
    if _registered:
        return
    _registered = True
    for spec, max_stale in (("kusama", 16), ("polkadot", 8)):
        register_pallets(spec, [(ParaInclusion, 53), (Dmp, 58), (Hrmp, 60), (XcmPallet, 99),
                                (configured(MessageQueue, MAX_STALE=max_stale), 100)])
    for spec in ("statemine", "statemint"):
        register_pallets(spec, [(ParachainSystem, 1), (ParachainInfo, 4), (XcmpQueue, 30), (XcmPallet, 31),
                                (MessageQueue, 35), (Assets, 50), (ForeignAssets, 53)])
    for spec in ("bridge-hub-kusama", "bridge-hub-polkadot"):
        register_pallets(spec, [(ParachainSystem, 1), (ParachainInfo, 3), (XcmpQueue, 30), (XcmPallet, 31),
                                (MessageQueue, 175)])


def setup_runtime(runtime) -> None:
    """The transport's mailboxes, the executor behind MessageQueue, the router behind pallet-xcm and,
    where ForeignAssets lives, the pools the trader swaps through."""
    runtime.xcm_outbox = []
    runtime.xcm_inbox = []
    runtime.pallet("MessageQueue").execute = execute
    runtime.xcm_router = XcmRouter(runtime)
    hooks = xcm_pallet_of(runtime).hooks
    hooks.router = runtime.xcm_router
    if hooks.foreign_assets is not None:
        hooks.pools = Pools(hooks.native, hooks.foreign_assets, runtime.config.existential_deposit)
