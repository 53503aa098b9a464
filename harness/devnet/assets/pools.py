"""The Asset Hubs' asset-conversion pools, as far as the XCM trader swaps through them.

pallet_asset_conversion itself is not emulated (no calls, no PoolAssets LP tokens, no
SwapCreditExecuted event). A pool is what its reads make of it (S substrate/frame/asset-conversion
src/lib.rs get_reserves, src/types.rs WithFirstAsset + AccountIdConverter): the account
blake2_256(PalletId(b"py/ascon") ++ (native, asset)) of the pair, whose balances of the two
assets are the reserves; a pair whose reserves are both non-zero can be swapped. Prices are
get_amount_in / get_amount_out with the Asset Hubs' LpFee of 3/1000 (F asset-hub-*/src/lib.rs),
in the per-thousand form of S asset-conversion lib.rs. The pool withdraws keep its account alive
(Preserve). Swaps move credit as SwapCredit does: the asset paid in is minted into the pool (it
comes from the XCM holding), the native bought is taken out of the pool and handed to the trader.

Genesis liquidity is the zombienet bridge environment's (F integration-tests/bridges/environments/
polkadot-kusama/bridges_polkadot_kusama.sh init-asset-hub-*-local: DOT/wKSM 10 DOT + 4 KSM on
Polkadot Asset Hub, KSM/wDOT 1 KSM + 2.5 DOT on Kusama Asset Hub).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..hashing import blake2_256
from ..runtime.frame import Ctx, DispatchError
from ..xcm.locations import CODEC, XCM_TYPES, location

POOL_PALLET_ID = b"py/ascon"
LP_FEE_PER_THOUSAND = 3
NATIVE = location(1)           # the relay token, the first asset of every pool (WithFirstAsset)


class PoolError(Exception):
    """A swap that cannot be done (pallet_asset_conversion Error name): the trader's FeesNotMet."""


def pool_account(asset: dict) -> bytes:
    """PoolLocator::pool_address(native, asset): AccountIdConverter over (native, asset)."""
    pair = CODEC.encode(XCM_TYPES.v5.location, NATIVE) + CODEC.encode(XCM_TYPES.v5.location, asset)
    return blake2_256(POOL_PALLET_ID + pair)


def get_amount_in(amount_out: int, reserve_in: int, reserve_out: int) -> int:
    if reserve_in == 0 or reserve_out == 0:
        raise PoolError("ZeroLiquidity")
    if amount_out >= reserve_out:
        raise PoolError("AmountOutTooHigh")
    return reserve_in * amount_out * 1000 // ((reserve_out - amount_out) * (1000 - LP_FEE_PER_THOUSAND)) + 1


def get_amount_out(amount_in: int, reserve_in: int, reserve_out: int) -> int:
    if reserve_in == 0 or reserve_out == 0:
        raise PoolError("ZeroLiquidity")
    with_fee = amount_in * (1000 - LP_FEE_PER_THOUSAND)
    return with_fee * reserve_out // (reserve_in * 1000 + with_fee)


@dataclass(frozen=True)
class BridgedPool:
    asset: dict                 # the bridged token's location
    native_liquidity: int
    asset_liquidity: int

    @property
    def account(self) -> bytes:
        return pool_account(self.asset)


def bridged_pool(network: str) -> BridgedPool:
    """The pool of the other network's token on this network's Asset Hub."""
    if network == "Polkadot":
        return BridgedPool(location(2, [{"GlobalConsensus": "Kusama"}]), 10 * 10**10, 4 * 10**12)
    return BridgedPool(location(2, [{"GlobalConsensus": "Polkadot"}]), 10**12, 25 * 10**9)


class Pools:
    """Swaps between the native token (hooks.native) and the ForeignAssets of a pool."""

    def __init__(self, native: Any, assets: Any, existential_deposit: int):
        self.native, self.assets, self.ed = native, assets, existential_deposit

    def _reserves(self, ctx: Ctx, asset: dict) -> tuple[bytes, int, int]:
        account = pool_account(asset)
        return account, self.assets.balance(ctx, asset, account), self.native.balance(ctx, account)

    def buy_native(self, ctx: Ctx, asset: dict, max_in: int, native_out: int) -> int:
        """swap_tokens_for_exact_tokens([asset, native]) with `max_in` of the asset as credit:
        returns what it took; `native_out` leaves the pool for the caller to resolve."""
        account, reserve_in, reserve_out = self._reserves(ctx, asset)
        amount_in = get_amount_in(native_out, reserve_in, reserve_out)
        if amount_in > max_in:
            raise PoolError("ProvidedMaximumNotSufficientForSwap")
        if reserve_out - native_out < self.ed:
            raise PoolError("ReserveLeftLessThanMinimal")
        self._move(ctx, lambda: (self.assets.mint_into(ctx, asset, account, amount_in),
                                 self.native.burn_from(ctx, account, native_out)))
        return amount_in

    def sell_native(self, ctx: Ctx, asset: dict, native_in: int) -> int:
        """swap_exact_tokens_for_tokens([native, asset]): the native credit goes into the pool,
        the asset bought leaves it; returns the amount bought."""
        account, reserve_asset, reserve_native = self._reserves(ctx, asset)
        amount_out = get_amount_out(native_in, reserve_native, reserve_asset)
        if amount_out == 0 or reserve_asset - amount_out < self.assets.minimum_balance(ctx, asset):
            raise PoolError("ReserveLeftLessThanMinimal")
        self._move(ctx, lambda: (self.native.mint_into(ctx, account, native_in),
                                 self.assets.burn_from(ctx, asset, account, amount_out)))
        return amount_out

    @staticmethod
    def _move(ctx: Ctx, both) -> None:
        ctx.state.begin()
        try:
            both()
        except DispatchError as failure:
            ctx.state.rollback()
            raise PoolError(failure.label) from None
        ctx.state.commit()
