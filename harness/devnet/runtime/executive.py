"""Block execution: initialize, inherents, extrinsics (validate, pay, dispatch, refund), finalize.

Sources (polkadot-sdk): substrate/frame/executive/src/lib.rs (initialize_block, apply_extrinsic,
finalize_block, validate_transaction on a block initialized at best + 1), frame/system/src/lib.rs
(initialize, note_applied_extrinsic: the event weight adds base_extrinsic, finalize),
frame/system/src/extensions/{check_non_zero_sender,check_nonce,check_weight}.rs,
frame/transaction-payment/src/lib.rs (ChargeTransactionPayment validate/prepare/post_dispatch),
sp_consensus_babe::digests::PreDigest (SecondaryPlain = 2: authority_index u32, slot u64),
sp_consensus_aura (PreRuntime b"aura" with the slot).

Not a real trie: state_root and extrinsics_root are blake2_256 over the sorted key/values and the
concatenated extrinsics; nobody verifies them against a trie. Headers carry no Seal item.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..hashing import blake2_256
from .extrinsic import Extrinsic, ExtrinsicFormat, TransactionInvalid, encode_bare, era_birth
from .frame import Ctx, DispatchError, Origin, State

ZERO_ACCOUNT = bytes(32)


@dataclass
class DispatchInfo:
    call_weight: tuple[int, int]
    extension_weight: tuple[int, int]
    dispatch_class: str = "Normal"       # frame_support DispatchClass variant name
    pays_fee: str = "Yes"

    @property
    def total_weight(self) -> tuple[int, int]:
        return (self.call_weight[0] + self.extension_weight[0], self.call_weight[1] + self.extension_weight[1])


@dataclass
class Validity:
    """What the pool needs from TaggedTransactionQueue::validate_transaction."""

    sender: bytes
    nonce: int
    account_nonce: int
    longevity: int

    @property
    def future(self) -> bool:
        return self.nonce > self.account_nonce


@dataclass
class Applied:
    """One extrinsic applied in a block: its dispatch error (None on success) and fee."""

    extrinsic: Extrinsic
    error: Any = None
    fee: int = 0


@dataclass
class BlockWork:
    """Work the orchestrator runs inside a block, each part in its FRAME phase.

    on_initialize: Phase::Initialization, after the pallets' on_initialize (e.g. a relay's
    MessageQueue servicing UMP). on_idle: Phase::Finalization, before on_finalize (e.g. an Asset
    Hub's MessageQueue servicing DMP/XCMP in on_idle). inherent_data: handed to every pallet's
    create_inherent (e.g. validation data for ParachainSystem).
    """

    on_initialize: Callable[[Ctx], None] | None = None
    on_idle: Callable[[Ctx], None] | None = None
    inherent_data: dict = field(default_factory=dict)


@dataclass
class BuiltBlock:
    number: int
    hash: bytes
    parent_hash: bytes
    header: dict
    header_bytes: bytes
    extrinsics: list[bytes]
    state: dict[bytes, bytes]
    changes: dict[bytes, bytes | None]
    applied: list[Applied]


class Executive:
    """Runs blocks for one runtime. `consensus` is "babe" (relays) or "aura" (parachains)."""

    def __init__(self, runtime, extrinsic_format: ExtrinsicFormat, consensus: str, slot_duration_ms: int):
        self.runtime = runtime
        self.format = extrinsic_format
        self.consensus = consensus
        self.slot_duration = slot_duration_ms
        self.system = runtime.pallet("System")
        self.payment = runtime.pallet("TransactionPayment")

    # --- dispatch info and fees ------------------------------------------------------------
    def dispatch_info(self, xt: Extrinsic) -> DispatchInfo:
        return DispatchInfo(self.runtime.call_weight(xt.call), self.extension_weight(xt) if xt.signed else (0, 0),
                            self.runtime.dispatch_class(xt.call))

    def extension_weight(self, xt: Extrinsic) -> tuple[int, int]:
        """The sum of the extensions' weight() (each runtime's weights/frame_system_extensions.rs and
        payment weights, in runtimes/params.py EXTENSION_WEIGHTS)."""
        weights = self.runtime.extension_weights
        total = [0, 0]
        for name in self.format.identifiers:
            key = name
            if name == "CheckMortality":
                key = "check_mortality_immortal" if xt.era is None else "check_mortality_mortal"
            w = weights.get(key, (0, 0))
            if name == "ChargeAssetTxPayment" and fee_asset(xt) is not None:
                w = self.runtime.pallet("AssetTxPayment").asset_weight()
            total[0] += w[0]
            total[1] += w[1]
        total[0] += weights.get("StorageWeightReclaim", (0, 0))[0]
        return total[0], total[1]

    def fee(self, state, xt: Extrinsic, info: DispatchInfo | None = None) -> int:
        info = info or self.dispatch_info(xt)
        if info.pays_fee != "Yes" or not xt.signed:
            return 0
        return self.payment.compute_fee(state, xt.length, info.total_weight, xt.tip)

    def event_info(self, info: DispatchInfo) -> dict:
        rt, ps = info.total_weight
        return {"weight": {"ref_time": rt + self.payment.FEES.base_extrinsic, "proof_size": ps},
                "class": info.dispatch_class, "pays_fee": info.pays_fee}

    # --- validation ------------------------------------------------------------------------
    def check_signed(self, state: State, xt: Extrinsic, current_block: int) -> dict:
        """Signature and the stateless extension checks; returns the sender's account."""
        self.format.verify_signature(state, xt, current_block)
        if xt.signer == ZERO_ACCOUNT:
            raise TransactionInvalid("BadSigner")
        account = self.system.account.get(state, xt.signer)
        if account["providers"] == 0 and account["sufficients"] == 0:
            raise TransactionInvalid("Payment")        # CheckNonce: no account, nothing to pay with
        if xt.nonce < account["nonce"]:
            raise TransactionInvalid("Stale")
        limits = self.system.limits.block_weights()["per_class"]["normal"]["max_extrinsic"]
        rt, ps = self.dispatch_info(xt).total_weight
        if rt > limits["ref_time"] or ps > limits["proof_size"]:
            raise TransactionInvalid("ExhaustsResources")
        return account

    def validate_transaction(self, head_state: dict, head_number: int, head_hash: bytes, xt: Extrinsic) -> Validity:
        """Executive::validate_transaction: on the best block's state, initialized at best + 1."""
        if not xt.signed:
            raise TransactionInvalid("NoUnsignedValidator", unknown=True)
        state = State(head_state)
        ctx = self.runtime.new_ctx(state, head_number + 1)
        self.system.initialize(ctx, head_number + 1, head_hash, {"logs": []})
        account = self.check_signed(state, xt, head_number + 1)
        fee = self.fee(state, xt)
        balances = self.runtime.pallet("Balances")
        asset = fee_asset(xt)
        if asset is not None:
            if not self.runtime.pallet("AssetTxPayment").can_pay(ctx, xt.signer, fee, asset):
                raise TransactionInvalid("Payment")
        else:
            try:
                # FungibleAdapter::can_withdraw_fee: only a Success consequence pays
                balances.can_withdraw(state, xt.signer, fee, keep_nonzero=True)
            except DispatchError:
                raise TransactionInvalid("Payment") from None
        era = xt.era
        death = 2 ** 64 - 1 if era is None else era_death(era, head_number + 1)
        return Validity(xt.signer, xt.nonce, account["nonce"], max(death - (head_number + 1), 0))

    # --- block building --------------------------------------------------------------------
    def build(self, parent_state: dict, parent_number: int, parent_hash: bytes, timestamp: int,
              extrinsics: list[Extrinsic], work: BlockWork | None = None,
              pre_changes: list[tuple[bytes, bytes | None]] = ()) -> tuple[BuiltBlock, list[tuple[Extrinsic, TransactionInvalid]]]:
        """Builds block parent+1. Returns it and the extrinsics refused (with why); the caller
        keeps Future ones for later."""
        work = work or BlockWork()
        state = State(dict(parent_state))
        for key, value in pre_changes:
            state.set(key, value)
        number = parent_number + 1
        ctx = self.runtime.new_ctx(state, number)
        digest = {"logs": [self._pre_runtime(timestamp)]}
        self.system.initialize(ctx, number, parent_hash, digest)
        ctx.phase = "Initialization"
        self._runtime_upgrade(ctx)
        for pallet in self.runtime.pallets:
            pallet.on_initialize(ctx)
        if work.on_initialize:
            work.on_initialize(ctx)
        self.system.note_finished_initialize(ctx)
        ctx.phase = {"ApplyExtrinsic": 0}

        applied: list[Applied] = []
        inherent_data = {"timestamp": timestamp, **work.inherent_data}
        for pallet in self.runtime.pallets:
            create = getattr(pallet, "create_inherent", None)
            call = create(ctx, inherent_data) if create else None
            if call is not None:
                applied.append(self.apply_inherent(ctx, call))
        self.system.inherents_applied.put(state, True)

        refused = []
        for xt in extrinsics:
            state.begin()
            try:
                applied.append(self.apply_extrinsic(ctx, xt))
            except TransactionInvalid as why:
                state.rollback()
                refused.append((xt, why))
                continue
            state.commit()

        self.system.note_finished_extrinsics(ctx)
        ctx.phase = "Finalization"
        for pallet in self.runtime.pallets:
            on_idle = getattr(pallet, "on_idle", None)
            if on_idle:
                on_idle(ctx)
        if work.on_idle:
            work.on_idle(ctx)
        for pallet in self.runtime.pallets:
            pallet.on_finalize(ctx)
        encoded = self.system.finalize(ctx)

        changes = state.changes()
        final = state.flattened()
        header = {"parent_hash": parent_hash, "number": number,
                  "state_root": blake2_256(b"".join(k + v for k, v in sorted(final.items()))),
                  "extrinsics_root": blake2_256(b"".join(encoded)),
                  "digest": self.system.digest.get(state)}
        header_bytes = self.runtime.registry.encode(self.runtime.types.header, header)
        block = BuiltBlock(number, blake2_256(header_bytes), parent_hash, header, header_bytes,
                           [a.extrinsic.encoded for a in applied], final, changes, applied)
        return block, refused

    def _runtime_upgrade(self, ctx: Ctx) -> None:
        """frame-executive initialize_block: when LastRuntimeUpgrade is behind the code that runs
        (LastRuntimeUpgradeInfo::was_upgraded: a higher spec version or another spec name), record the
        running one and run every pallet's on_runtime_upgrade, before their on_initialize."""
        cfg = self.runtime.config
        last = self.system.last_upgrade.get(ctx.state)
        if last is not None and last["spec_version"] >= cfg.spec_version and last["spec_name"] == cfg.spec_name:
            return
        self.system.last_upgrade.put(ctx.state, {"spec_version": cfg.spec_version, "spec_name": cfg.spec_name})
        for pallet in self.runtime.pallets:
            on_runtime_upgrade = getattr(pallet, "on_runtime_upgrade", None)
            if on_runtime_upgrade:
                on_runtime_upgrade(ctx)

    def _pre_runtime(self, timestamp: int) -> dict:
        slot = timestamp // self.slot_duration
        if self.consensus == "babe":
            # PreDigest::SecondaryPlain(SecondaryPlainPreDigest { authority_index: 0, slot })
            return {"PreRuntime": [b"BABE", bytes([2]) + (0).to_bytes(4, "little") + slot.to_bytes(8, "little")]}
        return {"PreRuntime": [b"aura", slot.to_bytes(8, "little")]}

    def apply_inherent(self, ctx: Ctx, call: Any) -> Applied:
        xt = self.format.decode(encode_bare(self.runtime, call))
        self.system.note_extrinsic(ctx, xt.encoded)
        info = self.dispatch_info(xt)
        self.system.accrue_weight(ctx, self._with_base(info), "mandatory")
        self.runtime.dispatch(ctx, Origin("none"), xt.call)
        self.system.note_applied_extrinsic(ctx, None, self.event_info(info))
        return Applied(xt)

    def apply_extrinsic(self, ctx: Ctx, xt: Extrinsic) -> Applied:
        """One signed extrinsic: the extension pipeline around a transactional dispatch.

        Raises TransactionInvalid (nothing written) when it cannot be included."""
        if not xt.signed:
            raise TransactionInvalid("NoUnsignedValidator", unknown=True)
        state = ctx.state
        account = self.check_signed(state, xt, ctx.block_number)
        if xt.nonce != account["nonce"]:
            raise TransactionInvalid("Future")
        self.system.note_extrinsic(ctx, xt.encoded)
        info = self.dispatch_info(xt)
        fee = self.fee(state, xt, info)
        # prepare: CheckNonce bumps the nonce, CheckWeight books weight and length,
        # ChargeTransactionPayment withdraws the fee
        self.system.inc_nonce(ctx, xt.signer)
        self.system.accrue_weight(ctx, self._with_base(info))
        self.system.accrue_length(ctx, xt.length)
        asset = fee_asset(xt)     # ChargeAssetTxPayment with an asset_id: SwapAssetAdapter
        asset_payment = self.runtime.pallet("AssetTxPayment") if asset is not None else None
        try:
            if asset_payment is None:
                paid = self.payment.withdraw_fee(ctx, xt.signer, fee)
            else:
                paid = asset_payment.withdraw_fee(ctx, xt.signer, fee, asset)
        except DispatchError:
            raise TransactionInvalid("Payment") from None

        error = actual = None
        try:
            actual = self.runtime.dispatch(ctx, Origin.signed(xt.signer), xt.call)
        except DispatchError as failure:
            error, actual = failure.value, failure.actual_weight
        # post_dispatch (frame_support PostDispatchInfo::calc_actual_weight): a call that reports its actual weight
        # is charged for that, never more than declared; CheckWeight gives the rest back to the block, and
        # ChargeTransactionPayment refunds the difference (compute_actual_fee)
        post = info if actual is None else replace(info, call_weight=(min(actual[0], info.call_weight[0]),
                                                                      min(actual[1], info.call_weight[1])))
        unspent = (info.call_weight[0] - post.call_weight[0], info.call_weight[1] - post.call_weight[1])
        self.system.accrue_weight(ctx, (-unspent[0], -unspent[1]))
        actual_fee = self.fee(state, xt, post)
        if asset_payment is None:
            self.payment.correct_and_deposit_fee(ctx, xt.signer, paid, actual_fee, xt.tip)
        else:
            asset_payment.correct_and_deposit_fee(ctx, xt.signer, paid, actual_fee, xt.tip, asset)
        self.system.note_applied_extrinsic(ctx, error, self.event_info(post))
        return Applied(xt, error, actual_fee)

    def _with_base(self, info: DispatchInfo) -> tuple[int, int]:
        rt, ps = info.total_weight
        return rt + self.payment.FEES.base_extrinsic, ps


def fee_asset(xt: Extrinsic) -> Any:
    """ChargeAssetTxPayment's asset_id: the asset the fee is paid in, None for the native token."""
    payment = (xt.extra or {}).get("ChargeAssetTxPayment")
    return None if payment is None else payment["asset_id"]


def era_death(era: tuple[int, int], current: int) -> int:
    return era_birth(era, current) + era[0]
