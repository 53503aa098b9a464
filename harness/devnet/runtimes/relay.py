"""The relay chain runtime (Kusama "kusama", Polkadot "polkadot"), composed as construct_runtime! is.

Indices: construct_runtime! in polkadot-fellows/runtimes relay/kusama/src/lib.rs and
relay/polkadot/src/lib.rs; only the emulated pallets are listed, in declaration order (the
metadata order): index order, except TransactionPayment (33/32) and Utility (24/26), declared
after Balances as live. MessageQueue MaxStale is 16 on Kusama
and 8 on Polkadot (the live metadata).

To add a pallet: one line `(PalletClass, index)` in pallets() at its upstream index, with its
per-chain Config passed through parts.configured(...) (numbers in params.py); if it needs parts
that exist only once the runtime does (the router, another pallet), connect them in wire().
"""
from __future__ import annotations

from ..runtime.frame import Pallet
from ..runtime.runtime import ChainConfig, Runtime
from ..runtime.system import System
from ..xcm.pallet_xcm import XcmPallet
from ..xcm.relay_parachains import Dmp, Hrmp, ParaInclusion
from ..xcm.router import XcmRouter
from .parts import balances, message_queue, timestamp, transaction_payment, utility, xcm_hooks

SPECS = ("kusama", "polkadot")


def pallets(config: ChainConfig) -> list[tuple[type[Pallet], int]]:
    spec = config.spec_name
    kusama = spec == "kusama"
    return [
        (System, 0),
        (timestamp(spec), 2 if kusama else 3),
        (balances(spec), 4 if kusama else 5),
        (transaction_payment(spec), 33 if kusama else 32),
        (utility(spec), 24 if kusama else 26),     # declared after TransactionPayment, as live
        (ParaInclusion, 53),
        (Dmp, 58),
        (Hrmp, 60),
        (XcmPallet, 99),
        (message_queue(MAX_STALE=16 if kusama else 8), 100),
    ]


def wire(runtime: Runtime) -> None:
    """The XCM router (SendXcm) behind pallet-xcm and the executor."""
    runtime.xcm_router = XcmRouter(runtime)
    runtime.pallet("XcmPallet").hooks = xcm_hooks(runtime, router=runtime.xcm_router)
