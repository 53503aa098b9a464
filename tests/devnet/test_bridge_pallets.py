"""The Bridge Hub pallets in two small runtimes, relayed end to end by the in-process relayer.

The chains here are stand-ins for chain.Chain (head(), block_by_hash(), a runtime, blocks whose
state is the flattened storage) so the bridge can be exercised before the devnet network wires
Bridge Hubs in: each relay block "includes" its Bridge Hub's latest head in Paras.Heads, as the
relayer expects a relay to do.
"""
from __future__ import annotations

import pytest

from harness.devnet.bridge import lanes
from harness.devnet.bridge.accounts import rewards_account
from harness.devnet.bridge.compose import bridge_hub_genesis
from harness.devnet.bridge.constants import LEGACY_LANE, MAXIMAL_MESSAGE_SIZE, RELAYERS_INDEX, XCM_BRIDGE_HUB_INDEX
from harness.devnet.bridge.finality import paras_heads_key
from harness.devnet.bridge.relayer import Leg, Relayer
from harness.devnet.hashing import blake2_256
from harness.devnet.node import Block
from harness.devnet.runtime.balances import Balances
from harness.devnet.runtime.frame import DispatchError, Origin, State
from harness.devnet.runtime.runtime import ChainConfig, Runtime
from harness.devnet.runtime.system import System
from harness.devnet.runtimes import bridge_hub as bridge_hub_kind
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.executor import XcmFailure

OWNER, RELAYER, USER = b"\x0a" * 32, b"\x0b" * 32, b"\x0c" * 32
ASSET_HUB = L.parachain(1000, parents=1)
TOPIC = b"\x42" * 32
PROGRAM = ["ClearOrigin", {"SetTopic": TOPIC}]


class FakeRouter:
    def __init__(self):
        self.sent: list[tuple[dict, list]] = []

    def send(self, ctx, dest, message):
        self.sent.append((dest, message))


class FakeChain:
    """Blocks over one runtime; `build(work)` runs work(ctx) inside the next block."""

    def __init__(self, runtime: Runtime, genesis: dict):
        self.runtime = runtime
        state = State()
        ctx = runtime.new_ctx(state, 0)
        for pallet in runtime.pallets:
            pallet.genesis(ctx, genesis)
        self.blocks = [self._seal(0, bytes(32), state.flattened())]
        self.by_hash = {self.blocks[0].hash: self.blocks[0]}

    def _seal(self, number: int, parent: bytes, flat: dict) -> Block:
        reg, t = self.runtime.registry, self.runtime.types
        header = {"parent_hash": parent, "number": number,
                  "state_root": blake2_256(b"".join(k + v for k, v in sorted(flat.items()))),
                  "extrinsics_root": bytes(32), "digest": {"logs": []}}
        raw = reg.encode(t.header, header)
        return Block(number, blake2_256(raw), parent, raw, {}, [], state=flat)

    def head(self) -> Block:
        return self.blocks[-1]

    def block_by_hash(self, block_hash: bytes) -> Block:
        return self.by_hash[block_hash]

    def build(self, work=None) -> Block:
        parent = self.head()
        state = State(dict(parent.state))
        ctx = self.runtime.new_ctx(state, parent.number + 1)
        self.runtime.pallet("System").initialize(ctx, parent.number + 1, parent.hash, {"logs": []})
        for pallet in self.runtime.pallets:
            pallet.on_initialize(ctx)
        if work is not None:
            work(ctx)
        block = self._seal(parent.number + 1, parent.hash, state.flattened())
        self.blocks.append(block)
        self.by_hash[block.hash] = block
        return block

    def events(self, block: Block | None = None) -> list:
        records = self.runtime.pallet("System").events_item.get(_View((block or self.head()).state))
        return [r["event"] for r in records]

    def read(self, pallet: str, item: str, *keys):
        return getattr(self.runtime.pallet(pallet), item).get(_View(self.head().state), *keys)


class _View:
    def __init__(self, flat):
        self.flat = flat

    def get(self, key):
        return self.flat.get(key)


def bridge_hub(network: str) -> FakeChain:
    crate = f"bridge_hub_{network.lower()}_runtime"
    config = ChainConfig(f"bridge-hub-{network.lower()}", f"{network} BridgeHub", f"bridge-hub-{network.lower()}",
                         crate, 2_003_000, 6, 2 if network == "Kusama" else 0, 12, "KSM", network, para_id=1002,
                         existential_deposit=1_000)
    bridge_pallets = [(cls, i) for cls, i in bridge_hub_kind.pallets(config)
                      if RELAYERS_INDEX <= i <= XCM_BRIDGE_HUB_INDEX]
    runtime = Runtime(config, [(System, 0), (Balances, 10)] + bridge_pallets, False)
    side_router = FakeRouter()
    runtime.pallet(f"XcmOverBridgeHub{'Polkadot' if network == 'Kusama' else 'Kusama'}").router = side_router
    runtime.test_router = side_router
    genesis = {"balances": [(OWNER, 10 ** 15), (RELAYER, 10 ** 15), (USER, 10 ** 15)],
               **bridge_hub_genesis(network, OWNER)}
    return FakeChain(runtime, genesis)


def relay(network: str) -> FakeChain:
    config = ChainConfig(network.lower(), network, network.lower(), f"{network.lower()}_runtime", 2_003_000, 26,
                         2, 12, "KSM", network)
    return FakeChain(Runtime(config, [(System, 0)], False), {})


class Network:
    """Two relays with their Bridge Hubs; `include()` puts each Bridge Hub's head into its relay."""

    def __init__(self):
        self.chains = {"kusama": relay("Kusama"), "polkadot": relay("Polkadot"),
                       "bridge-hub-kusama": bridge_hub("Kusama"), "bridge-hub-polkadot": bridge_hub("Polkadot")}
        self.relayer = Relayer(self.chains, RELAYER)

    def __getitem__(self, name: str) -> FakeChain:
        return self.chains[name]

    def include(self) -> None:
        for relay_name, bh in (("kusama", "bridge-hub-kusama"), ("polkadot", "bridge-hub-polkadot")):
            head = self[bh].head().header
            rt = self[relay_name].runtime
            self[relay_name].build(lambda ctx, h=head, r=rt: ctx.state.set(
                paras_heads_key(1002), r.registry.encode(r.types.bytes, h)))

    def relay_round(self) -> None:
        """Relay heads include the Bridge Hubs, the relayer plans, each Bridge Hub runs its calls."""
        self.include()
        self.relayer.step()
        for bh in ("bridge-hub-kusama", "bridge-hub-polkadot"):
            if self.relayer.has_work(bh):
                self[bh].build(lambda ctx, name=bh: self.relayer.execute(name, ctx))

    def export(self, amount_of_messages: int = 1, origin: dict = ASSET_HUB) -> list:
        pallet = self["bridge-hub-kusama"].runtime.pallet("XcmOverBridgeHubPolkadot")
        results = []
        self["bridge-hub-kusama"].build(lambda ctx: results.extend(
            pallet.export_message(ctx, origin, "Polkadot", {"X1": [{"Parachain": 1000}]}, PROGRAM)
            for _ in range(amount_of_messages)))
        return results


@pytest.fixture
def net() -> Network:
    return Network()


def named(events: list, pallet: str) -> list:
    return [e[pallet] for e in events if pallet in e]


# --- genesis and the messages pallet ----------------------------------------------------------

def test_genesis_opens_the_legacy_lane_and_bridge(net):
    bh = net["bridge-hub-kusama"]
    assert bh.read("BridgePolkadotMessages", "outbound", LEGACY_LANE) == lanes.opened_outbound()
    assert bh.read("BridgePolkadotMessages", "inbound", LEGACY_LANE) == lanes.opened_inbound()
    assert bh.read("BridgePolkadotMessages", "owner") == OWNER
    bid, bridge = bh.runtime.pallet("XcmOverBridgeHubPolkadot").bridge_of_lane(_View(bh.head().state), LEGACY_LANE)
    assert bridge["state"] == "Opened" and bridge["lane_id"] == LEGACY_LANE
    assert bridge["bridge_destination_universal_location"] == {
        "V5": {"X2": [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}]}}
    assert [p.index for p in bh.runtime.pallets[2:]] == [50, 51, 52, 53, 54]


def test_export_stores_the_message_on_the_lane(net):
    assert net.export(2) == [[], []]
    bh = net["bridge-hub-kusama"]
    accepted = named(bh.events(), "BridgePolkadotMessages")
    assert accepted == [{"MessageAccepted": {"lane_id": LEGACY_LANE, "nonce": 1}},
                        {"MessageAccepted": {"lane_id": LEGACY_LANE, "nonce": 2}}]
    assert bh.read("BridgePolkadotMessages", "outbound", LEGACY_LANE)["latest_generated_nonce"] == 2
    stored = bh.read("BridgePolkadotMessages", "messages", {"lane_id": LEGACY_LANE, "nonce": 1})
    blob = bh.runtime.registry.decode(bh.runtime.types.bytes, stored)
    assert blob[:1] == b"\x05"


def test_export_from_an_unknown_origin_or_network_is_unroutable(net):
    pallet = net["bridge-hub-kusama"].runtime.pallet("XcmOverBridgeHubPolkadot")
    for origin, network in ((L.parachain(2000, parents=1), "Polkadot"), (ASSET_HUB, "Kusama")):
        with pytest.raises(XcmFailure, match="Unroutable"):
            net["bridge-hub-kusama"].build(lambda ctx: pallet.export_message(
                ctx, origin, network, {"X1": [{"Parachain": 1000}]}, PROGRAM))


@pytest.mark.parametrize("mode", [{"Basic": "Halted"}, "RejectingOutboundMessages"])
def test_operating_modes_stop_exports(net, mode):
    bh = net["bridge-hub-kusama"]
    messages = bh.runtime.pallet("BridgePolkadotMessages")
    call = {"BridgePolkadotMessages": {"set_operating_mode": {"operating_mode": mode}}}
    with pytest.raises(DispatchError, match="BadOrigin"):
        bh.build(lambda ctx: bh.runtime.dispatch(ctx, Origin.signed(USER), call))
    bh.build(lambda ctx: bh.runtime.dispatch(ctx, Origin.signed(OWNER), call))
    assert bh.read("BridgePolkadotMessages", "operating_mode") == mode
    with pytest.raises(XcmFailure, match="Transport"):
        net.export()
    with pytest.raises(DispatchError, match="NotOperatingNormally"):
        bh.build(lambda ctx: messages.validate_message(ctx, LEGACY_LANE, b"\x00"))


def test_halted_pallet_refuses_deliveries_and_the_relayer_waits(net):
    target = net["bridge-hub-polkadot"]
    call = {"BridgeKusamaMessages": {"set_operating_mode": {"operating_mode": {"Basic": "Halted"}}}}
    target.build(lambda ctx: target.runtime.dispatch(ctx, Origin("root"), call))
    deliver = {"BridgeKusamaMessages": {"receive_messages_proof": {
        "relayer_id_at_bridged_chain": USER, "proof": {}, "messages_count": 1,
        "dispatch_weight": {"ref_time": 0, "proof_size": 0}}}}
    with pytest.raises(DispatchError, match="BridgeModule"):  # ensure_not_halted comes first
        target.build(lambda ctx: target.runtime.dispatch(ctx, Origin.signed(USER), deliver))
    net.export()
    net.relay_round()
    # substrate-relay does not deliver into a halted pallet: nothing planned, nothing failed, the message waits
    assert (net.relayer.state().calls_planned, net.relayer.state().failures) == (0, [])
    assert net.relayer.state().lanes["Kusama->Polkadot"] == {"generated": 1, "delivered": 0, "confirmed": 0}
    normal = {"BridgeKusamaMessages": {"set_operating_mode": {"operating_mode": {"Basic": "Normal"}}}}
    target.build(lambda ctx: target.runtime.dispatch(ctx, Origin("root"), normal))
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"]["delivered"] == 1


def test_oversized_payload_is_rejected_by_the_pallet(net):
    messages = net["bridge-hub-kusama"].runtime.pallet("BridgePolkadotMessages")
    with pytest.raises(DispatchError, match="MessageRejectedByPallet") as err:
        net["bridge-hub-kusama"].build(lambda ctx: messages.validate_message(
            ctx, LEGACY_LANE, b"\x00" * (MAXIMAL_MESSAGE_SIZE + 1)))
    assert err.value.value["Module"] == {"index": 53, "error": bytes([2, 6, 0, 0])}   # MessageTooLarge
    net["bridge-hub-kusama"].build(lambda ctx: messages.validate_message(ctx, LEGACY_LANE, b"\x00" * 1024))


# --- relaying ------------------------------------------------------------------------------------

def test_message_is_delivered_dispatched_and_confirmed(net):
    net.export()
    net.relay_round()                                      # finality + delivery on Polkadot BH
    target = net["bridge-hub-polkadot"]
    events = target.events()
    assert [next(iter(e)) for e in named(events, "BridgeKusamaGrandpa")] == []   # initialized, no event
    assert named(events, "BridgeKusamaParachains")[0]["UpdatedParachainHead"]["parachain"] == 1002
    received = named(events, "BridgeKusamaMessages")
    assert received == [{"MessagesReceived": {"lane": LEGACY_LANE, "receive_results": [
        [1, {"Dispatched": {"unspent_weight": {"ref_time": 0, "proof_size": 0},
                            "dispatch_level_result": "Dispatched"}}]]}}]
    dest, message = target.runtime.test_router.sent[0]
    assert dest == ASSET_HUB
    assert message[:3] == [{"DescendOrigin": {"X1": [{"PalletInstance": 53}]}},
                           {"UniversalOrigin": {"GlobalConsensus": "Kusama"}},
                           {"DescendOrigin": {"X1": [{"Parachain": 1000}]}}]
    inbound = target.read("BridgeKusamaMessages", "inbound", LEGACY_LANE)
    assert inbound["relayers"] == [{"relayer": RELAYER, "messages": {"begin": 1, "end": 1}}]

    net.relay_round()                                      # confirmation on Kusama BH
    source = net["bridge-hub-kusama"]
    assert named(source.events(), "BridgePolkadotMessages") == [
        {"MessagesDelivered": {"lane_id": LEGACY_LANE, "messages": {"begin": 1, "end": 1}}}]
    params = {"owner": "BridgedChain", "bridged_chain_id": b"bhpd", "lane_id": LEGACY_LANE}
    assert named(source.events(), "BridgeRelayers") == [
        {"RewardRegistered": {"relayer": RELAYER, "reward_kind": params, "reward_balance": 10 ** 8}}]
    assert source.read("BridgeRelayers", "rewards", RELAYER, params) == 10 ** 8
    out = source.read("BridgePolkadotMessages", "outbound", LEGACY_LANE)
    assert (out["latest_received_nonce"], out["oldest_unpruned_nonce"]) == (1, 2)
    assert source.read("BridgePolkadotMessages", "messages", {"lane_id": LEGACY_LANE, "nonce": 1}) is None
    assert net.relayer.state().lanes["Kusama->Polkadot"] == {"generated": 1, "delivered": 1, "confirmed": 1}


def test_rewards_are_claimed_from_the_lane_rewards_account(net):
    net.export()
    net.relay_round()
    net.relay_round()
    source = net["bridge-hub-kusama"]
    params = {"owner": "BridgedChain", "bridged_chain_id": b"bhpd", "lane_id": LEGACY_LANE}
    balances = source.runtime.pallet("Balances")
    claim = {"BridgeRelayers": {"claim_rewards": {"reward_kind": params}}}
    with pytest.raises(DispatchError, match="FailedToPayReward"):        # the rewards account is empty
        source.build(lambda ctx: source.runtime.dispatch(ctx, Origin.signed(RELAYER), claim))
    pot = rewards_account(LEGACY_LANE, b"bhpd", "BridgedChain")
    source.build(lambda ctx: balances.transfer(ctx, OWNER, pot, 10 ** 10, "expendable"))
    before = balances.free_balance(_View(source.head().state), RELAYER)
    source.build(lambda ctx: source.runtime.dispatch(ctx, Origin.signed(RELAYER), claim))
    assert balances.free_balance(_View(source.head().state), RELAYER) == before + 10 ** 8
    assert source.read("BridgeRelayers", "rewards", RELAYER, params) is None
    with pytest.raises(DispatchError, match="NoRewardForRelayer"):
        source.build(lambda ctx: source.runtime.dispatch(ctx, Origin.signed(RELAYER), claim))


def test_polkadot_side_keys_rewards_by_bridge_reward(net):
    net["bridge-hub-polkadot"].build(lambda ctx: net["bridge-hub-polkadot"].runtime.pallet(
        "XcmOverBridgeHubKusama").export_message(ctx, ASSET_HUB, "Kusama", {"X1": [{"Parachain": 1000}]}, PROGRAM))
    net.relay_round()
    net.relay_round()
    params = {"owner": "BridgedChain", "bridged_chain_id": b"bhks", "lane_id": LEGACY_LANE}
    reward = net["bridge-hub-polkadot"].read("BridgeRelayers", "rewards", RELAYER, {"PolkadotKusamaBridge": params})
    assert reward == 5 * 10 ** 6


def test_forged_proofs_are_refused(net):
    net.export()
    net.include()
    net.relayer.step()
    target = net["bridge-hub-polkadot"]
    calls = net.relayer._planned["bridge-hub-polkadot"]
    proof = calls[-1][0]["BridgeKusamaMessages"]["receive_messages_proof"]["proof"]
    proof["bridged_header_hash"] = b"\x99" * 32            # a head the target never imported
    target.build(lambda ctx: net.relayer.execute("bridge-hub-polkadot", ctx))
    assert net.relayer.state().failures == ["bridge-hub-polkadot: BridgeKusamaMessages.InvalidMessagesProof"]
    assert named(target.events(), "BridgeKusamaMessages") == []


# --- relayer controls ------------------------------------------------------------------------------

def test_paused_relayer_lets_the_outbound_nonce_run_ahead(net):
    net.relayer.pause()
    net.export(3)
    net.relay_round()
    state = net.relayer.state()
    assert state.paused and state.lanes["Kusama->Polkadot"] == {"generated": 3, "delivered": 0, "confirmed": 0}
    net.relayer.resume()
    net.relay_round()
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"] == {"generated": 3, "delivered": 3, "confirmed": 3}


def test_delay_holds_messages_for_n_source_blocks(net):
    net.relayer.delay(2)
    net.export()
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"]["delivered"] == 0
    net["bridge-hub-kusama"].build()
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"]["delivered"] == 0
    net["bridge-hub-kusama"].build()
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"]["delivered"] == 1
    with pytest.raises(ValueError):
        net.relayer.delay(-1)


def test_legs_are_configurable(net):
    only_kusama = Relayer(net.chains, RELAYER, legs=[
        Leg("bridge-hub-kusama", "kusama", "bridge-hub-polkadot", "polkadot", "Kusama")])
    assert list(only_kusama.state().lanes) == ["Kusama->Polkadot"]


# --- congestion --------------------------------------------------------------------------------

def test_a_long_queue_suspends_the_bridge_and_delivery_resumes_it(net, monkeypatch):
    from harness.devnet.bridge import xcm_bridge_hub
    monkeypatch.setattr(xcm_bridge_hub, "OUTBOUND_LANE_CONGESTED_THRESHOLD", 2)
    monkeypatch.setattr(xcm_bridge_hub, "OUTBOUND_LANE_UNCONGESTED_THRESHOLD", 1)
    source = net["bridge-hub-kusama"]
    pallet = source.runtime.pallet("XcmOverBridgeHubPolkadot")
    net.export(3)
    bid, bridge = pallet.bridge_of_lane(_View(source.head().state), LEGACY_LANE)
    assert bridge["state"] == "Suspended"
    dest, message = source.runtime.test_router.sent[-1]
    assert dest == ASSET_HUB
    # Transact(ToPolkadotXcmRouter::report_bridge_status { bridge_id, is_congested: true })
    assert message[1]["Transact"]["call"]["encoded"] == bytes([34, 0]) + bid + b"\x01"
    assert message[1]["Transact"]["origin_kind"] == "Xcm"
    net.export()                                   # a suspended bridge still accepts messages
    assert source.read("BridgePolkadotMessages", "outbound", LEGACY_LANE)["latest_generated_nonce"] == 4
    net.relay_round()
    net.relay_round()
    assert pallet.bridge_of_lane(_View(source.head().state), LEGACY_LANE)[1]["state"] == "Opened"
    assert source.runtime.test_router.sent[-1][1][1]["Transact"]["call"]["encoded"] == bytes([34, 0]) + bid + b"\x00"


def test_congested_channel_to_the_asset_hub_pauses_dispatch(net):
    target = net["bridge-hub-polkadot"]
    bridge = target.runtime.pallet("XcmOverBridgeHubKusama")
    bridge.channel_congested = lambda ctx, location: location == ASSET_HUB
    net.export()
    net.relay_round()
    assert net.relayer.state().failures == ["bridge-hub-polkadot: BridgeKusamaMessages.LanesManager"]
    bridge.channel_congested = lambda ctx, location: False
    net.relay_round()
    assert net.relayer.state().lanes["Kusama->Polkadot"]["delivered"] == 1


@pytest.mark.parametrize("change, error", [
    ({"dispatch_weight": {"ref_time": 10, "proof_size": 10}}, "InsufficientDispatchWeight"),
    ({"messages_count": 2025}, "TooManyMessagesInTheProof"),
    ({"messages_count": 2}, "InvalidMessagesProof"),                  # the proof holds one message
])
def test_delivery_call_checks(net, change, error):
    net.export()
    net.include()
    net.relayer.step()
    call = net.relayer._planned["bridge-hub-polkadot"][-1][0]["BridgeKusamaMessages"]["receive_messages_proof"]
    call.update(change)
    net["bridge-hub-polkadot"].build(lambda ctx: net.relayer.execute("bridge-hub-polkadot", ctx))
    assert net.relayer.state().failures == [f"bridge-hub-polkadot: BridgeKusamaMessages.{error}"]


def test_grandpa_pallet_checks_what_the_emulation_can_check(net):
    net.export()
    net.relay_round()
    target = net["bridge-hub-polkadot"]
    runtime = target.runtime
    kusama = net["kusama"]
    old = runtime.registry.decode(runtime.types.header, kusama.head().header)
    net.include()
    new = runtime.registry.decode(runtime.types.header, kusama.head().header)

    def submit(header, target_hash, set_id=0):
        commit = {"target_hash": target_hash, "target_number": header["number"], "precommits": []}
        call = {"BridgeKusamaGrandpa": {"submit_finality_proof_ex": {
            "finality_target": header, "justification": {"round": 0, "commit": commit, "votes_ancestries": []},
            "current_set_id": set_id, "is_free_execution_expected": False}}}
        target.build(lambda ctx: runtime.dispatch(ctx, Origin.signed(RELAYER), call))

    with pytest.raises(DispatchError, match="OldHeader"):
        submit(old, kusama.blocks[-2].hash)
    with pytest.raises(DispatchError, match="InvalidJustification"):
        submit(new, b"\x00" * 32)
    with pytest.raises(DispatchError, match="InvalidAuthoritySetId"):
        submit(new, kusama.head().hash, set_id=1)
    init = {"BridgeKusamaGrandpa": {"initialize": {"init_data": {
        "header": new, "authority_list": [], "set_id": 0, "operating_mode": "Normal"}}}}
    with pytest.raises(DispatchError, match="AlreadyInitialized"):
        target.build(lambda ctx: runtime.dispatch(ctx, Origin("root"), init))
    submit(new, kusama.head().hash)
    grandpa = runtime.pallet("BridgeKusamaGrandpa")
    assert grandpa.best_finalized(_View(target.head().state)) == (new["number"], kusama.head().hash)
    force = {"BridgeKusamaGrandpa": {"force_set_pallet_state": {
        "new_current_set_id": 7, "new_authorities": [[b"\x01" * 32, 1]], "new_best_header": old}}}
    with pytest.raises(DispatchError, match="BadOrigin"):
        target.build(lambda ctx: runtime.dispatch(ctx, Origin.signed(RELAYER), force))
    target.build(lambda ctx: runtime.dispatch(ctx, Origin.signed(OWNER), force))
    assert target.read("BridgeKusamaGrandpa", "authorities")["set_id"] == 7


def test_dev_rpcs_drive_the_relayer(net):
    from harness.devnet.bridge import control
    assert control.call(net.relayer, "dev_relayerPause", []) is None
    net.export()
    net.relay_round()
    state = control.call(net.relayer, "dev_relayerState", [])
    assert state["paused"] is True and state["lanes"]["Kusama->Polkadot"]["delivered"] == 0
    for bad in ([], [-1], [True], ["2"], [1, 2]):
        with pytest.raises(ValueError):
            control.call(net.relayer, "dev_relayerDelay", bad)
    with pytest.raises(ValueError):
        control.call(net.relayer, "dev_relayerResume", [1])
    control.call(net.relayer, "dev_relayerDelay", [0])
    control.call(net.relayer, "dev_relayerResume", [])
    net.relay_round()
    assert control.call(net.relayer, "dev_relayerState", [])["lanes"]["Kusama->Polkadot"]["delivered"] == 1
    with pytest.raises(KeyError):
        control.call(net.relayer, "dev_relayerStop", [])
