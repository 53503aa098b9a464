"""The devnet provider: the embedded emulated chains (harness/devnet), all in one Python process.

The process (`python -m harness.devnet`) prints one JSON line when every chain answers; this
provider waits for that line. Isolation is one devnet-wide dev_snapshot before each scenario and
dev_revert after it, which takes every chain (and the XCM messages between them) back at once.
The bridge relayer's controls are the devnet's own dev_relayer* RPCs (harness/devnet/bridge/control.py);
version changes without wasm are its dev_setSpecVersion and dev_setXcmVersion (harness/devnet/upgrades.py).
"""
from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from ..devnet.devnet_config import DevnetConfig, build_config
from ..errors import ChainStartError, HarnessError, ProviderError
from ..network.facts import BRIDGE_HUB_ID
from ..network.topology import NetworkSpec
from ..scenario.positions import ScenarioErrors
from ..settings import PROJECT_ROOT, Settings
from .base import RunningNetwork
from .capabilities import Capability, RelayerState, Snapshot, UpgradeReport
from .dev_rpcs import dev_capabilities, own_state
from .process import ManagedProcess, ProcessNetwork, launch, run_folder

READY = "ready"  # the "event" of the devnet's ready line
ERROR_PREFIX = "devnet: error: "  # how the devnet starts the line of an error it exits on


@dataclass(eq=False)
class DevnetSnapshots:
    """One devnet-wide snapshot (dev_snapshot answers an id), taken and reverted through the first chain."""

    network: RunningNetwork

    def take(self) -> Snapshot:
        chain = next(iter(self.network.endpoints))
        return Snapshot(self, (chain, str(self.network.rpc(chain, "dev_snapshot", []))))

    def revert(self, snapshot: Snapshot) -> None:
        chain, snapshot_id = own_state(self, snapshot)
        self.network.rpc(chain, "dev_revert", [snapshot_id])


@dataclass
class DevnetRelayer:
    """The devnet's one relayer between the two Bridge Hubs, asked through a Bridge Hub's endpoint."""

    network: RunningNetwork

    def pause(self) -> None:
        self._call("dev_relayerPause")

    def resume(self) -> None:
        self._call("dev_relayerResume")

    def delay(self, blocks: int) -> None:
        self._call("dev_relayerDelay", blocks)

    def state(self) -> RelayerState:
        state = self._call("dev_relayerState")
        return RelayerState(state["paused"], state["delay_blocks"])

    def restore(self, state: RelayerState) -> None:
        self.delay(state.delay_blocks)
        self.pause() if state.paused else self.resume()

    def _call(self, method: str, *params: object) -> dict:
        spec = self.network.spec
        hubs = [c.name for c in spec.chains.values() if c.para_id == BRIDGE_HUB_ID]
        if not hubs:
            raise HarnessError(f"network '{spec.name}' has no bridge hub, so no relayer",
                               f"the relayer runs between parachains with para_id {BRIDGE_HUB_ID}")
        return self.network.rpc(hubs[0], method, list(params))


@dataclass
class DevnetVersions:
    """A chain's code changed by the devnet's dev RPCs: it answers once the chain runs the new code (two blocks
    built: CodeUpdated, then the first block of the new version). A refusal is a ChainCallError in the runtime's
    words, e.g. "System.SpecVersionNeedsToIncrease: spec version 5 does not increase on kusama, which runs 2003002"."""

    network: RunningNetwork

    def set_spec_version(self, chain: str, spec_version: int) -> UpgradeReport:
        change = self.network.rpc(chain, "dev_setSpecVersion", [spec_version])
        return UpgradeReport(chain, change["specVersionBefore"], change["specVersion"], change["codeHash"],
                             tuple(block["number"] for block in change["blocks"]))

    def set_xcm_version(self, chain: str, version: int) -> None:
        self.network.rpc(chain, "dev_setXcmVersion", [version])


def ready_line(log: Path) -> dict | None:
    """The devnet's ready line, once it is in the log."""
    try:
        text = log.read_text(errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("{"):
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if isinstance(message, dict) and message.get("event") == READY:
                return message
    return None


def _config(network: NetworkSpec) -> DevnetConfig:
    """Checked here, before a process starts, so a bad file is one positioned error."""
    try:
        return build_config(network)
    except ScenarioErrors as exc:
        raise ProviderError("\n".join(e.line() for e in exc.errors)) from None


def _startup_failure(process: ManagedProcess, error: ChainStartError) -> ChainStartError:
    """The devnet's own error line (it exits with 2 on bad input, e.g. a port in use) rather than a log dump."""
    if process.exit_code() != 2:
        return error
    lines = process.log_path.read_text(errors="replace").splitlines()
    own = [line.removeprefix(ERROR_PREFIX) for line in lines if line.startswith(ERROR_PREFIX)]
    return ChainStartError("\n".join(own)) if own else error


class DevnetProvider:
    name = "devnet"

    def start(self, network: NetworkSpec, settings: Settings) -> RunningNetwork:
        config = _config(network)
        log = run_folder(settings, network) / "devnet.log"
        # the block mode too, so manual_blocks below always says what the process does
        args = [sys.executable, "-m", "harness.devnet", "--network", str(network.file.resolve()),
                "--block-mode", config.block_mode]
        if config.endpoints_file:  # a setting laid over the file's (pytest --endpoints-file): the file lacks it
            args += ["--endpoints-file", str(config.endpoints_file.resolve())]
        python_path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        process = ManagedProcess(f"devnet ({network.name})", args, log, cwd=log.parent,
                                 env={"PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"})
        launch(process, [(f"devnet '{network.name}'", lambda: ready_line(log) is not None)],
               settings.startup_timeout, lambda error: _startup_failure(process, error))
        endpoints = ready_line(log)["endpoints"]
        running = ProcessNetwork(network, self.name, endpoints, {name: log for name in endpoints},
                                 manual_blocks=config.block_mode == "manual", process=process)
        running.capabilities = {**dev_capabilities(running), Capability.SNAPSHOT: DevnetSnapshots(running),
                                Capability.RELAYER: DevnetRelayer(running),
                                Capability.VERSIONS: DevnetVersions(running)}
        return running
