"""The Asset Hubs' asset-conversion pools: pool ids and accounts, the swap math, the genesis liquidity.

Sources: polkadot-sdk substrate/frame/asset-conversion src/types.rs (WithFirstAsset: a pool pairs the
native token with one other asset, native first; AccountIdConverter = blake2_256 of (PalletId,
pool id) encoded, AccountIdConverterNoSeed = blake2_256 of the pool id alone), src/lib.rs
(get_amount_in / get_amount_out with LPFee in tenths of a percent, quote, the LP amount of a first
deposit); polkadot-fellows/runtimes v2.3.2 asset-hub-*/src/lib.rs: Polkadot Asset Hub converts pool
ids with AccountIdConverter<AssetConversionPalletId (b"py/ascon"), (Location, Location)>, Kusama
Asset Hub with AccountIdConverterNoSeed<(Location, Location)>; LpFee 3/1000, MintMinLiquidity 100.
The pallet is conversion.py.

Genesis liquidity is the zombienet bridge environment's (F integration-tests/bridges/environments/
polkadot-kusama/bridges_polkadot_kusama.sh init-asset-hub-*-local: DOT/wKSM 10 DOT + 4 KSM on
Polkadot Asset Hub, KSM/wDOT 1 KSM + 2.5 DOT on Kusama Asset Hub).
"""
from __future__ import annotations

from dataclasses import dataclass
from math import isqrt

from ..hashing import blake2_256
from ..xcm.locations import CODEC, XCM_TYPES, location, normalize

POOL_PALLET_ID = b"py/ascon"
LP_FEE_PER_THOUSAND = 3
MINT_MIN_LIQUIDITY = 100
NATIVE = location(1)           # the relay token, the first asset of every pool (WithFirstAsset)
SEEDED = {"Polkadot": True, "Kusama": False}   # AccountIdConverter vs AccountIdConverterNoSeed


class PoolError(Exception):
    """A swap that cannot be done; the message is the pallet_asset_conversion Error (or token error) name."""


def pool_id(asset1: dict, asset2: dict) -> tuple[dict, dict]:
    """WithFirstAsset::pool_id: (native, other) whichever order the pair is given in."""
    asset1, asset2 = normalize(asset1), normalize(asset2)
    if asset1 == NATIVE and asset2 != NATIVE:
        return NATIVE, asset2
    if asset2 == NATIVE and asset1 != NATIVE:
        return NATIVE, asset1
    raise PoolError("InvalidAssetPair")


def pool_account(pair: tuple[dict, dict], network: str) -> bytes:
    encoded = b"".join(CODEC.encode(XCM_TYPES.v5.location, asset) for asset in pair)
    return blake2_256((POOL_PALLET_ID if SEEDED[network] else b"") + encoded)


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


def first_lp_amount(amount1: int, amount2: int) -> int:
    """calc_lp_amount_for_zero_supply: sqrt(amount1 * amount2) less MintMinLiquidity."""
    lp = isqrt(amount1 * amount2) - MINT_MIN_LIQUIDITY
    if lp <= MINT_MIN_LIQUIDITY:
        raise PoolError("InsufficientLiquidityMinted")
    return lp


@dataclass(frozen=True)
class BridgedPool:
    network: str                # the Asset Hub's network
    asset: dict                 # the bridged token's location
    native_liquidity: int
    asset_liquidity: int

    @property
    def account(self) -> bytes:
        return pool_account((NATIVE, self.asset), self.network)

    @property
    def lp_minted(self) -> int:
        """The LP tokens of the genesis deposit (add_liquidity into an empty pool)."""
        return first_lp_amount(self.native_liquidity, self.asset_liquidity)


def bridged_pool(network: str) -> BridgedPool:
    """The pool of the other network's token on this network's Asset Hub."""
    if network == "Polkadot":
        return BridgedPool(network, location(2, [{"GlobalConsensus": "Kusama"}]), 10 * 10**10, 4 * 10**12)
    return BridgedPool(network, location(2, [{"GlobalConsensus": "Polkadot"}]), 10**12, 25 * 10**9)
