"""pallet-xcm: `XcmPallet` (index 99) on the relays, `PolkadotXcm` (index 31) on the Asset Hubs.

Declarations (call/event/error/storage order, indices, field and type names) follow the live
metadata: PolkadotXcm of Kusama Asset Hub 1009003 and XcmPallet of Kusama 1009002 (polkadot-js
types-support v15 metadata) and the dedot chaintypes of spec 2003000, which agree. Behaviour
follows polkadot-sdk polkadot/xcm/pallet-xcm/src/lib.rs: the transfer programs
(teleport_assets_program, local/destination/remote reserve programs, *_fees_instructions,
add_fees_to_xcm), build_and_execute_xcm_transfer_type (local execution, delivery fees charged to
the sender with FeesPaid, Sent), send_xcm (DescendOrigin + fees), drop_assets / claim_assets
(AssetTraps), the response handler, the version subscription service and WrapVersion.
Call weights come from each runtime's weights/pallet_xcm.rs (DB reads/writes folded in).
Genesis: GenesisConfig { safe_xcm_version, supported_version } from ChainConfig.extra.
"""
from __future__ import annotations

from typing import Any

from ..hashing import blake2_256
from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from ..types.xcm import declare_xcm
from . import executor as X
from . import locations as L
from . import versions as V
from .config import WEIGHT_MAX, XcmHooks, config_for

XCM_VERSION = 5
MAX_ASSETS_FOR_TRANSFER = 2
_M = WEIGHT_MAX
CALL_WEIGHTS = {
    "kusama": {"send": (354081000, 3572), "teleport_assets": (431898000, 3572), "reserve_transfer_assets": (_M, 0), "transfer_assets": (433364000, 3572), "execute": (31595000, 1485), "force_xcm_version": (106512000, 0), "force_default_xcm_version": (2000000, 0), "force_subscribe_version_notify": (710023000, 3572), "force_unsubscribe_version_notify": (587171000, 3752), "force_suspension": (102050000, 0), "claim_assets": (184987000, 3488), "add_authorized_alias": (_M, 0), "remove_authorized_alias": (_M, 0)},  # noqa: E501
    "polkadot": {"send": (304017000, 3606), "teleport_assets": (398786000, 3606), "reserve_transfer_assets": (_M, 0), "transfer_assets": (396486000, 3606), "execute": (27539000, 1485), "force_xcm_version": (90621000, 0), "force_default_xcm_version": (2030000, 0), "force_subscribe_version_notify": (609587000, 3606), "force_unsubscribe_version_notify": (504118000, 3786), "force_suspension": (85620000, 0), "claim_assets": (172479000, 3488), "add_authorized_alias": (_M, 0), "remove_authorized_alias": (_M, 0)},  # noqa: E501
    "kusama-asset-hub": {"send": (151185000, 3696), "teleport_assets": (436529000, 7902), "reserve_transfer_assets": (607173000, 8217), "transfer_assets": (770115000, 10496), "execute": (20691000, 1485), "force_xcm_version": (40470000, 0), "force_default_xcm_version": (2120000, 0), "force_subscribe_version_notify": (282826000, 3696), "force_unsubscribe_version_notify": (253846000, 108971), "force_suspension": (35230000, 0), "claim_assets": (6331142000, 54690), "add_authorized_alias": (154252000, 5270), "remove_authorized_alias": (154242000, 5658)},  # noqa: E501
    "polkadot-asset-hub": {"send": (144386000, 3696), "teleport_assets": (415606000, 8171), "reserve_transfer_assets": (584765000, 8485), "transfer_assets": (732765000, 10864), "execute": (19370000, 1485), "force_xcm_version": (38911000, 0), "force_default_xcm_version": (1767000, 0), "force_subscribe_version_notify": (278005000, 3696), "force_unsubscribe_version_notify": (250222000, 108971), "force_suspension": (34780000, 0), "claim_assets": (6331142000, 54690), "add_authorized_alias": (142816000, 5369), "remove_authorized_alias": (142706000, 5757)},  # noqa: E501
    "kusama-bridge-hub": {"send": (321686000, 3597), "teleport_assets": (556277000, 3681), "reserve_transfer_assets": (_M, 0), "transfer_assets": (558408000, 3681), "execute": (31221000, 1485), "force_xcm_version": (106079000, 0), "force_default_xcm_version": (1876000, 0), "force_subscribe_version_notify": (678027000, 3597), "force_unsubscribe_version_notify": (583315000, 108971), "force_suspension": (101937000, 0), "claim_assets": (184310000, 3488), "add_authorized_alias": (287543000, 3593), "remove_authorized_alias": (288515000, 3981)},  # noqa: E501
    "polkadot-bridge-hub": {"send": (321452000, 3663), "teleport_assets": (450021000, 3784), "reserve_transfer_assets": (_M, 0), "transfer_assets": (451123000, 3784), "execute": (30787000, 1485), "force_xcm_version": (105611000, 0), "force_default_xcm_version": (1660000, 0), "force_subscribe_version_notify": (677774000, 3663), "force_unsubscribe_version_notify": (584652000, 108971), "force_suspension": (101668000, 0), "claim_assets": (182858000, 3489), "add_authorized_alias": (290523000, 3594), "remove_authorized_alias": (290880000, 3982)},  # noqa: E501
}
# call name -> weight function of weights/pallet_xcm.rs (the limited_* calls share the base one)
_WEIGHT_OF = {"limited_teleport_assets": "teleport_assets", "limited_reserve_transfer_assets": "reserve_transfer_assets",
              "transfer_assets_using_type_and_then": "transfer_assets", "remove_all_authorized_aliases":
              "remove_authorized_alias"}


class BalancesFungible:
    """Minimal adapter: the runtime's pallet-balances (runtime/balances.py) as config.Fungible."""

    def __init__(self, balances: Any):
        self.balances = balances

    def balance(self, ctx: Ctx, who: bytes) -> int:
        return self.balances.free_balance(ctx.state, who)

    def mint_into(self, ctx: Ctx, who: bytes, amount: int) -> None:
        self.balances.mint(ctx, who, amount)

    def burn_from(self, ctx: Ctx, who: bytes, amount: int) -> None:
        self.balances.burn_from(ctx, who, amount, keep_alive=False)

    def transfer(self, ctx: Ctx, source: bytes, dest: bytes, amount: int) -> None:
        self.balances.transfer(ctx, source, dest, amount, keep_alive=False)

    def issue_to(self, ctx: Ctx, who: bytes, amount: int) -> None:
        """Currency::issue resolved into `who` (UsingComponents' revenue through ResolveTo)."""
        self.balances.deposit(ctx, who, amount, exact=True, issue=True)


def default_hooks(runtime: Any) -> XcmHooks:
    """Hooks from the composed runtime's own pallets; its runtime kind (runtimes/) adds the router,
    pools and exporter."""
    fees = runtime.pallet("TransactionPayment").FEES
    return XcmHooks(native=BalancesFungible(runtime.pallet("Balances")),
                    weight_to_fee=lambda weight: fees.weight_to_fee(weight["ref_time"], weight["proof_size"]),
                    assets=runtime.by_name.get("Assets"), foreign_assets=runtime.by_name.get("ForeignAssets"))


def versioned_location(loc: dict) -> dict:
    return {"V5": loc}


class XcmPallet(Pallet):
    def __init__(self, runtime: Any, index: int):
        self.NAME = "XcmPallet" if runtime.config.is_relay else "PolkadotXcm"
        super().__init__(runtime, index)
        self.xcm_config = config_for(runtime.config.network, runtime.config.para_id)
        self.weigher = X.Weigher(self.xcm_config, self._encoded_call_weight)
        self._hooks: XcmHooks | None = None

    # --- wiring ------------------------------------------------------------------------------
    @property
    def hooks(self) -> XcmHooks:
        if self._hooks is None:
            self._hooks = default_hooks(self.runtime)
        return self._hooks

    @hooks.setter
    def hooks(self, value: XcmHooks) -> None:
        self._hooks = value

    def _encoded_call_weight(self, encoded: bytes) -> dict:
        try:
            call = self.reg.decode(self.runtime.call_enum, encoded)
        except Exception:
            raise X.Unweighable("undecodable call") from None
        return X.w(*self.runtime.call_weight(call))

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        table = CALL_WEIGHTS[self.xcm_config.chain]
        base = table.get(_WEIGHT_OF.get(call, call), (100_000_000, 0))
        if call == "execute" and args:
            mw = args["max_weight"]
            return (min(_M, base[0] + mw["ref_time"]), min(_M, base[1] + mw["proof_size"]))
        return base

    # --- declarations ------------------------------------------------------------------------
    def declare(self) -> None:
        r, t = self.reg, self.t
        relay = self.runtime.config.is_relay
        x = self.xt = declare_xcm(r, self.runtime.call_enum, versioned_asset=not relay)
        v5 = x.v5
        vloc, vassets, vxcm_unit = x.versioned_location, x.versioned_assets, x.versioned_xcm_unit
        u8, u32, u64, u128 = t.u8, t.u32, t.u64, t.u128
        opt_loc = r.option(v5.location)
        opt_u64 = r.option(u64)
        h256 = t.h256
        b32 = r.array(u8, 32)

        # storage (lib.rs #[pallet::storage], declaration order)
        query_status = r.variant("pallet_xcm::pallet::QueryStatus", [
            ("Pending", 0, [("responder", vloc, "VersionedLocation"),
                            ("maybe_match_querier", r.option(vloc), "Option<VersionedLocation>"),
                            ("maybe_notify", r.option(r.tuple(u8, u8)), "Option<(u8, u8)>"),
                            ("timeout", u32, "BlockNumber")]),
            ("VersionNotifier", 1, [("origin", vloc, "VersionedLocation"), ("is_active", t.bool, "bool")]),
            ("Ready", 2, [("response", x.versioned_response, "VersionedResponse"), ("at", u32, "BlockNumber")]),
        ], params=[("BlockNumber", u32)])
        self.query_counter = self.item("QueryCounter", u64, default=0)
        self.queries = self.item("Queries", query_status, (u64,), ("Blake2_128Concat",), optional=True)
        self.asset_traps = self.item("AssetTraps", u32, (h256,), ("Identity",), default=0)
        self.safe_xcm_version = self.item("SafeXcmVersion", u32, optional=True)
        double = ("Twox64Concat", "Blake2_128Concat")
        self.supported_version = self.item("SupportedVersion", u32, (u32, vloc), double, optional=True)
        self.version_notifiers = self.item("VersionNotifiers", u64, (u32, vloc), double, optional=True)
        self.version_notify_targets = self.item("VersionNotifyTargets", r.tuple(u64, t.weight, u32), (u32, vloc),
                                                double, optional=True)
        bounded = "bounded_collections::bounded_vec::BoundedVec"

        def bvec(inner: int) -> int:
            return r.composite(bounded, [(None, r.seq(inner), "Vec<T>")], params=[("T", inner), ("S", None)])
        self.discovery_queue = self.item("VersionDiscoveryQueue", bvec(r.tuple(vloc, u32)), default=[])
        stage = r.variant("pallet_xcm::pallet::VersionMigrationStage", [
            ("MigrateSupportedVersion", 0, []), ("MigrateVersionNotifiers", 1, []),
            ("NotifyCurrentTargets", 2, [(None, r.option(t.bytes), "Option<Vec<u8>>")]),
            ("MigrateAndNotifyOldTargets", 3, [])])
        self.item("CurrentMigration", stage, optional=True)
        record = r.composite("pallet_xcm::pallet::RemoteLockedFungibleRecord", [
            ("amount", u128, "u128"), ("owner", vloc, "VersionedLocation"), ("locker", vloc, "VersionedLocation"),
            ("consumers", bvec(r.tuple(t.unit, u128)), "BoundedVec<(ConsumerIdentifier, u128), MaxConsumers>")],
            params=[("ConsumerIdentifier", t.unit), ("MaxConsumers", None)])
        self.item("RemoteLockedFungibles", record, (u32, t.account_id, x.versioned_asset_id),
                  ("Twox64Concat", "Blake2_128Concat", "Blake2_128Concat"), optional=True)
        self.item("LockedFungibles", bvec(r.tuple(u128, vloc)), (t.account_id,), ("Blake2_128Concat",), optional=True)
        self.suspended = self.item("XcmExecutionSuspended", t.bool, default=False)
        self.should_record_xcm = self.item("ShouldRecordXcm", t.bool, default=False)
        self.recorded_xcm = self.item("RecordedXcm", v5.xcm_unit, optional=True)
        aliaser = r.composite("xcm_runtime_apis::authorized_aliases::OriginAliaser", [
            ("location", vloc, "VersionedLocation"), ("expiry", opt_u64, "Option<u64>")])
        if relay:   # AuthorizedAliasConsideration = Disabled
            ticket = r.composite("frame_support::traits::storage::Disabled", [])
        else:       # HoldConsideration<AccountId, Balances, AuthorizeAliasHoldReason, LinearStoragePrice<..>>
            ticket = r.composite("frame_support::traits::tokens::fungible::HoldConsideration",
                                 [(None, u128, "F::Balance")], params=[(p, None) for p in ("A", "F", "R", "D", "Fp")])
        max_aliases = r.composite("pallet_xcm::pallet::MaxAuthorizedAliases", [])
        entry = r.composite("pallet_xcm::AuthorizedAliasesEntry", [
            ("aliasers", bvec(aliaser), "BoundedVec<OriginAliaser, MAX>"), ("ticket", ticket, "Ticket")],
            params=[("Ticket", ticket), ("MAX", max_aliases)])
        self.authorized_aliases = self.item("AuthorizedAliases", entry, (vloc,), ("Blake2_128Concat",), optional=True)

        # events (lib.rs Event<T>)
        loc, qid = (v5.location, "Location"), (u64, "QueryId")
        xcm_hash = (b32, "XcmHash")
        notify = [("query_id", *qid), ("pallet_index", u8, "u8"), ("call_index", u8, "u8")]
        self.events = r.variant("pallet_xcm::pallet::Event", [
            ("Attempted", 0, [("outcome", x.outcome, "xcm::latest::Outcome")]),
            ("Sent", 1, [("origin", *loc), ("destination", *loc), ("message", v5.xcm_unit, "Xcm<()>"),
                         ("message_id", *xcm_hash)]),
            ("SendFailed", 2, [("origin", *loc), ("destination", *loc), ("error", x.send_error, "SendError"),
                               ("message_id", *xcm_hash)]),
            ("ProcessXcmError", 3, [("origin", *loc), ("error", x.v5_error, "XcmError"), ("message_id", *xcm_hash)]),
            ("UnexpectedResponse", 4, [("origin", *loc), ("query_id", *qid)]),
            ("ResponseReady", 5, [("query_id", *qid), ("response", v5.response, "Response")]),
            ("Notified", 6, notify),
            ("NotifyOverweight", 7, notify + [("actual_weight", t.weight, "Weight"),
                                              ("max_budgeted_weight", t.weight, "Weight")]),
            ("NotifyDispatchError", 8, notify),
            ("NotifyDecodeFailed", 9, notify),
            ("InvalidResponder", 10, [("origin", *loc), ("query_id", *qid),
                                      ("expected_location", opt_loc, "Option<Location>")]),
            ("InvalidResponderVersion", 11, [("origin", *loc), ("query_id", *qid)]),
            ("ResponseTaken", 12, [("query_id", *qid)]),
            ("AssetsTrapped", 13, [("hash", h256, "H256"), ("origin", *loc), ("assets", vassets, "VersionedAssets")]),
            ("VersionChangeNotified", 14, [("destination", *loc), ("result", u32, "XcmVersion"),
                                           ("cost", v5.assets, "Assets"), ("message_id", *xcm_hash)]),
            ("SupportedVersionChanged", 15, [("location", *loc), ("version", u32, "XcmVersion")]),
            ("NotifyTargetSendFail", 16, [("location", *loc), ("query_id", *qid), ("error", x.v5_error, "XcmError")]),
            ("NotifyTargetMigrationFail", 17, [("location", vloc, "VersionedLocation"), ("query_id", *qid)]),
            ("InvalidQuerierVersion", 18, [("origin", *loc), ("query_id", *qid)]),
            ("InvalidQuerier", 19, [("origin", *loc), ("query_id", *qid), ("expected_querier", *loc),
                                    ("maybe_actual_querier", opt_loc, "Option<Location>")]),
            ("VersionNotifyStarted", 20, [("destination", *loc), ("cost", v5.assets, "Assets"), ("message_id", *xcm_hash)]),
            ("VersionNotifyRequested", 21, [("destination", *loc), ("cost", v5.assets, "Assets"),
                                            ("message_id", *xcm_hash)]),
            ("VersionNotifyUnrequested", 22, [("destination", *loc), ("cost", v5.assets, "Assets"),
                                              ("message_id", *xcm_hash)]),
            ("FeesPaid", 23, [("paying", *loc), ("fees", v5.assets, "Assets")]),
            ("AssetsClaimed", 24, [("hash", h256, "H256"), ("origin", *loc), ("assets", vassets, "VersionedAssets")]),
            ("VersionMigrationFinished", 25, [("version", u32, "XcmVersion")]),
            ("AliasAuthorized", 26, [("aliaser", *loc), ("target", *loc), ("expiry", opt_u64, "Option<u64>")]),
            ("AliasAuthorizationRemoved", 27, [("aliaser", *loc), ("target", *loc)]),
            ("AliasesAuthorizationsRemoved", 28, [("target", *loc)]),
        ], params=[("T", None)])

        # errors (lib.rs Error<T>; index 20 is a removed variant) and errors.rs ExecutionError
        self.execution_error_names = [v.name for v in r.types[x.v5_error].variants]
        execution_error = r.variant("pallet_xcm::errors::ExecutionError",
                                    [(n, i, []) for i, n in enumerate(self.execution_error_names)])
        names = ("Unreachable", "SendFailure", "Filtered", "UnweighableMessage", "DestinationNotInvertible", "Empty",
                 "CannotReanchor", "TooManyAssets", "InvalidOrigin", "BadVersion", "BadLocation", "NoSubscription",
                 "AlreadySubscribed", "CannotCheckOutTeleport", "LowBalance", "TooManyLocks", "AccountNotSovereign",
                 "FeesNotMet", "LockNotFound", "InUse")
        later = ("InvalidAssetUnknownReserve", "InvalidAssetUnsupportedReserve", "TooManyReserves",
                 "LocalExecutionIncomplete", "TooManyAuthorizedAliases", "ExpiresInPast", "AliasNotFound")
        self.errors = r.variant("pallet_xcm::pallet::Error", [(n, i, []) for i, n in enumerate(names)]
                                + [(n, 21 + i, []) for i, n in enumerate(later)]
                                + [("LocalExecutionIncompleteWithError", 28, [("index", u8, "InstructionIndex"),
                                                                              ("error", execution_error,
                                                                               "ExecutionError")])],
                                params=[("T", None)])

        # calls (lib.rs #[pallet::call_index])
        dest, benef = ("dest", vloc, "Box<VersionedLocation>"), ("beneficiary", vloc, "Box<VersionedLocation>")
        assets, fee_item = ("assets", vassets, "Box<VersionedAssets>"), ("fee_asset_item", u32, "u32")
        limit = ("weight_limit", x.weight_limit, "WeightLimit")
        self.calls = r.variant("pallet_xcm::pallet::Call", [
            ("send", 0, [dest, ("message", vxcm_unit, "Box<VersionedXcm<()>>")]),
            ("teleport_assets", 1, [dest, benef, assets, fee_item]),
            ("reserve_transfer_assets", 2, [dest, benef, assets, fee_item]),
            ("execute", 3, [("message", x.versioned_xcm, "Box<VersionedXcm<<T as Config>::RuntimeCall>>"),
                            ("max_weight", t.weight, "Weight")]),
            ("force_xcm_version", 4, [("location", v5.location, "Box<Location>"), ("version", u32, "XcmVersion")]),
            ("force_default_xcm_version", 5, [("maybe_xcm_version", r.option(u32), "Option<XcmVersion>")]),
            ("force_subscribe_version_notify", 6, [("location", vloc, "Box<VersionedLocation>")]),
            ("force_unsubscribe_version_notify", 7, [("location", vloc, "Box<VersionedLocation>")]),
            ("limited_reserve_transfer_assets", 8, [dest, benef, assets, fee_item, limit]),
            ("limited_teleport_assets", 9, [dest, benef, assets, fee_item, limit]),
            ("force_suspension", 10, [("suspended", t.bool, "bool")]),
            ("transfer_assets", 11, [dest, benef, assets, fee_item, limit]),
            ("claim_assets", 12, [assets, benef]),
            ("transfer_assets_using_type_and_then", 13, [
                dest, assets, ("assets_transfer_type", x.transfer_type, "Box<TransferType>"),
                ("remote_fees_id", x.versioned_asset_id, "Box<VersionedAssetId>"),
                ("fees_transfer_type", x.transfer_type, "Box<TransferType>"),
                ("custom_xcm_on_dest", vxcm_unit, "Box<VersionedXcm<()>>"), limit]),
            ("add_authorized_alias", 14, [("aliaser", vloc, "Box<VersionedLocation>"),
                                          ("expires", opt_u64, "Option<u64>")]),
            ("remove_authorized_alias", 15, [("aliaser", vloc, "Box<VersionedLocation>")]),
            ("remove_all_authorized_aliases", 16, []),
        ], params=[("T", None)])

        self.constant("UniversalLocation", v5.junctions, L.interior_of(self.xcm_config.universal))
        self.constant("AdvertisedXcmVersion", u32, XCM_VERSION)
        self.constant("MaxLockers", u32, 8)
        self.constant("MaxRemoteLockConsumers", u32, 0)

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig { safe_xcm_version: Some(XCM_VERSION), supported_version } as the chain
        specs set it (extra["supported_version"]: [(location, version)], what force_xcm_version
        would store). On the Asset Hubs the CheckingAccount holds the native tokens teleported out
        and not back in (MintLocation::Local); the devnet gives it what the relay side holds so
        teleports in work."""
        extra = self.runtime.config.extra
        self.safe_xcm_version.put(ctx.state, extra.get("safe_xcm_version", XCM_VERSION))
        for location, version in extra.get("supported_version", ()):
            self.supported_version.put(ctx.state, XCM_VERSION, versioned_location(L.normalize(location)), version)
        checking = next((t.checking for t in self.xcm_config.transactors if getattr(t, "checking", None)), None)
        if checking is None:
            return
        amount = extra.get("xcm_checking_account_balance",
                           self.runtime.config.endowment * len(self.runtime.config.endowed))
        balances = self.runtime.by_name.get("Balances")
        if amount and balances is not None:
            self._endow(ctx, balances, checking[0], amount)

    @staticmethod
    def _endow(ctx: Ctx, balances: Any, who: bytes, amount: int) -> None:
        # as pallet-balances' GenesisConfig does for an endowed account (no events at genesis)
        balances.system.inc_providers(ctx, who)
        info = balances.system.account.get(ctx.state, who)
        info["data"] = {**info["data"], "free": info["data"]["free"] + amount}
        balances.system.account.put(ctx.state, who, info)
        balances.total_issuance.put(ctx.state, balances.total_issuance.get(ctx.state) + amount)

    # --- origins --------------------------------------------------------------------------
    def _local_location(self, origin: Origin) -> dict:
        """EnsureXcmOrigin<SignedToAccountId32<.., Network>> with its root fallback (Here)."""
        if origin.kind == "signed":
            return L.account32(origin.account, self.xcm_config.network)
        if origin.kind == "root":
            return L.HERE
        raise DispatchError.simple("BadOrigin")

    def transact_origin(self, ctx: Ctx, location: dict, kind: str) -> Origin | None:
        """The chain's OriginConverter tuple for Transact (the runtime Origins the devnet models)."""
        cfg = self.xcm_config
        if kind == "SovereignAccount":
            account = cfg.location_to_account(location)
            return None if account is None else Origin.signed(account)
        if kind == "Native":
            parents, items = L.unpack(location)
            if parents == 0 and len(items) == 1 and L.junction_kind(items[0]) == "AccountId32":
                net = items[0]["AccountId32"]["network"]
                if net is None or net == cfg.network:
                    return Origin.signed(bytes(items[0]["AccountId32"]["id"]))
            return None
        if kind == "Superuser":
            root_location = L.PARENT if cfg.para_id is not None else L.parachain(1000)
            return Origin("root") if L.normalize(location) == root_location else None
        return Origin("xcm", location=location)

    # --- execution helpers --------------------------------------------------------------
    def _execute_local(self, ctx: Ctx, origin: dict, message: list, weight: dict | None = None) -> X.Outcome:
        """prepare_and_execute with the message's own weight as limit and credit; emits Attempted."""
        if weight is None:
            try:
                weight = self.weigher.weight(message)
            except X.Unweighable:
                raise self.error("UnweighableMessage") from None
        message_id = blake2_256(self.reg.encode(self.xt.v5.xcm, message))
        outcome = X.prepare_and_execute(ctx, self, origin, message, message_id, weight, weight)
        self.emit(ctx, "Attempted", {"outcome": outcome.value})
        return outcome

    def _ensure_complete(self, outcome: X.Outcome) -> None:
        if outcome.complete:
            return
        name = outcome.error if isinstance(outcome.error, str) else next(iter(outcome.error))
        idx = self.execution_error_names.index(name)
        raise DispatchError({"Module": {"index": self.index, "error": bytes([28, outcome.error_index or 0, idx, 0])}},
                            f"{self.NAME}.LocalExecutionIncompleteWithError")

    def _send_error(self, error: str) -> DispatchError:
        """impl From<SendError> for Error<T> (XcmError names as the executor maps them)."""
        return self.error({"FeesNotMet": "FeesNotMet", "Unroutable": "Unreachable"}.get(error, "SendFailure"))

    def _charge_fees(self, ctx: Ctx, payer: dict, fees: list) -> None:
        """Pallet::charge_fees: XcmExecutor::charge_fees, then FeesPaid."""
        try:
            X.charge_fees(ctx, self, payer, fees)
        except X.XcmFailure:
            raise self.error("FeesNotMet") from None
        self.emit(ctx, "FeesPaid", {"paying": payer, "fees": fees})

    def _validate_charge_deliver(self, ctx: Ctx, payer: dict | None, dest: dict, message: list) -> bytes:
        try:
            ticket, fees = X.validate_send(ctx, self.hooks, dest, message)
        except X.XcmFailure as f:
            raise self._send_error(f.error) from None
        if payer is not None:
            self._charge_fees(ctx, payer, fees)
        try:
            return X.deliver(ctx, self.hooks, ticket)
        except X.XcmFailure as f:
            raise self._send_error(f.error) from None

    def send_xcm(self, ctx: Ctx, interior: dict, dest: dict, message: list) -> bytes:
        """Pallet::send_xcm: prefix DescendOrigin(interior) and charge the sender unless it is Here."""
        if interior["interior"] == "Here":
            return self._validate_charge_deliver(ctx, None, dest, message)
        message = [{"DescendOrigin": interior["interior"]}] + list(message)
        return self._validate_charge_deliver(ctx, interior, dest, message)

    def _deliver(self, ctx: Ctx, origin: dict, dest: dict, message: list) -> None:
        """build_and_execute_xcm_transfer_type's tail: validate, charge the sender, deliver, Sent."""
        payer = None if L.normalize(origin) == L.HERE else origin
        message_id = self._validate_charge_deliver(ctx, payer, dest, message)
        self.emit(ctx, "Sent", {"origin": origin, "destination": dest, "message": message, "message_id": message_id})

    def _latest(self, versioned: dict, kind: str) -> Any:
        try:
            return L.normalize(V.to_latest(versioned, kind))
        except V.VersionError:
            raise self.error("BadVersion") from None

    # --- calls: send / execute ----------------------------------------------------------------
    def call_send(self, ctx: Ctx, origin: Origin, dest: dict, message: dict) -> None:
        origin_location = self._local_location(origin)
        if origin_location["parents"] != 0:
            raise self.error("InvalidOrigin")
        dest_l, msg = self._latest(dest, "location"), self._latest(message, "xcm")
        message_id = self.send_xcm(ctx, origin_location, dest_l, msg)
        self.emit(ctx, "Sent", {"origin": origin_location, "destination": dest_l, "message": msg,
                                "message_id": message_id})

    def call_execute(self, ctx: Ctx, origin: Origin, message: dict, max_weight: dict) -> tuple[int, int]:
        """Charged for what the message used plus the call's own weight, not for max_weight (pallet-xcm execute
        returns Some(weight_used + WeightInfo::execute()) as its actual weight, failed or not)."""
        base = self.weight("execute", None)
        origin_location = self._local_location(origin)
        encoded = self.reg.encode(self.xt.versioned_xcm, message)
        program = self._latest(message, "xcm")
        outcome = X.prepare_and_execute(ctx, self, origin_location, program, blake2_256(encoded), max_weight,
                                        max_weight)
        self.emit(ctx, "Attempted", {"outcome": outcome.value})
        used = (outcome.used_weight["ref_time"] + base[0], outcome.used_weight["proof_size"] + base[1])
        try:
            self._ensure_complete(outcome)
        except DispatchError as failure:
            failure.actual_weight = used
            raise
        return used

    # --- calls: transfers --------------------------------------------------------------------
    def call_teleport_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item) -> None:
        self._teleport(ctx, origin, dest, beneficiary, assets, fee_asset_item, "Unlimited")

    def call_limited_teleport_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit):
        self._teleport(ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit)

    def call_reserve_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item) -> None:
        self._reserve_transfer(ctx, origin, dest, beneficiary, assets, fee_asset_item, "Unlimited")

    def call_limited_reserve_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item,
                                             weight_limit) -> None:
        self._reserve_transfer(ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit)

    def _transfer_args(self, origin: Origin, dest: dict, beneficiary: Any, assets: dict) -> tuple:
        origin_location = self._local_location(origin)
        dest_l = self._latest(dest, "location")
        benef = self._latest(beneficiary, "location") if isinstance(beneficiary, dict) and \
            next(iter(beneficiary)).startswith("V") else beneficiary
        asset_list = self._latest(assets, "assets")
        if len(asset_list) > MAX_ASSETS_FOR_TRANSFER:
            raise self.error("TooManyAssets")
        return origin_location, dest_l, benef, asset_list

    def _teleport(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        for asset in asset_list:
            if self.determine_for(ctx, asset, dest_l) != "Teleport":
                raise self.error("Filtered")
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees = {"batched": asset_list[fee_asset_item]}
        self._build_and_execute(ctx, origin_l, dest_l, benef, asset_list, "Teleport", fees, weight_limit)

    def _reserve_transfer(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees_type, assets_type = self._find_transfer_types(ctx, asset_list, fee_asset_item, dest_l)
        if assets_type == "Teleport":
            raise self.error("Filtered")
        if L.normalize(assets_type) != L.normalize(fees_type):
            raise self.error("TooManyReserves")
        fees = {"batched": asset_list[fee_asset_item]}
        self._build_and_execute(ctx, origin_l, dest_l, benef, asset_list, assets_type, fees, weight_limit)

    def call_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees_type, assets_type = self._find_transfer_types(ctx, asset_list, fee_asset_item, dest_l)
        self._do_transfer_assets(ctx, origin_l, dest_l, benef, asset_list, assets_type, fee_asset_item, fees_type,
                                 weight_limit)

    def call_transfer_assets_using_type_and_then(self, ctx, origin, dest, assets, assets_transfer_type,
                                                 remote_fees_id, fees_transfer_type, custom_xcm_on_dest,
                                                 weight_limit) -> None:
        custom = self._latest(custom_xcm_on_dest, "xcm")
        origin_l, dest_l, _, asset_list = self._transfer_args(origin, dest, [], assets)
        fees_id = self._latest(remote_fees_id, "asset_id") if "V3" in remote_fees_id else \
            self._latest(remote_fees_id, "location")
        index = next((i for i, a in enumerate(asset_list) if L.normalize(a["id"]) == fees_id), None)
        if index is None:
            raise self.error("FeesNotMet")
        self._do_transfer_assets(ctx, origin_l, dest_l, {"custom": custom}, asset_list,
                                 self._transfer_type(assets_transfer_type), index,
                                 self._transfer_type(fees_transfer_type), weight_limit)

    def _transfer_type(self, value: Any) -> Any:
        if isinstance(value, dict) and "RemoteReserve" in value:
            return {"RemoteReserve": self._latest(value["RemoteReserve"], "location")}
        return value

    def determine_for(self, ctx: Ctx, asset: dict, dest: dict) -> Any:
        """XcmAssetTransfers::determine_for: the TransferType of `asset` towards `dest`."""
        cfg = self.xcm_config
        reserves = X.reserves_reader(ctx, self.hooks)
        if cfg.is_teleporter(asset, dest, reserves):
            return "Teleport"
        if cfg.is_reserve(asset, dest, reserves):
            return "DestinationReserve"
        chain = chain_location(asset["id"])
        if chain == L.HERE or cfg.is_teleporter(asset, chain, reserves):
            return "LocalReserve"
        if cfg.is_reserve(asset, chain, reserves):
            return {"RemoteReserve": chain}
        raise self.error("InvalidAssetUnknownReserve")

    def _find_transfer_types(self, ctx: Ctx, assets: list, fee_index: int, dest: dict) -> tuple[Any, Any]:
        fees_type = assets_type = None
        for i, asset in enumerate(assets):
            if "Fungible" in asset["fun"] and asset["fun"]["Fungible"] == 0:
                raise self.error("Empty")
            kind = self.determine_for(ctx, asset, dest)
            if i == fee_index:
                fees_type = kind
            elif assets_type is not None and L.normalize(assets_type) != L.normalize(kind):
                raise self.error("TooManyReserves")
            else:
                assets_type = kind
        if len(assets) == 1:
            assets_type = fees_type
        if fees_type is None or assets_type is None:
            raise self.error("Empty")
        return fees_type, assets_type

    def _do_transfer_assets(self, ctx, origin, dest, beneficiary, assets, assets_type, fee_index, fees_type,
                            weight_limit) -> None:
        if L.normalize(fees_type) == L.normalize(assets_type):
            fees = {"batched": assets[fee_index]}
        else:
            if isinstance(assets_type, dict) or isinstance(fees_type, dict):
                raise self.error("InvalidAssetUnsupportedReserve")
            assets = list(assets)
            fee = assets.pop(fee_index)
            builder = {"LocalReserve": self._local_reserve_fees, "DestinationReserve": self._destination_reserve_fees,
                       "Teleport": self._teleport_fees}[fees_type]
            fees = {"separate": builder(ctx, dest, fee, weight_limit)}
        self._build_and_execute(ctx, origin, dest, beneficiary, assets, assets_type, fees, weight_limit)

    def _build_and_execute(self, ctx, origin, dest, beneficiary, assets, transfer_type, fees, weight_limit) -> None:
        if transfer_type == "LocalReserve":
            local, remote = self._local_reserve_programs(dest, beneficiary, assets, fees, weight_limit)
        elif transfer_type == "DestinationReserve":
            local, remote = self._destination_reserve_programs(dest, beneficiary, assets, fees, weight_limit)
        elif transfer_type == "Teleport":
            local, remote = self._teleport_programs(ctx, dest, beneficiary, assets, fees, weight_limit)
        else:
            if "batched" not in fees:
                raise self.error("InvalidAssetUnsupportedReserve")
            local = self._remote_reserve_program(transfer_type["RemoteReserve"], dest, beneficiary, assets,
                                                 fees["batched"], weight_limit)
            remote = None
        self._ensure_complete(self._execute_local(ctx, origin, local))
        if remote is not None:
            self._deliver(ctx, origin, dest, remote)

    # --- the programs (pallet-xcm *_programs / *_fees_instructions) ------------------------------
    def _reanchor(self, loc: dict, dest: dict) -> dict:
        try:
            return L.reanchored(loc, dest, self.xcm_config.universal)
        except L.LocationError:
            raise self.error("CannotReanchor") from None

    def _reanchor_assets(self, assets: list, dest: dict) -> list:
        return [{"id": self._reanchor(a["id"], dest), "fun": a["fun"]} for a in assets]

    @staticmethod
    def _on_dest_tail(beneficiary: Any, max_assets: int) -> list:
        if isinstance(beneficiary, dict) and "custom" in beneficiary:
            return list(beneficiary["custom"])
        return [{"DepositAsset": {"assets": {"Wild": {"AllCounted": max_assets}}, "beneficiary": beneficiary}}]

    def _add_fees(self, dest: dict, fees: dict, weight_limit: Any, local: list, remote: list) -> tuple[list, list]:
        if "batched" in fees:
            fee = fees["batched"]
            remote = remote + [{"BuyExecution": {"fees": {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]},
                                                 "weight_limit": weight_limit}}]
            return local, remote
        local_fees, remote_fees = fees["separate"]
        return local_fees + local, remote_fees + remote

    def _local_reserve_programs(self, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        local = [{"TransferAsset": {"assets": assets, "beneficiary": dest}}]
        remote = [{"ReserveAssetDeposited": self._reanchor_assets(assets, dest)}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _destination_reserve_programs(self, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        local = [{"WithdrawAsset": assets}, {"BurnAsset": assets}]
        remote = [{"WithdrawAsset": self._reanchor_assets(assets, dest)}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _check_out(self, ctx: Ctx, dest: dict, assets: list) -> None:
        transactor = X.AssetTransactor(self.xcm_config, self.hooks)
        try:
            for asset in assets:
                transactor.can_check_out(ctx, dest, asset)
        except X.XcmFailure:
            raise self.error("CannotCheckOutTeleport") from None
        for asset in assets:
            try:
                transactor.check_out(ctx, dest, asset)
            except X.XcmFailure:
                raise self.error("CannotCheckOutTeleport") from None

    def _teleport_programs(self, ctx, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        reanchored = self._reanchor_assets(assets, dest)
        self._check_out(ctx, dest, assets)
        local = [{"WithdrawAsset": assets}, {"BurnAsset": assets}]
        remote = [{"ReceiveTeleportedAsset": reanchored}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _remote_reserve_program(self, reserve, dest, beneficiary, assets, fees, weight_limit) -> list:
        max_assets = len(assets)
        amount = fees["fun"].get("Fungible")
        if amount is None or amount // 2 == 0 or amount - amount // 2 == 0:
            raise self.error("FeesNotMet")
        half_1 = {"id": fees["id"], "fun": {"Fungible": amount // 2}}
        half_2 = {"id": fees["id"], "fun": {"Fungible": amount - amount // 2}}
        reserve_fees = {"id": self._reanchor(half_1["id"], reserve), "fun": half_1["fun"]}
        dest_fees = {"id": self._reanchor(half_2["id"], dest), "fun": half_2["fun"]}
        dest_from_reserve = self._reanchor(dest, reserve)
        on_dest = [{"BuyExecution": {"fees": dest_fees, "weight_limit": weight_limit}}]
        on_dest += self._on_dest_tail(beneficiary, max_assets)
        on_reserve = [{"BuyExecution": {"fees": reserve_fees, "weight_limit": weight_limit}},
                      {"DepositReserveAsset": {"assets": {"Wild": {"AllCounted": max_assets}},
                                               "dest": dest_from_reserve, "xcm": on_dest}}]
        return [{"WithdrawAsset": assets}, {"SetFeesMode": {"jit_withdraw": True}},
                {"InitiateReserveWithdraw": {"assets": {"Wild": {"AllCounted": max_assets}}, "reserve": reserve,
                                             "xcm": on_reserve}}]

    def _local_reserve_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        return ([{"TransferAsset": {"assets": [fee], "beneficiary": dest}}],
                [{"ReserveAssetDeposited": [reanchored]}, {"BuyExecution": {"fees": reanchored,
                                                                            "weight_limit": weight_limit}}])

    def _destination_reserve_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        return ([{"WithdrawAsset": [fee]}, {"BurnAsset": [fee]}],
                [{"WithdrawAsset": [reanchored]}, {"BuyExecution": {"fees": reanchored, "weight_limit": weight_limit}}])

    def _teleport_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        self._check_out(ctx, dest, [fee])
        return ([{"WithdrawAsset": [fee]}, {"BurnAsset": [fee]}],
                [{"ReceiveTeleportedAsset": [reanchored]}, {"BuyExecution": {"fees": reanchored,
                                                                             "weight_limit": weight_limit}}])

    # --- calls: asset traps --------------------------------------------------------------------
    def call_claim_assets(self, ctx: Ctx, origin: Origin, assets: dict, beneficiary: dict) -> None:
        origin_location = self._local_location(origin)
        version = V.identify_version(assets)
        asset_list = self._latest(assets, "assets")
        benef = self._latest(beneficiary, "location")
        ticket = L.location(0, [{"GeneralIndex": version}])
        message = [{"ClaimAsset": {"assets": asset_list, "ticket": ticket}},
                   {"DepositAsset": {"assets": {"Wild": {"AllCounted": len(asset_list)}}, "beneficiary": benef}}]
        try:
            weight = self.weigher.weight(message)
        except X.Unweighable:
            raise self.error("UnweighableMessage") from None
        message_id = blake2_256(self.reg.encode(self.xt.v5.xcm, message))
        outcome = X.prepare_and_execute(ctx, self, origin_location, message, message_id, weight, weight)
        if not outcome.complete:
            raise self.error("LocalExecutionIncomplete")

    def _trap_hash(self, origin: dict, versioned_assets: dict) -> bytes:
        x = self.xt
        return blake2_256(self.reg.encode(x.v5.location, origin) + self.reg.encode(x.versioned_assets, versioned_assets))

    def drop_assets(self, ctx: Ctx, origin: dict, assets: list) -> None:
        """DropAssets: count the trapped assets under hash(origin, VersionedAssets) and tell the world."""
        if not assets:
            return
        versioned = {"V5": X.sort_assets(assets)}
        key = self._trap_hash(origin, versioned)
        self.asset_traps.put(ctx.state, key, self.asset_traps.get(ctx.state, key) + 1)
        self.emit(ctx, "AssetsTrapped", {"hash": key, "origin": origin, "assets": versioned})

    def claim_assets(self, ctx: Ctx, origin: dict, ticket: dict, assets: list) -> bool:
        """ClaimAssets: the ticket (0, [GeneralIndex(version)]) or Here names the version trapped in."""
        parents, items = L.unpack(ticket)
        version = XCM_VERSION
        if parents != 0 or len(items) > 1:
            return False
        if items:
            if L.junction_kind(items[0]) != "GeneralIndex":
                return False
            version = items[0]["GeneralIndex"]
        try:
            versioned = V.from_latest(X.sort_assets(assets), version, "assets")
        except V.VersionError:
            return False
        key = self._trap_hash(origin, versioned)
        count = self.asset_traps.get(ctx.state, key)
        if count == 0:
            return False
        if count == 1:
            self.asset_traps.remove(ctx.state, key)
        else:
            self.asset_traps.put(ctx.state, key, count - 1)
        self.emit(ctx, "AssetsClaimed", {"hash": key, "origin": origin, "assets": versioned})
        return True

    # --- responses and version subscriptions ------------------------------------------------------
    def expecting_response(self, ctx: Ctx, origin: dict, query_id: int, querier: Any) -> bool:
        status = self.queries.get(ctx.state, query_id)
        if status is None:
            return False
        (kind, p), = status.items()
        if kind == "Pending":
            if self._latest(p["responder"], "location") != L.normalize(origin):
                return False
            match = p["maybe_match_querier"]
            return match is None or (querier is not None and
                                     self._latest(match, "location") == L.normalize(querier))
        if kind == "VersionNotifier":
            return self._latest(p["origin"], "location") == L.normalize(origin)
        return False

    def on_response(self, ctx: Ctx, origin: dict, query_id: int, querier: Any, response: Any, max_weight: dict) -> None:
        status = self.queries.get(ctx.state, query_id)
        kind = None if status is None else next(iter(status))
        if kind == "VersionNotifier" and isinstance(response, dict) and "Version" in response:
            if self._latest(status[kind]["origin"], "location") != L.normalize(origin):
                self.emit(ctx, "InvalidResponder", {"origin": origin, "query_id": query_id, "expected_location": None})
                return
            version = response["Version"]
            self.supported_version.put(ctx.state, XCM_VERSION, versioned_location(origin), version)
            self.emit(ctx, "SupportedVersionChanged", {"location": origin, "version": version})
            self.queries.put(ctx.state, query_id, {"VersionNotifier": {"origin": versioned_location(origin),
                                                                       "is_active": True}})
            return
        if kind == "Pending":
            p = status[kind]
            responder = self._latest(p["responder"], "location")
            if responder != L.normalize(origin):
                self.emit(ctx, "InvalidResponder", {"origin": origin, "query_id": query_id,
                                                    "expected_location": responder})
                return
            self.queries.put(ctx.state, query_id, {"Ready": {"response": {"V5": response}, "at": ctx.block_number}})
            self.emit(ctx, "ResponseReady", {"query_id": query_id, "response": response})
            return
        self.emit(ctx, "UnexpectedResponse", {"origin": origin, "query_id": query_id})

    def start_subscription(self, ctx: Ctx, dest: dict, query_id: int, max_weight: dict) -> None:
        key = versioned_location(dest)
        if self.version_notify_targets.exists(ctx.state, XCM_VERSION, key):
            raise X.XcmFailure("InvalidLocation")
        message = [{"QueryResponse": {"query_id": query_id, "response": {"Version": XCM_VERSION},
                                      "max_weight": max_weight, "querier": None}}]
        message_id, cost = self._send_unpaid(ctx, dest, message)
        self.emit(ctx, "VersionNotifyStarted", {"destination": dest, "cost": cost, "message_id": message_id})
        self.version_notify_targets.put(ctx.state, XCM_VERSION, key, [query_id, max_weight, XCM_VERSION])

    def stop_subscription(self, ctx: Ctx, dest: dict) -> None:
        self.version_notify_targets.remove(ctx.state, XCM_VERSION, versioned_location(dest))

    def _send_unpaid(self, ctx: Ctx, dest: dict, message: list) -> tuple[bytes, list]:
        """xcm::send_xcm::<Router>: validate and deliver, the chain bears the cost."""
        ticket, cost = X.validate_send(ctx, self.hooks, dest, message)
        return X.deliver(ctx, self.hooks, ticket), cost

    def call_force_xcm_version(self, ctx: Ctx, origin: Origin, location: dict, version: int) -> None:
        origin.ensure_root()
        self.supported_version.put(ctx.state, XCM_VERSION, versioned_location(location), version)
        self.emit(ctx, "SupportedVersionChanged", {"location": location, "version": version})

    def call_force_default_xcm_version(self, ctx: Ctx, origin: Origin, maybe_xcm_version: int | None) -> None:
        origin.ensure_root()
        if maybe_xcm_version is None:
            self.safe_xcm_version.remove(ctx.state)
        else:
            self.safe_xcm_version.put(ctx.state, maybe_xcm_version)

    def call_force_subscribe_version_notify(self, ctx: Ctx, origin: Origin, location: dict) -> None:
        origin.ensure_root()
        dest = self._latest(location, "location")
        key = versioned_location(dest)
        if self.version_notifiers.exists(ctx.state, XCM_VERSION, key):
            raise self.error("AlreadySubscribed")
        query_id = self.query_counter.get(ctx.state)
        self.query_counter.put(ctx.state, query_id + 1)
        try:
            message_id, cost = self._send_unpaid(ctx, dest, [{"SubscribeVersion": {
                "query_id": query_id, "max_response_weight": dict(X.ZERO)}}])
        except X.XcmFailure:
            raise self.error("SendFailure") from None
        self.emit(ctx, "VersionNotifyRequested", {"destination": dest, "cost": cost, "message_id": message_id})
        self.version_notifiers.put(ctx.state, XCM_VERSION, key, query_id)
        self.queries.put(ctx.state, query_id, {"VersionNotifier": {"origin": key, "is_active": False}})

    def call_force_unsubscribe_version_notify(self, ctx: Ctx, origin: Origin, location: dict) -> None:
        origin.ensure_root()
        dest = self._latest(location, "location")
        key = versioned_location(dest)
        query_id = self.version_notifiers.get(ctx.state, XCM_VERSION, key)
        if query_id is None:
            raise self.error("NoSubscription")
        self.version_notifiers.remove(ctx.state, XCM_VERSION, key)
        try:
            message_id, cost = self._send_unpaid(ctx, dest, ["UnsubscribeVersion"])
        except X.XcmFailure:
            raise self.error("SendFailure") from None
        self.emit(ctx, "VersionNotifyUnrequested", {"destination": dest, "cost": cost, "message_id": message_id})
        self.queries.remove(ctx.state, query_id)

    def call_force_suspension(self, ctx: Ctx, origin: Origin, suspended: bool) -> None:
        origin.ensure_root()
        self.suspended.put(ctx.state, suspended)

    # --- version wrapping (WrapVersion for the router) -------------------------------------------
    def wrap_version(self, ctx: Ctx, dest: dict, message: list) -> tuple[int, dict]:
        """The version `dest` is known to speak (SupportedVersion), else SafeXcmVersion after noting
        `dest` in VersionDiscoveryQueue; raises VersionError when neither is known or it cannot convert."""
        key = versioned_location(L.normalize(dest))
        version = self.supported_version.get(ctx.state, XCM_VERSION, key)
        if version is None:
            self._note_unknown_version(ctx, key)
            version = self.safe_xcm_version.get(ctx.state)
        if version is None:
            raise V.VersionError(f"no XCM version known for {dest}")
        version = min(version, XCM_VERSION)
        return version, V.from_latest(message, version, "xcm")

    def _note_unknown_version(self, ctx: Ctx, key: dict) -> None:
        queue = self.discovery_queue.get(ctx.state)
        for entry in queue:
            if L.normalize(entry[0]) == key:
                entry[1] += 1
                break
        else:
            if len(queue) < 100:      # VERSION_DISCOVERY_QUEUE_SIZE
                queue.append([key, 1])
        self.discovery_queue.put(ctx.state, queue)

    # --- aliases and recording -----------------------------------------------------------------
    def is_authorized_alias(self, ctx: Ctx, origin: dict, target: dict) -> bool:
        """AuthorizedAliasers: `target` authorized `origin` (an unexpired entry)."""
        entry = self.authorized_aliases.get(ctx.state, versioned_location(L.normalize(target)))
        if entry is None:
            return False
        for aliaser in entry["aliasers"]:
            if self._latest(aliaser["location"], "location") == L.normalize(origin):
                return aliaser["expiry"] is None or aliaser["expiry"] > self._now_seconds(ctx)
        return False

    def _now_seconds(self, ctx: Ctx) -> int:
        timestamp = self.runtime.by_name.get("Timestamp")
        return 0 if timestamp is None else timestamp.now.get(ctx.state) // 1000

    def should_record(self, ctx: Ctx) -> bool:
        return bool(self.should_record_xcm.get(ctx.state))

    def record(self, ctx: Ctx, message: list) -> None:
        self.recorded_xcm.put(ctx.state, message)


def chain_location(loc: dict) -> dict:
    """Location::chain_location: the location cut after its last Parachain/GlobalConsensus junction."""
    parents, items = L.unpack(L.normalize(loc))
    while items and L.junction_kind(items[-1]) not in ("Parachain", "GlobalConsensus"):
        items.pop()
    return L.location(parents, items)
