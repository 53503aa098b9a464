"""The other network's native token as each Asset Hub's ForeignAssets holds it at genesis."""
from __future__ import annotations

from dataclasses import dataclass

from ..paras import ASSET_HUB_ID
from ..xcm.locations import external_consensus_locations_converter_for, location


@dataclass(frozen=True)
class BridgedAsset:
    location: dict
    owner: bytes
    is_sufficient: bool
    min_balance: int
    name: bytes
    symbol: bytes
    decimals: int
    reserve: dict            # its one trusted reserve, the other Asset Hub (not teleportable)


def bridged_native_asset(network: str) -> BridgedAsset:
    """DOT on Kusama Asset Hub, KSM on Polkadot Asset Hub: (2, [GlobalConsensus(other)]), owned by
    the other Asset Hub's sovereign account (ExternalConsensusLocationsConverterFor, as the live
    ForeignCreators derive it). Sufficient with min_balance ASSET_MIN_BALANCE = 1000 as the fellows
    bridge integration tests create it (integration-tests/emulated/tests/bridges/*/src); the live
    min_balance is not known here. Its reserve is the other Asset Hub, not teleportable (F
    asset-hub-*/src/migrations.rs ForeignAssetsReservesProvider, rule "bridged ecosystem")."""
    other = "Polkadot" if network == "Kusama" else "Kusama"
    universal = [{"GlobalConsensus": network}, {"Parachain": ASSET_HUB_ID}]
    remote_hub = location(2, [{"GlobalConsensus": other}, {"Parachain": ASSET_HUB_ID}])
    owner = external_consensus_locations_converter_for(universal)(remote_hub)
    symbol, decimals = (b"DOT", 10) if other == "Polkadot" else (b"KSM", 12)
    return BridgedAsset(location(2, [{"GlobalConsensus": other}]), owner, True, 1000, other.encode(), symbol,
                        decimals, remote_hub)
