"""pallet-xcm's declaration as clients decode it, version wrapping, and version negotiation calls."""
from __future__ import annotations

import pytest
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from harness.devnet.runtime.frame import Origin
from harness.devnet.runtimes import build_runtime
from harness.devnet.runtimes.presets import default_config
from harness.devnet.xcm import locations as L
from harness.devnet.xcm import versions as V

from .xcm_fixtures import make_chain

CALLS = ["send", "teleport_assets", "reserve_transfer_assets", "execute", "force_xcm_version",
         "force_default_xcm_version", "force_subscribe_version_notify", "force_unsubscribe_version_notify",
         "limited_reserve_transfer_assets", "limited_teleport_assets", "force_suspension", "transfer_assets",
         "claim_assets", "transfer_assets_using_type_and_then", "add_authorized_alias", "remove_authorized_alias",
         "remove_all_authorized_aliases"]
STORAGE = ["QueryCounter", "Queries", "AssetTraps", "SafeXcmVersion", "SupportedVersion", "VersionNotifiers",
           "VersionNotifyTargets", "VersionDiscoveryQueue", "CurrentMigration", "RemoteLockedFungibles",
           "LockedFungibles", "XcmExecutionSuspended", "ShouldRecordXcm", "RecordedXcm", "AuthorizedAliases"]


def decoded_pallet(name: str, index: int) -> tuple[dict, object]:
    runtime = build_runtime(default_config(name))
    rc = RuntimeConfigurationObject()
    rc.update_type_registry(load_type_registry_preset("core"))
    metadata = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(runtime.metadata(14)))
    metadata.decode()
    pallets = metadata.value[1]["V14"]["pallets"]
    return next(p for p in pallets if p["index"] == index), metadata


@pytest.mark.parametrize("name,index,pallet_name", [("kusama", 99, "XcmPallet"),
                                                    ("polkadot-asset-hub", 31, "PolkadotXcm")])
def test_metadata_declares_the_live_layout(name, index, pallet_name):
    pallet, metadata = decoded_pallet(name, index)
    assert pallet["name"] == pallet_name
    assert [s["name"] for s in pallet["storage"]["entries"]] == STORAGE
    types = {t["id"]: t["type"] for t in metadata.value[1]["V14"]["types"]["types"]}
    calls = types[pallet["calls"]["ty"]]["def"]["variant"]["variants"]
    assert [(c["name"], c["index"]) for c in calls] == [(n, i) for i, n in enumerate(CALLS)]
    events = types[pallet["event"]["ty"]]["def"]["variant"]["variants"]
    assert [e["name"] for e in events][:4] == ["Attempted", "Sent", "SendFailed", "ProcessXcmError"]
    assert {e["name"]: e["index"] for e in events}["AssetsTrapped"] == 13
    assert {e["name"]: e["index"] for e in events}["FeesPaid"] == 23
    errors = types[pallet["error"]["ty"]]["def"]["variant"]["variants"]
    assert {e["name"]: e["index"] for e in errors}["InvalidAssetUnknownReserve"] == 21
    assert [c["name"] for c in pallet["constants"]] == ["UniversalLocation", "AdvertisedXcmVersion", "MaxLockers",
                                                        "MaxRemoteLockConsumers"]


def test_wrap_version_follows_supported_and_safe_versions():
    relay = make_chain("kusama")
    xcm = relay.xcm
    dest = L.parachain(1000)
    program = ["ClearOrigin"]
    version, versioned = xcm.wrap_version(relay.ctx, dest, program)
    assert (version, versioned) == (5, {"V5": ["ClearOrigin"]})                    # SafeXcmVersion from genesis
    assert xcm.discovery_queue.get(relay.state) == [[{"V5": dest}, 1]]           # noted as unknown
    relay.runtime.dispatch(relay.ctx, Origin("root"), {"XcmPallet": {"force_xcm_version": {
        "location": dest, "version": 3}}})
    assert xcm.wrap_version(relay.ctx, dest, program) == (3, {"V3": ["ClearOrigin"]})
    assert ("SupportedVersionChanged", {"location": dest, "version": 3}) in relay.xcm_events()
    relay.runtime.dispatch(relay.ctx, Origin("root"), {"XcmPallet": {"force_default_xcm_version": {
        "maybe_xcm_version": None}}})
    with pytest.raises(V.VersionError):
        xcm.wrap_version(relay.ctx, L.parachain(2000), program)


def test_subscribe_version_answers_with_our_version():
    ah = make_chain("kusama-asset-hub")
    from harness.devnet.xcm import executor as X
    outcome = X.execute(ah.ctx, L.PARENT, [{"SubscribeVersion": {
        "query_id": 4, "max_response_weight": {"ref_time": 0, "proof_size": 0}}}],
        {"ref_time": 10**12, "proof_size": 10**6}, b"\0" * 32)
    assert outcome.complete, outcome
    (dest, message), = ah.router.sent
    assert dest == L.PARENT and message[0]["QueryResponse"]["response"] == {"Version": 5}
    assert [k for k, _ in ah.xcm_events()] == ["VersionNotifyStarted"]
