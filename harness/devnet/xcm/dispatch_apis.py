"""Runtime APIs of xcm-runtime-apis: DryRunApi (v2) and XcmPaymentApi (v2), served on a block's state.

Sources: polkadot-sdk polkadot/xcm/xcm-runtime-apis/src/{dry_run,fees}.rs (signatures, effects
and error enums), pallet-xcm's dry_run_call / dry_run_xcm / query_xcm_weight / query_delivery_fees
helpers, and each runtime's `impl_runtime_apis!` (the native token is the one acceptable payment
asset; Asset Hubs also accept pool assets, which the devnet does not emulate). Signatures and type
paths follow the live V15 metadata (Kusama 1009002, Kusama Asset Hub 1009003) and, for the
third `asset_id` argument of query_delivery_fees, the dedot chaintypes of spec 2003000.

`install(runtime)` declares the types, registers the handlers and the V15 ApiSpec entries; call it
once the runtime is composed (after runtime/apis.install).
"""
from __future__ import annotations

from typing import Any

from ..hashing import blake2_256
from ..metadata import ApiMethodSpec, ApiSpec
from ..runtime.frame import DispatchError, Origin, State
from ..scale import ScaleError
from . import executor as X
from . import locations as L
from . import versions as V
from . import xcm_pallet_of

API_VERSIONS = {"DryRunApi": 2, "XcmPaymentApi": 2}
FEES_ERRORS = ("Unimplemented", "VersionedConversionFailed", "WeightNotComputable", "UnhandledXcmVersion",
               "AssetNotFound", "Unroutable")


class _RecordingRouter:
    """Wraps the chain's router during a dry run: what gets delivered is noted per destination
    (the InspectMessageQueues view: the messages as queued, in the version they were sent in)."""

    def __init__(self, inner: Any):
        self.inner = inner
        self.destinations: dict[int, dict] = {}
        self.forwarded: list[tuple[dict, list]] = []

    def validate(self, ctx, dest, message):
        ticket, fees = self.inner.validate(ctx, dest, message)
        self.destinations[id(ticket)] = dest
        return ticket, fees

    def deliver(self, ctx, ticket):
        message_id = self.inner.deliver(ctx, ticket)
        dest = L.normalize(self.destinations.pop(id(ticket)))
        versioned = L.CODEC.decode(L.XCM_TYPES.versioned_xcm_unit, ticket.data)
        for known, messages in self.forwarded:
            if known == dest:
                messages.append(versioned)
                break
        else:
            self.forwarded.append((dest, [versioned]))
        return message_id


def install(runtime: Any) -> None:
    reg, t = runtime.registry, runtime.types
    pallet = xcm_pallet_of(runtime)
    xt = pallet.xt
    fees_error = reg.variant("xcm_runtime_apis::fees::Error", [(n, i, []) for i, n in enumerate(FEES_ERRORS)])
    dry_error = reg.variant("xcm_runtime_apis::dry_run::Error",
                            [("Unimplemented", 0, []), ("VersionedConversionFailed", 1, [])])
    post_info = reg.composite("frame_support::dispatch::PostDispatchInfo", [
        ("actual_weight", reg.option(t.weight), "Option<Weight>"), ("pays_fee", t.pays, "Pays")])
    error_with_info = reg.composite("sp_runtime::DispatchErrorWithPostInfo", [
        ("post_info", post_info, "Info"), ("error", t.dispatch_error, "DispatchError")], params=[("Info", post_info)])
    events = reg.seq(runtime.event_enum)
    forwarded = reg.seq(reg.tuple(xt.versioned_location, reg.seq(xt.versioned_xcm_unit)))
    call_effects = reg.composite("xcm_runtime_apis::dry_run::CallDryRunEffects", [
        ("execution_result", reg.result(post_info, error_with_info), "DispatchResultWithPostInfo"),
        ("emitted_events", events, "Vec<Event>"),
        ("local_xcm", reg.option(xt.versioned_xcm_unit), "Option<VersionedXcm<()>>"),
        ("forwarded_xcms", forwarded, "Vec<(VersionedLocation, Vec<VersionedXcm<()>>)>")],
        params=[("Event", runtime.event_enum)])
    xcm_effects = reg.composite("xcm_runtime_apis::dry_run::XcmDryRunEffects", [
        ("execution_result", xt.outcome, "Outcome"), ("emitted_events", events, "Vec<Event>"),
        ("forwarded_xcms", forwarded, "Vec<(VersionedLocation, Vec<VersionedXcm<()>>)>")],
        params=[("Event", runtime.event_enum)])
    origin_caller = declare_origin_caller(runtime)
    types = dict(fees_error=fees_error, dry_error=dry_error, call_effects=call_effects, xcm_effects=xcm_effects,
                 origin_caller=origin_caller,
                 assets_result=reg.result(reg.seq(xt.versioned_asset_id), fees_error),
                 weight_result=reg.result(t.weight, fees_error), fee_result=reg.result(t.u128, fees_error),
                 delivery_result=reg.result(xt.versioned_assets, fees_error),
                 call_result=reg.result(call_effects, dry_error), xcm_result=reg.result(xcm_effects, dry_error))
    runtime.xcm_api_types = types
    runtime.api_versions.update(API_VERSIONS)
    h = runtime.api_handlers
    h["XcmPaymentApi_query_acceptable_payment_assets"] = _acceptable_payment_assets
    h["XcmPaymentApi_query_xcm_weight"] = _query_xcm_weight
    h["XcmPaymentApi_query_weight_to_asset_fee"] = _query_weight_to_asset_fee
    h["XcmPaymentApi_query_delivery_fees"] = _query_delivery_fees
    h["DryRunApi_dry_run_call"] = _dry_run_call
    h["DryRunApi_dry_run_xcm"] = _dry_run_xcm
    runtime.apis.extend([
        ApiSpec("XcmPaymentApi", [
            ApiMethodSpec("query_acceptable_payment_assets", [("xcm_version", t.u32)], types["assets_result"]),
            ApiMethodSpec("query_xcm_weight", [("message", xt.versioned_xcm_unit)], types["weight_result"]),
            ApiMethodSpec("query_weight_to_asset_fee", [("weight", t.weight), ("asset", xt.versioned_asset_id)],
                          types["fee_result"]),
            ApiMethodSpec("query_delivery_fees", [("destination", xt.versioned_location),
                                                  ("message", xt.versioned_xcm_unit),
                                                  ("asset_id", xt.versioned_asset_id)], types["delivery_result"])]),
        ApiSpec("DryRunApi", [
            ApiMethodSpec("dry_run_call", [("origin", origin_caller), ("call", runtime.call_enum),
                                           ("result_xcms_version", t.u32)], types["call_result"]),
            ApiMethodSpec("dry_run_xcm", [("origin_location", xt.versioned_location), ("xcm", xt.versioned_xcm)],
                          types["xcm_result"])]),
    ])


def declare_origin_caller(runtime: Any) -> int:
    """construct_runtime!'s OriginCaller: frame_system's RawOrigin, pallet-xcm's Origin and the
    parachain origin of the chain (ParachainsOrigin 50 on relays, CumulusXcm 32 on Asset Hubs).
    The governance Origins variant is not emulated. Defined into runtime.origin_caller when a
    pallet reserved it (Utility's dispatch_as), else declared and kept there."""
    reg, t = runtime.registry, runtime.types
    pallet = xcm_pallet_of(runtime)
    raw = reg.variant("frame_support::dispatch::RawOrigin", [
        ("Root", 0, []), ("Signed", 1, [(None, t.account_id, "AccountId")]), ("None", 2, []), ("Authorized", 3, [])],
        params=[("AccountId", t.account_id)])
    loc = pallet.xt.v5.location
    xcm_origin = reg.variant("pallet_xcm::pallet::Origin", [("Xcm", 0, [(None, loc, "Location")]),
                                                            ("Response", 1, [(None, loc, "Location")])])
    para_id = reg.composite("polkadot_parachain_primitives::primitives::Id", [(None, t.u32, "u32")])
    variants = [("system", 0, [(None, raw, "frame_system::Origin<Runtime>")])]
    if runtime.config.is_relay:
        parachains = reg.variant("polkadot_runtime_parachains::origin::pallet::Origin",
                                 [("Parachain", 0, [(None, para_id, "ParaId")])])
        variants.append(("ParachainsOrigin", 50, [(None, parachains, "parachains_origin::Origin")]))
        variants.append((pallet.NAME, pallet.index, [(None, xcm_origin, "pallet_xcm::Origin")]))
    else:
        cumulus = reg.variant("cumulus_pallet_xcm::pallet::Origin",
                              [("Relay", 0, []), ("SiblingParachain", 1, [(None, para_id, "ParaId")])])
        variants.append((pallet.NAME, pallet.index, [(None, xcm_origin, "pallet_xcm::Origin")]))
        variants.append(("CumulusXcm", 32, [(None, cumulus, "cumulus_pallet_xcm::Origin")]))
    path = f"{runtime.config.crate}::OriginCaller"
    if runtime.origin_caller is None:
        runtime.origin_caller = reg.variant(path, variants)
    elif reg.types[runtime.origin_caller].kind == "reserved":
        reg.define(runtime.origin_caller, "variant", path, variants=variants)
    return runtime.origin_caller


# --- XcmPaymentApi ------------------------------------------------------------------------------

def _err(rt, key: str, name: str) -> bytes:
    return rt.registry.encode(rt.xcm_api_types[key], {"Err": name})


def _acceptable_payment_assets(rt, state: dict, data: bytes) -> bytes:
    version = int.from_bytes(data[:4], "little")
    if version not in V.VERSIONS:
        return _err(rt, "assets_result", "UnhandledXcmVersion")
    native = xcm_pallet_of(rt).xcm_config.native_location
    return rt.registry.encode(rt.xcm_api_types["assets_result"], {"Ok": [V.from_latest(native, version, "asset_id")]})


def _query_xcm_weight(rt, state: dict, data: bytes) -> bytes:
    pallet = xcm_pallet_of(rt)
    try:
        message = V.to_latest(rt.registry.decode(pallet.xt.versioned_xcm_unit, data), "xcm")
    except (ScaleError, V.VersionError):
        return _err(rt, "weight_result", "VersionedConversionFailed")
    try:
        weight = pallet.weigher.weight(message)
    except X.Unweighable:
        return _err(rt, "weight_result", "WeightNotComputable")
    return rt.registry.encode(rt.xcm_api_types["weight_result"], {"Ok": weight})


def _asset_id_latest(versioned: dict) -> dict:
    version, inner = V.split(versioned)
    return L.normalize(V.convert("asset_id", inner, version, V.LATEST))


def _query_weight_to_asset_fee(rt, state: dict, data: bytes) -> bytes:
    pallet = xcm_pallet_of(rt)
    weight, offset = rt.registry.decode_at(rt.types.weight, data, 0)
    try:
        asset_id = _asset_id_latest(rt.registry.decode(pallet.xt.versioned_asset_id, data[offset:]))
    except (ScaleError, V.VersionError):
        return _err(rt, "fee_result", "VersionedConversionFailed")
    if asset_id != L.normalize(pallet.xcm_config.native_location):
        return _err(rt, "fee_result", "AssetNotFound")
    return rt.registry.encode(rt.xcm_api_types["fee_result"], {"Ok": pallet.hooks.weight_to_fee(weight)})


def _query_delivery_fees(rt, state: dict, data: bytes) -> bytes:
    pallet = xcm_pallet_of(rt)
    reg, xt = rt.registry, pallet.xt
    try:
        vdest, offset = reg.decode_at(xt.versioned_location, data, 0)
        vmsg, offset = reg.decode_at(xt.versioned_xcm_unit, data, offset)
        asset_id = _asset_id_latest(reg.decode(xt.versioned_asset_id, data[offset:]))
        dest, message = L.normalize(V.to_latest(vdest, "location")), V.to_latest(vmsg, "xcm")
    except (ScaleError, V.VersionError):
        return _err(rt, "delivery_result", "VersionedConversionFailed")
    ctx = rt.new_ctx(State(state), rt.pallet("System").number.get(State(state)))
    try:
        _, fees = X.validate_send(ctx, pallet.hooks, dest, message)
    except X.XcmFailure:
        return _err(rt, "delivery_result", "Unroutable")
    if fees and L.normalize(fees[0]["id"]) != asset_id:
        return _err(rt, "delivery_result", "AssetNotFound")   # would need a pool swap quote
    version = max(V.identify_version(vdest), V.identify_version(vmsg))
    return reg.encode(rt.xcm_api_types["delivery_result"], {"Ok": V.from_latest(fees, version, "assets")})


# --- DryRunApi ---------------------------------------------------------------------------------

def _dry_ctx(rt, state: dict):
    """A throwaway overlay of the block's state with an empty event log."""
    overlay = State(state)
    system = rt.pallet("System")
    ctx = rt.new_ctx(overlay, system.number.get(overlay))
    system.events_item.put(overlay, [])
    system.event_count.put(overlay, 0)
    return ctx


def _run_recorded(rt, ctx, fn) -> tuple[Any, list, list]:
    """fn() with the router recorded; returns (its result, events, forwarded messages)."""
    pallet = xcm_pallet_of(rt)
    inner = pallet.hooks.router
    recorder = _RecordingRouter(inner) if inner is not None else None
    pallet.hooks.router = recorder
    try:
        result = fn()
    finally:
        pallet.hooks.router = inner
    events = [r["event"] for r in rt.pallet("System").events_item.get(ctx.state)]
    return result, events, (recorder.forwarded if recorder is not None else [])


def _dry_run_call(rt, state: dict, data: bytes) -> bytes:
    types, reg = rt.xcm_api_types, rt.registry
    pallet = xcm_pallet_of(rt)
    try:
        caller, offset = reg.decode_at(types["origin_caller"], data, 0)
        call, offset = reg.decode_at(rt.call_enum, data, offset)
        version = int.from_bytes(data[offset:offset + 4], "little")
    except ScaleError:
        return _err(rt, "call_result", "VersionedConversionFailed")
    origin = Origin.from_caller(caller)
    if origin is None or version not in V.VERSIONS:
        return _err(rt, "call_result", "Unimplemented" if origin is None else "VersionedConversionFailed")
    ctx = _dry_ctx(rt, state)
    pallet.should_record_xcm.put(ctx.state, True)

    def dispatch() -> dict:
        post_info = {"actual_weight": None, "pays_fee": "Yes"}
        try:
            rt.dispatch(ctx, origin, call)
        except DispatchError as e:
            return {"Err": {"post_info": post_info, "error": e.value}}
        return {"Ok": post_info}
    result, events, forwarded = _run_recorded(rt, ctx, dispatch)
    recorded = pallet.recorded_xcm.get(ctx.state)
    try:
        local = None if recorded is None else V.from_latest(recorded, version, "xcm")
        sent = [(V.from_latest(dest, version, "location"),
                 [V.from_latest(V.to_latest(m, "xcm"), version, "xcm") for m in messages])
                for dest, messages in forwarded]
    except V.VersionError:
        return _err(rt, "call_result", "VersionedConversionFailed")
    return reg.encode(types["call_result"], {"Ok": {"execution_result": result, "emitted_events": events,
                                                    "local_xcm": local, "forwarded_xcms": sent}})


def _dry_run_xcm(rt, state: dict, data: bytes) -> bytes:
    types, reg = rt.xcm_api_types, rt.registry
    pallet = xcm_pallet_of(rt)
    try:
        vorigin, offset = reg.decode_at(pallet.xt.versioned_location, data, 0)
        vxcm = reg.decode(pallet.xt.versioned_xcm, data[offset:])
        origin, message = L.normalize(V.to_latest(vorigin, "location")), V.to_latest(vxcm, "xcm")
    except (ScaleError, V.VersionError):
        return _err(rt, "xcm_result", "VersionedConversionFailed")
    ctx = _dry_ctx(rt, state)
    message_id = blake2_256(reg.encode(pallet.xt.versioned_xcm, vxcm))
    unlimited = {"ref_time": X.WEIGHT_MAX, "proof_size": X.WEIGHT_MAX}
    outcome, events, forwarded = _run_recorded(
        rt, ctx, lambda: X.prepare_and_execute(ctx, pallet, origin, message, message_id, unlimited, dict(X.ZERO)))
    sent = [({"V5": dest}, messages) for dest, messages in forwarded]
    return reg.encode(types["xcm_result"], {"Ok": {"execution_result": outcome.value, "emitted_events": events,
                                                   "forwarded_xcms": sent}})
