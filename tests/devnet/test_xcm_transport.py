"""The XCM transport: routing, delivery fees, message ids, the UMP/DMP/XCMP events and queues as the
live runtimes emit them, MessageQueue processing, and pallet-assets semantics.

Expected numbers are derived by hand from the runtime constants (relay/*/constants,
system-parachains/constants) and the formulas in polkadot-sdk, not from the code under test.
"""
from __future__ import annotations

import dataclasses

import pytest

from harness.devnet.chain import Chain
from harness.devnet.hashing import blake2_256
from harness.devnet.runtime.executive import BlockWork
from harness.devnet.runtime.frame import DispatchError, Origin, State
from harness.devnet.runtimes import build_runtime
from harness.devnet.runtimes.presets import default_config
from harness.devnet.scale import encode_compact
from harness.devnet.xcm import transport as T
from harness.devnet.assets.bridged import bridged_native_asset
from harness.devnet.xcm.executor import Outcome, SendFailure
from harness.devnet.xcm.locations import CODEC, XCM_TYPES, account32, location, parachain
from harness.devnet.xcm.relay_parachains import dmq_mqc_link

GENESIS_MS = 1_700_000_000_000
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
NOBODY = bytes(range(32))
HERE, PARENT = location(0), location(1)


def chain(runtime: str, **changes) -> Chain:
    config = default_config(runtime)
    if changes:
        config = dataclasses.replace(config, **changes)
    return Chain(config, mode="manual", genesis_timestamp_ms=GENESIS_MS)


def in_block(c: Chain, fn) -> tuple:
    """Runs fn(ctx) in the next block's initialization; returns (block, fn's result)."""
    out = []
    block = c.build_block(BlockWork(on_initialize=lambda ctx: out.append(fn(ctx))))
    return block, out[0]


def events(c: Chain, block) -> list:
    return [(e["phase"], e["event"]) for e in c.runtime.pallet("System").events_item.get(State(block.state))]


def of(evs: list, pallet: str, name: str) -> list:
    return [(phase, ev[pallet][name]) for phase, ev in evs if pallet in ev and isinstance(ev[pallet], dict)
            and name in ev[pallet]]


def relay_to_hub(relay: Chain, hub: Chain, block) -> list:
    sent = T.record_block(relay.runtime, block.state, block.number)
    for m in T.drain_outbox(relay.runtime):
        T.deliver(hub.runtime, m.inbound())
    return sent


def xcm_bytes(program: list) -> bytes:
    return CODEC.encode(XCM_TYPES.v5.xcm_unit, program)


WITHDRAW_KSM = [{"WithdrawAsset": [{"id": PARENT, "fun": {"Fungible": 10 ** 10}}]}, "ClearOrigin"]


@pytest.fixture(scope="module")
def kusama():
    return chain("kusama")


@pytest.fixture(scope="module")
def kah():
    return chain("kusama-asset-hub")


# --- routing ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,dest,kind,destination", [
    ("kusama", parachain(1000), "dmp", ("para", 1000)),
    ("kusama-asset-hub", PARENT, "ump", T.RELAY),
    ("kusama-asset-hub", parachain(1002, parents=1), "hrmp", ("para", 1002)),
])
def test_router_picks_the_transport_of_the_destination(name, dest, kind, destination):
    c = chain(name)
    _, (ticket, _) = in_block(c, lambda ctx: c.runtime.xcm_router.validate(ctx, dest, ["ClearOrigin"]))
    assert (ticket.kind, ticket.destination) == (kind, destination)


@pytest.mark.parametrize("name,dest", [
    ("kusama", PARENT),                                   # a relay has no parent
    ("kusama", parachain(1000, parents=1)),
    ("kusama-asset-hub", parachain(1000)),                # a para has no children
    ("kusama-asset-hub", location(2, [{"GlobalConsensus": "Polkadot"}])),   # bridges are not routed here
])
def test_router_refuses_destinations_no_inner_router_takes(name, dest):
    c = chain(name)
    with pytest.raises(SendFailure) as failure:
        in_block(c, lambda ctx: c.runtime.xcm_router.validate(ctx, dest, ["ClearOrigin"]))
    assert failure.value.error == "NotApplicable"


# --- delivery fees ------------------------------------------------------------------------------
# ["ClearOrigin"] + the SetTopic WithUniqueTopic appends encodes as compact(2) + 1 + (1 + 32) = 35 bytes.

@pytest.mark.parametrize("name,dest,asset,expected", [
    # Kusama: 3 CENTS = 999_999_999, TransactionByteFee = 10 MILLICENTS = 3_333_330
    ("kusama", parachain(1000), HERE, 999_999_999 + 35 * 3_333_330),
    # Polkadot: 3 CENTS = 300_000_000, 10 MILLICENTS = 1_000_000
    ("polkadot", parachain(1000), HERE, 300_000_000 + 35 * 1_000_000),
    # Kusama Asset Hub: 3 CENTS, TRANSACTION_BYTE_FEE = MILLICENTS = 333_333; paid in KSM = (1, Here)
    ("kusama-asset-hub", PARENT, PARENT, 999_999_999 + 35 * 333_333),
    # Polkadot Asset Hub: 3 CENTS, MILLICENTS / 2 = 50_000
    ("polkadot-asset-hub", parachain(1002, parents=1), PARENT, 300_000_000 + 35 * 50_000),
])
def test_delivery_fee_is_exponential_price_of_the_encoded_message(name, dest, asset, expected):
    c = chain(name)
    _, fees = in_block(c, lambda ctx: c.runtime.xcm_router.delivery_fees(ctx, dest, ["ClearOrigin"]))
    assert fees == [{"id": asset, "fun": {"Fungible": expected}}]


def test_fee_factor_multiplies_the_price():
    relay, hub = chain("kusama"), chain("kusama-asset-hub")

    def doubled_dmp(ctx):
        relay.runtime.pallet("Dmp").delivery_fee_factor.put(ctx.state, 1000, 2 * T.FIXED_ONE)
        return relay.runtime.xcm_router.delivery_fees(ctx, parachain(1000), ["ClearOrigin"])

    def xcmp_one_and_a_half(ctx):
        hub.runtime.pallet("XcmpQueue").delivery_fee_factor.put(ctx.state, 1002, 3 * T.FIXED_ONE // 2)
        return (hub.runtime.xcm_router.delivery_fees(ctx, parachain(1002, parents=1), ["ClearOrigin"]),
                hub.runtime.xcm_router.delivery_fees(ctx, parachain(1005, parents=1), ["ClearOrigin"]))

    _, fees = in_block(relay, doubled_dmp)
    assert fees[0]["fun"]["Fungible"] == 2 * (999_999_999 + 35 * 3_333_330)
    _, (to_1002, to_1005) = in_block(hub, xcmp_one_and_a_half)
    assert to_1002[0]["fun"]["Fungible"] == 3 * (999_999_999 + 35 * 333_333) // 2
    assert to_1005[0]["fun"]["Fungible"] == 999_999_999 + 35 * 333_333


# --- SetTopic and the message id -----------------------------------------------------------------

def test_unique_topic_is_appended_and_is_the_message_id(kusama):
    def send_twice(ctx):
        router = kusama.runtime.xcm_router
        return router.send(ctx, parachain(1000), WITHDRAW_KSM), router.send(ctx, parachain(1000), WITHDRAW_KSM)

    block, (first, second) = in_block(kusama, send_twice)
    assert first.message_id != second.message_id          # frame_system::unique moves the entropy on
    sent = T.record_block(kusama.runtime, block.state, block.number)
    T.drain_outbox(kusama.runtime)
    assert [m.message_id for m in sent] == [first.message_id, second.message_id]
    versioned = CODEC.decode(XCM_TYPES.versioned_xcm_unit, sent[0].data)
    assert versioned == {"V5": WITHDRAW_KSM + [{"SetTopic": first.message_id}]}


def test_existing_set_topic_is_kept_not_doubled(kusama):
    topic = bytes([7]) * 32
    program = WITHDRAW_KSM + [{"SetTopic": topic}]
    block, receipt = in_block(kusama, lambda ctx: kusama.runtime.xcm_router.send(ctx, parachain(1000), program))
    assert receipt.message_id == topic
    sent = T.record_block(kusama.runtime, block.state, block.number)
    T.drain_outbox(kusama.runtime)
    assert CODEC.decode(XCM_TYPES.versioned_xcm_unit, sent[-1].data) == {"V5": program}


# --- DMP: relay -> Asset Hub --------------------------------------------------------------------

def test_dmp_queue_head_and_asset_hub_reception():
    relay, hub = chain("kusama"), chain("kusama-asset-hub")
    block, receipt = in_block(relay, lambda ctx: relay.runtime.xcm_router.send(ctx, parachain(1000), WITHDRAW_KSM))
    dmp = relay.runtime.pallet("Dmp")
    queue = dmp.downward_message_queues.get(State(block.state), 1000)
    assert len(queue) == 1 and queue[0]["sent_at"] == block.number
    data = bytes(queue[0]["msg"])
    # head = blake2_256((prev_head, sent_at, blake2_256(msg.encode())))
    expected_head = blake2_256(bytes(32) + block.number.to_bytes(4, "little")
                               + blake2_256(encode_compact(len(data)) + data))
    assert dmp.downward_message_queue_heads.get(State(block.state), 1000) == expected_head
    assert dmq_mqc_link(bytes(32), block.number, data) == expected_head

    sent = relay_to_hub(relay, hub, block)
    assert [(m.kind, m.destination, m.message_id) for m in sent] == [("dmp", ("para", 1000), receipt.message_id)]
    received = hub.build_block()
    evs = events(hub, received)
    assert of(evs, "ParachainSystem", "DownwardMessagesReceived") == [({"ApplyExtrinsic": 0}, {"count": 1})]
    (phase, processed_dmp), = of(evs, "ParachainSystem", "DownwardMessagesProcessed")
    assert phase == {"ApplyExtrinsic": 0} and processed_dmp["dmq_head"] == expected_head
    # enqueue_inbound_downward_messages(1) of asset-hub-kusama: 86_296_804 + 129_363_190 ref_time,
    # 3 reads and 6 writes of InMemoryDbWeight (13_701_000 / 33_060_000), 3517 proof
    assert processed_dmp["weight_used"] == {"ref_time": 86_296_804 + 129_363_190 + 3 * 13_701_000 + 6 * 33_060_000,
                                            "proof_size": 3517}
    (phase, processed), = of(evs, "MessageQueue", "Processed")
    assert phase == "Finalization" and processed["origin"] == "Parent"
    # the barrier refuses a paid-less WithdrawAsset: the id stays blake2_256 of the bytes
    assert processed["id"] == blake2_256(data) and processed["success"] is False
    # the relay prunes what its child processed in its next block
    later = relay.build_block()
    assert dmp.downward_message_queues.get(State(later.state), 1000) == []


def test_teleport_from_relay_is_processed_with_the_sent_message_id():
    relay, hub = chain("kusama"), chain("kusama-asset-hub")

    def teleport(ctx):
        relay.runtime.dispatch(ctx, Origin.signed(ALICE), {"XcmPallet": {"limited_teleport_assets": {
            "dest": {"V5": parachain(1000)}, "beneficiary": {"V5": account32(BOB)},
            "assets": {"V5": [{"id": HERE, "fun": {"Fungible": 10 ** 12}}]},
            "fee_asset_item": 0, "weight_limit": "Unlimited"}}})

    block, _ = in_block(relay, teleport)
    (_, sent_event), = of(events(relay, block), "XcmPallet", "Sent")
    relay_to_hub(relay, hub, block)
    received = hub.build_block()
    (_, processed), = of(events(hub, received), "MessageQueue", "Processed")
    assert processed["id"] == sent_event["message_id"]
    assert processed["success"] is True and processed["weight_used"]["ref_time"] > 0


# --- UMP: Asset Hub -> relay ----------------------------------------------------------------------

def test_ump_events_on_both_sides():
    relay, hub = chain("kusama"), chain("kusama-asset-hub")
    program = [{"WithdrawAsset": [{"id": HERE, "fun": {"Fungible": 10 ** 10}}]}, "ClearOrigin"]
    block, receipt = in_block(hub, lambda ctx: hub.runtime.xcm_router.send(ctx, PARENT, program))
    system = hub.runtime.pallet("ParachainSystem")
    upward = system.upward_messages.get(State(block.state))
    assert len(upward) == 1 and system.pending_upward_messages.get(State(block.state)) == []
    data = bytes(upward[0])
    assert of(events(hub, block), "ParachainSystem", "UpwardMessageSent") == [
        ("Initialization", {"message_hash": blake2_256(data)})]

    sent = T.record_block(hub.runtime, block.state, block.number)
    assert [(m.kind, m.sender, m.destination, m.message_id) for m in sent] == [
        ("ump", ("para", 1000), T.RELAY, receipt.message_id)]
    for m in T.drain_outbox(hub.runtime):
        T.deliver(relay.runtime, m.inbound())
    received = relay.build_block()
    evs = events(relay, received)
    # where paras_inherent would put it: the relay's second inherent
    assert of(evs, "ParaInclusion", "UpwardMessagesReceived") == [({"ApplyExtrinsic": 1}, {"from": 1000, "count": 1})]
    (phase, processed), = of(evs, "MessageQueue", "Processed")
    assert phase == "Finalization" and processed["origin"] == {"Ump": {"Para": 1000}}
    # UpwardMessages are gone once the next Asset Hub block starts
    assert system.upward_messages.get(State(hub.build_block().state)) == []


# --- XCMP: Asset Hub -> sibling --------------------------------------------------------------------

def test_xcmp_page_event_and_sibling_reception():
    hub = chain("kusama-asset-hub")
    sibling = chain("kusama-asset-hub", name="sibling", para_id=1002)
    block, receipt = in_block(hub, lambda ctx: hub.runtime.xcm_router.send(ctx, parachain(1002, parents=1),
                                                                            WITHDRAW_KSM))
    pages = hub.runtime.pallet("ParachainSystem").hrmp_outbound_messages.get(State(block.state))
    assert [p["recipient"] for p in pages] == [1002]
    page = bytes(pages[0]["data"])
    assert page[0] == T.XCMP_CONCATENATED_VERSIONED_XCM
    assert of(events(hub, block), "XcmpQueue", "XcmpMessageSent") == [
        ("Initialization", {"message_hash": blake2_256(page[1:])})]
    sent = T.record_block(hub.runtime, block.state, block.number)
    assert [(m.kind, m.destination, m.message_id) for m in sent] == [("hrmp", ("para", 1002), receipt.message_id)]
    for m in T.drain_outbox(hub.runtime):
        T.deliver(sibling.runtime, m.inbound())
    (phase, processed), = of(events(sibling, sibling.build_block()), "MessageQueue", "Processed")
    assert phase == "Finalization" and processed["origin"] == {"Sibling": 1000}


def test_xcmp_without_channel_is_a_transport_error():
    hub = chain("kusama-asset-hub")
    with pytest.raises(SendFailure) as failure:
        in_block(hub, lambda ctx: hub.runtime.xcm_router.send(ctx, parachain(2004, parents=1), WITHDRAW_KSM))
    assert failure.value.error == "Transport"


# --- MessageQueue processing outcomes --------------------------------------------------------------

def test_undecodable_message_fails_as_corrupt(kusama):
    junk = b"\x05\xff\xff"
    kusama.runtime.xcm_inbox.append(T.InboundMessage("ump", ("para", 1000), junk, 1))
    evs = events(kusama, kusama.build_block())
    assert of(evs, "MessageQueue", "ProcessingFailed") == [
        ("Finalization", {"id": blake2_256(junk), "origin": {"Ump": {"Para": 1000}}, "error": "Corrupt"})]


def test_overweight_message_is_parked_and_queue_state_kept():
    relay = chain("kusama")
    queue = relay.runtime.pallet("MessageQueue")
    queue.EXECUTOR = lambda ctx, origin, message, limit, message_id: Outcome(
        False, {"ref_time": 0, "proof_size": 0}, {"WeightLimitReached": limit}, 0, executed=False,
        message_id=message_id)
    data = CODEC.encode(XCM_TYPES.versioned_xcm_unit, {"V5": ["ClearOrigin"]})
    relay.runtime.xcm_inbox.append(T.InboundMessage("ump", ("para", 1000), data, 1))
    block = relay.build_block()
    assert of(events(relay, block), "MessageQueue", "OverweightEnqueued") == [
        ("Finalization", {"id": blake2_256(data), "origin": {"Ump": {"Para": 1000}}, "page_index": 0,
                          "message_index": 0})]
    book = queue.book_state_for.get(State(block.state), {"Ump": {"Para": 1000}})
    assert (book["message_count"], book["begin"], book["end"]) == (1, 1, 1)   # stale, not ready
    assert queue.service_head.get(State(block.state)) is None


def test_executor_sees_origin_and_message_of_each_queue():
    hub = chain("kusama-asset-hub")
    seen = []

    def fake(ctx, origin, message, limit, message_id):
        seen.append((origin, message, message_id))
        return Outcome(True, {"ref_time": 5, "proof_size": 6}, message_id=bytes([9]) * 32)

    hub.runtime.pallet("MessageQueue").EXECUTOR = fake
    data = CODEC.encode(XCM_TYPES.versioned_xcm_unit, {"V4": ["ClearOrigin"]})
    T.deliver(hub.runtime, T.InboundMessage("hrmp", ("para", 2000), data, 3))
    evs = events(hub, hub.build_block())
    assert seen == [(parachain(2000, parents=1), ["ClearOrigin"], blake2_256(data))]
    assert of(evs, "MessageQueue", "Processed") == [("Finalization", {
        "id": bytes([9]) * 32, "origin": {"Sibling": 2000}, "weight_used": {"ref_time": 5, "proof_size": 6},
        "success": True})]


# --- pallet-assets ----------------------------------------------------------------------------------

def assets_ctx(hub: Chain):
    rt = hub.runtime
    return rt.new_ctx(State(dict(hub.head().state)), hub.head().number + 1), rt.pallet("Assets")


def test_asset_min_balance_sufficiency_and_events():
    hub = chain("kusama-asset-hub")
    ctx, assets = assets_ctx(hub)
    system = hub.runtime.pallet("System")
    assets.call_force_create(ctx, Origin("root"), 7, {"Id": ALICE}, False, 1000)
    assets.call_force_create(ctx, Origin("root"), 8, {"Id": ALICE}, True, 1000)
    with pytest.raises(DispatchError) as below:
        assets.mint_into(ctx, 7, ALICE, 999)
    assert below.value.label == "Token.BelowMinimum"
    with pytest.raises(DispatchError) as cannot:
        assets.mint_into(ctx, 7, NOBODY, 5000)           # not sufficient and NOBODY has no providers
    assert cannot.value.label == "Token.CannotCreate"

    assets.mint_into(ctx, 8, NOBODY, 5000)               # sufficient: the asset account creates the account
    info = system.account.get(ctx.state, NOBODY)
    assert (info["providers"], info["sufficients"]) == (0, 1)
    assert assets.asset.get(ctx.state, 8)["sufficients"] == 1
    assert assets.total_issuance(ctx, 8) == 5000

    burnt = assets.burn_from(ctx, 8, NOBODY, 4500)       # 500 left < min_balance: the dust goes too
    assert burnt == 5000 and assets.balance(ctx, 8, NOBODY) == 0 and assets.total_issuance(ctx, 8) == 0
    assert not system.account.exists(ctx.state, NOBODY)
    evs = [e["event"] for e in system.events_item.get(ctx.state)]
    assert {"System": {"NewAccount": {"account": NOBODY}}} in evs
    assert {"System": {"KilledAccount": {"account": NOBODY}}} in evs
    assert {"Assets": {"Issued": {"asset_id": 8, "owner": NOBODY, "amount": 5000}}} in evs
    assert {"Assets": {"Burned": {"asset_id": 8, "owner": NOBODY, "balance": 5000}}} in evs
    assert {"Assets": {"ForceCreated": {"asset_id": 7, "owner": ALICE}}} in evs


def test_asset_consumer_reference_and_keep_alive_transfer():
    hub = chain("kusama-asset-hub")
    ctx, assets = assets_ctx(hub)
    system = hub.runtime.pallet("System")
    assets.call_force_create(ctx, Origin("root"), 7, {"Id": ALICE}, False, 1000)
    consumers = system.account.get(ctx.state, ALICE)["consumers"]
    assets.call_mint(ctx, Origin.signed(ALICE), 7, {"Id": ALICE}, 3000)
    assert system.account.get(ctx.state, ALICE)["consumers"] == consumers + 1
    with pytest.raises(DispatchError) as low:
        assets.call_transfer_keep_alive(ctx, Origin.signed(ALICE), 7, {"Id": BOB}, 2500)
    assert low.value.label == "Assets.BalanceLow"
    assets.call_transfer(ctx, Origin.signed(ALICE), 7, {"Id": BOB}, 3000)
    assert assets.balance(ctx, 7, BOB) == 3000 and not assets.account.exists(ctx.state, 7, ALICE)
    assert system.account.get(ctx.state, ALICE)["consumers"] == consumers
    with pytest.raises(DispatchError) as not_issuer:
        assets.call_mint(ctx, Origin.signed(BOB), 7, {"Id": BOB}, 3000)
    assert not_issuer.value.label == "Assets.NoPermission"


def test_bridged_native_asset_exists_at_genesis():
    hub = chain("kusama-asset-hub")
    foreign = hub.runtime.pallet("ForeignAssets")
    dot = location(2, [{"GlobalConsensus": "Polkadot"}])
    details = foreign.asset.get(State(hub.head().state), dot)
    expected = bridged_native_asset("Kusama")
    assert expected.location == dot
    assert (details["owner"], details["is_sufficient"], details["min_balance"], details["status"]) == (
        expected.owner, True, 1000, "Live")
    # the owner is the Polkadot Asset Hub's sovereign account on Kusama Asset Hub:
    # blake2_256("glblcnsnss/prchn_" ++ NetworkId::Polkadot (index 2) ++ 1000u32)
    assert expected.owner == blake2_256(b"glblcnsnss/prchn_" + bytes([2]) + (1000).to_bytes(4, "little"))
    ctx = hub.runtime.new_ctx(State(dict(hub.head().state)), 1)
    foreign.mint_into(ctx, dot, NOBODY, 10 ** 10)      # sufficient: a fresh account can receive it
    assert foreign.balance(ctx, dot, NOBODY) == 10 ** 10


# --- metadata --------------------------------------------------------------------------------------

def test_metadata_lists_the_transport_pallets_at_their_indices():
    from scalecodec.base import RuntimeConfiguration, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset
    expected = {"kusama": {"ParaInclusion": 53, "Dmp": 58, "Hrmp": 60, "MessageQueue": 100},
                "polkadot-asset-hub": {"ParachainSystem": 1, "ParachainInfo": 4, "XcmpQueue": 30,
                                       "MessageQueue": 35, "Assets": 50, "ForeignAssets": 53}}
    for name, pallets in expected.items():
        rt = build_runtime(default_config(name))
        rc = RuntimeConfiguration()
        rc.update_type_registry(load_type_registry_preset("core"))
        md = rc.create_scale_object("MetadataVersioned", data=ScaleBytes(rt.metadata(14)))
        md.decode()
        found = {p["name"]: p["index"] for p in md.value[1]["V14"]["pallets"]}
        assert {p: found.get(p) for p in pallets} == pallets


def test_inspect_message_queues_lists_what_is_queued_for_dry_runs():
    hub = chain("kusama-asset-hub")
    ctx = hub.runtime.new_ctx(State(dict(hub.head().state)), 1)
    ump = hub.runtime.xcm_router.send(ctx, PARENT, ["ClearOrigin"])
    hrmp = hub.runtime.xcm_router.send(ctx, parachain(1002, parents=1), ["ClearOrigin"])
    assert T.inspect_message_queues(hub.runtime, ctx.state) == [
        (PARENT, [{"V5": ["ClearOrigin", {"SetTopic": ump.message_id}]}]),
        (parachain(1002, parents=1), [{"V5": ["ClearOrigin", {"SetTopic": hrmp.message_id}]}]),
    ]
