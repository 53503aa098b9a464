"""Accounts the bridge moves funds through: reserves across the bridge, lane reward accounts.

The location converters themselves live in xcm/locations.py; these are the bridge's uses of
them, named for what they hold.
"""
from __future__ import annotations

from ..hashing import blake2_256
from ..xcm import locations as L
from ..xcm.locations import CODEC, XCM_TYPES
from ..paras import ASSET_HUB_ID
from .constants import REWARDS_TYPE_ID


def network_bytes(network: str) -> bytes:
    """SCALE of a v5 NetworkId: Polkadot is variant 2, Kusama 3 (S polkadot/xcm/src/v5/junction.rs)."""
    return CODEC.encode(XCM_TYPES.v5.network_id, network)


def remote_parachain_sovereign(local_network: str, remote_network: str, para_id: int = ASSET_HUB_ID) -> bytes:
    """The account on a chain of `local_network` that holds what a parachain of `remote_network`
    owns there: blake2_256(b"glblcnsnss/prchn_" ++ NetworkId ++ u32_le(para_id)).

    Kusama Asset Hub reaches it through GlobalConsensusParachainConvertsFor, Polkadot Asset Hub
    through ExternalConsensusLocationsConverterFor (F asset-hub-*/src/xcm_config.rs
    LocationToAccountId); both hash the same bytes for (2, [GlobalConsensus(n), Parachain(id)]).
    """
    universal = [{"GlobalConsensus": local_network}, {"Parachain": ASSET_HUB_ID}]
    remote = L.location(2, [{"GlobalConsensus": remote_network}, {"Parachain": para_id}])
    account = L.global_consensus_parachain_converts_for(universal)(remote)
    if account is None:
        raise ValueError(f"{remote_network} is not a remote consensus seen from {local_network}")
    return account


def remote_consensus_sovereign(remote_network: str) -> bytes:
    """GlobalConsensusConvertsFor (S xcm-builder location_conversion.rs): the whole remote
    consensus, blake2_256(b"glblcnsnss_" ++ NetworkId). No Asset Hub converter uses it today."""
    return blake2_256(b"glblcnsnss_" + network_bytes(remote_network))


def sibling_sovereign(para_id: int) -> bytes:
    """SiblingParachainConvertsVia: b"sibl" ++ u32_le(para_id), zero padded."""
    return L.sibling_parachain_converts_via(L.parachain(para_id, parents=1))


def rewards_account(lane_id: bytes, bridged_chain_id: bytes, owner: str) -> bytes:
    """PayRewardFromAccount::rewards_account (S bridges/primitives/relayers/src/lib.rs): the
    params as a TypeId (b"brap") sub-account seeded with b"rewards-account", truncated to 32 bytes.
    RewardsAccountParams encodes owner (ThisChain 0 | BridgedChain 1), bridged chain id, lane id -
    in that order today ("lane id shall be the last field")."""
    owner_byte = {"ThisChain": 0, "BridgedChain": 1}[owner]
    return rewards_account_of(bytes([owner_byte]) + bridged_chain_id + lane_id)


def rewards_account_of(encoded_params: bytes) -> bytes:
    """TypeId::into_sub_account_truncating: b"brap" ++ params ++ b"rewards-account", zero padded."""
    return L.into_account_truncating(REWARDS_TYPE_ID, encoded_params + b"rewards-account")
