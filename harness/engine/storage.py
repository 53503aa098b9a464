"""Writing storage: an override encoded from the chain's own metadata, then written through the running network.
The one place the engine writes storage for overrides, so a renamed provider capability changes one line."""
from __future__ import annotations

from ..providers.capabilities import Capability
from ..errors import ChainCallError, HarnessError
from ..network.storage import StorageOverride

HINT = "check the pallet, item, key and value against this chain's metadata (e.g. polkadot.js apps, chain state)"


def encode(client, override: StorageOverride) -> tuple[str, str | None]:
    """(key, value) as raw hex; ChainCallError naming the item when this runtime has no such item or the key or
    value does not fit its type."""
    try:
        return client.storage_item(override.pallet, override.item, override.value, override.params)
    except ChainCallError as exc:  # its message names the chain and the item
        raise ChainCallError(exc.message, HINT) from None
    except (ValueError, TypeError, KeyError, IndexError) as exc:  # the map key does not encode
        raise ChainCallError(f"{client.name}: storage {override.name}: the key {override.key!r} does not fit "
                             f"the map's key type: {exc}", HINT) from None


def write(network, chain: str, items: list[tuple[str, str | None]]) -> None:
    network.set_storage(chain, items)


def apply_network_overrides(network, clients) -> None:
    """Every `storage:` override of the network file, written once the network is up (before any scenario's
    snapshot, so each scenario starts from it). An override the chain's metadata refuses is reported at its
    place in the network file."""
    for chain, spec in network.spec.chains.items():
        if not spec.storage:
            continue
        items = []
        for index, override in enumerate(spec.storage):
            try:
                items.append(encode(clients[chain], override))
            except ChainCallError as exc:
                raise HarnessError(f"{override.where}: chains.{chain}.storage[{index}]: {exc.message}",
                                   exc.hint) from None
        network.capability(Capability.STORAGE, f"write the storage overrides of chain '{chain}'")
        write(network, chain, items)
