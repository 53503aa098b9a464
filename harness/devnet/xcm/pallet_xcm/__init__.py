"""pallet-xcm: `XcmPallet` (index 99) on the relays, `PolkadotXcm` (index 31) on the Asset Hubs.

Declarations (call/event/error/storage order, indices, field and type names) follow the live
metadata: PolkadotXcm of Kusama Asset Hub 1009003 and XcmPallet of Kusama 1009002 (polkadot-js
types-support v15 metadata) and the dedot chaintypes of spec 2003000, which agree. Behaviour
follows polkadot-sdk polkadot/xcm/pallet-xcm/src/lib.rs: the transfer programs
(teleport_assets_program, local/destination/remote reserve programs, *_fees_instructions,
add_fees_to_xcm), build_and_execute_xcm_transfer_type (local execution, delivery fees charged to
the sender with FeesPaid, Sent), send_xcm (DescendOrigin + fees), drop_assets / claim_assets
(AssetTraps), the response handler; negotiation.py: the version subscription service and WrapVersion.
Call weights come from each runtime's weights/pallet_xcm.rs (DB reads/writes folded in).
Genesis: GenesisConfig { safe_xcm_version, supported_version } from ChainConfig.extra.

Modules: declarations.py (metadata), transfers.py (the transfer calls and their programs),
hooks.py (the runtime parts it works through), params.py (version, bound, call weights), negotiation.py
(version negotiation and WrapVersion); the rest (send/execute, traps, responses) is in this one.
"""
from __future__ import annotations

from typing import Any

from ...hashing import blake2_256
from ...runtime.frame import Ctx, DispatchError, Origin, Pallet
from .. import executor as X
from .. import locations as L
from .. import versions as V
from ..builder.ordering import sort_assets
from ..config import XcmHooks, config_for
from ..primitives import WEIGHT_MAX
from .declarations import Declarations
from .hooks import default_hooks
from .negotiation import Negotiation, versioned_location
from .params import CALL_WEIGHTS, WEIGHT_OF, XCM_VERSION
from .transfers import Transfers

class XcmPallet(Declarations, Negotiation, Transfers, Pallet):
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
        base = table.get(WEIGHT_OF.get(call, call), (100_000_000, 0))
        if call == "execute" and args:
            mw = args["max_weight"]
            return (min(WEIGHT_MAX, base[0] + mw["ref_time"]), min(WEIGHT_MAX, base[1] + mw["proof_size"]))
        return base

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
        self.genesis_subscriptions(ctx, extra.get("version_subscriptions", ()), extra.get("version_targets", ()))
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
        versioned = {"V5": sort_assets(assets)}
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
            versioned = V.from_latest(sort_assets(assets), version, "assets")
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
        if self.version_notifiers.exists(ctx.state, XCM_VERSION, versioned_location(dest)):
            raise self.error("AlreadySubscribed")
        try:
            self.request_version_notify(ctx, dest)
        except X.XcmFailure:
            raise self.error("SendFailure") from None

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
