"""XCM for the devnet chains: executor, pallet-xcm, version conversion, location arithmetic and the
transport (router, queues). Values are XCM v5 codec values (see harness/devnet/types/xcm.py).

Layout after polkadot-sdk polkadot/xcm: executor/ (xcm-executor: the XCVM, holding, weigher),
builder/ (xcm-builder: barriers, transactors, ordering), primitives.py (the xcm crate's Outcome,
errors and Weight arithmetic), config.py (each runtime's xcm_config.rs as data, over the builder),
pallet_xcm/ (pallet-xcm).

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
    """The chain's pallet-xcm instance, by the name construct_runtime! gives it: XcmPallet on the
    relays, PolkadotXcm on the system parachains (looked up by name, so this package's modules can
    use it without importing pallet_xcm)."""
    pallet = runtime.by_name.get("XcmPallet" if runtime.config.is_relay else "PolkadotXcm")
    if pallet is None:
        raise LookupError(f"{runtime.config.name} has no pallet-xcm")
    return pallet
