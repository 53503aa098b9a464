"""What a client sees of the Bridge Hub pallets: metadata and events decoded by scalecodec, the
codec substrate-interface uses."""
from __future__ import annotations

import pytest
from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from scalecodec.type_registry import load_type_registry_preset

from harness.devnet.runtime.extrinsic import ExtrinsicFormat

from .test_bridge_pallets import Network

EXTENSIONS = ("CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion", "CheckGenesis", "CheckMortality",
              "CheckNonce", "CheckWeight")


@pytest.fixture(scope="module")
def relayed():
    net = Network()
    net.export()
    net.relay_round()
    target = net["bridge-hub-polkadot"]
    ExtrinsicFormat(target.runtime, EXTENSIONS)        # the metadata needs an extrinsic format
    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core"))
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(target.runtime.metadata(14)))
    metadata.decode()
    config.add_portable_registry(metadata)
    return net, config, metadata


def test_pallets_indices_and_storage(relayed):
    _, _, metadata = relayed
    pallets = {p.value["name"]: p.value for p in metadata.pallets}
    assert {name: pallets[name]["index"] for name in (
        "BridgeRelayers", "BridgeKusamaGrandpa", "BridgeKusamaParachains", "BridgeKusamaMessages",
        "XcmOverBridgeHubKusama")} == {"BridgeRelayers": 50, "BridgeKusamaGrandpa": 51, "BridgeKusamaParachains": 52,
                                        "BridgeKusamaMessages": 53, "XcmOverBridgeHubKusama": 54}

    def storage(name):
        return [e["name"] for e in pallets[name]["storage"]["entries"]]
    assert storage("BridgeKusamaMessages") == ["PalletOwner", "PalletOperatingMode", "InboundLanes", "OutboundLanes",
                                               "OutboundMessages"]
    assert storage("BridgeRelayers") == ["RelayerRewards", "RegisteredRelayers"]
    assert storage("XcmOverBridgeHubKusama") == ["Bridges", "LaneToBridge"]
    assert storage("BridgeKusamaGrandpa") == ["FreeHeadersRemaining", "InitialHash", "BestFinalized", "ImportedHashes",
                                              "ImportedHashesPointer", "ImportedHeaders", "CurrentAuthoritySet",
                                              "PalletOwner", "PalletOperatingMode"]
    assert storage("BridgeKusamaParachains") == ["PalletOwner", "PalletOperatingMode", "ParasInfo",
                                                 "ImportedParaHeads", "ImportedParaHashes"]


def test_events_decode_as_a_client_decodes_them(relayed):
    net, config, metadata = relayed
    target = net["bridge-hub-polkadot"]
    system = next(p.value for p in metadata.pallets if p.value["name"] == "System")
    events_type = next(e for e in system["storage"]["entries"] if e["name"] == "Events")["type"]["Plain"]
    raw = target.head().state[target.runtime.pallet("System").events_item.key()]
    records = config.create_scale_object(f"scale_info::{events_type}", data=ScaleBytes(raw))
    records.decode()
    events = [(r["event"]["module_id"], r["event"]["event_id"], r["event"]["attributes"]) for r in records.value]
    assert events[0][:2] == ("BridgeKusamaParachains", "UpdatedParachainHead")
    module, name, attributes = events[-1]
    assert (module, name) == ("BridgeKusamaMessages", "MessagesReceived")
    assert attributes["lane"] == "0x00000001"
    assert attributes["receive_results"][0][1]["Dispatched"]["dispatch_level_result"] == "Dispatched"
