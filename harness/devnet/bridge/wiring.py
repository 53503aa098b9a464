"""Puts the bridge pallets into the chain compositions and connects them to the XCM parts.

runtime/chains.py calls register() before composing a runtime and setup_runtime(runtime) after
the XCM wiring's setup_runtime (see INTEGRATION.md): the Asset Hubs get their router (34), the
Bridge Hubs (spec names "bridge-hub-kusama" / "bridge-hub-polkadot") pallets 50-54 and the
executor's ExportMessage exporter.
"""
from __future__ import annotations

from ..runtime import chains
from ..xcm import locations as L
from .compose import asset_hub_pallets, bridge_hub_pallets
from .constants import SIDES

ASSET_HUB_SPECS = {"statemine": "Kusama", "statemint": "Polkadot"}
BRIDGE_HUB_SPECS = {"bridge-hub-kusama": "Kusama", "bridge-hub-polkadot": "Polkadot"}

_registered = False


def register() -> None:
    """Append the bridge pallets to chains.PALLETS (once per process; a Bridge Hub spec is
    registered only once chains.py knows it)."""
    global _registered
    if _registered:
        return
    _registered = True
    for spec, network in ASSET_HUB_SPECS.items():
        chains.register_pallets(spec, asset_hub_pallets(network))
    for spec, network in BRIDGE_HUB_SPECS.items():
        if spec in chains.PALLETS:
            chains.register_pallets(spec, bridge_hub_pallets(network))


def setup_runtime(runtime) -> None:
    """Connect a composed runtime's bridge pallets to its XCM router, executor and XCMP channel
    status (F asset-hub-*/src/lib.rs ToXXXXcmRouter: InAndOutXcmpChannelStatusProvider;
    bridge_to_*_config.rs XcmOverBridgeHubXXX: OutXcmpChannelStatusProvider)."""
    from ..xcm import xcm_pallet_of
    spec = runtime.config.spec_name
    xcmp = runtime.by_name.get("XcmpQueue")
    if spec in ASSET_HUB_SPECS:
        router = runtime.pallet(SIDES[ASSET_HUB_SPECS[spec]].router_name)
        router.sender = runtime.xcm_router
        router.channel_congested = _channel_status(xcmp.in_and_out_congested)
        runtime.bridge_router = router
    elif spec in BRIDGE_HUB_SPECS:
        bridge = runtime.pallet(SIDES[BRIDGE_HUB_SPECS[spec]].xcm_over)
        bridge.router = runtime.xcm_router
        bridge.channel_congested = _channel_status(xcmp.outbound_congested)
        xcm_pallet_of(runtime).hooks.exporter = bridge.export_message


def _channel_status(of_sibling):
    """A (ctx, location) status: only a sibling (1, [Parachain(id)]) can be congested."""
    def congested(ctx, location: dict) -> bool:
        parents, items = L.unpack(L.normalize(location))
        if parents != 1 or len(items) != 1 or L.junction_kind(items[0]) != "Parachain":
            return False
        return of_sibling(ctx.state, items[0]["Parachain"])
    return congested
