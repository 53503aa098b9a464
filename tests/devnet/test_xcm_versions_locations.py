"""XCM version conversion, location arithmetic and the LocationToAccountId converters."""
from __future__ import annotations

import pytest
from substrateinterface.utils.ss58 import ss58_decode

from harness.devnet.xcm import locations as L
from harness.devnet.xcm import versions as V

ACCOUNT = bytes(range(32))
AH_KUSAMA = [{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}]
KUSAMA = [{"GlobalConsensus": "Kusama"}]


def test_v3_x1_is_a_bare_junction_and_asset_ids_are_concrete():
    v3 = {"V3": [{"WithdrawAsset": [{"id": {"Concrete": {"parents": 0, "interior": {"X1": {"Parachain": 5}}}},
                                     "fun": {"Fungible": 1}}]}]}
    latest = V.to_latest(v3)
    assert latest == [{"WithdrawAsset": [{"id": L.parachain(5), "fun": {"Fungible": 1}}]}]
    assert V.from_latest(latest, 3) == v3
    with pytest.raises(V.VersionError):
        V.to_latest({"V3": [{"WithdrawAsset": [{"id": {"Abstract": bytes(32)}, "fun": {"Fungible": 1}}]}]})


def test_transact_weight_moves_between_v4_and_v5():
    call = {"origin_kind": "Native", "require_weight_at_most": {"ref_time": 7, "proof_size": 8}, "call": b"\0"}
    v5 = V.to_latest({"V4": [{"Transact": call}]})
    assert v5 == [{"Transact": {"origin_kind": "Native", "fallback_max_weight": {"ref_time": 7, "proof_size": 8},
                                "call": b"\0"}}]
    no_fallback = [{"Transact": {"origin_kind": "Native", "fallback_max_weight": None, "call": b"\0"}}]
    assert V.from_latest(no_fallback, 4)["V4"][0]["Transact"]["require_weight_at_most"] == V.WEIGHT_MAX


def test_v5_only_instructions_and_test_networks():
    with pytest.raises(V.VersionError):
        V.from_latest([{"PayFees": {"asset": {"id": L.HERE, "fun": {"Fungible": 1}}}}], 4)
    westend = {"V4": {"parents": 1, "interior": {"X1": [{"GlobalConsensus": "Westend"}]}}}
    assert V.to_latest(westend) == L.location(1, [{"GlobalConsensus": {"ByGenesis": V.WESTEND_GENESIS_HASH}}])
    nested = [{"SetAppendix": [{"DepositAsset": {"assets": {"Wild": {"AllOf": {"id": L.PARENT, "fun": "Fungible"}}},
                                                 "beneficiary": L.account32(ACCOUNT)}}]}]
    v3 = V.from_latest(nested, 3)
    assert v3["V3"][0]["SetAppendix"][0]["DepositAsset"]["assets"]["Wild"]["AllOf"]["id"] == {
        "Concrete": {"parents": 1, "interior": "Here"}}
    assert V.to_latest(v3) == nested


def test_reanchoring_between_relay_and_asset_hub():
    # the relay token seen from Asset Hub, and an Asset Hub account seen from the relay
    assert L.reanchored(L.HERE, L.parachain(1000), KUSAMA) == L.PARENT
    assert L.reanchored(L.PARENT, L.PARENT, AH_KUSAMA) == L.HERE
    alice = L.account32(ACCOUNT)
    assert L.reanchored(alice, L.PARENT, AH_KUSAMA) == L.location(0, [{"Parachain": 1000},
                                                                     L.junctions(alice)[0]])
    # a sibling's asset seen from that sibling drops the common prefix
    token = L.location(1, [{"Parachain": 2000}, {"GeneralIndex": 7}])
    assert L.reanchored(token, L.parachain(2000, parents=1), AH_KUSAMA) == L.location(0, [{"GeneralIndex": 7}])
    # into another consensus the full path is kept
    cousin = L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}])
    assert L.reanchored(L.PARENT, cousin, AH_KUSAMA) == L.location(2, [{"GlobalConsensus": "Kusama"}])


def test_relative_to_and_append():
    assert L.relative_to([{"GlobalConsensus": "Polkadot"}], AH_KUSAMA) == L.location(2, [{"GlobalConsensus": "Polkadot"}])
    assert L.append_with(L.PARENT, L.location(1, [{"Parachain": 3}])) == L.location(2, [{"Parachain": 3}])
    with pytest.raises(L.LocationError):
        L.append_with(L.location(0, [{"Parachain": i} for i in range(8)]), {"X1": [{"Parachain": 9}]})


def test_sovereign_accounts_match_the_live_chains():
    # xcm_config.rs of both Asset Hubs document the relay treasury's account on them
    ksm_treasury = L.hashed_description(L.location(1, [{"PalletInstance": 18}]))
    assert ksm_treasury.hex() == ss58_decode("5Gzx76VEMzLpMp9HBarpkJ62WMSNeRfdD1jLjpvpZtY37Wum")
    dot_treasury = L.hashed_description(L.location(1, [{"PalletInstance": 19}]))
    assert dot_treasury.hex() == ss58_decode("14xmwinmCEz6oRrFdczHKqHgWNMiCysE2KrA4jXXAAM1Eogk")
    assert L.parent_is_preset(L.PARENT) == b"Parent" + bytes(26)
    assert L.child_parachain_converts_via(L.parachain(1000)) == b"para" + (1000).to_bytes(4, "little") + bytes(24)
    assert L.sibling_parachain_converts_via(L.parachain(2000, 1)) == b"sibl" + (2000).to_bytes(4, "little") + bytes(24)
    aliases = L.account_id32_aliases("Kusama")
    assert aliases(L.account32(ACCOUNT, "Kusama")) == ACCOUNT
    assert aliases(L.account32(ACCOUNT, "Polkadot")) is None


def test_remote_consensus_converters():
    cousin_ah = L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}])
    gc = L.global_consensus_parachain_converts_for(AH_KUSAMA)
    external = L.external_consensus_locations_converter_for(AH_KUSAMA)
    assert gc(cousin_ah) is not None and gc(cousin_ah) == external(cousin_ah)
    assert gc(L.location(2, [{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}])) is None   # our own consensus
    assert external(L.location(2, [{"GlobalConsensus": "Polkadot"}])) is not None
    assert gc(L.location(2, [{"GlobalConsensus": "Polkadot"}])) is None
