"""The barriers (xcm-builder barriers.rs) and origin aliasers (origin_aliases.rs AliasChildLocation,
pallet-xcm's AuthorizedAliasers) the runtimes' XcmConfig composes. A barrier is
(vm, origin, instructions, max_weight, props) -> None, raising BarrierRejected.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from .. import locations as L
from ..primitives import split_instruction, w_all_gte, w_sub

# xcm-builder barriers.rs: at most this many assets in the BuyExecution/PayFees a paid message opens with
MAX_ASSETS_FOR_BUY_EXECUTION = 2

class BarrierRejected(Exception):
    pass


@dataclass
class Properties:
    weight_credit: dict
    message_id: bytes | None = None


def barrier_tuple(*barriers) -> Callable:
    def check(vm: Any, origin: dict, instrs: list, max_weight: dict, props: Properties) -> None:
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

def alias_child_location(vm: Any, origin: dict, target: dict) -> bool:
    """AliasChildLocation: a location may become any location strictly inside itself."""
    o_par, o_items = L.unpack(L.normalize(origin))
    t_par, t_items = L.unpack(L.normalize(target))
    return o_par == t_par and len(t_items) > len(o_items) and t_items[:len(o_items)] == o_items


def trusted_aliasers(cousin_asset_hub: dict) -> Callable:
    """(AliasChildLocation, AuthorizedAliasers<Runtime>, AliasOriginRootUsingFilter<cousin AH, remote ecosystems>)."""
    def check(vm: Any, origin: dict, target: dict) -> bool:
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
