"""cumulus_pallet_parachain_system (index 1 on the Asset Hubs): the para's window on its relay;
and staging_parachain_info (index 4), which holds the para id.

Sources (polkadot-sdk cumulus/pallets/parachain-system/src/lib.rs): on_initialize (clears last
block's ValidationData, UpwardMessages, HrmpOutboundMessages, ...), set_validation_data (the
mandatory inherent; enqueue_inbound_downward_messages emits DownwardMessagesReceived { count },
hands the messages to MessageQueue with origin Parent (DmpQueue = EnqueueWithOrigin<MessageQueue,
RelayOrigin>, asset-hub-*/src/lib.rs), then DownwardMessagesProcessed { weight_used, dmq_head };
horizontal messages go to XcmpQueue), send_upward_message (PendingUpwardMessages, the fee factor,
UpwardMessageSent { message_hash: Some(blake2_256(message)) }), on_finalize (pending -> UpwardMessages
within max_upward_message_num_per_candidate, XCMP pages -> HrmpOutboundMessages). Storage, calls,
events, errors and types in the order and with the paths of the live metadata (Asset Hub 2_000_000).
weight_used: weights/cumulus_pallet_parachain_system.rs enqueue_inbound_downward_messages(n) of each
Asset Hub (polkadot-fellows/runtimes).

Simplified: no relay state proof (empty), the unincluded segment is not tracked, parent_head in
the inherent is empty, validation code upgrades are not emulated.
"""
from __future__ import annotations

from ..hashing import blake2_256
from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from .config import SYSTEM_TELEPORTERS
from .relay_parachains import HOST_CONFIGURATION, dmq_mqc_link
from .transport import (FIXED_ONE, THRESHOLD_FACTOR, XCMP_CONCATENATED_VERSIONED_XCM,
                        declare_transport_types, decreased_fee_factor, increased_fee_factor, take_inbox)

MAX_POV_SIZE = 10 * 1024 * 1024      # polkadot-primitives MAX_POV_SIZE
# HRMP channels between system parachains: what the fellows runtimes' XcmpQueue config notes
# ("most on-chain HRMP channels ... 102400 bytes of max message size"), capacity as on Polkadot.
SYSTEM_CHANNEL = {"max_capacity": 1000, "max_total_size": 102_400, "max_message_size": 102_400}
# enqueue_inbound_downward_messages(n): (base ref_time, per message ref_time, proof_size)
ENQUEUE_DMP_WEIGHT = {"Polkadot": (954_000, 120_079_622, 3517), "Kusama": (86_296_804, 129_363_190, 3517)}

ERRORS = ("OverlappingUpgrades", "ProhibitedByPolkadot", "TooBig", "ValidationDataNotAvailable",
          "HostConfigurationNotAvailable", "NotScheduled")


class UpwardSendError(Exception):
    """MessageSendError from send_upward_message (TooBig)."""


class ParachainSystem(Pallet):
    NAME = "ParachainSystem"
    WEIGHTS = {"set_validation_data": (0, 0), "sudo_send_upward_message": (1_000, 0)}   # #[pallet::weight]s
    DISPATCH_CLASSES = {"set_validation_data": "Mandatory", "sudo_send_upward_message": "Operational"}

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        u32, h256, pid = t.u32, t.h256, tt.para_id
        v8 = "polkadot_primitives::v8"
        mod = "cumulus_pallet_parachain_system"
        go_ahead = r.variant(f"{v8}::UpgradeGoAhead", [("Abort", 0, []), ("GoAhead", 1, [])])
        restriction = r.variant(f"{v8}::UpgradeRestriction", [("Present", 0, [])])
        channel_update = r.composite(f"{mod}::unincluded_segment::HrmpChannelUpdate", [
            ("msg_count", u32, "u32"), ("total_bytes", u32, "u32")])
        bandwidth = r.composite(f"{mod}::unincluded_segment::UsedBandwidth", [
            ("ump_msg_count", u32, "u32"), ("ump_total_bytes", u32, "u32"),
            ("hrmp_outgoing", _btree_map(r, pid, channel_update), "BTreeMap<ParaId, HrmpChannelUpdate>")])
        ancestor = r.composite(f"{mod}::unincluded_segment::Ancestor", [
            ("used_bandwidth", bandwidth, "UsedBandwidth"), ("para_head_hash", r.option(h256), "Option<H>"),
            ("consumed_go_ahead_signal", r.option(go_ahead), "Option<relay_chain::UpgradeGoAhead>")],
            params=[("H", h256)])
        tracker = r.composite(f"{mod}::unincluded_segment::SegmentTracker", [
            ("used_bandwidth", bandwidth, "UsedBandwidth"),
            ("hrmp_watermark", r.option(u32), "Option<relay_chain::BlockNumber>"),
            ("consumed_go_ahead_signal", r.option(go_ahead), "Option<relay_chain::UpgradeGoAhead>")],
            params=[("H", h256)])
        validation_data = r.composite(f"{v8}::PersistedValidationData", [
            ("parent_head", tt.head_data, "HeadData"), ("relay_parent_number", u32, "N"),
            ("relay_parent_storage_root", h256, "H"), ("max_pov_size", u32, "u32")], params=[("H", h256), ("N", u32)])
        proof = r.composite("sp_trie::storage_proof::StorageProof", [
            ("trie_nodes", r.composite("BTreeSet", [(None, r.seq(t.bytes))], params=[("T", t.bytes)]),
             "BTreeSet<Vec<u8>>")])
        abridged_channel = r.composite(f"{v8}::AbridgedHrmpChannel", [
            ("max_capacity", u32, "u32"), ("max_total_size", u32, "u32"), ("max_message_size", u32, "u32"),
            ("msg_count", u32, "u32"), ("total_size", u32, "u32"), ("mqc_head", r.option(h256), "Option<Hash>")])
        channels = r.seq(r.tuple(pid, abridged_channel))
        messaging = r.composite(f"{mod}::relay_state_snapshot::MessagingStateSnapshot", [
            ("dmq_mqc_head", h256, "relay_chain::Hash"),
            ("relay_dispatch_queue_remaining_capacity",
             r.composite(f"{mod}::relay_state_snapshot::RelayDispatchQueueRemainingCapacity", [
                 ("remaining_count", u32, "u32"), ("remaining_size", u32, "u32")]),
             "RelayDispatchQueueRemainingCapacity"),
            ("ingress_channels", channels, "Vec<(ParaId, AbridgedHrmpChannel)>"),
            ("egress_channels", channels, "Vec<(ParaId, AbridgedHrmpChannel)>")])
        host_config = r.composite(f"{v8}::AbridgedHostConfiguration", [
            ("max_code_size", u32, "u32"), ("max_head_data_size", u32, "u32"), ("max_upward_queue_count", u32, "u32"),
            ("max_upward_queue_size", u32, "u32"), ("max_upward_message_size", u32, "u32"),
            ("max_upward_message_num_per_candidate", u32, "u32"), ("hrmp_max_message_num_per_candidate", u32, "u32"),
            ("validation_upgrade_cooldown", u32, "BlockNumber"), ("validation_upgrade_delay", u32, "BlockNumber"),
            ("async_backing_params", r.composite(f"{v8}::async_backing::AsyncBackingParams", [
                ("max_candidate_depth", u32, "u32"), ("allowed_ancestry_len", u32, "u32")]), "AsyncBackingParams")])
        mqc = r.composite("cumulus_primitives_parachain_inherent::MessageQueueChain", [(None, h256, "RelayHash")])
        message_id = r.composite(f"{mod}::parachain_inherent::InboundMessageId", [
            ("sent_at", u32, "BlockNumber"), ("reverse_idx", u32, "u32")])
        weight = t.weight

        self.item("UnincludedSegment", r.seq(ancestor), default=[])
        self.item("AggregatedUnincludedSegment", tracker, optional=True)
        self.item("PendingValidationCode", t.bytes, default=b"")
        self.new_validation_code = self.item("NewValidationCode", t.bytes, optional=True)
        self.validation_data = self.item("ValidationData", validation_data, optional=True)
        self.did_set_validation_code = self.item("DidSetValidationCode", t.bool, default=False)
        self.last_relay_block = self.item("LastRelayChainBlockNumber", u32, default=0)
        self.upgrade_restriction = self.item("UpgradeRestrictionSignal", r.option(restriction), default=None)
        self.upgrade_go_ahead = self.item("UpgradeGoAhead", r.option(go_ahead), default=None)
        self.relay_state_proof = self.item("RelayStateProof", proof, optional=True)
        self.messaging_state = self.item("RelevantMessagingState", messaging, optional=True)
        self.host_configuration = self.item("HostConfiguration", host_config, optional=True)
        self.last_dmq_mqc_head = self.item("LastDmqMqcHead", mqc, default=bytes(32))
        self.last_hrmp_mqc_heads = self.item("LastHrmpMqcHeads", _btree_map(r, pid, mqc), default=[])
        self.processed_downward = self.item("ProcessedDownwardMessages", u32, default=0)
        self.last_processed_downward = self.item("LastProcessedDownwardMessage", message_id, optional=True)
        self.hrmp_watermark = self.item("HrmpWatermark", u32, default=0)
        self.item("LastProcessedHrmpMessage", message_id, optional=True)
        self.hrmp_outbound_messages = self.item("HrmpOutboundMessages", r.seq(tt.outbound_hrmp), default=[])
        self.upward_messages = self.item("UpwardMessages", r.seq(t.bytes), default=[])
        self.pending_upward_messages = self.item("PendingUpwardMessages", r.seq(t.bytes), default=[])
        self.upward_fee_factor = self.item("UpwardDeliveryFeeFactor", tt.fixed_u128, default=FIXED_ONE)
        self.announced_hrmp = self.item("AnnouncedHrmpMessagesPerCandidate", u32, default=0)
        self.item("ReservedXcmpWeightOverride", weight, optional=True)
        self.item("ReservedDmpWeightOverride", weight, optional=True)
        self.custom_head_data = self.item("CustomValidationHeadData", t.bytes, optional=True)

        hashed = r.composite("cumulus_primitives_parachain_inherent::HashedMessage", [
            ("sent_at", u32, "RelayChainBlockNumber"), ("msg_hash", h256, "sp_core::H256")])

        def collection(message: int, compressed: int) -> int:
            return r.composite(f"{mod}::parachain_inherent::AbridgedInboundMessagesCollection", [
                ("full_messages", r.seq(message), "Vec<Message>"),
                ("hashed_messages", r.seq(compressed), "Vec<Message::CompressedMessage>")],
                params=[("Message", message)])

        peer_id = r.composite("bounded_collections::bounded_vec::BoundedVec", [(None, t.bytes, "Vec<T>")],
                              params=[("T", t.u8), ("S", None)])
        inherent = r.composite(f"{mod}::parachain_inherent::BasicParachainInherentData", [
            ("validation_data", validation_data, "PersistedValidationData"),
            ("relay_chain_state", proof, "sp_trie::StorageProof"),
            ("relay_parent_descendants", r.seq(t.header), "Vec<RelayHeader>"),
            ("collator_peer_id", r.option(peer_id), "Option<ApprovedPeerId>")])
        inbound = r.composite(f"{mod}::parachain_inherent::InboundMessagesData", [
            ("downward_messages", collection(tt.inbound_downward, hashed), "AbridgedInboundDownwardMessages"),
            ("horizontal_messages", collection(r.tuple(pid, tt.inbound_hrmp), r.tuple(pid, hashed)),
             "AbridgedInboundHrmpMessages")])
        self.calls = r.variant(f"{mod}::pallet::Call", [
            ("set_validation_data", 0, [("data", inherent, "BasicParachainInherentData"),
                                        ("inbound_messages_data", inbound, "InboundMessagesData")]),
            ("sudo_send_upward_message", 1, [("message", t.bytes, "UpwardMessage")]),
        ], params=[("T", None)])
        self.events = r.variant(f"{mod}::pallet::Event", [
            ("ValidationFunctionStored", 0, []),
            ("ValidationFunctionApplied", 1, [("relay_chain_block_num", u32, "RelayChainBlockNumber")]),
            ("ValidationFunctionDiscarded", 2, []),
            ("DownwardMessagesReceived", 3, [("count", u32, "u32")]),
            ("DownwardMessagesProcessed", 4, [("weight_used", weight, "Weight"),
                                              ("dmq_head", h256, "relay_chain::Hash")]),
            ("UpwardMessageSent", 5, [("message_hash", r.option(r.array(t.u8, 32)), "Option<XcmHash>")]),
        ], params=[("T", None)])
        self.errors = r.variant(f"{mod}::pallet::Error", [(n, i, []) for i, n in enumerate(ERRORS)],
                                params=[("T", None)])
        self.constant("SelfParaId", pid, self.runtime.config.para_id)

    # --- genesis: what the first relay parent would tell the para -------------------------
    def genesis(self, ctx: Ctx, config: dict) -> None:
        """HRMP channels, both ways, with ChainConfig.extra["hrmp_siblings"] (default: the other
        system parachains of the network, as on the live relays)."""
        own = self.runtime.config.para_id
        siblings = self.runtime.config.extra.get(
            "hrmp_siblings", [p for p in SYSTEM_TELEPORTERS[self.runtime.config.network] if p != own])
        channel = {**SYSTEM_CHANNEL, "msg_count": 0, "total_size": 0, "mqc_head": None}
        channels = [[sibling, dict(channel)] for sibling in sorted(siblings)]
        self.host_configuration.put(ctx.state, HOST_CONFIGURATION)
        self.messaging_state.put(ctx.state, {
            "dmq_mqc_head": bytes(32),
            "relay_dispatch_queue_remaining_capacity": {
                "remaining_count": HOST_CONFIGURATION["max_upward_queue_count"],
                "remaining_size": HOST_CONFIGURATION["max_upward_queue_size"]},
            "ingress_channels": channels, "egress_channels": [list(c) for c in channels]})

    # --- hooks -----------------------------------------------------------------------------
    def on_initialize(self, ctx: Ctx) -> None:
        state = ctx.state
        if not self.did_set_validation_code.get(state):
            self.new_validation_code.remove(state)
        for item in (self.validation_data, self.processed_downward, self.hrmp_watermark, self.upward_messages,
                     self.hrmp_outbound_messages, self.custom_head_data):
            item.remove(state)
        config = self.host_configuration.get(state)
        self.announced_hrmp.put(state, config["hrmp_max_message_num_per_candidate"] if config else 0)

    def on_finalize(self, ctx: Ctx) -> None:
        state = ctx.state
        self.did_set_validation_code.remove(state)
        self.upgrade_restriction.remove(state)
        self.upgrade_go_ahead.remove(state)
        validation = self.validation_data.get(state)
        if validation is None:
            raise RuntimeError("set_validation_data inherent needs to be present in every block!")
        self.last_relay_block.put(state, validation["relay_parent_number"])
        config = self.host_configuration.get(state) or HOST_CONFIGURATION
        pending = self.pending_upward_messages.get(state)
        sending = pending[:config["max_upward_message_num_per_candidate"]]
        left = pending[len(sending):]
        self.upward_messages.put(state, sending)
        self.pending_upward_messages.put(state, left)
        if sum(len(m) for m in left) <= config["max_upward_queue_size"] // THRESHOLD_FACTOR:
            self.upward_fee_factor.put(state, decreased_fee_factor(self.upward_fee_factor.get(state)))
        max_channels = min(config["hrmp_max_message_num_per_candidate"], self.announced_hrmp.get(state))
        self.announced_hrmp.remove(state)
        pages = self.runtime.pallet("XcmpQueue").take_outbound_messages(ctx, max_channels)
        self.hrmp_outbound_messages.put(state, [{"recipient": p, "data": d} for p, d in pages])

    # --- the inherent ------------------------------------------------------------------------
    def create_inherent(self, ctx: Ctx, inherent_data: dict) -> dict:
        """The collator's ParachainInherentData: the messages the transport delivered."""
        inbox = take_inbox(self.runtime, ("dmp", "hrmp"))
        downward = [{"sent_at": m.sent_at, "msg": m.data} for m in inbox if m.kind == "dmp"]
        horizontal = [[m.sender[1], {"sent_at": m.sent_at, "data": bytes([XCMP_CONCATENATED_VERSIONED_XCM]) + m.data}]
                      for m in inbox if m.kind == "hrmp"]
        relay_parent = max([self.last_relay_block.get(ctx.state), inherent_data.get("relay_parent_number", 0)]
                           + [m["sent_at"] for m in downward])
        data = {"validation_data": {"parent_head": b"", "relay_parent_number": relay_parent,
                                    "relay_parent_storage_root": bytes(32), "max_pov_size": MAX_POV_SIZE},
                "relay_chain_state": {"trie_nodes": []}, "relay_parent_descendants": [], "collator_peer_id": None}
        inbound = {"downward_messages": {"full_messages": downward, "hashed_messages": []},
                   "horizontal_messages": {"full_messages": horizontal, "hashed_messages": []}}
        return {self.NAME: {"set_validation_data": {"data": data, "inbound_messages_data": inbound}}}

    def call_set_validation_data(self, ctx: Ctx, origin: Origin, data: dict, inbound_messages_data: dict) -> None:
        if origin.kind != "none":
            raise DispatchError.simple("BadOrigin")
        state = ctx.state
        if self.validation_data.exists(state):
            raise RuntimeError("ValidationData must be updated only once in a block")
        validation = data["validation_data"]
        if validation["relay_parent_number"] < self.last_relay_block.get(state):
            raise RuntimeError("Relay chain block number needs to monotonically increase between Parachain blocks!")
        self.validation_data.put(state, validation)
        self.relay_state_proof.put(state, data["relay_chain_state"])
        self._enqueue_downward(ctx, inbound_messages_data["downward_messages"]["full_messages"])
        self._enqueue_horizontal(ctx, inbound_messages_data["horizontal_messages"]["full_messages"],
                                 validation["relay_parent_number"])

    def _enqueue_downward(self, ctx: Ctx, messages: list[dict]) -> None:
        state = ctx.state
        count = len(messages)
        if count:
            self.emit(ctx, "DownwardMessagesReceived", {"count": count})
            head = self.last_dmq_mqc_head.get(state)
            queue = self.runtime.pallet("MessageQueue")
            for m in messages:
                head = dmq_mqc_link(head, m["sent_at"], bytes(m["msg"]))
                queue.enqueue(ctx, "Parent", bytes(m["msg"]))
            self.last_dmq_mqc_head.put(state, head)
            self.last_processed_downward.put(state, {"sent_at": messages[-1]["sent_at"], "reverse_idx": 0})
            snapshot = self.messaging_state.get(state)
            if snapshot is not None:
                snapshot["dmq_mqc_head"] = head
                self.messaging_state.put(state, snapshot)
            self.emit(ctx, "DownwardMessagesProcessed", {"weight_used": self._enqueue_dmp_weight(count),
                                                         "dmq_head": head})
        self.processed_downward.put(state, count)

    def _enqueue_dmp_weight(self, count: int) -> dict:
        base, per_message, proof = ENQUEUE_DMP_WEIGHT[self.runtime.config.network]
        limits = self.runtime.pallet("System").limits
        ref_time = base + per_message * count + limits.db_read * 3 + limits.db_write * (5 + count)
        return {"ref_time": ref_time, "proof_size": proof}

    def _enqueue_horizontal(self, ctx: Ctx, messages: list, relay_parent_number: int) -> None:
        state = ctx.state
        ordered = sorted(messages, key=lambda m: (m[1]["sent_at"], m[0]))
        heads = {sender: head for sender, head in self.last_hrmp_mqc_heads.get(state)}
        for sender, message in ordered:
            heads[sender] = dmq_mqc_link(heads.get(sender, bytes(32)), message["sent_at"], bytes(message["data"]))
        self.last_hrmp_mqc_heads.put(state, sorted([s, h] for s, h in heads.items()))
        self.runtime.pallet("XcmpQueue").handle_xcmp_messages(
            ctx, [(sender, message["sent_at"], bytes(message["data"])) for sender, message in ordered])
        watermark = max((m[1]["sent_at"] for m in ordered), default=relay_parent_number)
        self.hrmp_watermark.put(state, watermark)

    # --- UMP ---------------------------------------------------------------------------------
    def send_upward_message(self, ctx: Ctx, message: bytes) -> bytes:
        state = ctx.state
        config = self.host_configuration.get(state)
        pending = self.pending_upward_messages.get(state) + [message]
        if config is not None:
            if len(message) > config["max_upward_message_size"]:
                raise UpwardSendError("TooBig")
            if sum(len(m) for m in pending) > config["max_upward_queue_size"] // THRESHOLD_FACTOR:
                self.upward_fee_factor.put(state, increased_fee_factor(self.upward_fee_factor.get(state), len(message)))
        self.pending_upward_messages.put(state, pending)
        message_hash = blake2_256(message)
        self.emit(ctx, "UpwardMessageSent", {"message_hash": message_hash})
        return message_hash

    def call_sudo_send_upward_message(self, ctx: Ctx, origin: Origin, message: bytes) -> None:
        origin.ensure_root()
        try:
            self.send_upward_message(ctx, bytes(message))
        except UpwardSendError:
            pass        # the real call ignores the send result

    # --- channel info (GetChannelInfo) ---------------------------------------------------
    def egress_channel(self, state, recipient: int) -> dict | None:
        snapshot = self.messaging_state.get(state)
        for para_id, channel in (snapshot or {}).get("egress_channels", []):
            if para_id == recipient:
                return channel
        return None

    def fee_factor(self, state) -> int:
        return self.upward_fee_factor.get(state)


class ParachainInfo(Pallet):
    """staging_parachain_info (index 4): the para id, read by clients as parachainInfo.parachainId."""

    NAME = "ParachainInfo"

    def declare(self) -> None:
        r = self.reg
        tt = declare_transport_types(r)
        self.parachain_id = self.item("ParachainId", tt.para_id, default=100)   # the pallet's default: 100
        self.calls = r.variant("staging_parachain_info::pallet::Call", [], params=[("T", None)])

    def genesis(self, ctx: Ctx, config: dict) -> None:
        self.parachain_id.put(ctx.state, self.runtime.config.para_id)


def _btree_map(r, key: int, value: int) -> int:
    return r.composite("BTreeMap", [(None, r.seq(r.tuple(key, value)))], params=[("K", key), ("V", value)])
