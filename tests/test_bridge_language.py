"""The bridge in the scenario language, without a chain: bridged routes, sovereign accounts and forward ids
(known answers from polkadot-sdk and the Polkadot docs), foreign-asset and sovereign balance expectations, waits
for delivery, the relayer, bridge mode, congestion and reserves steps, fee and lane expectations."""
from __future__ import annotations

from pathlib import Path

import pytest
from scalecodec.utils.ss58 import ss58_decode

from project_layout import with_networks
from harness.client import sovereign
from harness.client.messages import forward_id_for
from harness.client.xcm import Location
from harness.devnet.bridge import accounts as devnet_accounts
from harness.devnet.bridge.payload import forward_id_for as devnet_forward_id_for
from harness.errors import HarnessError
from harness.network import routes
from harness.network.topology import load_network
from harness.scenario.model import Sovereign
from harness.steps.bridge_mode import BridgeMode
from harness.steps.congestion import Congestion
from harness.steps.relayer import Relayer
from harness.steps.reserves import Reserves
from harness.steps.wait import Wait
from harness.scenario.parse import load_scenarios
from harness.scenario.positions import ScenarioErrors

ROOT = Path(__file__).resolve().parent.parent
NETWORK = load_network(ROOT / "harness" / "networks" / "kusama-polkadot.yaml")
KAH, PAH = "kusama-asset-hub", "polkadot-asset-hub"


# --- routes --------------------------------------------------------------------------------------------------

def test_ksm_leaves_kusama_asset_hub_by_reserve_transfer_over_both_bridge_hubs():
    route = routes.route(NETWORK, KAH, PAH, asset="KSM")
    assert route.kind == "reserve" and route.is_bridged and not route.is_upward
    assert route.dest == Location(2, (("GlobalConsensus", "Polkadot"), ("Parachain", 1000)))
    assert route.asset == Location(1)  # KSM, reserved on Kusama Asset Hub
    assert route.path == (KAH, "kusama-bridge-hub", "polkadot-bridge-hub", PAH)
    assert route.dest.encode(5) == {"parents": 2, "interior": {"X2": [{"GlobalConsensus": "Polkadot"},
                                                                      {"Parachain": 1000}]}}


def test_bridged_ksm_goes_home_from_polkadot_asset_hub():
    route = routes.route(NETWORK, PAH, KAH, asset="KSM")
    assert route.asset == Location(2, (("GlobalConsensus", "Kusama"),))
    assert route.dest == Location(2, (("GlobalConsensus", "Kusama"), ("Parachain", 1000)))
    assert route.path == (PAH, "polkadot-bridge-hub", "kusama-bridge-hub", KAH)
    assert routes.route(NETWORK, PAH, KAH).asset == Location(1)  # DOT by default: the origin's token


@pytest.mark.parametrize("origin, destination, kind, asset, message", [
    (KAH, PAH, "teleport", None, "no teleport from 'kusama-asset-hub' to 'polkadot-asset-hub'"),
    (KAH, "polkadot", None, None, "no XCM route from 'kusama-asset-hub' to 'polkadot' in network 'kusama-polkadot'"),
    ("kusama", PAH, None, None, "no XCM route from 'kusama' to 'polkadot-asset-hub' in network 'kusama-polkadot'"),
    ("kusama", KAH, None, "DOT", "'kusama' sends DOT only across the bridge"),
    (KAH, "kusama-bridge-hub", None, None, "no XCM route from 'kusama-asset-hub' to 'kusama-bridge-hub' in network "
                                           "'kusama-polkadot'"),
])
def test_routes_that_do_not_exist_say_so(origin, destination, kind, asset, message):
    with pytest.raises(HarnessError) as info:
        routes.route(NETWORK, origin, destination, kind, asset)
    assert info.value.message == message


def test_a_bridged_route_needs_the_bridge_hubs(tmp_path):
    text = (ROOT / "harness" / "networks" / "kusama-polkadot.yaml").read_text()
    start = text.index("  kusama-bridge-hub:")
    trimmed = text[:start] + text[text.index("  polkadot:"):]
    (tmp_path / "n.yaml").write_text(trimmed)
    with pytest.raises(HarnessError) as info:
        routes.route(load_network(tmp_path / "n.yaml"), KAH, PAH)
    assert info.value.message == "network 'kusama-polkadot' has no bridge hub (para 1002) on 'kusama'"


# --- sovereign accounts --------------------------------------------------------------------------------------

# Known answers: paritytech/polkadot-sdk cumulus/scripts/bridges_kusama_polkadot.sh @ a51742095c42, printed by
# the test in its comments (GlobalConsensusParachainConvertsFor, SiblingParachainConvertsVia):
# GLOBAL_CONSENSUS_KUSAMA_ASSET_HUB_KUSAMA_1000_SOVEREIGN_ACCOUNT (ss58 0, on Polkadot Asset Hub),
# GLOBAL_CONSENSUS_POLKADOT_ASSET_HUB_POLKADOT_1000_SOVEREIGN_ACCOUNT (ss58 2, on Kusama Asset Hub) and
# ASSET_HUB_POLKADOT_SOVEREIGN_ACCOUNT_AT_BRIDGE_HUB_POLKADOT (ss58 0).
KUSAMA_AH_ON_POLKADOT_AH = "12GvRkNCmXFuaaziTJ2ZKAfa7MArKfLT2HYvLjQuepP3JuHf"
POLKADOT_AH_ON_KUSAMA_AH = "FwGjEp7GXJXT9NjH8r4sqdyd8XZVogbxSs3iFakx4wFwJ5Y"
ASSET_HUB_ON_ITS_BRIDGE_HUB = "13cKp89SgdtqUngo2WiEijPrQWdHFhzYZLf2TJePKRvExk7o"


def _account(address: str) -> bytes:
    return bytes.fromhex(ss58_decode(address))


def test_remote_asset_hub_sovereigns_are_the_sdk_scripts_accounts():
    assert sovereign.remote_parachain("Kusama", 1000) == _account(KUSAMA_AH_ON_POLKADOT_AH)
    assert sovereign.remote_parachain("Polkadot", 1000) == _account(POLKADOT_AH_ON_KUSAMA_AH)
    assert sovereign.sibling_parachain(1000) == _account(ASSET_HUB_ON_ITS_BRIDGE_HUB)
    # the devnet derives them on its own (harness/devnet/bridge/accounts.py): the same known answers
    assert devnet_accounts.remote_parachain_sovereign("Polkadot", "Kusama") == _account(KUSAMA_AH_ON_POLKADOT_AH)
    assert devnet_accounts.remote_parachain_sovereign("Kusama", "Polkadot") == _account(POLKADOT_AH_ON_KUSAMA_AH)
    assert devnet_accounts.sibling_sovereign(1000) == _account(ASSET_HUB_ON_ITS_BRIDGE_HUB)


def test_local_sovereigns_are_the_prefixed_para_ids():
    assert sovereign.child_parachain(1000) == b"para" + bytes.fromhex("e8030000") + bytes(24)
    assert sovereign.sibling_parachain(1002) == b"sibl" + bytes.fromhex("ea030000") + bytes(24)
    assert sovereign.parent() == b"Parent" + bytes(26)


@pytest.mark.parametrize("on, of, expected", [
    ("kusama", KAH, sovereign.child_parachain(1000)),
    (KAH, "kusama-bridge-hub", sovereign.sibling_parachain(1002)),
    (KAH, "kusama", sovereign.parent()),
    (KAH, PAH, sovereign.remote_parachain("Polkadot", 1000)),
    (PAH, KAH, sovereign.remote_parachain("Kusama", 1000)),
])
def test_sovereign_accounts_follow_where_the_chains_sit(on, of, expected):
    assert routes.sovereign_account(NETWORK, on, of) == expected


def test_lane_rewards_accounts_are_the_relayers_crate_known_answer():
    # paritytech/polkadot-sdk bridges/primitives/relayers/src/lib.rs, test different_lanes_are_using_different_accounts
    # (since RewardsAccountParams put the owner first, polkadot-sdk #5649): owner ThisChain, chain id b"test", and a
    # lane whose first 23 bytes fill the 32-byte account (the rest is truncated)
    lane = bytes.fromhex("b1d3dccd8b3c3a012afe265f3e3c4432129b8aee50c9dc")
    assert sovereign.lane_rewards(lane, b"test", "ThisChain").hex() == (
        "627261700074657374b1d3dccd8b3c3a012afe265f3e3c4432129b8aee50c9dc")
    # the legacy [u8; 4] lane of the Kusama<>Polkadot bridge: the account the devnet derives on its own
    for owner in ("ThisChain", "BridgedChain"):
        assert routes.rewards_account(NETWORK, "kusama-bridge-hub", "0x00000001", owner) == \
            devnet_accounts.rewards_account(bytes([0, 0, 0, 1]), b"bhpd", owner)
        assert routes.rewards_account(NETWORK, "polkadot-bridge-hub", "0x00000001", owner) == \
            devnet_accounts.rewards_account(bytes([0, 0, 0, 1]), b"bhks", owner)


def test_forward_ids_are_the_polkadot_docs_example():
    # polkadot-developers/polkadot-docs .snippets/code/develop/interoperability/xcm-observability/forward-id-for.ts
    # @ 5b0d752e6b8d: an original message id and the forwarded id older runtimes' Processed events show for it
    original = "0x5c082b4750ee8c34986eb22ce6e345bad2360f3682cda3e99de94b0d9970cb3e"
    forwarded = "0xb3ae32fd2e2f798e8215865a8950d19df8330843608d4ee44e9f86849029724a"
    assert forward_id_for(original) == forwarded
    assert "0x" + devnet_forward_id_for(bytes.fromhex(original[2:])).hex() == forwarded


# --- the language --------------------------------------------------------------------------------------------

BRIDGED = """\
name: bridged
network: kusama-polkadot
accounts: {sender: //Alice//lang, receiver: //Bob//lang}
steps:
  - fund: {chain: kusama-asset-hub, account: sender, amount: 10 KSM}
  - name: there
    xcm_transfer: {from: kusama-asset-hub, to: polkadot-asset-hub, sender: sender, beneficiary: receiver,
                   amount: 1 KSM, await_delivery: false}
  - relayer: pause
  - relayer: {delay: 3}
  - bridge_mode: {chain: kusama-bridge-hub, mode: RejectingOutboundMessages}
  - congestion: {chain: kusama-asset-hub, congested: true}
  - wait: {delivered: there, timeout: 30}
expect:
  balances:
    - {chain: polkadot-asset-hub, account: receiver, asset: KSM, change: +1 KSM, plus_execution_fees: true}
    - {chain: kusama-asset-hub, account: {sovereign: polkadot-asset-hub}, change: +1 KSM}
    - {chain: polkadot-asset-hub, account: receiver, asset: DOT, change: 0 DOT}
  fees:
    - {step: there, chain: polkadot-asset-hub, at_most: 0.001 KSM}
    - {step: there, chain: kusama-asset-hub, fee: delivery, at_least: 1 planck, at_most: 0.01 KSM}
  lanes:
    - {chain: kusama-bridge-hub, lane: "0x0000000A", messages: 1}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return with_networks(tmp_path, "kusama-polkadot")


def load(project: Path, text: str):
    (project / "s.yaml").write_text(text)
    [scenario] = load_scenarios(project / "s.yaml")
    return scenario


def errors(project: Path, text: str) -> list[str]:
    (project / "s.yaml").write_text(text)
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(project / "s.yaml")
    return [e.line().split("s.yaml:", 1)[1] for e in info.value.errors]


def test_the_bridge_steps_and_expectations_are_read(project):
    scenario = load(project, BRIDGED)
    actions = [s.action for s in scenario.steps]
    assert actions[2:6] == [Relayer("pause"), Relayer("delay", 3),
                            BridgeMode("kusama-bridge-hub", "RejectingOutboundMessages"),
                            Congestion("kusama-asset-hub", True)]
    assert actions[6] == Wait(PAH, delivered=1, timeout=30)  # on the transfer's destination
    received, reserve, dot = scenario.balances
    assert (received.asset, received.plus_execution_fees, received.change.unit) == ("KSM", True, "KSM")
    assert reserve.account == Sovereign(PAH) and str(reserve.account) == "sovereign of polkadot-asset-hub"
    assert dot.asset is None  # the chain's own token
    assert [(f.step, f.chain, f.kind, str(f.at_most)) for f in scenario.fees] == [
        (1, PAH, "execution", "0.001 KSM"), (1, KAH, "delivery", "0.01 KSM")]
    assert [(lane.chain, lane.lane, lane.messages) for lane in scenario.lanes] == [
        ("kusama-bridge-hub", "0x0000000a", 1)]


@pytest.mark.parametrize("old, new, expected", [
    ("asset: KSM, change: +1 KSM", "asset: ETH, change: +1 KSM",
     "16:54: expect.balances[0].asset: unknown asset 'ETH' (hint: tokens of network 'kusama-polkadot': DOT, KSM)"),
    ("asset: KSM, change: +1 KSM", "asset: KSM, change: +1 DOT",
     "16:66: expect.balances[0].change: '+1 DOT' is not in KSM (hint: the expectation is on KSM (or planck))"),
    ("account: {sovereign: polkadot-asset-hub}", "account: {sovereign: kusama-asset-hub}",
     "17:43: expect.balances[1].account.sovereign: 'kusama-asset-hub' has no sovereign account on itself "
     "(hint: name the chain whose account on this one you mean)"),
    ("account: {sovereign: polkadot-asset-hub}", "account: {sovreign: polkadot-asset-hub}",
     "17:33: expect.balances[1].account: {'sovreign': 'polkadot-asset-hub'} is not an account "
     "(hint: write an account's name, {sovereign: CHAIN} or {rewards: {lane: 0x..., owner: ThisChain|BridgedChain}})"),
    ("account: {sovereign: polkadot-asset-hub}", "account: {rewards: {lane: '0x00000001', owner: ThisChain}}",
     "17:43: expect.balances[1].account.rewards: 'kusama-asset-hub' is not a Bridge Hub: lane rewards accounts are "
     "on Bridge Hubs (hint: name a chain whose para_id is 1002)"),
    ("wait: {delivered: there, timeout: 30}", "wait: {delivered: thre}",
     "13:12: steps[6].wait.delivered: no earlier step is named 'thre' (hint: step names so far: there)"),
    ("wait: {delivered: there, timeout: 30}", "wait: {delivered: there, chain: kusama}",
     "13:30: steps[6].wait.chain: a wait for delivery takes no chain "
     "(hint: it waits on the destination of the step it names)"),
    ("relayer: pause", "relayer: stop",
     "9:5: steps[2].relayer: 'stop' is not a relayer command (hint: write pause, resume or {delay: BLOCKS})"),
    ("mode: RejectingOutboundMessages", "mode: Stopped",
     "11:45: steps[4].bridge_mode.mode: unknown bridge mode 'Stopped' "
     "(hint: one of Normal, Halted, RejectingOutboundMessages)"),
    ("{step: there, chain: polkadot-asset-hub, at_most", "{step: here, chain: polkadot-asset-hub, at_most",
     "20:8: expect.fees[0].step: no earlier step is named 'here' (hint: step names so far: there)"),
])
def test_bad_bridge_input_is_one_positioned_error(project, old, new, expected):
    assert old in BRIDGED
    assert errors(project, BRIDGED.replace(old, new)) == [expected]


def test_a_wait_for_delivery_follows_an_xcm_transfer(project):
    text = BRIDGED.replace("  - relayer: pause\n", "  - name: plain\n    transfer: {chain: kusama-asset-hub, "
                                                   "from: sender, to: receiver, amount: 1 KSM}\n")
    assert errors(project, text.replace("delivered: there", "delivered: plain")) == [
        "14:12: steps[6].wait.delivered: step 'plain' is a transfer; a wait for delivery follows an xcm_transfer "
        "(hint: name the xcm_transfer step whose message you mean)"]


def test_a_bridged_token_is_an_xcm_transfer_amount_only_where_the_network_has_it(project):
    assert load(project, BRIDGED.replace("amount: 1 KSM, await", "amount: 1 DOT, await")).steps[1].action.amount.unit \
        == "DOT"  # bridged DOT held on Kusama Asset Hub
    assert errors(project, BRIDGED.replace("amount: 1 KSM, await", "amount: 1 WND, await")) == [
        "8:20: steps[1].xcm_transfer.amount: unknown asset 'WND' on chain 'kusama-asset-hub' "
        "(hint: 'kusama-asset-hub' counts in KSM, and takes the bridged DOT (or planck))"]


RESERVES = """\
name: reserves
network: kusama-polkadot
steps:
  - reserves: {chain: polkadot-asset-hub, asset: KSM, trusted: [kusama-asset-hub]}
  - reserves: {chain: polkadot-asset-hub, asset: KSM, trusted: []}
"""


def test_a_reserves_step_names_the_chain_the_foreign_asset_and_the_trusted_chains(project):
    assert [s.action for s in load(project, RESERVES).steps] == [
        Reserves(PAH, "KSM", (KAH,)), Reserves(PAH, "KSM", ())]


@pytest.mark.parametrize("old, new, expected", [
    ("asset: KSM, trusted: [kusama", "asset: DOT, trusted: [kusama",
     "4:43: steps[0].reserves.asset: 'DOT' is the own token of 'polkadot-asset-hub', not a foreign asset there "
     "(hint: reserves are set for a token of another consensus: one of KSM)"),
    ("trusted: [kusama-asset-hub]", "trusted: [kusama-asset-hubb]",
     "4:65: steps[0].reserves.trusted[0]: unknown chain 'kusama-asset-hubb' (hint: network 'kusama-polkadot' has: "
     "kusama, kusama-asset-hub, kusama-bridge-hub, polkadot, polkadot-asset-hub, polkadot-bridge-hub)"),
    ("trusted: [kusama-asset-hub]", "trusted: [polkadot-asset-hub]",
     "4:65: steps[0].reserves.trusted[0]: 'polkadot-asset-hub' cannot be a reserve of its own foreign asset "
     "(hint: name the chains whose deposits of the asset it trusts, e.g. the other Asset Hub)"),
])
def test_bad_reserves_input_is_one_positioned_error(project, old, new, expected):
    assert old in RESERVES
    assert errors(project, RESERVES.replace(old, new)) == [expected]
