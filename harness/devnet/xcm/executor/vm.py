"""The XCVM: one execution's registers over a chain's State, fees and the trader.

Sources: polkadot-sdk polkadot/xcm/xcm-executor/src/lib.rs (process_instruction, post_process,
take_fee, refund_surplus, deposit_assets_with_retry), xcm-builder weight.rs (UsingComponents),
fee_handling.rs (XcmFeeManagerFromComponents + SendXcmFeeToAccount), cumulus primitives/utility
(SwapFirstAssetTrader). The instructions themselves are in instructions.py.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ...assets.pools import PoolError
from ...runtime.frame import Ctx, DispatchError
from .. import locations as L
from ..builder.transactors import AssetTransactor, reserves_reader
from ..config import XcmConfig, XcmHooks
from ..primitives import (ZERO, Outcome, XcmFailure, split_instruction, w_add, w_any_gt, w_min, w_sat_add,
                          w_sub)
from .holding import Holding, _take_or
from .instructions import Instructions
from .sending import deliver, validate_send
from .weigher import Unweighable, Weigher

RECURSION_LIMIT = 10


@dataclass
class _Trader:
    """(UsingComponents<WeightToFee, native, ..>, SwapFirstAssetTrader<native, AssetConversion, ..>):
    `amount` is UsingComponents' native fee; `swapped` the native bought through a pool and
    `swap_asset` the asset it was bought with (S cumulus/primitives/utility SwapFirstAssetTrader)."""

    weight: dict = field(default_factory=lambda: dict(ZERO))
    amount: int = 0
    swapped: int = 0
    swap_asset: dict | None = None


class Vm(Instructions):
    """One execution: the XCVM registers plus the chain it runs on."""

    def __init__(self, ctx: "Ctx", pallet: Any, origin: dict, message_id: bytes):
        self.ctx = ctx
        self.pallet = pallet
        self.config: XcmConfig = pallet.xcm_config
        self.hooks: XcmHooks = pallet.hooks
        self.weigher: Weigher = pallet.weigher
        self.transactor = AssetTransactor(self.config, self.hooks)
        self._reserves = reserves_reader(ctx, self.hooks)
        self.holding = Holding()
        self.origin: dict | None = origin
        self.original_origin = origin
        self.message_id = message_id
        self.topic: bytes | None = None
        self.trader = _Trader()
        self.error: tuple[int, Any] | None = None
        self.total_surplus = dict(ZERO)
        self.total_refunded = dict(ZERO)
        self.error_handler: list = []
        self.error_handler_weight = dict(ZERO)
        self.appendix: list = []
        self.appendix_weight = dict(ZERO)
        self.transact_status: Any = "Success"
        self.jit_withdraw = False
        self.fees = Holding()
        self.asset_used_in_buy_execution: dict | None = None
        self.message_weight = dict(ZERO)
        self.asset_claimer: dict | None = None
        self.depth = 0

    # --- driving ------------------------------------------------------------------------------
    def run(self, message: list, xcm_weight: dict) -> Outcome:
        self.message_weight = xcm_weight
        while message:
            failed = self.process(message)
            if failed is not None:
                index, error, weight = failed
                self.total_surplus = w_sat_add(self.total_surplus, weight)
                self.error = (index, error)
                message = self._take_error_handler() or self._take_appendix()
            else:
                self._drop_error_handler()
                message = self._take_appendix()
        return self.post_process(xcm_weight)

    def process(self, program: list) -> tuple[int, Any, dict] | None:
        """Run a fragment; on the first failure return (index, error, weight of the rest)."""
        for i, ins in enumerate(program):
            if self.depth >= RECURSION_LIMIT:
                return i, "ExceedsStackLimit", self._rest_weight(program[i + 1:])
            self.depth += 1
            try:
                self.instruction(ins)
            except XcmFailure as f:
                return i, f.error, self._rest_weight(program[i + 1:])
            finally:
                self.depth -= 1
        return None

    def _rest_weight(self, rest: list) -> dict:
        total = dict(ZERO)
        for ins in rest:
            try:
                total = w_sat_add(total, self.weigher.instruction(ins))
            except Unweighable:
                pass
        return total

    def post_process(self, xcm_weight: dict) -> Outcome:
        try:
            self.refund_surplus()
        except XcmFailure:
            pass
        self._settle_trader()
        used = w_sub(xcm_weight, self.total_surplus)
        if not self.holding.is_empty():
            claimer = self.asset_claimer or self.origin or self.original_origin
            self.pallet.drop_assets(self.ctx, claimer, self.holding.assets())
        if self.error is None:
            return Outcome(True, used, message_id=self.message_id)
        return Outcome(False, used, self.error[1], self.error[0], message_id=self.message_id)

    def _take_error_handler(self) -> list:
        handler, self.error_handler = self.error_handler, []
        self.error_handler_weight = dict(ZERO)
        return handler

    def _drop_error_handler(self) -> None:
        self.error_handler = []
        self.total_surplus = w_sat_add(self.total_surplus, self.error_handler_weight)
        self.error_handler_weight = dict(ZERO)

    def _take_appendix(self) -> list:
        appendix, self.appendix = self.appendix, []
        self.appendix_weight = dict(ZERO)
        return appendix

    # --- helpers ------------------------------------------------------------------------------
    def _origin(self) -> dict:
        if self.origin is None:
            raise XcmFailure("BadOrigin")
        return self.origin

    def _transactional(self, fn: Callable[[], None]) -> None:
        """FrameTransactionalProcessor: storage changes of fn are rolled back when it fails."""
        state = self.ctx.state
        state.begin()
        try:
            fn()
        except Exception:
            state.rollback()
            raise
        state.commit()

    def _with_holding_restored(self, fn: Callable[[], None]) -> None:
        old = self.holding.copy()
        try:
            self._transactional(fn)
        except XcmFailure:
            self.holding = old
            raise

    def _ensure_can_subsume(self, n: int) -> None:
        if len(self.holding) + n > self.config.max_assets_into_holding * 2:
            raise XcmFailure("HoldingWouldOverflow")

    def _reanchored(self, assets: Holding, dest: dict, failed: Holding | None = None) -> list:
        return assets.reanchored(dest, self.config.universal, failed)

    def _reanchor_location(self, loc: dict, dest: dict) -> dict:
        try:
            return L.reanchored(loc, dest, self.config.universal)
        except L.LocationError:
            raise XcmFailure("ReanchorFailed") from None

    def _deposit_with_retry(self, assets: Holding, beneficiary: dict) -> None:
        items = assets.assets()
        failed, last = [], None
        for a in items:
            try:
                self.transactor.deposit(self.ctx, a, beneficiary)
            except XcmFailure as f:
                failed.append(a)
                last = f
        if items and len(failed) == len(items):
            raise last
        for a in failed:
            self.transactor.deposit(self.ctx, a, beneficiary)

    # --- fees ---------------------------------------------------------------------------------
    def _is_waived(self) -> bool:
        return self.origin is not None and self.config.waived(self.origin)

    def take_fee(self, fees: list) -> None:
        if self._is_waived() or not fees:
            return
        needed = fees[0]
        wanted = next(iter(self.fees.fungible.values()), (None,))[0] or self.asset_used_in_buy_execution
        if wanted is not None and L.normalize(wanted) != L.normalize(needed["id"]):
            raise XcmFailure("FeesNotMet")          # would need the AssetExchanger (pools): not emulated
        if self.jit_withdraw:
            self.transactor.withdraw(self.ctx, needed, self._origin())
        else:
            source = self.holding if self.fees.is_empty() else self.fees
            _take_or(source, {"Definite": [needed]}, "NotHoldingFees")
        self.handle_fee([needed])

    def handle_fee(self, fees: list) -> None:
        """SendXcmFeeToAccount: deposit the fee to the treasury account (errors are only logged)."""
        receiver = L.location(0, [{"AccountId32": {"network": None, "id": self.config.fee_account}}])
        for asset in fees:
            try:
                self.transactor.deposit(self.ctx, asset, receiver)
            except XcmFailure:
                pass

    def send(self, dest: dict, message: list) -> bytes:
        """validate_send, charge the fee (take_fee), deliver."""
        if self.topic is not None and not (message and split_instruction(message[-1])[0] == "SetTopic"):
            message = message + [{"SetTopic": self.topic}]
        ticket, fees = validate_send(self.ctx, self.hooks, dest, message)
        self.take_fee(fees)
        return deliver(self.ctx, self.hooks, ticket)

    def respond(self, response: Any, info: dict) -> None:
        querier = None if self.origin is None else self._reanchor_location(self.origin, info["destination"])
        self.send(info["destination"], [{"QueryResponse": {
            "query_id": info["query_id"], "response": response, "max_weight": info["max_weight"],
            "querier": querier}}])

    # --- trader --------------------------------------------------------------------------------
    def buy_weight(self, weight: dict, payment: Holding) -> Holding:
        """The trader tuple: UsingComponents in the native token, else (where pools exist) the
        first asset of the payment swapped for the native fee. Any failure is TooExpensive (the
        tuple reports TooExpensive once a member did, and UsingComponents always does)."""
        amount = self.hooks.weight_to_fee(weight)
        try:
            payment.checked_sub({"id": self.config.native_location, "fun": {"Fungible": amount}})
        except ValueError:
            self._swap_for_weight(amount, payment)
        else:
            self.trader.amount += amount
        self.trader.weight = w_add(self.trader.weight, weight)
        return payment

    def _swap_for_weight(self, amount: int, payment: Holding) -> None:
        """SwapFirstAssetTrader::buy_weight: all of the first asset is offered, the change stays."""
        first = payment.assets()[0] if not payment.is_empty() else None
        if self.hooks.pools is None or first is None or "Fungible" not in first["fun"] \
                or L.normalize(first["id"]) == L.normalize(self.config.native_location):
            raise XcmFailure("TooExpensive")
        offered = first["fun"]["Fungible"]
        try:
            paid = self.hooks.pools.buy_native(self.ctx, first["id"], offered, amount)
        except PoolError:
            raise XcmFailure("TooExpensive") from None
        payment.checked_sub({"id": first["id"], "fun": {"Fungible": paid}})
        self.trader.swapped += amount
        self.trader.swap_asset = first["id"]

    def refund_weight(self, weight: dict) -> dict | None:
        weight = w_min(weight, self.trader.weight)
        amount = self.hooks.weight_to_fee(weight)
        self.trader.weight = w_sub(self.trader.weight, weight)
        if self.trader.amount or not self.trader.swapped:
            self.trader.amount = max(0, self.trader.amount - amount)
            return {"id": self.config.native_location, "fun": {"Fungible": amount}} if amount > 0 else None
        # SwapFirstAssetTrader::refund_weight: the native refund swapped back into the asset paid with
        if amount == 0 or amount >= self.trader.swapped:
            return None
        try:
            back = self.hooks.pools.sell_native(self.ctx, self.trader.swap_asset, amount)
        except PoolError:
            return None
        self.trader.swapped -= amount
        return {"id": self.trader.swap_asset, "fun": {"Fungible": back}}

    def _settle_trader(self) -> None:
        """The traders' Drop: the native fee (UsingComponents' and the swapped one) is resolved to
        the configured recipient (or stays burnt)."""
        recipient = self.config.trader_recipient
        total = self.trader.amount + self.trader.swapped
        if total and recipient is not None:
            try:
                self.hooks.native.issue_to(self.ctx, recipient, total)
            except DispatchError:
                pass
        self.trader.amount = self.trader.swapped = 0

    def refund_surplus(self) -> None:
        current = w_sub(self.total_surplus, self.total_refunded)
        if w_any_gt(current, ZERO):
            refund = self.refund_weight(current)
            if refund is not None:
                if not self.holding.amount_of(refund["id"]) and \
                        len(self.holding) + 1 > self.config.max_assets_into_holding * 2:
                    self.buy_weight(current, Holding.of([refund]))
                    raise XcmFailure("HoldingWouldOverflow")
                self.total_refunded = w_sat_add(self.total_refunded, current)
                self.holding.subsume(refund)
        if not self.fees.is_empty():
            self.holding.subsume_holding(self.fees.saturating_take({"Wild": "All"}))

    # --- instructions ------------------------------------------------------------------------------
    def instruction(self, ins: Any) -> None:
        name, p = split_instruction(ins)
        handler = getattr(self, f"i_{name}", None)
        if handler is None:
            raise XcmFailure("Unimplemented")
        handler(p)
