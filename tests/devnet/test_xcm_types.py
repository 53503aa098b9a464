"""The XCM v3/v4/v5 type graph: paths, generic instances, indices and byte-exact encodings.

The byte strings come from two places: messages seen on Polkadot (DMP/UMP/HRMP payloads recorded
in public test fixtures, and a pallet-xcm call built by polkadot-api), and encodings derived by
hand from polkadot-sdk's staging-xcm definitions (field order, #[codec(index)], #[codec(compact)]).
"""
from __future__ import annotations

import pytest

from harness.devnet.scale import ScaleError, TypeRegistry
from harness.devnet.types.primitives import declare_primitives
from harness.devnet.types.xcm import XcmTypes, declare_xcm


def _registry(**kw) -> tuple[TypeRegistry, XcmTypes]:
    reg = TypeRegistry()
    call = reg.variant("asset_hub_polkadot_runtime::RuntimeCall", [
        ("System", 0, [(None, reg.variant("frame_system::pallet::Call", [
            ("remark", 0, [("remark", reg.bytes(), "Vec<u8>")])], params=[("T", None)]), "Call")])])
    return reg, declare_xcm(reg, call, **kw)


@pytest.fixture(scope="module")
def rx() -> tuple[TypeRegistry, XcmTypes]:
    return _registry()


def path(reg: TypeRegistry, tid: int) -> str:
    return "::".join(reg.types[tid].path)


def field_type(reg: TypeRegistry, tid: int, variant: str, name: str | None = None, pos: int = 0) -> int:
    v = reg.variant_of(tid, variant)
    if name is None:
        return v.fields[pos].type
    return next(f.type for f in v.fields if f.name == name)


ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
DOT_FROM_PARA = {"parents": 1, "interior": "Here"}


# --- paths and generic instances ----------------------------------------------------------------

def test_paths_as_in_metadata(rx):
    reg, x = rx
    expect = {
        x.v3.location: "staging_xcm::v3::multilocation::MultiLocation",
        x.v3.junctions: "xcm::v3::junctions::Junctions",
        x.v3.junction: "xcm::v3::junction::Junction",
        x.v3.network_id: "xcm::v3::junction::NetworkId",
        x.v3.asset: "xcm::v3::multiasset::MultiAsset",
        x.v3.assets: "xcm::v3::multiasset::MultiAssets",
        x.v3.asset_id: "xcm::v3::multiasset::AssetId",
        x.v3.asset_filter: "xcm::v3::multiasset::MultiAssetFilter",
        x.v3.wild_asset: "xcm::v3::multiasset::WildMultiAsset",
        x.v3.xcm: "xcm::v3::Xcm",
        x.v3.instruction: "xcm::v3::Instruction",
        x.v3.response: "xcm::v3::Response",
        x.v3.query_response_info: "xcm::v3::QueryResponseInfo",
        x.v3_error: "xcm::v3::traits::Error",
        x.send_error: "xcm::v3::traits::SendError",
        x.v4.location: "staging_xcm::v4::location::Location",
        x.v4.junctions: "staging_xcm::v4::junctions::Junctions",
        x.v4.junction: "staging_xcm::v4::junction::Junction",
        x.v4.network_id: "staging_xcm::v4::junction::NetworkId",
        x.v4.asset: "staging_xcm::v4::asset::Asset",
        x.v4.assets: "staging_xcm::v4::asset::Assets",
        x.v4.asset_filter: "staging_xcm::v4::asset::AssetFilter",
        x.v4.xcm: "staging_xcm::v4::Xcm",
        x.v4.response: "staging_xcm::v4::Response",
        x.v5.location: "staging_xcm::v5::location::Location",
        x.v5.junction: "staging_xcm::v5::junction::Junction",
        x.v5.network_id: "staging_xcm::v5::junction::NetworkId",
        x.v5.asset_transfer_filter: "staging_xcm::v5::asset::AssetTransferFilter",
        x.v5.hint: "staging_xcm::v5::Hint",
        x.v5.instruction: "staging_xcm::v5::Instruction",
        x.v5_error: "xcm::v5::traits::Error",
        x.outcome: "staging_xcm::v5::traits::Outcome",
        x.instruction_error: "staging_xcm::v5::traits::InstructionError",
        x.weight: "sp_weights::weight_v2::Weight",
        x.weight_limit: "xcm::v3::WeightLimit",
        x.origin_kind: "xcm::v3::OriginKind",
        x.maybe_error_code: "xcm::v3::MaybeErrorCode",
        x.body_id: "xcm::v3::junction::BodyId",
        x.body_part: "xcm::v3::junction::BodyPart",
        x.double_encoded: "xcm::double_encoded::DoubleEncoded",
        x.double_encoded_unit: "xcm::double_encoded::DoubleEncoded",
        x.versioned_xcm: "xcm::VersionedXcm",
        x.versioned_xcm_unit: "xcm::VersionedXcm",
        x.versioned_location: "xcm::VersionedLocation",
        x.versioned_assets: "xcm::VersionedAssets",
        x.versioned_asset: "xcm::VersionedAsset",
        x.versioned_asset_id: "xcm::VersionedAssetId",
        x.versioned_response: "xcm::VersionedResponse",
        x.transfer_type: "staging_xcm_executor::traits::asset_transfer::TransferType",
    }
    for tid, p in expect.items():
        assert path(reg, tid) == p
    # v4 and v5 reuse v3's OriginKind, WeightLimit, MaybeErrorCode and BodyId; v4 reuses v3's Error.
    assert field_type(reg, x.v4.instruction, "Transact", "origin_kind") == x.origin_kind
    assert field_type(reg, x.v5.instruction, "BuyExecution", "weight_limit") == x.weight_limit
    assert field_type(reg, x.v5.response, "DispatchResult") == x.maybe_error_code
    assert field_type(reg, x.v5.junction, "Plurality", "id") == x.body_id
    assert x.v4.error == x.v3_error and x.v5.error == x.v5_error
    assert x.latest is x.v5 and x.location == x.v5.location and x.xcm_unit == x.v5.xcm_unit


def test_generic_instances(rx):
    reg, x = rx
    # skip_type_params: the params are named but carry no type.
    for tid, param in [(x.v3.xcm, "Call"), (x.v5.instruction_unit, "Call"), (x.double_encoded, "T"),
                       (x.double_encoded_unit, "T"), (x.versioned_xcm, "RuntimeCall"),
                       (x.versioned_xcm_unit, "RuntimeCall")]:
        assert reg.types[tid].params == ((param, None),)
    # Two instances each, as in real metadata, even where the entries are byte-identical.
    for v in (x.v3, x.v4, x.v5):
        assert v.xcm != v.xcm_unit and v.instruction != v.instruction_unit
        # Xcm<Call> fields point to the same instance; fields typed Xcm<()> always to the () one.
        assert field_type(reg, v.instruction, "SetErrorHandler") == v.xcm
        assert field_type(reg, v.instruction_unit, "SetAppendix") == v.xcm_unit
        for instr in (v.instruction, v.instruction_unit):
            assert field_type(reg, instr, "TransferReserveAsset", "xcm") == v.xcm_unit
            assert field_type(reg, instr, "ExportMessage", "xcm") == v.xcm_unit
        assert field_type(reg, v.instruction, "Transact", "call") == x.double_encoded
        assert field_type(reg, v.instruction_unit, "Transact", "call") == x.double_encoded_unit
    assert x.double_encoded != x.double_encoded_unit
    assert reg.types[x.double_encoded] == reg.types[x.double_encoded_unit]
    assert field_type(reg, x.v5.instruction, "ExecuteWithOrigin", "xcm") == x.v5.xcm
    assert field_type(reg, x.v5.instruction, "InitiateTransfer", "remote_xcm") == x.v5.xcm_unit
    assert [field_type(reg, x.versioned_xcm, f"V{n}") for n in (3, 4, 5)] == [x.v3.xcm, x.v4.xcm, x.v5.xcm]
    assert [field_type(reg, x.versioned_xcm_unit, f"V{n}") for n in (3, 4, 5)] == [
        x.v3.xcm_unit, x.v4.xcm_unit, x.v5.xcm_unit]
    # Each version's MaxPalletNameLen bound and MaxDispatchErrorLen give distinct BoundedVec<u8, _>.
    bvs = {reg.types[v.pallet_info].fields[1].type for v in (x.v3, x.v4, x.v5)}
    bvs.add(field_type(reg, x.maybe_error_code, "Error"))
    assert len(bvs) == 4
    assert {path(reg, t) for t in bvs} == {"bounded_collections::bounded_vec::BoundedVec"}


def test_versioned_indices(rx):
    reg, x = rx
    for tid in (x.versioned_location, x.versioned_assets, x.versioned_asset, x.versioned_asset_id,
                x.versioned_response, x.versioned_xcm, x.versioned_xcm_unit):
        assert [(v.name, v.index) for v in reg.types[tid].variants] == [("V3", 3), ("V4", 4), ("V5", 5)]


def test_instruction_indices(rx):
    reg, x = rx
    v3 = [(v.name, v.index) for v in reg.types[x.v3.instruction].variants]
    v4 = [(v.name, v.index) for v in reg.types[x.v4.instruction].variants]
    v5 = [(v.name, v.index) for v in reg.types[x.v5.instruction].variants]
    assert v3 == v4 == v5[:48]
    assert [i for _, i in v5] == list(range(52))
    assert v5[48:] == [("PayFees", 48), ("InitiateTransfer", 49), ("ExecuteWithOrigin", 50), ("SetHints", 51)]
    assert dict(v3)["UnpaidExecution"] == 47 and dict(v3)["SetTopic"] == 44
    assert [f.name for f in reg.variant_of(x.v3.instruction, "Transact").fields] == [
        "origin_kind", "require_weight_at_most", "call"]
    assert [f.name for f in reg.variant_of(x.v5.instruction, "Transact").fields] == [
        "origin_kind", "fallback_max_weight", "call"]


def test_error_indices(rx):
    reg, x = rx
    v3 = {v.name: v.index for v in reg.types[x.v3_error].variants}
    v5 = {v.name: v.index for v in reg.types[x.v5_error].variants}
    assert len(v3) == 40 and len(v5) == 41
    assert v3["Trap"] == v5["Trap"] == 21
    assert v5["TooManyAssets"] == 35 and "TooManyAssets" not in v3
    assert (v3["UnhandledXcmVersion"], v3["WeightLimitReached"], v3["ExceedsStackLimit"]) == (35, 36, 39)
    assert (v5["UnhandledXcmVersion"], v5["WeightLimitReached"], v5["ExceedsStackLimit"]) == (36, 37, 40)
    assert reg.encode(x.v3_error, {"Trap": 7}) == bytes([21]) + (7).to_bytes(8, "little")  # u64, not compact
    assert reg.encode(x.v5_error, {"WeightLimitReached": {"ref_time": 1, "proof_size": 2}}).hex() == "250408"


def test_declare_is_idempotent_and_shares_weight():
    reg = TypeRegistry()
    prims = declare_primitives(reg)
    call = reg.variant("kusama_runtime::RuntimeCall", [])
    first = declare_xcm(reg, call)
    n = len(reg.types)
    again = declare_xcm(reg, call)
    assert again == first and len(reg.types) == n
    assert first.weight == prims.weight
    assert all(t.kind != "reserved" for t in reg.types)


def test_optional_parts():
    reg, x = _registry(versioned_asset=False, send_error=False, legacy_outcome=True)
    assert x.versioned_asset is None and x.send_error is None and x.instruction_error is None
    assert not any(path(reg, i) in ("xcm::VersionedAsset", "xcm::v3::traits::SendError",
                                    "staging_xcm::v5::traits::InstructionError") for i in range(len(reg.types)))


# --- locations -------------------------------------------------------------------------------

def test_versioned_location_bytes(rx):
    reg, x = rx
    ah_v3 = {"V3": {"parents": 1, "interior": {"X1": {"Parachain": 1000}}}}
    assert reg.encode(x.versioned_location, ah_v3).hex() == "03010100a10f"
    assert reg.decode(x.versioned_location, bytes.fromhex("03010100a10f")) == ah_v3
    # v4/v5 junctions are arrays: the same bytes, a list value.
    ah_v5 = {"V5": {"parents": 1, "interior": {"X1": [{"Parachain": 1000}]}}}
    assert reg.encode(x.versioned_location, ah_v5).hex() == "05010100a10f"
    assert reg.decode(x.versioned_location, bytes.fromhex("04010100a10f")) == {"V4": ah_v5["V5"]}
    alice = {"V4": {"parents": 0, "interior": {"X1": [{"AccountId32": {"network": None, "id": ALICE}}]}}}
    assert reg.encode(x.versioned_location, alice).hex() == "0400010100" + ALICE.hex()
    # USDT on Asset Hub: PalletInstance(50), GeneralIndex(1984) (compact: 011f).
    usdt = {"parents": 0, "interior": {"X2": [{"PalletInstance": 50}, {"GeneralIndex": 1984}]}}
    assert reg.encode(x.v5.location, usdt).hex() == "0002043205011f"
    usdt_v3 = {"parents": 0, "interior": {"X2": [{"PalletInstance": 50}, {"GeneralIndex": 1984}]}}
    assert reg.encode(x.v3.location, usdt_v3).hex() == "0002043205011f"
    assert reg.encode(x.v3.location, {"parents": 2, "interior": "Here"}).hex() == "0200"


def test_junction_compacts_and_networks(rx):
    reg, x = rx
    j = x.v5.junction
    assert reg.encode(j, {"AccountIndex64": {"network": None, "index": 1}}).hex() == "020004"
    assert reg.encode(j, {"AccountKey20": {"network": {"Ethereum": {"chain_id": 1}}, "key": b"\x11" * 20}}).hex() \
        == "03010704" + "11" * 20
    assert reg.encode(j, {"GeneralKey": {"length": 2, "data": b"ab" + bytes(30)}}).hex() == "06026162" + "00" * 30
    assert reg.encode(j, {"Plurality": {"id": {"Index": 3}, "part": {"Fraction": {"nom": 1, "denom": 2}}}}).hex() \
        == "08020c020408"
    assert reg.encode(j, {"GlobalConsensus": "Kusama"}).hex() == "0903"
    assert reg.encode(j, {"GlobalConsensus": {"ByFork": {"block_number": 1, "block_hash": bytes(32)}}}).hex() \
        == "0901" + "0100000000000000" + "00" * 32
    # Westend/Rococo/Wococo (4..6) exist up to v4 and are gone in v5; Ethereum stays at 7.
    assert reg.encode(x.v4.network_id, "Westend") == b"\x04"
    assert reg.encode(x.v3.network_id, "Wococo") == b"\x06"
    with pytest.raises(ScaleError):
        reg.encode(x.v5.network_id, "Westend")
    with pytest.raises(ScaleError):
        reg.decode(x.v5.network_id, b"\x04")
    assert [v.index for v in reg.types[x.v5.network_id].variants] == [0, 1, 2, 3, 7, 8, 9, 10]
    assert reg.encode(x.v5.network_id, "PolkadotBulletin") == b"\x0a"


# --- assets ----------------------------------------------------------------------------------

def test_asset_bytes(rx):
    reg, x = rx
    ten_dot = {"id": DOT_FROM_PARA, "fun": {"Fungible": 10**10}}
    assert reg.encode(x.v4.asset, ten_dot).hex() == "0100" + "00" + "0700e40b5402"
    # v3 AssetId is an enum (Concrete = 0, Abstract = 1); v4/v5 AssetId is just the location.
    one_v3 = {"id": {"Concrete": DOT_FROM_PARA}, "fun": {"Fungible": 1}}
    assert reg.encode(x.v3.asset, one_v3).hex() == "00" "0100" "00" "04"
    assert reg.encode(x.v3.asset_id, {"Abstract": b"\x01" * 32}).hex() == "01" + "01" * 32
    nft = {"id": DOT_FROM_PARA, "fun": {"NonFungible": {"Index": 5}}}
    assert reg.encode(x.v5.asset, nft).hex() == "0100" + "01" + "01" + "14"
    assert reg.encode(x.v5.asset_instance, {"Array8": b"\x00" * 8}).hex() == "03" + "00" * 8
    assert reg.encode(x.v5.asset_filter, {"Wild": {"AllCounted": 1}}).hex() == "010204"
    assert reg.encode(x.v5.asset_filter, {"Wild": "All"}).hex() == "0100"
    assert reg.encode(x.v5.wild_asset, {"AllOfCounted": {"id": DOT_FROM_PARA, "fun": "Fungible", "count": 2}}).hex() \
        == "03010000" + "08"
    assert reg.encode(x.versioned_assets, {"V5": [ten_dot]}).hex() == "05040100000700e40b5402"
    assert reg.encode(x.versioned_asset_id, {"V4": DOT_FROM_PARA}).hex() == "040100"
    assert reg.encode(x.versioned_asset, {"V3": {"id": {"Concrete": DOT_FROM_PARA}, "fun": {"Fungible": 0}}}).hex() \
        == "030001000000"


def test_real_limited_reserve_transfer_args(rx):
    """pallet-xcm limited_reserve_transfer_assets (Asset Hub, call 0x1f08): USDT to parachain 2000."""
    reg, x = rx
    args = bytes.fromhex(
        "03010100411f"
        "0300010100fc39fcf04a8071b7409823b7c82427ce67910c6ed80aa0e5093aff234624c820"
        "0304000002043205011f0092e81d79"
        "00000000" "00")
    dest, o = reg.decode_at(x.versioned_location, args, 0)
    beneficiary, o = reg.decode_at(x.versioned_location, args, o)
    assets, o = reg.decode_at(x.versioned_assets, args, o)
    fee_item, o = reg.decode_at(reg.prim("u32"), args, o)
    limit, o = reg.decode_at(x.weight_limit, args, o)
    assert o == len(args)
    assert dest == {"V3": {"parents": 1, "interior": {"X1": {"Parachain": 2000}}}}
    assert beneficiary["V3"]["interior"]["X1"]["AccountId32"]["network"] is None
    (usdt,) = assets["V3"]
    assert usdt["id"] == {"Concrete": _usdt_at(0)}
    assert usdt["fun"] == {"Fungible": 0x791de892 >> 2}
    assert (fee_item, limit) == (0, "Unlimited")
    assert (reg.encode(x.versioned_location, dest) + reg.encode(x.versioned_location, beneficiary)
            + reg.encode(x.versioned_assets, assets) + bytes(4) + reg.encode(x.weight_limit, limit)) == args


# --- messages seen on Polkadot (XCM v3) ---------------------------------------------------------

ACCT_CC5A = bytes.fromhex("cc5aa1bd751e2a26534fa5daf5776f63192147310e2b18c52330704f5ed0a257")

# Relay -> parachain DMP (reserve transfer of DOT): 42,359,410,000 planck.
DMP = bytes.fromhex(
    "0310" "01040001000007504dd1dc09" "0a" "130001000007504dd1dc0900"
    "0d010204000101" "00" + ACCT_CC5A.hex())
# Asset Hub -> relay UMP (teleport of DOT back).
UMP = bytes.fromhex(
    "0310" "0204000000000700fcf9d808" "0a" "13000000000700fcf9d80800"
    "0d01020400010100a0ce523c0e0ce46845d3fe6258d0e314e029bbcdd96e19646cc4ffd395ff0e5e")
# Relay -> parachain 2034 DMP: USDT (1000/50/1984) withdraw, routed back through Asset Hub.
HOP = bytes.fromhex(
    "0310" "0004" "00010300a10f043205011f" "000700f2052a01"
    "13" "00010300a10f043205011f" "000700f2052a01" "00"
    "10" "010204" "010100a10f"
    "08" "13" "000002043205011f" "0002093d00" "00"
    "0d" "010204" "0001010081bd2c1d40052682633fb3e67eff151b535284d1d1a9633613af14006656f42b"
    "2c" "2d61ceafa0f62007fe36e1029ed347f974db05be5e5baaff31736202aeaffbdf")


def _usdt_at(parents: int, *prefix):
    return {"parents": parents, "interior": {f"X{len(prefix) + 2}": [*prefix, {"PalletInstance": 50},
                                                                     {"GeneralIndex": 1984}]}}


def test_real_dmp_reserve_transfer(rx):
    reg, x = rx
    dot = {"id": {"Concrete": DOT_FROM_PARA}, "fun": {"Fungible": 42_359_410_000}}
    expect = {"V3": [
        {"ReserveAssetDeposited": [dot]},
        "ClearOrigin",
        {"BuyExecution": {"fees": dot, "weight_limit": "Unlimited"}},
        {"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": {
            "parents": 0, "interior": {"X1": {"AccountId32": {"network": None, "id": ACCT_CC5A}}}}}},
    ]}
    assert reg.decode(x.versioned_xcm_unit, DMP) == expect
    assert reg.encode(x.versioned_xcm_unit, expect) == DMP
    # The RuntimeCall instance has the same encoding.
    assert reg.encode(x.versioned_xcm, expect) == DMP


def test_real_ump_teleport(rx):
    reg, x = rx
    msg = reg.decode(x.versioned_xcm_unit, UMP)
    amount = int.from_bytes(bytes.fromhex("00fcf9d808"), "little")  # compact, 5-byte big-integer mode
    dot = {"id": {"Concrete": {"parents": 0, "interior": "Here"}}, "fun": {"Fungible": amount}}
    assert msg["V3"][:3] == [{"ReceiveTeleportedAsset": [dot]}, "ClearOrigin",
                             {"BuyExecution": {"fees": dot, "weight_limit": "Unlimited"}}]
    assert reg.encode(x.versioned_xcm_unit, msg) == UMP


def test_real_nested_message_with_topic(rx):
    reg, x = rx
    msg = reg.decode(x.versioned_xcm_unit, HOP)
    withdraw, buy, irw, topic = msg["V3"]
    usdt = {"id": {"Concrete": _usdt_at(1, {"Parachain": 1000})}, "fun": {"Fungible": 5_000_000_000}}
    assert withdraw == {"WithdrawAsset": [usdt]}
    assert buy == {"BuyExecution": {"fees": usdt, "weight_limit": "Unlimited"}}
    inner = irw["InitiateReserveWithdraw"]
    assert inner["assets"] == {"Wild": {"AllCounted": 1}}
    assert inner["reserve"] == {"parents": 1, "interior": {"X1": {"Parachain": 1000}}}
    fees = {"id": {"Concrete": _usdt_at(0)}, "fun": {"Fungible": 1_000_000}}
    assert inner["xcm"][0] == {"BuyExecution": {"fees": fees, "weight_limit": "Unlimited"}}
    assert list(inner["xcm"][1]) == ["DepositAsset"]
    assert topic == {"SetTopic": bytes.fromhex("2d61ceafa0f62007fe36e1029ed347f974db05be5e5baaff31736202aeaffbdf")}
    assert reg.encode(x.versioned_xcm_unit, msg) == HOP


def test_real_xcmp_payload(rx):
    """An HRMP page: the XcmpMessageFormat byte (0 = ConcatenatedVersionedXcm), then two messages."""
    reg, x = rx
    page = bytes.fromhex(
        "00"
        "03100004000002043205011f0007f1d9052a010a13000002043205011f0002093d0000"
        "0d0102040001010081bd2c1d40052682633fb3e67eff151b535284d1d1a9633613af14006656f42b"
        "03100004000002043205011f00022d31010a13000002043205011f00022d310100"
        "0d01020400010100080748a58000f274f8847e151f3c47f83aaaf2cb12835f42317de6548dcdfc34")
    assert page[0] == 0
    o, msgs = 1, []
    while o < len(page):
        m, o = reg.decode_at(x.versioned_xcm_unit, page, o)
        msgs.append(m)
    assert len(msgs) == 2
    assert [list(i)[0] if isinstance(i, dict) else i for i in msgs[0]["V3"]] == [
        "WithdrawAsset", "ClearOrigin", "BuyExecution", "DepositAsset"]
    amount = int.from_bytes(bytes.fromhex("022d3101"), "little") >> 2  # compact, 4-byte mode
    assert msgs[1]["V3"][0]["WithdrawAsset"][0]["fun"] == {"Fungible": amount}
    assert b"".join(reg.encode(x.versioned_xcm_unit, m) for m in msgs) == page[1:]


# --- v4 / v5 messages, derived from the definitions -----------------------------------------------

def test_v4_teleport_message(rx):
    reg, x = rx
    dot = {"id": DOT_FROM_PARA, "fun": {"Fungible": 10**10}}
    topic = bytes(range(32))
    msg = {"V4": [
        {"ReceiveTeleportedAsset": [dot]},
        "ClearOrigin",
        {"BuyExecution": {"fees": dot, "weight_limit": "Unlimited"}},
        {"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}},
                          "beneficiary": {"parents": 0, "interior": {"X1": [{"AccountId32": {"network": None,
                                                                                               "id": ALICE}}]}}}},
        {"SetTopic": topic},
    ]}
    expect = ("04" "14"
              "02" "04" "0100" "00" "0700e40b5402"
              "0a"
              "13" "0100" "00" "0700e40b5402" "00"
              "0d" "010204" "00" "01" "01" "00" + ALICE.hex()
              + "2c" + topic.hex())
    assert reg.encode(x.versioned_xcm_unit, msg).hex() == expect
    assert reg.decode(x.versioned_xcm_unit, bytes.fromhex(expect)) == msg
    limited = {"V4": [{"BuyExecution": {"fees": dot, "weight_limit": {"Limited": {"ref_time": 1_000_000_000,
                                                                                   "proof_size": 65536}}}}]}
    assert reg.encode(x.versioned_xcm_unit, limited).hex() == (
        "0404" "13" "0100000700e40b5402" "01" "02286bee" "02000400")


def test_v5_pay_fees_initiate_transfer(rx):
    reg, x = rx
    dot = lambda n: {"id": DOT_FROM_PARA, "fun": {"Fungible": n}}  # noqa: E731
    beneficiary = {"parents": 0, "interior": {"X1": [{"AccountId32": {"network": None, "id": ALICE}}]}}
    msg = {"V5": [
        {"WithdrawAsset": [dot(10**10)]},
        {"PayFees": {"asset": dot(10**9)}},
        {"InitiateTransfer": {
            "destination": {"parents": 1, "interior": {"X1": [{"Parachain": 1000}]}},
            "remote_fees": {"Teleport": {"Definite": [dot(10**9)]}},
            "preserve_origin": False,
            "assets": [{"Teleport": {"Wild": {"AllCounted": 1}}}],
            "remote_xcm": [{"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": beneficiary}}],
        }},
        {"SetHints": {"hints": [{"AssetClaimer": {"location": beneficiary}}]}},
        {"ExecuteWithOrigin": {"descendant_origin": None, "xcm": ["ClearOrigin"]}},
    ]}
    acct = "0001010" "0" + ALICE.hex()
    expect = ("05" "14"
              "00" "04" "0100" "00" "0700e40b5402"
              "30" "0100" "00" "02286bee"                      # PayFees = 48; 1e9 = compact 02286bee
              "31" "010100a10f"                                 # InitiateTransfer = 49, destination
              "01" "00" "00" "04" "0100" "00" "02286bee"        # Some(Teleport(Definite([..])))
              "00"                                              # preserve_origin
              "04" "00" "01" "02" "04"                          # [Teleport(Wild(AllCounted(1)))]
              "04" "0d" "010204" + acct                         # remote_xcm: [DepositAsset]
              + "33" "04" "00" + acct                           # SetHints = 51, [AssetClaimer]
              + "32" "00" "04" "0a")                            # ExecuteWithOrigin = 50, None, [ClearOrigin]
    assert reg.encode(x.versioned_xcm, msg).hex() == expect
    assert reg.decode(x.versioned_xcm, bytes.fromhex(expect)) == msg


def test_transact_forms(rx):
    reg, x = rx
    call = bytes.fromhex("0000" "0c" "616263")  # System.remark(b"abc"), opaque to XCM
    v5 = {"V5": [{"Transact": {"origin_kind": "SovereignAccount", "fallback_max_weight": None,
                               "call": {"encoded": call}}}]}
    assert reg.encode(x.versioned_xcm, v5).hex() == "0504" "06" "01" "00" "18" + call.hex()
    v5w = {"V5": [{"Transact": {"origin_kind": "Xcm", "fallback_max_weight": {"ref_time": 1, "proof_size": 2},
                                "call": {"encoded": call}}}]}
    assert reg.encode(x.versioned_xcm, v5w).hex() == "0504" "06" "03" "01" "0408" "18" + call.hex()
    v3 = {"V3": [{"Transact": {"origin_kind": "Superuser", "require_weight_at_most": {"ref_time": 1, "proof_size": 2},
                               "call": {"encoded": call}}}]}
    assert reg.encode(x.versioned_xcm, v3).hex() == "0304" "06" "02" "0408" "18" + call.hex()
    assert reg.decode(x.versioned_xcm_unit, reg.encode(x.versioned_xcm, v3)) == v3


def test_queries_and_responses(rx):
    reg, x = rx
    here = {"parents": 0, "interior": "Here"}
    qr = {"V5": [{"QueryResponse": {"query_id": 1000, "response": {"Version": 5},
                                    "max_weight": {"ref_time": 0, "proof_size": 0}, "querier": here}}]}
    assert reg.encode(x.versioned_xcm_unit, qr).hex() == "0504" "03" "a10f" "03" "05000000" "0000" "01" "0000"
    assert reg.encode(x.v5.instruction_unit, {"SubscribeVersion": {"query_id": 70000,
                                                                 "max_response_weight": {"ref_time": 0,
                                                                                         "proof_size": 0}}}).hex() \
        == "1a" "c2450400" "0000"  # 70000 << 2 | 2
    assert reg.encode(x.v5.instruction_unit, {"Trap": 5}).hex() == "1914"
    info = {"destination": here, "query_id": 1, "max_weight": {"ref_time": 0, "proof_size": 0}}
    assert reg.encode(x.v5.instruction_unit, {"ReportError": info}).hex() == "0c" "0000" "04" "0000"
    res = {"V4": {"ExecutionResult": [2, {"Trap": 9}]}}
    assert reg.encode(x.versioned_response, res).hex() == "04" "02" "01" "02000000" "15" "0900000000000000"
    pallets = {"V5": {"PalletsInfo": [{"index": 10, "name": b"Balances", "module_name": b"pallet_balances",
                                       "major": 1, "minor": 0, "patch": 0}]}}
    enc = reg.encode(x.versioned_response, pallets)
    assert enc.hex().startswith("05" "04" "04" "28" "20" + b"Balances".hex())
    assert reg.decode(x.versioned_response, enc) == pallets
    assert reg.encode(x.maybe_error_code, {"Error": b"\x01\x02"}).hex() == "01" "08" "0102"
    assert reg.encode(x.v5.instruction_unit, {"ExpectTransactStatus": "Success"}).hex() == "2000"


def test_outcome_forms():
    reg, x = _registry()
    used = {"ref_time": 1000, "proof_size": 0}
    assert reg.encode(x.outcome, {"Complete": {"used": used}}).hex() == "00" "a10f" "00"
    inc = {"Incomplete": {"used": used, "error": {"index": 2, "error": "Barrier"}}}
    assert reg.encode(x.outcome, inc).hex() == "01" "a10f" "00" "02" "26"
    assert reg.encode(x.outcome, {"Error": {"index": 0, "error": "TooManyAssets"}}).hex() == "02" "00" "23"
    assert reg.decode(x.outcome, bytes.fromhex("01a10f000226")) == inc
    legacy_reg, lx = _registry(legacy_outcome=True)
    legacy_inc = {"Incomplete": {"used": used, "error": "Barrier"}}
    assert legacy_reg.encode(lx.outcome, legacy_inc).hex() == "01" "a10f" "00" "26"
    assert legacy_reg.encode(lx.outcome, {"Error": {"error": "Barrier"}}).hex() == "02" "26"


def test_transfer_type_and_weight_limit(rx):
    reg, x = rx
    assert [(v.name, v.index) for v in reg.types[x.transfer_type].variants] == [
        ("Teleport", 0), ("LocalReserve", 1), ("DestinationReserve", 2), ("RemoteReserve", 3)]
    remote = {"RemoteReserve": {"V5": {"parents": 1, "interior": "Here"}}}
    assert reg.encode(x.transfer_type, remote).hex() == "03050100"
    assert reg.encode(x.transfer_type, "DestinationReserve") == b"\x02"
    limited = {"Limited": {"ref_time": 2**32, "proof_size": 1}}
    assert reg.encode(x.weight_limit, limited).hex() == "01" "070000000001" "04"


def test_send_error(rx):
    reg, x = rx
    assert [v.name for v in reg.types[x.send_error].variants] == [
        "NotApplicable", "Transport", "Unroutable", "DestinationUnsupported", "ExceedsMaxMessageSize",
        "MissingArgument", "Fees"]


# --- every instruction round-trips ------------------------------------------------------------

def _sample(reg: TypeRegistry, tid: int, depth: int = 0, pick: int = 0):
    """A value of type tid; `pick` chooses the variant at the top level."""
    t = reg.types[tid]
    if t.kind == "primitive":
        return {"bool": True, "str": "x"}.get(t.primitive, 7)
    if t.kind == "compact":
        # no zero for u128: that is Fungible's amount, and Fungible(0) does not decode (see below)
        return [1, 63, 64, 2**14, 2**30, 2**64 - 1][depth % 6] if reg.types[t.inner].primitive == "u128" \
            else [0, 63, 64, 2**14, 2**30, 2**64 - 1][depth % 6] if reg.types[t.inner].primitive == "u64" \
            else [0, 63, 64, 2**14, 2**30 - 1][depth % 5]
    if t.kind in ("sequence", "array"):
        if reg._is_u8(t.inner):
            return bytes(range(t.length)) if t.kind == "array" else b"\x01\x02"
        n = t.length if t.kind == "array" else (1 if depth < 4 else 0)
        return [_sample(reg, t.inner, depth + 1) for _ in range(n)]
    if t.kind == "tuple":
        return [_sample(reg, i, depth + 1) for i in t.items]
    if t.kind == "composite":
        return _fields(reg, t.fields, depth)
    if t.path == ("Option",):
        return _sample(reg, t.variants[1].fields[0].type, depth + 1) if depth < 4 else None
    n = len(t.variants)
    v = t.variants[pick % n] if depth == 0 else t.variants[(depth * 3 + n - 1) % n]
    return v.name if not v.fields else {v.name: _fields(reg, v.fields, depth)}


def _fields(reg, fields, depth):
    if not fields:
        return None
    if fields[0].name is not None:
        return {f.name: _sample(reg, f.type, depth + 1) for f in fields}
    if len(fields) == 1:
        return _sample(reg, fields[0].type, depth + 1)
    return [_sample(reg, f.type, depth + 1) for f in fields]


@pytest.mark.parametrize("version", [3, 4, 5])
def test_every_instruction_round_trips(rx, version):
    reg, x = rx
    v = getattr(x, f"v{version}")
    for instr in (v.instruction, v.instruction_unit):
        for k in range(len(reg.types[instr].variants)):
            value = _sample(reg, instr, pick=k)
            raw = reg.encode(instr, value)
            assert raw[0] == reg.types[instr].variants[k].index
            assert reg.decode(instr, raw) == value
            assert reg.encode(instr, reg.decode(instr, raw)) == raw


@pytest.mark.parametrize("name", ["versioned_location", "versioned_assets", "versioned_asset", "versioned_asset_id",
                                  "versioned_response", "versioned_xcm", "versioned_xcm_unit", "outcome",
                                  "transfer_type", "v5_error", "v3_error"])
def test_every_variant_round_trips(rx, name):
    reg, x = rx
    tid = getattr(x, name)
    for k in range(len(reg.types[tid].variants)):
        value = _sample(reg, tid, pick=k)
        raw = reg.encode(tid, value)
        assert reg.decode(tid, raw) == value


def test_truncated_and_trailing_bytes_fail(rx):
    reg, x = rx
    with pytest.raises(ScaleError):
        reg.decode(x.versioned_xcm_unit, DMP[:-1])
    with pytest.raises(ScaleError):
        reg.decode(x.versioned_xcm_unit, DMP + b"\x00")
    with pytest.raises(ScaleError):
        reg.decode(x.versioned_location, bytes.fromhex("02010100a10f"))  # V2 is gone


@pytest.mark.parametrize("version", [3, 4, 5])
def test_a_fungible_asset_of_nothing_does_not_decode(rx, version):
    # xcm v3/v4/v5 asset.rs: decoding Fungible(0) fails ("Fungible asset of zero amount is not allowed")
    reg, x = rx
    fungibility = getattr(x, f"v{version}").fungibility
    assert reg.decode(fungibility, reg.encode(fungibility, {"Fungible": 1})) == {"Fungible": 1}
    with pytest.raises(ScaleError, match="zero amount"):
        reg.decode(fungibility, reg.encode(fungibility, {"Fungible": 0}))
