"""WeightInfoBounds: a message's weight from the benchmarked per-instruction weights.

Sources: polkadot-sdk polkadot/xcm/xcm-builder/src/weight.rs (WeightInfoBounds) and each runtime's
weights/xcm/{mod,pallet_xcm_benchmarks_fungible,pallet_xcm_benchmarks_generic}.rs.
"""
from __future__ import annotations

from typing import Any, Callable

from .. import locations as L
from ..config import XcmConfig
from ..locations import CODEC, XCM_TYPES
from ..primitives import WEIGHT_MAX, ZERO, _fits, encoded_call, split_instruction, w, w_add, w_sat_add

class Unweighable(Exception):
    """WeightInfoBounds could not weigh the message (too many instructions, overflow, bad call)."""


_FUNGIBLE_WEIGHED = {
    "WithdrawAsset": "withdraw_asset", "ReserveAssetDeposited": "reserve_asset_deposited",
    "ReceiveTeleportedAsset": "receive_teleported_asset", "TransferAsset": "transfer_asset",
    "TransferReserveAsset": "transfer_reserve_asset", "DepositAsset": "deposit_asset",
    "DepositReserveAsset": "deposit_reserve_asset", "InitiateReserveWithdraw": "initiate_reserve_withdraw",
    "InitiateTeleport": "initiate_teleport", "BurnAsset": "burn_asset", "ExpectAsset": "expect_asset",
}
_FLAT = {
    "QueryResponse": "query_response", "ClearOrigin": "clear_origin", "DescendOrigin": "descend_origin",
    "ReportError": "report_error", "ReportHolding": "report_holding", "BuyExecution": "buy_execution",
    "PayFees": "pay_fees", "RefundSurplus": "refund_surplus", "SetErrorHandler": "set_error_handler",
    "SetAppendix": "set_appendix", "ClearError": "clear_error", "Trap": "trap",
    "SubscribeVersion": "subscribe_version", "UnsubscribeVersion": "unsubscribe_version",
    "ExpectOrigin": "expect_origin", "ExpectError": "expect_error", "ExpectTransactStatus": "expect_transact_status",
    "QueryPallet": "query_pallet", "ExpectPallet": "expect_pallet", "ReportTransactStatus": "report_transact_status",
    "ClearTransactStatus": "clear_transact_status", "UniversalOrigin": "universal_origin",
    "SetFeesMode": "set_fees_mode", "SetTopic": "set_topic", "ClearTopic": "clear_topic",
    "AliasOrigin": "alias_origin", "UnpaidExecution": "unpaid_execution", "ExecuteWithOrigin": "execute_with_origin",
    "Transact": "transact",
}
_UNSUPPORTED = ("HrmpNewChannelOpenRequest", "HrmpChannelAccepted", "HrmpChannelClosing",
                "LockAsset", "UnlockAsset", "NoteUnlockable", "RequestUnlock")


class Weigher:
    """WeightInfoBounds<RuntimeXcmWeight, RuntimeCall, MaxInstructions> for one chain."""

    def __init__(self, config: XcmConfig, call_weight: Callable[[bytes], dict] | None = None):
        self.config = config
        self.table = config.weights
        self.call_weight = call_weight    # encoded RuntimeCall -> its dispatch weight (Transact)

    def weight(self, program: list) -> dict:
        left = [self.config.max_instructions]
        return self._weigh(program, left)

    def _weigh(self, program: list, left: list) -> dict:
        left[0] -= len(program)
        if left[0] < 0:
            raise Unweighable("too many instructions")
        total = ZERO
        for ins in program:
            total = w_add(total, self.instruction(ins, left))
            if not _fits(total):
                raise Unweighable("weight overflow")
        return total

    def instruction(self, ins: Any, left: list | None = None) -> dict:
        left = left if left is not None else [self.config.max_instructions]
        name, p = split_instruction(ins)
        inner = ZERO
        if name in ("SetErrorHandler", "SetAppendix"):
            inner = self._weigh(p, left)
        elif name == "ExecuteWithOrigin":
            inner = self._weigh(p["xcm"], left)
        elif name == "Transact":
            if self.call_weight is None:
                raise Unweighable("no call weigher")
            inner = self.call_weight(encoded_call(p["call"]))
        own = self._own(name, p)
        total = w_add(inner, own)
        if not _fits(total):
            raise Unweighable("weight overflow")
        return total

    def _bench(self, key: str) -> dict:
        if key not in self.table:
            return w(WEIGHT_MAX, WEIGHT_MAX)
        return w(*self.table[key])

    def _own(self, name: str, p: Any) -> dict:
        if name in _UNSUPPORTED:
            return w(WEIGHT_MAX, WEIGHT_MAX)
        if name in _FLAT:
            return self._bench(_FLAT[name])
        if name in _FUNGIBLE_WEIGHED:
            assets = p["assets"] if isinstance(p, dict) else p
            return self._weigh_assets(assets, self._bench(_FUNGIBLE_WEIGHED[name]))
        if name == "ClaimAsset":
            base = self._bench("claim_asset")
            return base if self.config.unknown_asset_unweighable else self._weigh_assets(p["assets"], base)
        if name == "ExchangeAsset":
            base = self._bench("exchange_asset")
            give, want = self._weigh_assets(p["give"], base), self._weigh_assets(p["want"], base)
            return give if give["ref_time"] >= want["ref_time"] else want
        if name == "InitiateTransfer":
            base = self._bench("initiate_transfer")
            total = base
            if p["remote_fees"] is not None:
                total = self._weigh_assets(next(iter(p["remote_fees"].values())), base)
            for f in p["assets"]:
                total = w_sat_add(total, self._weigh_assets(next(iter(f.values())), base))
            return total
        if name == "SetHints":
            total = ZERO
            for _ in p["hints"]:
                total = w_sat_add(total, self._bench("asset_claimer"))
            return total
        if name == "ExportMessage" and "export_message" in self.table:
            # Bridge Hubs: export_message(inner_encoded_len), a base plus a per-byte component
            ref_time, proof_size, per_byte = self.table["export_message"]
            inner_len = len(CODEC.encode(XCM_TYPES.v5.xcm_unit, p["xcm"]))
            return w(ref_time + per_byte * inner_len, proof_size)
        return w(WEIGHT_MAX, WEIGHT_MAX)

    def _weigh_assets(self, assets: Any, base: dict) -> dict:
        """weights/xcm/mod.rs WeighAssets for Assets (a list) and AssetFilter (Definite/Wild)."""
        cfg = self.config
        if isinstance(assets, dict) and "Definite" in assets:
            assets = assets["Definite"]
        if isinstance(assets, list):
            if cfg.unknown_asset_unweighable:
                total = ZERO
                for a in assets:
                    known = L.normalize(a["id"]) == L.normalize(cfg.native_location)
                    total = w_sat_add(total, base if known else w(WEIGHT_MAX, WEIGHT_MAX))
                return total
            return _w_mul(base, len(assets))
        wild = assets["Wild"]
        name, p = split_instruction(wild)
        if name == "All":
            return _w_mul(base, cfg.weigh_assets_cap)
        if name in ("AllCounted", "AllOfCounted"):
            count = p if name == "AllCounted" else p["count"]
            return _w_mul(base, min(cfg.weigh_assets_cap, max(count, 1)))
        if name == "AllOf" and p["fun"] == "NonFungible" and not cfg.unknown_asset_unweighable:
            return _w_mul(base, cfg.max_assets_into_holding * 2)
        return base


def _w_mul(a: dict, n: int) -> dict:
    return {k: min(WEIGHT_MAX, a[k] * n) for k in ("ref_time", "proof_size")}
