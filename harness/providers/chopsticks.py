"""The chopsticks provider: @acala-network/chopsticks 1.5.1 running the REAL runtime wasm.

Isolation: `dev_setHead` reverts one chain well, but in xcm mode reverting the relay under a running
parachain stalled block production and lost downward messages (seen with 1.5.1 and the Kusama genesis
specs), so scenarios are isolated by their own derived accounts unless `isolation: revert` is set.

One process per network: `chopsticks xcm` for a relay with parachains, plain chopsticks for one chain, and
`chopsticks bridge` for two relays with their parachains: chopsticks' own bridge connector (1.5.1, cli.ts) then
carries lane messages between the two sides' Bridge Hubs (the parachains with pallet_bridge_messages), signed by
`providers.chopsticks.bridge_signer` (//Alice unless set) one way and its `//reverse` derivation the other way,
both of which must hold funds on both Bridge Hubs. Each chain runs from a genesis chain spec (`genesis:`) or
forks a live chain (`endpoint:`).
"""
from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import yaml

from ..endpoints import parse_port
from ..errors import ChainStartError, HarnessError, ProviderError
from ..network.runtime_wasm import check_spec_name, genesis_code, load_candidate, read_runtime_bytes
from ..network.topology import ChainSpec, NetworkSpec
from ..settings import Settings
from .base import RunningNetwork, free_port, port_is_free
from .connection import call_once, rpc_ready
from .capabilities import Capability
from .dev_rpcs import HeadSnapshots, dev_capabilities
from .process import ManagedProcess, ProcessNetwork, launch, run_folder
from .chopsticks_install import chopsticks_entry
from .upgrades import GovernanceUpgrades

BLOCK_MODES = ("Instant", "Manual", "Batch")
# chopsticks logs where each chain listens (setup-with-server.ts); on a busy port it moves on to the next free
# one without failing (server.ts portInUse), so a port taken between our choice and its bind would leave the
# harness talking to whoever holds it: another xdist worker's chain
LISTENING = re.compile(r"RPC listening on http://127\.0\.0\.1:(\d+)")
START_ATTEMPTS = 3  # fresh free ports each time a chosen one was taken before chopsticks bound it


class PortTaken(ChainStartError):
    """A port the harness chose was bound by someone else before chopsticks started on it."""
ISOLATION = ("accounts", "revert")


def _entry_point(settings: Settings) -> Path:
    entry = chopsticks_entry(settings)
    if shutil.which(settings.node_binary) is None:
        raise ProviderError(f"node ('{settings.node_binary}') is not on PATH",
                            "install Node.js 20 or newer, or set HARNESS_NODE")
    return entry


def _chain_config(chain: ChainSpec, port: int, block_mode: str) -> dict:
    own = dict(chain.provider_settings.get("chopsticks", {}))
    if not own.get("genesis") and not own.get("endpoint"):
        raise ProviderError(f"chain '{chain.name}' has neither chopsticks.genesis nor chopsticks.endpoint",
                            "give a chain spec path, or a live endpoint to fork")
    genesis = own.get("genesis")
    if genesis and not Path(genesis).is_file():
        raise ProviderError(f"chain spec for '{chain.name}' not found: {genesis}",
                            "set HARNESS_CHAINSPECS to the folder holding the chain specs"
                            f"{'' if os.environ.get('HARNESS_CHAINSPECS') else ' (it is unset)'}, or give "
                            "its path as chopsticks.genesis in your own copy of the network in networks/")
    own.pop("port", None)
    if own.get("db"):  # chopsticks' sqlite cache of a fork; its folder may not exist yet
        Path(own["db"]).parent.mkdir(parents=True, exist_ok=True)
    wasm = own.pop("wasm", None)
    if wasm:  # a candidate runtime: chopsticks writes it into :code at the fork head before the first block
        own["wasm-override"] = _checked_candidate(chain, str(wasm))
    return {**own, "port": port, "host": "127.0.0.1", "build-block-mode": block_mode}


def _checked_candidate(chain: ChainSpec, path: str) -> str:
    """The candidate's path, once it is a runtime wasm whose spec name is the one the chain runs now."""
    candidate = load_candidate(path, chain.name)
    current = _current_spec_name(chain)
    if current is not None:
        check_spec_name(candidate, path, chain.name, current)
    return str(Path(path).resolve())


def _current_spec_name(chain: ChainSpec) -> str | None:
    """The spec name of the runtime the chain would run without a candidate: its genesis spec's code, or the
    live chain's (None when the endpoint cannot be asked now; chopsticks then says why it cannot fork)."""
    own = chain.provider_settings.get("chopsticks", {})
    if own.get("genesis"):
        return read_runtime_bytes(genesis_code(own["genesis"])).spec_name
    try:
        return str(call_once(str(own["endpoint"]), "state_getRuntimeVersion", [], timeout=10.0)["specName"])
    except (HarnessError, KeyError, TypeError):
        return None


def _fixed_port(chain: ChainSpec, network: NetworkSpec) -> int | None:
    raw = chain.provider_settings.get("chopsticks", {}).get("port")
    if raw is None:
        return None
    port = parse_port(raw)
    if port is None:
        raise ProviderError(f"chopsticks.port of chain '{chain.name}' must be a port number (1-65535), not {raw!r}",
                            f"fix it in {network.file}, or remove it to get a free port")
    return port


def _ports(network: NetworkSpec) -> dict[str, int]:
    """A port per chain: the fixed ones (checked free and distinct), then free ones that differ from all others."""
    fixed: dict[str, int] = {}
    for chain in network.chains.values():
        port = _fixed_port(chain, network)
        if port is None:
            continue
        other = next((name for name, p in fixed.items() if p == port), None)
        if other is not None:
            raise ChainStartError(f"port {port} is given to both '{other}' and '{chain.name}'",
                                  f"give each chain its own port in {network.file}")
        if not port_is_free(port):
            raise ChainStartError(f"port {port} for chain '{chain.name}' is in use",
                                  "stop what holds it (another 'harness chains up'?) or remove the fixed port")
        fixed[chain.name] = port
    taken = set(fixed.values())
    ports = {}
    for chain in network.chains.values():
        if chain.name in fixed:
            ports[chain.name] = fixed[chain.name]
            continue
        # the OS may hand out the same free port twice, or one a later chain has fixed
        port = next((p for p in (free_port() for _ in range(100)) if p not in taken), None)
        if port is None:
            raise ChainStartError(f"no free port found for chain '{chain.name}'", "free some ports, or fix one")
        taken.add(port)
        ports[chain.name] = port
    return ports


def _command(network: NetworkSpec, configs: dict[str, Path], options: dict) -> tuple[list[str], str | None]:
    """chopsticks' command line for the network's shape, and the log line that says it is wired up (None: a
    lone chain is ready when it answers)."""
    relays = [c for c in network.chains.values() if c.role == "relay"]
    sides = [[configs[relay.name], *(configs[c.name] for c in network.chains.values() if c.relay == relay.name)]
             for relay in relays]
    if len(relays) == 1 and len(sides[0]) > 1:
        return ["xcm", "-r", str(sides[0][0]), *_each("-p", sides[0][1:])], "Connected relaychain"
    if len(relays) == 2 and all(len(side) > 1 for side in sides):
        signer = str(options.get("bridge_signer", "//Alice"))
        return ["bridge", "-r", str(sides[0][0]), *_each("-p", sides[0][1:]),
                "-R", str(sides[1][0]), *_each("-P", sides[1][1:]), "--bridge-signer-uri", signer], \
            "Bridge connected"
    if len(network.chains) == 1:
        return ["-c", str(next(iter(configs.values())))], None
    raise ProviderError("chopsticks runs one chain, a relay with its parachains, or two relays with their "
                        f"parachains bridged; {network.file} has {len(relays)} relay(s) and "
                        f"{len(network.chains) - len(relays)} parachain(s)",
                        "give each relay its parachains (the bridge needs a Bridge Hub on both sides)")


def _listening(log: Path, port: int, ports: dict[str, int]) -> bool:
    """chopsticks says it listens on `port` and answers there; PortTaken when it moved a chain to a port not ours."""
    said = {int(p) for p in LISTENING.findall(log.read_text(errors="replace"))}
    moved = said - set(ports.values())
    if moved:
        raise PortTaken(f"chopsticks started a chain on port {min(moved)}: a port chosen for it was taken first",
                        "another process took it between the harness's choice and chopsticks' start")
    return port in said and rpc_ready(f"ws://127.0.0.1:{port}")


def _connector_refusal(log: Path) -> ChainStartError | None:
    """chopsticks' bridge connector's own refusal (e.g. no Bridge Hub on one side), as one line."""
    for line in log.read_text(errors="replace").splitlines():
        if line.startswith("Error: chopsticks bridge: "):
            return ChainStartError(line.removeprefix("Error: "),
                                   "each side of a bridged network needs its Bridge Hub: a parachain whose runtime "
                                   f"has pallet_bridge_messages (see the whole log at {log})")
    return None


def _each(flag: str, paths: list[Path]) -> list[str]:
    return [part for path in paths for part in (flag, str(path))]


class ChopsticksProvider:
    name = "chopsticks"
    runs_wasm = True  # candidate runtimes (engine/candidates.py) become wasm-override

    def start(self, network: NetworkSpec, settings: Settings) -> RunningNetwork:
        entry = _entry_point(settings)
        options = network.provider_settings.get("chopsticks", {})
        block_mode = str(options.get("block_mode", "Instant"))
        if block_mode not in BLOCK_MODES:
            raise ProviderError(f"block_mode '{block_mode}' is not one of {', '.join(BLOCK_MODES)}",
                                f"set providers.chopsticks.block_mode in {network.file}")
        isolation = str(options.get("isolation", "accounts"))
        if isolation not in ISOLATION:
            raise ProviderError(f"isolation '{isolation}' is not one of {', '.join(ISOLATION)}",
                                f"set providers.chopsticks.isolation in {network.file}")
        fixed = any(_fixed_port(chain, network) is not None for chain in network.chains.values())
        for attempt in range(1, START_ATTEMPTS + 1):
            try:
                process, endpoints, log = self._launch(entry, network, settings, options, block_mode)
                break
            except PortTaken:
                if fixed or attempt == START_ATTEMPTS:
                    raise
        running = ProcessNetwork(network, self.name, endpoints, {name: log for name in endpoints},
                                 manual_blocks=block_mode == "Manual", process=process)
        running.capabilities = dev_capabilities(running)
        running.capabilities[Capability.UPGRADE] = GovernanceUpgrades(running)
        if isolation == "revert":
            running.capabilities[Capability.SNAPSHOT] = HeadSnapshots(running)
        return running

    def _launch(self, entry: Path, network: NetworkSpec, settings: Settings, options: dict,
                block_mode: str) -> tuple[ManagedProcess, dict[str, str], Path]:
        """One chopsticks process for the network, ready: its chains answer on the ports chosen for them."""
        run_dir = run_folder(settings, network)
        ports = _ports(network)
        configs = {}
        for chain in network.chains.values():
            path = run_dir / f"{chain.name}.yml"
            path.write_text(yaml.safe_dump(_chain_config(chain, ports[chain.name], block_mode)))
            configs[chain.name] = path
        command, wired = _command(network, configs, options)
        log = run_dir / "chopsticks.log"
        process = ManagedProcess(f"chopsticks ({network.name})", [settings.node_binary, str(entry), *command], log,
                                 cwd=run_dir)
        endpoints = {name: f"ws://127.0.0.1:{port}" for name, port in ports.items()}
        readiness = [(f"chain '{name}' ({endpoints[name]})", lambda port=port: _listening(log, port, ports))
                     for name, port in ports.items()]
        if wired:  # the relay answers before chopsticks has wired up the parachains (and the bridge)
            readiness.append((f"{command[0]} wiring of '{network.name}'",
                              lambda: wired in log.read_text(errors="replace")))
        launch(process, readiness, settings.startup_timeout, explain=lambda exc: _connector_refusal(log) or exc)
        return process, endpoints, log
