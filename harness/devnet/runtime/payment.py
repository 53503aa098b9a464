"""Transaction fees: pallet_transaction_payment, pallet_asset_conversion_tx_payment, the fee formula.

Sources (polkadot-sdk): substrate/frame/transaction-payment/src/lib.rs (storage, the event,
compute_fee_raw: fee = base_fee + len_fee + multiplier * weight_fee + tip, weight capped at
max_block), src/payment.rs (FungibleAdapter: withdraw with Exact/Preserve/Polite, refund only a
non-zero difference, hand fee then tip to OnUnbalanced), substrate/frame/support/src/weights
(WeightToFeePolynomial), substrate/frame/revive/src/evm/fees.rs (BlockRatioFee, the Asset Hubs'
WeightToFee), substrate/frame/transaction-payment/asset-conversion-tx-payment/src/lib.rs (events;
a native payment goes through ChargeTransactionPayment and emits TransactionFeePaid).
Where the fees go (polkadot-fellows/runtimes): relays `FungibleAdapter<Balances, DealWithFees>`
(polkadot_runtime_common::impls: fee 80% Treasury / 20% block author, tip to the author),
Kusama Asset Hub `ResolveTo<StakingPot>`, Polkadot Asset Hub `ResolveTo<DapStagingAccount>`.

Simplified: NextFeeMultiplier stays at its genesis value (SlowAdjustingFeeUpdate is not run),
there is no block author (its 20% share is dropped, i.e. burnt), and no weight is refunded after
dispatch unless a call reports its actual weight.
"""
from __future__ import annotations

from dataclasses import dataclass

from .frame import Ctx, DispatchError, Pallet

FIXED_ONE = 10 ** 18        # sp_arithmetic FixedU128::DIV
PERBILL = 10 ** 9


def _div_nearest_pref_down(n: int, d: int) -> int:
    """sp_arithmetic Rounding::NearestPrefDown: to nearest, a tie goes down."""
    q, r = divmod(n, d)
    return q + 1 if 2 * r > d else q


def fixed_from_rational(p: int, q: int) -> int:
    return _div_nearest_pref_down(p * FIXED_ONE, q)


def fixed_mul_int(fixed: int, n: int) -> int:
    return _div_nearest_pref_down(fixed * n, FIXED_ONE)


@dataclass(frozen=True)
class PolynomialFee:
    """The relays' WeightToFee: one degree-1 coefficient p/q (relay/*/constants/src/lib.rs fee)."""

    p: int      # CENTS
    q: int      # 10 * ExtrinsicBaseWeight.ref_time

    def __call__(self, ref_time: int, proof_size: int) -> int:
        integer = self.p // self.q
        frac_parts = (self.p % self.q) * PERBILL // self.q          # Perbill::from_rational rounds down
        return integer * ref_time + _div_nearest_pref_down(frac_parts * ref_time, PERBILL)


@dataclass(frozen=True)
class BlockRatioFee:
    """The Asset Hubs' WeightToFee: max(ref_time * P/Q, proof_size * P/Q * max_ref/max_proof)."""

    p: int
    q: int
    max_block: tuple[int, int]

    def __call__(self, ref_time: int, proof_size: int) -> int:
        ref_time_to_fee = fixed_from_rational(self.p, self.q)
        ratio = fixed_from_rational(self.max_block[0], self.max_block[1])
        proof_size_to_fee = _div_nearest_pref_down(ref_time_to_fee * ratio, FIXED_ONE)
        return max(fixed_mul_int(ref_time_to_fee, ref_time), fixed_mul_int(proof_size_to_fee, proof_size))


@dataclass(frozen=True)
class FeeSchedule:
    """One chain's fee parameters and where the collected fee goes."""

    weight_to_fee: PolynomialFee | BlockRatioFee
    base_extrinsic: int                 # ExtrinsicBaseWeight ref_time (BlockWeights per class)
    byte_fee: int                       # TransactionByteFee
    max_block: tuple[int, int]          # BlockWeights.max_block, the cap on a fee's weight
    treasury_share: tuple[bytes, int] | None = None   # (account, percent) of the fee; the rest goes to the author
    fee_account: bytes | None = None    # the whole fee (and tip) to this account
    operational_fee_multiplier: int = 5

    def weight_fee(self, ref_time: int, proof_size: int) -> int:
        return self.weight_to_fee(min(ref_time, self.max_block[0]), min(proof_size, self.max_block[1]))

    def details(self, length: int, weight: tuple[int, int], multiplier: int, tip: int = 0) -> dict:
        """FeeDetails: inclusion_fee {base_fee, len_fee, adjusted_weight_fee} and tip."""
        return {"inclusion_fee": {"base_fee": self.weight_fee(self.base_extrinsic, 0),
                                  "len_fee": self.byte_fee * length,
                                  "adjusted_weight_fee": fixed_mul_int(multiplier, self.weight_fee(*weight))},
                "tip": tip}

    def fee(self, length: int, weight: tuple[int, int], multiplier: int, tip: int = 0) -> int:
        inclusion = self.details(length, weight, multiplier, tip)["inclusion_fee"]
        return sum(inclusion.values()) + tip


def pallet_id_account(pallet_id: bytes, sub: bytes | None = None) -> bytes:
    """PalletId::into_account_truncating / into_sub_account_truncating (sub is SCALE-encoded:
    a byte slice with its compact length), zero-padded to 32 bytes."""
    from ..scale import encode_compact
    raw = b"modl" + pallet_id + (b"" if sub is None else encode_compact(len(sub)) + sub)
    return (raw + bytes(32))[:32]


class TransactionPayment(Pallet):
    NAME = "TransactionPayment"
    FEES: FeeSchedule | None = None    # set per chain by runtimes/parts.py

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.fixed_u128 = r.composite("sp_arithmetic::fixed_point::FixedU128", [(None, t.u128, "u128")],
                                      name="FixedU128")
        releases = r.variant("pallet_transaction_payment::Releases", [("V1Ancient", 0, []), ("V2", 1, [])])
        self.next_fee_multiplier = self.item("NextFeeMultiplier", self.fixed_u128, default=FIXED_ONE)
        self.storage_version = self.item("StorageVersion", releases, default="V1Ancient")
        self.events = r.variant("pallet_transaction_payment::pallet::Event", [
            ("TransactionFeePaid", 0, [("who", t.account_id, "T::AccountId"), ("actual_fee", t.u128, "BalanceOf<T>"),
                                       ("tip", t.u128, "BalanceOf<T>")])], params=[("T", None)])
        self.constant("OperationalFeeMultiplier", t.u8, self.FEES.operational_fee_multiplier)

    def genesis(self, ctx: Ctx, config: dict) -> None:
        self.next_fee_multiplier.put(ctx.state, FIXED_ONE)
        self.storage_version.put(ctx.state, "V2")

    def multiplier(self, state) -> int:
        return self.next_fee_multiplier.get(state)

    def compute_fee(self, state, length: int, weight: tuple[int, int], tip: int = 0) -> int:
        return self.FEES.fee(length, weight, self.multiplier(state), tip)

    # FungibleAdapter (payment.rs): withdraw_fee at prepare, correct_and_deposit_fee after dispatch
    def withdraw_fee(self, ctx: Ctx, who: bytes, fee: int) -> int:
        """The credit taken; raises DispatchError when it cannot be paid (-> InvalidTransaction::Payment)."""
        if fee == 0:
            return 0
        return self.runtime.pallet("Balances").withdraw(ctx, who, fee, keep_alive=True, exact=True)

    def correct_and_deposit_fee(self, ctx: Ctx, who: bytes, paid: int, actual_fee: int, tip: int) -> None:
        balances = self.runtime.pallet("Balances")
        refund = max(paid - actual_fee, 0)
        if refund and self.runtime.pallet("System").account.exists(ctx.state, who):
            refund = balances.deposit(ctx, who, refund, exact=False, issue=False)
        else:
            refund = 0
        kept = paid - refund
        tip = min(tip, kept)
        self.deal_with_fee(ctx, kept - tip, tip)
        self.emit(ctx, "TransactionFeePaid", {"who": who, "actual_fee": actual_fee, "tip": tip})

    def deal_with_fee(self, ctx: Ctx, fee: int, tip: int) -> None:
        balances, fees = self.runtime.pallet("Balances"), self.FEES
        if fees.fee_account is not None:
            balances.resolve(ctx, fees.fee_account, fee + tip)
            return
        treasury, percent = fees.treasury_share
        to_treasury = fee * percent // 100        # Credit::ration(80, 20)
        balances.resolve(ctx, treasury, to_treasury)
        balances.drop_credit(ctx, fee - to_treasury + tip)   # no block author is emulated


class AssetTxPayment(Pallet):
    """pallet_asset_conversion_tx_payment: a fee in the native token goes through TransactionPayment;
    with an asset_id, SwapAssetAdapter pays it by swapping that asset through AssetConversion's pool
    (withdraw_fee: the quote for exactly the fee, withdrawn Preserve, swapped; correct_and_deposit_fee:
    the unspent native swapped back into the asset and returned, AssetRefundFailed when it cannot be,
    the kept fee to the chain's fee handler, then AssetTxFeePaid in the asset)."""

    NAME = "AssetTxPayment"
    ASSET_WEIGHT: tuple[int, int, int, int] = (0, 0, 0, 0)   # charge_asset_tx_payment_asset: (ref, proof, r, w)

    def declare(self) -> None:
        from ..types.xcm import declare_xcm
        r, t = self.reg, self.t
        # T::AssetId = xcm::v5 Location (asset-hub-*/src/lib.rs `type AssetId = Location`)
        self.asset_id = declare_xcm(r, self.runtime.call_enum).location
        self.events = r.variant("pallet_asset_conversion_tx_payment::pallet::Event", [
            ("AssetTxFeePaid", 0, [("who", t.account_id, "T::AccountId"), ("actual_fee", t.u128, "AssetBalanceOf<T>"),
                                   ("tip", t.u128, "BalanceOf<T>"),
                                   ("asset_id", self.asset_id, "T::AssetId")]),
            ("AssetRefundFailed", 1, [("native_amount_kept", t.u128, "BalanceOf<T>")]),
        ], params=[("T", None)])

    def asset_weight(self) -> tuple[int, int]:
        ref_time, proof, reads, writes = self.ASSET_WEIGHT
        limits = self.runtime.pallet("System").limits
        return ref_time + reads * limits.db_read + writes * limits.db_write, proof

    def can_pay(self, ctx: Ctx, who: bytes, fee: int, asset: dict) -> bool:
        need = self.runtime.pallet("AssetConversion").fee_quote(ctx, asset, fee) if fee else 0
        assets = self.runtime.pallet("ForeignAssets")
        return need is not None and assets.reducible_balance(ctx.state, asset, who, True) >= need

    def withdraw_fee(self, ctx: Ctx, who: bytes, fee: int, asset: dict) -> tuple[int, int]:
        """(native credit, asset consumed); raises DispatchError when it cannot be paid."""
        if fee == 0:
            return 0, 0
        conversion = self.runtime.pallet("AssetConversion")
        if not self.can_pay(ctx, who, fee, asset):
            raise DispatchError.token("FundsUnavailable")
        asset_fee = conversion.fee_quote(ctx, asset, fee)
        self.runtime.pallet("ForeignAssets").withdraw(ctx, asset, who, asset_fee, keep_alive=True)
        if not conversion.swap_for_fee(ctx, asset, asset_fee, fee):
            raise DispatchError.token("FundsUnavailable")
        return fee, asset_fee

    def correct_and_deposit_fee(self, ctx: Ctx, who: bytes, paid: tuple[int, int], actual_fee: int, tip: int,
                                asset: dict) -> None:
        native, consumed = paid
        refund = native - actual_fee
        if refund > 0 and self.runtime.pallet("System").account.exists(ctx.state, who):
            back = self.runtime.pallet("AssetConversion").swap_refund(ctx, asset, refund)
            if back is None:
                self.emit(ctx, "AssetRefundFailed", {"native_amount_kept": refund})
            else:
                self.runtime.pallet("ForeignAssets").resolve(ctx, asset, who, back)
                native, consumed = native - refund, consumed - back
        tip = min(tip, native)
        self.runtime.pallet("TransactionPayment").deal_with_fee(ctx, native - tip, tip)
        self.emit(ctx, "AssetTxFeePaid", {"who": who, "actual_fee": consumed, "tip": tip, "asset_id": asset})
