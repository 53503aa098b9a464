"""Bridge accounts and constants against values the runtimes' own tests and scripts cite.

- polkadot-sdk cumulus bridge-hub-westend tests/tests.rs `location_conversion_works`
  (ExternalConsensusLocationsConverterFor at a Westend Bridge Hub): "Describe Rococo Parachain
  Location" (2, [GlobalConsensus(ByGenesis(ROCOCO)), Parachain(1000)]) ->
  5CQeLKM7XC1xNBiQLp26Wa948cudjYRD5VzvaTG3BjnmUvLL, "Describe Rococo Location" ->
  5FfpYGrFybJXFsQk7dabr1vEbQ5ycBBu85vrDjPJsF3q4A8P.
- polkadot-fellows integration-tests/bridges/environments/polkadot-kusama/bridges_polkadot_kusama.sh:
  ASSET_HUB_KUSAMA_SOVEREIGN_ACCOUNT_AT_BRIDGE_HUB_KUSAMA, ..._POLKADOT_..., and the lane 00000001
  rewards accounts (generated when RewardsAccountParams encoded lane, chain id, owner).
"""
from __future__ import annotations

import pytest
from scalecodec.utils.ss58 import ss58_decode

from harness.devnet.bridge import accounts as A
from harness.devnet.bridge.constants import KUSAMA, LEGACY_LANE, POLKADOT
from harness.devnet.hashing import blake2_256
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.versions import ROCOCO_GENESIS_HASH, WESTEND_GENESIS_HASH


def ss58(address: str) -> bytes:
    return bytes.fromhex(ss58_decode(address))


def test_network_ids_encode_as_their_v5_variant_index():
    # staging_xcm::v5::junction::NetworkId: Polkadot = 2, Kusama = 3 (unit variants)
    assert A.network_bytes("Polkadot") == b"\x02"
    assert A.network_bytes("Kusama") == b"\x03"


def test_remote_parachain_formula_matches_the_sdk_test_vectors():
    westend_bh = [{"GlobalConsensus": {"ByGenesis": WESTEND_GENESIS_HASH}}, {"Parachain": 1002}]
    convert = L.external_consensus_locations_converter_for(westend_bh)
    rococo = {"GlobalConsensus": {"ByGenesis": ROCOCO_GENESIS_HASH}}
    assert convert(L.location(2, [rococo, {"Parachain": 1000}])) == ss58("5CQeLKM7XC1xNBiQLp26Wa948cudjYRD5VzvaTG3BjnmUvLL")
    assert convert(L.location(2, [rococo])) == ss58("5FfpYGrFybJXFsQk7dabr1vEbQ5ycBBu85vrDjPJsF3q4A8P")
    # the same bytes by hand: b"glblcnsnss/prchn_" ++ NetworkId ++ u32_le(para)
    by_hand = blake2_256(b"glblcnsnss/prchn_" + b"\x00" + ROCOCO_GENESIS_HASH + (1000).to_bytes(4, "little"))
    assert by_hand == ss58("5CQeLKM7XC1xNBiQLp26Wa948cudjYRD5VzvaTG3BjnmUvLL")


def test_remote_asset_hub_sovereigns_are_the_reserve_accounts():
    polkadot_ah_on_kusama = A.remote_parachain_sovereign("Kusama", "Polkadot")
    kusama_ah_on_polkadot = A.remote_parachain_sovereign("Polkadot", "Kusama")
    assert polkadot_ah_on_kusama == blake2_256(b"glblcnsnss/prchn_\x02" + (1000).to_bytes(4, "little"))
    assert kusama_ah_on_polkadot == blake2_256(b"glblcnsnss/prchn_\x03" + (1000).to_bytes(4, "little"))
    # Polkadot Asset Hub's converter (ExternalConsensusLocationsConverterFor) agrees with
    # Kusama Asset Hub's (GlobalConsensusParachainConvertsFor) on a remote parachain
    pah = [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}]
    kah_loc = L.location(2, [{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}])
    assert L.external_consensus_locations_converter_for(pah)(kah_loc) == kusama_ah_on_polkadot
    with pytest.raises(ValueError):
        A.remote_parachain_sovereign("Kusama", "Kusama")


def test_remote_consensus_sovereign_uses_its_own_prefix():
    assert A.remote_consensus_sovereign("Polkadot") == blake2_256(b"glblcnsnss_\x02")
    assert A.remote_consensus_sovereign("Polkadot") != A.remote_parachain_sovereign("Kusama", "Polkadot")


def test_sibling_sovereigns_match_the_fellows_bridge_script():
    assert A.sibling_sovereign(1000) == ss58("FBeL7EFTDeHnuViqaUHUXvhhUusN5FawDmHgfvzF97DXFr3")
    assert A.sibling_sovereign(1000) == ss58("13cKp89SgdtqUngo2WiEijPrQWdHFhzYZLf2TJePKRvExk7o")


@pytest.mark.parametrize("address, chain_id, owner", [
    ("13E5fui93Uyua5RtDv2LQj4aVBBHo6YREe3n6CBwYdqNqoxj", b"bhks", 0),
    ("13E5fui93Uyua5RtDv2c9kcAbfrVFeeHyJzHe8sn1Ti77Afd", b"bhks", 1),
    ("EoQBtnwp4jMtCEpV7C88rKrz6x1qMBh2z74ibGSqtZRnuMM", b"bhpd", 0),
    ("EoQBtnwp4jMtCEpV7CPsssT6bdDHuHZmf3aGXxHJiSA4Dz3", b"bhpd", 1),
])
def test_rewards_account_derivation_matches_the_fellows_script(address, chain_id, owner):
    # the script's params were encoded in the old field order (lane, chain id, owner)
    assert A.rewards_account_of(LEGACY_LANE + chain_id + bytes([owner])) == ss58(address)


def test_rewards_account_uses_todays_field_order():
    this_chain = A.rewards_account(LEGACY_LANE, b"bhpd", "ThisChain")
    assert this_chain == (b"brap" + b"\x00" + b"bhpd" + LEGACY_LANE + b"rewards-account").ljust(32, b"\x00")
    assert A.rewards_account(LEGACY_LANE, b"bhpd", "BridgedChain") != this_chain


def test_router_fee_constants_follow_the_bridge_hub_estimates():
    # 36_453_538 + 20 * 106_495_676 + 181_274_402 (1 KSM = 5 DOT, KSM has 100x DOT's planck units)
    assert KUSAMA.router_base_fee == 2_347_641_460
    assert KUSAMA.router_byte_fee == 20 * 50_000                     # Polkadot system byte fee in KSM
    # 5_638_281 + floor(709_970_588 / 20) + 27_027_016
    assert POLKADOT.router_base_fee == 68_163_826
    assert POLKADOT.router_byte_fee == 333_333 // 20                 # Kusama system byte fee in DOT
    assert (KUSAMA.delivery_reward, POLKADOT.delivery_reward) == (10 ** 8, 5 * 10 ** 6)
    assert (KUSAMA.chain_id, KUSAMA.bridged_chain_id) == (b"bhks", b"bhpd")
    assert (KUSAMA.messages, POLKADOT.messages) == ("BridgePolkadotMessages", "BridgeKusamaMessages")
