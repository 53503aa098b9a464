"""Hop tracing: a transfer followed chain by chain by its message id, on made-up events (which events belong to a
hop, lanes and nonces, fees, incomplete and failed traces) and on the devnet (relay -> Asset Hub, and across the
bridge), where the trace must agree with the balances."""
from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
from substrateinterface import Keypair

from devnet_network import devnet_clients, devnet_network  # noqa: F401 - fixtures
from harness.client.chain import Event, Receipt
from harness.client.messages import forward_id_for
from harness.engine.result import ScenarioFailure
from harness.engine.runner import ScenarioRunner
from harness.engine.trace import BRIDGED, Hop, Trace, Tracer
from harness.engine.trace_expectations import check_lane
from harness.scenario.model import LaneExpect
from harness.scenario.parse import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
TOPIC = "0x" + "aa" * 32
OTHER = "0x" + "bb" * 32
BOB, TREASURY, SENDER = "bob-address", "treasury-address", "sender-address"


def events(chain_blocks: dict[int, list[tuple[str, dict]]]) -> list[Event]:
    """Events of whole blocks, in order, as a chain reports them (no extrinsic: message processing)."""
    return [Event(*name.split("."), attributes, None, block, index)
            for block, items in chain_blocks.items() for index, (name, attributes) in enumerate(items)]


def tracer(per_chain: dict[str, list[Event]]) -> Tracer:
    """A tracer over an event log (engine/events.py EventLog) whose every block is already read."""
    return Tracer(SimpleNamespace(since=lambda chain, after: [e for e in per_chain.get(chain, [])
                                                              if e.block_number > after]))


def receipt(chain: str, extra: list[tuple[str, dict]] = ()) -> Receipt:
    own = [("XcmPallet.Attempted", {"outcome": {"Complete": "*"}}),
           ("XcmPallet.FeesPaid", {"paying": {"parents": 0, "interior": {"X1": [{"AccountId32": {
               "network": None, "id": "0x" + Keypair.create_from_uri("//Alice").public_key.hex()}}]}},
               "fees": [{"id": {"parents": 0, "interior": "Here"}, "fun": {"Fungible": 300}}]}),
           ("XcmPallet.Sent", {"message_id": TOPIC}), *extra]
    return Receipt(chain, "0x01", "0xb", 5, True, None, 1_300,
                   [Event(*n.split("."), a, 1, 5, i) for i, (n, a) in enumerate(own)])


def new_trace(path: tuple[str, ...], amount: int = 1_000) -> Trace:
    return Trace(1, "there", path, "KSM", amount, "receiver", [TOPIC])


ALICE = Keypair.create_from_uri("//Alice", ss58_format=2).ss58_address


def test_a_hop_is_the_events_its_message_emitted():
    # block 7 on the Asset Hub processes another message first: its deposit is not this hop's
    hub = events({7: [("Balances.Minted", {"who": BOB, "amount": 55}),
                      ("MessageQueue.Processed", {"id": OTHER, "origin": "Parent", "success": True}),
                      ("Balances.Minted", {"who": BOB, "amount": 990}),
                      ("Balances.Minted", {"who": TREASURY, "amount": 10}),
                      ("MessageQueue.Processed", {"id": TOPIC, "origin": "Parent", "success": True})]})
    trace = tracer({"hub": hub}).trace(new_trace(("relay", "hub")), receipt("relay"), {"relay": 4, "hub": 6}, ALICE,
                                      BOB, True)
    sent, arrived = trace.hops
    assert (sent.chain, sent.block, sent.what, sent.success, sent.message_id) == ("relay", 5, "sent", True, TOPIC)
    assert sent.delivery_fee == 300  # FeesPaid by the sender; the transaction fee is not a delivery fee
    assert (arrived.chain, arrived.block, arrived.what, arrived.success) == ("hub", 7, "executed", True)
    assert [e.attributes.get("amount") for e in arrived.events] == [990, 10, None]
    assert (arrived.deposited, arrived.execution_fee) == (990, 10)
    assert trace.complete


@pytest.mark.parametrize("message_hash", ["0x" + "00" * 32, "0x" + "ff" * 32])  # sorting before and after TOPIC
def test_a_hop_names_its_message_by_the_arrivals_message_id(message_hash):
    # DmpQueue.ExecutedDownward (as Kusama Asset Hub 1.0 on chopsticks emits it) carries the message's hash and its
    # topic id, and both are among the ids the delivery wait found: the hop takes the message_id, whichever sorts first
    hub = events({7: [("DmpQueue.ExecutedDownward", {"message_hash": message_hash, "message_id": TOPIC,
                                                     "outcome": {"Complete": {"ref_time": 1, "proof_size": 0}}})]})
    trace = new_trace(("relay", "hub"))
    trace.ids = sorted([TOPIC, message_hash])
    arrived = tracer({"hub": hub}).trace(trace, receipt("relay"), {"relay": 4, "hub": 6}, ALICE, BOB, True).hops[1]
    assert (arrived.chain, arrived.success, arrived.message_id) == ("hub", True, TOPIC)


def test_a_failed_arrival_makes_the_trace_incomplete():
    hub = events({7: [("MessageQueue.Processed", {"id": TOPIC, "origin": "Parent", "success": False})]})
    trace = tracer({"hub": hub}).trace(new_trace(("relay", "hub")), receipt("relay"), {}, ALICE, BOB, True)
    assert trace.hops[-1].success is False and not trace.complete
    assert (trace.hops[-1].deposited, trace.hops[-1].execution_fee) == (None, None)  # nothing reached bob


def test_a_bridged_transfer_has_four_hops_with_lane_and_nonce():
    lane = "0x00000001"
    chains = {
        "kbh": events({3: [("BridgePolkadotMessages.MessageAccepted", {"lane_id": lane, "nonce": 7}),
                           ("MessageQueue.Processed", {"id": forward_id_for(TOPIC), "origin": {"Sibling": 1000},
                                                       "success": True})],
                       5: [("BridgePolkadotMessages.MessagesDelivered", {"lane_id": lane,
                                                                         "messages": {"begin": 6, "end": 7}})]}),
        "pbh": events({4: [("BridgeKusamaMessages.MessagesReceived", {"lane": lane, "receive_results": [
            [6, {"Dispatched": {"dispatch_level_result": "Dispatched"}}]]}),
                           ("XcmpQueue.XcmpMessageSent", {"message_hash": "0x01"}),
                           ("BridgeKusamaMessages.MessagesReceived", {"lane": lane, "receive_results": [
                               [7, {"Dispatched": {"unspent_weight": {}, "dispatch_level_result": "Dispatched"}}]]})]}),
        "pah": events({2: [("ForeignAssets.Issued", {"asset_id": {}, "owner": TREASURY, "amount": 4}),
                           ("ForeignAssets.Issued", {"asset_id": {}, "owner": BOB, "amount": 996}),
                           ("MessageQueue.Processed", {"id": TOPIC, "origin": {"Sibling": 1002}, "success": True})]}),
    }
    trace = tracer(chains).trace(new_trace(("kah", "kbh", "pbh", "pah")), receipt("kah"), {}, ALICE, BOB, False)
    assert [(h.chain, h.block, h.what, h.success, h.lane, h.nonce) for h in trace.hops] == [
        ("kah", 5, "sent", True, None, None),
        ("kbh", 3, "executed", True, lane, 7),
        ("pbh", 4, BRIDGED, True, lane, 7),  # nonce 7's MessagesReceived, not nonce 6's in the same block
        ("pah", 2, "executed", True, None, None)]
    assert [e.qualified for e in trace.hops[2].events] == ["XcmpQueue.XcmpMessageSent",
                                                          "BridgeKusamaMessages.MessagesReceived"]
    assert trace.hops[1].confirmed_block == 5
    assert (trace.hops[3].deposited, trace.hops[3].execution_fee) == (996, 4)
    assert trace.complete


def test_a_message_held_on_the_lane_stops_the_trace_there():
    chains = {"kbh": events({3: [("BridgePolkadotMessages.MessageAccepted", {"lane_id": "0x00000001", "nonce": 1}),
                                 ("MessageQueue.Processed", {"id": forward_id_for(TOPIC), "success": True})]})}
    trace = tracer(chains).trace(new_trace(("kah", "kbh", "pbh", "pah")), receipt("kah"), {}, ALICE, BOB, False)
    assert [h.chain for h in trace.hops] == ["kah", "kbh"]
    assert trace.hops[1].confirmed_block is None and not trace.complete


# --- on the devnet -------------------------------------------------------------------------------------------

RELAY_TO_HUB = """\
name: traced teleport
network: kusama-polkadot
accounts: {sender: //Alice//trace-test, receiver: //Bob//trace-test}
steps:
  - fund: {chain: %(origin)s, account: sender, amount: 100 %(token)s}
  - name: there
    xcm_transfer: {from: %(origin)s, to: %(destination)s, sender: sender, beneficiary: receiver, amount: 5 %(token)s}
expect:
  balances:
    - {chain: %(destination)s, account: receiver, %(asset)schange: +5 %(token)s, fee_bound: 0.01 %(token)s}
"""


def run_on_devnet(tmp_path: Path, network, clients, **route):
    (tmp_path / "networks").mkdir(exist_ok=True)
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", tmp_path / "networks" / "kusama-polkadot.yaml")
    (tmp_path / "s.yaml").write_text(RELAY_TO_HUB % route)
    [scenario] = load_scenarios(tmp_path / "s.yaml")
    return ScenarioRunner(scenario, network, clients, 60).run()


def test_a_teleport_from_the_relay_is_traced_to_the_asset_hub(tmp_path, devnet_network, devnet_clients):
    result = run_on_devnet(tmp_path, devnet_network, devnet_clients, origin="kusama", destination="kusama-asset-hub",
                           token="KSM", asset="")
    [trace] = result.traces
    sent, arrived = trace.hops
    assert (sent.chain, arrived.chain, trace.path) == ("kusama", "kusama-asset-hub", ("kusama", "kusama-asset-hub"))
    assert sent.block == result.receipts[0].block_number and sent.success
    assert arrived.what == "executed" and arrived.success and trace.complete
    processed = [e for e in arrived.events if e.qualified == "MessageQueue.Processed"]
    assert [e.attributes["id"] for e in processed] == [sent.message_id]  # the same id on both sides
    assert sent.message_id in trace.ids
    # the trace's fee is what the balance shows: 5 KSM arrived less the execution fee
    [row] = result.balances
    assert arrived.deposited == row.actual == 5 * 10**12 - arrived.execution_fee
    assert 0 < arrived.execution_fee < 10**10
    fees_paid = [e for e in sent.events if e.qualified == "XcmPallet.FeesPaid"]
    assert sent.delivery_fee == sum(int(a["fun"]["Fungible"]) for e in fees_paid for a in e.attributes["fees"]) > 0


def test_a_bridged_transfer_is_traced_across_both_bridge_hubs(tmp_path, devnet_network, devnet_clients):
    result = run_on_devnet(tmp_path, devnet_network, devnet_clients, origin="kusama-asset-hub",
                           destination="polkadot-asset-hub", token="KSM", asset="asset: KSM, ")
    [trace] = result.traces
    assert [(h.chain, h.what, h.success) for h in trace.hops] == [
        ("kusama-asset-hub", "sent", True), ("kusama-bridge-hub", "executed", True),
        ("polkadot-bridge-hub", BRIDGED, True), ("polkadot-asset-hub", "executed", True)]
    accepted, received = trace.hops[1], trace.hops[2]
    assert accepted.lane == received.lane == "0x00000001" and accepted.nonce == received.nonce >= 1
    assert accepted.message_id == forward_id_for(trace.hops[0].message_id)  # the export carries the forward id
    assert trace.hops[3].deposited == result.balances[0].actual


@pytest.mark.parametrize("origin, destination, token", [("polkadot", "polkadot-asset-hub", "DOT")])
def test_polkadot_teleports_are_traced_too(tmp_path, devnet_network, devnet_clients, origin, destination, token):
    result = run_on_devnet(tmp_path, devnet_network, devnet_clients, origin=origin, destination=destination,
                           token=token, asset="")
    assert result.traces[0].complete and result.traces[0].hops[-1].chain == destination


# --- lane expectations ---------------------------------------------------------------------------------------

def crossing(step: int, nonce: int, received: bool = True, confirmed: bool = True) -> Trace:
    trace = Trace(step, f"t{step}", ("kah", "kbh", "pbh", "pah"), "KSM", 1, "receiver", [])
    trace.hops = [Hop("kah", 1, "sent", True),
                  Hop("kbh", 2, "executed", True, lane="0x00000001", nonce=nonce,
                      confirmed_block=4 if confirmed else None)]
    if received:
        trace.hops.append(Hop("pbh", 3, BRIDGED, True, lane="0x00000001", nonce=nonce))
    return trace


@pytest.mark.parametrize("traces, message", [
    ([crossing(1, 5), crossing(2, 6), crossing(3, 8)],
     "3 transfer(s) left 'kbh' on lane 0x00000001, with nonces 5-6, 8; expected 3 consecutive ones"),
    ([crossing(1, 5), crossing(2, 6)],
     "2 transfer(s) left 'kbh' on lane 0x00000001, with nonces 5-6; expected 3 consecutive ones"),
    ([crossing(1, 5), crossing(2, 6, received=False), crossing(3, 7)],
     "step t2's message (nonce 6) was not received across the bridge"),
    ([crossing(1, 5), crossing(2, 6), crossing(3, 7, confirmed=False)],
     "step t3's message (nonce 7) was received but its delivery was not confirmed on 'kbh'"),
])
def test_lane_expectations_name_what_is_missing(traces, message):
    scenario = SimpleNamespace(measure_from=1)
    with pytest.raises(ScenarioFailure) as info:
        check_lane(scenario, LaneExpect("kbh", "0x00000001", 3, ("expect", "lanes", 0)), traces)
    assert info.value.message == message
    check_lane(scenario, LaneExpect("kbh", "0x00000001", 3, ()), [crossing(1, 5), crossing(2, 6), crossing(3, 7)])
