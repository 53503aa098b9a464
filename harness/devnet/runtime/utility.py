"""pallet_utility: batches of calls, derivative accounts and dispatch as another origin.

Source: polkadot-sdk substrate/frame/utility/src/lib.rs (the 2.3.x runtimes' sdk). Calls, events and
the error as the live V15 metadata lists them (Kusama 1009002, Polkadot 2000000, both Asset Hubs):
batch 0, as_derivative 1, batch_all 2, dispatch_as 3, force_batch 4, with_weight 5, if_else 6,
dispatch_as_fallible 7. Weights: each runtime's src/weights/pallet_utility.rs (runtimes/params.py).

Every inner call goes through Runtime.dispatch (its own storage layer, like every FRAME
dispatchable), with the batch's origin: batch stops at the first failure (the calls before it
stay), batch_all fails as a whole (the outer layer rolls back), force_batch goes on. A call's
post-dispatch weight is the inner calls' actual weights plus the pallet's own benchmarked weight for
the calls run (extract_actual_weight: the actual weight if the call reports one, else its declared
weight, never more).
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..hashing import blake2_256
from .frame import Ctx, DispatchError, Origin, Pallet

# The live metadata's batched_calls_limit (0x2aaa on all four: MAX_POSSIBLE_ALLOCATION / 3 / 1024,
# the RuntimeCall size rounded up to CALL_ALIGN)
BATCHED_CALLS_LIMIT = 10_922
DERIVATIVE_PREFIX = b"modlpy/utilisuba"   # derivative_account_id's entropy prefix


def derivative_account_id(who: bytes, index: int) -> bytes:
    """Pallet::derivative_account_id: blake2_256 of (b"modlpy/utilisuba", who, index as u16) encoded."""
    return blake2_256(DERIVATIVE_PREFIX + who + index.to_bytes(2, "little"))


def _add(a: tuple[int, int], b: tuple[int, int]) -> tuple[int, int]:
    return a[0] + b[0], a[1] + b[1]


class Utility(Pallet):
    NAME = "Utility"
    # WeightInfo of the runtime (runtimes/params.py): batch/batch_all/force_batch as
    # (base, per call); as_derivative/dispatch_as/dispatch_as_fallible/if_else as (base, 0)
    WEIGHTS: dict[str, tuple[int, int]] = {}

    def declare(self) -> None:
        r, t = self.reg, self.t
        call = self.runtime.call_enum
        calls = r.seq(call)
        # construct_runtime!'s OriginCaller; runtimes/build_runtime defines it once every pallet is in
        origin = self.runtime.origin_caller = r.reserve()
        boxed = "Box<<T as Config>::RuntimeCall>"
        self.calls = r.variant("pallet_utility::pallet::Call", [
            ("batch", 0, [("calls", calls, "Vec<<T as Config>::RuntimeCall>")]),
            ("as_derivative", 1, [("index", t.u16, "u16"), ("call", call, boxed)]),
            ("batch_all", 2, [("calls", calls, "Vec<<T as Config>::RuntimeCall>")]),
            ("dispatch_as", 3, [("as_origin", origin, "Box<T::PalletsOrigin>"), ("call", call, boxed)]),
            ("force_batch", 4, [("calls", calls, "Vec<<T as Config>::RuntimeCall>")]),
            ("with_weight", 5, [("call", call, boxed), ("weight", t.weight, "Weight")]),
            ("if_else", 6, [("main", call, boxed), ("fallback", call, boxed)]),
            ("dispatch_as_fallible", 7, [("as_origin", origin, "Box<T::PalletsOrigin>"), ("call", call, boxed)]),
        ], params=[("T", None)])
        result = r.result(r.unit(), t.dispatch_error)
        self.events = r.variant("pallet_utility::pallet::Event", [
            ("BatchInterrupted", 0, [("index", t.u32, "u32"), ("error", t.dispatch_error, "DispatchError")]),
            ("BatchCompleted", 1, []),
            ("BatchCompletedWithErrors", 2, []),
            ("ItemCompleted", 3, []),
            ("ItemFailed", 4, [("error", t.dispatch_error, "DispatchError")]),
            ("DispatchedAs", 5, [("result", result, "DispatchResult")]),
            ("IfElseMainSuccess", 6, []),
            ("IfElseFallbackCalled", 7, [("main_error", t.dispatch_error, "DispatchError")]),
        ])
        self.errors = r.variant("pallet_utility::pallet::Error", [("TooManyCalls", 0, [])], params=[("T", None)])
        self.constant("batched_calls_limit", t.u32, BATCHED_CALLS_LIMIT)

    # --- weights ---------------------------------------------------------------------------
    def own_weight(self, call: str, count: int = 0) -> tuple[int, int]:
        base, per_call = self.WEIGHTS[call]
        return base + per_call * count, 0

    def _db_one_read_write(self) -> tuple[int, int]:
        limits = self.runtime.pallet("System").limits
        return limits.db_read + limits.db_write, 0

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        rt = self.runtime
        if call in ("batch", "batch_all", "force_batch"):
            inner = (rt.call_weight(c) for c in args["calls"])
            total = self.own_weight(call, len(args["calls"]))
            for w in inner:
                total = _add(total, w)
            return total
        if call == "as_derivative":
            return _add(_add(self.own_weight(call), self._db_one_read_write()), rt.call_weight(args["call"]))
        if call in ("dispatch_as", "dispatch_as_fallible"):
            return _add(self.own_weight(call), rt.call_weight(args["call"]))
        if call == "with_weight":
            return args["weight"]["ref_time"], args["weight"]["proof_size"]
        return _add(self.own_weight(call), _add(rt.call_weight(args["main"]), rt.call_weight(args["fallback"])))

    def dispatch_class(self, call: str, args: Any) -> str:
        """weight_and_dispatch_class: Operational only if every inner call is (if_else: both)."""
        rt = self.runtime
        if call in ("batch", "batch_all", "force_batch"):
            inner = [rt.dispatch_class(c) for c in args["calls"]]
            return "Normal" if "Normal" in inner else "Operational"
        if call == "if_else":
            both = {rt.dispatch_class(args["main"]), rt.dispatch_class(args["fallback"])}
            return "Operational" if both == {"Operational"} else "Normal"
        return rt.dispatch_class(args["call"])

    # --- dispatch --------------------------------------------------------------------------
    def _run(self, ctx: Ctx, origin: Origin, call: Any) -> tuple[tuple[int, int], DispatchError | None]:
        """call.dispatch(origin): (the weight it used, its error or None). An origin that came through
        a signed batch_all carries its filter: a nested batch_all is refused (CallFiltered)."""
        declared = self.runtime.call_weight(call)
        if origin.no_batch_all and isinstance(call.get(self.NAME), dict) and "batch_all" in call[self.NAME]:
            return declared, self.runtime.pallet("System").error("CallFiltered")
        try:
            actual = self.runtime.dispatch(ctx, origin, call)
        except DispatchError as failure:
            actual, error = failure.actual_weight, failure
        else:
            error = None
        if actual is None:
            return declared, error
        return (min(actual[0], declared[0]), min(actual[1], declared[1])), error

    @staticmethod
    def _not_none(origin: Origin) -> None:
        if origin.kind == "none":
            raise DispatchError.simple("BadOrigin")

    def _check_count(self, calls: list) -> None:
        if len(calls) > BATCHED_CALLS_LIMIT:
            raise self.error("TooManyCalls")

    def call_batch(self, ctx: Ctx, origin: Origin, calls: list) -> tuple[int, int]:
        self._not_none(origin)
        self._check_count(calls)
        used = (0, 0)
        for index, call in enumerate(calls):
            weight, error = self._run(ctx, origin, call)
            used = _add(used, weight)
            if error is not None:
                self.emit(ctx, "BatchInterrupted", {"index": index, "error": error.value})
                return _add(self.own_weight("batch", index + 1), used)
            self.emit(ctx, "ItemCompleted")
        self.emit(ctx, "BatchCompleted")
        return _add(self.own_weight("batch", len(calls)), used)

    def call_batch_all(self, ctx: Ctx, origin: Origin, calls: list) -> tuple[int, int]:
        self._not_none(origin)
        self._check_count(calls)
        inner_origin = origin if origin.kind == "root" else replace(origin, no_batch_all=True)
        used = (0, 0)
        for index, call in enumerate(calls):
            weight, error = self._run(ctx, inner_origin, call)
            used = _add(used, weight)
            if error is not None:
                # the whole call fails: Runtime.dispatch drops what the earlier calls wrote
                raise DispatchError(error.value, error.label, _add(self.own_weight("batch_all", index + 1), used))
            self.emit(ctx, "ItemCompleted")
        self.emit(ctx, "BatchCompleted")
        return _add(self.own_weight("batch_all", len(calls)), used)

    def call_force_batch(self, ctx: Ctx, origin: Origin, calls: list) -> tuple[int, int]:
        self._not_none(origin)
        self._check_count(calls)
        used, failed = (0, 0), False
        for call in calls:
            weight, error = self._run(ctx, origin, call)
            used = _add(used, weight)
            if error is not None:
                failed = True
                self.emit(ctx, "ItemFailed", {"error": error.value})
            else:
                self.emit(ctx, "ItemCompleted")
        self.emit(ctx, "BatchCompletedWithErrors" if failed else "BatchCompleted")
        # upstream charges force_batch's actual weight with WeightInfo::batch(len)
        return _add(self.own_weight("batch", len(calls)), used)

    def call_as_derivative(self, ctx: Ctx, origin: Origin, index: int, call: Any) -> tuple[int, int]:
        who = origin.ensure_signed()
        pseudonym = replace(origin, account=derivative_account_id(who, index))
        weight, error = self._run(ctx, pseudonym, call)
        used = _add(_add(self.own_weight("as_derivative"), self._db_one_read_write()), weight)
        if error is not None:
            raise DispatchError(error.value, error.label, used)
        return used

    def call_dispatch_as(self, ctx: Ctx, origin: Origin, as_origin: Any, call: Any) -> None:
        origin.ensure_root()
        _, error = self._run(ctx, self._origin_of(as_origin), call)
        self.emit(ctx, "DispatchedAs", {"result": {"Ok": ()} if error is None else {"Err": error.value}})

    def call_dispatch_as_fallible(self, ctx: Ctx, origin: Origin, as_origin: Any, call: Any) -> None:
        origin.ensure_root()
        _, error = self._run(ctx, self._origin_of(as_origin), call)
        if error is not None:
            raise DispatchError(error.value, error.label)
        self.emit(ctx, "DispatchedAs", {"result": {"Ok": ()}})

    def call_with_weight(self, ctx: Ctx, origin: Origin, call: Any, weight: dict) -> None:
        origin.ensure_root()
        _, error = self._run(ctx, Origin("root"), call)
        if error is not None:
            raise DispatchError(error.value, error.label)

    def call_if_else(self, ctx: Ctx, origin: Origin, main: Any, fallback: Any) -> tuple[int, int]:
        self._not_none(origin)
        weight, main_error = self._run(ctx, origin, main)
        used = _add(self.own_weight("if_else"), weight)
        if main_error is None:
            self.emit(ctx, "IfElseMainSuccess")
            return used
        weight, error = self._run(ctx, origin, fallback)
        used = _add(used, weight)
        if error is not None:
            raise DispatchError(error.value, error.label, used)
        self.emit(ctx, "IfElseFallbackCalled", {"main_error": main_error.value})
        return used

    @staticmethod
    def _origin_of(as_origin: Any) -> Origin:
        origin = Origin.from_caller(as_origin)
        if origin is None:   # a governance or parachain origin: not emulated
            raise DispatchError.simple("BadOrigin")
        return origin
