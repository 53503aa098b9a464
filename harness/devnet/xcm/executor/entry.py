"""The executor's entry points: XcmExecutor::prepare_and_execute, charge_fees, and execute as the
message queue calls it."""
from __future__ import annotations

import copy
from typing import Any

from ...runtime.frame import Ctx
from .. import xcm_pallet_of
from ..builder.barriers import BarrierRejected, Properties
from ..primitives import WEIGHT_MAX, ZERO, Outcome, w, w_any_gt
from .vm import Vm
from .weigher import Unweighable

def prepare_and_execute(ctx: "Ctx", pallet: Any, origin: dict, message: list, message_id: bytes,
                        weight_limit: dict, weight_credit: dict) -> Outcome:
    """XcmExecutor::prepare_and_execute on the chain of `pallet` (its pallet-xcm instance)."""
    message = copy.deepcopy(message)
    try:
        xcm_weight = pallet.weigher.weight(message)
    except Unweighable:
        return Outcome(False, dict(ZERO), "WeightNotComputable", 0, executed=False, message_id=message_id)
    if w_any_gt(xcm_weight, weight_limit):
        return Outcome(False, dict(ZERO), {"WeightLimitReached": xcm_weight}, 0, executed=False,
                       message_id=message_id)
    if pallet.should_record(ctx):
        pallet.record(ctx, message)
    vm = Vm(ctx, pallet, origin, message_id)
    props = Properties(dict(weight_credit))
    try:
        pallet.xcm_config.barrier(vm, origin, message, xcm_weight, props)
    except BarrierRejected:
        return Outcome(False, dict(ZERO), "Barrier", 0, executed=False, message_id=message_id)
    if props.message_id is not None:
        vm.message_id = props.message_id
    return vm.run(message, xcm_weight)


def charge_fees(ctx: "Ctx", pallet: Any, origin: dict, fees: list) -> None:
    """XcmExecutor::charge_fees: withdraw delivery fees from `origin` unless waived, pay them to the treasury."""
    vm = Vm(ctx, pallet, origin, b"\0" * 32)
    if pallet.xcm_config.waived(origin):
        return
    for asset in fees:
        vm.transactor.withdraw(ctx, asset, origin)
    vm.handle_fee(fees)


def execute(ctx: "Ctx", origin: dict, message: list, weight_limit: int | dict, message_id: bytes,
            weight_credit: dict | None = None) -> Outcome:
    """Execute an inbound XCM (v5 values) on ctx's chain, as the message queue does (no weight credit)."""
    limit = weight_limit if isinstance(weight_limit, dict) else w(weight_limit, WEIGHT_MAX)
    return prepare_and_execute(ctx, xcm_pallet_of(ctx.runtime), origin, message, message_id, limit,
                               weight_credit or dict(ZERO))
