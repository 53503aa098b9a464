"""pallet-xcm's metadata declarations (calls, events, errors, storage, constants) in the live order; see
the package docstring for the sources. Mixed into XcmPallet."""
from __future__ import annotations

from ...types.xcm import declare_xcm
from .. import locations as L
from .params import XCM_VERSION

class Declarations:
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
        self.current_migration = self.item("CurrentMigration", stage, optional=True)
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
