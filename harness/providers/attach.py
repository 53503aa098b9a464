"""The attach provider: endpoints that are already running, listed in a JSON or YAML file."""
from __future__ import annotations

import time
from pathlib import Path

import yaml

from ..errors import ChainStartError, ProviderError
from ..network.topology import NetworkSpec
from ..settings import Settings
from .base import RunningNetwork, wait_all_ready
from .dev_rpcs import dev_capabilities


class AttachProvider:
    name = "attach"

    def start(self, network: NetworkSpec, settings: Settings) -> RunningNetwork:
        options = network.provider_settings.get("attach", {})
        file = options.get("endpoints_file")
        if not file:
            raise ProviderError("the attach provider needs an endpoints file",
                                "pass --endpoints-file F, or set providers.attach.endpoints_file")
        path = Path(file)
        try:
            endpoints = yaml.safe_load(path.read_text())
        except (OSError, yaml.YAMLError) as exc:
            raise ProviderError(f"cannot read endpoints file {path}: {exc}",
                                'it maps chain names to URLs: {"kusama": "ws://127.0.0.1:9944"}') from None
        if not isinstance(endpoints, dict):
            raise ProviderError(f"{path} must map chain names to ws:// URLs", 'e.g. {"kusama": "ws://127.0.0.1:9944"}')
        missing = sorted(set(network.chains) - set(endpoints))
        if missing:
            raise ProviderError(f"{path} has no endpoint for {', '.join(missing)}",
                                f"network '{network.name}' needs: {', '.join(network.chains)}")
        urls = {name: str(endpoints[name]) for name in network.chains}
        down = wait_all_ready(urls, time.monotonic() + settings.startup_timeout)
        if down:
            raise ChainStartError(f"not reachable: {', '.join(f'{c} ({urls[c]})' for c in down)}",
                                  "start the nodes first, or fix the endpoints file")
        running = RunningNetwork(network, self.name, urls)
        # dev RPCs are used only when the operator says the endpoints are dev chains (chopsticks, devnet)
        if options.get("dev_rpcs", False):
            running.capabilities = dev_capabilities(running)
        return running
