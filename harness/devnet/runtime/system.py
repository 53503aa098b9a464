"""frame_system: accounts and nonces, block bookkeeping, and the event log.

Source: polkadot-sdk substrate/frame/system/src/lib.rs (storage, calls, events, errors, in
declaration order, which fixes their indices).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..scale import encode_compact, decode_compact
from .frame import Ctx, DispatchError, Pallet


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
        self.reg_u32_refcount = self.item("UpgradedToU32RefCount", t.bool, default=False)
        self.triple_refcount = self.item("UpgradedToTripleRefCount", t.bool, default=False)
        self.execution_phase = self.item("ExecutionPhase", t.phase, optional=True)
        code_upgrade = r.composite("frame_system::CodeUpgradeAuthorization", [
            ("code_hash", t.h256, "T::Hash"), ("check_version", t.bool, "bool")])
        self.item("AuthorizedUpgrade", code_upgrade, optional=True)
        self.weight_reclaimed = self.item("ExtrinsicWeightReclaimed", t.weight,
                                          default={"ref_time": 0, "proof_size": 0})

        acc = t.account_id
        # frame_system's task items (#[cfg(feature = "experimental")]) are in the live Asset Hubs'
        # metadata only (statemint 2_000_000, statemine 1_009_003); their RuntimeTask has no variant.
        tasks = self.runtime.config.spec_name in TASK_ITEMS_SPECS
        task = r.variant(f"{self.runtime.config.crate}::RuntimeTask", []) if tasks else None
        task_events = [("TaskStarted", [("task", task, "T::RuntimeTask")]),
                       ("TaskCompleted", [("task", task, "T::RuntimeTask")]),
                       ("TaskFailed", [("task", task, "T::RuntimeTask"),
                                       ("err", t.dispatch_error, "DispatchError")])] if tasks else []
        events = [
            ("ExtrinsicSuccess", [("dispatch_info", t.dispatch_event_info, "DispatchEventInfo")]),
            ("ExtrinsicFailed", [("dispatch_error", t.dispatch_error, "DispatchError"),
                                 ("dispatch_info", t.dispatch_event_info, "DispatchEventInfo")]),
            ("CodeUpdated", [("hash", t.h256, "T::Hash")]),
            ("NewAccount", [("account", acc, "T::AccountId")]),
            ("KilledAccount", [("account", acc, "T::AccountId")]),
            ("Remarked", [("sender", acc, "T::AccountId"), ("hash", t.h256, "T::Hash")]),
            *task_events,
            ("UpgradeAuthorized", [("code_hash", t.h256, "T::Hash"), ("check_version", t.bool, "bool")]),
            ("RejectedInvalidAuthorizedUpgrade", [("code_hash", t.h256, "T::Hash"),
                                                  ("error", t.dispatch_error, "DispatchError")]),
        ]
        self.events = r.variant("frame_system::pallet::Event", [
            (name, i, fields) for i, (name, fields) in enumerate(events)], params=[("T", None)])
        errors = ("InvalidSpecName", "SpecVersionNeedsToIncrease", "FailedToExtractRuntimeVersion",
                  "NonDefaultComposite", "NonZeroRefCount", "CallFiltered", "MultiBlockMigrationsOngoing",
                  *(("InvalidTask", "FailedTask") if tasks else ()), "NothingAuthorized", "Unauthorized")
        self.errors = r.variant("frame_system::pallet::Error", [
            (n, i, []) for i, n in enumerate(errors)], params=[("T", None)])
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
            *([("do_task", 8, [("task", task, "T::RuntimeTask")])] if tasks else []),
            ("authorize_upgrade", 9, [("code_hash", t.h256, "T::Hash")]),
            ("authorize_upgrade_without_checks", 10, [("code_hash", t.h256, "T::Hash")]),
            ("apply_authorized_upgrade", 11, [("code", t.bytes, "Vec<u8>")]),
        ], params=[("T", None)])

    def declare_constants(self, limits: "SystemLimits", version: dict) -> None:
        """System's constants in declaration order (frame_system::Config #[pallet::constant]s).

        Called once the runtime knows its API list, which the Version constant carries.
        """
        r, t = self.reg, self.t
        opt_w = r.option(t.weight)
        per_class_t = r.composite("frame_system::limits::WeightsPerClass", [
            ("base_extrinsic", t.weight, "Weight"), ("max_extrinsic", opt_w, "Option<Weight>"),
            ("max_total", opt_w, "Option<Weight>"), ("reserved", opt_w, "Option<Weight>")])
        per_class = r.composite("frame_support::dispatch::PerDispatchClass", [
            ("normal", per_class_t, "T"), ("operational", per_class_t, "T"), ("mandatory", per_class_t, "T")],
            params=[("T", per_class_t)])
        block_weights = r.composite("frame_system::limits::BlockWeights", [
            ("base_block", t.weight, "Weight"), ("max_block", t.weight, "Weight"),
            ("per_class", per_class, "PerDispatchClass<WeightsPerClass>")])
        per_class_u32 = r.composite("frame_support::dispatch::PerDispatchClass", [
            ("normal", t.u32, "T"), ("operational", t.u32, "T"), ("mandatory", t.u32, "T")], params=[("T", t.u32)])
        block_length = r.composite("frame_system::limits::BlockLength", [
            ("max", per_class_u32, "PerDispatchClass<u32>")])
        db_weight = r.composite("sp_weights::RuntimeDbWeight", [("read", t.u64, "u64"), ("write", t.u64, "u64")])
        self.constant("BlockWeights", block_weights, limits.block_weights())
        self.constant("BlockLength", block_length, {"max": limits.block_length})
        self.constant("BlockHashCount", t.u32, limits.block_hash_count)
        self.constant("DbWeight", db_weight, {"read": limits.db_read, "write": limits.db_write})
        self.constant("Version", self.runtime.version_type, version)
        self.constant("SS58Prefix", t.u16, self.runtime.config.ss58)
        self.limits = limits

    # --- accounts --------------------------------------------------------------------------
    def get_account(self, ctx: Ctx, who: bytes) -> dict:
        return self.account.get(ctx.state, who)

    def put_account(self, ctx: Ctx, who: bytes, info: dict) -> None:
        """Write, or remove an account whose reference counts and balance are all zero (reaped)."""
        if info["providers"] == 0 and info["sufficients"] == 0 and info["consumers"] == 0:
            self.account.remove(ctx.state, who)
        else:
            self.account.put(ctx.state, who, info)

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """frame_system's GenesisConfig::build: the 0x69.. placeholder hashes, the runtime upgrade
        record, the ref-count upgrade flags and `:extrinsic_index` = 0."""
        cfg = self.runtime.config
        hash69 = bytes([69]) * 32
        self.block_hash.put(ctx.state, 0, hash69)
        self.parent_hash.put(ctx.state, hash69)
        self.last_upgrade.put(ctx.state, {"spec_version": cfg.spec_version, "spec_name": cfg.spec_name})
        self.reg_u32_refcount.put(ctx.state, True)
        self.triple_refcount.put(ctx.state, True)
        ctx.state.set(EXTRINSIC_INDEX_KEY, (0).to_bytes(4, "little"))

    # Reference counting, as frame_system's inc/dec_providers and inc/dec_consumers do it
    # (substrate/frame/system/src/lib.rs): creating an account emits NewAccount, removing the last
    # provider of an account without consumers reaps it and emits KilledAccount.
    def providers(self, state, who: bytes) -> int:
        return self.account.get(state, who)["providers"]

    def inc_providers(self, ctx: Ctx, who: bytes) -> str:
        info = self.get_account(ctx, who)
        if info["providers"] == 0 and info["sufficients"] == 0:
            info["providers"] = 1
            self.account.put(ctx.state, who, info)
            self.emit(ctx, "NewAccount", {"account": who})
            return "created"
        info["providers"] += 1
        self.account.put(ctx.state, who, info)
        return "existed"

    def dec_providers(self, ctx: Ctx, who: bytes) -> str:
        if not self.account.exists(ctx.state, who):
            return "reaped"
        info = self.get_account(ctx, who)
        providers = max(info["providers"], 1)   # FRAME logs and treats 0 as 1
        if providers == 1 and info["consumers"] == 0 and info["sufficients"] == 0:
            self.account.remove(ctx.state, who)
            self.emit(ctx, "KilledAccount", {"account": who})
            return "reaped"
        if providers == 1 and info["consumers"] > 0:
            raise DispatchError.simple("ConsumerRemaining")
        info["providers"] = providers - 1
        self.account.put(ctx.state, who, info)
        return "exists"

    def can_dec_provider(self, state, who: bytes) -> bool:
        info = self.account.get(state, who)
        return info["consumers"] == 0 or info["providers"] > 1

    def inc_consumers(self, ctx: Ctx, who: bytes, limit: bool = True) -> None:
        info = self.get_account(ctx, who)
        if info["providers"] == 0:
            raise DispatchError.simple("NoProviders")
        if limit and info["consumers"] >= MAX_CONSUMERS:
            raise DispatchError.simple("TooManyConsumers")
        info["consumers"] += 1
        self.account.put(ctx.state, who, info)

    def dec_consumers(self, ctx: Ctx, who: bytes) -> None:
        if self.account.exists(ctx.state, who):
            info = self.get_account(ctx, who)
            info["consumers"] = max(info["consumers"] - 1, 0)
            self.account.put(ctx.state, who, info)

    def inc_nonce(self, ctx: Ctx, who: bytes) -> None:
        info = self.get_account(ctx, who)
        info["nonce"] += 1
        self.account.put(ctx.state, who, info)

    # --- block bookkeeping (frame_system initialize / note_* / finalize) -------------------
    def initialize(self, ctx: Ctx, number: int, parent_hash: bytes, digest: dict) -> None:
        from ..hashing import blake2_256
        for item in (self.events_item, self.event_count):
            item.remove(ctx.state)
        for key in list(ctx.state.keys_with_prefix(self.event_topics.prefix)):
            ctx.state.set(key, None)
        self.execution_phase.put(ctx.state, "Initialization")
        ctx.state.set(EXTRINSIC_INDEX_KEY, (0).to_bytes(4, "little"))
        ctx.state.set(INTRABLOCK_ENTROPY_KEY, blake2_256(b"frame_system::initialize" + parent_hash))
        self.number.put(ctx.state, number)
        self.digest.put(ctx.state, digest)
        self.parent_hash.put(ctx.state, parent_hash)
        self.block_hash.put(ctx.state, number - 1, parent_hash)
        self.block_weight.remove(ctx.state)
        self.inherents_applied.remove(ctx.state)

    def note_finished_initialize(self, ctx: Ctx) -> None:
        self.execution_phase.put(ctx.state, {"ApplyExtrinsic": 0})

    def extrinsic_index(self, state) -> int:
        raw = state.get(EXTRINSIC_INDEX_KEY)
        return int.from_bytes(raw, "little") if raw else 0

    def note_extrinsic(self, ctx: Ctx, encoded: bytes) -> None:
        self.extrinsic_data.put(ctx.state, self.extrinsic_index(ctx.state), encoded)

    def note_applied_extrinsic(self, ctx: Ctx, error: Any, info: dict) -> None:
        """ExtrinsicSuccess/ExtrinsicFailed with the DispatchEventInfo, then the next index."""
        if error is None:
            self.emit(ctx, "ExtrinsicSuccess", {"dispatch_info": info})
        else:
            self.emit(ctx, "ExtrinsicFailed", {"dispatch_error": error, "dispatch_info": info})
        nxt = self.extrinsic_index(ctx.state) + 1
        ctx.state.set(EXTRINSIC_INDEX_KEY, nxt.to_bytes(4, "little"))
        self.execution_phase.put(ctx.state, {"ApplyExtrinsic": nxt})
        self.weight_reclaimed.remove(ctx.state)
        ctx.phase = {"ApplyExtrinsic": nxt}

    def note_finished_extrinsics(self, ctx: Ctx) -> None:
        count = self.extrinsic_index(ctx.state)
        ctx.state.set(EXTRINSIC_INDEX_KEY, None)
        self.extrinsic_count.put(ctx.state, count)
        self.execution_phase.put(ctx.state, "Finalization")

    def accrue_weight(self, ctx: Ctx, weight: tuple[int, int], dispatch_class: str = "normal") -> None:
        used = self.block_weight.get(ctx.state)
        w = used[dispatch_class]
        used[dispatch_class] = {"ref_time": w["ref_time"] + weight[0], "proof_size": w["proof_size"] + weight[1]}
        self.block_weight.put(ctx.state, used)

    def accrue_length(self, ctx: Ctx, length: int) -> None:
        self.all_extrinsics_len.put(ctx.state, (self.all_extrinsics_len.get(ctx.state) or 0) + length)

    def finalize(self, ctx: Ctx) -> list[bytes]:
        """Clears the per-block items and returns the block's extrinsics (ExtrinsicData taken)."""
        self.execution_phase.remove(ctx.state)
        self.all_extrinsics_len.remove(ctx.state)
        ctx.state.set(INTRABLOCK_ENTROPY_KEY, None)
        self.inherents_applied.remove(ctx.state)
        count = self.extrinsic_count.get(ctx.state) or 0
        self.extrinsic_count.remove(ctx.state)
        extrinsics = []
        for i in range(count):
            extrinsics.append(self.extrinsic_data.get(ctx.state, i))
            self.extrinsic_data.remove(ctx.state, i)
        number = self.number.get(ctx.state)
        to_remove = number - self.limits.block_hash_count - 1
        if to_remove > 0:   # the genesis hash is kept
            self.block_hash.remove(ctx.state, to_remove)
        return extrinsics

    # --- events ----------------------------------------------------------------------------
    def deposit_event(self, ctx: Ctx, event: Any, topics: list[bytes]) -> None:
        """Append one EventRecord to System.Events without re-encoding the ones before it.

        Like frame_system, nothing is recorded at genesis (block 0)."""
        if ctx.block_number == 0:
            return
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


# well_known_keys (substrate/primitives/storage/src/lib.rs)
EXTRINSIC_INDEX_KEY = b":extrinsic_index"
INTRABLOCK_ENTROPY_KEY = b":intrablock_entropy"
# the runtimes whose live metadata has frame_system's task call, events and errors (see declare)
TASK_ITEMS_SPECS = ("statemine", "statemint")
# `type MaxConsumers = ConstU32<16>` in every fellows runtime's frame_system::Config
MAX_CONSUMERS = 16


@dataclass(frozen=True)
class SystemLimits:
    """The numbers behind System's constants (frame_system::limits, built as the runtimes do:
    BlockWeights::builder() with base_block, base_extrinsic, Normal/Operational max_total,
    Normal reserved zero (the builder's start), Operational reserved and
    avg_block_initialization; max_extrinsic = max_total - init - base)."""

    base_block: int                 # ref_time of BlockExecutionWeight
    base_extrinsic: int             # ref_time of ExtrinsicBaseWeight
    max_block: tuple[int, int]      # MAXIMUM_BLOCK_WEIGHT (ref_time, proof_size)
    normal_ratio_percent: int       # NORMAL_DISPATCH_RATIO
    init_ratio_percent: int = 5     # AVERAGE_ON_INITIALIZE_RATIO: 5 on system parachains, 1 on relays
    block_length: dict = field(default_factory=lambda: {"normal": 3932160, "operational": 5242880,
                                                        "mandatory": 5242880})
    block_hash_count: int = 4096    # polkadot_runtime_common::BlockHashCount
    db_read: int = 25_000_000
    db_write: int = 100_000_000

    def block_weights(self) -> dict:
        def w(rt, ps):
            return {"ref_time": rt, "proof_size": ps}
        mrt, mps = self.max_block
        nrt, nps = mrt * self.normal_ratio_percent // 100, mps * self.normal_ratio_percent // 100
        irt, ips = mrt * self.init_ratio_percent // 100, mps * self.init_ratio_percent // 100

        def cls(total, reserved):
            return {"base_extrinsic": w(self.base_extrinsic, 0),
                    "max_extrinsic": None if total is None else
                    w(total[0] - irt - self.base_extrinsic, total[1] - ips),
                    "max_total": None if total is None else w(*total),
                    "reserved": None if reserved is None else w(*reserved)}
        return {"base_block": w(self.base_block, 0), "max_block": w(mrt, mps), "per_class": {
            "normal": cls((nrt, nps), (0, 0)),
            "operational": cls((mrt, mps), (mrt - nrt, mps - nps)),
            "mandatory": cls(None, None)}}


def _empty_account() -> dict:
    return {"nonce": 0, "consumers": 0, "providers": 0, "sufficients": 0,
            "data": {"free": 0, "reserved": 0, "frozen": 0, "flags": 1 << 127}}
