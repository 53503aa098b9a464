"""The bridge inside the chain compositions: the Bridge Hub runtimes, the Asset Hub router behind
the XcmRouter, reserves read from ForeignAssets, and the pool the trader swaps through."""
from __future__ import annotations

import pytest
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from harness.devnet.bridge.accounts import rewards_account, sibling_sovereign
from harness.devnet.bridge.constants import LEGACY_LANE
from harness.devnet.chain import Chain
from harness.devnet.runtimes.presets import default_config
from harness.devnet.runtime.frame import DispatchError, Origin, State
from harness.devnet.xcm import executor as X
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.executor import SendFailure
from harness.devnet.assets.pools import bridged_pool, get_amount_in, get_amount_out

REMOTE_AH = L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}])
WKSM = L.location(2, [{"GlobalConsensus": "Kusama"}])


@pytest.fixture(scope="module")
def hubs():
    return {name: Chain(default_config(name), mode="manual")
            for name in ("kusama-bridge-hub", "polkadot-bridge-hub", "kusama-asset-hub", "polkadot-asset-hub")}


def ctx_of(chain: Chain):
    return chain.runtime.new_ctx(State(dict(chain.head().state)), chain.head().number + 1)


@pytest.mark.parametrize("name, suffix", [("kusama-bridge-hub", "Polkadot"), ("polkadot-bridge-hub", "Kusama")])
def test_bridge_hub_metadata_decodes_with_its_pallets_and_extensions(hubs, name, suffix):
    runtime = hubs[name].runtime
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(runtime.metadata(14)))
    metadata.decode()
    pallets = {p.name: p.value["index"] for p in metadata.pallets}
    assert {k: pallets[k] for k in ("ParachainSystem", "Timestamp", "ParachainInfo", "Balances", "PolkadotXcm",
                                    "BridgeRelayers", f"Bridge{suffix}Messages", f"XcmOverBridgeHub{suffix}",
                                    "MessageQueue")} == {
        "ParachainSystem": 1, "Timestamp": 2, "ParachainInfo": 3, "Balances": 10, "PolkadotXcm": 31,
        "BridgeRelayers": 50, f"Bridge{suffix}Messages": 53, f"XcmOverBridgeHub{suffix}": 54, "MessageQueue": 175}
    extensions = [e["identifier"] for e in metadata.value[1]["V14"]["extrinsic"]["signed_extensions"]]
    assert extensions[8:12] == ["ChargeTransactionPayment", "BridgeRejectObsoleteHeadersAndMessages",
                                "OnBridgeHubPolkadotRefundBridgeHubKusamaMessages", "CheckMetadataHash"]


def test_bridge_hub_genesis_funds_the_lane_and_names_the_owner(hubs):
    hub = hubs["kusama-bridge-hub"]
    state = State(hub.head().state)
    balances = hub.runtime.pallet("Balances")
    for account in (sibling_sovereign(1000), rewards_account(LEGACY_LANE, b"bhpd", "ThisChain"),
                    rewards_account(LEGACY_LANE, b"bhpd", "BridgedChain")):
        assert balances.free_balance(state, account) == 25 * 10 ** 12
    bob = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
    assert hub.runtime.pallet("BridgePolkadotMessages").owner.get(state) == bob
    remote_bh = {"V5": L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1002}])}
    assert hub.runtime.pallet("PolkadotXcm").supported_version.get(state, 5, remote_bh) == 5


def test_asset_hub_routes_the_remote_asset_hub_through_the_bridge_router(hubs):
    hub = hubs["kusama-asset-hub"]
    ctx = ctx_of(hub)
    ticket, fees = hub.runtime.xcm_router.validate(ctx, REMOTE_AH, ["ClearOrigin"])
    assert ticket.kind == "bridge" and ticket.data.inner.destination == ("para", 1002)
    assert fees[0]["id"] == L.location(1) and fees[0]["fun"]["Fungible"] > 0
    # an unknown version of the destination is DestinationUnsupported, also on the XCMP hop's wrap
    xcm = hub.runtime.pallet("PolkadotXcm")
    xcm.supported_version.remove(ctx.state, 5, {"V5": REMOTE_AH})
    with pytest.raises(SendFailure) as failure:
        hub.runtime.xcm_router.validate(ctx, REMOTE_AH, ["ClearOrigin"])
    assert failure.value.error == "DestinationUnsupported"
    xcm.safe_xcm_version.remove(ctx.state)
    with pytest.raises(SendFailure) as failure:
        hub.runtime.xcm_router.validate(ctx, L.parachain(2000, parents=1), ["ClearOrigin"])
    assert failure.value.error == "DestinationUnsupported"


def test_bridged_asset_is_trusted_only_from_its_reserve(hubs):
    hub = hubs["polkadot-asset-hub"]
    ctx = ctx_of(hub)
    message = [{"ReserveAssetDeposited": [{"id": WKSM, "fun": {"Fungible": 10 ** 12}}]}, "ClearOrigin",
               {"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": L.account32(b"\1" * 32)}}]
    kusama_ah = L.location(2, [{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}])
    assert hub.runtime.pallet("ForeignAssets").reserves_of(ctx, WKSM) == [{"reserve": kusama_ah, "teleportable": False}]
    # a sibling parachain is no reserve of KSM (the barrier is passed as Root would pass it)
    outcome = X.execute(ctx, L.parachain(2000, parents=1), message, X.w(10 ** 12, 10 ** 6), b"\7" * 32,
                        weight_credit=X.w(10 ** 12, 10 ** 6))
    assert (outcome.error, outcome.error_index) == ("UntrustedReserveLocation", 0)
    # only the asset's owner (through ForeignCreators) may change its reserves
    with pytest.raises(DispatchError) as refused:
        hub.runtime.dispatch(ctx, Origin.signed(b"\2" * 32), {"ForeignAssets": {"set_reserves": {
            "id": WKSM, "reserves": [{"reserve": L.parachain(2000, parents=1), "teleportable": False}]}}})
    assert refused.value.label == "BadOrigin"


def test_pool_prices_the_fee_with_the_lp_fee_and_moves_both_sides(hubs):
    hub = hubs["polkadot-asset-hub"]
    ctx = ctx_of(hub)
    pools = hub.runtime.pallet("PolkadotXcm").hooks.pools
    account = bridged_pool("Polkadot").account
    ksm_before = hub.runtime.pallet("ForeignAssets").balance(ctx, WKSM, account)
    dot_before = hub.runtime.pallet("Balances").free_balance(ctx.state, account)
    assert (ksm_before, dot_before) == (4 * 10 ** 12, 10 * 10 ** 10)     # the zombienet liquidity
    # get_reserves reads reducible balances: the pool account holds its LP tokens (a consumer), so its
    # existential deposit of DOT is not part of the reserve
    dot_reserve = dot_before - hub.runtime.config.existential_deposit
    fee = 10 ** 8                                                        # 0.01 DOT
    paid = pools.buy_native(ctx, WKSM, 10 ** 12, fee)
    assert paid == get_amount_in(fee, ksm_before, dot_reserve)
    assert paid == ksm_before * fee * 1000 // ((dot_reserve - fee) * 997) + 1
    assert hub.runtime.pallet("ForeignAssets").balance(ctx, WKSM, account) == ksm_before + paid
    assert hub.runtime.pallet("Balances").free_balance(ctx.state, account) == dot_before - fee
    assert get_amount_out(paid, ksm_before, dot_reserve) <= fee          # the LP fee is kept by the pool
