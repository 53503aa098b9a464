"""The provider seam: a provider turns a NetworkSpec into a RunningNetwork, which offers capabilities."""
from __future__ import annotations

import json
import socket
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from ..errors import ChainCallError
from ..network.topology import NetworkSpec
from ..settings import Settings
from .capabilities import Capability, MissingCapability, Snapshot


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

    def stop(self) -> None:
        """Providers that own processes override this."""

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
        """One JSON-RPC call on a fresh connection (dev RPCs are rare; no need to share a socket)."""
        return call_once(self.endpoints[chain], method, params, timeout, chain)


def call_once(url: str, method: str, params: list, timeout: float = 30.0, name: str | None = None) -> object:
    """One JSON-RPC call to `url` on its own connection; a ChainCallError when it cannot be made or fails."""
    from websocket import WebSocketException, create_connection  # websocket-client (substrate-interface's)

    name = name or url
    try:
        ws = create_connection(url, timeout=timeout)
    except (OSError, WebSocketException) as exc:
        raise ChainCallError(f"cannot reach {name} at {url}: {exc}", "is the network still up?") from None
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}))
        reply = json.loads(ws.recv())
    except (OSError, ValueError, WebSocketException) as exc:
        raise ChainCallError(f"{name}: {method} got no answer: {exc}", "is the network still up?") from None
    finally:
        ws.close()
    if "error" in reply:
        error = reply["error"]
        detail = f": {error['data']}" if error.get("data") else ""   # jsonrpsee: the words are in data
        raise ChainCallError(f"{name}: {method} failed: {error.get('message')}{detail}", "check the chain's log")
    return reply.get("result")


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


def rpc_ready(url: str) -> bool:
    """A chain is ready when it answers chain_getHeader over WebSocket."""
    from websocket import create_connection

    try:
        ws = create_connection(url, timeout=2)
    except OSError:
        return False
    try:
        ws.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "chain_getHeader", "params": []}))
        return "result" in json.loads(ws.recv())
    except (OSError, ValueError, Exception):  # noqa: BLE001 - any failure means "not ready yet"
        return False
    finally:
        ws.close()


def wait_all_ready(urls: dict[str, str], deadline: float) -> list[str]:
    """Chains still not ready at `deadline` (used by attach)."""
    pending = dict(urls)
    while pending and time.monotonic() < deadline:
        pending = {c: u for c, u in pending.items() if not rpc_ready(u)}
        if pending:
            time.sleep(0.25)
    return sorted(pending)
