"""pallet_bridge_messages (Instance1) on a Bridge Hub: lanes, outbound queue, delivery and confirmation.

S bridges/modules/messages/src/lib.rs (calls 0-3, events, errors, storage in declaration order,
genesis opening lanes), lanes_manager.rs (active/any-state lanes and their errors), proofs.rs
(what a messages / delivery proof must contain). The lane arithmetic is lanes.py; the proof form
is proofs.py. Collaborators, found by name in the runtime: the parachains finality pallet (is the
proved bridged header imported?), XcmOverBridgeHub* (MessageDispatch, OnMessagesDelivered) and
BridgeRelayers (DeliveryConfirmationPaymentsAdapter registers the delivery rewards).
"""
from __future__ import annotations

from typing import Any

from ..hashing import HASH_KEY, storage_prefix
from ..runtime.frame import Ctx, DispatchError, Origin
from ..scale import ScaleError
from . import lanes
from ..paras import BRIDGE_HUB_ID
from .constants import MAX_UNCONFIRMED_MESSAGES, MAX_UNREWARDED_RELAYERS, MAXIMAL_MESSAGE_SIZE, SIDES, BridgeSide
from .owned import OwnedBridgePallet
from .proofs import ProofError, read_proof
from .types import declare_bridge_types

NORMAL = {"Basic": "Normal"}
HALTED = {"Basic": "Halted"}
# the weight the emulation assigns to dispatching one message (XcmBlobMessageDispatch
# dispatch_weight is benchmarked per payload size; one bound keeps InsufficientDispatchWeight real)
MESSAGE_DISPATCH_WEIGHT = {"ref_time": 1_000_000_000, "proof_size": 10_000}
LANES_MANAGER_ERRORS = ("InboundLaneAlreadyExists", "OutboundLaneAlreadyExists", "UnknownInboundLane",
                        "UnknownOutboundLane", "ClosedInboundLane", "ClosedOutboundLane", "LaneDispatcherInactive")


class BridgeMessages(OwnedBridgePallet):
    SIDE: BridgeSide
    HALTED = HALTED

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.bt = bt = declare_bridge_types(r, t, self.runtime.call_enum)
        acc, opt_acc = t.account_id, r.option(t.account_id)
        self.owner = self.item("PalletOwner", acc, optional=True)
        self.operating_mode = self.item("PalletOperatingMode", bt.messages_operating_mode, default=NORMAL)
        self.inbound = self.item("InboundLanes", bt.stored_inbound_lane_data, (bt.lane_id,), ("Blake2_128Concat",),
                                 optional=True)
        self.outbound = self.item("OutboundLanes", bt.outbound_lane_data, (bt.lane_id,), ("Blake2_128Concat",),
                                  optional=True)
        self.messages = self.item("OutboundMessages", bt.stored_payload, (bt.message_key,), ("Blake2_128Concat",),
                                  optional=True)
        params = [("T", None), ("I", None)]
        self.calls = r.variant("pallet_bridge_messages::pallet::Call", [
            ("set_owner", 0, [("new_owner", opt_acc, "Option<T::AccountId>")]),
            ("set_operating_mode", 1, [("operating_mode", bt.messages_operating_mode, "MessagesOperatingMode")]),
            ("receive_messages_proof", 2, [
                ("relayer_id_at_bridged_chain", acc, "AccountIdOf<BridgedChainOf<T, I>>"),
                ("proof", bt.messages_proof, "Box<FromBridgedChainMessagesProof<HashOf<BridgedChainOf<T, I>>, T::LaneId>>"),
                ("messages_count", t.u32, "u32"), ("dispatch_weight", t.weight, "Weight")]),
            ("receive_messages_delivery_proof", 3, [
                ("proof", bt.delivery_proof, "FromBridgedChainMessagesDeliveryProof<HashOf<BridgedChainOf<T, I>>, T::LaneId>"),
                ("relayers_state", bt.unrewarded_relayers_state, "UnrewardedRelayersState")]),
        ], params=params)
        self.events = r.variant("pallet_bridge_messages::pallet::Event", [
            ("MessageAccepted", 0, [("lane_id", bt.lane_id, "T::LaneId"), ("nonce", t.u64, "MessageNonce")]),
            ("MessagesReceived", 1, [(None, bt.received_messages,
                                      "ReceivedMessages<<T::MessageDispatch as MessageDispatch>::DispatchLevelResult, T::LaneId>")]),
            ("MessagesDelivered", 2, [("lane_id", bt.lane_id, "T::LaneId"),
                                      ("messages", bt.delivered_messages, "DeliveredMessages")]),
        ], params=params)
        self.errors = r.variant("pallet_bridge_messages::pallet::Error", [
            ("NotOperatingNormally", 0, []),
            ("LanesManager", 1, [(None, bt.lanes_manager_error, "LanesManagerError")]),
            ("MessageRejectedByPallet", 2, [(None, bt.verification_error, "VerificationError")]),
            ("TooManyMessagesInTheProof", 3, []), ("InvalidMessagesProof", 4, []),
            ("InvalidMessagesDeliveryProof", 5, []), ("InvalidUnrewardedRelayersState", 6, []),
            ("InsufficientDispatchWeight", 7, []),
            ("ReceptionConfirmation", 8, [(None, bt.reception_confirmation_error, "ReceptionConfirmationError")]),
            ("BridgeModule", 9, [(None, bt.owned_bridge_module_error, "bp_runtime::OwnedBridgeModuleError")]),
        ], params=params)

    # --- collaborators ----------------------------------------------------------------------
    @property
    def bridged(self) -> BridgeSide:
        return SIDES[self.SIDE.bridged_network]

    def _pallet(self, name: str):
        return self.runtime.by_name[name]

    # --- lanes (LanesManager) ---------------------------------------------------------------
    def lanes_error(self, name: str) -> DispatchError:
        return self.nested_error("LanesManager", LANES_MANAGER_ERRORS.index(name))

    def create_lanes(self, ctx: Ctx, lane_id: bytes) -> None:
        """LanesManager::create_inbound_lane + create_outbound_lane (genesis and open_bridge)."""
        if self.inbound.exists(ctx.state, lane_id):
            raise self.lanes_error("InboundLaneAlreadyExists")
        if self.outbound.exists(ctx.state, lane_id):
            raise self.lanes_error("OutboundLaneAlreadyExists")
        self.inbound.put(ctx.state, lane_id, lanes.opened_inbound())
        self.outbound.put(ctx.state, lane_id, lanes.opened_outbound())

    def _active_outbound(self, state, lane_id: bytes) -> dict:
        data = self.outbound.get(state, lane_id)
        if data is None:
            raise self.lanes_error("UnknownOutboundLane")
        if data["state"] != "Opened":
            raise self.lanes_error("ClosedOutboundLane")
        return data

    def _active_inbound(self, ctx: Ctx, lane_id: bytes) -> dict:
        data = self.inbound.get(ctx.state, lane_id)
        if data is None:
            raise self.lanes_error("UnknownInboundLane")
        if data["state"] != "Opened":
            raise self.lanes_error("ClosedInboundLane")
        if not self._pallet(self.SIDE.xcm_over).is_active(ctx, lane_id):
            raise self.lanes_error("LaneDispatcherInactive")
        return data

    # --- sending (MessagesBridge) -----------------------------------------------------------
    def validate_message(self, ctx: Ctx, lane_id: bytes, payload: bytes) -> None:
        """payload: the encoded OutboundPayload (for XcmAsPlainPayload, the length-prefixed blob)."""
        if self.operating_mode.get(ctx.state) != NORMAL:
            raise self.error("NotOperatingNormally")
        self._active_outbound(ctx.state, lane_id)
        if len(payload) > MAXIMAL_MESSAGE_SIZE:
            raise self.nested_error("MessageRejectedByPallet", 6)   # VerificationError::MessageTooLarge

    def send_message(self, ctx: Ctx, lane_id: bytes, payload: bytes) -> tuple[int, int]:
        """Stores an already validated message; returns (nonce, messages queued on the lane)."""
        data = self._active_outbound(ctx.state, lane_id)
        nonce = lanes.send_message(data)
        self.messages.put(ctx.state, {"lane_id": lane_id, "nonce": nonce}, payload)
        self.outbound.put(ctx.state, lane_id, data)
        self.emit(ctx, "MessageAccepted", {"lane_id": lane_id, "nonce": nonce})
        return nonce, len(lanes.queued_messages(data))

    # --- proofs -----------------------------------------------------------------------------
    def _bridged_key(self, item: str, key_type: int, key: Any) -> bytes:
        """The storage key of the bridged Bridge Hub's messages pallet, which the proof proves."""
        return storage_prefix(self.bridged.messages, item) + HASH_KEY["Blake2_128Concat"](self.reg.encode(key_type, key))

    def _proved_pairs(self, state, header_hash: bytes, nodes: list[bytes]) -> dict[bytes, bytes]:
        if not self._pallet(self.SIDE.parachains).para_head(state, BRIDGE_HUB_ID, header_hash):
            raise ProofError("UnknownHeader")
        return read_proof(nodes)

    def _verify_messages_proof(self, state, proof: dict, count: int) -> tuple[dict | None, list[tuple[int, bytes]]]:
        start, end = proof["nonces_start"], proof["nonces_end"]
        if end < start or end - start + 1 != count:
            raise ProofError("MessagesCountMismatch")
        pairs = self._proved_pairs(state, bytes(proof["bridged_header_hash"]), proof["storage_proof"])
        lane = bytes(proof["lane"])
        found = []
        for nonce in range(start, end + 1):
            raw = pairs.pop(self._bridged_key("OutboundMessages", self.bt.message_key,
                                              {"lane_id": lane, "nonce": nonce}), None)
            if raw is None:
                raise ProofError("MessageStorage")
            found.append((nonce, self.reg.decode(self.bt.stored_payload, raw)))
        raw_lane = pairs.pop(self._bridged_key("OutboundLanes", self.bt.lane_id, lane), None)
        lane_state = None if raw_lane is None else self.reg.decode(self.bt.outbound_lane_data, raw_lane)
        if pairs:
            raise ProofError("UnusedKey")
        if not found and lane_state is None:
            raise ProofError("EmptyMessageProof")
        return lane_state, found

    # --- calls ------------------------------------------------------------------------------
    def call_receive_messages_proof(self, ctx: Ctx, origin: Origin, relayer_id_at_bridged_chain: bytes,
                                    proof: dict, messages_count: int, dispatch_weight: dict) -> None:
        self.ensure_not_halted(ctx)
        origin.ensure_signed()
        if messages_count > MAX_UNCONFIRMED_MESSAGES:
            raise self.error("TooManyMessagesInTheProof")
        try:
            lane_state, messages = self._verify_messages_proof(ctx.state, proof, messages_count)
        except (ProofError, ScaleError):
            raise self.error("InvalidMessagesProof") from None
        lane_id = bytes(proof["lane"])
        inbound = self._active_inbound(ctx, lane_id)
        if lane_state is not None:
            lanes.receive_state_update(inbound, lane_state)
        dispatcher = self._pallet(self.SIDE.xcm_over)
        left = dict(dispatch_weight)
        results = []
        for nonce, payload in messages:
            if any(MESSAGE_DISPATCH_WEIGHT[k] > left[k] for k in left):
                raise self.error("InsufficientDispatchWeight")
            result = lanes.receive_message(
                inbound, relayer_id_at_bridged_chain, nonce, MAX_UNREWARDED_RELAYERS, MAX_UNCONFIRMED_MESSAGES,
                lambda n, p=payload: {"unspent_weight": {"ref_time": 0, "proof_size": 0},
                                      "dispatch_level_result": dispatcher.dispatch(ctx, lane_id, n, p)})
            if isinstance(result, dict):
                left = {k: left[k] - MESSAGE_DISPATCH_WEIGHT[k] for k in left}
            results.append([nonce, result])
        self.inbound.put(ctx.state, lane_id, inbound)
        self.emit(ctx, "MessagesReceived", {"lane": lane_id, "receive_results": results})

    def call_receive_messages_delivery_proof(self, ctx: Ctx, origin: Origin, proof: dict, relayers_state: dict) -> None:
        self.ensure_not_halted(ctx)
        origin.ensure_signed()
        lane_id = bytes(proof["lane"])
        try:
            pairs = self._proved_pairs(ctx.state, bytes(proof["bridged_header_hash"]), proof["storage_proof"])
            raw = pairs.pop(self._bridged_key("InboundLanes", self.bt.lane_id, lane_id), None)
            if raw is None or pairs:
                raise ProofError("StorageValueUnavailable" if raw is None else "UnusedKey")
            inbound = self.reg.decode(self.bt.stored_inbound_lane_data, raw)
        except (ProofError, ScaleError):
            raise self.error("InvalidMessagesDeliveryProof") from None
        if lanes.relayers_state(inbound) != relayers_state:
            raise self.error("InvalidUnrewardedRelayersState")
        outbound = self.outbound.get(ctx.state, lane_id)
        if outbound is None:
            raise self.lanes_error("UnknownOutboundLane")
        try:
            confirmed = lanes.confirm_delivery(outbound, relayers_state["total_messages"],
                                               lanes.last_delivered_nonce(inbound), inbound["relayers"])
        except lanes.ConfirmationError as exc:
            names = ("FailedToConfirmFutureMessages", "EmptyUnrewardedRelayerEntry",
                     "NonConsecutiveUnrewardedRelayerEntries", "TryingToConfirmMoreMessagesThanExpected")
            raise self.nested_error("ReceptionConfirmation", names.index(str(exc))) from None
        if confirmed is not None:
            for nonce in range(confirmed["begin"], confirmed["end"] + 1):
                self.messages.remove(ctx.state, {"lane_id": lane_id, "nonce": nonce})
            self.outbound.put(ctx.state, lane_id, outbound)
            self.emit(ctx, "MessagesDelivered", {"lane_id": lane_id, "messages": confirmed})
            self._pallet("BridgeRelayers").reward_delivery(
                ctx, lane_id, self.SIDE.bridged_chain_id,
                lanes.relayers_rewards(inbound["relayers"], confirmed["begin"], confirmed["end"]),
                self.SIDE.delivery_reward)
        self._pallet(self.SIDE.xcm_over).on_messages_delivered(ctx, lane_id, len(lanes.queued_messages(outbound)))

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig { operating_mode, owner, opened_lanes }, read from config[<pallet name>]."""
        config = config.get(self.NAME, {})
        self.operating_mode.put(ctx.state, config.get("operating_mode", NORMAL))
        if config.get("owner") is not None:
            self.owner.put(ctx.state, config["owner"])
        for lane_id in config.get("opened_lanes", []):
            self.create_lanes(ctx, lane_id)


def messages_pallet(side: BridgeSide) -> type[BridgeMessages]:
    """BridgePolkadotMessages on Kusama's Bridge Hub, BridgeKusamaMessages on Polkadot's."""
    return type(side.messages, (BridgeMessages,), {"NAME": side.messages, "SIDE": side})
