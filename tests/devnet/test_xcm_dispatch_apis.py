"""DryRunApi and XcmPaymentApi over a chain's head state, through the runtime-API handlers."""
from __future__ import annotations

import pytest

from harness.devnet.runtime.frame import State
from harness.devnet.xcm import dispatch_apis
from harness.devnet.xcm import locations as L

from .test_chain_pipeline import ALICE, BOB, make, signed, transfer

AMOUNT = 10**12


@pytest.fixture(scope="module")
def relay():
    chain = make("kusama")
    dispatch_apis.install(chain.runtime)
    chain.submit(signed(chain, ALICE, transfer(BOB, AMOUNT)))     # block 1: events are recorded from here on
    return chain


def api(chain, method: str, result_type: str, data: bytes):
    rt = chain.runtime
    raw = rt.api_handlers[method](rt, chain.head().state, data)
    return rt.registry.decode(rt.xcm_api_types[result_type], raw)


def teleport(amount: int) -> dict:
    return {"XcmPallet": {"limited_teleport_assets": {
        "dest": {"V5": L.parachain(1000)}, "beneficiary": {"V5": L.account32(ALICE.public_key)},
        "assets": {"V5": [{"id": L.HERE, "fun": {"Fungible": amount}}]}, "fee_asset_item": 0,
        "weight_limit": "Unlimited"}}}


def test_dry_run_call_reports_events_local_and_forwarded_programs(relay):
    rt = relay.runtime
    reg, types = rt.registry, rt.xcm_api_types
    data = (reg.encode(types["origin_caller"], {"system": {"Signed": ALICE.public_key}})
            + reg.encode(rt.call_enum, teleport(AMOUNT)) + (4).to_bytes(4, "little"))
    effects = api(relay, "DryRunApi_dry_run_call", "call_result", data)["Ok"]
    assert "Ok" in effects["execution_result"]
    assert [list(e["XcmPallet"])[0] for e in effects["emitted_events"] if "XcmPallet" in e] == [
        "Attempted", "FeesPaid", "Sent"]
    assert list(effects["local_xcm"]["V4"][0]) == ["WithdrawAsset"]
    (dest, messages), = effects["forwarded_xcms"]
    assert dest == {"V4": L.parachain(1000)}
    assert list(messages[0]["V4"][0]) == ["ReceiveTeleportedAsset"]
    # nothing of the dry run stays in the chain's state
    assert rt.pallet("XcmPallet").recorded_xcm.get(State(relay.head().state)) is None


def test_dry_run_call_with_a_failing_call_returns_its_error(relay):
    rt = relay.runtime
    reg, types = rt.registry, rt.xcm_api_types
    data = (reg.encode(types["origin_caller"], {"system": {"Signed": ALICE.public_key}})
            + reg.encode(rt.call_enum, teleport(10**30)) + (5).to_bytes(4, "little"))
    effects = api(relay, "DryRunApi_dry_run_call", "call_result", data)["Ok"]
    assert effects["execution_result"]["Err"]["error"]["Module"]["index"] == 99
    assert effects["forwarded_xcms"] == []


def test_dry_run_xcm_executes_with_the_given_origin(relay):
    rt = relay.runtime
    xt = rt.pallet("XcmPallet").xt
    program = {"V5": [{"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}}, {"Trap": 5}]}
    data = rt.registry.encode(xt.versioned_location, {"V5": L.parachain(1000)}) + rt.registry.encode(
        xt.versioned_xcm, program)
    effects = api(relay, "DryRunApi_dry_run_xcm", "xcm_result", data)["Ok"]
    assert effects["execution_result"]["Incomplete"]["error"] == {"index": 1, "error": {"Trap": 5}}


def test_payment_api_weighs_prices_and_lists_the_native_token(relay):
    rt = relay.runtime
    reg, xt = rt.registry, rt.pallet("XcmPallet").xt
    assert api(relay, "XcmPaymentApi_query_acceptable_payment_assets", "assets_result",
               (3).to_bytes(4, "little")) == {"Ok": [{"V3": {"Concrete": L.HERE}}]}
    assert api(relay, "XcmPaymentApi_query_acceptable_payment_assets", "assets_result",
               (2).to_bytes(4, "little")) == {"Err": "UnhandledXcmVersion"}
    message = reg.encode(xt.versioned_xcm_unit, {"V5": ["ClearOrigin", "ClearTopic"]})
    weight = api(relay, "XcmPaymentApi_query_xcm_weight", "weight_result", message)["Ok"]
    assert weight == {"ref_time": 646_000 + 640_000, "proof_size": 0}
    fee = api(relay, "XcmPaymentApi_query_weight_to_asset_fee", "fee_result",
              reg.encode(rt.types.weight, weight) + reg.encode(xt.versioned_asset_id, {"V5": L.HERE}))["Ok"]
    assert fee == rt.pallet("TransactionPayment").FEES.weight_to_fee(weight["ref_time"], 0) and fee > 0
    other = api(relay, "XcmPaymentApi_query_weight_to_asset_fee", "fee_result",
                reg.encode(rt.types.weight, weight) + reg.encode(xt.versioned_asset_id, {"V5": L.PARENT}))
    assert other == {"Err": "AssetNotFound"}
    data = (reg.encode(xt.versioned_location, {"V4": L.parachain(1000)})
            + reg.encode(xt.versioned_xcm_unit, {"V4": ["ClearOrigin"]})
            + reg.encode(xt.versioned_asset_id, {"V4": L.HERE}))
    (fees,) = api(relay, "XcmPaymentApi_query_delivery_fees", "delivery_result", data)["Ok"]["V4"]
    assert fees["id"] == L.HERE and fees["fun"]["Fungible"] > 0
    unroutable = (reg.encode(xt.versioned_location, {"V4": L.PARENT}) + reg.encode(xt.versioned_xcm_unit, {"V4": []})
                  + reg.encode(xt.versioned_asset_id, {"V4": L.HERE}))
    assert api(relay, "XcmPaymentApi_query_delivery_fees", "delivery_result", unroutable) == {"Err": "Unroutable"}


def test_v15_metadata_declares_the_apis(relay):
    names = [a.name for a in relay.runtime.apis]
    assert "DryRunApi" in names and "XcmPaymentApi" in names
    assert relay.runtime.api_versions["DryRunApi"] == 2
