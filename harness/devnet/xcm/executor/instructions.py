"""The XCVM's instructions, one method i_<Name> each: xcm-executor lib.rs process_instruction
(InitiateTransfer, ExecuteWithOrigin, SetHints and the rest). Mixed into vm.Vm.
"""
from __future__ import annotations

from typing import Any

from ...runtime.frame import DispatchError
from .. import locations as L
from ..primitives import XcmFailure, encoded_call, w_sat_add
from .holding import Holding, _take_or
from .sending import validate_send
from .weigher import Unweighable

class Instructions:
    """The i_<Name> handlers; `self` is the vm.Vm running them."""

    def i_WithdrawAsset(self, assets: list) -> None:
        origin = self._origin()
        self._ensure_can_subsume(len(assets))

        def withdraw():
            for a in assets:
                self.transactor.withdraw(self.ctx, a, origin)
        self._transactional(withdraw)
        for a in assets:
            self.holding.subsume(a)

    def i_ReserveAssetDeposited(self, assets: list) -> None:
        origin = self._origin()
        self._ensure_can_subsume(len(assets))
        for a in assets:
            if not self.config.is_reserve(a, origin, self._reserves):
                raise XcmFailure("UntrustedReserveLocation")
        for a in assets:
            self.holding.subsume(a)

    def i_ReceiveTeleportedAsset(self, assets: list) -> None:
        origin = self._origin()
        self._ensure_can_subsume(len(assets))

        def check_in():
            for a in assets:
                if not self.config.is_teleporter(a, origin, self._reserves):
                    raise XcmFailure("UntrustedTeleportLocation")
                self.transactor.can_check_in(self.ctx, origin, a)
                self.transactor.check_in(self.ctx, origin, a)
        self._transactional(check_in)
        for a in assets:
            self.holding.subsume(a)

    def i_QueryResponse(self, p: dict) -> None:
        origin = self._origin()
        self.pallet.on_response(self.ctx, origin, p["query_id"], p["querier"], p["response"], p["max_weight"])

    def i_TransferAsset(self, p: dict) -> None:
        def transfer():
            origin = self._origin()
            for a in p["assets"]:
                self.transactor.transfer(self.ctx, a, origin, p["beneficiary"])
        self._transactional(transfer)

    def i_TransferReserveAsset(self, p: dict) -> None:
        def transfer():
            origin = self._origin()
            for a in p["assets"]:
                self.transactor.transfer(self.ctx, a, origin, p["dest"])
            try:
                assets = [L.reanchor_asset(a, p["dest"], self.config.universal) for a in p["assets"]]
            except L.LocationError:
                raise XcmFailure("LocationFull") from None
            self.send(p["dest"], [{"ReserveAssetDeposited": assets}, "ClearOrigin"] + list(p["xcm"]))
        self._transactional(transfer)

    def i_Transact(self, p: dict) -> None:
        origin = self._origin()
        runtime = self.ctx.runtime
        try:
            call = runtime.registry.decode(runtime.call_enum, encoded_call(p["call"]))
        except Exception:
            raise XcmFailure("FailedToDecode") from None
        dispatch_origin = self.pallet.transact_origin(self.ctx, origin, p["origin_kind"])
        if dispatch_origin is None:
            raise XcmFailure("BadOrigin")
        try:
            runtime.dispatch(self.ctx, dispatch_origin, call)
            self.transact_status = "Success"
        except DispatchError as e:
            # MaybeErrorCode from the encoded DispatchError, bounded by MaxDispatchErrorLen = 128
            encoded = runtime.registry.encode(runtime.types.dispatch_error, e.value)
            self.transact_status = {"Error" if len(encoded) <= 128 else "TruncatedError": encoded[:128]}

    def i_ClearOrigin(self, _: Any) -> None:
        self.origin = None

    def i_DescendOrigin(self, interior: Any) -> None:
        origin = self._origin()
        try:
            self.origin = L.append_with(origin, interior)
        except L.LocationError:
            raise XcmFailure("LocationFull") from None

    def i_ReportError(self, info: dict) -> None:
        error = None if self.error is None else [self.error[0], self.error[1]]
        self.respond({"ExecutionResult": error}, info)

    def i_DepositAsset(self, p: dict) -> None:
        def deposit():
            taken = self.holding.saturating_take(p["assets"])
            self._deposit_with_retry(taken, p["beneficiary"])
        self._with_holding_restored(deposit)

    def i_DepositReserveAsset(self, p: dict) -> None:
        dest = p["dest"]

        def deposit():
            parked = self._delivery_fee_from_holding(p["assets"], dest, p["xcm"]) if self.fees.is_empty() else None
            taken = self.holding.saturating_take(p["assets"])
            message = self._reserve_deposit(taken, dest)
            message.append("ClearOrigin")
            message.extend(p["xcm"])
            if parked is not None:
                self.holding.subsume_holding(parked)
            self.send(dest, message)
        self._with_holding_restored(deposit)

    def _delivery_fee_from_holding(self, mask: dict, dest: dict, xcm: list) -> Holding | None:
        to_weigh = self.holding.saturating_take(mask)
        self.holding.subsume_holding(to_weigh)
        message = [{"ReserveAssetDeposited": self._reanchored(to_weigh.copy(), dest)}, "ClearOrigin"] + list(xcm)
        _, fees = validate_send(self.ctx, self.hooks, dest, message)
        if not fees:
            return None
        return self.holding.saturating_take({"Definite": [fees[0]]})

    def _reserve_deposit(self, assets: Holding, dest: dict) -> list:
        self._deposit_with_retry(assets, dest)
        return [{"ReserveAssetDeposited": self._reanchored(assets, dest)}]

    def _reserve_withdraw(self, assets: Holding, reserve: dict) -> list:
        for a in assets.assets():
            if not self.config.is_reserve(a, reserve, self._reserves):
                raise XcmFailure("UntrustedReserveLocation")
        return [{"WithdrawAsset": self._reanchored(assets, reserve, self.holding)}]

    def _teleport(self, assets: Holding, dest: dict) -> list:
        for a in assets.assets():
            if not self.config.is_teleporter(a, dest, self._reserves):
                raise XcmFailure("UntrustedTeleportLocation")
            self.transactor.can_check_out(self.ctx, dest, a)
        for a in assets.assets():
            self.transactor.check_out(self.ctx, dest, a)
        return [{"ReceiveTeleportedAsset": self._reanchored(assets, dest)}]

    def i_InitiateReserveWithdraw(self, p: dict) -> None:
        def withdraw():
            message = self._reserve_withdraw(self.holding.saturating_take(p["assets"]), p["reserve"])
            self.send(p["reserve"], message + ["ClearOrigin"] + list(p["xcm"]))
        self._with_holding_restored(withdraw)

    def i_InitiateTeleport(self, p: dict) -> None:
        def teleport():
            message = self._teleport(self.holding.saturating_take(p["assets"]), p["dest"])
            self.send(p["dest"], message + ["ClearOrigin"] + list(p["xcm"]))
        self._with_holding_restored(teleport)

    def _transfer_filter(self, f: dict, dest: dict, saturating: bool) -> list:
        (kind, mask), = f.items()
        assets = self.holding.saturating_take(mask) if saturating else _take_or(self.holding, mask, "NotHoldingFees")
        if kind == "Teleport":
            return self._teleport(assets, dest)
        if kind == "ReserveDeposit":
            return self._reserve_deposit(assets, dest)
        return self._reserve_withdraw(assets, dest)

    def i_InitiateTransfer(self, p: dict) -> None:
        dest = p["destination"]

        def transfer():
            message: list = []
            if p["remote_fees"] is not None:
                fee_part = self._transfer_filter(p["remote_fees"], dest, saturating=False)
                (_, fee_assets), = fee_part[0].items()
                if len(fee_assets) != 1:
                    raise XcmFailure("TooManyAssets")
                message += fee_part
                message.append({"PayFees": {"asset": fee_assets[0]}})
            else:
                message.append({"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}})
            for f in p["assets"]:
                message += self._transfer_filter(f, dest, saturating=True)
            if p["preserve_origin"]:
                if self.origin is None:
                    raise XcmFailure("BadOrigin")
                try:
                    message.append({"AliasOrigin": L.reanchored(self.origin, dest, self.config.universal)})
                except L.LocationError:
                    raise XcmFailure("BadOrigin") from None
            else:
                message.append("ClearOrigin")
            message.extend(p["remote_xcm"])
            self.send(dest, message)
        self._with_holding_restored(transfer)

    def i_ReportHolding(self, p: dict) -> None:
        assets = [L.reanchor_asset(a, p["response_info"]["destination"], self.config.universal)
                  for a in self.holding.min(p["assets"])]
        self.respond({"Assets": assets}, p["response_info"])

    def i_BuyExecution(self, p: dict) -> None:
        limit = p["weight_limit"]
        if limit == "Unlimited":
            return
        self.asset_used_in_buy_execution = p["fees"]["id"]
        old = self.holding.copy()
        max_fee = _take_or(self.holding, {"Definite": [p["fees"]]}, "NotHoldingFees")
        try:
            unspent = self.buy_weight(limit["Limited"], max_fee)
        except XcmFailure:
            self.holding = old
            raise
        self.holding.subsume_holding(unspent)

    def i_PayFees(self, p: dict) -> None:
        old = self.holding.copy()
        max_fee = _take_or(self.holding, {"Definite": [p["asset"]]}, "NotHoldingFees")
        try:
            unspent = self.buy_weight(self.message_weight, max_fee)
        except XcmFailure:
            self.holding = old
            raise
        self.fees.subsume_holding(unspent)

    def i_RefundSurplus(self, _: Any) -> None:
        self.refund_surplus()

    def i_SetErrorHandler(self, handler: list) -> None:
        weight = self._weigh_fragment(handler)
        self.total_surplus = w_sat_add(self.total_surplus, self.error_handler_weight)
        self.error_handler, self.error_handler_weight = list(handler), weight

    def i_SetAppendix(self, appendix: list) -> None:
        weight = self._weigh_fragment(appendix)
        self.total_surplus = w_sat_add(self.total_surplus, self.appendix_weight)
        self.appendix, self.appendix_weight = list(appendix), weight

    def _weigh_fragment(self, program: list) -> dict:
        try:
            return self.weigher.weight(program)
        except Unweighable:
            raise XcmFailure("WeightNotComputable") from None

    def i_ClearError(self, _: Any) -> None:
        self.error = None

    def i_SetHints(self, p: dict) -> None:
        for hint in p["hints"]:
            self.asset_claimer = hint["AssetClaimer"]["location"]

    def i_ClaimAsset(self, p: dict) -> None:
        origin = self._origin()
        self._ensure_can_subsume(len(p["assets"]))
        if not self.pallet.claim_assets(self.ctx, origin, p["ticket"], p["assets"]):
            raise XcmFailure("UnknownClaim")
        for a in p["assets"]:
            self.holding.subsume(a)

    def i_Trap(self, code: int) -> None:
        raise XcmFailure({"Trap": code})

    def i_SubscribeVersion(self, p: dict) -> None:
        origin = self._origin()
        if L.normalize(origin) != L.normalize(self.original_origin):
            raise XcmFailure("BadOrigin")
        self.pallet.start_subscription(self.ctx, origin, p["query_id"], p["max_response_weight"])

    def i_UnsubscribeVersion(self, _: Any) -> None:
        origin = self._origin()
        if L.normalize(origin) != L.normalize(self.original_origin):
            raise XcmFailure("BadOrigin")
        self.pallet.stop_subscription(self.ctx, origin)

    def i_BurnAsset(self, assets: list) -> None:
        self.holding.saturating_take({"Definite": assets})

    def i_ExpectAsset(self, assets: list) -> None:
        try:
            self.holding.ensure_contains(assets)
        except ValueError:
            raise XcmFailure("ExpectationFalse") from None

    def i_ExpectOrigin(self, origin: Any) -> None:
        if L.normalize(origin) != L.normalize(self.origin):
            raise XcmFailure("ExpectationFalse")

    def i_ExpectError(self, error: Any) -> None:
        current = None if self.error is None else [self.error[0], self.error[1]]
        if L.normalize(error) != L.normalize(current):
            raise XcmFailure("ExpectationFalse")

    def i_ExpectTransactStatus(self, status: Any) -> None:
        if L.normalize(status) != L.normalize(self.transact_status):
            raise XcmFailure("ExpectationFalse")

    def i_ReportTransactStatus(self, info: dict) -> None:
        self.respond({"DispatchResult": self.transact_status}, info)

    def i_ClearTransactStatus(self, _: Any) -> None:
        self.transact_status = "Success"

    def i_UniversalOrigin(self, junction: Any) -> None:
        universal = self.config.universal
        if universal and L.normalize(universal[0]) == L.normalize(junction):
            raise XcmFailure("InvalidLocation")
        origin = self._origin()
        if not self.config.universal_aliases(origin, junction):
            raise XcmFailure("InvalidLocation")
        self.origin = L.relative_to([junction], universal)

    def i_ExportMessage(self, p: dict) -> None:
        # The bridge arrives later: with no exporter configured the message is unroutable.
        origin = self._origin()
        if self.hooks.exporter is None:
            raise XcmFailure("Unroutable")

        def export():
            fees = self.hooks.exporter(self.ctx, origin, p["network"], p["destination"], p["xcm"])
            self.take_fee(fees)
        self._with_holding_restored(export)

    def i_ExchangeAsset(self, p: dict) -> None:
        # AssetExchanger: relays have none; the Asset Hubs' pools are not emulated.
        raise XcmFailure("NoDeal")

    def i_SetFeesMode(self, p: dict) -> None:
        self.jit_withdraw = bool(p["jit_withdraw"])

    def i_SetTopic(self, topic: bytes) -> None:
        self.topic = bytes(topic)

    def i_ClearTopic(self, _: Any) -> None:
        self.topic = None

    def i_AliasOrigin(self, target: dict) -> None:
        origin = self._origin()
        if not self.config.aliasers(self, origin, target):
            raise XcmFailure("NoPermission")
        self.origin = target

    def i_UnpaidExecution(self, p: dict) -> None:
        check = p["check_origin"]
        if check is not None and L.normalize(check) != L.normalize(self.origin):
            raise XcmFailure("BadOrigin")

    def i_ExecuteWithOrigin(self, p: dict) -> None:
        previous = self.origin
        if p["descendant_origin"] is not None:
            self.i_DescendOrigin(p["descendant_origin"])
        else:
            self.origin = None
        try:
            failed = self.process(p["xcm"])
        finally:
            self.origin = previous
        if failed is not None:
            raise XcmFailure(failed[1])
