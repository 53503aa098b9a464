"""Providers and process handling: missing tools, busy ports, chains that do not come up, the real
chopsticks network, and cleanup when the harness is interrupted.

Other sessions may run chopsticks on this machine at the same time, so "no process remains" is
checked for the processes of *this* test's run: every test points the harness at its own work
folder (Settings.work_dir / HARNESS_WORK_DIR), and chopsticks' command line holds its config files
in that folder.
"""
from __future__ import annotations

import dataclasses
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from substrateinterface import Keypair

from harness.engine.pool import NetworkPool
from harness.errors import ChainStartError, ProviderError
from harness.network.topology import load_network
from harness.providers import process as process_mod
from harness.providers.attach import AttachProvider
from harness.providers import chopsticks as chopsticks_mod
from harness.providers.base import free_port, port_is_free
from harness.providers.connection import rpc_ready
from harness.providers.capabilities import Capability, MissingCapability
from harness.providers.chopsticks import ChopsticksProvider
from harness.providers.process import ManagedProcess, launch
from harness.settings import PROJECT_ROOT, Settings

PYTHON = sys.executable
REAL_NETWORK = PROJECT_ROOT / "harness" / "networks" / "kusama-local.yaml"
CHAINS = ("kusama", "kusama-asset-hub")
ENTRY = "chopsticks.cjs"
NO_DEATHSIG = Path(__file__).parent / "no_deathsig"
LONG_WAIT_SCENARIO = """\
name: a long wait
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 1000, timeout: 600}
"""


# --------------------------------------------------------------------------- helpers


def processes(*needles: str) -> dict[int, str]:
    """pid -> command line of every live process whose command line holds all `needles` (zombies have none)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        cmd = raw.replace(b"\0", b" ").decode(errors="replace")
        if cmd and all(n in cmd for n in needles):
            found[int(entry.name)] = cmd
    return found


def run_processes(work_dir: Path) -> dict[int, str]:
    """Processes started for a run whose work folder is `work_dir` (chopsticks or the fake node)."""
    return processes(f"{work_dir}/", ENTRY)


def wait_for(predicate: Callable[[], object], timeout: float, what: str, interval: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


def assert_gone(work_dir: Path, timeout: float = 3.0) -> None:
    """Nothing from the run is alive. The short grace only covers the kernel delivering a SIGKILL already sent."""
    deadline = time.monotonic() + timeout
    while (left := run_processes(work_dir)) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes of the run still alive: {left}"


def kill_leftovers(work_dir: Path) -> None:
    for pid in run_processes(work_dir):
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def write_network(folder: Path, genesis: Path | None = None, ports: dict[str, int] | None = None) -> Path:
    """A copy of networks/kusama-local.yaml with absolute genesis paths, a fixed genesis, or fixed ports."""
    real = load_network(REAL_NETWORK)  # expands ${HARNESS_CHAINSPECS:-...} the way the harness does
    data = yaml.safe_load(REAL_NETWORK.read_text())
    for name, chain in data["chains"].items():
        own = chain["chopsticks"]
        own["genesis"] = str(genesis) if genesis else real.chains[name].provider_settings["chopsticks"]["genesis"]
        assert Path(own["genesis"]).is_file(), own["genesis"]
        if ports and name in ports:
            own["port"] = ports[name]
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "kusama-local.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def settings(work_dir: Path, **changes) -> Settings:
    base = Settings(node_modules=PROJECT_ROOT / "node_modules", node_binary="node", work_dir=work_dir,
                    startup_timeout=90.0, step_timeout=30.0)
    return dataclasses.replace(base, **changes)


def subprocess_env(work_dir: Path, *, no_deathsig: Path | None = None, **extra: str) -> dict[str, str]:
    """Environment of a harness subprocess; `no_deathsig` turns the kernel's kill-with-parent off
    (see tests/no_deathsig/sitecustomize.py), so only the harness's own cleanup can stop its children."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HARNESS_", "PYTEST_"))}
    if "HARNESS_CHAINSPECS" in os.environ:
        env["HARNESS_CHAINSPECS"] = os.environ["HARNESS_CHAINSPECS"]
    env.pop("TEST_PROVIDERS_NO_DEATHSIG", None)
    if no_deathsig is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(NO_DEATHSIG), env.get("PYTHONPATH")]))
        env["TEST_PROVIDERS_NO_DEATHSIG"] = str(no_deathsig)
    return {**env, "HARNESS_WORK_DIR": str(work_dir), "PYTHONUNBUFFERED": "1", **extra}


def started_without_deathsig(marker: Path, pids: object) -> None:
    """The run's process was started with the safety net off, so the cleanup checks mean something."""
    assert marker.is_file(), "tests/no_deathsig/sitecustomize.py did not take effect"
    assert set(pids) & {int(line) for line in marker.read_text().split()}, (pids, marker.read_text())


def run_cli(args: list[str], env: dict[str, str], timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-m", "harness.cli", *args], cwd=PROJECT_ROOT, env=env,
                          capture_output=True, text=True, timeout=timeout)


def chain_header(url: str) -> dict:
    from websocket import create_connection

    ws = create_connection(url, timeout=10)
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}))
        reply = json.loads(ws.recv())
    finally:
        ws.close()
    assert "result" in reply, reply
    return reply["result"]


def run_ports(work_dir: Path) -> dict[str, int] | None:
    """The ports chopsticks was given, read from the config files the provider wrote (None until both exist)."""
    configs = {chain: list(work_dir.glob(f"*/{chain}.yml")) for chain in CHAINS}
    if not all(len(files) == 1 for files in configs.values()):
        return None
    try:
        return {chain: int(yaml.safe_load(files[0].read_text())["port"]) for chain, files in configs.items()}
    except (OSError, TypeError, KeyError, yaml.YAMLError):
        return None


def network_up(work_dir: Path) -> bool:
    ports = run_ports(work_dir)
    logs = list(work_dir.glob("*/chopsticks.log"))
    return bool(ports and all(rpc_ready(f"ws://127.0.0.1:{p}") for p in ports.values())
                and logs and "Connected relaychain" in logs[0].read_text(errors="replace"))


def stop_subprocess(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait(timeout=10)


@pytest.fixture
def fake_node(tmp_path: Path) -> Path:
    """A stand-in for `node` that never serves RPC: it logs a line, starts a child that ignores SIGTERM
    (both carry the chopsticks arguments in their command line) and sleeps."""
    script = tmp_path / "fake-node"
    script.write_text(
        f"#!{PYTHON}\n"
        "import subprocess, sys, time\n"
        "print('fake chopsticks starting', flush=True)\n"
        "subprocess.Popen([sys.executable, '-c', 'import signal, time; "
        "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(300)', *sys.argv[1:]])\n"
        "time.sleep(300)\n")
    script.chmod(0o755)
    return script


@pytest.fixture
def work_dir(tmp_path: Path):
    work = tmp_path / "work"
    work.mkdir()
    try:
        yield work
    finally:
        kill_leftovers(work)


# --------------------------------------------------------------------------- 1. chopsticks not installed


def test_chopsticks_not_installed(tmp_path: Path, work_dir: Path):
    empty = tmp_path / "empty-node-modules"
    empty.mkdir()
    with pytest.raises(ProviderError) as info:
        ChopsticksProvider().start(load_network(REAL_NETWORK), settings(work_dir, node_modules=empty))
    assert "chopsticks is not installed" in str(info.value)
    assert "npm ci" in str(info.value)
    assert str(empty) in str(info.value)  # says where it looked
    assert not run_processes(work_dir)
    assert list(work_dir.iterdir()) == []  # failed before preparing a run


def test_node_not_on_path(work_dir: Path):
    with pytest.raises(ProviderError) as info:
        ChopsticksProvider().start(load_network(REAL_NETWORK),
                                   settings(work_dir, node_binary="no-such-node-binary-xyz"))
    assert "no-such-node-binary-xyz" in str(info.value) and "HARNESS_NODE" in str(info.value)


def test_cli_chopsticks_not_installed(tmp_path: Path, work_dir: Path):
    empty = tmp_path / "empty-node-modules"
    empty.mkdir()
    result = run_cli(["chains", "up", "--network", "kusama-local"],
                     subprocess_env(work_dir, HARNESS_NODE_MODULES=str(empty)))
    assert result.returncode == 2, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("harness: error:")
    assert "chopsticks is not installed" in lines[0] and "npm ci" in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    assert result.stdout == ""


# --------------------------------------------------------------------------- 2. port in use


@pytest.mark.parametrize("chain", CHAINS)
@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_fixed_port_in_use(tmp_path: Path, work_dir: Path, chain: str, host: str):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as held:
        held.bind((host, 0))
        held.listen()
        port = held.getsockname()[1]
        spec = load_network(write_network(tmp_path / "networks", ports={chain: port}))
        live_before = set(process_mod._LIVE)
        with pytest.raises(ChainStartError) as info:
            ChopsticksProvider().start(spec, settings(work_dir))
    message = str(info.value)
    assert f"port {port}" in message and "in use" in message
    assert f"'{chain}'" in message
    assert set(process_mod._LIVE) == live_before  # no process was started
    assert not run_processes(work_dir)
    assert not list(work_dir.glob("*/chopsticks.log"))


def test_same_fixed_port_for_two_chains(tmp_path: Path, work_dir: Path):
    """Both chains on one port used to come up 'ready', each endpoint answering for the same chain."""
    port = free_port()
    spec = load_network(write_network(tmp_path / "networks", ports={c: port for c in CHAINS}))
    with pytest.raises(ChainStartError, match=f"port {port} is given to both 'kusama' and 'kusama-asset-hub'"):
        ChopsticksProvider().start(spec, settings(work_dir))
    assert not run_processes(work_dir)


@pytest.mark.parametrize("bad", ["not-a-port", 70000, 0, True])
def test_fixed_port_not_a_port_number(tmp_path: Path, work_dir: Path, bad: object):
    spec = load_network(write_network(tmp_path / "networks", ports={"kusama": bad}))
    with pytest.raises(ProviderError, match=r"chopsticks.port of chain 'kusama' must be a port number"):
        ChopsticksProvider().start(spec, settings(work_dir))
    assert not run_processes(work_dir)


def test_cli_fixed_port_not_a_number(tmp_path: Path, work_dir: Path):
    network = write_network(tmp_path / "networks", ports={"kusama-asset-hub": "not-a-port"})
    result = run_cli(["chains", "up", "--network", str(network)], subprocess_env(work_dir))
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("harness: error:"), result.stderr
    assert "'not-a-port'" in result.stderr and "Traceback" not in result.stderr


def test_port_from_environment_variable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """`port: ${VAR:-...}` expands to a string; it is a port all the same."""
    port = free_port()
    monkeypatch.setenv("TEST_PROVIDERS_KUSAMA_PORT", str(port))
    spec = load_network(write_network(tmp_path / "networks", ports={"kusama": "${TEST_PROVIDERS_KUSAMA_PORT}"}))
    ports = chopsticks_mod._ports(spec)
    assert ports["kusama"] == port and ports["kusama-asset-hub"] != port


def test_free_ports_are_distinct(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The OS may hand out one free port twice, or one another chain has fixed: no two chains share a port."""
    fixed = free_port()
    handed_out = iter([fixed, 40001, 40001, 40002])
    monkeypatch.setattr(chopsticks_mod, "free_port", lambda: next(handed_out))
    spec = load_network(write_network(tmp_path / "networks", ports={"kusama-asset-hub": fixed}))
    assert chopsticks_mod._ports(spec) == {"kusama": 40001, "kusama-asset-hub": fixed}
    spec = load_network(write_network(tmp_path / "networks2"))
    handed_out = iter([40003, 40003, 40003, 40004])
    assert chopsticks_mod._ports(spec) == {"kusama": 40003, "kusama-asset-hub": 40004}


@pytest.mark.chopsticks
def test_a_chosen_port_taken_before_chopsticks_binds_it_is_chosen_again(tmp_path: Path, work_dir: Path,
                                                                        monkeypatch: pytest.MonkeyPatch):
    """chopsticks moves a chain on a busy port to the next free one without failing; the harness would then talk
    to whoever holds its port (another xdist worker's chain). It notices and starts again on fresh ports."""
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        taken = squatter.getsockname()[1]
        handed_out = iter([taken])  # the race: free when chosen, bound by someone else before chopsticks starts
        monkeypatch.setattr(chopsticks_mod, "free_port", lambda: next(handed_out, None) or free_port())
        network = ChopsticksProvider().start(load_network(write_network(tmp_path / "networks")), settings(work_dir))
        try:
            ports = {int(url.rsplit(":", 1)[1]) for url in network.endpoints.values()}
            assert taken not in ports and taken + 1 not in ports
            for url in network.endpoints.values():
                assert int(chain_header(url)["number"], 16) >= 0  # ours answer there
            logs = sorted(work_dir.glob("kusama-local-*/chopsticks.log"))
            assert len(logs) == 2  # the first start, stopped, and the second
            first = {int(port) for port in chopsticks_mod.LISTENING.findall(logs[0].read_text())}
            assert first and taken not in first  # chopsticks had moved the chain elsewhere
            assert len(run_processes(work_dir)) == 1
        finally:
            network.stop()
    assert_gone(work_dir)


def port_in_time_wait() -> int:
    """A port whose last connection was closed by the server side: it sits in TIME_WAIT for a minute,
    as after a network stopped with a client connected."""
    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        client = socket.create_connection(("127.0.0.1", port), timeout=5)
        conn, _ = server.accept()
        conn.close()  # the server closes first ...
        client.recv(1)  # ... the client sees the FIN ...
        client.close()  # ... and answers it: the server's side of the connection is now in TIME_WAIT
    return port


def plain_bind_succeeds(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.chopsticks
def test_fixed_port_in_time_wait_is_usable(tmp_path: Path, work_dir: Path):
    port = port_in_time_wait()
    if plain_bind_succeeds(port):  # only a plain bind (no SO_REUSEADDR) sees TIME_WAIT: port_is_free must not
        pytest.skip("this kernel did not keep the port in TIME_WAIT")
    assert port_is_free(port)
    spec = load_network(write_network(tmp_path / "networks", ports={"kusama": port}))
    network = ChopsticksProvider().start(spec, settings(work_dir))
    try:
        assert network.endpoints["kusama"] == f"ws://127.0.0.1:{port}"
        chain_header(network.endpoints["kusama"])
    finally:
        network.stop()
    assert_gone(work_dir)


# --------------------------------------------------------------------------- 3. missing network file


def test_cli_missing_network(work_dir: Path):
    result = run_cli(["chains", "up", "--network", "no-such-network"], subprocess_env(work_dir))
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("harness: error:")
    assert "no-such-network" in lines[0] and "not found" in lines[0]
    assert re.search(r"known networks: .*\bkusama-local\b", lines[0]), lines[0]
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- 4. a chain that does not come up


@pytest.mark.chopsticks
def test_genesis_not_a_chain_spec(tmp_path: Path, work_dir: Path):
    bogus = tmp_path / "not-a-chain-spec.json"
    bogus.write_text("{}")
    spec = load_network(write_network(tmp_path / "networks", genesis=bogus))
    started = time.monotonic()
    with pytest.raises(ChainStartError) as info:
        ChopsticksProvider().start(spec, settings(work_dir, startup_timeout=30))
    assert time.monotonic() - started < 30
    message = str(info.value)
    assert "chain 'kusama'" in message or "exited" in message, message
    assert "last log lines:" in message
    logs = list(work_dir.glob("*/chopsticks.log"))
    assert len(logs) == 1
    log_tail = "\n".join(logs[0].read_text(errors="replace").splitlines()[-8:])
    assert log_tail.strip() and log_tail in message  # the log's last lines are in the error
    assert str(logs[0]) in message  # and where to read the rest
    assert_gone(work_dir)


def test_chain_never_ready_is_stopped(fake_node: Path, tmp_path: Path, work_dir: Path):
    """Readiness timeout: the error names the chain and shows the log; the process and its child are gone."""
    spec = load_network(write_network(tmp_path / "networks"))
    started = time.monotonic()
    with pytest.raises(ChainStartError) as info:
        ChopsticksProvider().start(spec, settings(work_dir, node_binary=str(fake_node), startup_timeout=3))
    elapsed = time.monotonic() - started
    assert 3 <= elapsed < 20, elapsed
    message = str(info.value)
    assert "chain 'kusama'" in message and "not ready after" in message
    assert "fake chopsticks starting" in message
    assert_gone(work_dir)  # the child ignored SIGTERM: the group SIGKILL got it


# --------------------------------------------------------------------------- 5. the real network


@pytest.mark.chopsticks
def test_real_network_up_and_down(tmp_path: Path, work_dir: Path):
    network = ChopsticksProvider().start(load_network(REAL_NETWORK), settings(work_dir))
    try:
        assert set(network.endpoints) == set(CHAINS)
        pids = run_processes(work_dir)
        assert len(pids) == 1, pids  # one chopsticks xcm process for the relay and its parachain
        assert all(" xcm " in cmd for cmd in pids.values())
        # accounts isolate scenarios here (no revert), and the relayer is the devnet's alone
        assert set(network.capabilities) == {Capability.STORAGE, Capability.BLOCKS, Capability.UPGRADE}
        assert network.snapshot() is None
        with pytest.raises(MissingCapability) as info:
            network.capability(Capability.RELAYER, "pause the relayer")
        assert str(info.value) == ("relayer controls: provider 'chopsticks' cannot pause the relayer; "
                                   "hint: providers with relayer controls: devnet")
        numbers = {}
        for chain, url in network.endpoints.items():
            assert re.fullmatch(r"ws://127\.0\.0\.1:\d+", url)
            header = chain_header(url)
            numbers[chain] = int(header["number"], 16)
            assert re.fullmatch(r"0x[0-9a-f]{64}", header["parentHash"])
        assert network.endpoints["kusama"] != network.endpoints["kusama-asset-hub"]
        # the attach provider takes the same endpoints from a file
        endpoints_file = tmp_path / "endpoints.json"
        endpoints_file.write_text(json.dumps(network.endpoints))
        attach_spec = dataclasses.replace(network.spec, provider_settings={
            **network.spec.provider_settings, "attach": {"endpoints_file": str(endpoints_file)}})
        attached = AttachProvider().start(attach_spec, settings(work_dir, startup_timeout=10))
        assert attached.endpoints == network.endpoints and attached.capabilities == {}
    finally:
        network.stop()
    assert_gone(work_dir, timeout=0.5)  # stop() waits for the process: nothing should linger at all
    assert not any(f"{work_dir}/" in cmd for cmd in processes("chopsticks").values())
    assert not rpc_ready(network.endpoints["kusama"])


LIVE_BRIDGE = PROJECT_ROOT / "harness" / "networks" / "kusama-polkadot-live.yaml"


def test_bridged_network_command_line():
    """Two relays with their parachains become one `chopsticks bridge`: each side's relay and parachains behind
    its own flags, and the relayer signer from the network file."""
    network = load_network(LIVE_BRIDGE)
    configs = {name: Path(f"/run/{name}.yml") for name in network.chains}
    command, wired = chopsticks_mod._command(network, configs, network.provider_settings["chopsticks"])
    assert command == ["bridge", "-r", "/run/kusama.yml", "-p", "/run/kusama-asset-hub.yml",
                       "-p", "/run/kusama-bridge-hub.yml", "-R", "/run/polkadot.yml",
                       "-P", "/run/polkadot-asset-hub.yml", "-P", "/run/polkadot-bridge-hub.yml",
                       "--bridge-signer-uri", "//Alice"]
    assert wired == "Bridge connected"  # chopsticks prints it once both connectors run
    one_side = load_network(REAL_NETWORK)
    command, wired = chopsticks_mod._command(one_side, {n: Path(f"/run/{n}.yml") for n in CHAINS}, {})
    assert command[:3] == ["xcm", "-r", "/run/kusama.yml"] and wired == "Connected relaychain"


def test_bridged_network_needs_parachains_on_both_sides():
    network = load_network(LIVE_BRIDGE)
    lonely = dataclasses.replace(network, chains={name: chain for name, chain in network.chains.items()
                                                  if name != "polkadot" and chain.relay != "polkadot"}
                                 | {"polkadot": network.chains["polkadot"]})
    with pytest.raises(ProviderError) as info:
        chopsticks_mod._command(lonely, {name: Path(name) for name in lonely.chains}, {})
    assert str(info.value).startswith("chopsticks runs one chain, a relay with its parachains, or two relays with "
                                      "their parachains bridged; ")
    assert "has 2 relay(s) and 2 parachain(s)" in str(info.value)


def test_the_live_bridge_file_funds_its_relayers_in_storage_a_bridge_hub_reads():
    """The live file cannot be started offline; its relayer funding can be checked: each entry encodes against a
    Bridge Hub's metadata (the devnet's, held to the real one by tests/devnet/test_metadata_conformance.py) and
    names the accounts chopsticks' connector signs with."""
    live = load_network(LIVE_BRIDGE)
    signer = live.provider_settings["chopsticks"]["bridge_signer"]
    relayers = {Keypair.create_from_uri(uri).ss58_address for uri in (signer, f"{signer}//reverse")}
    pool = NetworkPool(Settings.from_env())
    try:
        _, clients = pool.get(load_network(PROJECT_ROOT / "harness" / "networks" / "kusama-polkadot.yaml"))
        for hub in ("kusama-bridge-hub", "polkadot-bridge-hub"):
            entries = live.chains[hub].storage
            assert {entry.key for entry in entries} == relayers
            for entry in entries:
                key, value = clients[hub].storage_item(entry.pallet, entry.item, entry.value, [entry.key])
                assert key.startswith("0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9")  # System.Account
                assert value is not None
    finally:
        pool.stop()


@pytest.mark.chopsticks
def test_bridge_connector_starts_both_sides_offline(tmp_path: Path, work_dir: Path):
    """The bridged command line on real wasm, offline: the genesis specs have no Bridge Hub, so chopsticks starts
    both sides and its connector then refuses; the user gets that refusal as one line, and nothing is left."""
    data = yaml.safe_load(write_network(tmp_path / "one").read_text())
    chains = {}
    for side in ("left", "right"):
        for name, chain in data["chains"].items():
            own = dict(chain, relay=side) if chain["role"] == "parachain" else dict(chain)
            chains[name.replace("kusama", side)] = own
    bridged = tmp_path / "bridged.yaml"
    bridged.write_text(yaml.safe_dump({"name": "bridged", "provider": "chopsticks", "chains": chains}))
    with pytest.raises(ChainStartError) as info:
        ChopsticksProvider().start(load_network(bridged), settings(work_dir))
    message = info.value.message
    assert message.startswith("chopsticks bridge: no left-side parachain hosts pallet_bridge_messages. Provided: ")
    assert "\n" not in message and "left-asset-hub.yml" in message
    assert "needs its Bridge Hub" in info.value.hint
    log = next(work_dir.glob("bridged-*/chopsticks.log")).read_text()
    assert log.count("Connected relaychain") == 2  # both sides were up before the connector looked
    assert_gone(work_dir)


def test_attach_unreachable_endpoints(tmp_path: Path, work_dir: Path):
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    endpoints_file = tmp_path / "endpoints.json"
    endpoints_file.write_text(json.dumps({c: f"ws://127.0.0.1:{port}" for c in CHAINS}))
    spec = load_network(REAL_NETWORK)
    spec = dataclasses.replace(spec, provider_settings={"attach": {"endpoints_file": str(endpoints_file)}})
    started = time.monotonic()
    with pytest.raises(ChainStartError) as info:
        AttachProvider().start(spec, settings(work_dir, startup_timeout=1))
    assert time.monotonic() - started < 10
    assert "not reachable" in str(info.value) and f"kusama (ws://127.0.0.1:{port})" in str(info.value)
    endpoints_file.write_text(json.dumps({"kusama": f"ws://127.0.0.1:{port}"}))
    with pytest.raises(ProviderError, match="no endpoint for kusama-asset-hub"):
        AttachProvider().start(spec, settings(work_dir, startup_timeout=1))


# --------------------------------------------------------------------------- 6. interrupting a run


def scenario_rootdir(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    write_network(root / "networks")
    (root / "scenarios").mkdir(parents=True)
    (root / "scenarios" / "long_wait.yaml").write_text(LONG_WAIT_SCENARIO)
    (root / "pytest.ini").write_text("[pytest]\n")
    return root


def start_pytest(root: Path, work_dir: Path, **env: str) -> tuple[subprocess.Popen, Path]:
    output = root / "pytest-output.txt"
    with output.open("w") as out:
        proc = subprocess.Popen([PYTHON, "-m", "pytest", "scenarios/long_wait.yaml", "-p", "no:cacheprovider"],
                                cwd=root, env=subprocess_env(work_dir, no_deathsig=root / "spawned", **env),
                                stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return proc, output


@pytest.mark.chopsticks
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_signal_mid_scenario_stops_chopsticks(tmp_path: Path, work_dir: Path, sig: signal.Signals):
    root = scenario_rootdir(tmp_path)
    proc, output = start_pytest(root, work_dir)
    try:
        def alive_and(check):
            assert proc.poll() is None, f"pytest exited early ({proc.returncode}):\n{output.read_text()}"
            return check()

        pids = wait_for(lambda: alive_and(lambda: run_processes(work_dir)), 60, "chopsticks to start")
        started_without_deathsig(root / "spawned", pids)
        wait_for(lambda: alive_and(lambda: network_up(work_dir)), 90, "the network to come up", interval=0.5)
        time.sleep(2)  # the scenario is now in its 1000-block wait
        assert proc.poll() is None and "a long wait" not in output.read_text()
        proc.send_signal(sig)
        code = proc.wait(timeout=60)
        text = output.read_text()
        assert code == pytest.ExitCode.INTERRUPTED, text
        assert "KeyboardInterrupt" in text
        assert "Traceback" not in text
        assert_gone(work_dir)
        for pid in pids:  # the very processes seen running are gone, not just renamed
            assert not Path(f"/proc/{pid}/cmdline").exists() or not Path(f"/proc/{pid}/cmdline").read_bytes()
    finally:
        stop_subprocess(proc)


def test_sigint_while_network_starts(fake_node: Path, tmp_path: Path, work_dir: Path):
    """Ctrl-C while the provider waits for readiness: pytest stops at once and takes the processes down."""
    root = scenario_rootdir(tmp_path)
    proc, output = start_pytest(root, work_dir, HARNESS_NODE=str(fake_node), HARNESS_STARTUP_TIMEOUT="120")
    try:
        wait_for(lambda: len(run_processes(work_dir)) == 2, 30, "the fake node and its child")
        started_without_deathsig(root / "spawned", run_processes(work_dir))  # the fake node, not its own child
        time.sleep(0.5)
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        code = proc.wait(timeout=60)
        assert time.monotonic() - started < 15
        assert code == pytest.ExitCode.INTERRUPTED, output.read_text()
        assert_gone(work_dir)
    finally:
        stop_subprocess(proc)


def start_chains_up(endpoints_file: Path, work_dir: Path, *extra: str, **env: str) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "-m", "harness.cli", "chains", "up", "--network", "kusama-local",
         "--endpoints-file", str(endpoints_file), *extra],
        cwd=PROJECT_ROOT, env=subprocess_env(work_dir, no_deathsig=endpoints_file.with_suffix(".spawned"), **env), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL, text=True, start_new_session=True)


@pytest.mark.chopsticks
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_cli_chains_up_endpoints_file(tmp_path: Path, work_dir: Path, sig: signal.Signals):
    endpoints_file = tmp_path / "endpoints.json"
    proc = start_chains_up(endpoints_file, work_dir)
    try:
        def endpoints():
            assert proc.poll() is None, f"chains up exited early ({proc.returncode}): {proc.stderr.read()}"
            try:
                return json.loads(endpoints_file.read_text())
            except (OSError, ValueError):
                return None

        urls = wait_for(endpoints, 90, f"{endpoints_file} to appear", interval=0.3)
        assert set(urls) == set(CHAINS), urls
        for chain, url in urls.items():
            assert re.fullmatch(r"ws://127\.0\.0\.1:\d+", url), url
            chain_header(url)
        pids = run_processes(work_dir)
        assert len(pids) == 1, pids
        started_without_deathsig(endpoints_file.with_suffix(".spawned"), pids)
        proc.send_signal(sig)
        stdout, stderr = proc.communicate(timeout=60)
        assert proc.returncode == 0, stderr
        assert json.loads(stdout) == urls  # the same endpoints on stdout
        assert "is up" in stderr and "Traceback" not in stderr
        assert_gone(work_dir)
        assert not any(rpc_ready(url) for url in urls.values())
    finally:
        stop_subprocess(proc)


def test_cli_chains_up_sigint_during_startup(fake_node: Path, tmp_path: Path, work_dir: Path):
    proc = start_chains_up(tmp_path / "endpoints.json", work_dir, "--startup-timeout", "8",
                           HARNESS_NODE=str(fake_node))
    try:
        wait_for(lambda: len(run_processes(work_dir)) == 2, 30, "the fake node and its child")
        proc.send_signal(signal.SIGINT)
        started = time.monotonic()
        proc.communicate(timeout=60)
        assert_gone(work_dir)
        assert time.monotonic() - started < 4, "Ctrl-C during startup waited for the startup timeout"
    finally:
        stop_subprocess(proc)


# --------------------------------------------------------------------------- 7. ManagedProcess.wait_ready


class StepClock:
    """A clock that reads `values` in turn, then stays on the last one."""

    def __init__(self, *values: float) -> None:
        self.values = list(values)
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def guarded_frozen_clock(limit: float = 20.0) -> Callable[[], float]:
    """Time stands still, unless the test has really waited `limit` seconds (so a bug cannot hang it)."""
    real_start = time.monotonic()
    return lambda: 0.0 if time.monotonic() - real_start < limit else 1e9


def managed(tmp_path: Path, code: str) -> ManagedProcess:
    marker = str(tmp_path / "marker")  # in the command line, to find the process in /proc
    return ManagedProcess("test process", [PYTHON, "-c", code, marker], tmp_path / "logs" / "test.log")


def test_wait_ready_timeout_uses_clock_and_shows_log(tmp_path: Path):
    proc = managed(tmp_path, "print('line-one'); print('line-two', flush=True); import time; time.sleep(60)")
    proc.start()
    try:
        wait_for(lambda: "line-two" in proc.log_path.read_text(), 10, "the log lines")
        clock = StepClock(100.0, 100.0, 200.0)  # deadline 100 + 30; the third reading is past it
        checks = []
        started = time.monotonic()
        with pytest.raises(ChainStartError) as info:
            proc.wait_ready(lambda: checks.append(1) and False, 30, "thing 'x'", clock=clock)
        assert time.monotonic() - started < 5  # the injected clock, not the real one, decided
        message = str(info.value)
        assert "thing 'x' not ready after 30s" in message
        assert "line-one\nline-two" in message
        assert str(proc.log_path) in message
        assert len(checks) == 2 and clock.calls == 3
        assert proc.exit_code() is None  # wait_ready reports; stopping is the caller's job
    finally:
        proc.stop(grace=1)
    assert proc.proc.poll() is not None
    assert not processes(str(tmp_path / "marker"))


def test_wait_ready_process_exits_early(tmp_path: Path):
    proc = managed(tmp_path, "import sys; print('boom: bad config', flush=True); sys.exit(3)")
    proc.start()
    try:
        with pytest.raises(ChainStartError) as info:
            proc.wait_ready(lambda: False, 5, "chain 'y'", clock=guarded_frozen_clock())
        message = str(info.value)
        assert "chain 'y' exited with code 3" in message
        assert "boom: bad config" in message
        assert "not ready after" not in message
    finally:
        proc.stop(grace=1)
    assert proc not in process_mod._LIVE


def test_wait_ready_returns_when_check_holds(tmp_path: Path):
    proc = managed(tmp_path, "import time; time.sleep(60)")
    proc.start()
    try:
        results = iter([False, False, True])
        proc.wait_ready(lambda: next(results), 5, "z", clock=guarded_frozen_clock())
        assert proc.exit_code() is None
    finally:
        proc.stop(grace=1)


def test_launch_stops_a_process_that_is_not_ready_and_explains_why(tmp_path: Path):
    proc = managed(tmp_path, "import time; time.sleep(60)")
    with pytest.raises(ChainStartError) as info:
        launch(proc, [("first", lambda: True), ("second", lambda: False)], 1.0,
               lambda error: ChainStartError(f"explained: {error.message.splitlines()[0]}"))
    assert str(info.value) == "explained: second not ready after 1s; last log lines:"
    assert proc.proc.poll() is not None and proc not in process_mod._LIVE
    assert not processes(str(tmp_path / "marker"))


def test_launch_stops_the_process_when_interrupted_while_it_waits(tmp_path: Path):
    proc = managed(tmp_path, "import time; time.sleep(60)")

    def interrupted() -> bool:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        launch(proc, [("chain", interrupted)], 5.0)
    assert proc.proc.poll() is not None and not processes(str(tmp_path / "marker"))


def test_start_missing_binary(tmp_path: Path):
    proc = ManagedProcess("ghost", [str(tmp_path / "no-such-binary")], tmp_path / "ghost.log")
    with pytest.raises(ChainStartError, match="cannot start ghost: .*no-such-binary not found"):
        proc.start()
    assert proc not in process_mod._LIVE


def test_stop_kills_children_that_ignore_sigterm(tmp_path: Path):
    marker = str(tmp_path / "tree")
    code = ("import signal, subprocess, sys, time; "
            "subprocess.Popen([sys.executable, '-c', 'import signal, time; "
            "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)', sys.argv[1]]); "
            "print('child started', flush=True); time.sleep(60)")
    proc = ManagedProcess("tree", [PYTHON, "-c", code, marker], tmp_path / "tree.log")
    proc.start()
    try:
        wait_for(lambda: len(processes(marker)) == 2, 10, "parent and child")
        started = time.monotonic()
        proc.stop(grace=2)
        assert time.monotonic() - started < 5
        wait_for(lambda: not processes(marker), 3, "the process tree to be gone")
    finally:
        for pid in processes(marker):
            os.kill(pid, signal.SIGKILL)


def test_stop_all_stops_every_live_process(tmp_path: Path):
    procs = [managed(tmp_path / str(i), "import time; time.sleep(60)") for i in range(2)]
    for proc in procs:
        proc.start()
    try:
        assert all(p in process_mod._LIVE for p in procs)
        process_mod.stop_all()
        assert all(p.proc.poll() is not None for p in procs)
        assert not any(p in process_mod._LIVE for p in procs)
    finally:
        for proc in procs:
            proc.stop(grace=1)
