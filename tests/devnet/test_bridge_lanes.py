"""Lane state transitions (bp_messages semantics) and the exported blob's encoding."""
from __future__ import annotations

import pytest

from harness.devnet.bridge import lanes
from harness.devnet.bridge import payload as P
from harness.devnet.hashing import blake2_256
from harness.devnet.scale import encode_compact
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.locations import CODEC, XCM_TYPES

ALICE, BOB = b"\x01" * 32, b"\x02" * 32
TOPIC = bytes(range(32))


def dispatched(nonce: int) -> str:
    return "Dispatched"


def deliver(inbound: dict, relayer: bytes, nonce: int) -> object:
    return lanes.receive_message(inbound, relayer, nonce, 16, 128, dispatched)


def test_outbound_lane_generates_then_confirms_and_prunes():
    out = lanes.opened_outbound()
    assert [lanes.send_message(out) for _ in range(3)] == [1, 2, 3]
    assert list(lanes.queued_messages(out)) == [1, 2, 3]
    relayers = [{"relayer": ALICE, "messages": {"begin": 1, "end": 2}}]
    assert lanes.confirm_delivery(out, 2, 2, relayers) == {"begin": 1, "end": 2}
    assert out == {"oldest_unpruned_nonce": 3, "latest_received_nonce": 2, "latest_generated_nonce": 3,
                   "state": "Opened"}
    assert lanes.confirm_delivery(out, 2, 2, relayers) is None        # nothing new
    assert list(lanes.queued_messages(out)) == [3]


@pytest.mark.parametrize("max_allowed, delivered, relayers, error", [
    (10, 4, [{"relayer": ALICE, "messages": {"begin": 1, "end": 4}}], "FailedToConfirmFutureMessages"),
    (1, 2, [{"relayer": ALICE, "messages": {"begin": 1, "end": 2}}], "TryingToConfirmMoreMessagesThanExpected"),
    (10, 2, [{"relayer": ALICE, "messages": {"begin": 1, "end": 1}},
             {"relayer": BOB, "messages": {"begin": 3, "end": 3}}], "NonConsecutiveUnrewardedRelayerEntries"),
    (10, 2, [{"relayer": ALICE, "messages": {"begin": 2, "end": 1}}], "EmptyUnrewardedRelayerEntry"),
])
def test_confirmation_errors(max_allowed, delivered, relayers, error):
    out = lanes.opened_outbound()
    for _ in range(3):
        lanes.send_message(out)
    with pytest.raises(lanes.ConfirmationError, match=error):
        lanes.confirm_delivery(out, max_allowed, delivered, relayers)
    assert out["latest_received_nonce"] == 0


def test_inbound_lane_accepts_in_order_and_groups_by_relayer():
    inbound = lanes.opened_inbound()
    assert deliver(inbound, ALICE, 2) == "InvalidNonce"
    assert deliver(inbound, ALICE, 1) == {"Dispatched": "Dispatched"}
    assert deliver(inbound, ALICE, 2) == {"Dispatched": "Dispatched"}
    assert deliver(inbound, BOB, 3) == {"Dispatched": "Dispatched"}
    assert deliver(inbound, BOB, 3) == "InvalidNonce"                 # replay
    assert inbound["relayers"] == [{"relayer": ALICE, "messages": {"begin": 1, "end": 2}},
                                   {"relayer": BOB, "messages": {"begin": 3, "end": 3}}]
    assert lanes.relayers_state(inbound) == {"unrewarded_relayer_entries": 2, "messages_in_oldest_entry": 2,
                                            "total_messages": 3, "last_delivered_nonce": 3}
    assert lanes.relayers_rewards(inbound["relayers"], 2, 3) == {ALICE: 1, BOB: 1}


def test_inbound_limits_refuse_messages_without_dispatching():
    calls = []
    inbound = lanes.opened_inbound()
    assert lanes.receive_message(inbound, ALICE, 1, 0, 128, calls.append) == "TooManyUnrewardedRelayers"
    assert lanes.receive_message(inbound, ALICE, 1, 16, 0, calls.append) == "TooManyUnconfirmedMessages"
    assert calls == [] and inbound["relayers"] == []


def test_state_update_forgets_rewarded_relayers():
    inbound = lanes.opened_inbound()
    for relayer, nonce in ((ALICE, 1), (ALICE, 2), (BOB, 3)):
        deliver(inbound, relayer, nonce)
    source = {**lanes.opened_outbound(), "latest_received_nonce": 1, "latest_generated_nonce": 3}
    assert lanes.receive_state_update(inbound, source) == 1
    assert inbound["last_confirmed_nonce"] == 1
    assert inbound["relayers"][0]["messages"] == {"begin": 2, "end": 2}
    assert lanes.receive_state_update(inbound, {**source, "latest_received_nonce": 9}) is None   # future
    assert lanes.receive_state_update(inbound, {**source, "latest_received_nonce": 2}) == 2
    assert [e["relayer"] for e in inbound["relayers"]] == [BOB]


# --- the exported blob ---------------------------------------------------------------------------

REMOTE_PROGRAM = ["ClearOrigin", {"SetTopic": TOPIC}]


def test_export_wrapper_is_the_unpaid_form_with_a_forwarded_topic():
    wrapped = P.export_wrapper("Polkadot", [{"Parachain": 1000}], REMOTE_PROGRAM)
    assert [L.junction_kind(i) for i in wrapped] == ["UnpaidExecution", "ExportMessage", "SetTopic"]
    assert wrapped[0] == {"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}}
    assert wrapped[1]["ExportMessage"]["destination"] == {"X1": [{"Parachain": 1000}]}
    assert wrapped[2]["SetTopic"] == blake2_256(b"forward_id_for" + TOPIC)
    CODEC.encode(XCM_TYPES.v5.xcm_unit, wrapped)          # a valid Xcm<()>


def test_hauled_blob_prefixes_the_origin_and_keeps_the_topic():
    hauled = P.haul_blob([{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}], "Polkadot", [{"Parachain": 1000}],
                         REMOTE_PROGRAM)
    assert hauled.message_id == TOPIC
    # BridgeMessage { universal_dest: VersionedInteriorLocation::V5(X2(GC(Polkadot), Parachain(1000))), message }
    assert hauled.blob[:1] == b"\x05"
    assert hauled.blob[1:7] == bytes([2, 9, 2, 0]) + encode_compact(1000)
    decoded = P.decode_blob(hauled.blob)
    assert decoded.universal_dest == [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}]
    assert decoded.message[:2] == [{"UniversalOrigin": {"GlobalConsensus": "Kusama"}},
                                   {"DescendOrigin": {"X1": [{"Parachain": 1000}]}}]
    assert L.normalize(decoded.message[2:]) == L.normalize(REMOTE_PROGRAM)
    assert P.stored_payload(hauled.blob) == encode_compact(len(hauled.blob)) + hauled.blob


def test_dispatch_descends_into_the_messages_pallet_and_routes_to_the_asset_hub():
    blob = P.haul_blob([{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}], "Polkadot", [{"Parachain": 1000}],
                       REMOTE_PROGRAM).blob
    polkadot_bh = [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1002}]
    dest, message = P.dispatch_blob(blob, polkadot_bh, [{"PalletInstance": 53}])
    assert dest == L.parachain(1000, parents=1)
    assert message[0] == {"DescendOrigin": {"X1": [{"PalletInstance": 53}]}}
    assert message[1] == {"UniversalOrigin": {"GlobalConsensus": "Kusama"}}
    with pytest.raises(P.DispatchBlobError, match="WrongGlobal"):
        P.dispatch_blob(blob, [{"GlobalConsensus": "Kusama"}, {"Parachain": 1002}], [{"PalletInstance": 53}])
    with pytest.raises(P.DispatchBlobError, match="InvalidEncoding"):
        P.dispatch_blob(blob[:-3], polkadot_bh, [{"PalletInstance": 53}])


def test_a_message_without_topic_is_identified_by_its_hash():
    hauled = P.haul_blob([{"GlobalConsensus": "Kusama"}], "Polkadot", [], ["ClearOrigin"])
    message = P.decode_blob(hauled.blob).message
    assert [L.junction_kind(i) for i in message] == ["UniversalOrigin", "ClearOrigin"]   # no DescendOrigin(Here)
    assert hauled.message_id == blake2_256(CODEC.encode(XCM_TYPES.versioned_xcm_unit, {"V5": message}))
