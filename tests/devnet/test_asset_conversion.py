"""AssetConversion and PoolAssets on the Asset Hubs: live indices, the genesis pool and its LP token, swaps
with upstream's math (get_amount_out / get_amount_in, LPFee 3/1000), and transaction fees paid in a foreign
asset through the pool (pallet-asset-conversion-tx-payment's SwapAssetAdapter)."""
from __future__ import annotations

from math import isqrt

import pytest

from harness.devnet.assets import pools as P
from harness.devnet.assets.bridged import bridged_native_asset
from harness.devnet.chain import Chain
from harness.devnet.hashing import blake2_256
from harness.devnet.node import RpcFailure
from harness.devnet.runtime.frame import State
from harness.devnet.runtimes.presets import default_config
from harness.devnet.xcm.locations import CODEC, XCM_TYPES

from .test_chain_pipeline import ALICE, BOB, account, events, named, signed, transfer

KSM, DOT = 10 ** 12, 10 ** 10
WKSM = P.bridged_pool("Polkadot").asset


def polkadot_asset_hub(wksm: int = 5 * KSM) -> Chain:
    """Polkadot Asset Hub whose genesis also gives //Alice `wksm` bridged KSM."""
    config = default_config("polkadot-asset-hub")
    asset, pool = bridged_native_asset("Polkadot"), P.bridged_pool("Polkadot")
    config.extra["ForeignAssets"] = {
        "assets": [(asset.location, asset.owner, asset.is_sufficient, asset.min_balance)],
        "accounts": [(asset.location, pool.account, pool.asset_liquidity), (asset.location, ALICE.public_key, wksm)]}
    return Chain(config, mode="instant", genesis_timestamp_ms=1_700_000_000_000)


def wksm_of(chain: Chain, who: bytes) -> int:
    held = chain.runtime.pallet("ForeignAssets").account.get(State(chain.head().state), WKSM, who)
    return 0 if held is None else held["balance"]


def reserves(chain: Chain) -> tuple[int, int]:
    rt = chain.runtime
    ctx = rt.new_ctx(State(chain.head().state), chain.head().number + 1)
    return rt.pallet("AssetConversion").reserves(ctx, WKSM, P.NATIVE)


@pytest.mark.parametrize("name, pool_assets, conversion", [("kusama-asset-hub", 55, 56),
                                                           ("polkadot-asset-hub", 54, 55)])
def test_live_indices_and_the_genesis_pool(name, pool_assets, conversion):
    chain = Chain(default_config(name), mode="instant", genesis_timestamp_ms=1_700_000_000_000)
    rt, state = chain.runtime, State(chain.head().state)
    assert (rt.pallet("PoolAssets").index, rt.pallet("AssetConversion").index) == (pool_assets, conversion)
    pool = P.bridged_pool(rt.config.network)
    assert rt.pallet("AssetConversion").pools.get(state, (P.NATIVE, pool.asset)) == {"lp_token": 0}
    # calc_lp_amount_for_zero_supply plus MintMinLiquidity: sqrt of the two deposits
    lp = rt.pallet("PoolAssets").asset.get(state, 0)
    assert lp["supply"] == isqrt(pool.native_liquidity * pool.asset_liquidity)
    assert lp["owner"] == pool.account and not lp["is_sufficient"]


def test_pool_accounts_follow_each_runtimes_converter():
    pair = (P.NATIVE, WKSM)
    encoded = b"".join(CODEC.encode(XCM_TYPES.v5.location, a) for a in pair)
    assert P.pool_account(pair, "Polkadot") == blake2_256(b"py/ascon" + encoded)    # AccountIdConverter
    assert P.pool_account(pair, "Kusama") == blake2_256(encoded)                   # AccountIdConverterNoSeed


def test_swap_exact_bridged_ksm_for_dot_uses_upstreams_math():
    chain = polkadot_asset_hub()
    reserve_in, reserve_out = reserves(chain)
    expected = 997 * KSM * reserve_out // (reserve_in * 1000 + 997 * KSM)
    bob = account(chain, BOB)["data"]["free"]
    call = {"AssetConversion": {"swap_exact_tokens_for_tokens": {
        "path": [WKSM, P.NATIVE], "amount_in": KSM, "amount_out_min": 1, "send_to": BOB.public_key,
        "keep_alive": True}}}
    chain.submit(signed(chain, ALICE, call))
    assert account(chain, BOB)["data"]["free"] - bob == expected
    assert wksm_of(chain, ALICE.public_key) == 4 * KSM
    executed = [p for pl, n, p in named(events(chain)) if n == "SwapExecuted"]
    assert executed == [{"who": ALICE.public_key, "send_to": BOB.public_key, "amount_in": KSM,
                         "amount_out": expected, "path": [[WKSM, KSM], [P.NATIVE, expected]]}]
    assert reserves(chain) == (reserve_in + KSM, reserve_out - expected)


def test_swap_below_the_minimum_out_fails_and_moves_nothing():
    chain = polkadot_asset_hub()
    call = {"AssetConversion": {"swap_exact_tokens_for_tokens": {
        "path": [WKSM, P.NATIVE], "amount_in": KSM, "amount_out_min": 10 * DOT, "send_to": BOB.public_key,
        "keep_alive": True}}}
    chain.submit(signed(chain, ALICE, call))
    (pallet, name, payload), = [e for e in named(events(chain)) if e[1] == "ExtrinsicFailed"]
    index = chain.runtime.pallet("AssetConversion").index
    assert payload["dispatch_error"] == {"Module": {"index": index, "error": bytes([17, 0, 0, 0])}}
    assert wksm_of(chain, ALICE.public_key) == 5 * KSM


def test_fee_paid_in_bridged_ksm_through_the_pool():
    chain = polkadot_asset_hub()
    alice_dot = account(chain, ALICE)["data"]["free"]
    reserve_in, reserve_out = reserves(chain)
    xt = signed(chain, ALICE, transfer(BOB, DOT), fee_asset=WKSM)
    chain.submit(xt)
    assert account(chain, ALICE)["data"]["free"] == alice_dot - DOT     # no DOT paid for the fee
    trail = named(events(chain))
    paid, = [p for pl, n, p in trail if n == "AssetTxFeePaid"]
    assert paid["who"] == ALICE.public_key and paid["asset_id"] == WKSM and paid["tip"] == 0
    assert wksm_of(chain, ALICE.public_key) == 5 * KSM - paid["actual_fee"]
    assert not [n for pl, n, p in trail if n == "TransactionFeePaid"]
    # the native fee the pool paid out, then the unspent part swapped back (SwapCreditExecuted twice at
    # most: the refund only when the call reported less weight than declared)
    swaps = [p for pl, n, p in trail if n == "SwapCreditExecuted"]
    fee = swaps[0]["amount_out"]
    assert swaps[0]["amount_in"] == reserve_in * fee * 1000 // ((reserve_out - fee) * 997) + 1
    assert 0 < paid["actual_fee"] <= swaps[0]["amount_in"]


def test_fee_in_an_asset_without_a_pool_is_refused():
    chain = polkadot_asset_hub()
    no_pool = {"parents": 1, "interior": {"X1": [{"Parachain": 2004}]}}     # no pool pairs DOT with it
    with pytest.raises(RpcFailure) as refused:
        chain.submit(signed(chain, ALICE, transfer(BOB, DOT), fee_asset=no_pool))
    assert refused.value.code == 1010 and "pay" in str(refused.value.data)   # InvalidTransaction::Payment
