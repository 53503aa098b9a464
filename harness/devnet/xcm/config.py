"""Per-chain XCM configuration as data: what each live runtime's xcm_config.rs sets up.

Sources: polkadot-fellows/runtimes relay/{kusama,polkadot}/src/xcm_config.rs,
system-parachains/asset-hubs/asset-hub-{kusama,polkadot}/src/xcm_config.rs,
system-parachains/bridge-hubs/bridge-hub-{kusama,polkadot}/src/xcm_config.rs, their
weights/xcm/{mod,pallet_xcm_benchmarks_fungible,pallet_xcm_benchmarks_generic}.rs and the
constants crates (system parachain ids, treasury pallet index). The barriers, filters and
transactors named here are implemented after polkadot-sdk polkadot/xcm/xcm-builder/src
(barriers.rs, fungible_adapter.rs, fungibles_adapter.rs, weight.rs) in builder/.

The runtime pieces the executor works through (native currency, pallet-assets instances,
router, WeightToFee) are not configuration: they arrive as an XcmHooks value from the runtime kind
(harness/devnet/runtimes/).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from ..bridge.constants import MESSAGES_INDEX
from ..paras import ASSET_HUB_ID, BRIDGE_HUB_ID
from ..runtime.payment import pallet_id_account
from . import locations as L
from .builder import barriers as B
from .primitives import WEIGHT_MAX

LOWEST_PUBLIC_ID = 2000          # polkadot-parachain-primitives: ids below are system parachains
# (relay constants) system parachains each relay trusts as teleporters of its native token
SYSTEM_TELEPORTERS = {"Kusama": (1000, 1001, 1002, 1005, 1004), "Polkadot": (1000, 1001, 1002, 1005, 1004, 1010)}
TREASURY_PALLET_ID = {"Kusama": 18, "Polkadot": 19}
MAX_INSTRUCTIONS = 100
MAX_ASSETS_INTO_HOLDING = 64
TRUST_BACKED_ASSETS_PALLET = 50

_M = WEIGHT_MAX
# Benchmarked XCM weights, (ref_time, proof_size) with the DB reads/writes folded in (RocksDbWeight:
# Kusama 25us/100us, Polkadot 20.499us/83.471us; Asset Hubs: InMemoryDbWeight 13.701us/33.06us). _M is Weight::MAX.
WEIGHTS: dict[str, dict[str, tuple[int, ...]]] = {
    "kusama": {
        "deposit_asset": (144040000, 3593), "deposit_reserve_asset": (508558000, 3593),
        "initiate_reserve_withdraw": (507737000, 3673), "initiate_teleport": (366370000, 3572),
        "initiate_transfer": (521274000, 3593), "receive_teleported_asset": (6005000, 0),
        "reserve_asset_deposited": (_M, 0), "transfer_asset": (283979000, 6196),
        "transfer_reserve_asset": (657409000, 6196), "withdraw_asset": (147158000, 3593),
        "alias_origin": (678000, 0), "asset_claimer": (694000, 0), "burn_asset": (1316000, 0),
        "buy_execution": (4217000, 0), "claim_asset": (137036000, 3488), "clear_error": (645000, 0),
        "clear_origin": (646000, 0), "clear_topic": (640000, 0), "clear_transact_status": (680000, 0),
        "descend_origin": (686000, 0), "execute_with_origin": (_M, 0), "expect_asset": (755000, 0),
        "expect_error": (2871000, 0), "expect_origin": (2858000, 0), "expect_pallet": (7056000, 0),
        "expect_transact_status": (766000, 0), "pay_fees": (4261000, 0), "query_pallet": (510469000, 3673),
        "query_response": (29628000, 3465), "refund_surplus": (1112000, 0), "report_error": (502565000, 3673),
        "report_holding": (503977000, 3673), "report_transact_status": (502789000, 3673),
        "set_appendix": (688000, 0), "set_error_handler": (681000, 0), "set_fees_mode": (647000, 0),
        "set_topic": (653000, 0), "subscribe_version": (480666000, 3572), "transact": (6004000, 0),
        "trap": (2874000, 0), "unpaid_execution": (655000, 0), "unsubscribe_version": (102622000, 0),
    },
    "polkadot": {
        "deposit_asset": (126820000, 3593), "deposit_reserve_asset": (441797000, 3606),
        "initiate_reserve_withdraw": (457597000, 3707), "initiate_teleport": (314787000, 3606),
        "initiate_transfer": (461817000, 3606), "receive_teleported_asset": (7760000, 0),
        "reserve_asset_deposited": (_M, 0), "transfer_asset": (251290000, 6196),
        "transfer_reserve_asset": (580247000, 6196), "withdraw_asset": (131150000, 3593),
        "alias_origin": (760000, 0), "asset_claimer": (899000, 0), "burn_asset": (1511000, 0),
        "buy_execution": (4400000, 0), "claim_asset": (117340000, 3488), "clear_error": (780000, 0),
        "clear_origin": (690000, 0), "clear_topic": (1029000, 0), "clear_transact_status": (770000, 0),
        "descend_origin": (920000, 0), "execute_with_origin": (_M, 0), "expect_asset": (810000, 0),
        "expect_error": (3760000, 0), "expect_origin": (2970000, 0), "expect_pallet": (8490000, 0),
        "expect_transact_status": (1070000, 0), "pay_fees": (4290000, 0), "query_pallet": (450737000, 3707),
        "query_response": (25939000, 3465), "refund_surplus": (1240000, 0), "report_error": (435307000, 3707),
        "report_holding": (439638000, 3707), "report_transact_status": (438407000, 3707),
        "set_appendix": (720000, 0), "set_error_handler": (670000, 0), "set_fees_mode": (660000, 0),
        "set_topic": (1030000, 0), "subscribe_version": (409427000, 3606), "transact": (7149000, 0),
        "trap": (3270000, 0), "unpaid_execution": (680000, 0), "unsubscribe_version": (86241000, 0),
    },
    "kusama-asset-hub": {
        "deposit_asset": (242663000, 3675), "deposit_reserve_asset": (428579000, 6962),
        "initiate_reserve_withdraw": (351117000, 6196), "initiate_teleport": (439650000, 7007),
        "initiate_transfer": (487700000, 8137), "receive_teleported_asset": (86371000, 3593),
        "reserve_asset_deposited": (96004000, 7099), "transfer_asset": (307174000, 6208),
        "transfer_reserve_asset": (616932000, 9056), "withdraw_asset": (174763000, 3675),
        "alias_origin": (40501000, 3914), "asset_claimer": (800000, 0), "burn_asset": (29711000, 0),
        "buy_execution": (58531000, 3593), "claim_asset": (59981000, 3488), "clear_error": (780000, 0),
        "clear_origin": (741000, 0), "clear_topic": (751000, 0), "clear_transact_status": (771000, 0),
        "descend_origin": (790000, 0), "exchange_asset": (214753000, 4273), "execute_with_origin": (_M, 0),
        "expect_asset": (5080000, 0), "expect_error": (3160000, 0), "expect_origin": (2960000, 0),
        "expect_pallet": (8880000, 0), "expect_transact_status": (920000, 0), "pay_fees": (58601000, 3593),
        "query_pallet": (316497000, 6196), "query_response": (18721000, 3465), "refund_surplus": (1850000, 0),
        "report_error": (301918000, 6196), "report_holding": (332257000, 6196),
        "report_transact_status": (299737000, 6196), "set_appendix": (760000, 0),
        "set_error_handler": (760000, 0), "set_fees_mode": (730000, 0), "set_topic": (779000, 0),
        "subscribe_version": (195985000, 3696), "transact": (6430000, 0), "trap": (3550000, 0),
        "universal_origin": (18641000, 1489), "unpaid_execution": (770000, 0),
        "unsubscribe_version": (36130000, 0),
    },
    "polkadot-asset-hub": {
        "deposit_asset": (232243000, 3675), "deposit_reserve_asset": (405557000, 7061),
        "initiate_reserve_withdraw": (331311000, 6196), "initiate_teleport": (416433000, 7040),
        "initiate_transfer": (467847000, 8472), "receive_teleported_asset": (78827000, 3593),
        "reserve_asset_deposited": (94054000, 7099), "transfer_asset": (287918000, 6208),
        "transfer_reserve_asset": (584385000, 9457), "withdraw_asset": (170158000, 3675),
        "alias_origin": (40501000, 3914), "asset_claimer": (541000, 0), "burn_asset": (23932000, 0),
        "buy_execution": (56374000, 3593), "claim_asset": (58398000, 3488), "clear_error": (486000, 0),
        "clear_origin": (489000, 0), "clear_topic": (496000, 0), "clear_transact_status": (542000, 0),
        "descend_origin": (503000, 0), "exchange_asset": (197762000, 4273), "execute_with_origin": (_M, 0),
        "expect_asset": (4235000, 0), "expect_error": (2471000, 0), "expect_origin": (2462000, 0),
        "expect_pallet": (6399000, 0), "expect_transact_status": (625000, 0), "pay_fees": (55967000, 3593),
        "query_pallet": (297943000, 6196), "query_response": (17741000, 3465), "refund_surplus": (1325000, 0),
        "report_error": (290485000, 6196), "report_holding": (316344000, 6196),
        "report_transact_status": (290875000, 6196), "set_appendix": (505000, 0),
        "set_error_handler": (504000, 0), "set_fees_mode": (494000, 0), "set_topic": (489000, 0),
        "subscribe_version": (191706000, 3696), "transact": (5008000, 0), "trap": (2462000, 0),
        "universal_origin": (17746000, 1489), "unpaid_execution": (500000, 0),
        "unsubscribe_version": (35190000, 0),
    },
    # bridge-hub-*/src/weights/xcm (RocksDbWeight 25us/100us folded in); export_message is
    # (base, proof_size, ref_time per byte of the exported message)
    "kusama-bridge-hub": {
        "alias_origin": (663000, 0), "asset_claimer": (661000, 0), "burn_asset": (1297000, 0),
        "buy_execution": (129876000, 3593), "claim_asset": (136697000, 3488), "clear_error": (640000, 0),
        "clear_origin": (648000, 0), "clear_topic": (620000, 0), "clear_transact_status": (663000, 0),
        "deposit_asset": (143350000, 3593), "deposit_reserve_asset": (500346000, 3629),
        "descend_origin": (644000, 0), "execute_with_origin": (_M, 0), "expect_asset": (723000, 0),
        "expect_error": (2730000, 0), "expect_origin": (2721000, 0), "expect_pallet": (3336000, 0),
        "expect_transact_status": (727000, 0), "export_message": (383509310, 6299, 39198),
        "initiate_reserve_withdraw": (633919000, 6196), "initiate_teleport": (360473000, 3629),
        "initiate_transfer": (646172000, 6196), "pay_fees": (129872000, 3593),
        "query_pallet": (634413000, 6196), "query_response": (29328000, 3465),
        "receive_teleported_asset": (5422000, 0), "refund_surplus": (1390000, 0),
        "report_error": (630745000, 6196), "report_holding": (632913000, 6196),
        "report_transact_status": (631027000, 6196), "reserve_asset_deposited": (_M, 0),
        "set_appendix": (654000, 0), "set_error_handler": (658000, 0), "set_fees_mode": (630000, 0),
        "set_topic": (622000, 0), "subscribe_version": (448907000, 3597), "transact": (5896000, 0),
        "transfer_asset": (282808000, 6196), "transfer_reserve_asset": (782615000, 8799), "trap": (2721000, 0),
        "unpaid_execution": (649000, 0), "unsubscribe_version": (102614000, 0),
        "withdraw_asset": (145920000, 3593),
    },
    "polkadot-bridge-hub": {
        "alias_origin": (849000, 0), "asset_claimer": (893000, 0), "burn_asset": (1429000, 0),
        "buy_execution": (129450000, 3593), "claim_asset": (136543000, 3489), "clear_error": (864000, 0),
        "clear_origin": (857000, 0), "clear_topic": (845000, 0), "clear_transact_status": (892000, 0),
        "deposit_asset": (146691000, 3593), "deposit_reserve_asset": (510900000, 3695),
        "descend_origin": (850000, 0), "execute_with_origin": (_M, 0), "expect_asset": (918000, 0),
        "expect_error": (2669000, 0), "expect_origin": (2669000, 0), "expect_pallet": (3999000, 0),
        "expect_transact_status": (991000, 0), "export_message": (385027021, 6300, 43254),
        "initiate_reserve_withdraw": (536414000, 6196), "initiate_teleport": (367485000, 3695),
        "initiate_transfer": (553437000, 6196), "pay_fees": (129459000, 3593),
        "query_pallet": (526463000, 6196), "query_response": (29189000, 3465),
        "receive_teleported_asset": (6260000, 0), "refund_surplus": (1548000, 0),
        "report_error": (521551000, 6196), "report_holding": (523757000, 6196),
        "report_transact_status": (521725000, 6196), "reserve_asset_deposited": (_M, 0),
        "set_appendix": (842000, 0), "set_error_handler": (865000, 0), "set_fees_mode": (838000, 0),
        "set_topic": (842000, 0), "subscribe_version": (448354000, 3663), "transact": (5422000, 0),
        "transfer_asset": (290740000, 6196), "transfer_reserve_asset": (692874000, 8799), "trap": (2665000, 0),
        "unpaid_execution": (857000, 0), "unsubscribe_version": (102419000, 0),
        "withdraw_asset": (150158000, 3593),
    },
}


# --- runtime hooks ------------------------------------------------------------------------------

class Fungible(Protocol):
    """The native currency as the FungibleAdapter needs it (frame fungible::Mutate semantics:
    raise runtime.frame.DispatchError on failure, e.g. Token.BelowMinimum / FundsUnavailable)."""

    def balance(self, ctx: Any, who: bytes) -> int: ...
    def mint_into(self, ctx: Any, who: bytes, amount: int) -> None: ...
    def burn_from(self, ctx: Any, who: bytes, amount: int) -> None: ...
    def transfer(self, ctx: Any, source: bytes, dest: bytes, amount: int) -> None: ...
    def issue_to(self, ctx: Any, who: bytes, amount: int) -> None: ...   # new issuance resolved into `who`


class Fungibles(Protocol):
    """A pallet-assets instance (assets/pallet.py): asset ids are u32 (Assets) or Locations (ForeignAssets)."""

    def balance(self, ctx: Any, asset_id: Any, who: bytes) -> int: ...
    def total_issuance(self, ctx: Any, asset_id: Any) -> int: ...
    def mint_into(self, ctx: Any, asset_id: Any, who: bytes, amount: int) -> None: ...
    def burn_from(self, ctx: Any, asset_id: Any, who: bytes, amount: int) -> None: ...
    def transfer(self, ctx: Any, asset_id: Any, source: bytes, dest: bytes, amount: int) -> None: ...
    def reserves_of(self, ctx: Any, asset_id: Any) -> list: ...   # [{"reserve": loc, "teleportable": bool}]


class Router(Protocol):
    """The XcmRouter (SendXcm): `validate` prices a message and returns a ticket, `deliver` sends
    it and returns the message id; both raise executor.SendFailure(SendError name)."""

    def validate(self, ctx: Any, dest: dict, message: list) -> tuple[Any, list]: ...
    def deliver(self, ctx: Any, ticket: Any) -> bytes: ...


@dataclass
class XcmHooks:
    """Runtime pieces the executor calls; set by the runtime kind (runtimes/) once the chain is composed."""

    native: Fungible
    weight_to_fee: Callable[[dict], int]        # the chain's WeightToFee, on a Weight value
    router: Router | None = None
    assets: Fungibles | None = None              # pallet-assets "Assets" (trust-backed, index 50)
    foreign_assets: Fungibles | None = None      # pallet-assets "ForeignAssets" (index 53)
    # ExportMessage seam for the bridge: fn(ctx, origin, network, destination, xcm) -> fees; None = Unroutable
    exporter: Callable[..., list] | None = None
    pools: Any = None                            # assets.conversion.AssetConversion: SwapFirstAssetTrader's pools


# --- configuration ----------------------------------------------------------------------------

@dataclass(frozen=True)
class NativeTransactor:
    """FungibleAdapter<Balances, IsConcrete<location>, LocationToAccountId, AccountId, tracking>."""

    location: dict
    checking: tuple[bytes, str] | None = None    # (CheckingAccount, "Local" | "NonLocal")


@dataclass(frozen=True)
class AssetsTransactor:
    """FungiblesAdapter over Assets (TrustBackedAssetsConvertedConcreteId, LocalMint<NonZeroIssuance>)."""

    pallet_index: int = TRUST_BACKED_ASSETS_PALLET


@dataclass(frozen=True)
class ForeignAssetsTransactor:
    """FungiblesAdapter over ForeignAssets (ForeignAssetsConvertedConcreteId, NoChecking): any
    location not under the local Assets pallet and not inside our own global consensus."""

    exclude_pallet: int = TRUST_BACKED_ASSETS_PALLET


Barrier = Callable[..., None]   # (executor, origin, instructions, max_weight, props) -> None or raise
Reserves = Callable[[dict], list]   # asset id -> [{"reserve": location, "teleportable": bool}]


@dataclass(frozen=True)
class XcmConfig:
    chain: str                                   # weights key
    network: str                                 # "Kusama" | "Polkadot"
    para_id: int | None
    universal: list                              # UniversalLocation junctions
    native_location: dict                        # the native token's location from here
    location_to_account: L.Converter
    transactors: tuple
    # (asset, origin, reserves): reserves(asset_id) is the asset's configured reserve data
    is_teleporter: Callable[[dict, dict, Reserves], bool]
    is_reserve: Callable[[dict, dict, Reserves], bool]
    barrier: Barrier
    waived: Callable[[dict | None], bool]        # XcmFeeManagerFromComponents' WaivedLocations
    fee_account: bytes                           # SendXcmFeeToAccount receiver (treasury)
    trader_recipient: bytes | None               # where UsingComponents' revenue goes (None: burnt)
    aliasers: Callable[[Any, dict, dict], bool]  # (executor, origin, target)
    universal_aliases: Callable[[dict, Any], bool]
    check_account: bytes
    max_instructions: int = MAX_INSTRUCTIONS
    max_assets_into_holding: int = MAX_ASSETS_INTO_HOLDING
    weigh_assets_cap: int = 100                  # MAX_ASSETS in the runtime's weights/xcm/mod.rs
    unknown_asset_unweighable: bool = False      # relays weigh assets other than their token as MAX
    extra: dict = field(default_factory=dict)

    @property
    def weights(self) -> dict[str, tuple[int, int]]:
        return WEIGHTS[self.chain]


# --- filters (Contains<Location> of the xcm_config files) ---------------------------------------

def _is(loc: dict | None, parents: int, kinds: tuple[str, ...]) -> bool:
    if loc is None or loc["parents"] != parents:
        return False
    items = L.junctions(loc)
    return len(items) == len(kinds) and all(L.junction_kind(j) == k for j, k in zip(items, kinds))


def _para_id(loc: dict) -> int:
    return L.junctions(loc)[0]["Parachain"]


def is_child_system_parachain(loc: dict | None) -> bool:
    return _is(loc, 0, ("Parachain",)) and _para_id(loc) < LOWEST_PUBLIC_ID


def is_sibling_system_parachain(self_id: int) -> Callable[[dict | None], bool]:
    return lambda loc: _is(loc, 1, ("Parachain",)) and _para_id(loc) < LOWEST_PUBLIC_ID and _para_id(loc) != self_id


def is_parent(loc: dict | None) -> bool:
    return _is(loc, 1, ())


def _equals(target: dict) -> Callable[[dict | None], bool]:
    return lambda loc: loc is not None and L.normalize(loc) == L.normalize(target)


def _any(*preds) -> Callable[[dict | None], bool]:
    return lambda loc: any(p(loc) for p in preds)


def check_account() -> bytes:
    """pallet_xcm::Pallet::check_account(): PalletId(*b"py/xcmch")."""
    return L.pallet_account(b"py/xcmch")


def treasury_account() -> bytes:
    """Treasury::account_id(): PalletId(*b"py/trsry")."""
    return L.pallet_account(b"py/trsry")


def staking_pot_account() -> bytes:
    """CollatorSelection::account_id(): PalletId(*b"PotStake")."""
    return L.pallet_account(b"PotStake")


def dap_staging_account() -> bytes:
    """Dap::staging_account() on Polkadot Asset Hub (F asset-hub-polkadot staking: DapStagingAccount)."""
    return pallet_id_account(b"dap/buff", b"staging")


def system_parachain_barrier(universal: list, unpaid_from: Callable[[dict | None], bool]) -> Barrier:
    """The Asset Hubs' and Bridge Hubs' Barrier: TrailingSetTopicAsId<DenyThenTry<
    DenyReserveTransferToRelayChain, (TakeWeightCredit, AllowKnownQueryResponses, WithComputedOrigin<(
    AllowTopLevelPaidExecutionFrom<Everything>, AllowExplicitUnpaidExecutionFrom<unpaid_from>,
    AllowSubscriptionsFrom<ParentRelayOrSiblingParachains>), UniversalLocation, 8>)>>."""
    return B.trailing_set_topic_as_id(B.deny_then_try(
        B.deny_reserve_transfer_to_relay_chain,
        B.barrier_tuple(
            B.take_weight_credit,
            B.allow_known_query_responses,
            B.with_computed_origin(B.barrier_tuple(
                B.allow_top_level_paid_execution_from(lambda loc: True),
                B.allow_explicit_unpaid_execution_from(unpaid_from),
                B.allow_subscriptions_from(lambda loc: is_parent(loc) or _is(loc, 1, ("Parachain",))),
            ), universal, 8),
        )))


def relay_token_from_system(sibling_system: Callable[[dict | None], bool]) -> Callable[[dict, dict], bool]:
    """ConcreteAssetFromSystem<Parent>: the relay token from the relay or a sibling system chain."""
    def contains(asset: dict, origin: dict) -> bool:
        return L.normalize(asset["id"]) == L.PARENT and (is_parent(origin) or sibling_system(origin))
    return contains


# --- per-chain configurations ------------------------------------------------------------------

def relay_config(network: str) -> XcmConfig:
    """relay/{kusama,polkadot}/src/xcm_config.rs"""
    universal = [{"GlobalConsensus": network}]
    here = L.HERE
    native_filter_holders = SYSTEM_TELEPORTERS[network]

    def is_teleporter(asset: dict, origin: dict, reserves: Reserves) -> bool:
        # Case<(Wild(AllOf{ id: Here, fun: Fungible }), Parachain(id))> for each system parachain
        return (L.normalize(asset["id"]) == here and "Fungible" in asset["fun"]
                and _is(origin, 0, ("Parachain",)) and _para_id(origin) in native_filter_holders)

    fellows = (lambda loc: _is(loc, 0, ("Parachain", "Plurality")) and _para_id(loc) == 1001
               and L.junctions(loc)[1]["Plurality"] == {"id": "Technical", "part": "Voice"})
    asset_hub_plurality = lambda loc: _is(loc, 0, ("Parachain", "Plurality")) and _para_id(loc) == ASSET_HUB_ID
    unpaid_from = (_any(is_child_system_parachain, fellows, asset_hub_plurality) if network == "Polkadot"
                   else _any(is_child_system_parachain, asset_hub_plurality))
    barrier = B.trailing_set_topic_as_id(B.barrier_tuple(
        B.take_weight_credit,
        B.allow_known_query_responses,
        B.with_computed_origin(B.barrier_tuple(
            B.allow_top_level_paid_execution_from(lambda loc: True),
            B.allow_explicit_unpaid_execution_from(unpaid_from),
            B.allow_subscriptions_from(lambda loc: _is(loc, 0, ("Parachain",))),
        ), universal, 8),
    ))
    local_plurality = lambda loc: _is(loc, 0, ("Plurality",))
    return XcmConfig(
        chain=network.lower(), network=network, para_id=None, universal=universal, native_location=here,
        location_to_account=L.first_match([
            L.child_parachain_converts_via, L.account_id32_aliases(network), L.hashed_description]),
        transactors=(NativeTransactor(here, None),),   # NoTeleportTracking: issuance is tracked on AH
        is_teleporter=is_teleporter,
        is_reserve=_no_reserve,                         # IsReserve = ()
        barrier=barrier,
        waived=_any(is_child_system_parachain, _equals(here), local_plurality),
        fee_account=treasury_account(),
        trader_recipient=None,                          # ToAuthor: no author digest on the devnet
        aliasers=B.alias_child_location,
        universal_aliases=lambda origin, junction: False,
        check_account=check_account(),
        weigh_assets_cap=1, unknown_asset_unweighable=True,
    )


def asset_hub_config(network: str, para_id: int = ASSET_HUB_ID) -> XcmConfig:
    """system-parachains/asset-hubs/asset-hub-{kusama,polkadot}/src/xcm_config.rs"""
    universal = [{"GlobalConsensus": network}, {"Parachain": para_id}]
    parent = L.PARENT
    other = "Polkadot" if network == "Kusama" else "Kusama"
    bridge_hub = L.parachain(BRIDGE_HUB_ID, parents=1)
    relay_treasury = L.location(1, [{"PalletInstance": TREASURY_PALLET_ID[network]}])
    sibling_system = is_sibling_system_parachain(para_id)
    cousin_asset_hub = L.location(2, [{"GlobalConsensus": other}, {"Parachain": ASSET_HUB_ID}])
    relay_token = relay_token_from_system(sibling_system)

    def is_teleporter(asset: dict, origin: dict, reserves: Reserves) -> bool:
        # (ConcreteAssetFromSystem<Parent>,
        #  IsForeignConcreteAsset<TeleportableAssetWithTrustedReserve<SelfParaId, ForeignAssets>>)
        return relay_token(asset, origin) or _trusted_reserve(asset, origin, reserves, teleportable=True)

    def is_reserve(asset: dict, origin: dict, reserves: Reserves) -> bool:
        # IsForeignConcreteAsset<NonTeleportableAssetFromTrustedReserve<SelfParaId, ForeignAssets>>:
        # only the reserves the asset's owner configured (ForeignAssets.Reserves) are trusted
        return _trusted_reserve(asset, origin, reserves, teleportable=False)

    parents_plurality = lambda loc: is_parent(loc) or _is(loc, 1, ("Plurality",))
    fellowship = (lambda loc: _is(loc, 1, ("Parachain", "Plurality")) and _para_id(loc) == 1001
                  and L.junctions(loc)[1]["Plurality"] == {"id": "Technical", "part": "Voice"})
    unpaid_from = _any(parents_plurality, _equals(relay_treasury), _equals(bridge_hub), fellowship, sibling_system)
    barrier = system_parachain_barrier(universal, unpaid_from)
    # bridging::to_*::UniversalAliases: the sibling Bridge Hub's messages pallet (53 on both,
    # WITH_BRIDGE_*_MESSAGES_PALLET_INDEX) may claim the bridged global consensus
    bridge_instance = L.location(1, [{"Parachain": BRIDGE_HUB_ID}, {"PalletInstance": MESSAGES_INDEX}])

    def universal_aliases(origin: dict, junction: Any) -> bool:
        return (L.normalize(origin) == L.normalize(bridge_instance)
                and L.normalize(junction) == {"GlobalConsensus": other})

    converters = [L.parent_is_preset, L.sibling_parachain_converts_via, L.account_id32_aliases(network),
                  L.hashed_description]
    if network == "Kusama":
        converters += [L.global_consensus_parachain_converts_for(universal), L.ethereum_locations_converter_for(universal)]
    else:
        converters += [L.external_consensus_locations_converter_for(universal)]
    return XcmConfig(
        chain=f"{network.lower()}-asset-hub", network=network, para_id=para_id, universal=universal,
        native_location=parent,
        location_to_account=L.first_match(converters),
        transactors=(NativeTransactor(parent, (check_account(), "Local")), AssetsTransactor(),
                     ForeignAssetsTransactor()),
        is_teleporter=is_teleporter,
        is_reserve=is_reserve,
        barrier=barrier,
        waived=_any(_equals(L.HERE), is_parent, sibling_system, _equals(relay_treasury), fellowship,
                    lambda loc: _is(loc, 0, ("Plurality",))),
        # SendXcmFeeToAccount and the trader's ResolveTo: Kusama's TreasuryAccount and StakingPot,
        # Polkadot's DapStagingAccount for both
        fee_account=treasury_account() if network == "Kusama" else dap_staging_account(),
        trader_recipient=staking_pot_account() if network == "Kusama" else dap_staging_account(),
        aliasers=B.trusted_aliasers(cousin_asset_hub),
        universal_aliases=universal_aliases,
        check_account=check_account(),
    )


def bridge_hub_config(network: str, para_id: int = BRIDGE_HUB_ID) -> XcmConfig:
    """system-parachains/bridge-hubs/bridge-hub-{kusama,polkadot}/src/xcm_config.rs: the relay token
    only, unpaid execution for the relay, its treasury and Asset Hub, MessageExporter =
    XcmOverBridgeHub* (hooks.exporter), UniversalAliases = Nothing, IsReserve = ()."""
    universal = [{"GlobalConsensus": network}, {"Parachain": para_id}]
    parent = L.PARENT
    relay_treasury = L.location(1, [{"PalletInstance": TREASURY_PALLET_ID[network]}])
    sibling_system = is_sibling_system_parachain(para_id)
    asset_hub_plurality = lambda loc: _is(loc, 1, ("Parachain", "Plurality")) and _para_id(loc) == ASSET_HUB_ID
    parents_plurality = lambda loc: is_parent(loc) or _is(loc, 1, ("Plurality",))
    unpaid_from = _any(parents_plurality, _equals(relay_treasury), _equals(L.parachain(ASSET_HUB_ID, parents=1)),
                       asset_hub_plurality)
    barrier = system_parachain_barrier(universal, unpaid_from)
    relay_token = relay_token_from_system(sibling_system)
    location_to_account = L.first_match([L.parent_is_preset, L.sibling_parachain_converts_via,
                                         L.account_id32_aliases(network), L.hashed_description])
    # SendXcmFeeToAccount: Kusama's RelayTreasuryPalletAccount, Polkadot's own TreasuryAccount
    fee_account = location_to_account(relay_treasury) if network == "Kusama" else treasury_account()
    return XcmConfig(
        chain=f"{network.lower()}-bridge-hub", network=network, para_id=para_id, universal=universal,
        native_location=parent,
        location_to_account=location_to_account,
        transactors=(NativeTransactor(parent, None),),
        is_teleporter=lambda asset, origin, reserves: relay_token(asset, origin),
        is_reserve=_no_reserve,
        barrier=barrier,
        waived=_any(_equals(L.HERE), is_parent, sibling_system, _equals(relay_treasury)),
        fee_account=fee_account,
        trader_recipient=staking_pot_account(),          # ResolveTo<StakingPot, Balances>
        aliasers=lambda vm, origin, target: (            # (AliasChildLocation, AuthorizedAliasers)
            B.alias_child_location(vm, origin, target) or vm.pallet.is_authorized_alias(vm.ctx, origin, target)),
        universal_aliases=lambda origin, junction: False,
        check_account=check_account(),
    )


def _no_reserve(asset: dict, origin: dict, reserves: Reserves) -> bool:
    return False


def _trusted_reserve(asset: dict, origin: dict, reserves: Reserves, teleportable: bool) -> bool:
    """Is `origin` one of the asset's configured reserves, with that teleportable flag?
    (assets_common NonTeleportableAssetFromTrustedReserve / TeleportableAssetWithTrustedReserve)"""
    origin = L.normalize(origin)
    return any(L.normalize(r["reserve"]) == origin and bool(r["teleportable"]) == teleportable
               for r in reserves(L.normalize(asset["id"])))


def config_for(network: str, para_id: int | None) -> XcmConfig:
    if para_id is None:
        return relay_config(network)
    return bridge_hub_config(network, para_id) if para_id == BRIDGE_HUB_ID else asset_hub_config(network, para_id)
