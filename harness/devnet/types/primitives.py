"""Types every runtime shares: ids, weights, dispatch results, headers, events records.

Paths and variant indices are those of polkadot-sdk (stable2412 and later, which the current
polkadot-fellows runtimes build on): sp_runtime/src/lib.rs (DispatchError, ModuleError, TokenError,
TransactionalError), sp_arithmetic/src/lib.rs (ArithmeticError), sp_runtime/src/proving_trie
(TrieError), sp_weights/src/weight_v2.rs, frame_support/src/dispatch.rs (DispatchClass, Pays),
frame_system/src/lib.rs (Phase, EventRecord, AccountInfo, DispatchEventInfo),
sp_runtime/src/generic/{header,digest,era}.rs, sp_runtime/src/multiaddress.rs.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scale import TypeRegistry


@dataclass(frozen=True)
class Primitives:
    u8: int
    u16: int
    u32: int
    u64: int
    u128: int
    bool: int
    str: int
    bytes: int
    unit: int
    h256: int
    account_id: int
    multi_address: int
    multi_signature: int
    weight: int
    dispatch_error: int
    dispatch_class: int
    pays: int
    dispatch_event_info: int
    phase: int
    header: int
    digest: int
    digest_item: int
    era: int
    account_data: int
    account_info: int
    balance_status: int


def declare_primitives(reg: TypeRegistry, account_index: int | None = None) -> Primitives:
    """account_index: the type of MultiAddress::Index (u32 where pallet-indices exists, else ())."""
    u8, u16, u32, u64, u128 = (reg.prim(p) for p in ("u8", "u16", "u32", "u64", "u128"))
    boolean, string = reg.prim("bool"), reg.prim("str")
    unit = reg.unit()
    b32 = reg.array(u8, 32)
    h256 = reg.composite("primitive_types::H256", [(None, b32, "[u8; 32]")], name="H256")
    account_id = reg.composite("sp_core::crypto::AccountId32", [(None, b32, "[u8; 32]")], name="AccountId32")
    index_t = unit if account_index is None else account_index
    multi_address = reg.variant("sp_runtime::multiaddress::MultiAddress", [
        ("Id", 0, [(None, account_id, "AccountId")]),
        ("Index", 1, [(None, reg.compact(index_t), "AccountIndex")]),
        ("Raw", 2, [(None, reg.bytes(), "Vec<u8>")]),
        ("Address32", 3, [(None, b32, "[u8; 32]")]),
        ("Address20", 4, [(None, reg.array(u8, 20), "[u8; 20]")]),
    ], params=[("AccountId", account_id), ("AccountIndex", index_t)], name="MultiAddress")
    sig64 = reg.array(u8, 64)
    sr = reg.composite("sp_core::sr25519::Signature", [(None, sig64, "[u8; 64]")])
    ed = reg.composite("sp_core::ed25519::Signature", [(None, sig64, "[u8; 64]")])
    ec = reg.composite("sp_core::ecdsa::Signature", [(None, reg.array(u8, 65), "[u8; 65]")])
    multi_signature = reg.variant("sp_runtime::MultiSignature", [
        ("Ed25519", 0, [(None, ed, "ed25519::Signature")]),
        ("Sr25519", 1, [(None, sr, "sr25519::Signature")]),
        ("Ecdsa", 2, [(None, ec, "ecdsa::Signature")]),
    ], name="MultiSignature")
    weight = reg.composite("sp_weights::weight_v2::Weight", [
        ("ref_time", reg.compact(u64), "u64"), ("proof_size", reg.compact(u64), "u64")], name="Weight")

    module_error = reg.composite("sp_runtime::ModuleError", [
        ("index", u8, "u8"), ("error", reg.array(u8, 4), "[u8; MAX_MODULE_ERROR_ENCODED_SIZE]")])
    token_error = reg.variant("sp_runtime::TokenError", [
        (n, i, []) for i, n in enumerate(("FundsUnavailable", "OnlyProvider", "BelowMinimum", "CannotCreate",
                                          "UnknownAsset", "Frozen", "Unsupported", "CannotCreateHold",
                                          "NotExpendable", "Blocked"))])
    arithmetic_error = reg.variant("sp_arithmetic::ArithmeticError", [
        ("Underflow", 0, []), ("Overflow", 1, []), ("DivisionByZero", 2, [])])
    transactional_error = reg.variant("sp_runtime::TransactionalError", [("LimitReached", 0, []), ("NoLayer", 1, [])])
    trie_error = reg.variant("sp_runtime::proving_trie::TrieError", [
        (n, i, []) for i, n in enumerate((
            "InvalidStateRoot", "IncompleteDatabase", "ValueAtIncompleteKey", "DecoderError", "InvalidHash",
            "DuplicateKey", "ExtraneousNode", "ExtraneousValue", "ExtraneousHashReference",
            "InvalidChildReference", "ValueMismatch", "IncompleteProof", "RootMismatch", "DecodeError"))])
    dispatch_error = reg.variant("sp_runtime::DispatchError", [
        ("Other", 0, []), ("CannotLookup", 1, []), ("BadOrigin", 2, []),
        ("Module", 3, [(None, module_error, "ModuleError")]),
        ("ConsumerRemaining", 4, []), ("NoProviders", 5, []), ("TooManyConsumers", 6, []),
        ("Token", 7, [(None, token_error, "TokenError")]),
        ("Arithmetic", 8, [(None, arithmetic_error, "ArithmeticError")]),
        ("Transactional", 9, [(None, transactional_error, "TransactionalError")]),
        ("Exhausted", 10, []), ("Corruption", 11, []), ("Unavailable", 12, []), ("RootNotAllowed", 13, []),
        ("Trie", 14, [(None, trie_error, "TrieError")]),
    ], name="DispatchError")
    dispatch_class = reg.variant("frame_support::dispatch::DispatchClass",
                                 [("Normal", 0, []), ("Operational", 1, []), ("Mandatory", 2, [])])
    pays = reg.variant("frame_support::dispatch::Pays", [("Yes", 0, []), ("No", 1, [])])
    dispatch_event_info = reg.composite("frame_system::DispatchEventInfo", [
        ("weight", weight, "Weight"), ("class", dispatch_class, "DispatchClass"), ("pays_fee", pays, "Pays")])
    phase = reg.variant("frame_system::Phase", [
        ("ApplyExtrinsic", 0, [(None, u32, "u32")]), ("Finalization", 1, []), ("Initialization", 2, [])])

    digest_item = reg.variant("sp_runtime::generic::digest::DigestItem", [
        ("Other", 0, [(None, reg.bytes(), "Vec<u8>")]),
        ("Consensus", 4, [(None, reg.array(u8, 4), "ConsensusEngineId"), (None, reg.bytes(), "Vec<u8>")]),
        ("Seal", 5, [(None, reg.array(u8, 4), "ConsensusEngineId"), (None, reg.bytes(), "Vec<u8>")]),
        ("PreRuntime", 6, [(None, reg.array(u8, 4), "ConsensusEngineId"), (None, reg.bytes(), "Vec<u8>")]),
        ("RuntimeEnvironmentUpdated", 8, []),
    ])
    digest = reg.composite("sp_runtime::generic::digest::Digest", [("logs", reg.seq(digest_item), "Vec<DigestItem>")])
    header = reg.composite("sp_runtime::generic::header::Header", [
        ("parent_hash", h256, "Hash::Output"), ("number", reg.compact(u32), "Number"),
        ("state_root", h256, "Hash::Output"), ("extrinsics_root", h256, "Hash::Output"),
        ("digest", digest, "Digest")],
        params=[("Number", u32), ("Hash", reg.composite("sp_runtime::traits::BlakeTwo256", []))], name="Header")
    # Era: Immortal is one zero byte, Mortal is two bytes; scale-info lists Immortal plus Mortal1..Mortal255.
    era = reg.variant("sp_runtime::generic::era::Era",
                      [("Immortal", 0, [])] + [(f"Mortal{i}", i, [(None, u8, None)]) for i in range(1, 256)],
                      name="Era")
    extra_flags = reg.composite("pallet_balances::types::ExtraFlags", [(None, u128, "u128")])
    account_data = reg.composite("pallet_balances::types::AccountData", [
        ("free", u128, "Balance"), ("reserved", u128, "Balance"), ("frozen", u128, "Balance"),
        ("flags", extra_flags, "ExtraFlags")], params=[("Balance", u128)], name="AccountData")
    account_info = reg.composite("frame_system::AccountInfo", [
        ("nonce", u32, "Nonce"), ("consumers", u32, "RefCount"), ("providers", u32, "RefCount"),
        ("sufficients", u32, "RefCount"), ("data", account_data, "AccountData")],
        params=[("Nonce", u32), ("AccountData", account_data)], name="AccountInfo")
    balance_status = reg.variant("frame_support::traits::tokens::misc::BalanceStatus",
                                 [("Free", 0, []), ("Reserved", 1, [])])
    return Primitives(u8=u8, u16=u16, u32=u32, u64=u64, u128=u128, bool=boolean, str=string, bytes=reg.bytes(),
                      unit=unit, h256=h256, account_id=account_id, multi_address=multi_address,
                      multi_signature=multi_signature, weight=weight, dispatch_error=dispatch_error,
                      dispatch_class=dispatch_class, pays=pays, dispatch_event_info=dispatch_event_info, phase=phase,
                      header=header, digest=digest, digest_item=digest_item, era=era, account_data=account_data,
                      account_info=account_info, balance_status=balance_status)
