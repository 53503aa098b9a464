"""Provider lookup by name: the one place that knows which providers exist.

Providers are imported on first use, so that reading a network file (which checks provider names
against this list) stays cheap and free of import cycles.
"""
from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from ..errors import ProviderError

if TYPE_CHECKING:
    from .base import Provider

PROVIDERS = {  # name -> "module:class"
    "devnet": "harness.providers.devnet:DevnetProvider",
    "chopsticks": "harness.providers.chopsticks:ChopsticksProvider",
    "attach": "harness.providers.attach:AttachProvider",
}
PLANNED = {"zombienet": "the zombienet provider is not built yet"}
KNOWN = (*PROVIDERS, *PLANNED)
DEFAULT = "devnet"  # when neither the command line nor the network file names a provider


def get_provider(name: str) -> Provider:
    if name in PROVIDERS:
        module, cls = PROVIDERS[name].split(":")
        return getattr(import_module(module), cls)()
    if name in PLANNED:
        raise ProviderError(f"provider '{name}' is not available: {PLANNED[name]}",
                            f"use one of: {', '.join(PROVIDERS)}")
    raise ProviderError(f"unknown provider '{name}'", f"use one of: {', '.join(PROVIDERS)}")


def choose_provider(requested: str | None, network_default: str | None) -> Provider:
    return get_provider(requested or network_default or DEFAULT)
