"""cumulus_pallet_xcmp_queue (index 30 on the Asset Hubs): XCM to and from sibling parachains.

Sources (polkadot-sdk cumulus/pallets/xcmp-queue/src/lib.rs): send_fragment (pages of
`XcmpMessageFormat` + concatenated VersionedXcm encodings, at most min(channel max_message_size,
MaxPageSize) bytes; the fee factor rises past half the channel's max_total_size), the SendXcm
deliver (XcmpMessageSent { message_hash: blake2_256(versioned xcm) }), take_outbound_messages
(one page per channel per block, signals first, sorted by recipient, fee factor decrease),
handle_xcmp_messages (ConcatenatedVersionedXcm pages are split and each XCM enqueued into
MessageQueue as Sibling(sender); Signals suspend/resume the outbound channel) and the controller
calls. Storage/call/event/error order, types and constants (MaxInboundSuspended 1000,
MaxActiveOutboundChannels 128, MaxPageSize 103 KiB) as in the live Asset Hub metadata.

Simplified: the inbound side never suspends a sibling (no QueueChangeHandler thresholds).
"""
from __future__ import annotations

from ..hashing import blake2_256
from ..runtime.frame import Ctx, Origin, Pallet
from ..scale import ScaleError
from .transport import (FIXED_ONE, THRESHOLD_FACTOR, XCMP_CONCATENATED_VERSIONED_XCM, declare_transport_types,
                        decreased_fee_factor, increased_fee_factor, split_versioned_xcms)

MAX_PAGE_SIZE = 103 * 1024
# S bridges/modules/xcm-bridge-hub(-router) OutXcmpChannelStatusProvider: more queued pages than
# this towards the sibling count as congestion
MAX_QUEUED_PAGES_BEFORE_DEACTIVATION = 4
MAX_ACTIVE_OUTBOUND_CHANNELS = 128
XCMP_SIGNALS = 2                      # XcmpMessageFormat::Signals
SIGNAL_SUSPEND, SIGNAL_RESUME = 0, 1  # ChannelSignal
# weights/cumulus_pallet_xcmp_queue.rs set_config_with_u32 (1 read, 1 write of InMemoryDbWeight
# 13.701us / 33.06us folded in); suspend/resume weigh DbWeight::writes(1).
_CONFIG_WEIGHT = {"Kusama": (4_730_000 + 13_701_000 + 33_060_000, 1497),
                  "Polkadot": (3_907_000 + 13_701_000 + 33_060_000, 1497)}
ERRORS = ("BadQueueConfig", "AlreadySuspended", "AlreadyResumed", "TooManyActiveOutboundChannels", "TooBig")


class XcmpSendError(Exception):
    """MessageSendError: NoChannel, TooBig, TooManyChannels (SendError::Transport on the router)."""


class XcmpQueue(Pallet):
    NAME = "XcmpQueue"
    DISPATCH_CLASSES = {name: "Operational" for name in (
        "suspend_xcm_execution", "resume_xcm_execution", "update_suspend_threshold", "update_drop_threshold",
        "update_resume_threshold")}

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        pid, u16, u32 = tt.para_id, t.u16, t.u32

        def bounded(kind: str, inner: int, field_type: int, type_name: str = "Vec<T>") -> int:
            return r.composite(f"bounded_collections::{kind}", [(None, field_type, type_name)],
                               params=[("T", inner), ("S", None)])

        para_set = r.composite("BTreeSet", [(None, r.seq(pid))], params=[("T", pid)])
        details = r.composite("cumulus_pallet_xcmp_queue::OutboundChannelDetails", [
            ("recipient", pid, "ParaId"),
            ("state", r.variant("cumulus_pallet_xcmp_queue::OutboundState", [("Ok", 0, []), ("Suspended", 1, [])]),
             "OutboundState"),
            ("signals_exist", t.bool, "bool"), ("first_index", u16, "u16"), ("last_index", u16, "u16")])
        page = bounded("weak_bounded_vec::WeakBoundedVec", t.u8, t.bytes)
        config = r.composite("cumulus_pallet_xcmp_queue::QueueConfigData", [
            ("suspend_threshold", u32, "u32"), ("drop_threshold", u32, "u32"), ("resume_threshold", u32, "u32")])
        self.inbound_suspended = self.item("InboundXcmpSuspended",
                                           bounded("bounded_btree_set::BoundedBTreeSet", pid, para_set, "BTreeSet<T>"),
                                           default=[])
        self.outbound_status = self.item("OutboundXcmpStatus",
                                         bounded("bounded_vec::BoundedVec", details, r.seq(details)), default=[])
        self.outbound_messages = self.item("OutboundXcmpMessages", page, (pid, u16),
                                           ("Blake2_128Concat", "Twox64Concat"), default=b"")
        self.signal_messages = self.item("SignalMessages", page, (pid,), ("Blake2_128Concat",), default=b"")
        self.queue_config = self.item("QueueConfig", config,
                                      default={"suspend_threshold": 32, "drop_threshold": 48, "resume_threshold": 8})
        self.queue_suspended = self.item("QueueSuspended", t.bool, default=False)
        self.delivery_fee_factor = self.item("DeliveryFeeFactor", tt.fixed_u128, (pid,), ("Twox64Concat",),
                                             default=FIXED_ONE)

        self.calls = r.variant("cumulus_pallet_xcmp_queue::pallet::Call", [
            ("suspend_xcm_execution", 1, []),
            ("resume_xcm_execution", 2, []),
            ("update_suspend_threshold", 3, [("new", u32, "u32")]),
            ("update_drop_threshold", 4, [("new", u32, "u32")]),
            ("update_resume_threshold", 5, [("new", u32, "u32")]),
        ], params=[("T", None)])
        self.events = r.variant("cumulus_pallet_xcmp_queue::pallet::Event", [
            ("XcmpMessageSent", 0, [("message_hash", r.array(t.u8, 32), "XcmHash")])], params=[("T", None)])
        self.errors = r.variant("cumulus_pallet_xcmp_queue::pallet::Error",
                                [(n, i, []) for i, n in enumerate(ERRORS)], params=[("T", None)])
        self.constant("MaxInboundSuspended", u32, 1000)
        self.constant("MaxActiveOutboundChannels", u32, MAX_ACTIVE_OUTBOUND_CHANNELS)
        self.constant("MaxPageSize", u32, MAX_PAGE_SIZE)

    def weight(self, call: str, args) -> tuple[int, int]:
        if call.startswith("update_"):
            return _CONFIG_WEIGHT[self.runtime.config.network]
        return (33_060_000, 0)

    @property
    def parachain_system(self):
        return self.runtime.pallet("ParachainSystem")

    def fee_factor(self, state, para_id: int) -> int:
        return self.delivery_fee_factor.get(state, para_id)

    # --- channel status (the bridge's congestion signals) -------------------------------------
    def outbound_congested(self, state, para_id: int) -> bool:
        """OutXcmpChannelStatusProvider::is_congested: the channel to the sibling is suspended or
        holds more than MAX_QUEUED_PAGES_BEFORE_DEACTIVATION pages."""
        status = next((s for s in self.outbound_status.get(state) if s["recipient"] == para_id), None)
        if status is None:
            return False
        pages = status["last_index"] - status["first_index"]
        return status["state"] == "Suspended" or pages > MAX_QUEUED_PAGES_BEFORE_DEACTIVATION

    def in_and_out_congested(self, state, para_id: int) -> bool:
        """InAndOutXcmpChannelStatusProvider: that, or the inbound channel from it is suspended."""
        return para_id in self.inbound_suspended.get(state) or self.outbound_congested(state, para_id)

    # --- sending -----------------------------------------------------------------------------
    def channel_limit(self, state, recipient: int) -> dict:
        channel = self.parachain_system.egress_channel(state, recipient)
        if channel is None:
            raise XcmpSendError("NoChannel")
        return channel

    def deliver(self, ctx: Ctx, recipient: int, versioned_xcm: bytes) -> bytes:
        self.send_fragment(ctx, recipient, versioned_xcm)
        message_hash = blake2_256(versioned_xcm)
        self.emit(ctx, "XcmpMessageSent", {"message_hash": message_hash})
        return message_hash

    def send_fragment(self, ctx: Ctx, recipient: int, fragment: bytes) -> int:
        """Append to the recipient's last page or open a new one; returns the number of pages."""
        state = ctx.state
        channel = self.channel_limit(state, recipient)
        max_size = min(channel["max_message_size"], MAX_PAGE_SIZE)
        if len(fragment) + 1 > max_size:
            raise XcmpSendError("TooBig")
        statuses = self.outbound_status.get(state)
        details = next((s for s in statuses if s["recipient"] == recipient), None)
        if details is None:
            if len(statuses) >= MAX_ACTIVE_OUTBOUND_CHANNELS:
                raise XcmpSendError("TooManyChannels")
            details = {"recipient": recipient, "state": "Ok", "signals_exist": False, "first_index": 0, "last_index": 0}
            statuses.append(details)
        last_size = None
        if details["last_index"] > details["first_index"]:
            page = bytes(self.outbound_messages.get(state, recipient, details["last_index"] - 1))
            if page[:1] == bytes([XCMP_CONCATENATED_VERSIONED_XCM]) and len(page) + len(fragment) <= max_size:
                self.outbound_messages.put(state, recipient, details["last_index"] - 1, page + fragment)
                last_size = len(page) + len(fragment)
        if last_size is None:
            page = bytes([XCMP_CONCATENATED_VERSIONED_XCM]) + fragment
            self.outbound_messages.put(state, recipient, details["last_index"], page)
            details["last_index"] += 1
            last_size = len(page)
        self.outbound_status.put(state, statuses)
        pages = details["last_index"] - details["first_index"]
        if (pages - 1) * max_size + last_size > channel["max_total_size"] // THRESHOLD_FACTOR:
            factor = self.delivery_fee_factor.get(state, recipient)
            self.delivery_fee_factor.put(state, recipient, increased_fee_factor(factor, len(fragment)))
        return pages

    def take_outbound_messages(self, ctx: Ctx, maximum_channels: int) -> list[tuple[int, bytes]]:
        """XcmpMessageSource: at most one page per channel, for the block's HRMP commitments."""
        state = ctx.state
        statuses = self.outbound_status.get(state)
        result: list[tuple[int, bytes]] = []
        for status in statuses:
            para_id = status["recipient"]
            channel = self.parachain_system.egress_channel(state, para_id)
            if channel is None:     # the channel closed: its queued pages are dropped
                for i in range(status["first_index"], status["last_index"]):
                    self.outbound_messages.remove(state, para_id, i)
                self.signal_messages.remove(state, para_id)
                status.update(state="Ok", signals_exist=False, first_index=0, last_index=0)
                continue
            if len(result) >= maximum_channels:
                break
            if status["signals_exist"]:
                page = bytes(self.signal_messages.get(state, para_id))
                self.signal_messages.remove(state, para_id)
                status["signals_exist"] = False
            elif status["state"] == "Suspended" or status["last_index"] <= status["first_index"]:
                continue
            else:
                page = bytes(self.outbound_messages.get(state, para_id, status["first_index"]))
                self.outbound_messages.remove(state, para_id, status["first_index"])
                status["first_index"] += 1
            if status["first_index"] == status["last_index"]:
                status["first_index"] = status["last_index"] = 0
            result.append((para_id, page))
            remaining = sum(len(self.outbound_messages.get(state, para_id, i))
                            for i in range(status["first_index"], status["last_index"]))
            if remaining <= channel["max_total_size"] // THRESHOLD_FACTOR:
                factor = self.delivery_fee_factor.get(state, para_id)
                self.delivery_fee_factor.put(state, para_id, decreased_fee_factor(factor))
        kept = [s for s in statuses if s["state"] == "Suspended" or s["signals_exist"]
                or s["first_index"] < s["last_index"]]
        self.outbound_status.put(state, kept)
        return sorted(result, key=lambda item: item[0])

    # --- receiving ---------------------------------------------------------------------------
    def handle_xcmp_messages(self, ctx: Ctx, pages: list[tuple[int, int, bytes]]) -> None:
        queue = self.runtime.pallet("MessageQueue")
        for sender, _sent_at, data in pages:
            if not data:
                continue
            fmt, body = data[0], data[1:]
            if fmt == XCMP_SIGNALS:
                for signal in body:
                    self._set_outbound_state(ctx, sender, "Suspended" if signal == SIGNAL_SUSPEND else "Ok")
            elif fmt == XCMP_CONCATENATED_VERSIONED_XCM:
                try:
                    messages = split_versioned_xcms(body)
                except ScaleError:
                    continue    # "HRMP inbound decode stream broke; page will be dropped"
                for xcm in messages:
                    queue.enqueue(ctx, {"Sibling": sender}, xcm)

    def _set_outbound_state(self, ctx: Ctx, target: int, new_state: str) -> None:
        statuses = self.outbound_status.get(ctx.state)
        for status in statuses:
            if status["recipient"] == target:
                status["state"] = new_state
                break
        else:
            if new_state == "Suspended":
                statuses.append({"recipient": target, "state": "Suspended", "signals_exist": False,
                                 "first_index": 0, "last_index": 0})
        statuses = [s for s in statuses if not (s["state"] == "Ok" and s["first_index"] == s["last_index"]
                                                 and not s["signals_exist"])]
        self.outbound_status.put(ctx.state, statuses)

    # --- calls (ControllerOrigin: Root here) ----------------------------------------------
    def call_suspend_xcm_execution(self, ctx: Ctx, origin: Origin) -> None:
        origin.ensure_root()
        if self.queue_suspended.get(ctx.state):
            raise self.error("AlreadySuspended")
        self.queue_suspended.put(ctx.state, True)

    def call_resume_xcm_execution(self, ctx: Ctx, origin: Origin) -> None:
        origin.ensure_root()
        if not self.queue_suspended.get(ctx.state):
            raise self.error("AlreadyResumed")
        self.queue_suspended.put(ctx.state, False)

    def _update_config(self, ctx: Ctx, origin: Origin, field: str, new: int) -> None:
        origin.ensure_root()
        config = {**self.queue_config.get(ctx.state), field: new}
        if not (0 < config["resume_threshold"] < config["suspend_threshold"] <= config["drop_threshold"]):
            raise self.error("BadQueueConfig")
        self.queue_config.put(ctx.state, config)

    def call_update_suspend_threshold(self, ctx: Ctx, origin: Origin, new: int) -> None:
        self._update_config(ctx, origin, "suspend_threshold", new)

    def call_update_drop_threshold(self, ctx: Ctx, origin: Origin, new: int) -> None:
        self._update_config(ctx, origin, "drop_threshold", new)

    def call_update_resume_threshold(self, ctx: Ctx, origin: Origin, new: int) -> None:
        self._update_config(ctx, origin, "resume_threshold", new)
