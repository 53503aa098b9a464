"""Puts the bridge pallets into the chain compositions and connects them to the XCM parts.

runtime/chains.py calls register() before composing a runtime and setup_runtime(runtime) after
the XCM wiring's setup_runtime (see INTEGRATION.md): the Asset Hubs get their router (34), the
Bridge Hubs (spec names "bridge-hub-kusama" / "bridge-hub-polkadot") pallets 50-54 and the
executor's ExportMessage exporter.
"""
from __future__ import annotations

from ..runtime import chains
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
    """Connect a composed runtime's bridge pallets to its XCM router and executor."""
    from ..xcm import xcm_pallet_of
    spec = runtime.config.spec_name
    if spec in ASSET_HUB_SPECS:
        router = runtime.pallet(SIDES[ASSET_HUB_SPECS[spec]].router_name)
        router.sender = runtime.xcm_router
        runtime.bridge_router = router
    elif spec in BRIDGE_HUB_SPECS:
        bridge = runtime.pallet(SIDES[BRIDGE_HUB_SPECS[spec]].xcm_over)
        bridge.router = runtime.xcm_router
        xcm_pallet_of(runtime).hooks.exporter = bridge.export_message
