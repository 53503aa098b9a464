"""Runtime APIs served through state_call, as a registry other pallets extend.

`runtime.api_handlers["Api_method"] = fn(runtime, state, data) -> bytes` answers one call on a
block's state (a plain dict); `runtime.api_versions[name] = version` puts the API into
RuntimeVersion.apis (id = blake2_64 of the trait name, sp_api's macro); `runtime.apis` holds the
V15 metadata's ApiSpec entries. XCM pallets add DryRunApi, XcmPaymentApi, ... the same way.

Sources (polkadot-sdk): substrate/primitives/api (Core, Metadata), substrate/primitives/version
(RuntimeVersion and its SCALE layout), substrate/primitives/transaction-pool/src/runtime_api.rs
(TaggedTransactionQueue), substrate/frame/system/rpc/runtime-api (AccountNonceApi),
substrate/frame/transaction-payment/rpc/runtime-api and src/types.rs (RuntimeDispatchInfo,
FeeDetails, InclusionFee), sp_runtime transaction_validity.rs (TransactionValidity layout).
API versions are those of the sdk releases the current fellows runtimes build on.
"""
from __future__ import annotations

import hashlib

from ..metadata import ApiMethodSpec, ApiSpec
from ..scale import ScaleError, decode_compact
from .extrinsic import TransactionInvalid
from .frame import State


# API name -> version, for RuntimeVersion.apis
CORE_API_VERSIONS = {
    "Core": 5, "Metadata": 2, "BlockBuilder": 6, "TaggedTransactionQueue": 3, "OffchainWorkerApi": 2,
    "AccountNonceApi": 1, "TransactionPaymentApi": 4, "TransactionPaymentCallApi": 3, "GenesisBuilder": 1,
}
METADATA_VERSIONS = (14, 15)

INVALID_KINDS = ("Call", "Payment", "Future", "Stale", "BadProof", "AncientBirthBlock", "ExhaustsResources",
                 "Custom", "BadMandatory", "MandatoryValidation", "BadSigner", "IndeterminateImplicit",
                 "UnknownOrigin")


def api_id(name: str) -> bytes:
    return hashlib.blake2b(name.encode(), digest_size=8).digest()


def install(runtime) -> None:
    """Declares the API types, registers the handlers and the V15 ApiSpec entries."""
    reg, t = runtime.registry, runtime.types
    runtime.version_type = reg.composite("sp_version::RuntimeVersion", [
        ("spec_name", t.str, "Cow<'static, str>"), ("impl_name", t.str, "Cow<'static, str>"),
        ("authoring_version", t.u32, "u32"), ("spec_version", t.u32, "u32"), ("impl_version", t.u32, "u32"),
        ("apis", reg.seq(reg.tuple(reg.array(t.u8, 8), t.u32)), "ApisVec"),
        ("transaction_version", t.u32, "u32"), ("system_version", t.u8, "u8")])
    opaque = reg.composite("sp_core::OpaqueMetadata", [(None, t.bytes, "Vec<u8>")])
    dispatch_info = reg.composite("pallet_transaction_payment::types::RuntimeDispatchInfo", [
        ("weight", t.weight, "Weight"), ("class", t.dispatch_class, "DispatchClass"),
        ("partial_fee", t.u128, "Balance")], params=[("Balance", t.u128), ("Weight", t.weight)])
    inclusion = reg.composite("pallet_transaction_payment::types::InclusionFee", [
        ("base_fee", t.u128, "Balance"), ("len_fee", t.u128, "Balance"),
        ("adjusted_weight_fee", t.u128, "Balance")], params=[("Balance", t.u128)])
    fee_details = reg.composite("pallet_transaction_payment::types::FeeDetails", [
        ("inclusion_fee", reg.option(inclusion), "Option<InclusionFee<Balance>>"), ("tip", t.u128, "Balance")],
        params=[("Balance", t.u128)])
    invalid = reg.variant("sp_runtime::transaction_validity::InvalidTransaction", [
        (n, i, [(None, t.u8, "u8")] if n == "Custom" else []) for i, n in enumerate(INVALID_KINDS)])
    unknown = reg.variant("sp_runtime::transaction_validity::UnknownTransaction", [
        ("CannotLookup", 0, []), ("NoUnsignedValidator", 1, []), ("Custom", 2, [(None, t.u8, "u8")])])
    validity_error = reg.variant("sp_runtime::transaction_validity::TransactionValidityError", [
        ("Invalid", 0, [(None, invalid, "InvalidTransaction")]), ("Unknown", 1, [(None, unknown, "UnknownTransaction")])])
    valid = reg.composite("sp_runtime::transaction_validity::ValidTransaction", [
        ("priority", t.u64, "TransactionPriority"), ("requires", reg.seq(t.bytes), "Vec<TransactionTag>"),
        ("provides", reg.seq(t.bytes), "Vec<TransactionTag>"), ("longevity", t.u64, "TransactionLongevity"),
        ("propagate", t.bool, "bool")])
    validity = reg.result(valid, validity_error)
    source = reg.variant("sp_runtime::transaction_validity::TransactionSource",
                         [("InBlock", 0, []), ("Local", 1, []), ("External", 2, [])])
    uxt = runtime.extrinsic.extrinsic_type
    runtime.api_types = {"dispatch_info": dispatch_info, "fee_details": fee_details, "validity": validity,
                         "source": source, "opaque_metadata": opaque}

    runtime.api_versions = dict(CORE_API_VERSIONS)
    h = runtime.api_handlers
    h["Core_version"] = lambda rt, state, data: rt.registry.encode(rt.version_type, runtime_version(rt))
    h["Metadata_metadata"] = lambda rt, state, data: rt.registry.encode(t.bytes, rt.metadata(14))
    h["Metadata_metadata_at_version"] = _metadata_at_version
    h["Metadata_metadata_versions"] = lambda rt, state, data: rt.registry.encode(reg.seq(t.u32), list(METADATA_VERSIONS))
    h["AccountNonceApi_account_nonce"] = _account_nonce
    h["TransactionPaymentApi_query_info"] = _query_info
    h["TransactionPaymentApi_query_fee_details"] = _query_fee_details
    h["TransactionPaymentApi_query_weight_to_fee"] = _query_weight_to_fee
    h["TransactionPaymentApi_query_length_to_fee"] = _query_length_to_fee
    h["TaggedTransactionQueue_validate_transaction"] = _validate_transaction

    def method(name, inputs, output):
        return ApiMethodSpec(name, inputs, output)
    runtime.apis.extend([
        ApiSpec("Core", [method("version", [], runtime.version_type)]),
        ApiSpec("Metadata", [method("metadata", [], opaque),
                             method("metadata_at_version", [("version", t.u32)], reg.option(opaque)),
                             method("metadata_versions", [], reg.seq(t.u32))]),
        ApiSpec("TaggedTransactionQueue", [method("validate_transaction",
                                                  [("source", source), ("tx", uxt), ("block_hash", t.h256)], validity)]),
        ApiSpec("AccountNonceApi", [method("account_nonce", [("account", t.account_id)], t.u32)]),
        ApiSpec("TransactionPaymentApi", [
            method("query_info", [("uxt", uxt), ("len", t.u32)], dispatch_info),
            method("query_fee_details", [("uxt", uxt), ("len", t.u32)], fee_details),
            method("query_weight_to_fee", [("weight", t.weight)], t.u128),
            method("query_length_to_fee", [("length", t.u32)], t.u128)]),
    ])


def runtime_version(runtime) -> dict:
    cfg = runtime.config
    return {"spec_name": cfg.spec_name, "impl_name": cfg.impl_name, "authoring_version": cfg.authoring_version,
            "spec_version": cfg.spec_version, "impl_version": 0,
            "apis": [[api_id(name), version] for name, version in runtime.api_versions.items()],
            "transaction_version": cfg.transaction_version, "system_version": cfg.state_version}


def runtime_version_json(runtime) -> dict:
    """state_getRuntimeVersion's JSON (sp_version serde, camelCase, apis as [hex id, version])."""
    v = runtime_version(runtime)
    return {"specName": v["spec_name"], "implName": v["impl_name"], "authoringVersion": v["authoring_version"],
            "specVersion": v["spec_version"], "implVersion": v["impl_version"],
            "apis": [["0x" + i.hex(), ver] for i, ver in v["apis"]],
            "transactionVersion": v["transaction_version"], "systemVersion": v["system_version"],
            "stateVersion": v["system_version"]}


def call(runtime, state: dict, method: str, data: bytes) -> bytes:
    """Runs one API method; raises KeyError for a method nobody registered."""
    return runtime.api_handlers[method](runtime, state, data)


def _metadata_at_version(rt, state, data: bytes) -> bytes:
    version = int.from_bytes(data[:4], "little")
    if version not in METADATA_VERSIONS:
        return b"\x00"
    return b"\x01" + rt.registry.encode(rt.types.bytes, rt.metadata(version))


def _account_nonce(rt, state, data: bytes) -> bytes:
    who = rt.registry.decode(rt.types.account_id, data)
    return rt.pallet("System").account.get(State(state), who)["nonce"].to_bytes(4, "little")


def _extrinsic_and_len(rt, data: bytes):
    length, offset = decode_compact(data, 0)
    end = offset + length
    if len(data) != end + 4:
        raise ScaleError("expected an extrinsic and its u32 length")
    return rt.executive.format.decode(data[:end]), int.from_bytes(data[end:], "little")


def _query_info(rt, state, data: bytes) -> bytes:
    xt, length = _extrinsic_and_len(rt, data)
    ex = rt.executive
    info = ex.dispatch_info(xt)
    fee = 0 if not xt.signed else ex.payment.compute_fee(State(state), length, info.total_weight, 0)
    rt_w, ps = info.total_weight
    return rt.registry.encode(rt.api_types["dispatch_info"], {
        "weight": {"ref_time": rt_w, "proof_size": ps}, "class": info.dispatch_class, "partial_fee": fee})


def _query_fee_details(rt, state, data: bytes) -> bytes:
    xt, length = _extrinsic_and_len(rt, data)
    ex = rt.executive
    info = ex.dispatch_info(xt)
    tip = xt.tip if xt.signed else 0
    details = {"inclusion_fee": None, "tip": tip}
    if xt.signed and info.pays_fee == "Yes":
        details = ex.payment.FEES.details(length, info.total_weight, ex.payment.multiplier(State(state)), tip)
    return rt.registry.encode(rt.api_types["fee_details"], details)


def _query_weight_to_fee(rt, state, data: bytes) -> bytes:
    w = rt.registry.decode(rt.types.weight, data)
    fees = rt.executive.payment.FEES
    return fees.weight_fee(w["ref_time"], w["proof_size"]).to_bytes(16, "little")


def _query_length_to_fee(rt, state, data: bytes) -> bytes:
    return (rt.executive.payment.FEES.byte_fee * int.from_bytes(data[:4], "little")).to_bytes(16, "little")


def _validate_transaction(rt, state, data: bytes) -> bytes:
    """(source, tx, block_hash) on the state of block_hash, which the caller passes as `state`."""
    reg = rt.registry
    _source, offset = reg.decode_at(rt.api_types["source"], data, 0)
    length, start = decode_compact(data, offset)
    xt = rt.executive.format.decode(data[offset:start + length])
    block_hash = data[start + length:]
    system = rt.pallet("System")
    number = system.number.get(State(state))
    try:
        v = rt.executive.validate_transaction(state, number, block_hash, xt)
    except TransactionInvalid as why:
        kind = "Unknown" if why.unknown else "Invalid"
        return reg.encode(rt.api_types["validity"], {"Err": {kind: why.kind}})
    tag = reg.encode(reg.tuple(rt.types.account_id, rt.types.u32), [v.sender, v.nonce])
    requires = [reg.encode(reg.tuple(rt.types.account_id, rt.types.u32), [v.sender, v.nonce - 1])] if v.future else []
    return reg.encode(rt.api_types["validity"], {"Ok": {"priority": 0, "requires": requires, "provides": [tag],
                                                        "longevity": v.longevity, "propagate": True}})
