"""The XCM type graph (versions 3, 4 and 5) as the current polkadot-fellows runtimes carry it in metadata.

A declared data table: one declaration per metadata type (paths, variants, fields), kept in one
module so the graph can be read against the portable registry in one place.

Source of the shapes: polkadot-sdk's `staging-xcm` crate (polkadot/xcm/src), the crate the
fellows runtimes (v1.5.0 onwards, v2.x) build on, plus `staging-xcm-executor`
(polkadot/xcm/xcm-executor/src/traits/asset_transfer.rs) for TransferType. Every path, variant
index, field name, field type name and compact marker below was checked against the portable
registry of real runtime metadata: Polkadot Asset Hub 2000000 / 1006000 / 1005001, Kusama Asset
Hub 1009003, Kusama 1009002 and Polkadot 2000000 (the V15 metadata that polkadot-js/api ships in
packages/types-support/src/metadata/v15), and against the dedot chaintypes generated from the
live chains up to spec 2003000 (no XCM type changed since 2000000).

Things worth knowing when reading the graph:

- Paths: scale-info records the crate as `staging_xcm`, except where polkadot-sdk asks for
  `#[scale_info(replace_segment("staging_xcm", "xcm"))]`. That is why every v3 type but
  MultiLocation is `xcm::v3::...`, all Versioned* enums are `xcm::Versioned...`, DoubleEncoded is
  `xcm::double_encoded::DoubleEncoded`, and the v5 error is `xcm::v5::traits::Error` while
  Outcome/InstructionError stay `staging_xcm::v5::traits::...`.
- Reuse: v4 and v5 reuse v3's OriginKind, WeightLimit, MaybeErrorCode and junction BodyId/BodyPart;
  v4 reuses v3's traits::Error. v5 has its own NetworkId (Westend/Rococo/Wococo, indices 4-6, gone).
- Generic instances: `Xcm<Call>`, `Instruction<Call>`, `DoubleEncoded<T>` and `VersionedXcm<RuntimeCall>`
  are declared with `skip_type_params`, so their param is listed with *no* type (None) in metadata.
  Each runtime nevertheless carries two distinct copies of each: the `()` instance (pallet-xcm
  `send`, events, inner `xcm: Xcm<()>` fields, dry-run APIs) and the `RuntimeCall` instance
  (pallet-xcm `execute`). The two DoubleEncoded copies are byte-identical entries with different
  ids, so they are made distinct with reserve()/define() instead of structural dedup.
- Likewise BoundedVec<u8, S> for each version's MaxPalletNameLen and for MaxDispatchErrorLen are
  four distinct entries (the bound S is a phantom param, shown without a type).
- Compact fields: Parachain, AccountIndex64.index, GeneralIndex, BodyId::Index, BodyPart counts,
  Ethereum.chain_id, Fungible, AssetInstance::Index, AllCounted/AllOfCounted counts, PalletInfo
  numbers, every instruction `query_id`, Trap, Hrmp* ids, ExpectPallet numbers, and Weight's
  ref_time/proof_size. The u64 inside traits::Error::Trap is *not* compact.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scale import ScaleError, TypeRegistry


@dataclass(frozen=True)
class XcmVersion:
    """The ids of one XCM version's types (v3 names in brackets where they differ)."""

    version: int
    xcm: int                  # Xcm<RuntimeCall>
    xcm_unit: int             # Xcm<()>
    instruction: int          # Instruction<RuntimeCall>
    instruction_unit: int     # Instruction<()>
    location: int             # Location [MultiLocation]
    junctions: int            # Junctions (also InteriorLocation)
    junction: int
    network_id: int
    asset: int                # Asset [MultiAsset]
    assets: int               # Assets [MultiAssets]
    asset_id: int
    fungibility: int
    asset_instance: int
    asset_filter: int         # AssetFilter [MultiAssetFilter]
    wild_asset: int           # WildAsset [WildMultiAsset]
    wild_fungibility: int
    response: int
    pallet_info: int
    query_response_info: int
    error: int                # traits::Error this version uses (v4 uses v3's)
    asset_transfer_filter: int | None = None   # v5
    hint: int | None = None                    # v5


@dataclass(frozen=True)
class XcmTypes:
    call: int                 # the RuntimeCall given to declare_xcm
    v3: XcmVersion
    v4: XcmVersion
    v5: XcmVersion
    # shared
    weight: int               # sp_weights::weight_v2::Weight
    weight_limit: int         # xcm::v3::WeightLimit
    origin_kind: int          # xcm::v3::OriginKind
    maybe_error_code: int     # xcm::v3::MaybeErrorCode
    body_id: int              # xcm::v3::junction::BodyId
    body_part: int            # xcm::v3::junction::BodyPart
    double_encoded: int       # DoubleEncoded<RuntimeCall>
    double_encoded_unit: int  # DoubleEncoded<()>
    send_error: int | None    # xcm::v3::traits::SendError (pallet-xcm Event::SendFailed)
    v3_error: int             # xcm::v3::traits::Error
    v5_error: int             # xcm::v5::traits::Error
    outcome: int              # staging_xcm::v5::traits::Outcome
    instruction_error: int | None   # staging_xcm::v5::traits::InstructionError (None with legacy_outcome)
    # versioned wrappers (lib.rs)
    versioned_xcm: int        # xcm::VersionedXcm<RuntimeCall> (pallet-xcm execute)
    versioned_xcm_unit: int   # xcm::VersionedXcm<()> (pallet-xcm send, dry-run forwarded_xcms)
    versioned_location: int
    versioned_assets: int
    versioned_asset_id: int
    versioned_response: int
    versioned_asset: int | None   # only where TrustedQueryApi is exposed (Asset Hubs)
    transfer_type: int        # staging_xcm_executor::traits::asset_transfer::TransferType

    @property
    def latest(self) -> XcmVersion:
        """The version pallet-xcm's events, storage and force_xcm_version use (v5)."""
        return self.v5

    # Shortcuts for what pallet-xcm's events carry (all of the latest version).
    @property
    def location(self) -> int:
        return self.v5.location

    @property
    def assets(self) -> int:
        return self.v5.assets

    @property
    def xcm_unit(self) -> int:
        return self.v5.xcm_unit

    @property
    def response(self) -> int:
        return self.v5.response

    @property
    def error(self) -> int:
        return self.v5_error


class _Decl:
    """Declaration helpers over a registry; `once` gives ids that stay distinct yet are stable
    across repeated declare_xcm calls on one registry (they are remembered in reg.names)."""

    def __init__(self, reg: TypeRegistry):
        self.reg = reg
        self.u8, self.u32, self.u64, self.u128 = (reg.prim(p) for p in ("u8", "u32", "u64", "u128"))
        self.bool = reg.prim("bool")
        self.cu32, self.cu64, self.cu128 = (reg.compact(t) for t in (self.u32, self.u64, self.u128))
        self.bytes = reg.bytes()
        self.b4, self.b8, self.b16, self.b20, self.b32 = (
            reg.array(self.u8, n) for n in (4, 8, 16, 20, 32))

    def reserve_once(self, key: str) -> tuple[int, bool]:
        """(id, fresh): fresh is False when an earlier call already declared `key`."""
        name = f"xcm:{key}"
        if name in self.reg.names:
            return self.reg.names[name], False
        return self.reg.reserve(name), True

    def distinct(self, key: str, kind: str, path: str, fields=(), variants=(), params=()) -> int:
        tid, fresh = self.reserve_once(key)
        if fresh:
            self.reg.define(tid, kind, path, fields=fields, variants=variants, params=params)
        return tid

    def bounded_vec(self, inner: int, distinct_key: str | None = None) -> int:
        # bounded_collections::bounded_vec::BoundedVec<T, S>: the bound S is skipped (no type).
        path = "bounded_collections::bounded_vec::BoundedVec"
        fields = [(None, self.reg.seq(inner), "Vec<T>")]
        params = [("T", inner), ("S", None)]
        if distinct_key:
            return self.distinct(distinct_key, "composite", path, fields=fields, params=params)
        return self.reg.composite(path, fields, params=params)


def _unit_variants(names) -> list:
    return [(n, i, []) for i, n in enumerate(names)]


# --- junctions: v3/junction.rs, v4/junction.rs, v5/junction.rs ------------------------------

def _body(d: _Decl) -> tuple[int, int]:
    """xcm::v3::junction::BodyId / BodyPart (polkadot/xcm/src/v3/junction.rs), reused by v4 and v5."""
    reg = d.reg
    body_id = reg.variant("xcm::v3::junction::BodyId", [
        ("Unit", 0, []),
        ("Moniker", 1, [(None, d.b4, "[u8; 4]")]),
        ("Index", 2, [(None, d.cu32, "u32")]),
        ("Executive", 3, []), ("Technical", 4, []), ("Legislative", 5, []), ("Judicial", 6, []),
        ("Defense", 7, []), ("Administration", 8, []), ("Treasury", 9, []),
    ], name="BodyId")
    frac = [("nom", d.cu32, "u32"), ("denom", d.cu32, "u32")]
    body_part = reg.variant("xcm::v3::junction::BodyPart", [
        ("Voice", 0, []),
        ("Members", 1, [("count", d.cu32, "u32")]),
        ("Fraction", 2, frac),
        ("AtLeastProportion", 3, frac),
        ("MoreThanProportion", 4, frac),
    ], name="BodyPart")
    return body_id, body_part


def _network_id(d: _Decl, path: str, with_test_networks: bool) -> int:
    """NetworkId: v3/junction.rs, v4/junction.rs (same variants), v5/junction.rs (Westend,
    Rococo and Wococo removed; the remaining variants keep their indices via #[codec(index)])."""
    variants = [
        ("ByGenesis", 0, [(None, d.b32, "[u8; 32]")]),
        ("ByFork", 1, [("block_number", d.u64, "u64"), ("block_hash", d.b32, "[u8; 32]")]),
        ("Polkadot", 2, []), ("Kusama", 3, []),
    ]
    if with_test_networks:
        variants += [("Westend", 4, []), ("Rococo", 5, []), ("Wococo", 6, [])]
    variants += [
        ("Ethereum", 7, [("chain_id", d.cu64, "u64")]),
        ("BitcoinCore", 8, []), ("BitcoinCash", 9, []), ("PolkadotBulletin", 10, []),
    ]
    return d.reg.variant(path, variants)


def _junction(d: _Decl, path: str, network: int, body_id: int, body_part: int) -> int:
    """Junction: same ten variants in v3, v4 and v5 (only the NetworkId differs)."""
    opt_net = d.reg.option(network)
    return d.reg.variant(path, [
        ("Parachain", 0, [(None, d.cu32, "u32")]),
        ("AccountId32", 1, [("network", opt_net, "Option<NetworkId>"), ("id", d.b32, "[u8; 32]")]),
        ("AccountIndex64", 2, [("network", opt_net, "Option<NetworkId>"), ("index", d.cu64, "u64")]),
        ("AccountKey20", 3, [("network", opt_net, "Option<NetworkId>"), ("key", d.b20, "[u8; 20]")]),
        ("PalletInstance", 4, [(None, d.u8, "u8")]),
        ("GeneralIndex", 5, [(None, d.cu128, "u128")]),
        ("GeneralKey", 6, [("length", d.u8, "u8"), ("data", d.b32, "[u8; 32]")]),
        ("OnlyChild", 7, []),
        ("Plurality", 8, [("id", body_id, "BodyId"), ("part", body_part, "BodyPart")]),
        ("GlobalConsensus", 9, [(None, network, "NetworkId")]),
    ])


def _junctions(d: _Decl, path: str, junction: int, arrays: bool) -> int:
    """Junctions: v3/junctions.rs has X1(Junction), X2(Junction, Junction), ...; v4/junctions.rs
    and v5/junctions.rs have Xn(Arc<[Junction; n]>), one array field."""
    variants = [("Here", 0, [])]
    for n in range(1, 9):
        if arrays:
            variants.append((f"X{n}", n, [(None, d.reg.array(junction, n), f"Arc<[Junction; {n}]>")]))
        else:
            variants.append((f"X{n}", n, [(None, junction, "Junction")] * n))
    return d.reg.variant(path, variants)


# --- assets: v3/multiasset.rs, v4/asset.rs, v5/asset.rs -------------------------------------

def _assets(d: _Decl, v: int, location: int) -> dict[str, int]:
    reg = d.reg
    if v == 3:
        mod, loc_name = "xcm::v3::multiasset", "MultiLocation"
        n_asset, n_assets, n_filter, n_wild = "MultiAsset", "MultiAssets", "MultiAssetFilter", "WildMultiAsset"
    else:
        mod, loc_name = f"staging_xcm::v{v}::asset", "Location"
        n_asset, n_assets, n_filter, n_wild = "Asset", "Assets", "AssetFilter", "WildAsset"
    instance = reg.variant(f"{mod}::AssetInstance", [
        ("Undefined", 0, []),
        ("Index", 1, [(None, d.cu128, "u128")]),
        ("Array4", 2, [(None, d.b4, "[u8; 4]")]),
        ("Array8", 3, [(None, d.b8, "[u8; 8]")]),
        ("Array16", 4, [(None, d.b16, "[u8; 16]")]),
        ("Array32", 5, [(None, d.b32, "[u8; 32]")]),
    ])
    fungibility = reg.variant(f"{mod}::Fungibility", [
        ("Fungible", 0, [(None, d.cu128, "u128")]),
        ("NonFungible", 1, [(None, instance, "AssetInstance")]),
    ])
    reg.checks[fungibility] = _no_zero_amount
    if v == 3:
        # v3 AssetId is an enum: Concrete(MultiLocation) | Abstract([u8; 32]).
        asset_id = reg.variant(f"{mod}::AssetId", [
            ("Concrete", 0, [(None, location, loc_name)]),
            ("Abstract", 1, [(None, d.b32, "[u8; 32]")]),
        ])
    else:
        # v4/v5 AssetId is a newtype struct around Location.
        asset_id = reg.composite(f"{mod}::AssetId", [(None, location, loc_name)])
    asset = reg.composite(f"{mod}::{n_asset}", [("id", asset_id, "AssetId"), ("fun", fungibility, "Fungibility")])
    assets = reg.composite(f"{mod}::{n_assets}", [(None, reg.seq(asset), f"Vec<{n_asset}>")])
    wild_fungibility = reg.variant(f"{mod}::WildFungibility", _unit_variants(("Fungible", "NonFungible")))
    wild = reg.variant(f"{mod}::{n_wild}", [
        ("All", 0, []),
        ("AllOf", 1, [("id", asset_id, "AssetId"), ("fun", wild_fungibility, "WildFungibility")]),
        ("AllCounted", 2, [(None, d.cu32, "u32")]),
        ("AllOfCounted", 3, [("id", asset_id, "AssetId"), ("fun", wild_fungibility, "WildFungibility"),
                             ("count", d.cu32, "u32")]),
    ])
    filt = reg.variant(f"{mod}::{n_filter}", [
        ("Definite", 0, [(None, assets, n_assets)]),
        ("Wild", 1, [(None, wild, n_wild)]),
    ])
    out = dict(asset_instance=instance, fungibility=fungibility, asset_id=asset_id, asset=asset,
               assets=assets, wild_fungibility=wild_fungibility, wild_asset=wild, asset_filter=filt)
    if v == 5:
        # v5/asset.rs: AssetTransferFilter { Teleport, ReserveDeposit, ReserveWithdraw }(AssetFilter)
        out["asset_transfer_filter"] = reg.variant(f"{mod}::AssetTransferFilter", [
            ("Teleport", 0, [(None, filt, "AssetFilter")]),
            ("ReserveDeposit", 1, [(None, filt, "AssetFilter")]),
            ("ReserveWithdraw", 2, [(None, filt, "AssetFilter")]),
        ])
    return out


# --- traits: v3/traits.rs, v5/traits.rs -----------------------------------------------------

_ERRORS_HEAD = (
    "Overflow", "Unimplemented", "UntrustedReserveLocation", "UntrustedTeleportLocation", "LocationFull",
    "LocationNotInvertible", "BadOrigin", "InvalidLocation", "AssetNotFound", "FailedToTransactAsset",
    "NotWithdrawable", "LocationCannotHold", "ExceedsMaxMessageSize", "DestinationUnsupported", "Transport",
    "Unroutable", "UnknownClaim", "FailedToDecode", "MaxWeightInvalid", "NotHoldingFees", "TooExpensive",
)  # 0..20; 21 is Trap(u64)
_ERRORS_MID = (
    "ExpectationFalse", "PalletNotFound", "NameMismatch", "VersionIncompatible", "HoldingWouldOverflow",
    "ExportError", "ReanchorFailed", "NoDeal", "FeesNotMet", "LockError", "NoPermission", "Unanchored",
    "NotDepositable",
)  # 22..34


def _error(d: _Decl, path: str, weight: int, v5: bool) -> int:
    """traits::Error. v3 (xcm::v3::traits::Error, also used by v4): 40 variants, 0..39.
    v5 (xcm::v5::traits::Error): TooManyAssets inserted at 35, so 41 variants, 0..40."""
    variants = [(n, i, []) for i, n in enumerate(_ERRORS_HEAD)]
    variants.append(("Trap", 21, [(None, d.u64, "u64")]))
    variants += [(n, 22 + i, []) for i, n in enumerate(_ERRORS_MID)]
    tail = (["TooManyAssets"] if v5 else []) + ["UnhandledXcmVersion"]
    i = 35
    for n in tail:
        variants.append((n, i, []))
        i += 1
    variants.append(("WeightLimitReached", i, [(None, weight, "Weight")]))
    variants += [("Barrier", i + 1, []), ("WeightNotComputable", i + 2, []), ("ExceedsStackLimit", i + 3, [])]
    return d.reg.variant(path, variants)


# --- messages: v3/mod.rs, v4/mod.rs, v5/mod.rs, double_encoded.rs ------------------------------

def _instructions(d: _Decl, v: int, t: dict, xcm_self: int, xcm_unit: int, double_encoded: int,
                  shared: dict) -> list:
    """The Instruction<Call> variants of version v. `xcm_self` is Xcm<Call> of this instance and
    `xcm_unit` is Xcm<()> (fields typed `Xcm<()>` in Rust point there in both instances)."""
    reg = d.reg
    w, wl = shared["weight"], shared["weight_limit"]
    if v == 3:
        n_assets, n_asset, n_loc, n_filter, n_interior = (
            "MultiAssets", "MultiAsset", "MultiLocation", "MultiAssetFilter", "InteriorMultiLocation")
    else:
        n_assets, n_asset, n_loc, n_filter, n_interior = ("Assets", "Asset", "Location", "AssetFilter",
                                                          "InteriorLocation")
    assets, asset, loc, filt = t["assets"], t["asset"], t["location"], t["asset_filter"]
    junctions, qri = t["junctions"], t["query_response_info"]
    opt_loc = reg.option(loc)
    opt_err = reg.option(reg.tuple(d.u32, t["error"]))
    f_assets = [(None, assets, n_assets)]
    if v == 5:
        transact = [("origin_kind", shared["origin_kind"], "OriginKind"),
                    ("fallback_max_weight", reg.option(w), "Option<Weight>"),
                    ("call", double_encoded, "DoubleEncoded<Call>")]
    else:
        transact = [("origin_kind", shared["origin_kind"], "OriginKind"),
                    ("require_weight_at_most", w, "Weight"),
                    ("call", double_encoded, "DoubleEncoded<Call>")]
    variants = [
        ("WithdrawAsset", 0, f_assets),
        ("ReserveAssetDeposited", 1, f_assets),
        ("ReceiveTeleportedAsset", 2, f_assets),
        ("QueryResponse", 3, [("query_id", d.cu64, "QueryId"), ("response", t["response"], "Response"),
                              ("max_weight", w, "Weight"), ("querier", opt_loc, f"Option<{n_loc}>")]),
        ("TransferAsset", 4, [("assets", assets, n_assets), ("beneficiary", loc, n_loc)]),
        ("TransferReserveAsset", 5, [("assets", assets, n_assets), ("dest", loc, n_loc),
                                     ("xcm", xcm_unit, "Xcm<()>")]),
        ("Transact", 6, transact),
        ("HrmpNewChannelOpenRequest", 7, [("sender", d.cu32, "u32"), ("max_message_size", d.cu32, "u32"),
                                          ("max_capacity", d.cu32, "u32")]),
        ("HrmpChannelAccepted", 8, [("recipient", d.cu32, "u32")]),
        ("HrmpChannelClosing", 9, [("initiator", d.cu32, "u32"), ("sender", d.cu32, "u32"),
                                   ("recipient", d.cu32, "u32")]),
        ("ClearOrigin", 10, []),
        ("DescendOrigin", 11, [(None, junctions, n_interior)]),
        ("ReportError", 12, [(None, qri, "QueryResponseInfo")]),
        ("DepositAsset", 13, [("assets", filt, n_filter), ("beneficiary", loc, n_loc)]),
        ("DepositReserveAsset", 14, [("assets", filt, n_filter), ("dest", loc, n_loc),
                                     ("xcm", xcm_unit, "Xcm<()>")]),
        ("ExchangeAsset", 15, [("give", filt, n_filter), ("want", assets, n_assets), ("maximal", d.bool, "bool")]),
        ("InitiateReserveWithdraw", 16, [("assets", filt, n_filter), ("reserve", loc, n_loc),
                                         ("xcm", xcm_unit, "Xcm<()>")]),
        ("InitiateTeleport", 17, [("assets", filt, n_filter), ("dest", loc, n_loc), ("xcm", xcm_unit, "Xcm<()>")]),
        ("ReportHolding", 18, [("response_info", qri, "QueryResponseInfo"), ("assets", filt, n_filter)]),
        ("BuyExecution", 19, [("fees", asset, n_asset), ("weight_limit", wl, "WeightLimit")]),
        ("RefundSurplus", 20, []),
        ("SetErrorHandler", 21, [(None, xcm_self, "Xcm<Call>")]),
        ("SetAppendix", 22, [(None, xcm_self, "Xcm<Call>")]),
        ("ClearError", 23, []),
        ("ClaimAsset", 24, [("assets", assets, n_assets), ("ticket", loc, n_loc)]),
        ("Trap", 25, [(None, d.cu64, "u64")]),
        ("SubscribeVersion", 26, [("query_id", d.cu64, "QueryId"), ("max_response_weight", w, "Weight")]),
        ("UnsubscribeVersion", 27, []),
        ("BurnAsset", 28, f_assets),
        ("ExpectAsset", 29, f_assets),
        ("ExpectOrigin", 30, [(None, opt_loc, f"Option<{n_loc}>")]),
        ("ExpectError", 31, [(None, opt_err, "Option<(u32, Error)>")]),
        ("ExpectTransactStatus", 32, [(None, shared["maybe_error_code"], "MaybeErrorCode")]),
        ("QueryPallet", 33, [("module_name", d.bytes, "Vec<u8>"), ("response_info", qri, "QueryResponseInfo")]),
        ("ExpectPallet", 34, [("index", d.cu32, "u32"), ("name", d.bytes, "Vec<u8>"),
                              ("module_name", d.bytes, "Vec<u8>"), ("crate_major", d.cu32, "u32"),
                              ("min_crate_minor", d.cu32, "u32")]),
        ("ReportTransactStatus", 35, [(None, qri, "QueryResponseInfo")]),
        ("ClearTransactStatus", 36, []),
        ("UniversalOrigin", 37, [(None, t["junction"], "Junction")]),
        ("ExportMessage", 38, [("network", t["network_id"], "NetworkId"), ("destination", junctions, n_interior),
                               ("xcm", xcm_unit, "Xcm<()>")]),
        ("LockAsset", 39, [("asset", asset, n_asset), ("unlocker", loc, n_loc)]),
        ("UnlockAsset", 40, [("asset", asset, n_asset), ("target", loc, n_loc)]),
        ("NoteUnlockable", 41, [("asset", asset, n_asset), ("owner", loc, n_loc)]),
        ("RequestUnlock", 42, [("asset", asset, n_asset), ("locker", loc, n_loc)]),
        ("SetFeesMode", 43, [("jit_withdraw", d.bool, "bool")]),
        ("SetTopic", 44, [(None, d.b32, "[u8; 32]")]),
        ("ClearTopic", 45, []),
        ("AliasOrigin", 46, [(None, loc, n_loc)]),
        ("UnpaidExecution", 47, [("weight_limit", wl, "WeightLimit"), ("check_origin", opt_loc, f"Option<{n_loc}>")]),
    ]
    if v == 5:
        atf = t["asset_transfer_filter"]
        variants += [
            ("PayFees", 48, [("asset", asset, "Asset")]),
            ("InitiateTransfer", 49, [
                ("destination", loc, "Location"),
                ("remote_fees", reg.option(atf), "Option<AssetTransferFilter>"),
                ("preserve_origin", d.bool, "bool"),
                ("assets", d.bounded_vec(atf), "BoundedVec<AssetTransferFilter, MaxAssetTransferFilters>"),
                ("remote_xcm", xcm_unit, "Xcm<()>")]),
            ("ExecuteWithOrigin", 50, [("descendant_origin", reg.option(junctions), "Option<InteriorLocation>"),
                                       ("xcm", xcm_self, "Xcm<Call>")]),
            ("SetHints", 51, [("hints", d.bounded_vec(t["hint"]), "BoundedVec<Hint, HintNumVariants>")]),
        ]
    return variants


def _xcm_instance(d: _Decl, v: int, t: dict, shared: dict, double_encoded: int, key: str,
                  xcm_unit: int | None = None) -> tuple[int, int]:
    """Declare Xcm<C> and Instruction<C> (recursive) for one C; returns (xcm, instruction).
    With xcm_unit None this *is* the () instance and its `Xcm<()>` fields point to itself."""
    mod = "xcm::v3" if v == 3 else f"staging_xcm::v{v}"
    xcm, fresh_x = d.reserve_once(f"v{v}::Xcm<{key}>")
    instr, fresh_i = d.reserve_once(f"v{v}::Instruction<{key}>")
    params = [("Call", None)]   # skip_type_params(Call)
    if fresh_i:
        variants = _instructions(d, v, t, xcm, xcm if xcm_unit is None else xcm_unit, double_encoded, shared)
        d.reg.define(instr, "variant", f"{mod}::Instruction", variants=variants, params=params)
    if fresh_x:
        d.reg.define(xcm, "composite", f"{mod}::Xcm", fields=[(None, d.reg.seq(instr), "Vec<Instruction<Call>>")],
                     params=params)
    return xcm, instr


def _version(d: _Decl, v: int, shared: dict, double_encoded: int, double_encoded_unit: int) -> XcmVersion:
    reg = d.reg
    body_id, body_part = shared["body_id"], shared["body_part"]
    if v == 3:
        # v3/junction.rs, v3/junctions.rs, v3/multilocation.rs (MultiLocation keeps staging_xcm).
        network = _network_id(d, "xcm::v3::junction::NetworkId", True)
        junction = _junction(d, "xcm::v3::junction::Junction", network, body_id, body_part)
        junctions = _junctions(d, "xcm::v3::junctions::Junctions", junction, arrays=False)
        location = reg.composite("staging_xcm::v3::multilocation::MultiLocation",
                                 [("parents", d.u8, "u8"), ("interior", junctions, "Junctions")])
        mod, loc_name = "xcm::v3", "MultiLocation"
    else:
        # v4|v5/junction.rs, junctions.rs, location.rs
        mod, loc_name = f"staging_xcm::v{v}", "Location"
        network = _network_id(d, f"{mod}::junction::NetworkId", v == 4)
        junction = _junction(d, f"{mod}::junction::Junction", network, body_id, body_part)
        junctions = _junctions(d, f"{mod}::junctions::Junctions", junction, arrays=True)
        location = reg.composite(f"{mod}::location::Location",
                                 [("parents", d.u8, "u8"), ("interior", junctions, "Junctions")])
    t = dict(network_id=network, junction=junction, junctions=junctions, location=location)
    t.update(_assets(d, v, location))
    t["error"] = shared["v5_error"] if v == 5 else shared["v3_error"]
    if v == 5:
        # v5/mod.rs: Hint { AssetClaimer { location } }
        t["hint"] = reg.variant(f"{mod}::Hint", [("AssetClaimer", 0, [("location", location, "Location")])])
    # v3|v4|v5/mod.rs: PalletInfo, Response, QueryResponseInfo. Each version has its own
    # MaxPalletNameLen, hence a distinct BoundedVec<u8, _> per version.
    name_t = d.bounded_vec(d.u8, distinct_key=f"v{v}::BoundedVec<u8, MaxPalletNameLen>")
    t["pallet_info"] = reg.composite(f"{mod}::PalletInfo", [
        ("index", d.cu32, "u32"),
        ("name", name_t, "BoundedVec<u8, MaxPalletNameLen>"),
        ("module_name", name_t, "BoundedVec<u8, MaxPalletNameLen>"),
        ("major", d.cu32, "u32"), ("minor", d.cu32, "u32"), ("patch", d.cu32, "u32"),
    ])
    t["response"] = reg.variant(f"{mod}::Response", [
        ("Null", 0, []),
        ("Assets", 1, [(None, t["assets"], "MultiAssets" if v == 3 else "Assets")]),
        ("ExecutionResult", 2, [(None, reg.option(reg.tuple(d.u32, t["error"])), "Option<(u32, Error)>")]),
        ("Version", 3, [(None, d.u32, "super::Version")]),
        ("PalletsInfo", 4, [(None, d.bounded_vec(t["pallet_info"]), "BoundedVec<PalletInfo, MaxPalletsInfo>")]),
        ("DispatchResult", 5, [(None, shared["maybe_error_code"], "MaybeErrorCode")]),
    ])
    t["query_response_info"] = reg.composite(f"{mod}::QueryResponseInfo", [
        ("destination", location, loc_name), ("query_id", d.cu64, "QueryId"),
        ("max_weight", shared["weight"], "Weight"),
    ])
    xcm_unit, instr_unit = _xcm_instance(d, v, t, shared, double_encoded_unit, "()")
    xcm, instr = _xcm_instance(d, v, t, shared, double_encoded, f"Call#{shared['call']}", xcm_unit=xcm_unit)
    return XcmVersion(
        version=v, xcm=xcm, xcm_unit=xcm_unit, instruction=instr, instruction_unit=instr_unit,
        location=location, junctions=junctions, junction=junction, network_id=network, asset=t["asset"],
        assets=t["assets"], asset_id=t["asset_id"], fungibility=t["fungibility"],
        asset_instance=t["asset_instance"], asset_filter=t["asset_filter"], wild_asset=t["wild_asset"],
        wild_fungibility=t["wild_fungibility"], response=t["response"], pallet_info=t["pallet_info"],
        query_response_info=t["query_response_info"], error=t["error"],
        asset_transfer_filter=t.get("asset_transfer_filter"), hint=t.get("hint"))


def declare_xcm(reg: TypeRegistry, call_type: int, *, legacy_outcome: bool = False,
                versioned_asset: bool = True, send_error: bool = True) -> XcmTypes:
    """Declare XCM v3, v4 and v5 and the versioned wrappers; idempotent for one registry.

    call_type: the runtime's RuntimeCall. DoubleEncoded<RuntimeCall> is opaque bytes and lists
    its param with no type (skip_type_params), so the id only keys the RuntimeCall instance.
    legacy_outcome: the v5 Outcome of runtimes before 2.0 (fellows v1.5 to v1.8):
    Incomplete { used, error: Error }, Error { error: Error }, no InstructionError.
    versioned_asset: xcm::VersionedAsset, present only where an API takes it (the Asset Hubs'
    TrustedQueryApi); the relay chains' metadata does not carry it.
    send_error: xcm::v3::traits::SendError, carried by pallet-xcm's SendFailed event.
    """
    d = _Decl(reg)
    weight = reg.composite("sp_weights::weight_v2::Weight", [
        ("ref_time", d.cu64, "u64"), ("proof_size", d.cu64, "u64")], name="Weight")

    # v3/mod.rs: OriginKind, WeightLimit, MaybeErrorCode (reused by v4 and v5).
    origin_kind = reg.variant("xcm::v3::OriginKind",
                              _unit_variants(("Native", "SovereignAccount", "Superuser", "Xcm")), name="OriginKind")
    weight_limit = reg.variant("xcm::v3::WeightLimit", [
        ("Unlimited", 0, []), ("Limited", 1, [(None, weight, "Weight")])], name="WeightLimit")
    err_bytes = d.bounded_vec(d.u8, distinct_key="v3::BoundedVec<u8, MaxDispatchErrorLen>")
    maybe_error_code = reg.variant("xcm::v3::MaybeErrorCode", [
        ("Success", 0, []),
        ("Error", 1, [(None, err_bytes, "BoundedVec<u8, MaxDispatchErrorLen>")]),
        ("TruncatedError", 2, [(None, err_bytes, "BoundedVec<u8, MaxDispatchErrorLen>")]),
    ], name="MaybeErrorCode")
    body_id, body_part = _body(d)

    # v3/traits.rs and v5/traits.rs
    v3_error = _error(d, "xcm::v3::traits::Error", weight, v5=False)
    v5_error = _error(d, "xcm::v5::traits::Error", weight, v5=True)
    send_err = reg.variant("xcm::v3::traits::SendError", _unit_variants((
        "NotApplicable", "Transport", "Unroutable", "DestinationUnsupported", "ExceedsMaxMessageSize",
        "MissingArgument", "Fees"))) if send_error else None
    if legacy_outcome:
        instruction_error = None
        outcome = reg.variant("staging_xcm::v5::traits::Outcome", [
            ("Complete", 0, [("used", weight, "Weight")]),
            ("Incomplete", 1, [("used", weight, "Weight"), ("error", v5_error, "Error")]),
            ("Error", 2, [("error", v5_error, "Error")]),
        ])
    else:
        instruction_error = reg.composite("staging_xcm::v5::traits::InstructionError", [
            ("index", d.u8, "InstructionIndex"), ("error", v5_error, "Error")])
        outcome = reg.variant("staging_xcm::v5::traits::Outcome", [
            ("Complete", 0, [("used", weight, "Weight")]),
            ("Incomplete", 1, [("used", weight, "Weight"), ("error", instruction_error, "InstructionError")]),
            ("Error", 2, [(None, instruction_error, "InstructionError")]),
        ])

    # double_encoded.rs: DoubleEncoded<T> { encoded: Vec<u8> }, skip_type_params(T). One copy
    # per T: Call = () and Call = RuntimeCall.
    de_fields = [("encoded", d.bytes, "Vec<u8>")]
    de_path = "xcm::double_encoded::DoubleEncoded"
    double_encoded_unit = d.distinct("DoubleEncoded<()>", "composite", de_path, fields=de_fields,
                                     params=[("T", None)])
    double_encoded = d.distinct(f"DoubleEncoded<Call#{call_type}>", "composite", de_path, fields=de_fields,
                                params=[("T", None)])

    shared = dict(call=call_type, weight=weight, weight_limit=weight_limit, origin_kind=origin_kind,
                  maybe_error_code=maybe_error_code, body_id=body_id, body_part=body_part,
                  v3_error=v3_error, v5_error=v5_error)
    v3 = _version(d, 3, shared, double_encoded, double_encoded_unit)
    v4 = _version(d, 4, shared, double_encoded, double_encoded_unit)
    v5 = _version(d, 5, shared, double_encoded, double_encoded_unit)

    # lib.rs: the versioned wrappers, V3 = 3, V4 = 4, V5 = 5 (V2 and older are gone).
    def versioned(name: str, attr: str, tn3: str, tn45: str) -> int:
        return reg.variant(f"xcm::{name}", [
            ("V3", 3, [(None, getattr(v3, attr), f"v3::{tn3}")]),
            ("V4", 4, [(None, getattr(v4, attr), f"v4::{tn45}")]),
            ("V5", 5, [(None, getattr(v5, attr), f"v5::{tn45}")]),
        ], name=name)

    versioned_location = versioned("VersionedLocation", "location", "MultiLocation", "Location")
    versioned_assets = versioned("VersionedAssets", "assets", "MultiAssets", "Assets")
    versioned_asset_id = versioned("VersionedAssetId", "asset_id", "AssetId", "AssetId")
    versioned_response = versioned("VersionedResponse", "response", "Response", "Response")
    v_asset = versioned("VersionedAsset", "asset", "MultiAsset", "Asset") if versioned_asset else None

    def versioned_xcm(attr: str) -> int:
        # skip_type_params(RuntimeCall): the param is listed without a type.
        return reg.variant("xcm::VersionedXcm", [
            ("V3", 3, [(None, getattr(v3, attr), "v3::Xcm<RuntimeCall>")]),
            ("V4", 4, [(None, getattr(v4, attr), "v4::Xcm<RuntimeCall>")]),
            ("V5", 5, [(None, getattr(v5, attr), "v5::Xcm<RuntimeCall>")]),
        ], params=[("RuntimeCall", None)])

    vxcm_unit = versioned_xcm("xcm_unit")
    vxcm = versioned_xcm("xcm")

    # xcm-executor/src/traits/asset_transfer.rs
    transfer_type = reg.variant("staging_xcm_executor::traits::asset_transfer::TransferType", [
        ("Teleport", 0, []), ("LocalReserve", 1, []), ("DestinationReserve", 2, []),
        ("RemoteReserve", 3, [(None, versioned_location, "VersionedLocation")]),
    ], name="TransferType")

    return XcmTypes(
        call=call_type, v3=v3, v4=v4, v5=v5, weight=weight, weight_limit=weight_limit, origin_kind=origin_kind,
        maybe_error_code=maybe_error_code, body_id=body_id, body_part=body_part,
        double_encoded=double_encoded, double_encoded_unit=double_encoded_unit, send_error=send_err,
        v3_error=v3_error, v5_error=v5_error, outcome=outcome, instruction_error=instruction_error,
        versioned_xcm=vxcm, versioned_xcm_unit=vxcm_unit, versioned_location=versioned_location,
        versioned_assets=versioned_assets, versioned_asset_id=versioned_asset_id,
        versioned_response=versioned_response, versioned_asset=v_asset, transfer_type=transfer_type)


def _no_zero_amount(value) -> None:
    """xcm v3/v4/v5 asset.rs: decoding Fungible(0) fails; no asset is an amount of nothing."""
    if value == {"Fungible": 0}:
        raise ScaleError("Fungible asset of zero amount is not allowed")
