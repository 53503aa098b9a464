"""The system parachain ids the devnet chains know each other by (the one definition in devnet).

F = polkadot-fellows/runtimes: system-parachains/constants/src/{kusama,polkadot}.rs ASSET_HUB_ID and
BRIDGE_HUB_ID; bridge-hubs/bridge-hub-*/primitives/src/lib.rs BRIDGE_HUB_*_PARACHAIN_ID agrees.
"""
from __future__ import annotations

ASSET_HUB_ID = 1000
BRIDGE_HUB_ID = 1002
