"""XCM for the devnet chains: executor, pallet-xcm, version conversion, location arithmetic and the
transport (router, queues). Values are XCM v5 codec values (see harness/devnet/types/xcm.py).

Entry points for other layers:
  - executor.execute(ctx, origin, message, weight_limit, message_id) -> Outcome  (inbound queues)
  - pallet_xcm.XcmPallet: pallet-xcm; its `hooks` (router, pallet-assets instances) are set by the
    runtime kind (harness/devnet/runtimes/), and its wrap_version(ctx, dest, message) serves the router
  - dispatch_apis.install(runtime): DryRunApi and XcmPaymentApi
  - versions.to_latest / from_latest, locations.* converters
"""
from __future__ import annotations

from typing import Any


def xcm_pallet_of(runtime: Any) -> Any:
    """The chain's pallet-xcm instance (XcmPallet on relays, PolkadotXcm on Asset Hubs)."""
    from .pallet_xcm import XcmPallet
    for pallet in runtime.pallets:
        if isinstance(pallet, XcmPallet):
            return pallet
    raise LookupError(f"{runtime.config.name} has no pallet-xcm")
