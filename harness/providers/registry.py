"""Provider lookup by name: the one place that knows which providers exist."""
from __future__ import annotations

from ..errors import ProviderError
from .attach import AttachProvider
from .base import Provider
from .chopsticks import ChopsticksProvider

PROVIDERS: dict[str, type] = {"chopsticks": ChopsticksProvider, "attach": AttachProvider}
# The devnet provider is the product default once it lands; until then a network file names its provider.
PLANNED = {"devnet": "the embedded devnet is not built yet", "zombienet": "the zombienet provider is not built yet"}


def get_provider(name: str) -> Provider:
    if name in PROVIDERS:
        return PROVIDERS[name]()
    if name in PLANNED:
        raise ProviderError(f"provider '{name}' is not available: {PLANNED[name]}",
                            f"use one of: {', '.join(PROVIDERS)}")
    raise ProviderError(f"unknown provider '{name}'", f"use one of: {', '.join(PROVIDERS)}")


def choose_provider(requested: str | None, network_default: str | None) -> Provider:
    return get_provider(requested or network_default or "chopsticks")
