"""KSM and DOT across the Polkadot <> Kusama bridge, end to end, in the running devnet process.

One `python -m harness.devnet` process serves the six chains of networks/kusama-polkadot.yaml;
substrate-interface signs and submits on the Asset Hubs and reads every chain. The devnet runs in
instant mode: the submitting RPC call returns once every hop (XCMP to the Bridge Hub, export,
relaying, dispatch, XCMP to the other Asset Hub, confirmation) has been built into blocks. Each
test runs between a devnet-wide dev_snapshot and dev_revert.

What is asserted follows the upstream tests (F = polkadot-fellows/runtimes
integration-tests/bridges and emulated/tests/bridges): the reserve account's delta is exact
(+amount out, -amount back), the receiver's credit is bounded by the execution fee, and the
events are checked hop by hop with the message id correlating them.
"""
from __future__ import annotations

import hashlib
import json
import signal
import subprocess
import sys
from dataclasses import dataclass

import pytest
from substrateinterface import Keypair, SubstrateInterface

from harness.devnet.assets.pools import bridged_pool
from harness.settings import PROJECT_ROOT

NETWORK = PROJECT_ROOT / "harness" / "networks" / "kusama-polkadot.yaml"
TIMEOUT = 60.0
KSM, DOT = 10 ** 12, 10 ** 10
LANE = "0x00000001"
NETWORK_ID = {"Polkadot": 2, "Kusama": 3}          # v5 NetworkId variant indices
RELAYER = Keypair.create_from_uri("//Charlie")     # the devnet relayer's signer
ALICE, BOB = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


def remote_sovereign(network: str, para_id: int = 1000) -> str:
    """The account holding what (2, [GlobalConsensus(network), Parachain(id)]) owns here
    (GlobalConsensusParachainConvertsFor / ExternalConsensusLocationsConverterFor)."""
    return "0x" + blake2_256(b"glblcnsnss/prchn_" + bytes([NETWORK_ID[network]]) + para_id.to_bytes(4, "little")).hex()


def bridged(network: str) -> dict:
    return {"parents": 2, "interior": {"X1": [{"GlobalConsensus": network}]}}


def asset_hub(network: str) -> dict:
    return {"parents": 2, "interior": {"X2": [{"GlobalConsensus": network}, {"Parachain": 1000}]}}


def forward_id_for(topic: bytes) -> bytes:
    """universal_exports::forward_id_for: the id of the message that carries an export."""
    return blake2_256(b"forward_id_for" + topic)


# --------------------------------------------------------------------------- the devnet


class Chain:
    """One chain of the devnet, through substrate-interface."""

    def __init__(self, name: str, url: str):
        self.name = name
        self.api = SubstrateInterface(url=url, ws_options={"timeout": TIMEOUT})

    def head(self) -> int:
        return self.api.get_block_header()["header"]["number"]

    def events_since(self, number: int) -> list[tuple[str, str, dict]]:
        """(pallet, event, attributes) of the blocks after `number`, System events left out."""
        out = []
        for n in range(number + 1, self.head() + 1):
            for record in self.api.get_events(self.api.get_block_hash(n)):
                event = record.value["event"]
                if event["module_id"] != "System":
                    out.append((event["module_id"], event["event_id"], event["attributes"]))
        return out

    def address(self, key: Keypair) -> str:
        """The account as this chain's events show it (its ss58 format)."""
        return self.api.ss58_encode(key.public_key)

    def free(self, account: str) -> int:
        return self.api.query("System", "Account", [account]).value["data"]["free"]

    def foreign(self, asset: dict, account: str) -> int:
        entry = self.api.query("ForeignAssets", "Account", [asset, account]).value
        return entry["balance"] if entry else 0

    def submit(self, signer: Keypair, pallet: str, call: str, params: dict):
        receipt = self.api.submit_extrinsic(
            self.api.create_signed_extrinsic(self.api.compose_call(pallet, call, params), signer),
            wait_for_inclusion=True)
        assert receipt.is_success, receipt.error_message
        return receipt

    def rpc(self, method: str, params: list | None = None):
        reply = self.api.rpc_request(method, params or [])
        assert "result" in reply, reply
        return reply["result"]


@pytest.fixture(scope="module")
def net():
    proc = subprocess.Popen([sys.executable, "-m", "harness.devnet", "--network", str(NETWORK)],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    try:
        ready = json.loads(proc.stdout.readline() or "{}")
        assert ready.get("event") == "ready", f"the devnet did not start (exit code {proc.poll()})"
        chains = {name: Chain(name, url) for name, url in ready["endpoints"].items()}
        yield chains
        for chain in chains.values():
            chain.api.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=TIMEOUT)


@pytest.fixture
def devnet(net):
    """Each test from the same state; the relayer's controls (not chain state) are reset too."""
    snapshot = net["kusama"].rpc("dev_snapshot")
    yield net
    net["kusama"].rpc("dev_relayerResume")
    net["kusama"].rpc("dev_relayerDelay", [0])
    net["kusama"].rpc("dev_revert", [snapshot])


@dataclass
class Transfer:
    """One reserve transfer over the bridge, and what every chain did after it."""

    amount: int
    receipt: object
    events: dict[str, list]
    lanes_before: dict
    lanes_after: dict

    def of(self, chain: str, pallet: str, event: str) -> list[dict]:
        return [attrs for p, e, attrs in self.events[chain] if (p, e) == (pallet, event)]

    @property
    def sent(self) -> dict:
        sent, = [e.value["event"]["attributes"] for e in self.receipt.triggered_events
                 if (e.value["event"]["module_id"], e.value["event"]["event_id"]) == ("PolkadotXcm", "Sent")]
        return sent

    @property
    def topic(self) -> bytes:
        return bytes.fromhex(self.sent["message_id"][2:])

    def paid(self, pallet: str, event: str, field: str) -> int:
        amounts = [e.value["event"]["attributes"] for e in self.receipt.triggered_events
                   if (e.value["event"]["module_id"], e.value["event"]["event_id"]) == (pallet, event)]
        return sum(a[field] if field != "fees" else a["fees"][0]["fun"]["Fungible"] for a in amounts)


def transfer(net: dict, source: str, signer: Keypair, beneficiary: Keypair, asset: dict, amount: int,
             call: str = "limited_reserve_transfer_assets") -> Transfer:
    """`call` of PolkadotXcm on `source` (an Asset Hub) to the other network's Asset Hub."""
    other = "Polkadot" if source.startswith("kusama") else "Kusama"
    heads = {name: chain.head() for name, chain in net.items()}
    lanes = net["kusama"].rpc("dev_relayerState")["lanes"]
    params = {"dest": {"V5": asset_hub(other)},
              "beneficiary": {"V5": {"parents": 0, "interior": {"X1": [{"AccountId32": {
                  "network": None, "id": "0x" + beneficiary.public_key.hex()}}]}}},
              "assets": {"V5": [[{"id": asset, "fun": {"Fungible": amount}}]]},   # Assets wraps a Vec
              "fee_asset_item": 0, "weight_limit": "Unlimited"}
    receipt = net[source].submit(signer, "PolkadotXcm", call, params)
    events = {name: chain.events_since(heads[name]) for name, chain in net.items()}
    return Transfer(amount, receipt, events, lanes, net["kusama"].rpc("dev_relayerState")["lanes"])


def processed(t: Transfer, chain: str) -> list[tuple[bytes, bool]]:
    return [(bytes.fromhex(p["id"][2:]), p["success"]) for p in t.of(chain, "MessageQueue", "Processed")]


# --------------------------------------------------------------------------- the tests


@pytest.mark.parametrize("call", ["limited_reserve_transfer_assets", "transfer_assets"])
def test_ksm_to_polkadot_asset_hub_and_back(devnet, call):
    kah, pah = devnet["kusama-asset-hub"], devnet["polkadot-asset-hub"]
    reserve = remote_sovereign("Polkadot")              # Polkadot Asset Hub's sovereign on Kusama Asset Hub
    ksm_there = bridged("Kusama")
    pool = "0x" + bridged_pool("Polkadot").account.hex()   # the KSM pool on Polkadot Asset Hub
    alice_before, reserve_before = kah.free(ALICE.ss58_address), kah.free(reserve)
    bob_before, pool_before = pah.foreign(ksm_there, BOB.ss58_address), pah.foreign(ksm_there, pool)
    rewards_key = [RELAYER.ss58_address, {"owner": "BridgedChain", "bridged_chain_id": "0x" + b"bhpd".hex(),
                                          "lane_id": LANE}]
    rewards_before = devnet["kusama-bridge-hub"].api.query("BridgeRelayers", "RelayerRewards", rewards_key).value or 0

    t = transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, 5 * KSM, call)

    # Kusama Asset Hub: the sender pays amount + transaction fee + delivery fees, the reserve holds amount
    tx_fee = t.paid("TransactionPayment", "TransactionFeePaid", "actual_fee")
    delivery = t.paid("PolkadotXcm", "FeesPaid", "fees")
    assert alice_before - kah.free(ALICE.ss58_address) == t.amount + tx_fee + delivery
    assert delivery > 0
    assert kah.free(reserve) - reserve_before == t.amount
    assert t.of("kusama-asset-hub", "XcmpQueue", "XcmpMessageSent")
    assert t.sent["destination"] == asset_hub("Polkadot")
    # Kusama Bridge Hub: the export is accepted on the lane, under the forwarded id
    nonce = t.lanes_before["Kusama->Polkadot"]["generated"] + 1
    assert t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted") == [{"lane_id": LANE, "nonce": nonce}]
    assert processed(t, "kusama-bridge-hub") == [(forward_id_for(t.topic), True)]
    # Polkadot Bridge Hub: received and dispatched
    received, = t.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessagesReceived")
    assert received["lane"] == LANE
    (got_nonce, result), = received["receive_results"]
    assert got_nonce == nonce and result["Dispatched"]["dispatch_level_result"] == "Dispatched"
    # Polkadot Asset Hub: Bob credited, execution bought in KSM through the pool, the same message id
    credited = pah.foreign(ksm_there, BOB.ss58_address) - bob_before
    fee = t.amount - credited
    assert 0 < fee < t.amount // 100
    assert pah.foreign(ksm_there, pool) - pool_before == fee          # the pool took the fee
    swap, = t.of("polkadot-asset-hub", "AssetConversion", "SwapCreditExecuted")   # through pallet-asset-conversion
    assert swap["amount_in"] == fee and swap["path"][0][1] == fee
    assert {"asset_id": ksm_there, "owner": pah.address(BOB), "amount": credited} in \
        t.of("polkadot-asset-hub", "ForeignAssets", "Issued")
    assert processed(t, "polkadot-asset-hub") == [(t.topic, True)]
    # back on Kusama Bridge Hub: delivery confirmed, the relayer's reward registered
    delivered, = t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessagesDelivered")
    assert delivered == {"lane_id": LANE, "messages": {"begin": nonce, "end": nonce}}
    rewards = devnet["kusama-bridge-hub"].api.query("BridgeRelayers", "RelayerRewards", rewards_key).value
    assert rewards - rewards_before == KSM // 10_000                   # DeliveryRewardInBalance, one message
    assert t.lanes_after["Kusama->Polkadot"] == {"generated": nonce, "delivered": nonce, "confirmed": nonce}

    # the return path: Bob burns wKSM on Polkadot Asset Hub, the reserve releases it to Alice
    alice_before, reserve_before = kah.free(ALICE.ss58_address), kah.free(reserve)
    bob_before = pah.foreign(ksm_there, BOB.ss58_address)
    back = transfer(devnet, "polkadot-asset-hub", BOB, ALICE, ksm_there, 2 * KSM, call)
    assert bob_before - pah.foreign(ksm_there, BOB.ss58_address) == back.amount
    assert {"asset_id": ksm_there, "owner": pah.address(BOB), "balance": back.amount} in \
        back.of("polkadot-asset-hub", "ForeignAssets", "Burned")
    assert reserve_before - kah.free(reserve) == back.amount           # exactly the amount leaves the reserve
    credited = kah.free(ALICE.ss58_address) - alice_before
    assert 0 < back.amount - credited < back.amount // 100
    nonce = back.lanes_before["Polkadot->Kusama"]["generated"] + 1
    assert back.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessageAccepted") == [{"lane_id": LANE,
                                                                                          "nonce": nonce}]
    assert back.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessagesReceived")
    assert processed(back, "kusama-asset-hub") == [(back.topic, True)]
    assert back.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessagesDelivered") == [
        {"lane_id": LANE, "messages": {"begin": nonce, "end": nonce}}]
    assert back.lanes_after["Polkadot->Kusama"] == {"generated": nonce, "delivered": nonce, "confirmed": nonce}


def test_dot_to_kusama_asset_hub(devnet):
    kah, pah = devnet["kusama-asset-hub"], devnet["polkadot-asset-hub"]
    reserve = remote_sovereign("Kusama")                # Kusama Asset Hub's sovereign on Polkadot Asset Hub
    dot_there = bridged("Polkadot")
    reserve_before, bob_before = pah.free(reserve), kah.foreign(dot_there, BOB.ss58_address)
    alice_before = pah.free(ALICE.ss58_address)

    t = transfer(devnet, "polkadot-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, 3 * DOT)

    tx_fee = t.paid("TransactionPayment", "TransactionFeePaid", "actual_fee")
    delivery = t.paid("PolkadotXcm", "FeesPaid", "fees")
    assert alice_before - pah.free(ALICE.ss58_address) == t.amount + tx_fee + delivery
    assert pah.free(reserve) - reserve_before == t.amount
    nonce = t.lanes_before["Polkadot->Kusama"]["generated"] + 1
    assert t.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessageAccepted") == [{"lane_id": LANE, "nonce": nonce}]
    assert processed(t, "polkadot-bridge-hub") == [(forward_id_for(t.topic), True)]
    assert t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessagesReceived")
    credited = kah.foreign(dot_there, BOB.ss58_address) - bob_before
    assert 0 < t.amount - credited < t.amount // 100
    assert processed(t, "kusama-asset-hub") == [(t.topic, True)]
    assert t.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessagesDelivered")
    assert t.of("polkadot-bridge-hub", "BridgeRelayers", "RewardRegistered")
    assert t.lanes_after["Polkadot->Kusama"] == {"generated": nonce, "delivered": nonce, "confirmed": nonce}


def test_paused_relayer_accepts_but_delivers_only_once_resumed(devnet):
    pah, kbh = devnet["polkadot-asset-hub"], devnet["kusama-bridge-hub"]
    ksm_there = bridged("Kusama")
    bob_before = pah.foreign(ksm_there, BOB.ss58_address)
    assert kbh.rpc("dev_relayerPause") is None

    t = transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, KSM)
    nonce = t.lanes_before["Kusama->Polkadot"]["generated"] + 1
    assert t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted") == [{"lane_id": LANE, "nonce": nonce}]
    assert t.events["polkadot-bridge-hub"] == [] and t.events["polkadot-asset-hub"] == []
    assert pah.foreign(ksm_there, BOB.ss58_address) == bob_before
    state = kbh.rpc("dev_relayerState")
    assert state["paused"] and state["lanes"]["Kusama->Polkadot"] == {
        "generated": nonce, "delivered": nonce - 1, "confirmed": nonce - 1}

    heads = {name: chain.head() for name, chain in devnet.items()}
    assert kbh.rpc("dev_relayerResume") is None        # instant mode: the resume settles at once
    after = {name: chain.events_since(heads[name]) for name, chain in devnet.items()}
    assert ("BridgeKusamaMessages", "MessagesReceived") in [(p, e) for p, e, _ in after["polkadot-bridge-hub"]]
    assert ("BridgePolkadotMessages", "MessagesDelivered") in [(p, e) for p, e, _ in after["kusama-bridge-hub"]]
    assert 0 < KSM - (pah.foreign(ksm_there, BOB.ss58_address) - bob_before) < KSM // 100
    assert kbh.rpc("dev_relayerState")["lanes"]["Kusama->Polkadot"] == {
        "generated": nonce, "delivered": nonce, "confirmed": nonce}


def test_relayer_delay_waits_for_source_blocks(devnet):
    pah, kbh = devnet["polkadot-asset-hub"], devnet["kusama-bridge-hub"]
    ksm_there = bridged("Kusama")
    bob_before = pah.foreign(ksm_there, BOB.ss58_address)
    assert kbh.rpc("dev_relayerDelay", [2]) is None
    t = transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, KSM)
    assert t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted")
    assert pah.foreign(ksm_there, BOB.ss58_address) == bob_before
    kbh.rpc("dev_newBlock", [{"count": 1}])
    assert pah.foreign(ksm_there, BOB.ss58_address) == bob_before    # one block on top is not enough
    kbh.rpc("dev_newBlock", [{"count": 1}])
    assert pah.foreign(ksm_there, BOB.ss58_address) > bob_before


@pytest.mark.parametrize("mode", [{"Basic": "Halted"}, "RejectingOutboundMessages"])
def test_halted_bridge_refuses_the_export(devnet, mode):
    """The messages pallet's owner (//Bob in the upstream genesis) sets the operating mode with a
    signed call; no sudo or dev_setStorage is needed."""
    kah, pah, kbh = devnet["kusama-asset-hub"], devnet["polkadot-asset-hub"], devnet["kusama-bridge-hub"]
    kbh.submit(BOB, "BridgePolkadotMessages", "set_operating_mode", {"operating_mode": mode})
    assert kbh.api.query("BridgePolkadotMessages", "PalletOperatingMode").value == mode
    reserve = remote_sovereign("Polkadot")
    reserve_before, bob_before = kah.free(reserve), pah.foreign(bridged("Kusama"), BOB.ss58_address)

    t = transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, KSM)

    # the Asset Hub's router cannot know: the KSM is in the reserve and the message goes out
    assert kah.free(reserve) - reserve_before == KSM
    assert t.of("kusama-asset-hub", "XcmpQueue", "XcmpMessageSent")
    # the Bridge Hub refuses the export: the message fails, nothing is queued on the lane
    assert processed(t, "kusama-bridge-hub") == [(forward_id_for(t.topic), False)]
    assert not t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted")
    assert t.lanes_after == t.lanes_before
    assert t.events["polkadot-bridge-hub"] == [] and t.events["polkadot-asset-hub"] == []
    assert pah.foreign(bridged("Kusama"), BOB.ss58_address) == bob_before


def test_a_halted_receiving_bridge_hub_holds_messages_on_the_lane_until_normal(devnet):
    """Polkadot Bridge Hub's BridgeKusamaMessages halted, the relayer running: the Kusama side accepts the
    message, the relayer does not deliver into the halted pallet (substrate-relay waits while a messages pallet
    is halted), and each call returns at once; once the mode is Normal again the message is delivered."""
    pah, kbh, pbh = devnet["polkadot-asset-hub"], devnet["kusama-bridge-hub"], devnet["polkadot-bridge-hub"]
    pbh.submit(BOB, "BridgeKusamaMessages", "set_operating_mode", {"operating_mode": {"Basic": "Halted"}})
    bob_before = pah.foreign(bridged("Kusama"), BOB.ss58_address)

    t = transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, KSM)
    nonce = t.lanes_before["Kusama->Polkadot"]["generated"] + 1
    assert t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted") == [{"lane_id": LANE, "nonce": nonce}]
    assert not t.of("polkadot-bridge-hub", "BridgeKusamaMessages", "MessagesReceived")
    assert t.lanes_after["Kusama->Polkadot"] == {"generated": nonce, "delivered": nonce - 1, "confirmed": nonce - 1}
    assert pah.foreign(bridged("Kusama"), BOB.ss58_address) == bob_before
    assert kbh.rpc("dev_relayerState")["failures"] == []     # nothing was tried against the halted pallet

    pbh.submit(BOB, "BridgeKusamaMessages", "set_operating_mode", {"operating_mode": {"Basic": "Normal"}})
    assert kbh.rpc("dev_relayerState")["lanes"]["Kusama->Polkadot"] == {
        "generated": nonce, "delivered": nonce, "confirmed": nonce}
    assert pah.foreign(bridged("Kusama"), BOB.ss58_address) > bob_before


def test_messages_held_on_the_lane_across_an_upgrade_of_the_halted_bridge_hub(devnet):
    """Two messages queued on lane 0x00000001 while Polkadot Bridge Hub is halted, the Bridge Hub upgraded (its spec
    version bumped by the devnet's dev_setSpecVersion: CodeUpdated, then the first block of the new version), then
    resumed: both are delivered afterwards, nonces consecutive, each received once, and the lane's reward accounts
    and Polkadot Asset Hub's sovereign account on its Bridge Hub unchanged (the relayer's rewards are registered,
    not paid)."""
    from harness.devnet.bridge.accounts import rewards_account, sibling_sovereign
    from harness.devnet.bridge.constants import LEGACY_LANE, SIDES

    pah, kbh, pbh = devnet["polkadot-asset-hub"], devnet["kusama-bridge-hub"], devnet["polkadot-bridge-hub"]
    side = SIDES["Polkadot"]
    watched = ["0x" + a.hex() for a in (sibling_sovereign(1000), *(
        rewards_account(LEGACY_LANE, side.bridged_chain_id, owner) for owner in ("ThisChain", "BridgedChain")))]
    balances_before = [pbh.free(account) for account in watched]
    bob_before = pah.foreign(bridged("Kusama"), BOB.ss58_address)
    pbh.submit(BOB, "BridgeKusamaMessages", "set_operating_mode", {"operating_mode": {"Basic": "Halted"}})
    start = pbh.head()

    held = [transfer(devnet, "kusama-asset-hub", ALICE, BOB, {"parents": 1, "interior": "Here"}, KSM)
            for _ in range(2)]
    first = held[0].lanes_before["Kusama->Polkadot"]["generated"] + 1
    assert [t.of("kusama-bridge-hub", "BridgePolkadotMessages", "MessageAccepted") for t in held] == [
        [{"lane_id": LANE, "nonce": first}], [{"lane_id": LANE, "nonce": first + 1}]]
    assert held[1].lanes_after["Kusama->Polkadot"] == {
        "generated": first + 1, "delivered": first - 1, "confirmed": first - 1}

    change = pbh.rpc("dev_setSpecVersion", [2_003_002 + 1000])
    assert change["specVersion"] == 2_003_002 + 1000
    pbh.api.init_runtime()   # the new runtime version, as the harness's clients re-read it after an upgrade
    assert pbh.api.runtime_version == 2_003_002 + 1000
    pbh.submit(BOB, "BridgeKusamaMessages", "set_operating_mode", {"operating_mode": {"Basic": "Normal"}})

    assert kbh.rpc("dev_relayerState")["lanes"]["Kusama->Polkadot"] == {
        "generated": first + 1, "delivered": first + 1, "confirmed": first + 1}
    received = [e for p, name, e in pbh.events_since(start) if (p, name) == ("BridgeKusamaMessages",
                                                                              "MessagesReceived")]
    nonces = [nonce for batch in received for nonce, _result in batch["receive_results"]]
    assert nonces == [first, first + 1]          # each once, in order, no gap
    assert pah.foreign(bridged("Kusama"), BOB.ss58_address) > bob_before
    assert [pbh.free(account) for account in watched] == balances_before
