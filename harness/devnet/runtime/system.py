"""frame_system: accounts and nonces, block bookkeeping, and the event log.

Source: polkadot-sdk substrate/frame/system/src/lib.rs (storage, calls, events, errors, in
declaration order, which fixes their indices).
"""
from __future__ import annotations

from typing import Any

from ..scale import encode_compact, decode_compact
from .frame import Ctx, Pallet


class System(Pallet):
    NAME = "System"

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.event_record = r.composite("frame_system::EventRecord", [
            ("phase", t.phase, "Phase"), ("event", self.runtime.event_enum, "E"),
            ("topics", r.seq(t.h256), "Vec<T>")], params=[("E", self.runtime.event_enum), ("T", t.h256)])
        self.account = self.item("Account", t.account_info, (t.account_id,), ("Blake2_128Concat",),
                                 default=_empty_account())
        self.extrinsic_count = self.item("ExtrinsicCount", t.u32, optional=True)
        self.inherents_applied = self.item("InherentsApplied", t.bool, default=False)
        per_class = r.composite("frame_support::dispatch::PerDispatchClass", [
            ("normal", t.weight, "T"), ("operational", t.weight, "T"), ("mandatory", t.weight, "T")],
            params=[("T", t.weight)])
        zero_w = {"ref_time": 0, "proof_size": 0}
        self.block_weight = self.item("BlockWeight", per_class,
                                      default={"normal": zero_w, "operational": zero_w, "mandatory": zero_w})
        self.all_extrinsics_len = self.item("AllExtrinsicsLen", t.u32, optional=True)
        self.block_hash = self.item("BlockHash", t.h256, (t.u32,), ("Twox64Concat",), default=bytes(32))
        self.extrinsic_data = self.item("ExtrinsicData", t.bytes, (t.u32,), ("Twox64Concat",), default=b"")
        self.number = self.item("Number", t.u32, default=0)
        self.parent_hash = self.item("ParentHash", t.h256, default=bytes(32))
        self.digest = self.item("Digest", t.digest, default={"logs": []})
        self.events_item = self.item("Events", r.seq(self.event_record), default=[])
        self.event_count = self.item("EventCount", t.u32, default=0)
        self.event_topics = self.item("EventTopics", r.seq(r.tuple(t.u32, t.u32)), (t.h256,), ("Blake2_128Concat",),
                                      default=[])
        upgrade = r.composite("frame_system::LastRuntimeUpgradeInfo", [
            ("spec_version", r.compact(t.u32), "codec::Compact<u32>"), ("spec_name", t.str, "Cow<'static, str>")])
        self.last_upgrade = self.item("LastRuntimeUpgrade", upgrade, optional=True)
        self.item("UpgradedToU32RefCount", t.bool, default=False)
        self.item("UpgradedToTripleRefCount", t.bool, default=False)
        self.execution_phase = self.item("ExecutionPhase", t.phase, optional=True)
        code_upgrade = r.composite("frame_system::CodeUpgradeAuthorization", [
            ("code_hash", t.h256, "T::Hash"), ("check_version", t.bool, "bool")])
        self.item("AuthorizedUpgrade", code_upgrade, optional=True)

        acc = t.account_id
        self.events = r.variant("frame_system::pallet::Event", [
            ("ExtrinsicSuccess", 0, [("dispatch_info", t.dispatch_event_info, "DispatchEventInfo")]),
            ("ExtrinsicFailed", 1, [("dispatch_error", t.dispatch_error, "DispatchError"),
                                    ("dispatch_info", t.dispatch_event_info, "DispatchEventInfo")]),
            ("CodeUpdated", 2, []),
            ("NewAccount", 3, [("account", acc, "T::AccountId")]),
            ("KilledAccount", 4, [("account", acc, "T::AccountId")]),
            ("Remarked", 5, [("sender", acc, "T::AccountId"), ("hash", t.h256, "T::Hash")]),
            ("UpgradeAuthorized", 6, [("code_hash", t.h256, "T::Hash"), ("check_version", t.bool, "bool")]),
        ], params=[("T", None)])
        self.errors = r.variant("frame_system::pallet::Error", [
            (n, i, []) for i, n in enumerate((
                "InvalidSpecName", "SpecVersionNeedsToIncrease", "FailedToExtractRuntimeVersion",
                "NonDefaultComposite", "NonZeroRefCount", "CallFiltered", "MultiBlockMigrationsOngoing",
                "NothingAuthorized", "Unauthorized"))], params=[("T", None)])
        kv = r.seq(r.tuple(t.bytes, t.bytes))
        self.calls = r.variant("frame_system::pallet::Call", [
            ("remark", 0, [("remark", t.bytes, "Vec<u8>")]),
            ("set_heap_pages", 1, [("pages", t.u64, "u64")]),
            ("set_code", 2, [("code", t.bytes, "Vec<u8>")]),
            ("set_code_without_checks", 3, [("code", t.bytes, "Vec<u8>")]),
            ("set_storage", 4, [("items", kv, "Vec<KeyValue>")]),
            ("kill_storage", 5, [("keys", r.seq(t.bytes), "Vec<Key>")]),
            ("kill_prefix", 6, [("prefix", t.bytes, "Key"), ("subkeys", t.u32, "u32")]),
            ("remark_with_event", 7, [("remark", t.bytes, "Vec<u8>")]),
            ("authorize_upgrade", 9, [("code_hash", t.h256, "T::Hash")]),
            ("authorize_upgrade_without_checks", 10, [("code_hash", t.h256, "T::Hash")]),
            ("apply_authorized_upgrade", 11, [("code", t.bytes, "Vec<u8>")]),
        ], params=[("T", None)])

    # --- accounts --------------------------------------------------------------------------
    def get_account(self, ctx: Ctx, who: bytes) -> dict:
        return self.account.get(ctx.state, who)

    def put_account(self, ctx: Ctx, who: bytes, info: dict) -> None:
        """Write, or remove an account whose reference counts and balance are all zero (reaped)."""
        if info["providers"] == 0 and info["sufficients"] == 0 and info["consumers"] == 0:
            self.account.remove(ctx.state, who)
        else:
            self.account.put(ctx.state, who, info)

    # --- events ----------------------------------------------------------------------------
    def deposit_event(self, ctx: Ctx, event: Any, topics: list[bytes]) -> None:
        """Append one EventRecord to System.Events without re-encoding the ones before it."""
        record = self.reg.encode(self.event_record, {"phase": ctx.phase, "event": event, "topics": topics})
        key = self.events_item.key()
        raw = ctx.state.get(key) or b"\x00"
        count, offset = decode_compact(raw, 0)
        ctx.state.set(key, encode_compact(count + 1) + raw[offset:] + record)
        self.event_count.put(ctx.state, count + 1)

    def call_remark(self, ctx: Ctx, origin, remark: bytes) -> None:
        origin.ensure_signed()

    def call_remark_with_event(self, ctx: Ctx, origin, remark: bytes) -> None:
        from ..hashing import blake2_256
        who = origin.ensure_signed()
        self.emit(ctx, "Remarked", {"sender": who, "hash": blake2_256(remark)})

    def call_set_storage(self, ctx: Ctx, origin, items: list) -> None:
        origin.ensure_root()
        for k, v in items:
            ctx.state.set(k, v)


def _empty_account() -> dict:
    return {"nonce": 0, "consumers": 0, "providers": 0, "sufficients": 0,
            "data": {"free": 0, "reserved": 0, "frozen": 0, "flags": 1 << 127}}
