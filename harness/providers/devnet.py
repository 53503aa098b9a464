"""The devnet provider: the embedded emulated chains (harness/devnet), all in one Python process.

The process (`python -m harness.devnet`) prints one JSON line when every chain answers; this
provider waits for that line. Isolation is one devnet-wide dev_snapshot before each scenario and
dev_revert after it, which takes every chain (and the XCM messages between them) back at once.
"""
from __future__ import annotations

import itertools
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from ..devnet.devnet_config import DevnetConfig, build_config
from ..errors import ChainStartError, ProviderError
from ..network.topology import NetworkSpec
from ..scenario.positions import ScenarioErrors
from ..settings import PROJECT_ROOT, Settings
from .base import RunningNetwork
from .process import ManagedProcess

READY = "ready"  # the "event" of the devnet's ready line
ERROR_PREFIX = "devnet: error: "  # how the devnet starts the line of an error it exits on
_RUN_COUNTER = itertools.count()


@dataclass
class DevnetNetwork(RunningNetwork):
    process: ManagedProcess | None = field(default=None, repr=False)

    def snapshot(self) -> dict[str, str]:
        """One devnet-wide snapshot, taken through the first chain: {chain: snapshot id}."""
        chain = next(iter(self.endpoints))
        return {chain: str(self.rpc(chain, "dev_snapshot", []))}

    def revert(self, snapshot: dict[str, str]) -> None:
        (chain, snapshot_id), = snapshot.items()
        self.rpc(chain, "dev_revert", [snapshot_id])

    def stop(self) -> None:
        if self.process:
            self.process.stop()


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
        run_dir = settings.work_dir / f"{network.name}-{os.getpid()}-{next(_RUN_COUNTER)}"
        log = run_dir / "devnet.log"
        # the block mode too, so manual_blocks below always says what the process does
        args = [sys.executable, "-m", "harness.devnet", "--network", str(network.file),
                "--block-mode", config.block_mode]
        if config.endpoints_file:  # a setting laid over the file's (pytest --endpoints-file): the file lacks it
            args += ["--endpoints-file", str(config.endpoints_file.resolve())]
        python_path = os.pathsep.join(filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")]))
        process = ManagedProcess(f"devnet ({network.name})", args, log, cwd=run_dir,
                                 env={"PYTHONPATH": python_path, "PYTHONUNBUFFERED": "1"})
        process.start()
        try:
            process.wait_ready(lambda: ready_line(log) is not None, settings.startup_timeout,
                               f"devnet '{network.name}'")
        except ChainStartError as exc:
            process.stop()
            raise _startup_failure(process, exc) from None
        except BaseException:
            process.stop()
            raise
        endpoints = ready_line(log)["endpoints"]
        return DevnetNetwork(network, self.name, endpoints, {name: log for name in endpoints}, dev_rpcs=True,
                             manual_blocks=config.block_mode == "manual", can_revert=True, process=process)
