"""The engine on in-memory chains (fake_chain.py): fee windows, receipts in failure reports, waits for blocks,
knowing which XCM arrival is the message sent, and the report's source lines."""
from __future__ import annotations

import ast
import socket
import time
from pathlib import Path
from typing import Callable

import pytest
from substrateinterface import Keypair
from substrateinterface.utils.hasher import blake2_256

from fake_chain import FEE, FakeChain, FakeNetwork
from project_layout import with_networks
from harness.engine.delivery import QUIET_SECONDS
from harness.engine.pool import NetworkPool
from harness.engine.report import render_failure
from harness.engine.result import ScenarioFailure
from harness.engine.runner import ScenarioRunner
from harness.scenario.parse import load_scenarios
from harness.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
KSM = 10**12
RELAY, HUB = "kusama", "kusama-asset-hub"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return with_networks(tmp_path, "kusama-local")


def scenario(project: Path, text: str):
    path = project / "s.yaml"
    path.write_text(text)
    [loaded] = load_scenarios(path)
    return loaded


def network(loaded, *, dev_rpcs: bool = True, relay_pallets=(), hub_pallets=("ParachainSystem",)) -> FakeNetwork:
    chains = {RELAY: FakeChain(RELAY, relay_pallets), HUB: FakeChain(HUB, hub_pallets)}
    return FakeNetwork(loaded.network, "fake", {}, dev_rpcs=dev_rpcs, chains=chains)


def run(loaded, net: FakeNetwork, step_timeout: float = 5.0):
    return ScenarioRunner(loaded, net, net.chains, step_timeout).run()


def address(uri: str) -> str:
    return Keypair.create_from_uri(uri, ss58_format=2).ss58_address


def failure_of(loaded, net: FakeNetwork, step_timeout: float = 5.0) -> ScenarioFailure:
    with pytest.raises(ScenarioFailure) as info:
        run(loaded, net, step_timeout)
    return info.value


# --- plus_fees counts only the measured steps ----------------------------------------------------------------

TWO_TRANSFERS = """\
name: two transfers
network: kusama-local
accounts: {sender: //Alice//fees, receiver: //Bob//fees}
steps:
  - fund: {chain: kusama, account: sender, amount: 10 KSM}
  - name: first
    transfer: {chain: kusama, from: sender, to: receiver, amount: 1 KSM}
  - name: second
    transfer: {chain: kusama, from: sender, to: receiver, amount: 2 KSM}
expect:
  since: second
  balances:
    - {chain: kusama, account: sender, change: -2 KSM, plus_fees: true}
    - {chain: kusama, account: receiver, change: +2 KSM}
"""


def test_plus_fees_counts_only_fees_of_measured_steps(project):
    result = run(loaded := scenario(project, TWO_TRANSFERS), network(loaded))
    sender = result.balances[0]
    assert sender.actual == -2 * KSM - FEE  # the first transfer's fee is before the measured window
    assert (sender.low, sender.high) == (-2 * KSM - FEE, -2 * KSM - FEE)
    assert "fees paid (0.000000001 KSM)" in sender.expected
    assert len(result.receipts) == 2  # both extrinsics are still reported


def test_plus_fees_counts_every_fee_from_the_first_measured_step(project):
    # the contrast: measured from the first transfer, both fees count
    loaded = scenario(project, TWO_TRANSFERS.replace("since: second", "since: first")
                      .replace("change: -2 KSM", "change: -3 KSM").replace("change: +2 KSM", "change: +3 KSM"))
    result = run(loaded, network(loaded))
    assert result.balances[0].actual == result.balances[0].low == -3 * KSM - 2 * FEE


# --- XCM deliveries ------------------------------------------------------------------------------------------

TELEPORT = """\
name: teleport
network: kusama-local
accounts: {sender: //Alice//teleport, receiver: //Bob//teleport}
steps:
  - fund: {chain: %(origin)s, account: sender, amount: 10 KSM}
  - xcm_transfer: {from: %(origin)s, to: %(destination)s, sender: sender, beneficiary: receiver, amount: 1 KSM%(more)s}
expect:
  balances:
    - {chain: %(destination)s, account: receiver, change: +1 KSM}
"""


def teleport(project: Path, origin: str = RELAY, destination: str = HUB, more: str = ""):
    return scenario(project, TELEPORT % {"origin": origin, "destination": destination, "more": more})


def message(topic: bytes) -> bytes:
    """An XCM v3 message that ends with SetTopic(topic), as routers WithUniqueTopic send them."""
    return bytes.fromhex("0314020400010000") + b"\x2c" + topic


def hash_of(data: bytes) -> str:
    return "0x" + blake2_256(data).hex()


def credit(chain: FakeChain, events: list[tuple[str, dict]], amount: int = KSM, **messages) -> Callable:
    """A block on `chain` that executes messages and credits the receiver."""
    def land():
        chain.free[address("//Bob//teleport")] += amount
        number = chain.build(events)
        for kind, value in messages.items():
            getattr(chain, kind)[number] = value
    return land


def test_a_failed_delivery_keeps_the_receipt_in_the_report(project):
    loaded = teleport(project, more=", timeout: 0.3")
    net = network(loaded)  # nothing ever lands on the Asset Hub
    failure = failure_of(loaded, net)
    assert failure.message.startswith("the message from 'kusama' was not reported executed on 'kusama-asset-hub' "
                                      "within 0.3s")
    [receipt] = failure.result.receipts
    assert (receipt.chain, receipt.block_number, receipt.fee) == (RELAY, 1, FEE)
    net.chains.clear()  # the report formats amounts from the units the run recorded: it asks no chain
    report = render_failure(failure, {})
    assert f"extrinsic {receipt.extrinsic_hash} on kusama in block #1 (ok, fee 0.000000001 KSM)" in report
    assert "    XcmPallet.Attempted {'outcome': {'Complete': '*'}}" in report


def test_downward_message_is_found_in_the_parachain_inherent(project):
    # The relay names no message (1.0 era). A message of the relay's own lands first, from the same origin;
    # then, after the chain has been quiet longer than QUIET_SECONDS, ours. Only ours may end the wait.
    loaded = teleport(project)
    net = network(loaded)
    relay, hub = net.chains[RELAY], net.chains[HUB]
    ours, other = message(b"\x11" * 32), message(b"\x22" * 32)

    def schedule(receipt):
        hub.at(0.0, credit(hub, [("DmpQueue.ExecutedDownward", {"message_hash": hash_of(other), "message_id": "0x" + "22" * 32})],
                           amount=0, downward=[(receipt.block_number - 1, other)]))
        hub.at(QUIET_SECONDS + 0.3, credit(hub, [("DmpQueue.ExecutedDownward", {"message_hash": hash_of(ours), "message_id": "0x" + "11" * 32})],
                                           downward=[(receipt.block_number, ours)]))

    relay.after_submit = schedule
    result = run(loaded, net)
    assert result.balances[0].actual == KSM


def test_upward_message_is_found_in_the_parachain_storage(project):
    # Asset Hub 1.0 names its upward message by a hash the relay does not report; the relay reports the topic
    loaded = teleport(project, origin=HUB, destination=RELAY)
    net = network(loaded)
    relay, hub = net.chains[RELAY], net.chains[HUB]
    ours, version_message = message(b"\x33" * 32), message(b"\x44" * 32)
    hub.extra_events = [("ParachainSystem.UpwardMessageSent", {"message_hash": hash_of(ours)})]
    ump = {"Ump": {"Para": 1000}}

    def schedule(receipt):
        hub.upward[receipt.block_number] = [version_message, ours]
        relay.at(0.0, credit(relay, [("MessageQueue.Processed", {"id": "0x" + "44" * 32, "origin": ump})], amount=0))
        relay.at(0.2, credit(relay, [("MessageQueue.Processed", {"id": "0x" + "33" * 32, "origin": ump})]))

    hub.after_submit = schedule
    started = time.monotonic()
    result = run(loaded, net)
    assert result.balances[0].actual == KSM
    assert time.monotonic() - started < QUIET_SECONDS  # no quiet wait: the id says it is ours


def test_message_ids_from_sent_events_are_matched_by_id(project):
    # current runtimes, and the devnet: XcmPallet.Sent{message_id} on the origin, MessageQueue.Processed{id}
    loaded = teleport(project)
    net = network(loaded, hub_pallets=())
    relay, hub = net.chains[RELAY], net.chains[HUB]
    relay.extra_events = [("XcmPallet.Sent", {"message_id": "0x" + "55" * 32})]

    def schedule(receipt):
        hub.at(0.0, credit(hub, [("MessageQueue.Processed", {"id": "0x" + "66" * 32, "origin": "Parent"})], amount=0))
        hub.at(QUIET_SECONDS + 0.3, credit(hub, [("MessageQueue.Processed", {"id": "0x" + "55" * 32, "origin": "Parent"})]))

    relay.after_submit = schedule
    assert run(loaded, net).balances[0].actual == KSM


def test_without_any_id_an_arrival_from_the_origin_waits_for_quiet(project):
    # the last resort: no id anywhere, so the first arrival from the origin ends the wait once the chain is quiet
    loaded = teleport(project)
    net = network(loaded, hub_pallets=())
    relay, hub = net.chains[RELAY], net.chains[HUB]
    relay.after_submit = lambda receipt: hub.at(0.0, credit(hub, [("MessageQueue.Processed", {"id": "0x01", "origin": "Parent"})]))
    started = time.monotonic()
    assert run(loaded, net).balances[0].actual == KSM
    assert time.monotonic() - started >= QUIET_SECONDS


# --- waiting for blocks --------------------------------------------------------------------------------------

WAIT_BLOCKS = """\
name: wait for blocks
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 3, timeout: 0.5}
"""


def test_a_wait_for_blocks_builds_them_with_dev_rpcs(project):
    loaded = scenario(project, WAIT_BLOCKS)
    net = network(loaded)  # an idle chain: it builds nothing on its own
    run(loaded, net)
    assert net.built == [RELAY] * 3
    assert net.chains[RELAY].head()[0] == 3


def test_a_wait_for_blocks_without_dev_rpcs_times_out_and_says_why(project):
    loaded = scenario(project, WAIT_BLOCKS)
    net = network(loaded, dev_rpcs=False)
    started = time.monotonic()
    failure = failure_of(loaded, net)
    assert 0.5 <= time.monotonic() - started < 2
    assert failure.message == ("waited 0.5s on 'kusama' for 3 blocks, 0 came; the chain builds no blocks on its own, "
                               "and provider 'fake' has no dev RPCs to build them")
    assert net.built == []


# --- the failure report's source lines -----------------------------------------------------------------------

def test_a_one_line_step_is_printed_once(project):
    loaded = scenario(project, WAIT_BLOCKS)
    failure = failure_of(loaded, network(loaded, dev_rpcs=False))
    report = render_failure(failure, {})
    assert report.splitlines()[0].startswith(f"{project / 's.yaml'}:4:27: scenario 'wait for blocks' failed: ")
    assert [line for line in report.splitlines() if "| " in line] == [
        "> 4 |   - wait: {chain: kusama, blocks: 3, timeout: 0.5}"]


def test_the_failing_line_is_marked_inside_its_step(project):
    text = """\
name: wrong error
network: kusama-local
accounts: {sender: //Alice//report, receiver: //Bob//report}
steps:
  - transfer:
      chain: kusama
      from: sender
      to: receiver
      amount: 1 KSM
    expect:
      error: Balances.InsufficientBalance
"""
    loaded = scenario(project, text)
    failure = failure_of(loaded, network(loaded))
    report = render_failure(failure, {})
    source = [line for line in report.splitlines() if " | " in line]
    assert source == [
        "   5 |   - transfer:",
        "   6 |       chain: kusama",
        "   7 |       from: sender",
        "   8 |       to: receiver",
        "   9 |       amount: 1 KSM",
        "  10 |     expect:",
        "> 11 |       error: Balances.InsufficientBalance",
    ]


# --- providers are not known by name -------------------------------------------------------------------------

def test_the_engine_names_no_provider():
    names = {"chopsticks", "attach", "devnet", "zombienet"}
    for module in sorted((ROOT / "harness" / "engine").glob("*.py")):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                assert node.value not in names, f"{module.name}:{node.lineno} names provider {node.value!r}"


def test_command_line_provider_options_go_to_the_chosen_provider(project, monkeypatch):
    started = []

    class Provider:
        name = "any"

        def start(self, spec, settings):
            started.append(spec.provider_settings)
            return FakeNetwork(spec, self.name, {})

    monkeypatch.setattr("harness.engine.pool.choose_provider", lambda requested, default: Provider())
    loaded = scenario(project, WAIT_BLOCKS)
    pool = NetworkPool(Settings.from_env(), "any", {"endpoints_file": "e.json"})
    pool.get(loaded.network)
    assert started == [{**loaded.network.provider_settings, "any": {"endpoints_file": "e.json"}}]


def test_a_network_whose_process_is_gone_is_started_again(project, monkeypatch):
    # e.g. tests/test_providers.py stops every live process: the session's pool must not hand out a dead network
    started, stopped = [], []

    class Provider:
        name = "any"

        def start(self, spec, settings):
            with socket.socket() as probe:  # a port nobody listens on: connections are refused
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            network = FakeNetwork(spec, self.name, {RELAY: f"ws://127.0.0.1:{port}"})
            network.stop = lambda: stopped.append(network)
            started.append(network)
            return network

    monkeypatch.setattr("harness.engine.pool.choose_provider", lambda requested, default: Provider())
    loaded = scenario(project, WAIT_BLOCKS)
    pool = NetworkPool(Settings.from_env())
    first, _ = pool.get(loaded.network)
    second, _ = pool.get(loaded.network)
    assert second is not first and stopped == [first] and len(started) == 2


def test_a_live_network_is_kept(project, monkeypatch):
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        url = f"ws://127.0.0.1:{server.getsockname()[1]}"

        class Provider:
            name = "any"

            def start(self, spec, settings):
                return FakeNetwork(spec, self.name, {RELAY: url})

        monkeypatch.setattr("harness.engine.pool.choose_provider", lambda requested, default: Provider())
        loaded = scenario(project, WAIT_BLOCKS)
        pool = NetworkPool(Settings.from_env())
        assert pool.get(loaded.network)[0] is pool.get(loaded.network)[0]
