"""Version changes without wasm (harness/devnet/upgrades.py, xcm/pallet_xcm/negotiation.py): through the devnet
process and its VERSIONS capability, watched as a client watches a node (substrate-interface and a real websocket
subscription), and on lone chains for a message in flight across an XCM version change."""
from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest
from devnet_network import devnet_network  # noqa: F401  (a fixture)
from substrateinterface import SubstrateInterface
from websockets.sync.client import connect

from harness.devnet.chain import Chain
from harness.devnet.runtime.executive import BlockWork
from harness.devnet.runtime.frame import State
from harness.devnet.runtimes.presets import default_config
from harness.devnet.xcm import transport as T
from harness.devnet.xcm.locations import CODEC, PARENT, XCM_TYPES, parachain
from harness.errors import ChainCallError
from harness.providers.capabilities import Capability

TIMEOUT = 30
GENESIS_SPEC = 2_003_002  # harness/devnet/runtimes/presets.py


@pytest.fixture
def network(devnet_network):  # noqa: F811
    """The shared devnet, put back after each test (the code changes too: it lives in `:code`)."""
    snapshot = devnet_network.snapshot()
    yield devnet_network
    devnet_network.revert(snapshot)


def versions(network):
    return network.capability(Capability.VERSIONS, "change a version")


def client(network, chain: str) -> SubstrateInterface:
    return SubstrateInterface(url=network.endpoints[chain])


def events_at(api: SubstrateInterface, block_hash: str) -> list[tuple[str, str, object]]:
    records = api.query("System", "Events", block_hash=block_hash).value
    return [(r["event"]["module_id"], r["event"]["event_id"], r["event"]["attributes"]) for r in records]


def subscribe(url: str, method: str):
    ws = connect(url, open_timeout=TIMEOUT)
    ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": []}))
    reply = json.loads(ws.recv(TIMEOUT))
    assert isinstance(reply.get("result"), str), reply
    first = json.loads(ws.recv(TIMEOUT))
    return ws, first["params"]["result"]


def core_spec_version(encoded: str) -> int:
    """RuntimeVersion's spec_version from Core_version's SCALE: two short strings, authoring_version, then it."""
    data, offset = bytes.fromhex(encoded[2:]), 0
    for _ in range(2):   # spec_name, impl_name: one-byte compact lengths
        offset += 1 + (data[offset] >> 2)
    return int.from_bytes(data[offset + 4:offset + 8], "little")


def test_spec_version_bump_is_seen_as_a_code_upgrade(network):
    chain, spec = "kusama-bridge-hub", GENESIS_SPEC + 1000
    url = network.endpoints[chain]
    state_ws, state_first = subscribe(url, "state_subscribeRuntimeVersion")
    chain_ws, chain_first = subscribe(url, "chain_subscribeRuntimeVersion")
    assert state_first["specVersion"] == chain_first["specVersion"] == GENESIS_SPEC
    with state_ws, chain_ws:
        report = versions(network).set_spec_version(chain, spec)
        assert (report.chain, report.spec_before, report.spec_after) == (chain, GENESIS_SPEC, spec)
        updated, first = report.blocks
        assert first == updated + 1
        # a node notifies once, when the best block runs another runtime (the block that wrote :code)
        for ws in (state_ws, chain_ws):
            notified = json.loads(ws.recv(TIMEOUT))["params"]["result"]
            assert notified["specVersion"] == spec and notified["specName"] == "bridge-hub-kusama"

    api = client(network, chain)
    try:
        updated_hash, first_hash = (api.get_block_hash(n) for n in report.blocks)
        code_updated = [e for e in events_at(api, updated_hash) if e[:2] == ("System", "CodeUpdated")]
        assert code_updated == [("System", "CodeUpdated", {"hash": report.code_hash})]
        header = api.rpc_request("chain_getHeader", [updated_hash])["result"]
        assert "0x08" in header["digest"]["logs"]   # DigestItem::RuntimeEnvironmentUpdated
        # frame-executive records the new version in the first block that runs it
        before = api.query("System", "LastRuntimeUpgrade", block_hash=updated_hash).value
        after = api.query("System", "LastRuntimeUpgrade", block_hash=first_hash).value
        assert before == {"spec_version": GENESIS_SPEC, "spec_name": "bridge-hub-kusama"}
        assert after == {"spec_version": spec, "spec_name": "bridge-hub-kusama"}
        assert api.rpc_request("state_getRuntimeVersion", [])["result"]["specVersion"] == spec
        parent = api.get_block_hash(updated - 1)
        assert api.rpc_request("state_getRuntimeVersion", [parent])["result"]["specVersion"] == GENESIS_SPEC
        assert api.get_constant("System", "Version").value["spec_version"] == spec
        assert core_spec_version(api.rpc_request("state_call", ["Core_version", "0x"])["result"]) == spec
        code = api.rpc_request("state_getStorage", ["0x3a636f6465"])["result"]
        assert code is not None and not code.startswith("0x0061736d")   # not wasm: the devnet's record
        assert "0x" + hashlib.blake2b(bytes.fromhex(code[2:]), digest_size=32).hexdigest() == report.code_hash
    finally:
        api.close()


@pytest.mark.parametrize("spec", [GENESIS_SPEC, GENESIS_SPEC - 1, 0])
def test_a_spec_version_that_does_not_increase_is_refused(network, spec):
    head = network.rpc("kusama", "chain_getHeader", [])["number"]
    with pytest.raises(ChainCallError) as refused:
        versions(network).set_spec_version("kusama", spec)
    assert (f"System.SpecVersionNeedsToIncrease: spec version {spec} does not increase on kusama, which runs "
            f"{GENESIS_SPEC}") in str(refused.value)
    assert network.rpc("kusama", "chain_getHeader", [])["number"] == head   # nothing built


def test_xcm_version_change_is_notified_to_the_peers(network):
    versions(network).set_xcm_version("kusama-asset-hub", 4)
    hub, relay, bridge_hub = (client(network, name) for name in ("kusama-asset-hub", "kusama", "kusama-bridge-hub"))
    try:
        assert hub.get_constant("PolkadotXcm", "AdvertisedXcmVersion").value == 4
        head = hub.get_chain_head()
        notified = [e[2] for e in events_at(hub, head) if e[:2] == ("PolkadotXcm", "VersionChangeNotified")]
        assert sorted((json.dumps(n["destination"]), n["result"]) for n in notified) == sorted([
            (json.dumps({"parents": 1, "interior": "Here"}), 4),
            (json.dumps({"parents": 1, "interior": {"X1": [{"Parachain": 1002}]}}), 4)])
        assert [e[2] for e in events_at(hub, head) if e[1] == "VersionMigrationFinished"] == [{"version": 5}]
        # the peers' SupportedVersion, from the QueryResponse { Version(4) } each received
        assert relay.query("XcmPallet", "SupportedVersion", [5, {"V5": {"parents": 0, "interior": {
            "X1": [{"Parachain": 1000}]}}}]).value == 4
        assert bridge_hub.query("PolkadotXcm", "SupportedVersion", [5, {"V5": {"parents": 1, "interior": {
            "X1": [{"Parachain": 1000}]}}}]).value == 4
        # the other side still speaks 5 with the relay
        assert relay.query("XcmPallet", "SupportedVersion", [5, {"V5": {"parents": 0, "interior": {
            "X1": [{"Parachain": 1002}]}}}]).value == 5
    finally:
        for api in (hub, relay, bridge_hub):
            api.close()


def test_an_xcm_version_the_devnet_does_not_speak_is_refused(network):
    with pytest.raises(ChainCallError, match="XCM version 6 is not one the devnet speaks"):
        versions(network).set_xcm_version("kusama", 6)
    with pytest.raises(ChainCallError, match="kusama already speaks XCM up to version 5"):
        versions(network).set_xcm_version("kusama", 5)


# --- a message in flight across a change, on lone chains (manual blocks) -----------------------------------------

def lone(runtime: str, **extra) -> Chain:
    config = default_config(runtime)
    return Chain(dataclasses.replace(config, extra={**config.extra, **extra}), mode="manual",
                 genesis_timestamp_ms=1_700_000_000_000)


def send_from_relay(relay: Chain) -> list:
    """A message from the relay to its Asset Hub, sent in a relay block: the messages in flight."""
    block = relay.build_block(BlockWork(on_initialize=lambda ctx: relay.runtime.xcm_router.send(
        ctx, parachain(1000), ["ClearOrigin"])))
    T.record_block(relay.runtime, block.state, block.number)
    return T.drain_outbox(relay.runtime)


def hand_over(messages: list, hub: Chain) -> None:
    for message in messages:
        T.deliver(hub.runtime, message.inbound())


def hub_queue_events(hub: Chain, block) -> list[tuple[str, dict]]:
    records = hub.runtime.pallet("System").events_item.get(State(block.state))
    return [next(iter(r["event"]["MessageQueue"].items())) for r in records if "MessageQueue" in r["event"]]


def test_a_message_sent_in_the_old_version_is_processed_after_the_raise():
    relay = lone("kusama", supported_version=[(parachain(1000), 4)])   # the relay knows the hub speaks 4
    hub = lone("kusama-asset-hub", supported_version=[(PARENT, 5)])
    hub.dev_set_xcm_version(4)
    in_flight = send_from_relay(relay)                # wrapped in V4 for the hub
    assert [CODEC.decode(XCM_TYPES.versioned_xcm_unit, m.data) for m in in_flight][0].keys() == {"V4"}
    change = hub.dev_set_xcm_version(5)
    assert change["xcmVersionBefore"] == 4 and change["xcmVersion"] == 5
    hand_over(in_flight, hub)                         # arrives once the hub runs the new code
    processed = [(name, e) for name, e in hub_queue_events(hub, hub.build_block()) if name == "Processed"]
    assert len(processed) == 1 and processed[0][1]["origin"] == "Parent"


def test_a_chain_fails_to_decode_a_version_above_its_own():
    relay = lone("kusama")                            # wraps in SafeXcmVersion 5: it knows nothing of the hub
    hub = lone("kusama-asset-hub")
    hub.dev_set_xcm_version(4)
    hand_over(send_from_relay(relay), hub)
    failed = [e for name, e in hub_queue_events(hub, hub.build_block()) if name == "ProcessingFailed"]
    assert [e["error"] for e in failed] == ["Corrupt"]
