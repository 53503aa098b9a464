"""The devnet as a process (`python -m harness.devnet`), behind `harness chains up`, and as the default
provider: endpoints, chain identities, devnet-wide snapshots, signals, ports in use, broken files.

Every process a test starts gets a network file in that test's tmp folder, so "no process left"
is checked on the processes whose command line names that folder. Every wait has a timeout.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import selectors
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from harness.devnet.devnet_config import build_config
from harness.errors import ChainStartError, ProviderError
from harness.network.topology import load_network
from harness.providers.capabilities import Capability
from harness.providers.devnet import DevnetProvider
from harness.providers.registry import check_names, choose_provider, get_provider
from harness.scenario.positions import ScenarioErrors
from harness.settings import PROJECT_ROOT, Settings

PYTHON = sys.executable
NETWORK = PROJECT_ROOT / "harness" / "networks" / "kusama-polkadot.yaml"
CHAINS = ("kusama", "kusama-asset-hub", "kusama-bridge-hub", "polkadot", "polkadot-asset-hub", "polkadot-bridge-hub")
IDENTITY = {  # system_chain and system_properties of the live chains
    "kusama": ("Kusama", {"ss58Format": 2, "tokenDecimals": 12, "tokenSymbol": "KSM"}),
    "kusama-asset-hub": ("Kusama Asset Hub", {"ss58Format": 2, "tokenDecimals": 12, "tokenSymbol": "KSM"}),
    "kusama-bridge-hub": ("Kusama Bridge Hub", {"ss58Format": 2, "tokenDecimals": 12, "tokenSymbol": "KSM"}),
    "polkadot": ("Polkadot", {"ss58Format": 0, "tokenDecimals": 10, "tokenSymbol": "DOT"}),
    "polkadot-asset-hub": ("Polkadot Asset Hub", {"ss58Format": 0, "tokenDecimals": 10, "tokenSymbol": "DOT"}),
    "polkadot-bridge-hub": ("Polkadot Bridge Hub", {"ss58Format": 0, "tokenDecimals": 10, "tokenSymbol": "DOT"}),
}
TIMEOUT = 20.0


# --------------------------------------------------------------------------- helpers


def rpc(url: str, method: str, params: list | None = None) -> dict:
    from websocket import create_connection

    ws = create_connection(url, timeout=TIMEOUT)
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params or []}))
        return json.loads(ws.recv())
    finally:
        ws.close()


def call(url: str, method: str, params: list | None = None) -> object:
    reply = rpc(url, method, params)
    assert "result" in reply, reply
    return reply["result"]


def head_number(url: str) -> int:
    return int(call(url, "chain_getHeader")["number"], 16)


def reachable(url: str) -> bool:
    host, port = url.removeprefix("ws://").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=1).close()
    except OSError:
        return False
    return True


def processes(needle: str) -> dict[int, str]:
    """pid -> command line of live processes whose command line holds `needle` (not this one)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if needle in cmd:
            found[int(entry.name)] = cmd
    return found


def assert_gone(needle: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while (left := processes(needle)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes still alive: {left}"


def network_file(folder: Path, *, ports: dict[str, int] | None = None, provider: str | None = "devnet",
                 devnet: dict | None = None, **chain_changes: dict) -> Path:
    """A copy of networks/kusama-polkadot.yaml, with fixed ports, another provider line, or changed settings."""
    data = yaml.safe_load(NETWORK.read_text())
    for name, port in (ports or {}).items():
        data["chains"][name].setdefault("devnet", {})["port"] = port
    for name, changes in chain_changes.items():
        data["chains"][name.replace("_", "-")].update(changes)
    if provider is None:
        data.pop("provider")
    else:
        data["provider"] = provider
    if devnet is not None:
        data["providers"]["devnet"].update(devnet)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "network.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def env(work_dir: Path) -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HARNESS_", "PYTEST_"))}
    return {**clean, "HARNESS_WORK_DIR": str(work_dir), "PYTHONUNBUFFERED": "1"}


def spawn(args: list[str], work_dir: Path) -> subprocess.Popen:
    return subprocess.Popen([PYTHON, *args], cwd=PROJECT_ROOT, env=env(work_dir), stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def read_line(proc: subprocess.Popen, timeout: float = TIMEOUT) -> str:
    """The next stdout line, or fail once `timeout` has passed or the process has exited."""
    with selectors.DefaultSelector() as selector:
        selector.register(proc.stdout, selectors.EVENT_READ)
        if not selector.select(timeout):
            raise AssertionError(f"no output within {timeout}s")
    line = proc.stdout.readline()
    assert line, f"exited ({proc.wait(timeout=TIMEOUT)}) before printing: {proc.stderr.read()}"
    return line


def run(args: list[str], work_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, *args], cwd=PROJECT_ROOT, env=env(work_dir), stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)


def stop(proc: subprocess.Popen, sig: signal.Signals = signal.SIGTERM) -> tuple[str, str]:
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=TIMEOUT)
    return out, err


def kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=TIMEOUT)


def held_port() -> socket.socket:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    return sock


def settings(work_dir: Path) -> Settings:
    return Settings(node_modules=PROJECT_ROOT / "node_modules", node_binary="node", work_dir=work_dir,
                    startup_timeout=60.0, step_timeout=30.0)


@pytest.fixture
def work_dir(tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    yield work
    for pid in processes(str(tmp_path)):
        os.kill(pid, signal.SIGKILL)


@pytest.fixture(scope="module")
def devnet(tmp_path_factory: pytest.TempPathFactory):
    """One devnet process for the read-only checks: (process, ready line, endpoints file)."""
    folder = tmp_path_factory.mktemp("devnet")
    endpoints_file = folder / "endpoints.json"
    proc = spawn(["-m", "harness.devnet", "--network", str(network_file(folder)),
                  "--endpoints-file", str(endpoints_file)], folder)
    try:
        yield proc, json.loads(read_line(proc)), endpoints_file
    finally:
        kill(proc)


# --------------------------------------------------------------------------- the process


def test_ready_line_and_endpoints_file(devnet):
    proc, ready, endpoints_file = devnet
    assert ready["event"] == "ready" and ready["network"] == "kusama-polkadot" and ready["block_mode"] == "instant"
    endpoints = ready["endpoints"]
    assert list(endpoints) == list(CHAINS)
    assert json.loads(endpoints_file.read_text()) == endpoints
    for url in endpoints.values():
        assert re.fullmatch(r"ws://127\.0\.0\.1:\d+", url), url
    assert len(set(endpoints.values())) == len(CHAINS)


@pytest.mark.parametrize("chain", CHAINS)
def test_chain_identity(devnet, chain):
    url = devnet[1]["endpoints"][chain]
    name, properties = IDENTITY[chain]
    assert call(url, "system_chain") == name
    assert call(url, "system_properties") == properties


def test_substrate_interface_sees_the_chains(devnet):
    from substrateinterface import SubstrateInterface

    for chain, url in devnet[1]["endpoints"].items():
        substrate = SubstrateInterface(url=url)
        try:
            assert substrate.chain == IDENTITY[chain][0]
            assert substrate.ss58_format == IDENTITY[chain][1]["ss58Format"]
            assert substrate.token_symbol == IDENTITY[chain][1]["tokenSymbol"]
            alice = substrate.query("System", "Account", ["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"])
            assert alice.value["data"]["free"] == 10 ** 6 * 10 ** IDENTITY[chain][1]["tokenDecimals"]
        finally:
            substrate.close()


def test_snapshot_and_revert_are_devnet_wide(devnet):
    endpoints = devnet[1]["endpoints"]
    before = {chain: head_number(url) for chain, url in endpoints.items()}
    snapshot = call(endpoints["polkadot"], "dev_snapshot")
    for url in endpoints.values():
        call(url, "dev_newBlock", [{"count": 2}])
    assert all(head_number(url) == before[c] + 2 for c, url in endpoints.items())
    later = call(endpoints["kusama"], "dev_snapshot")
    assert call(endpoints["kusama-asset-hub"], "dev_revert", [snapshot]) is None  # through another chain
    assert {chain: head_number(url) for chain, url in endpoints.items()} == before
    for used_up in (snapshot, later, "no-such-snapshot"):  # a revert uses its snapshot and later ones up
        error = rpc(endpoints["kusama"], "dev_revert", [used_up])["error"]
        assert error["code"] == -32602 and "unknown snapshot" in json.dumps(error)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_stops_cleanly(tmp_path: Path, work_dir: Path, sig: signal.Signals):
    proc = spawn(["-m", "harness.devnet", "--network", str(network_file(tmp_path))], work_dir)
    try:
        endpoints = json.loads(read_line(proc))["endpoints"]
        assert processes(str(tmp_path)) == {proc.pid: processes(str(tmp_path))[proc.pid]}  # one process, no children
        started = time.monotonic()
        out, err = stop(proc, sig)
        assert time.monotonic() - started < 5
        assert proc.returncode == 0, err
        assert err == "" and out == ""
        assert_gone(str(tmp_path))
        assert not any(reachable(url) for url in endpoints.values())
    finally:
        kill(proc)


# Not earlier: in its first tens of milliseconds Python itself is starting, and a signal gets its default action.
@pytest.mark.parametrize("delay", [0.2, 0.35])
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_while_starting(tmp_path: Path, work_dir: Path, sig: signal.Signals, delay: float):
    proc = spawn(["-m", "harness.devnet", "--network", str(network_file(tmp_path))], work_dir)
    try:
        time.sleep(delay)
        out, err = stop(proc, sig)
        assert proc.returncode == 0 and err == "", err
        assert out == "" or json.loads(out)["event"] == "ready"
        assert_gone(str(tmp_path))
    finally:
        kill(proc)


def test_manual_block_mode(tmp_path: Path, work_dir: Path):
    proc = spawn(["-m", "harness.devnet", "--network", str(network_file(tmp_path)), "--block-mode", "manual"],
                 work_dir)
    try:
        ready = json.loads(read_line(proc))
        assert ready["block_mode"] == "manual"
        url = ready["endpoints"]["kusama"]
        time.sleep(0.3)
        assert head_number(url) == 0
        call(url, "dev_newBlock", [{"count": 3}])
        assert head_number(url) == 3 and head_number(ready["endpoints"]["polkadot"]) == 0
    finally:
        kill(proc)


def test_interval_block_mode(tmp_path: Path, work_dir: Path):
    network = network_file(tmp_path, devnet={"block_mode": "interval", "interval_ms": 100})
    proc = spawn(["-m", "harness.devnet", "--network", str(network)], work_dir)
    try:
        endpoints = json.loads(read_line(proc))["endpoints"]
        deadline = time.monotonic() + TIMEOUT
        while not all(head_number(url) >= 3 for url in endpoints.values()):
            assert time.monotonic() < deadline, "no blocks every 100 ms"
            time.sleep(0.1)
        stop(proc)
        assert proc.returncode == 0
    finally:
        kill(proc)


def test_port_in_use(tmp_path: Path, work_dir: Path):
    with held_port() as held:
        port = held.getsockname()[1]
        network = network_file(tmp_path, ports={"polkadot": port})
        result = run(["-m", "harness.devnet", "--network", str(network)], work_dir)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("devnet: error:")
    assert f"port {port} for chain 'polkadot' is in use" in lines[0] and "hint:" in lines[0]
    assert_gone(str(tmp_path))


def test_broken_network_file_is_a_positioned_error(tmp_path: Path, work_dir: Path):
    network = network_file(tmp_path, devnet={"block_mode": "sometimes"})
    result = run(["-m", "harness.devnet", "--network", str(network)], work_dir)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    line, = result.stderr.splitlines()
    assert re.match(rf"{re.escape(str(network))}:\d+:\d+: providers\.devnet\.block_mode: block_mode must be one of "
                    r"instant, manual, interval, not 'sometimes'", line), line


def test_unknown_network_name(work_dir: Path):
    result = run(["-m", "harness.devnet", "--network", "no-such-network"], work_dir)
    assert result.returncode == 2
    line, = result.stderr.splitlines()
    assert "network file 'no-such-network' not found" in line and "kusama-polkadot" in line


# --------------------------------------------------------------------------- XCM between the chains

KSM = 10 ** 12


def teleport(relay, hub_account: str, amount: int, *, wait: bool = True):
    """//Alice teleports `amount` from the Kusama relay to `hub_account` on its Asset Hub."""
    from substrateinterface import Keypair
    from scalecodec.utils.ss58 import ss58_decode

    call = relay.compose_call("XcmPallet", "limited_teleport_assets", {
        "dest": {"V3": {"parents": 0, "interior": {"X1": {"Parachain": 1000}}}},
        "beneficiary": {"V3": {"parents": 0, "interior": {"X1": {"AccountId32": {
            "network": None, "id": "0x" + ss58_decode(hub_account)}}}}},
        "assets": {"V3": [[{"id": {"Concrete": {"parents": 0, "interior": "Here"}}, "fun": {"Fungible": amount}}]]},
        "fee_asset_item": 0, "weight_limit": "Unlimited"})
    extrinsic = relay.create_signed_extrinsic(call, Keypair.create_from_uri("//Alice", ss58_format=2))
    return relay.submit_extrinsic(extrinsic, wait_for_inclusion=wait)


def free(chain, address: str) -> int:
    return chain.query("System", "Account", [address]).value["data"]["free"]


def kusama_pair(endpoints: dict[str, str]):
    from substrateinterface import SubstrateInterface

    return (SubstrateInterface(url=endpoints["kusama"], ws_options={"timeout": TIMEOUT}),
            SubstrateInterface(url=endpoints["kusama-asset-hub"], ws_options={"timeout": TIMEOUT}))


def test_instant_mode_delivers_before_the_call_returns(devnet):
    """The credit is on the Asset Hub once the relay extrinsic is in; the way back lands on the relay too."""
    from substrateinterface import Keypair

    endpoints = devnet[1]["endpoints"]
    snapshot = call(endpoints["kusama"], "dev_snapshot")
    relay, hub = kusama_pair(endpoints)
    try:
        bob = Keypair.create_from_uri("//Bob//instant", ss58_format=2)
        receipt = teleport(relay, bob.ss58_address, 10 * KSM)
        assert receipt.is_success, receipt.error_message
        assert 9 * KSM < free(hub, bob.ss58_address) < 10 * KSM  # no polling: it is already there
        back = hub.compose_call("PolkadotXcm", "limited_teleport_assets", {
            "dest": {"V3": {"parents": 1, "interior": "Here"}},
            "beneficiary": {"V3": {"parents": 0, "interior": {"X1": {"AccountId32": {
                "network": None, "id": "0x" + bob.public_key.hex()}}}}},
            "assets": {"V3": [[{"id": {"Concrete": {"parents": 1, "interior": "Here"}}, "fun": {"Fungible": KSM}}]]},
            "fee_asset_item": 0, "weight_limit": "Unlimited"})
        receipt = hub.submit_extrinsic(hub.create_signed_extrinsic(back, bob), wait_for_inclusion=True)
        assert receipt.is_success, receipt.error_message
        assert 0 < free(relay, bob.ss58_address) < KSM
    finally:
        relay.close()
        hub.close()
        call(endpoints["kusama"], "dev_revert", [snapshot])


def test_manual_mode_message_waits_for_the_receivers_block(tmp_path: Path, work_dir: Path):
    proc = spawn(["-m", "harness.devnet", "--network", str(network_file(tmp_path)), "--block-mode", "manual"],
                 work_dir)
    try:
        endpoints = json.loads(read_line(proc))["endpoints"]
        relay, hub = kusama_pair(endpoints)
        try:
            bob = "FoQJpPyadYccjavVdTWxpxU7rUEaYhfLCPwXgkfD6Zat9QP"  # //Bob on Kusama
            before = free(hub, bob)
            teleport(relay, bob, 10 * KSM, wait=False)
            assert head_number(endpoints["kusama"]) == 0  # nothing is built before dev_newBlock
            call(endpoints["kusama"], "dev_newBlock")
            assert free(hub, bob) == before and head_number(endpoints["kusama-asset-hub"]) == 0
            call(endpoints["kusama-asset-hub"], "dev_newBlock")
            assert free(hub, bob) > before + 9 * KSM
        finally:
            relay.close()
            hub.close()
    finally:
        kill(proc)


def test_destinations(tmp_path: Path):
    """Relay of a para, child of a relay, sibling on the same relay; nothing for a para that is not there."""
    from harness.devnet.orchestrator import Devnet
    from harness.devnet.xcm.transport import RELAY, OutboundMessage

    data = yaml.safe_load(NETWORK.read_text())
    data["chains"]["kusama-asset-hub-2"] = {"role": "parachain", "para_id": 1001, "relay": "kusama", "token": "KSM",
                                            "devnet": {"runtime": "kusama-asset-hub"}}
    path = tmp_path / "siblings.yaml"
    path.write_text(yaml.safe_dump(data))
    devnet = Devnet(build_config(load_network(path)))

    def destination(origin: str, to: tuple) -> str | None:
        return devnet.destination_chain(OutboundMessage(origin, RELAY, to, "x", b"", b"", 1))

    assert destination("kusama-asset-hub", RELAY) == "kusama"
    assert destination("polkadot-asset-hub", RELAY) == "polkadot"
    assert destination("kusama", ("para", 1000)) == "kusama-asset-hub"
    assert destination("polkadot", ("para", 1000)) == "polkadot-asset-hub"
    assert destination("kusama-asset-hub", ("para", 1001)) == "kusama-asset-hub-2"
    assert destination("kusama-asset-hub-2", ("para", 1000)) == "kusama-asset-hub"
    assert destination("polkadot-asset-hub", ("para", 1001)) is None  # not a sibling: another relay
    assert destination("kusama", ("para", 2000)) is None


def test_unknown_chain_in_a_scenario_names_the_known_ones(tmp_path: Path):
    from harness.scenario.parse import load_scenarios

    scenario = tmp_path / "westend.yaml"
    scenario.write_text("name: on westend\nnetwork: kusama-polkadot\naccounts: {a: //Alice, b: //Bob}\n"
                        "steps:\n  - transfer: {chain: westend, from: a, to: b, amount: 1 KSM}\n")
    with pytest.raises(ScenarioErrors) as info:
        load_scenarios(scenario, [PROJECT_ROOT / "harness" / "networks"])
    error, = info.value.errors
    assert "unknown chain 'westend'" in error.message
    assert error.hint == f"network 'kusama-polkadot' has: {', '.join(CHAINS)}"


# --------------------------------------------------------------------------- harness chains up


def chains_up(network: Path, work_dir: Path, endpoints_file: Path) -> subprocess.Popen:
    return spawn(["-m", "harness.cli", "chains", "up", "--network", str(network),
                  "--endpoints-file", str(endpoints_file)], work_dir)


def read_endpoints(proc: subprocess.Popen, endpoints_file: Path) -> dict[str, str]:
    deadline = time.monotonic() + TIMEOUT
    while not endpoints_file.exists():
        assert proc.poll() is None, f"chains up exited ({proc.returncode}): {proc.stderr.read()}"
        assert time.monotonic() < deadline, "no endpoints file"
        time.sleep(0.05)
    return json.loads(endpoints_file.read_text())


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_chains_up_default_provider(tmp_path: Path, work_dir: Path, sig: signal.Signals):
    """No provider in the file: the devnet. Endpoints written and printed; a signal stops everything."""
    endpoints_file = tmp_path / "endpoints.json"
    proc = chains_up(network_file(tmp_path, provider=None), work_dir, endpoints_file)
    try:
        endpoints = read_endpoints(proc, endpoints_file)
        assert list(endpoints) == list(CHAINS)
        assert call(endpoints["polkadot-asset-hub"], "system_chain") == "Polkadot Asset Hub"
        devnets = processes(str(tmp_path / "network.yaml"))
        assert len(devnets) == 2, devnets  # the harness and its devnet process
        out, err = stop(proc, sig)
        assert proc.returncode == 0, err
        assert json.loads(out) == endpoints
        assert "is up (devnet)" in err and "Traceback" not in err
        assert_gone(str(tmp_path))
        assert not any(reachable(url) for url in endpoints.values())
    finally:
        kill(proc)


def test_second_chains_up_on_the_same_ports(tmp_path: Path, work_dir: Path):
    with held_port() as a, held_port() as b:  # two free ports, released just before use
        ports = {"kusama": a.getsockname()[1], "kusama-asset-hub": b.getsockname()[1]}
    network = network_file(tmp_path, ports=ports)
    first = chains_up(network, work_dir, tmp_path / "first.json")
    try:
        endpoints = read_endpoints(first, tmp_path / "first.json")
        assert endpoints["kusama"] == f"ws://127.0.0.1:{ports['kusama']}"
        second = run(["-m", "harness.cli", "chains", "up", "--network", str(network),
                      "--endpoints-file", str(tmp_path / "second.json")], work_dir)
        assert second.returncode == 2
        line, = second.stderr.splitlines()
        assert line.startswith("harness: error: port ") and "is in use" in line
        assert "another 'harness chains up'" in line
        assert not (tmp_path / "second.json").exists()
        assert call(endpoints["kusama"], "system_chain") == "Kusama"  # the first one is untouched
    finally:
        stop(first)
        kill(first)
    assert_gone(str(tmp_path))


def test_chains_up_broken_network_file(tmp_path: Path, work_dir: Path):
    network = network_file(tmp_path, kusama_asset_hub={"devnet": {"endowment": "5 DOT"}})
    result = run(["-m", "harness.cli", "chains", "up", "--network", str(network)], work_dir)
    assert result.returncode == 2 and result.stdout == ""
    line, = result.stderr.splitlines()
    assert re.search(rf"{re.escape(str(network))}:\d+:\d+: chains\.kusama-asset-hub\.devnet\.endowment: "
                     r"endowment: '5 DOT' is not in KSM", line), line
    assert not list(work_dir.iterdir())  # refused before starting anything


# --------------------------------------------------------------------------- network files and config


def test_misspelt_provider_mapping(tmp_path: Path):
    network = network_file(tmp_path, kusama={"chopstiks": {"port": 9944}})
    with pytest.raises(ScenarioErrors) as info:
        check_names(load_network(network))
    error, = info.value.errors
    assert error.path == ("chains", "kusama", "chopstiks")
    assert error.position.line > 1
    assert "did you mean 'chopsticks'?" in error.hint and "devnet" in error.hint


def test_config_of_the_shipped_network():
    config = build_config(load_network(NETWORK))
    assert config.block_mode == "instant" and list(config.chains) == list(CHAINS)
    hub = config.chains["polkadot-asset-hub"]
    assert (hub.runtime, hub.relay, hub.para_id, hub.port) == ("polkadot-asset-hub", "polkadot", 1000, 0)
    assert hub.chain.endowment == 10 ** 6 * 10 ** 10
    assert hub.chain.endowed == ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"]
    from substrateinterface import Keypair

    assert list(hub.endowed_keys) == [Keypair.create_from_uri(u).public_key for u in hub.chain.endowed]


@pytest.mark.parametrize("changes, path, message", [
    ({"kusama": {"devnet": {"port": "nine"}}}, ("chains", "kusama", "devnet", "port"), "port must be a port number"),
    ({"kusama": {"devnet": {"runtime": "westend"}}}, ("chains", "kusama", "devnet", "runtime"),
     "unknown devnet runtime 'westend'"),
    ({"kusama": {"devnet": {"colour": "red"}}}, ("chains", "kusama", "devnet", "colour"),
     "unknown devnet setting 'colour'"),
    ({"polkadot": {"token": "KSM"}}, ("chains", "polkadot", "token"), "the polkadot runtime's token is DOT"),
    ({"kusama_asset_hub": {"relay": "polkadot"}}, ("chains", "kusama-asset-hub", "relay"),
     "a Kusama parachain cannot sit on the Polkadot relay 'polkadot'"),
    ({"polkadot": {"devnet": {"endowed": ["//Alice///secret"]}}}, ("chains", "polkadot", "devnet", "endowed"),
     "endowed account '//Alice///secret'"),
])
def test_config_errors_are_positioned(tmp_path: Path, changes: dict, path: tuple, message: str):
    spec = load_network(network_file(tmp_path, **changes))
    with pytest.raises(ScenarioErrors) as info:
        build_config(spec)
    error, = info.value.errors
    assert error.path == path and message in error.message, error.line()
    assert error.position.line > 1


def test_chain_without_a_runtime(tmp_path: Path):
    data = yaml.safe_load(NETWORK.read_text())
    data["chains"]["westend"] = {"role": "relay", "token": "WND"}
    path = tmp_path / "westend.yaml"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioErrors, match=r"chain 'westend' has no devnet runtime.*devnet.runtime: one of kusama"):
        build_config(load_network(path))
    data["chains"]["westend"] = {"role": "relay", "token": "KSM", "devnet": {"runtime": "kusama"}}
    path.write_text(yaml.safe_dump(data))
    assert build_config(load_network(path)).chains["westend"].chain.chain_name == "Kusama"


def test_same_port_twice(tmp_path: Path):
    spec = load_network(network_file(tmp_path, ports={"kusama": 40123, "polkadot": 40123}))
    with pytest.raises(ScenarioErrors, match="port 40123 is also given to 'kusama'"):
        build_config(spec)


# --------------------------------------------------------------------------- the provider


def test_devnet_is_the_default_provider():
    spec = load_network(NETWORK)
    assert choose_provider(None, dataclasses.replace(spec, provider=None)).name == "devnet"
    assert choose_provider(None, dataclasses.replace(spec, provider="chopsticks")).name == "chopsticks"
    assert choose_provider("attach", spec).name == "attach"
    with pytest.raises(ProviderError, match="provider 'zombienet' is not available: .*not built yet"):
        get_provider("zombienet")


def test_provider_port_in_use(tmp_path: Path, work_dir: Path):
    """The devnet's own one-line error, not a log dump."""
    with held_port() as held:
        port = held.getsockname()[1]
        spec = load_network(network_file(tmp_path, ports={"kusama-asset-hub": port}))
        with pytest.raises(ChainStartError) as info:
            DevnetProvider().start(spec, settings(work_dir))
    assert str(info.value) == (f"port {port} for chain 'kusama-asset-hub' is in use; hint: stop what holds it "
                               "(another 'harness chains up'?), or drop the fixed port")
    assert_gone(str(tmp_path))


def test_provider_start_and_stop(tmp_path: Path, work_dir: Path):
    spec = load_network(network_file(tmp_path, devnet={"block_mode": "manual"}))
    endpoints_file = tmp_path / "endpoints.json"  # as `pytest --endpoints-file` lays it over the file's settings
    spec = dataclasses.replace(spec, provider_settings={
        "devnet": {**spec.provider_settings["devnet"], "endpoints_file": str(endpoints_file)}})
    network = DevnetProvider().start(spec, settings(work_dir))
    try:
        assert (network.provider, network.manual_blocks) == ("devnet", True)
        assert set(network.capabilities) == {Capability.SNAPSHOT, Capability.STORAGE, Capability.BLOCKS,
                                             Capability.RELAYER, Capability.VERSIONS}
        assert list(network.endpoints) == list(CHAINS)
        assert json.loads(endpoints_file.read_text()) == network.endpoints
        log, = {network.logs[c] for c in CHAINS}
        assert log.parent.parent == work_dir and log.name == "devnet.log"
        snapshot = network.snapshot()
        network.new_block("kusama")
        assert head_number(network.endpoints["kusama"]) == 1
        network.revert(snapshot)
        assert head_number(network.endpoints["kusama"]) == 0
    finally:
        network.stop()
    assert_gone(str(tmp_path))
    assert not reachable(network.endpoints["kusama"])


def test_provider_starts_from_a_network_file_given_by_a_relative_path(tmp_path: Path, work_dir: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    """The devnet process runs in its run folder; a path relative to where the user stands still names the file."""
    written = network_file(tmp_path)
    monkeypatch.chdir(tmp_path)
    network = DevnetProvider().start(load_network(Path(written.name)), settings(work_dir))
    try:
        assert head_number(network.endpoints["kusama"]) == 0
    finally:
        network.stop()
    assert_gone(str(tmp_path))


def test_pool_brings_up_the_devnet(harness_networks):
    """Through the plugin's session pool, as scenarios get it."""
    network, clients = harness_networks.get(load_network(NETWORK))
    assert network.provider == "devnet" and network.has(Capability.SNAPSHOT) and not network.manual_blocks
    snapshot = network.snapshot()
    heads = {chain: clients[chain].head()[0] for chain in CHAINS}
    network.new_block("polkadot")
    assert clients["polkadot"].head()[0] == heads["polkadot"] + 1
    network.revert(snapshot)
    assert {chain: clients[chain].head()[0] for chain in CHAINS} == heads
    assert (clients["kusama"].symbol, clients["polkadot"].decimals) == ("KSM", 10)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_mid_run_stops_the_devnet(tmp_path: Path, work_dir: Path, sig: signal.Signals):
    """pytest running a scenario on the devnet (the default provider), interrupted: nothing is left."""
    root = tmp_path / "root"
    network_file(root / "networks", provider=None)
    (root / "scenarios").mkdir()
    (root / "scenarios" / "long_wait.yaml").write_text(
        "name: a long wait\nnetwork: network\nsteps:\n"
        "  - wait: {chain: kusama, event: System.CodeUpdated, timeout: 600}\n")
    (root / "pytest.ini").write_text("[pytest]\n")
    proc = subprocess.Popen([PYTHON, "-m", "pytest", "scenarios/long_wait.yaml", "-p", "no:cacheprovider"],
                            cwd=root, env=env(work_dir), stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + TIMEOUT
        while not list(work_dir.glob("*/devnet.log")) or "ready" not in next(work_dir.glob("*/devnet.log")).read_text():
            assert proc.poll() is None and time.monotonic() < deadline, "the devnet did not come up"
            time.sleep(0.1)
        devnets = processes(f"{root}/networks")
        assert len(devnets) == 1, devnets
        time.sleep(1)  # the scenario is waiting now
        proc.send_signal(sig)
        out, _ = proc.communicate(timeout=TIMEOUT)
        assert proc.returncode == pytest.ExitCode.INTERRUPTED, out
        assert "Traceback" not in out
        assert_gone(str(tmp_path))
    finally:
        kill(proc)
