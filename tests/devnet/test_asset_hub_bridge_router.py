"""The bridge router inside a real Kusama Asset Hub composition (runtimes/asset_hub.py), over the
XCMP router.
"""
from __future__ import annotations

import pytest
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from harness.devnet.bridge.constants import KUSAMA
from harness.devnet.bridge.payload import forward_id_for
from harness.devnet.runtime.frame import State
from harness.devnet.runtimes import build_runtime
from harness.devnet.runtimes.presets import default_config
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.locations import CODEC, XCM_TYPES

REMOTE_AH = L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}])
TOPIC = b"\x01" * 32
PROGRAM = ["ClearOrigin", {"SetTopic": TOPIC}]


@pytest.fixture
def asset_hub():
    runtime = build_runtime(default_config("kusama-asset-hub"))
    ctx = runtime.new_ctx(State(), 1)
    xcm = runtime.pallet("PolkadotXcm")
    xcm.supported_version.put(ctx.state, 5, {"V5": REMOTE_AH}, 5)
    xcm.safe_xcm_version.put(ctx.state, 5)
    return runtime, ctx


def test_router_sits_at_34_and_its_metadata_decodes(asset_hub):
    runtime, _ = asset_hub
    assert runtime.bridge_router is runtime.pallet("ToPolkadotXcmRouter")
    assert [(p.NAME, p.index) for p in runtime.pallets if p.index in (31, 34, 35)] == [
        ("PolkadotXcm", 31), ("ToPolkadotXcmRouter", 34), ("MessageQueue", 35)]
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(runtime.metadata(14)))
    metadata.decode()
    router = next(p for p in metadata.pallets if p.name == "ToPolkadotXcmRouter")
    assert router.value["index"] == 34
    assert [e["name"] for e in router.value["storage"]["entries"]] == ["Bridge"]


def test_router_prices_and_wraps_over_the_real_xcmp_router(asset_hub):
    runtime, ctx = asset_hub
    ticket, fees = runtime.bridge_router.validate(ctx, REMOTE_AH, PROGRAM)
    assert (ticket.inner.kind, ticket.inner.destination) == ("hrmp", ("para", 1002))
    sent = CODEC.decode(XCM_TYPES.versioned_xcm_unit, ticket.inner.data)["V5"]
    assert [L.junction_kind(i) for i in sent] == ["UnpaidExecution", "ExportMessage", "SetTopic"]
    assert sent[1]["ExportMessage"]["network"] == "Polkadot"
    assert sent[2]["SetTopic"] == forward_id_for(TOPIC)
    # one relay-token asset: the XcmRouter's price for the XCMP hop plus the bridge fee
    _, xcmp_fees = runtime.xcm_router.validate(ctx, L.parachain(1002, parents=1), sent)
    size = len(CODEC.encode(XCM_TYPES.v5.xcm_unit, PROGRAM))
    bridge_fee = KUSAMA.router_base_fee + size * KUSAMA.router_byte_fee
    assert fees == [{"id": L.location(1), "fun": {"Fungible": xcmp_fees[0]["fun"]["Fungible"] + bridge_fee}}]
