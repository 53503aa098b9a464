"""Sovereign accounts: the account on one chain that holds what another chain owns there.

Pure formulas from xcm-builder's location converters (paritytech/polkadot-sdk
polkadot/xcm/xcm-builder/src/location_conversion.rs), as the Kusama and Polkadot runtimes use them
(polkadot-fellows/runtimes relay/*/src/xcm_config.rs and system-parachains/asset-hubs/*/src/xcm_config.rs,
LocationToAccountId). The devnet derives the same accounts in harness/devnet/bridge/accounts.py;
tests/test_bridge_language.py checks both against accounts polkadot-sdk's bridge script prints.
"""
from __future__ import annotations

from substrateinterface.utils.hasher import blake2_256

# NetworkId variants in SCALE, unchanged from XCM v3 to v5 (polkadot-sdk polkadot/xcm/src/v5/junction.rs)
NETWORK_INDEX = {"Polkadot": 2, "Kusama": 3}


def _truncating(data: bytes) -> bytes:
    """AccountId32 from TrailingZeroInput: the bytes, zero padded (or cut) to 32."""
    return data[:32].ljust(32, b"\0")


def child_parachain(para_id: int) -> bytes:
    """ChildParachainConvertsVia, on a relay: b"para" ++ u32_le(para_id)."""
    return _truncating(b"para" + para_id.to_bytes(4, "little"))


def sibling_parachain(para_id: int) -> bytes:
    """SiblingParachainConvertsVia, on a parachain: b"sibl" ++ u32_le(para_id)."""
    return _truncating(b"sibl" + para_id.to_bytes(4, "little"))


def parent() -> bytes:
    """ParentIsPreset, on a parachain: the relay's account, b"Parent" zero padded."""
    return _truncating(b"Parent")


def lane_rewards(lane: bytes, bridged_chain_id: bytes, owner: str) -> bytes:
    """PayRewardFromAccount::rewards_account (polkadot-sdk bridges/primitives/relayers/src/lib.rs): the
    RewardsAccountParams as a sub-account of TypeId b"brap", seeded b"rewards-account", truncated to 32 bytes. The
    params encode owner (ThisChain 0, BridgedChain 1), bridged chain id, then the lane id (the legacy [u8; 4])."""
    params = bytes([{"ThisChain": 0, "BridgedChain": 1}[owner]]) + bridged_chain_id + lane
    return _truncating(b"brap" + params + b"rewards-account")


def remote_parachain(network: str, para_id: int) -> bytes:
    """GlobalConsensusParachainConvertsFor (Kusama AH) and ExternalConsensusLocationsConverterFor (Polkadot AH)
    for (2, [GlobalConsensus(network), Parachain(para_id)]): blake2_256(b"glblcnsnss/prchn_" ++ SCALE(network)
    ++ u32_le(para_id))."""
    if network not in NETWORK_INDEX:
        raise ValueError(f"no NetworkId known for {network!r} (known: {', '.join(NETWORK_INDEX)})")
    return blake2_256(b"glblcnsnss/prchn_" + bytes([NETWORK_INDEX[network]]) + para_id.to_bytes(4, "little"))
