"""Networks started on first use and kept for the session, each with its chain clients."""
from __future__ import annotations

import dataclasses
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ..network.topology import NetworkSpec
from ..providers.base import RunningNetwork
from ..providers.registry import choose_provider
from ..settings import Settings
from .candidates import with_candidates
from .runner import ClientPool
from .storage import apply_network_overrides


@dataclass
class NetworkPool:
    settings: Settings
    provider: str | None = None  # overrides the network file's provider
    # settings from the command line (e.g. endpoints_file), laid over the network file's settings for
    # whichever provider is chosen: the pool knows no provider by name
    provider_options: dict[str, object] = field(default_factory=dict)
    runtimes: dict[str, str] = field(default_factory=dict)  # chain -> candidate runtime (--runtime CHAIN=PATH)
    running: dict[str, tuple[RunningNetwork, ClientPool]] = field(default_factory=dict)
    failed: dict[str, Exception] = field(default_factory=dict)

    def get(self, spec: NetworkSpec) -> tuple[RunningNetwork, ClientPool]:
        key = str(spec.file)
        if key in self.failed:  # a network that did not come up is not retried for every scenario
            raise self.failed[key]
        if key in self.running and not _listening(self.running[key][0]):
            self._drop(key)  # its process is gone (it crashed, or was stopped): this scenario gets a new one
        if key not in self.running:
            try:
                provider = choose_provider(self.provider, spec)
                laid = with_candidates(self._with_options(spec, provider.name), provider, self.runtimes)
                network = provider.start(laid, self.settings)
            except Exception as exc:
                self.failed[key] = exc
                raise
            clients = ClientPool(network, self.settings.step_timeout)
            try:
                apply_network_overrides(network, clients)
            except Exception as exc:
                self.failed[key] = exc
                clients.close()
                network.stop()
                raise
            self.running[key] = (network, clients)
        return self.running[key]

    def _with_options(self, spec: NetworkSpec, provider: str) -> NetworkSpec:
        if not self.provider_options:
            return spec
        own = {**spec.provider_settings.get(provider, {}), **self.provider_options}
        return dataclasses.replace(spec, provider_settings={**spec.provider_settings, provider: own})

    def _drop(self, key: str) -> None:
        network, clients = self.running.pop(key)
        try:
            clients.close()
        finally:
            network.stop()

    def stop(self) -> None:
        for network, clients in self.running.values():
            try:
                clients.close()
            finally:
                network.stop()
        self.running.clear()


def _listening(network: RunningNetwork) -> bool:
    """Whether the network's first endpoint still accepts connections. A refused connection is certain and
    instant; a slow one is not taken for a dead network."""
    if not network.endpoints:
        return True
    url = urlsplit(next(iter(network.endpoints.values())))
    try:
        socket.create_connection((url.hostname, url.port or 443), timeout=2).close()
    except ConnectionRefusedError:
        return False
    except OSError:  # slow, or unreachable for another reason: the scenario's own calls will say
        pass
    return True
