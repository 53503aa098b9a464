"""Provider lookup by name: the one place that knows which providers exist.

Providers are imported on first use, so that looking a name up stays cheap.
Network files name providers (`provider:`, `providers:`, a chain's settings); the names are checked here.
"""
from __future__ import annotations

import difflib
from importlib import import_module
from typing import Any

from ..errors import ProviderError
from ..network.topology import CHAIN_KEYS, NetworkSpec
from ..scenario.positions import ScenarioError, ScenarioErrors, error_at

PROVIDERS = {  # name -> "module:class"
    "devnet": "harness.providers.devnet:DevnetProvider",
    "chopsticks": "harness.providers.chopsticks:ChopsticksProvider",
    "attach": "harness.providers.attach:AttachProvider",
}
PLANNED = {"zombienet": "the zombienet provider is not built yet"}
KNOWN = (*PROVIDERS, *PLANNED)
DEFAULT = "devnet"  # when neither the command line nor the network file names a provider


def get_provider(name: str) -> Any:
    """A Provider (base.py), by name."""
    if name in PROVIDERS:
        module, cls = PROVIDERS[name].split(":")
        return getattr(import_module(module), cls)()
    if name in PLANNED:
        raise ProviderError(f"provider '{name}' is not available: {PLANNED[name]}",
                            f"use one of: {', '.join(PROVIDERS)}")
    raise ProviderError(f"unknown provider '{name}'", f"use one of: {', '.join(PROVIDERS)}")


def choose_provider(requested: str | None, network: NetworkSpec) -> Any:
    """The provider asked for, else the network file's, else the default; the file's names checked first."""
    errors = name_errors(network)
    if errors:
        raise ProviderError("\n".join(e.line() for e in errors))
    return get_provider(requested or network.provider or DEFAULT)


def check_names(network: NetworkSpec) -> None:
    """Every provider name in a network file is a known provider: one positioned error for each that is not."""
    errors = name_errors(network)
    if errors:
        raise ScenarioErrors(errors)


def name_errors(network: NetworkSpec) -> list[ScenarioError]:
    doc = network.source
    if doc is None:  # built in code, not read from a file
        return []
    errors = [error_at(doc, ("chains", chain.name, key), f"unknown key '{key}': neither a chain setting "
                       f"({', '.join(CHAIN_KEYS)}) nor a provider", _did_you_mean(key))
              for chain in network.chains.values() for key in chain.provider_settings if key not in KNOWN]
    errors += [error_at(doc, ("providers", name), f"unknown provider '{name}'", _did_you_mean(name))
               for name in network.provider_settings if name not in KNOWN]
    if network.provider is not None and network.provider not in KNOWN:
        errors.append(error_at(doc, ("provider",), f"unknown provider {network.provider!r}",
                               _did_you_mean(network.provider)))
    return sorted(errors, key=lambda e: (e.position.line, e.position.column))


def _did_you_mean(name: str) -> str:
    close = difflib.get_close_matches(name, KNOWN, n=1)
    known = f"providers: {', '.join(KNOWN)}"
    return f"did you mean '{close[0]}'? {known}" if close else known

