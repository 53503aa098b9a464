"""pallet_xcm_bridge_hub (XcmOverBridgeHubPolkadot / XcmOverBridgeHubKusama): bridges and their lanes.

S bridges/modules/xcm-bridge-hub/src/lib.rs (Bridges / LaneToBridge, calls open_bridge 0 and
close_bridge 1, events, errors, genesis `opened_bridges`, do_open_bridge), exporter.rs (ExportXcm:
find the bridge of (source, destination), HaulBlobExporter, send on its lane, suspend the bridge
above OUTBOUND_LANE_CONGESTED_THRESHOLD queued messages, resume below the uncongested one on
delivery), dispatcher.rs (MessageDispatch: is_active while the XCM channel to the bridge origin
is not congested; dispatch with BridgeBlobDispatcher), bp_xcm_bridge_hub BridgeId::new.
F bridge_to_*_config.rs: OpenBridgeOrigin = EnsureNever (no bridge can be opened or closed by a
call), BlobDispatcher = BridgeBlobDispatcher<XcmRouter, UniversalLocation, PalletInstance(53)>,
CongestionManager sends build_congestion_message (F asset-hub-*/primitives) to the Asset Hub.
"""
from __future__ import annotations

from typing import Any, Callable

from ..hashing import blake2_256
from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from ..scale import ScaleError
from ..types.xcm import declare_xcm
from ..xcm import locations as L
from ..xcm.executor import SendFailure, XcmFailure
from ..xcm.locations import CODEC, XCM_TYPES
from . import payload as P
from ..paras import ASSET_HUB_ID, BRIDGE_HUB_ID
from .constants import (LEGACY_LANE, MESSAGES_INDEX, OUTBOUND_LANE_CONGESTED_THRESHOLD,
                        OUTBOUND_LANE_UNCONGESTED_THRESHOLD, ROUTER_CALL_REPORT_BRIDGE_STATUS, ROUTER_INDEX, BridgeSide)
from .types import declare_bridge_types

BRIDGE_ID_SEPARATOR = b"bridges-bridge-id-value-separator"
# F asset-hub-*/primitives XcmBridgeHubRouterTransactCallMaxWeight
ROUTER_TRANSACT_WEIGHT = {"ref_time": 200_000_000, "proof_size": 6144}
# BridgeOriginAccountIdConverter = (ParentIsPreset, SiblingParachainConvertsVia)
BRIDGE_ORIGIN_ACCOUNT = L.first_match([L.parent_is_preset, L.sibling_parachain_converts_via])


def bridge_id(universal_source: list, universal_destination: list) -> bytes:
    """BridgeId::new: blake2_256((source, separator, destination)), both v5 InteriorLocations."""
    junctions = XCM_TYPES.v5.junctions
    return blake2_256(CODEC.encode(junctions, L.interior_of(universal_source)) + BRIDGE_ID_SEPARATOR
                      + CODEC.encode(junctions, L.interior_of(universal_destination)))


def congestion_message(bridge: bytes, is_congested: bool) -> list:
    """build_congestion_message: Transact ToXXXXcmRouter::report_bridge_status as the Bridge Hub."""
    call = bytes([ROUTER_INDEX, ROUTER_CALL_REPORT_BRIDGE_STATUS]) + bridge + bytes([int(is_congested)])
    return [{"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}},
            {"Transact": {"origin_kind": "Xcm", "fallback_max_weight": ROUTER_TRANSACT_WEIGHT,
                          "call": {"encoded": call}}},
            {"ExpectTransactStatus": "Success"}]


class XcmOverBridgeHub(Pallet):
    SIDE: BridgeSide
    # set by runtimes/bridge_hub.py wire(): the chain's XcmRouter and the XCMP channel status
    # (OutXcmpChannelStatusProvider); without a router nothing is dispatched or reported
    router: Any = None
    channel_congested: Callable[[Ctx, dict], bool] = staticmethod(lambda ctx, location: False)

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.bt = bt = declare_bridge_types(r, t, self.runtime.call_enum)
        xcm = declare_xcm(r, self.runtime.call_enum)
        self.bridges = self.item("Bridges", bt.bridge, (bt.bridge_id,), ("Identity",), optional=True)
        self.lane_to_bridge = self.item("LaneToBridge", bt.bridge_id, (bt.lane_id,), ("Identity",), optional=True)
        params = [("T", None), ("I", None)]
        v_interior = r.names["VersionedInteriorLocation"]
        self.calls = r.variant("pallet_xcm_bridge_hub::pallet::Call", [
            ("open_bridge", 0, [("bridge_destination_universal_location", v_interior, "Box<VersionedInteriorLocation>")]),
            ("close_bridge", 1, [("bridge_destination_universal_location", v_interior, "Box<VersionedInteriorLocation>"),
                                 ("may_prune_messages", t.u64, "MessageNonce")]),
        ], params=params)
        bid, lane = ("bridge_id", bt.bridge_id, "BridgeId"), ("lane_id", bt.lane_id, "T::LaneId")
        deposit = ("bridge_deposit", t.u128, "BalanceOf<ThisChainOf<T, I>>")
        self.events = r.variant("pallet_xcm_bridge_hub::pallet::Event", [
            ("BridgeOpened", 0, [bid, deposit, ("local_endpoint", xcm.v5.junctions, "Box<InteriorLocation>"),
                                 ("remote_endpoint", xcm.v5.junctions, "Box<InteriorLocation>"), lane]),
            ("ClosingBridge", 1, [bid, lane, ("pruned_messages", t.u64, "MessageNonce"),
                                  ("enqueued_messages", t.u64, "MessageNonce")]),
            ("BridgePruned", 2, [bid, lane, deposit, ("pruned_messages", t.u64, "MessageNonce")]),
        ], params=params)
        self.errors = r.variant("pallet_xcm_bridge_hub::pallet::Error", [
            ("BridgeLocations", 0, [(None, bt.bridge_locations_error, "Box<BridgeLocationsError>")]),
            ("InvalidBridgeOriginAccount", 1, []), ("BridgeAlreadyExists", 2, []),
            ("TooManyBridgesForLocalOrigin", 3, []), ("BridgeAlreadyClosed", 4, []),
            ("LanesManager", 5, [(None, bt.lanes_manager_error, "LanesManagerError")]),
            ("UnknownBridge", 6, []), ("FailedToReserveBridgeDeposit", 7, []), ("UnsupportedXcmVersion", 8, []),
        ], params=params)
        # #[pallet::constant]s: BridgedNetwork, BridgeDeposit (ConstU128<0>: no bridge can be opened)
        self.constant("BridgedNetwork", xcm.v5.location,
                      L.location(2, [{"GlobalConsensus": self.SIDE.bridged_network}]))
        self.constant("BridgeDeposit", t.u128, 0)

    @property
    def universal(self) -> list:
        return [{"GlobalConsensus": self.SIDE.network}, {"Parachain": BRIDGE_HUB_ID}]

    @property
    def messages(self):
        return self.runtime.by_name[self.SIDE.messages]

    # --- bridges ----------------------------------------------------------------------------
    def open_bridge(self, ctx: Ctx, origin_location: dict, destination: list, lane_id: bytes) -> bytes:
        """do_open_bridge for genesis: the bridge record, its lane mapping and both lanes."""
        source = L.junctions(L.append_with(L.location(0, self.universal), origin_location))
        bid = bridge_id(source, destination)
        if self.bridges.exists(ctx.state, bid):
            raise self.error("BridgeAlreadyExists")
        self.messages.create_lanes(ctx, lane_id)
        self.bridges.put(ctx.state, bid, {
            "bridge_origin_relative_location": {"V5": origin_location},
            "bridge_origin_universal_location": {"V5": L.interior_of(source)},
            "bridge_destination_universal_location": {"V5": L.interior_of(destination)},
            "state": "Opened", "bridge_owner_account": BRIDGE_ORIGIN_ACCOUNT(origin_location),
            "deposit": 0, "lane_id": lane_id})
        self.lane_to_bridge.put(ctx.state, lane_id, bid)
        return bid

    def bridge_of_lane(self, state, lane_id: bytes) -> tuple[bytes, dict] | None:
        bid = self.lane_to_bridge.get(state, lane_id)
        if bid is None:
            return None
        return bytes(bid), self.bridges.get(state, bytes(bid))

    def call_open_bridge(self, ctx: Ctx, origin: Origin, bridge_destination_universal_location: Any) -> None:
        raise DispatchError.simple("BadOrigin")      # OpenBridgeOrigin = EnsureNever

    def call_close_bridge(self, ctx: Ctx, origin: Origin, bridge_destination_universal_location: Any,
                          may_prune_messages: int) -> None:
        raise DispatchError.simple("BadOrigin")      # only the bridge's opener, and none can open

    # --- ExportXcm (the executor's ExportMessage) --------------------------------------------
    def export_message(self, ctx: Ctx, origin: dict, network: str, destination: Any, xcm: list) -> list:
        """The `exporter` hook: validate and deliver in one go (MessageExportPrice is (): no fees).
        Raises XcmFailure with the XcmError the executor reports (SendError converted)."""
        if network != self.SIDE.bridged_network:
            raise XcmFailure("Unroutable")                     # NotApplicable
        try:
            source = L.junctions(L.append_with(L.location(0, self.universal), origin))
        except L.LocationError:
            raise XcmFailure("Unroutable") from None
        dest_items = L.junctions({"parents": 0, "interior": destination})
        bid = bridge_id(_strip_low_level(source), _strip_low_level([{"GlobalConsensus": network}] + dest_items))
        bridge = self.bridges.get(ctx.state, bid)
        if bridge is None or bridge["state"] == "Closed":
            raise XcmFailure("Unroutable")                     # NotApplicable: no such bridge
        hauled = P.haul_blob(source, network, dest_items, xcm)
        lane_id = bytes(bridge["lane_id"])
        payload = P.stored_payload(hauled.blob)
        try:
            self.messages.validate_message(ctx, lane_id, payload)
        except DispatchError:
            raise XcmFailure("Transport") from None    # SendError::Transport("BridgeValidateError")
        _, enqueued = self.messages.send_message(ctx, lane_id, payload)
        if enqueued > OUTBOUND_LANE_CONGESTED_THRESHOLD and bridge["state"] == "Opened":
            self._report(ctx, bid, bridge, congested=True)
        return []

    def _report(self, ctx: Ctx, bid: bytes, bridge: dict, congested: bool) -> None:
        """CongestionManager::suspend_bridge / resume_bridge: tell the bridge origin's router."""
        origin = L.normalize(bridge["bridge_origin_relative_location"]["V5"])
        if self.router is not None:
            try:
                self.router.send(ctx, origin, congestion_message(bid, congested))
            except SendFailure:
                return        # the pallet keeps the old state when the signal cannot be sent
        bridge["state"] = "Suspended" if congested else "Opened"
        self.bridges.put(ctx.state, bid, bridge)

    # --- OnMessagesDelivered ---------------------------------------------------------------
    def on_messages_delivered(self, ctx: Ctx, lane_id: bytes, enqueued: int) -> None:
        found = self.bridge_of_lane(ctx.state, lane_id)
        if found is None:
            return
        bid, bridge = found
        if bridge["state"] == "Suspended" and enqueued < OUTBOUND_LANE_UNCONGESTED_THRESHOLD:
            self._report(ctx, bid, bridge, congested=False)

    # --- MessageDispatch ------------------------------------------------------------------
    def is_active(self, ctx: Ctx, lane_id: bytes) -> bool:
        found = self.bridge_of_lane(ctx.state, lane_id)
        if found is None:
            return False
        origin = L.normalize(found[1]["bridge_origin_relative_location"]["V5"])
        return not self.channel_congested(ctx, origin)

    def dispatch(self, ctx: Ctx, lane_id: bytes, nonce: int, payload: bytes) -> str:
        """XcmBlobMessageDispatch::dispatch -> XcmBlobMessageDispatchResult."""
        try:
            blob = self.reg.decode(self.t.bytes, payload)
        except ScaleError:
            return "InvalidPayload"
        try:
            dest, message = P.dispatch_blob(blob, self.universal, [{"PalletInstance": MESSAGES_INDEX}])
        except P.DispatchBlobError:
            return "NotDispatched"
        if self.router is None:
            return "NotDispatched"                             # RoutingError
        try:
            self.router.send(ctx, dest, message)
        except SendFailure:
            return "NotDispatched"
        return "Dispatched"

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig { opened_bridges: [(origin Location, destination InteriorLocation, lane)] },
        read from config[<pallet name>]; by default the AH 1000 <-> AH 1000 bridge on the legacy lane."""
        default = [(L.parachain(ASSET_HUB_ID, parents=1),
                    [{"GlobalConsensus": self.SIDE.bridged_network}, {"Parachain": ASSET_HUB_ID}], LEGACY_LANE)]
        for origin_location, destination, lane_id in config.get(self.NAME, {}).get("opened_bridges", default):
            self.open_bridge(ctx, origin_location, destination, lane_id)


def _strip_low_level(universal: list) -> list:
    """BridgeLocations::strip_low_level_junctions: a lane joins chains, not what is inside them."""
    if len(universal) > 1 and L.junction_kind(universal[1]) == "Parachain":
        return universal[:2]
    return universal[:1]


def xcm_bridge_hub_pallet(side: BridgeSide) -> type[XcmOverBridgeHub]:
    return type(side.xcm_over, (XcmOverBridgeHub,), {"NAME": side.xcm_over, "SIDE": side})
