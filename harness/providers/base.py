"""The provider seam: a provider turns a NetworkSpec into a RunningNetwork, which offers capabilities."""
from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Protocol

from ..network.topology import NetworkSpec
from ..settings import Settings
from .capabilities import Capability, MissingCapability, Snapshot
from .connection import KeptConnection, rpc_ready


class Provider(Protocol):
    name: str

    def start(self, network: NetworkSpec, settings: Settings) -> "RunningNetwork":
        """Bring the network up and return it ready, or raise ChainStartError having cleaned up."""


@dataclass
class RunningNetwork:
    """Endpoints of a network that is up, and the capability objects its provider gave it."""

    spec: NetworkSpec
    provider: str
    endpoints: dict[str, str]
    logs: dict[str, Path] = field(default_factory=dict)
    manual_blocks: bool = False  # blocks come only when asked for (Manual mode)
    capabilities: dict[Capability, Any] = field(default_factory=dict)
    _connections: dict[str, KeptConnection] = field(default_factory=dict, repr=False, compare=False)

    def stop(self) -> None:
        """Closes the kept connections; providers that own processes also stop those."""
        for connection in self._connections.values():
            connection.close()
        self._connections.clear()

    def __enter__(self) -> "RunningNetwork":
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def capability(self, capability: Capability, doing: str) -> Any:
        """The object that does `capability`; `doing` ("pause the relayer") words the error when there is none."""
        if capability not in self.capabilities:
            raise MissingCapability(capability, self.provider, doing)
        return self.capabilities[capability]

    # the engine's everyday uses, each one capability
    def snapshot(self) -> Snapshot | None:
        """A token to revert to after a scenario; None when the network cannot revert (accounts isolate then)."""
        return self.capabilities[Capability.SNAPSHOT].take() if self.has(Capability.SNAPSHOT) else None

    def revert(self, snapshot: Snapshot) -> None:
        self.capability(Capability.SNAPSHOT, "revert to a snapshot").revert(snapshot)

    def new_block(self, chain: str) -> None:
        self.capability(Capability.BLOCKS, f"build a block on '{chain}'").new_block(chain)

    def set_storage(self, chain: str, items: list[tuple[str, str | None]]) -> None:
        self.capability(Capability.STORAGE, f"write storage on '{chain}'").write(chain, items)

    def rpc(self, chain: str, method: str, params: list, timeout: float = 30.0) -> object:
        """One JSON-RPC call on the chain's kept connection (a socket per call cost more than most calls)."""
        if chain not in self._connections:
            self._connections[chain] = KeptConnection(self.endpoints[chain], chain)
        return self._connections[chain].call(method, params, timeout)


def port_is_free(port: int) -> bool:
    """Whether a server can listen on `port`. Node binds with SO_REUSEADDR, so a port whose last connections
    are in TIME_WAIT is free for it; binding without that option would call it in use for a minute."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def poll_delays(first: float = 0.005, most: float = 0.05) -> Iterator[float]:
    """Sleeps between readiness polls: short at first (the devnet is up in tens of milliseconds, and a fixed
    quarter second was most of a start), doubling to `most` so a slow start is not polled hard."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, most)


def wait_all_ready(urls: dict[str, str], deadline: float) -> list[str]:
    """Chains still not ready at `deadline` (used by attach)."""
    pending, delays = dict(urls), poll_delays()
    while pending and time.monotonic() < deadline:
        pending = {c: u for c, u in pending.items() if not rpc_ready(u)}
        if pending:
            time.sleep(next(delays))
    return sorted(pending)
