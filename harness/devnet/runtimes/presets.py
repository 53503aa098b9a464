"""The six chains' identities and genesis settings (as the fellows chain-spec-generator presets
give them), by topology name: default_config("kusama-asset-hub") and so on.

RuntimeVersion fields from each runtime's src/lib.rs VERSION in polkadot-fellows/runtimes;
existential deposits from the constants crates (see runtimes/params.py).
"""
from __future__ import annotations

from ..bridge.compose import asset_hub_extra, bridge_hub_extra
from ..paras import ASSET_HUB_ID, BRIDGE_HUB_ID
from ..runtime.runtime import ChainConfig
from .params import DOT_CENTS, KSM_CENTS

DEV_SEEDS = ["//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie"]


def default_config(name: str) -> ChainConfig:
    """ChainConfig of "kusama", "kusama-asset-hub", "kusama-bridge-hub", "polkadot",
    "polkadot-asset-hub" or "polkadot-bridge-hub". The Asset Hubs and Bridge Hubs carry the
    bridge's genesis in `extra` (bridge/compose.py)."""
    common = {"spec_version": 2_003_002, "endowed": list(DEV_SEEDS), "state_version": 1}
    if name == "kusama":
        # staging_kusama_runtime: authoring_version 2, impl "parity-kusama"
        return ChainConfig(name, "Kusama", "kusama", "staging_kusama_runtime", transaction_version=26, ss58=2,
                           decimals=12, symbol="KSM", network="Kusama", existential_deposit=KSM_CENTS,
                           endowment=1000 * 10 ** 12, impl_name="parity-kusama", authoring_version=2, **common)
    if name == "polkadot":
        return ChainConfig(name, "Polkadot", "polkadot", "polkadot_runtime", transaction_version=26, ss58=0,
                           decimals=10, symbol="DOT", network="Polkadot", existential_deposit=100 * DOT_CENTS,
                           endowment=1000 * 10 ** 10, impl_name="parity-polkadot", authoring_version=0, **common)
    if name == "kusama-asset-hub":
        # ExistentialDeposit = SYSTEM_PARA_EXISTENTIAL_DEPOSIT / 10 = relay ED / 100
        return ChainConfig(name, "Kusama Asset Hub", "statemine", "asset_hub_kusama_runtime", transaction_version=15,
                           ss58=2, decimals=12, symbol="KSM", network="Kusama", para_id=ASSET_HUB_ID,
                           existential_deposit=KSM_CENTS // 10 // 10, endowment=1000 * 10 ** 12,
                           impl_name="statemine", authoring_version=1, extra=asset_hub_extra("Kusama"), **common)
    if name == "polkadot-asset-hub":
        return ChainConfig(name, "Polkadot Asset Hub", "statemint", "asset_hub_polkadot_runtime",
                           transaction_version=15, ss58=0, decimals=10, symbol="DOT", network="Polkadot",
                           para_id=ASSET_HUB_ID,
                           existential_deposit=100 * DOT_CENTS // 10 // 10, endowment=1000 * 10 ** 10,
                           impl_name="statemint", authoring_version=1, extra=asset_hub_extra("Polkadot"), **common)
    # bridge-hub-*/src/lib.rs VERSION; ExistentialDeposit = SYSTEM_PARA_EXISTENTIAL_DEPOSIT = relay ED / 10;
    # names as the fellows chain-spec-generator gives them (without " Local")
    if name == "kusama-bridge-hub":
        return ChainConfig(name, "Kusama Bridge Hub", "bridge-hub-kusama", "bridge_hub_kusama_runtime",
                           transaction_version=5, ss58=2, decimals=12, symbol="KSM", network="Kusama",
                           para_id=BRIDGE_HUB_ID,
                           existential_deposit=KSM_CENTS // 10, endowment=1000 * 10 ** 12,
                           impl_name="bridge-hub-kusama", authoring_version=1, extra=bridge_hub_extra("Kusama"),
                           **common)
    if name == "polkadot-bridge-hub":
        return ChainConfig(name, "Polkadot Bridge Hub", "bridge-hub-polkadot", "bridge_hub_polkadot_runtime",
                           transaction_version=4, ss58=0, decimals=10, symbol="DOT", network="Polkadot",
                           para_id=BRIDGE_HUB_ID, existential_deposit=100 * DOT_CENTS // 10, endowment=1000 * 10 ** 10,
                           impl_name="bridge-hub-polkadot", authoring_version=1, extra=bridge_hub_extra("Polkadot"),
                           **common)
    raise ValueError(f"unknown chain {name!r}")
