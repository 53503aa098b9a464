"""The XCM executor (XCVM) over a chain's State, with the xcm-builder pieces the runtimes compose.

Sources: polkadot-sdk polkadot/xcm/xcm-executor/src/lib.rs (process_instruction, post_process,
take_fee, refund_surplus, deposit_assets_with_retry, InitiateTransfer, ExecuteWithOrigin, SetHints)
and assets.rs (the holding register); xcm-builder/src/barriers.rs, weight.rs (WeightInfoBounds,
UsingComponents), fungible_adapter.rs / fungibles_adapter.rs (the transactors and teleport
checking), fee_handling.rs (XcmFeeManagerFromComponents + SendXcmFeeToAccount), origin_aliases.rs
(AliasChildLocation) and pallet-xcm's AuthorizedAliasers. Values are v5 codec values.

Errors are raised as XcmFailure(error) where error is an xcm::v5::traits::Error value: a variant
name ("NotHoldingFees") or {"Trap": n} / {"WeightLimitReached": weight}.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable

from ..runtime.frame import DispatchError
from . import locations as L
from .config import (AssetsTransactor, ForeignAssetsTransactor, MAX_ASSETS_FOR_BUY_EXECUTION, NativeTransactor,
                     WEIGHT_MAX, XcmConfig, XcmHooks)
from .locations import CODEC, XCM_TYPES
from .pools import PoolError

if TYPE_CHECKING:
    from ..runtime.frame import Ctx

RECURSION_LIMIT = 10
ZERO = {"ref_time": 0, "proof_size": 0}
# SendError -> XcmError (xcm v5 traits.rs, impl From<SendError> for Error)
SEND_ERRORS = {"NotApplicable": "Unroutable", "Transport": "Transport", "Unroutable": "Unroutable",
               "DestinationUnsupported": "DestinationUnsupported", "ExceedsMaxMessageSize": "ExceedsMaxMessageSize",
               "MissingArgument": "FailedToTransactAsset", "Fees": "FeesNotMet"}


class XcmFailure(Exception):
    def __init__(self, error: Any):
        super().__init__(str(error))
        self.error = error


class SendFailure(Exception):
    """What a router raises when it cannot send: `error` is an xcm SendError variant name."""

    def __init__(self, error: str):
        super().__init__(error)
        self.error = error


@dataclass
class Outcome:
    """staging_xcm::v5::traits::Outcome: Complete / Incomplete (executed, then failed) / Error (not run)."""

    complete: bool
    used_weight: dict
    error: Any = None                 # xcm v5 Error value
    error_index: int | None = None    # index of the failing instruction in its fragment
    executed: bool = True             # False: Outcome::Error (weighing or barrier refused it)
    message_id: bytes = b""           # the id after SetTopic / TrailingSetTopicAsId

    @property
    def value(self) -> Any:
        if self.complete:
            return {"Complete": {"used": self.used_weight}}
        ie = {"index": self.error_index or 0, "error": self.error}
        if not self.executed:
            return {"Error": ie}
        return {"Incomplete": {"used": self.used_weight, "error": ie}}


# --- weights ------------------------------------------------------------------------------------

def w(ref: int, proof: int = 0) -> dict:
    return {"ref_time": ref, "proof_size": proof}


def w_add(a: dict, b: dict) -> dict:
    return {"ref_time": a["ref_time"] + b["ref_time"], "proof_size": a["proof_size"] + b["proof_size"]}


def w_sat_add(a: dict, b: dict) -> dict:
    return {k: min(WEIGHT_MAX, a[k] + b[k]) for k in ("ref_time", "proof_size")}


def w_sub(a: dict, b: dict) -> dict:
    return {k: max(0, a[k] - b[k]) for k in ("ref_time", "proof_size")}


def w_min(a: dict, b: dict) -> dict:
    return {k: min(a[k], b[k]) for k in ("ref_time", "proof_size")}


def w_all_gte(a: dict, b: dict) -> bool:
    return a["ref_time"] >= b["ref_time"] and a["proof_size"] >= b["proof_size"]


def w_any_gt(a: dict, b: dict) -> bool:
    return a["ref_time"] > b["ref_time"] or a["proof_size"] > b["proof_size"]


def _fits(a: dict) -> bool:
    return a["ref_time"] <= WEIGHT_MAX and a["proof_size"] <= WEIGHT_MAX


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


def split_instruction(ins: Any) -> tuple[str, Any]:
    if isinstance(ins, str):
        return ins, None
    (name, payload), = ins.items()
    return name, payload


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


# --- the holding register (xcm-executor assets.rs AssetsInHolding) -------------------------------

def _net_key(n: Any) -> tuple:
    order = ("ByGenesis", "ByFork", "Polkadot", "Kusama", "Westend", "Rococo", "Wococo", "Ethereum",
             "BitcoinCore", "BitcoinCash", "PolkadotBulletin")
    name, p = split_instruction(n)
    idx = order.index(name)
    if name == "ByGenesis":
        return (idx, bytes(p))
    if name == "ByFork":
        return (idx, p["block_number"], bytes(p["block_hash"]))
    if name == "Ethereum":
        return (idx, p["chain_id"])
    return (idx,)


def _opt_net_key(n: Any) -> tuple:
    return (0,) if n is None else (1, _net_key(n))


def _variant_key(v: Any) -> tuple:
    name, p = split_instruction(v)
    return (name, repr(p))


_JUNCTION_ORDER = ("Parachain", "AccountId32", "AccountIndex64", "AccountKey20", "PalletInstance", "GeneralIndex",
                   "GeneralKey", "OnlyChild", "Plurality", "GlobalConsensus")


def _junction_key(j: Any) -> tuple:
    name, p = split_instruction(j)
    idx = _JUNCTION_ORDER.index(name)
    if name in ("Parachain", "PalletInstance", "GeneralIndex"):
        return (idx, p)
    if name == "AccountId32":
        return (idx, _opt_net_key(p["network"]), bytes(p["id"]))
    if name == "AccountIndex64":
        return (idx, _opt_net_key(p["network"]), p["index"])
    if name == "AccountKey20":
        return (idx, _opt_net_key(p["network"]), bytes(p["key"]))
    if name == "GeneralKey":
        return (idx, p["length"], bytes(p["data"]))
    if name == "Plurality":
        return (idx, _variant_key(p["id"]), _variant_key(p["part"]))
    if name == "GlobalConsensus":
        return (idx, _net_key(p))
    return (idx,)


def location_key(loc: dict) -> tuple:
    """The derived Ord of Location (parents, then Junctions: variant Xn, then the junctions)."""
    items = L.junctions(loc)
    return (loc["parents"], len(items), tuple(_junction_key(j) for j in items))


def asset_key(asset: dict) -> tuple:
    fun_name, amount = split_instruction(asset["fun"])
    return (location_key(asset["id"]), 0 if fun_name == "Fungible" else 1,
            amount if fun_name == "Fungible" else repr(amount))


def sort_assets(assets: list) -> list:
    return sorted(assets, key=asset_key)


class Holding:
    """AssetsInHolding: fungible balances by asset id plus non-fungible (id, instance) pairs."""

    def __init__(self):
        self.fungible: dict[tuple, tuple[dict, int]] = {}       # key -> (id, amount)
        self.non_fungible: dict[tuple, tuple[dict, Any]] = {}   # key -> (id, instance)

    @classmethod
    def of(cls, assets: list) -> "Holding":
        h = cls()
        for a in assets:
            h.subsume(a)
        return h

    def copy(self) -> "Holding":
        return copy.deepcopy(self)

    def __len__(self) -> int:
        return len(self.fungible) + len(self.non_fungible)

    def is_empty(self) -> bool:
        return not self.fungible and not self.non_fungible

    def subsume(self, asset: dict) -> None:
        fun, value = split_instruction(asset["fun"])
        key = location_key(asset["id"])
        if fun == "Fungible":
            if value == 0:
                return
            _, held = self.fungible.get(key, (asset["id"], 0))
            self.fungible[key] = (asset["id"], held + value)
        else:
            self.non_fungible[(key, repr(value))] = (asset["id"], value)

    def subsume_holding(self, other: "Holding") -> None:
        for a in other.assets():
            self.subsume(a)

    def assets(self) -> list:
        """Fungibles in id order, then non-fungibles (assets_iter / into_assets_iter)."""
        out = [{"id": i, "fun": {"Fungible": n}} for _, (i, n) in sorted(self.fungible.items())]
        out += [{"id": i, "fun": {"NonFungible": inst}} for _, (i, inst) in sorted(self.non_fungible.items())]
        return out

    def amount_of(self, asset_id: dict) -> int:
        return self.fungible.get(location_key(asset_id), (None, 0))[1]

    def _take_fungible(self, key: tuple, amount: int | None) -> dict | None:
        if key not in self.fungible:
            return None
        aid, held = self.fungible[key]
        take = held if amount is None else min(held, amount)
        if take == held:
            del self.fungible[key]
        else:
            self.fungible[key] = (aid, held - take)
        return {"id": aid, "fun": {"Fungible": take}} if take else None

    def _general_take(self, mask: dict, saturate: bool) -> "Holding":
        taken = Holding()
        kind, p = split_instruction(mask)
        if kind == "Definite":
            if not saturate:
                self.ensure_contains(p)
            for a in p:
                fun, value = split_instruction(a["fun"])
                key = location_key(a["id"])
                if fun == "Fungible":
                    got = self._take_fungible(key, value)
                    if got:
                        taken.subsume(got)
                elif (key, repr(value)) in self.non_fungible:
                    taken.subsume({"id": a["id"], "fun": {"NonFungible": self.non_fungible.pop((key, repr(value)))[1]}})
            return taken
        wild_kind, wp = split_instruction(p)
        if wild_kind in ("All", "AllCounted"):
            limit = None if wild_kind == "All" else wp
            for key in sorted(self.fungible):
                if limit is not None and len(taken) >= limit:
                    return taken
                taken.subsume(self._take_fungible(key, None))
            for key in sorted(self.non_fungible):
                if limit is not None and len(taken) >= limit:
                    return taken
                aid, inst = self.non_fungible.pop(key)
                taken.subsume({"id": aid, "fun": {"NonFungible": inst}})
            return taken
        # AllOf / AllOfCounted { id, fun, [count] }
        key = location_key(wp["id"])
        if wild_kind == "AllOfCounted" and wp["count"] == 0:
            return taken
        if wp["fun"] == "Fungible":
            got = self._take_fungible(key, None)
            if got:
                taken.subsume(got)
            return taken
        limit = wp.get("count") if wild_kind == "AllOfCounted" else None
        for nk in sorted(k for k in self.non_fungible if k[0] == key):
            if limit is not None and len(taken) >= limit:
                break
            aid, inst = self.non_fungible.pop(nk)
            taken.subsume({"id": aid, "fun": {"NonFungible": inst}})
        return taken

    def saturating_take(self, mask: dict) -> "Holding":
        return self._general_take(mask, True)

    def try_take(self, mask: dict) -> "Holding":
        """Raises XcmFailure("NotHoldingFees")-compatible TakeError as ValueError for the caller to map."""
        return self._general_take(mask, False)

    def ensure_contains(self, assets: list) -> None:
        for a in assets:
            fun, value = split_instruction(a["fun"])
            key = location_key(a["id"])
            if fun == "Fungible":
                if self.fungible.get(key, (None, 0))[1] < value:
                    raise ValueError("asset underflow")
            elif (key, repr(value)) not in self.non_fungible:
                raise ValueError("asset underflow")

    def checked_sub(self, asset: dict) -> "Holding":
        fun, value = split_instruction(asset["fun"])
        key = location_key(asset["id"])
        if fun == "Fungible":
            if value == 0:
                return self
            if self.fungible.get(key, (None, 0))[1] < value:
                raise ValueError("asset underflow")
            self._take_fungible(key, value)
        elif self.non_fungible.pop((key, repr(value)), None) is None:
            raise ValueError("asset underflow")
        return self

    def min(self, mask: dict) -> list:
        """The assets of `mask` that are held (ReportHolding), without taking them."""
        return self.copy().saturating_take(mask).assets()

    def reanchored(self, dest: dict, context: list, failed: "Holding | None" = None) -> list:
        out = []
        for a in self.assets():
            try:
                out.append(L.reanchor_asset(a, dest, context))
            except L.LocationError:
                if failed is not None:
                    failed.subsume(a)
        return out


def _take_or(holding: Holding, mask: dict, error: str) -> Holding:
    try:
        return holding.try_take(mask)
    except ValueError:
        raise XcmFailure(error) from None


# --- asset transactors ---------------------------------------------------------------------------

class AssetTransactor:
    """The runtime's tuple of asset transactors; the first that recognises the asset handles it."""

    def __init__(self, config: XcmConfig, hooks: XcmHooks):
        self.config, self.hooks = config, hooks

    def _account(self, loc: dict) -> bytes:
        account = self.config.location_to_account(loc)
        if account is None:
            raise XcmFailure("FailedToTransactAsset")      # MatchError::AccountIdConversionFailed
        return account

    def _match(self, asset: dict) -> tuple[Any, Any, int]:
        """(transactor spec, its asset id, amount) or XcmFailure("AssetNotFound")."""
        fun, amount = split_instruction(asset["fun"])
        aid = L.normalize(asset["id"])
        for t in self.config.transactors:
            if fun != "Fungible":
                continue
            if isinstance(t, NativeTransactor) and aid == L.normalize(t.location):
                return t, None, amount
            items = L.junctions(aid)
            if isinstance(t, AssetsTransactor) and self.hooks.assets is not None and aid["parents"] == 0 \
                    and len(items) == 2 and items[0] == {"PalletInstance": t.pallet_index} \
                    and L.junction_kind(items[1]) == "GeneralIndex" and items[1]["GeneralIndex"] < 2**32:
                return t, items[1]["GeneralIndex"], amount
            if isinstance(t, ForeignAssetsTransactor) and self.hooks.foreign_assets is not None \
                    and not self._not_foreign(aid, t):
                return t, aid, amount
        raise XcmFailure("AssetNotFound")

    def _not_foreign(self, aid: dict, t: ForeignAssetsTransactor) -> bool:
        """ForeignAssetsConvertedConcreteId excludes the relay token, every local location (which
        covers the Assets pallet) and locations inside our own global consensus."""
        items = L.junctions(aid)
        own = {"GlobalConsensus": self.config.network}
        return aid == L.PARENT or aid["parents"] == 0 or (bool(items) and items[0] == own)

    @staticmethod
    def _transact(fn: Callable, *args) -> None:
        try:
            fn(*args)
        except DispatchError:
            raise XcmFailure("FailedToTransactAsset") from None

    def withdraw(self, ctx: "Ctx", asset: dict, who: dict) -> None:
        t, aid, amount = self._match(asset)
        account = self._account(who)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.burn_from, ctx, account, amount)
        else:
            self._transact(self._pallet(t).burn_from, ctx, aid, account, amount)

    def deposit(self, ctx: "Ctx", asset: dict, who: dict) -> None:
        t, aid, amount = self._match(asset)
        account = self._account(who)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.mint_into, ctx, account, amount)
        else:
            self._transact(self._pallet(t).mint_into, ctx, aid, account, amount)

    def transfer(self, ctx: "Ctx", asset: dict, source: dict, dest: dict) -> None:
        t, aid, amount = self._match(asset)
        src, dst = self._account(source), self._account(dest)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.transfer, ctx, src, dst, amount)
            return
        self._transact(self._pallet(t).transfer, ctx, aid, src, dst, amount)

    def _pallet(self, t: Any) -> Any:
        return self.hooks.assets if isinstance(t, AssetsTransactor) else self.hooks.foreign_assets

    # teleport accounting (FungibleMutateAdapter / FungiblesMutateAdapter check_in/check_out)
    def can_check_in(self, ctx: "Ctx", origin: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            if mint == "Local" and self.hooks.native.balance(ctx, account) < amount:
                raise XcmFailure("NotWithdrawable")
        elif isinstance(t, AssetsTransactor) and self.hooks.assets.total_issuance(ctx, aid) == 0:
            raise XcmFailure("NotWithdrawable")          # LocalMint<NonZeroIssuance>: unknown asset

    def check_in(self, ctx: "Ctx", origin: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            fn = self.hooks.native.burn_from if mint == "Local" else self.hooks.native.mint_into
            self._transact(fn, ctx, account, amount)

    def can_check_out(self, ctx: "Ctx", dest: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            if mint == "NonLocal" and self.hooks.native.balance(ctx, account) < amount:
                raise XcmFailure("NotWithdrawable")

    def check_out(self, ctx: "Ctx", dest: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            fn = self.hooks.native.mint_into if mint == "Local" else self.hooks.native.burn_from
            self._transact(fn, ctx, account, amount)


def reserves_reader(ctx: "Ctx", hooks: XcmHooks) -> Callable[[dict], list]:
    """ProvideAssetReserves: an asset's configured reserve data, what IsReserve/IsTeleporter read
    ([] for assets no ForeignAssets instance knows)."""
    foreign = hooks.foreign_assets
    return lambda asset_id: [] if foreign is None else foreign.reserves_of(ctx, asset_id)


# --- barriers (xcm-builder barriers.rs) ---------------------------------------------------------

class BarrierRejected(Exception):
    pass


@dataclass
class Properties:
    weight_credit: dict
    message_id: bytes | None = None


def barrier_tuple(*barriers) -> Callable:
    def check(vm: "Vm", origin: dict, instrs: list, max_weight: dict, props: Properties) -> None:
        for b in barriers:
            try:
                b(vm, origin, instrs, max_weight, props)
                return
            except BarrierRejected:
                continue
        raise BarrierRejected("no barrier allowed the message")
    return check


def trailing_set_topic_as_id(inner: Callable) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        if instrs and split_instruction(instrs[-1])[0] == "SetTopic":
            props.message_id = bytes(instrs[-1]["SetTopic"])
            view = _Slice(instrs, 0, len(instrs) - 1)
        else:
            view = _Slice(instrs, 0, len(instrs))
        inner(vm, origin, view, max_weight, props)
    return check


class _Slice:
    """A mutable window on the message (barriers rewrite BuyExecution's limit in place)."""

    def __init__(self, items: list, start: int, end: int):
        self.items, self.start, self.end = items, start, end

    def __len__(self) -> int:
        return self.end - self.start

    def __getitem__(self, i: int) -> Any:
        return self.items[self.start + i]

    def __setitem__(self, i: int, v: Any) -> None:
        self.items[self.start + i] = v

    def tail(self, skip: int) -> "_Slice":
        return _Slice(self.items, self.start + skip, self.end)


def _as_slice(instrs: Any) -> _Slice:
    return instrs if isinstance(instrs, _Slice) else _Slice(instrs, 0, len(instrs))


def deny_then_try(deny: Callable, allow: Callable) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        deny(vm, origin, instrs, max_weight, props)
        allow(vm, origin, instrs, max_weight, props)
    return check


def deny_reserve_transfer_to_relay_chain(vm, origin, instrs, max_weight, props) -> None:
    s = _as_slice(instrs)
    for i in range(len(s)):
        name, p = split_instruction(s[i])
        target = {"InitiateReserveWithdraw": "reserve", "DepositReserveAsset": "dest",
                  "TransferReserveAsset": "dest"}.get(name)
        if target and L.normalize(p[target]) == L.PARENT:
            raise BarrierRejected("reserve transfer to the relay chain")


def take_weight_credit(vm, origin, instrs, max_weight, props) -> None:
    if not w_all_gte(props.weight_credit, max_weight):
        raise BarrierRejected("overweight")
    props.weight_credit = w_sub(props.weight_credit, max_weight)


def allow_known_query_responses(vm, origin, instrs, max_weight, props) -> None:
    s = _as_slice(instrs)
    if len(s) != 1:
        raise BarrierRejected("bad format")
    name, p = split_instruction(s[0])
    if name != "QueryResponse" or not vm.pallet.expecting_response(vm.ctx, origin, p["query_id"], p["querier"]):
        raise BarrierRejected("unexpected response")


def with_computed_origin(inner: Callable, universal: list, max_prefixes: int) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        s = _as_slice(instrs)
        actual = origin
        skipped = 0
        while skipped < max_prefixes and skipped < len(s):
            name, p = split_instruction(s[skipped])
            if name == "UniversalOrigin":
                actual = L.relative_to([p], universal)
            elif name == "DescendOrigin":
                try:
                    actual = L.append_with(actual, p)
                except L.LocationError:
                    raise BarrierRejected("unsupported") from None
            else:
                break
            skipped += 1
        inner(vm, actual, s.tail(skipped), max_weight, props)
    return check


def allow_top_level_paid_execution_from(allowed: Callable[[dict], bool]) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        s = _as_slice(instrs)
        if not allowed(origin):
            raise BarrierRejected("origin not allowed")
        end = min(len(s), 5)
        i = 0
        if i >= end:
            raise BarrierRejected("bad format")
        name, p = split_instruction(s[i])
        if name not in ("WithdrawAsset", "ReceiveTeleportedAsset", "ReserveAssetDeposited", "ClaimAsset"):
            raise BarrierRejected("bad format")
        assets = p["assets"] if name == "ClaimAsset" else p
        if len(assets) > MAX_ASSETS_FOR_BUY_EXECUTION:
            raise BarrierRejected("bad format")
        i += 1
        while i < end:
            name, p = split_instruction(s[i])
            if name in ("ClearOrigin", "AliasOrigin", "SetHints") or (name == "DescendOrigin" and p != "Here"):
                i += 1
                continue
            break
        if i >= end:
            raise BarrierRejected("overweight")
        name, p = split_instruction(s[i])
        if name == "BuyExecution":
            limit = p["weight_limit"]
            if limit == "Unlimited" or w_all_gte(limit["Limited"], max_weight):
                s[i] = {"BuyExecution": {**p, "weight_limit": {"Limited": dict(max_weight)}}}
                return
        elif name == "PayFees":
            return
        raise BarrierRejected("overweight")
    return check


def allow_explicit_unpaid_execution_from(allowed: Callable[[dict], bool]) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        s = _as_slice(instrs)
        if not allowed(origin) or not len(s):
            raise BarrierRejected("origin not allowed")
        name, p = split_instruction(s[0])
        if name == "UnpaidExecution" and (p["weight_limit"] == "Unlimited"
                                          or w_all_gte(p["weight_limit"]["Limited"], max_weight)):
            return
        raise BarrierRejected("overweight")
    return check


def allow_subscriptions_from(allowed: Callable[[dict], bool]) -> Callable:
    def check(vm, origin, instrs, max_weight, props):
        s = _as_slice(instrs)
        if not allowed(origin) or len(s) != 1 or split_instruction(s[0])[0] not in ("SubscribeVersion",
                                                                                  "UnsubscribeVersion"):
            raise BarrierRejected("not a subscription")
    return check


# --- aliasers ---------------------------------------------------------------------------------------

def alias_child_location(vm: "Vm", origin: dict, target: dict) -> bool:
    """AliasChildLocation: a location may become any location strictly inside itself."""
    o_par, o_items = L.unpack(L.normalize(origin))
    t_par, t_items = L.unpack(L.normalize(target))
    return o_par == t_par and len(t_items) > len(o_items) and t_items[:len(o_items)] == o_items


def trusted_aliasers(cousin_asset_hub: dict) -> Callable:
    """(AliasChildLocation, AuthorizedAliasers<Runtime>, AliasOriginRootUsingFilter<cousin AH, remote ecosystems>)."""
    def check(vm: "Vm", origin: dict, target: dict) -> bool:
        if alias_child_location(vm, origin, target):
            return True
        if vm.pallet.is_authorized_alias(vm.ctx, origin, target):
            return True
        t = L.normalize(target)
        items = L.junctions(t)
        return (L.normalize(origin) == L.normalize(cousin_asset_hub) and t["parents"] == 2 and bool(items)
                and L.junction_kind(items[0]) == "GlobalConsensus"
                and items[0]["GlobalConsensus"] != vm.config.network)
    return check


# --- the VM -------------------------------------------------------------------------------------------

@dataclass
class _Trader:
    """(UsingComponents<WeightToFee, native, ..>, SwapFirstAssetTrader<native, AssetConversion, ..>):
    `amount` is UsingComponents' native fee; `swapped` the native bought through a pool and
    `swap_asset` the asset it was bought with (S cumulus/primitives/utility SwapFirstAssetTrader)."""

    weight: dict = field(default_factory=lambda: dict(ZERO))
    amount: int = 0
    swapped: int = 0
    swap_asset: dict | None = None


class Vm:
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


# --- sending (SendXcm) -------------------------------------------------------------------------

def validate_send(ctx: "Ctx", hooks: XcmHooks, dest: dict, message: list) -> tuple[Any, list]:
    """The router's ticket and price, send errors mapped to XcmError (Unroutable without a router;
    DestinationUnsupported when no version is known for dest)."""
    from .versions import VersionError
    if hooks.router is None:
        raise XcmFailure("Unroutable")
    try:
        return hooks.router.validate(ctx, dest, message)
    except SendFailure as e:
        raise XcmFailure(SEND_ERRORS.get(e.error, "Transport")) from None
    except VersionError:
        raise XcmFailure("DestinationUnsupported") from None


def deliver(ctx: "Ctx", hooks: XcmHooks, ticket: Any) -> bytes:
    try:
        return hooks.router.deliver(ctx, ticket)
    except SendFailure as e:
        raise XcmFailure(SEND_ERRORS.get(e.error, "Transport")) from None


# --- entry points ---------------------------------------------------------------------------------------

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
    from . import xcm_pallet_of
    limit = weight_limit if isinstance(weight_limit, dict) else w(weight_limit, WEIGHT_MAX)
    return prepare_and_execute(ctx, xcm_pallet_of(ctx.runtime), origin, message, message_id, limit,
                               weight_credit or dict(ZERO))


def encoded_call(double_encoded) -> bytes:
    """Transact's call: xcm::double_encoded::DoubleEncoded is a struct holding `encoded: Vec<u8>`."""
    return bytes(double_encoded["encoded"] if isinstance(double_encoded, dict) else double_encoded)
