"""The chains, assets and routes that transfer strategies and the model ledger talk about.

Plain data, no Hypothesis: harness/testing/ledger.py uses it too. Existential deposits and decimals come
from the devnet's runtime defaults (harness/devnet/runtimes/presets.py), read on first use so that
importing this module (which Hypothesis does through its entry point) never loads the devnet.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from harness.network.facts import TOKEN_OF_NETWORK

NETWORKS = tuple(TOKEN_OF_NETWORK)  # ("Kusama", "Polkadot")
RELAYS = {"Kusama": "kusama", "Polkadot": "polkadot"}
ASSET_HUBS = {"Kusama": "kusama-asset-hub", "Polkadot": "polkadot-asset-hub"}
CHAIN_NAMES = (*RELAYS.values(), *ASSET_HUBS.values())
U128_MAX = 2 ** 128 - 1
TELEPORT, RESERVE = "teleport", "reserve"  # the scenario language's xcm_transfer kinds
FOREIGN_MIN_BALANCE = 1000  # the bridged tokens' min_balance at the devnet's genesis (read on chain: ForeignAssets.Asset)


@dataclass(frozen=True)
class ModelChain:
    name: str               # the network file's name, e.g. "kusama-asset-hub"
    network: str            # "Kusama" | "Polkadot"
    is_relay: bool
    symbol: str
    decimals: int
    existential_deposit: int


@lru_cache(maxsize=None)
def chain(name: str) -> ModelChain:
    from harness.devnet.runtimes.presets import default_config  # on first use; see the module docstring

    config = default_config(name)
    return ModelChain(name, config.network, config.is_relay, config.symbol, config.decimals, config.existential_deposit)


@dataclass(frozen=True)
class Asset:
    """A network's native token, wherever it is held: native at home, a foreign asset across the bridge."""

    network: str            # home consensus: "Kusama" | "Polkadot"

    @property
    def symbol(self) -> str:
        return TOKEN_OF_NETWORK[self.network]

    @property
    def decimals(self) -> int:
        return chain(RELAYS[self.network]).decimals

    def is_foreign_on(self, chain_name: str) -> bool:
        return chain(chain_name).network != self.network

    def location_on(self, chain_name: str) -> dict:
        """The asset's XCM location as seen from `chain_name` (v5 JSON form)."""
        if self.is_foreign_on(chain_name):
            return {"parents": 2, "interior": {"X1": [{"GlobalConsensus": self.network}]}}
        return {"parents": 0 if chain(chain_name).is_relay else 1, "interior": "Here"}

    def min_balance_on(self, chain_name: str) -> int:
        """The ED for the native token; for the bridged foreign asset, its pallet-assets min_balance, which the
        devnet's genesis creates as FOREIGN_MIN_BALANCE (ForeignAssets.Asset on both Asset Hubs; the transfer
        machine checks it against the chain)."""
        if self.is_foreign_on(chain_name):
            return FOREIGN_MIN_BALANCE
        return chain(chain_name).existential_deposit


@dataclass(frozen=True)
class ModelRoute:
    origin: str
    destination: str

    @property
    def across_bridge(self) -> bool:
        return chain(self.origin).network != chain(self.destination).network

    def assets(self) -> tuple[Asset, ...]:
        """What may travel this route: a network's own token to its Asset Hub and back; across the bridge,
        the origin's token (reserve kept at the origin) or the destination's coming home."""
        origin_network = chain(self.origin).network
        if not self.across_bridge:
            return (Asset(origin_network),)
        return Asset(origin_network), Asset(chain(self.destination).network)

    @property
    def kind(self) -> str:
        return RESERVE if self.across_bridge else TELEPORT


ROUTES = (
    *(ModelRoute(RELAYS[n], ASSET_HUBS[n]) for n in NETWORKS),
    *(ModelRoute(ASSET_HUBS[n], RELAYS[n]) for n in NETWORKS),
    ModelRoute(ASSET_HUBS["Kusama"], ASSET_HUBS["Polkadot"]),
    ModelRoute(ASSET_HUBS["Polkadot"], ASSET_HUBS["Kusama"]),
)
