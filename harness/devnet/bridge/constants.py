"""The bridge's numbers and names, as the live runtimes set them.

F = polkadot-fellows/runtimes (release 2.3.2), S = paritytech/polkadot-sdk. Every value below was
read in the file named next to it.
"""
from __future__ import annotations

from dataclasses import dataclass

# F bridge-hubs/bridge-hub-*/src/lib.rs construct_runtime!: the same indices on both Bridge Hubs
RELAYERS_INDEX = 50
GRANDPA_INDEX = 51
PARACHAINS_INDEX = 52
MESSAGES_INDEX = 53     # also *_TO_*_MESSAGES_PALLET_INDEX in the bridge hub primitives
XCM_BRIDGE_HUB_INDEX = 54
# F asset-hubs/asset-hub-*/src/lib.rs construct_runtime!
ROUTER_INDEX = 34
ROUTER_CALL_REPORT_BRIDGE_STATUS = 0   # S bridges/primitives/xcm-bridge-hub-router XcmBridgeHubRouterCall

# The legacy lane both Bridge Hubs open at genesis for AH 1000 <-> AH 1000
# (F integration-tests/emulated/chains/parachains/bridges/bridge-hub-*/src/genesis.rs opened_bridges).
LEGACY_LANE = bytes([0, 0, 0, 1])

# S bridges/modules/xcm-bridge-hub/src/exporter.rs: the outbound queue length that suspends the
# bridge (and sends the router `report_bridge_status(true)`) and the one that resumes it.
OUTBOUND_LANE_CONGESTED_THRESHOLD = 8_192
OUTBOUND_LANE_UNCONGESTED_THRESHOLD = 1_024

# S bridges/modules/xcm-bridge-hub-router/src/lib.rs
HARD_MESSAGE_SIZE_LIMIT = 32 * 1024          # the router refuses bigger XCMs (ExceedsMaxMessageSize)
FIXED_ONE = 10 ** 18                         # FixedU128::DIV
MINIMAL_DELIVERY_FEE_FACTOR = FIXED_ONE      # 1.0
EXPONENTIAL_FEE_BASE = FIXED_ONE * 105 // 100    # 1.05
MESSAGE_SIZE_FEE_BASE = FIXED_ONE // 1000        # 0.001 per started KiB

# F bridge-hubs/bridge-hub-*/primitives/src/lib.rs MAX_UNCONFIRMED_MESSAGES_IN_CONFIRMATION_TX and
# MAX_UNREWARDED_RELAYERS_IN_CONFIRMATION_TX (the bp_bridge_hub_cumulus defaults)
MAX_UNCONFIRMED_MESSAGES = 2024
MAX_UNREWARDED_RELAYERS = 1024

# S bridges/primitives/messages/src/target_chain.rs maximal_incoming_message_size: 2/3 of the
# bridged chain's max extrinsic size; bp_bridge_hub_cumulus BlockLength: 5 MiB * 75% normal.
MAX_EXTRINSIC_SIZE = 5 * 1024 * 1024 * 75 // 100
MAXIMAL_MESSAGE_SIZE = MAX_EXTRINSIC_SIZE // 3 * 2

# F bridge-hubs/*/src/bridge_to_*_config.rs
HEADERS_TO_KEEP = 1_200          # RelayChainHeadersToKeep
PARA_HEADS_TO_KEEP = 600         # ParachainHeadsToKeep
MAX_PARA_HEAD_DATA_SIZE = 128    # bp_kusama / bp_polkadot MAX_NESTED_PARACHAIN_HEAD_DATA_SIZE
# S bridges/primitives/relayers/src/lib.rs: RewardsAccountParams' TypeId, the prefix of every
# lane rewards account
REWARDS_TYPE_ID = b"brap"

# Token units: F relay/kusama/constants UNITS = 1e12, relay/polkadot/constants UNITS = 1e10;
# the system parachains' byte fee: F system-parachains/constants/src/kusama.rs MILLICENTS
# (UNITS / 30 / 100 / 1000), polkadot.rs MILLICENTS / 2 (UNITS / 100 / 1000 / 2).
KSM_UNITS = 10 ** 12
DOT_UNITS = 10 ** 10
KSM_SYSTEM_BYTE_FEE = KSM_UNITS // 30 // 100 // 1000
DOT_SYSTEM_BYTE_FEE = DOT_UNITS // 100 // 1000 // 2


def _udot_to_uksm(amount: int) -> int:
    """convert_from_udot_to_uksm: 1 KSM = 5 DOT and the units' ratio (FixedU128, floored)."""
    return amount * 20


def _uksm_to_udot(amount: int) -> int:
    """convert_from_uksm_to_udot: the same rate the other way (5 * 1e10 / 1e12 = 1/20, floored)."""
    return amount // 20


class _PalletName:
    """A BridgeSide attribute: a pallet's name with the side's pallet_suffix put in."""

    def __init__(self, pattern: str) -> None:
        self.pattern = pattern

    def __get__(self, side: "BridgeSide", owner: type | None = None) -> str:
        return self.pattern.format(side.pallet_suffix)


@dataclass(frozen=True)
class BridgeSide:
    """One side of the bridge: the Bridge Hub here and the consensus it bridges to."""

    network: str                  # this side's NetworkId ("Kusama" | "Polkadot")
    bridged_network: str
    chain_id: bytes               # bp_runtime ChainId of this Bridge Hub
    bridged_chain_id: bytes
    pallet_suffix: str            # "Polkadot" in BridgePolkadotMessages on the Kusama side
    router_name: str              # the router pallet on this side's Asset Hub
    delivery_reward: int          # DeliveryRewardInBalance, per delivered message
    router_base_fee: int          # XcmBridgeHubRouterBaseFee on this side's Asset Hub
    router_byte_fee: int          # XcmBridgeHubRouterByteFee
    relayer_stake: int            # RequiredStakeForStakeAndSlash

    # the bridge pallets' names on this side, made of the bridged side's name (F bridge-hub-*/src/lib.rs)
    grandpa = _PalletName("Bridge{}Grandpa")
    parachains = _PalletName("Bridge{}Parachains")
    messages = _PalletName("Bridge{}Messages")
    xcm_over = _PalletName("XcmOverBridgeHub{}")


# Kusama: F bridge-hub-kusama/primitives (ID b"bhks", BaseXcmFee 36_453_538, BaseConfirmationFee
# 181_274_402, estimate_kusama_to_polkadot_message_fee / _byte_fee), bridge-hub-polkadot/primitives
# (BaseDeliveryFee 106_495_676 uDOT), bridge_to_polkadot_config.rs (DeliveryRewardInBalance
# UNITS / 10_000, RequiredStakeForStakeAndSlash 100 * UNITS), asset-hub-kusama xcm_config.rs bridging.
KUSAMA = BridgeSide(
    network="Kusama", bridged_network="Polkadot", chain_id=b"bhks", bridged_chain_id=b"bhpd",
    pallet_suffix="Polkadot", router_name="ToPolkadotXcmRouter",
    delivery_reward=KSM_UNITS // 10_000,
    router_base_fee=36_453_538 + _udot_to_uksm(106_495_676) + 181_274_402,
    router_byte_fee=_udot_to_uksm(DOT_SYSTEM_BYTE_FEE),
    relayer_stake=100 * KSM_UNITS,
)
# Polkadot: the mirror (BaseXcmFee 5_638_281, BaseConfirmationFee 27_027_016, Kusama's
# BaseDeliveryFee 709_970_588 uKSM, DeliveryRewardInBalance UNITS / 2_000, bridge_common_config.rs
# RequiredStakeForStakeAndSlash 500 * UNITS).
POLKADOT = BridgeSide(
    network="Polkadot", bridged_network="Kusama", chain_id=b"bhpd", bridged_chain_id=b"bhks",
    pallet_suffix="Kusama", router_name="ToKusamaXcmRouter",
    delivery_reward=DOT_UNITS // 2_000,
    router_base_fee=5_638_281 + _uksm_to_udot(709_970_588) + 27_027_016,
    router_byte_fee=_uksm_to_udot(KSM_SYSTEM_BYTE_FEE),
    relayer_stake=500 * DOT_UNITS,
)
SIDES = {"Kusama": KUSAMA, "Polkadot": POLKADOT}
