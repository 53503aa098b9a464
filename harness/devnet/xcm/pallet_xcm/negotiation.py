"""pallet-xcm's version negotiation, as polkadot-sdk polkadot/xcm/pallet-xcm/src/lib.rs does it. Mixed into XcmPallet.

- The version a chain speaks is its code's (runtime/code.py): AdvertisedXcmVersion, what it answers a
  SubscribeVersion with (start_notify) and the highest it wraps outgoing messages in (WrapVersion: the destination's
  SupportedVersion, else SafeXcmVersion, never above its own). Storage stays keyed by the devnet's XCM_VERSION (5):
  the devnet has one xcm crate, so the MigrateSupportedVersion / MigrateVersionNotifiers re-keying stages find
  nothing to move.
- on_runtime_upgrade puts CurrentMigration = MigrateSupportedVersion (VersionMigrationStage::default()).
- on_initialize runs the migration (check_xcm_version_change; the devnet finishes it in one block): in stage
  NotifyCurrentTargets every VersionNotifyTargets entry whose recorded version is not the advertised one is sent
  QueryResponse { response: Version(advertised) } and rewritten with it (VersionChangeNotified), or removed when the
  send fails (NotifyTargetSendFail); then VersionMigrationFinished { version: XCM_VERSION }.
- request_version_notify (force_subscribe_version_notify) sends SubscribeVersion: VersionNotifyRequested,
  VersionNotifiers and a VersionNotifier query, answered by the peer's QueryResponse (on_response:
  SupportedVersionChanged). The peer's start_notify answers and records the subscriber in VersionNotifyTargets.
- Not emulated: working off VersionDiscoveryQueue in on_initialize (one SubscribeVersion per block to a
  destination WrapVersion found no version for). A devnet network starts negotiated instead, as live chains are:
  every chain subscribed to its relay, children and siblings at genesis (genesis_subscriptions below).
"""
from __future__ import annotations

from typing import Any

from ...runtime.frame import Ctx
from .. import executor as X
from .. import locations as L
from .. import versions as V
from .params import XCM_VERSION

MIGRATION_START = "MigrateSupportedVersion"   # VersionMigrationStage::default()


def versioned_location(loc: dict) -> dict:
    return {"V5": loc}


class Negotiation:
    @property
    def advertised(self) -> int:
        """T::AdvertisedXcmVersion of the code the chain runs."""
        return self.runtime.code.xcm_version

    def on_runtime_upgrade(self, ctx: Ctx) -> None:
        self.current_migration.put(ctx.state, MIGRATION_START)

    def on_initialize(self, ctx: Ctx) -> None:
        if self.current_migration.get(ctx.state) is not None:
            self._notify_current_targets(ctx)
            self.emit(ctx, "VersionMigrationFinished", {"version": XCM_VERSION})
            self.current_migration.remove(ctx.state)

    def genesis_subscriptions(self, ctx: Ctx, subscriptions: list, targets: list) -> None:
        """The state a finished negotiation leaves (devnet_config.py lists the peers): for each
        (peer, query id) this chain subscribed with, SupportedVersion, VersionNotifiers and an active query; for each
        (peer, the peer's query id) subscribed to this chain, its VersionNotifyTargets entry."""
        for peer, query_id in subscriptions:
            key = versioned_location(L.normalize(peer))
            self.supported_version.put(ctx.state, XCM_VERSION, key, self.advertised)
            self.version_notifiers.put(ctx.state, XCM_VERSION, key, query_id)
            self.queries.put(ctx.state, query_id, {"VersionNotifier": {"origin": key, "is_active": True}})
            self.query_counter.put(ctx.state, max(self.query_counter.get(ctx.state), query_id + 1))
        for peer, query_id in targets:
            self.version_notify_targets.put(ctx.state, XCM_VERSION, versioned_location(L.normalize(peer)),
                                            [query_id, dict(X.ZERO), self.advertised])

    def _notify_current_targets(self, ctx: Ctx) -> None:
        """Stage NotifyCurrentTargets of check_xcm_version_change."""
        version = self.advertised
        for key, (query_id, max_weight, target_version) in self._notify_targets(ctx):
            if target_version == version:
                continue
            dest = L.normalize(V.to_latest(key, "location"))
            message = [{"QueryResponse": {"query_id": query_id, "response": {"Version": version},
                                          "max_weight": max_weight, "querier": None}}]
            try:
                message_id, cost = self._send_unpaid(ctx, dest, message)
            except X.XcmFailure as failure:
                self.version_notify_targets.remove(ctx.state, XCM_VERSION, key)
                self.emit(ctx, "NotifyTargetSendFail", {"location": dest, "query_id": query_id,
                                                        "error": failure.error})
                continue
            self.version_notify_targets.put(ctx.state, XCM_VERSION, key, [query_id, max_weight, version])
            self.emit(ctx, "VersionChangeNotified", {"destination": dest, "result": version, "cost": cost,
                                                     "message_id": message_id})

    def _notify_targets(self, ctx: Ctx) -> list[tuple[dict, list]]:
        """VersionNotifyTargets::iter_prefix(XCM_VERSION): (VersionedLocation, value) in key order."""
        item = self.version_notify_targets
        first = item.key(XCM_VERSION, {"V5": L.HERE})[:len(item.prefix) + 8 + 4]   # prefix ++ Twox64Concat(u32)
        targets = []
        for raw in sorted(ctx.state.keys_with_prefix(first)):
            location = self.reg.decode(item.keys[1], raw[len(first) + 16:])        # after Blake2_128Concat's hash
            targets.append((location, item.get(ctx.state, XCM_VERSION, location)))
        return targets

    def request_version_notify(self, ctx: Ctx, dest: dict) -> None:
        """Pallet::request_version_notify; raises XcmFailure (InvalidLocation when already subscribed)."""
        key = versioned_location(dest)
        if self.version_notifiers.exists(ctx.state, XCM_VERSION, key):
            raise X.XcmFailure("InvalidLocation")
        query_id = self.query_counter.get(ctx.state)
        self.query_counter.put(ctx.state, query_id + 1)
        message_id, cost = self._send_unpaid(ctx, dest, [{"SubscribeVersion": {
            "query_id": query_id, "max_response_weight": dict(X.ZERO)}}])
        self.emit(ctx, "VersionNotifyRequested", {"destination": dest, "cost": cost, "message_id": message_id})
        self.version_notifiers.put(ctx.state, XCM_VERSION, key, query_id)
        self.queries.put(ctx.state, query_id, {"VersionNotifier": {"origin": key, "is_active": False}})

    def start_subscription(self, ctx: Ctx, dest: dict, query_id: int, max_weight: dict) -> None:
        """VersionChangeNotifier::start (start_notify): answer with the advertised version, note the target."""
        key = versioned_location(dest)
        if self.version_notify_targets.exists(ctx.state, XCM_VERSION, key):
            raise X.XcmFailure("InvalidLocation")
        version = self.advertised
        message = [{"QueryResponse": {"query_id": query_id, "response": {"Version": version},
                                      "max_weight": max_weight, "querier": None}}]
        message_id, cost = self._send_unpaid(ctx, dest, message)
        self.emit(ctx, "VersionNotifyStarted", {"destination": dest, "cost": cost, "message_id": message_id})
        self.version_notify_targets.put(ctx.state, XCM_VERSION, key, [query_id, max_weight, version])

    def stop_subscription(self, ctx: Ctx, dest: dict) -> None:
        self.version_notify_targets.remove(ctx.state, XCM_VERSION, versioned_location(dest))

    def _send_unpaid(self, ctx: Ctx, dest: dict, message: list) -> tuple[bytes, list]:
        """xcm::send_xcm::<Router>: validate and deliver, the chain bears the cost."""
        ticket, cost = X.validate_send(ctx, self.hooks, dest, message)
        return X.deliver(ctx, self.hooks, ticket), cost

    def wrap_version(self, ctx: Ctx, dest: dict, message: list) -> tuple[int, dict]:
        """WrapVersion: the version `dest` is known to speak (SupportedVersion), else SafeXcmVersion after noting
        `dest` in VersionDiscoveryQueue, never above the chain's own; raises VersionError when neither is known
        or the message has no form in it."""
        key = versioned_location(L.normalize(dest))
        version = self.supported_version.get(ctx.state, XCM_VERSION, key)
        if version is None:
            self._note_unknown_version(ctx, key)
            version = self.safe_xcm_version.get(ctx.state)
        if version is None:
            raise V.VersionError(f"no XCM version known for {dest}")
        version = min(version, self.advertised)
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

    def speaks(self, versioned: Any) -> bool:
        """Whether the chain's xcm crate decodes this Versioned* value: none above its own version."""
        return V.identify_version(versioned) <= self.advertised
