"""Pieces every runtime kind composes from: the FRAME pallets with their per-chain parameters, the
message queue over the XCM executor, and pallet-xcm's config.

Each function here is one `impl <pallet>::Config for Runtime` of the runtimes' src/lib.rs (or
xcm_config.rs), reduced to the settings the emulation reads; the numbers are in params.py.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..runtime.balances import Balances
from ..runtime.frame import Pallet
from ..runtime.payment import TransactionPayment
from ..runtime.timestamp import Timestamp
from ..runtime.utility import Utility
from ..xcm.config import XcmHooks
from ..xcm.executor import execute
from ..xcm.message_queue import MessageQueue
from ..xcm.pallet_xcm.hooks import default_hooks
from .params import CALL_WEIGHTS, FEES, MINIMUM_PERIOD, UTILITY_WEIGHTS


def configured(cls: type[Pallet], **attrs: Any) -> type[Pallet]:
    """A per-chain subclass of a pallet with its chain-specific class attributes (its Config)."""
    return type(cls.__name__, (cls,), attrs)


def timestamp(spec: str) -> type[Pallet]:
    return configured(Timestamp, MINIMUM_PERIOD=MINIMUM_PERIOD[spec], WEIGHTS=CALL_WEIGHTS[spec]["Timestamp"])


def balances(spec: str) -> type[Pallet]:
    return configured(Balances, WEIGHTS=CALL_WEIGHTS[spec]["Balances"])


def utility(spec: str) -> type[Pallet]:
    return configured(Utility, WEIGHTS=UTILITY_WEIGHTS[spec])


def transaction_payment(spec: str) -> type[Pallet]:
    return configured(TransactionPayment, FEES=FEES[spec])


def message_queue(**attrs: Any) -> type[Pallet]:
    """pallet-message-queue whose MessageProcessor is ProcessXcmMessage<XcmExecutor<XcmConfig>>."""
    return configured(MessageQueue, EXECUTOR=staticmethod(execute), **attrs)


def xcm_hooks(runtime: Any, **parts: Any) -> XcmHooks:
    """pallet-xcm's and the executor's runtime parts: pallet_xcm.default_hooks (Balances as the
    native fungible, the chain's WeightToFee, its pallet-assets instances) plus `parts` (router,
    pools, exporter)."""
    return replace(default_hooks(runtime), **parts)
