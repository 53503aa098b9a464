"""Networks started on first use and kept for the session, each with its chain clients."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..network.topology import NetworkSpec
from ..providers.base import RunningNetwork
from ..providers.registry import choose_provider
from ..settings import Settings
from .runner import ClientPool


@dataclass
class NetworkPool:
    settings: Settings
    provider: str | None = None  # overrides the network file's provider
    # settings from the command line (e.g. endpoints_file), laid over the network file's settings for
    # whichever provider is chosen: the pool knows no provider by name
    provider_options: dict[str, object] = field(default_factory=dict)
    running: dict[str, tuple[RunningNetwork, ClientPool]] = field(default_factory=dict)
    failed: dict[str, Exception] = field(default_factory=dict)

    def get(self, spec: NetworkSpec) -> tuple[RunningNetwork, ClientPool]:
        key = str(spec.file)
        if key in self.failed:  # a network that did not come up is not retried for every scenario
            raise self.failed[key]
        if key not in self.running:
            try:
                provider = choose_provider(self.provider, spec.provider)
                network = provider.start(self._with_options(spec, provider.name), self.settings)
            except Exception as exc:
                self.failed[key] = exc
                raise
            self.running[key] = (network, ClientPool(network, self.settings.step_timeout))
        return self.running[key]

    def _with_options(self, spec: NetworkSpec, provider: str) -> NetworkSpec:
        if not self.provider_options:
            return spec
        own = {**spec.provider_settings.get(provider, {}), **self.provider_options}
        return dataclasses.replace(spec, provider_settings={**spec.provider_settings, provider: own})

    def stop(self) -> None:
        for network, clients in self.running.values():
            try:
                clients.close()
            finally:
                network.stop()
        self.running.clear()
