"""The relay-side parachain pallets XCM needs: Dmp (58), ParaInclusion (53) and Hrmp (60).

Sources (polkadot-sdk polkadot/runtime/parachains/src): dmp.rs (queue_downward_message: the MQC
head link blake2_256((head, sent_at, blake2_256(msg.encode()))), the queue bound
MAX_POSSIBLE_ALLOCATION / max_downward_message_size, fee factor rules, prune_dmq),
inclusion/mod.rs (receive_bounded_upward_messages: enqueue into MessageQueue with origin
Ump(Para(id)), then UpwardMessagesReceived { from, count }), hrmp.rs. Storage, call, event and
error lists and types are those of the live metadata (Polkadot 2_000_000, Kusama 1_009_002);
indices from relay/{kusama,polkadot}/src/lib.rs construct_runtime.

Emulated: DMP queueing, heads and fee factors; UMP reception. A child's candidate is "included"
in the relay block after the one that sent it a message: that block prunes the DMP queue and
enqueues the child's upward messages at the point where paras_inherent would (the relay's second
inherent, Phase::ApplyExtrinsic(1)), without a ParaInherent extrinsic. Not emulated: candidates
(no CandidateBacked/CandidateIncluded events, ParaInclusion.V1 is not declared: its BitVec fields
have no codec here), HRMP channel management (Hrmp's calls are declared, not callable).
"""
from __future__ import annotations

from ..hashing import blake2_256
from ..runtime.frame import Ctx, Pallet
from ..scale import encode_compact
from .transport import (FIXED_ONE, THRESHOLD_FACTOR, declare_transport_types, decreased_fee_factor,
                        increased_fee_factor, take_inbox)

# relay/polkadot/src/genesis_config_presets.rs default_parachains_host_configuration (the dev
# chains' configuration); MAX_CODE_SIZE / MAX_POV_SIZE from polkadot-primitives.
HOST_CONFIGURATION = {
    "max_code_size": 3 * 1024 * 1024,
    "max_head_data_size": 32 * 1024,
    "max_upward_queue_count": 8,
    "max_upward_queue_size": 1024 * 1024,
    "max_upward_message_size": 50 * 1024,
    "max_upward_message_num_per_candidate": 5,
    "hrmp_max_message_num_per_candidate": 5,
    "validation_upgrade_cooldown": 2,
    "validation_upgrade_delay": 2,
    "async_backing_params": {"max_candidate_depth": 2, "allowed_ancestry_len": 2},
}
MAX_DOWNWARD_MESSAGE_SIZE = 1024 * 1024
MAX_POSSIBLE_ALLOCATION = 32 * 1024 * 1024       # sp_core::MAX_POSSIBLE_ALLOCATION


def dmq_mqc_link(head: bytes, sent_at: int, msg: bytes) -> bytes:
    """One link of a downward (or HRMP) message queue chain."""
    return blake2_256(head + sent_at.to_bytes(4, "little") + blake2_256(encode_compact(len(msg)) + msg))


class DmpError(Exception):
    """QueueDownwardMessageError: the message cannot be queued (SendError::ExceedsMaxMessageSize)."""


class Dmp(Pallet):
    NAME = "Dmp"

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        self.downward_message_queues = self.item("DownwardMessageQueues", r.seq(tt.inbound_downward), (tt.para_id,),
                                                 ("Twox64Concat",), default=[])
        self.downward_message_queue_heads = self.item("DownwardMessageQueueHeads", t.h256, (tt.para_id,),
                                                      ("Twox64Concat",), default=bytes(32))
        self.delivery_fee_factor = self.item("DeliveryFeeFactor", tt.fixed_u128, (tt.para_id,), ("Twox64Concat",),
                                             default=FIXED_ONE)

    @staticmethod
    def max_queue_length() -> int:
        return MAX_POSSIBLE_ALLOCATION // MAX_DOWNWARD_MESSAGE_SIZE

    def can_queue(self, state, para_id: int, msg: bytes) -> None:
        if len(msg) > MAX_DOWNWARD_MESSAGE_SIZE or \
                len(self.downward_message_queues.get(state, para_id)) > self.max_queue_length():
            raise DmpError("ExceedsMaxMessageSize")

    def queue_downward_message(self, ctx: Ctx, para_id: int, msg: bytes) -> None:
        state = ctx.state
        self.can_queue(state, para_id, msg)
        head = self.downward_message_queue_heads.get(state, para_id)
        self.downward_message_queue_heads.put(state, para_id, dmq_mqc_link(head, ctx.block_number, msg))
        queue = self.downward_message_queues.get(state, para_id)
        queue.append({"sent_at": ctx.block_number, "msg": msg})
        self.downward_message_queues.put(state, para_id, queue)
        if len(queue) > self.max_queue_length() // THRESHOLD_FACTOR:
            factor = self.delivery_fee_factor.get(state, para_id)
            self.delivery_fee_factor.put(state, para_id, increased_fee_factor(factor, len(msg)))

    def prune_delivered(self, ctx: Ctx) -> None:
        """prune_dmq for every child: the transport hands a block's messages over right after it."""
        state = ctx.state
        for para_id, queue in list(self.downward_message_queues.entries(state)):
            left = [m for m in queue if m["sent_at"] >= ctx.block_number]
            if len(left) == len(queue):
                continue
            self.downward_message_queues.put(state, para_id, left)
            if len(left) <= self.max_queue_length() // THRESHOLD_FACTOR:
                factor = self.delivery_fee_factor.get(state, para_id)
                self.delivery_fee_factor.put(state, para_id, decreased_fee_factor(factor))

    def fee_factor(self, state, para_id: int) -> int:
        return self.delivery_fee_factor.get(state, para_id)


INCLUSION_ERRORS = (
    "ValidatorIndexOutOfBounds", "UnscheduledCandidate", "HeadDataTooLarge", "PrematureCodeUpgrade",
    "NewCodeTooLarge", "DisallowedRelayParent", "InvalidAssignment", "InvalidGroupIndex", "InsufficientBacking",
    "InvalidBacking", "ValidationDataHashMismatch", "IncorrectDownwardMessageHandling", "InvalidUpwardMessages",
    "HrmpWatermarkMishandling", "InvalidOutboundHrmp", "InvalidValidationCodeHash", "ParaHeadMismatch")


class ParaInclusion(Pallet):
    NAME = "ParaInclusion"

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        h256, u8, u32 = t.h256, t.u8, t.u32
        descriptor = r.composite("polkadot_primitives::vstaging::CandidateDescriptorV2", [
            ("para_id", tt.para_id, "ParaId"), ("relay_parent", h256, "H"),
            ("version", r.composite("polkadot_primitives::vstaging::InternalVersion", [(None, u8, "u8")]),
             "InternalVersion"),
            ("core_index", t.u16, "u16"), ("session_index", u32, "SessionIndex"),
            ("reserved1", r.array(u8, 25), "[u8; 25]"), ("persisted_validation_data_hash", h256, "Hash"),
            ("pov_hash", h256, "Hash"), ("erasure_root", h256, "Hash"), ("reserved2", r.array(u8, 64), "[u8; 64]"),
            ("para_head", h256, "Hash"),
            ("validation_code_hash", r.composite("polkadot_parachain_primitives::primitives::ValidationCodeHash",
                                                 [(None, h256, "Hash")]), "ValidationCodeHash"),
        ], params=[("H", h256)])
        receipt = r.composite("polkadot_primitives::vstaging::CandidateReceiptV2", [
            ("descriptor", descriptor, "CandidateDescriptorV2<H>"), ("commitments_hash", h256, "Hash")],
            params=[("H", h256)])
        core = r.composite("polkadot_primitives::v8::CoreIndex", [(None, u32, "u32")])
        group = r.composite("polkadot_primitives::v8::GroupIndex", [(None, u32, "u32")])
        backed = [(None, receipt, "CandidateReceipt<T::Hash>"), (None, tt.head_data, "HeadData"),
                  (None, core, "CoreIndex")]
        self.calls = r.variant("polkadot_runtime_parachains::inclusion::pallet::Call", [], params=[("T", None)])
        self.events = r.variant("polkadot_runtime_parachains::inclusion::pallet::Event", [
            ("CandidateBacked", 0, backed + [(None, group, "GroupIndex")]),
            ("CandidateIncluded", 1, backed + [(None, group, "GroupIndex")]),
            ("CandidateTimedOut", 2, backed),
            ("UpwardMessagesReceived", 3, [("from", tt.para_id, "ParaId"), ("count", u32, "u32")]),
        ], params=[("T", None)])
        self.errors = r.variant("polkadot_runtime_parachains::inclusion::pallet::Error",
                                [(n, i, []) for i, n in enumerate(INCLUSION_ERRORS)], params=[("T", None)])

    def create_inherent(self, ctx: Ctx, inherent_data: dict) -> None:
        """Where paras_inherent includes the children's candidates: prune the DMP queues they
        processed and enqueue their upward messages. Adds no extrinsic (ParaInherent is not emulated)."""
        self.runtime.pallet("Dmp").prune_delivered(ctx)
        queue = self.runtime.pallet("MessageQueue")
        by_para: dict[int, list[bytes]] = {}
        for message in take_inbox(self.runtime, ("ump",)):
            by_para.setdefault(message.sender[1], []).append(message.data)
        for para_id, messages in by_para.items():
            for data in messages:
                queue.enqueue(ctx, {"Ump": {"Para": para_id}}, data)
            self.emit(ctx, "UpwardMessagesReceived", {"from": para_id, "count": len(messages)})
        return None


HRMP_ERRORS = (
    "OpenHrmpChannelToSelf", "OpenHrmpChannelInvalidRecipient", "OpenHrmpChannelZeroCapacity",
    "OpenHrmpChannelCapacityExceedsLimit", "OpenHrmpChannelZeroMessageSize", "OpenHrmpChannelMessageSizeExceedsLimit",
    "OpenHrmpChannelAlreadyExists", "OpenHrmpChannelAlreadyRequested", "OpenHrmpChannelLimitExceeded",
    "AcceptHrmpChannelDoesntExist", "AcceptHrmpChannelAlreadyConfirmed", "AcceptHrmpChannelLimitExceeded",
    "CloseHrmpChannelUnauthorized", "CloseHrmpChannelDoesntExist", "CloseHrmpChannelAlreadyUnderway",
    "CancelHrmpOpenChannelUnauthorized", "OpenHrmpChannelDoesntExist", "OpenHrmpChannelAlreadyConfirmed",
    "WrongWitness", "ChannelCreationNotAuthorized")


class Hrmp(Pallet):
    """Declared for metadata and state queries; siblings' messages travel directly (transport.py)."""

    NAME = "Hrmp"

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        u32, u128, pid, cid = t.u32, t.u128, tt.para_id, tt.hrmp_channel_id
        request = r.composite("polkadot_runtime_parachains::hrmp::HrmpOpenChannelRequest", [
            ("confirmed", t.bool, "bool"), ("_age", u32, "SessionIndex"), ("sender_deposit", u128, "Balance"),
            ("max_message_size", u32, "u32"), ("max_capacity", u32, "u32"), ("max_total_size", u32, "u32")])
        channel = r.composite("polkadot_runtime_parachains::hrmp::HrmpChannel", [
            ("max_capacity", u32, "u32"), ("max_total_size", u32, "u32"), ("max_message_size", u32, "u32"),
            ("msg_count", u32, "u32"), ("total_size", u32, "u32"), ("mqc_head", r.option(t.h256), "Option<Hash>"),
            ("sender_deposit", u128, "Balance"), ("recipient_deposit", u128, "Balance")])
        by_para = (pid,), ("Twox64Concat",)
        by_channel = (cid,), ("Twox64Concat",)
        self.item("HrmpOpenChannelRequests", request, *by_channel, optional=True)
        self.item("HrmpOpenChannelRequestsList", r.seq(cid), default=[])
        self.item("HrmpOpenChannelRequestCount", u32, *by_para, default=0)
        self.item("HrmpAcceptedChannelRequestCount", u32, *by_para, default=0)
        self.item("HrmpCloseChannelRequests", t.unit, *by_channel, optional=True)
        self.item("HrmpCloseChannelRequestsList", r.seq(cid), default=[])
        self.item("HrmpWatermarks", u32, *by_para, optional=True)
        self.hrmp_channels = self.item("HrmpChannels", channel, *by_channel, optional=True)
        self.ingress_index = self.item("HrmpIngressChannelsIndex", r.seq(pid), *by_para, default=[])
        self.egress_index = self.item("HrmpEgressChannelsIndex", r.seq(pid), *by_para, default=[])
        self.item("HrmpChannelContents", r.seq(tt.inbound_hrmp), *by_channel, default=[])
        self.item("HrmpChannelDigests", r.seq(r.tuple(u32, r.seq(pid))), *by_para, default=[])

        sender_recipient = [("sender", pid, "ParaId"), ("recipient", pid, "ParaId")]
        proposed = sender_recipient + [("proposed_max_capacity", u32, "u32"), ("proposed_max_message_size", u32, "u32")]
        self.calls = r.variant("polkadot_runtime_parachains::hrmp::pallet::Call", [
            ("hrmp_init_open_channel", 0, [("recipient", pid, "ParaId"), ("proposed_max_capacity", u32, "u32"),
                                           ("proposed_max_message_size", u32, "u32")]),
            ("hrmp_accept_open_channel", 1, [("sender", pid, "ParaId")]),
            ("hrmp_close_channel", 2, [("channel_id", cid, "HrmpChannelId")]),
            ("force_clean_hrmp", 3, [("para", pid, "ParaId"), ("num_inbound", u32, "u32"),
                                     ("num_outbound", u32, "u32")]),
            ("force_process_hrmp_open", 4, [("channels", u32, "u32")]),
            ("force_process_hrmp_close", 5, [("channels", u32, "u32")]),
            ("hrmp_cancel_open_request", 6, [("channel_id", cid, "HrmpChannelId"), ("open_requests", u32, "u32")]),
            ("force_open_hrmp_channel", 7, sender_recipient + [("max_capacity", u32, "u32"),
                                                               ("max_message_size", u32, "u32")]),
            ("establish_system_channel", 8, sender_recipient),
            ("poke_channel_deposits", 9, sender_recipient),
            ("establish_channel_with_system", 10, [("target_system_chain", pid, "ParaId")]),
        ], params=[("T", None)])
        self.events = r.variant("polkadot_runtime_parachains::hrmp::pallet::Event", [
            ("OpenChannelRequested", 0, proposed),
            ("OpenChannelCanceled", 1, [("by_parachain", pid, "ParaId"), ("channel_id", cid, "HrmpChannelId")]),
            ("OpenChannelAccepted", 2, sender_recipient),
            ("ChannelClosed", 3, [("by_parachain", pid, "ParaId"), ("channel_id", cid, "HrmpChannelId")]),
            ("HrmpChannelForceOpened", 4, proposed),
            ("HrmpSystemChannelOpened", 5, proposed),
            ("OpenChannelDepositsUpdated", 6, sender_recipient),
        ], params=[("T", None)])
        self.errors = r.variant("polkadot_runtime_parachains::hrmp::pallet::Error",
                                [(n, i, []) for i, n in enumerate(HRMP_ERRORS)], params=[("T", None)])
