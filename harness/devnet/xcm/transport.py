"""How XCM bytes travel between the devnet's chains: the outbox, the inbox, and the wire types.

Each Runtime gets `xcm_outbox` (messages its blocks sent, not yet handed over) and `xcm_inbox`
(messages handed to it, not yet put into a block). Nothing is sent while a block is being built:
like a collator and a relay validator, the transport reads what a finished block left in state.

Orchestrator contract (one network of chains built in one process):

1. After a chain imports a block, call `record_block(runtime, block_state, block_number)`. It reads
   the messages the block queued (an Asset Hub's ParachainSystem.UpwardMessages and
   HrmpOutboundMessages; a relay's Dmp.DownwardMessageQueues entries sent at that block) and
   appends one OutboundMessage per XCM to `runtime.xcm_outbox`.
2. `drain_outbox(runtime)` returns and clears them. Map each message's `destination` to a chain:
   ("relay",) from a parachain is its relay; ("para", id) from a relay is that relay's child
   para; ("para", id) from a parachain is the sibling with that id on the same relay. A message
   for a chain that does not exist in the network is dropped (log it).
3. `deliver(target_runtime, message.inbound())` queues it in the target's `xcm_inbox`.
4. Build a block on every chain whose inbox is not empty: the message is received in that block
   (an Asset Hub's set_validation_data inherent, a relay's inclusion step) and executed by
   MessageQueue in the same block (on_idle). Repeat 1-4 until no outbox and no inbox holds
   anything; a transfer that answers back (e.g. a relay -> Asset Hub -> relay round trip) needs
   several rounds. Block order between chains does not matter, only that a message is delivered
   after the block that sent it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..hashing import blake2_256
from ..runtime.frame import State
from ..scale import ScaleError, TypeRegistry
from .locations import CODEC, XCM_TYPES

if TYPE_CHECKING:
    from ..runtime.runtime import Runtime

RELAY = ("relay",)

# cumulus_primitives_core::XcmpMessageFormat: the first byte of every HRMP page
XCMP_CONCATENATED_VERSIONED_XCM = 0


def para(para_id: int) -> tuple[str, int]:
    return ("para", para_id)


@dataclass(frozen=True)
class InboundMessage:
    """One XCM as the receiving chain gets it. kind: "dmp" (from the relay), "ump" (from a child
    para) or "hrmp" (from a sibling); sender: RELAY or ("para", id); sent_at: the sender's block."""

    kind: str
    sender: tuple
    data: bytes
    sent_at: int


@dataclass(frozen=True)
class OutboundMessage:
    """One XCM a block sent: data is the VersionedXcm as queued (already in the destination's
    version); message_id is its trailing SetTopic (what pallet-xcm's Sent and the receiver's
    MessageQueue.Processed report) or blake2_256(data) when it has none."""

    origin: str              # the sending chain's name (ChainConfig.name)
    sender: tuple            # RELAY or ("para", id): who the sender is to the receiver
    destination: tuple       # RELAY or ("para", id)
    kind: str                # "ump" | "dmp" | "hrmp"
    data: bytes
    message_id: bytes
    sent_at: int

    def inbound(self) -> InboundMessage:
        return InboundMessage(self.kind, self.sender, self.data, self.sent_at)


def message_id(data: bytes) -> bytes:
    """The trailing SetTopic of a VersionedXcm, else the hash MessageQueue starts from."""
    try:
        versioned = CODEC.decode(XCM_TYPES.versioned_xcm_unit, data)
    except ScaleError:
        return blake2_256(data)
    (_, program), = versioned.items()
    last = program[-1] if program else None
    if isinstance(last, dict) and "SetTopic" in last:
        return bytes(last["SetTopic"])
    return blake2_256(data)


def split_versioned_xcms(payload: bytes) -> list[bytes]:
    """Cut concatenated VersionedXcm encodings (an HRMP page after its format byte) apart."""
    out, offset = [], 0
    while offset < len(payload):
        _, end = CODEC.decode_at(XCM_TYPES.versioned_xcm_unit, payload, offset)
        out.append(payload[offset:end])
        offset = end
    return out


def record_block(runtime: "Runtime", state: Any, block_number: int) -> list[OutboundMessage]:
    """Append the XCMs block `block_number` sent (read from its final state) to the outbox."""
    sent = outbound_messages(runtime, state, block_number)
    runtime.xcm_outbox.extend(sent)
    return sent


def drain_outbox(runtime: "Runtime") -> list[OutboundMessage]:
    out = list(runtime.xcm_outbox)
    runtime.xcm_outbox.clear()
    return out


def deliver(runtime: "Runtime", message: InboundMessage) -> None:
    """Queue a message for the receiving chain's next block."""
    runtime.xcm_inbox.append(message)


def take_inbox(runtime: "Runtime", kinds: tuple[str, ...]) -> list[InboundMessage]:
    """Remove and return the queued messages of the given kinds, in delivery order."""
    taken = [m for m in runtime.xcm_inbox if m.kind in kinds]
    runtime.xcm_inbox[:] = [m for m in runtime.xcm_inbox if m.kind not in kinds]
    return taken


def outbound_messages(runtime: "Runtime", state: Any, block_number: int) -> list[OutboundMessage]:
    view = state if isinstance(state, State) else State(dict(state))
    name = runtime.config.name
    out: list[OutboundMessage] = []
    if runtime.config.is_relay:
        dmp = runtime.pallet("Dmp")
        for para_id, queue in dmp.downward_message_queues.entries(view):
            for msg in queue:
                if msg["sent_at"] == block_number:
                    out.append(OutboundMessage(name, RELAY, para(para_id), "dmp", bytes(msg["msg"]),
                                               message_id(bytes(msg["msg"])), block_number))
        return out
    me = para(runtime.config.para_id)
    system = runtime.pallet("ParachainSystem")
    for data in system.upward_messages.get(view):
        out.append(OutboundMessage(name, me, RELAY, "ump", bytes(data), message_id(bytes(data)), block_number))
    for page in system.hrmp_outbound_messages.get(view):
        data = bytes(page["data"])
        if not data or data[0] != XCMP_CONCATENATED_VERSIONED_XCM:
            continue    # signal pages steer channels, they carry no XCM
        for xcm in split_versioned_xcms(data[1:]):
            out.append(OutboundMessage(name, me, para(page["recipient"]), "hrmp", xcm, message_id(xcm),
                                       block_number))
    return out


def inspect_message_queues(runtime: "Runtime", state: Any) -> list[tuple[dict, list[dict]]]:
    """InspectMessageQueues::get_messages (what DryRunApi reports as forwarded_xcms): each queued
    destination as a V5 location with its VersionedXcm values. Relays list the DMP queues; Asset
    Hubs the pending upward messages and the XCMP pages (xcm_sender.rs, parachain-system and
    xcmp-queue lib.rs)."""
    view = state if isinstance(state, State) else State(dict(state))

    def decode(data: bytes) -> dict:
        return CODEC.decode(XCM_TYPES.versioned_xcm_unit, bytes(data))

    if runtime.config.is_relay:
        return [({"parents": 0, "interior": {"X1": [{"Parachain": para_id}]}}, [decode(m["msg"]) for m in queue])
                for para_id, queue in runtime.pallet("Dmp").downward_message_queues.entries(view) if queue]
    out = []
    pending = runtime.pallet("ParachainSystem").pending_upward_messages.get(view)
    if pending:
        out.append(({"parents": 1, "interior": "Here"}, [decode(m) for m in pending]))
    xcmp = runtime.pallet("XcmpQueue")
    for status in xcmp.outbound_status.get(view):
        para_id = status["recipient"]
        messages = []
        for index in range(status["first_index"], status["last_index"]):
            page = bytes(xcmp.outbound_messages.get(view, para_id, index))
            if page[:1] == bytes([XCMP_CONCATENATED_VERSIONED_XCM]):
                messages += [decode(m) for m in split_versioned_xcms(page[1:])]
        if messages:
            out.append(({"parents": 1, "interior": {"X1": [{"Parachain": para_id}]}}, messages))
    return out


@dataclass(frozen=True)
class TransportTypes:
    """polkadot_parachain_primitives / polkadot_core_primitives types the messaging pallets share."""

    para_id: int
    fixed_u128: int
    head_data: int
    inbound_downward: int      # InboundDownwardMessage<u32>
    inbound_hrmp: int          # InboundHrmpMessage<u32>
    outbound_hrmp: int         # OutboundHrmpMessage<ParaId>
    hrmp_channel_id: int


def declare_transport_types(reg: TypeRegistry) -> TransportTypes:
    """Paths as in the live runtimes' metadata (Polkadot / Asset Hub 2_000_000)."""
    u8, u32, u128 = reg.prim("u8"), reg.prim("u32"), reg.prim("u128")
    raw = reg.seq(u8)
    para_id = reg.composite("polkadot_parachain_primitives::primitives::Id", [(None, u32, "u32")])
    return TransportTypes(
        para_id=para_id,
        fixed_u128=reg.composite("sp_arithmetic::fixed_point::FixedU128", [(None, u128, "u128")]),
        head_data=reg.composite("polkadot_parachain_primitives::primitives::HeadData", [(None, raw, "Vec<u8>")]),
        inbound_downward=reg.composite("polkadot_core_primitives::InboundDownwardMessage", [
            ("sent_at", u32, "BlockNumber"), ("msg", raw, "DownwardMessage")], params=[("BlockNumber", u32)]),
        inbound_hrmp=reg.composite("polkadot_core_primitives::InboundHrmpMessage", [
            ("sent_at", u32, "BlockNumber"), ("data", raw, "alloc::vec::Vec<u8>")], params=[("BlockNumber", u32)]),
        outbound_hrmp=reg.composite("polkadot_core_primitives::OutboundHrmpMessage", [
            ("recipient", para_id, "Id"), ("data", raw, "alloc::vec::Vec<u8>")], params=[("Id", para_id)]),
        hrmp_channel_id=reg.composite("polkadot_parachain_primitives::primitives::HrmpChannelId", [
            ("sender", para_id, "Id"), ("recipient", para_id, "Id")]),
    )


# --- delivery fee factors --------------------------------------------------------------------
# sp_arithmetic FixedU128 has 18 decimals. The three queues (relay Dmp, ParachainSystem for UMP,
# XcmpQueue per sibling) share the same rule (polkadot runtime/parachains/src/dmp.rs,
# cumulus parachain-system ump_constants, xcmp-queue delivery_fee_constants): past half the queue's
# capacity each message multiplies the factor by 1.05 + 0.001 * (its size in KiB); once the queue
# drains below that threshold the factor is divided by 1.05, never below one.
FIXED_ONE = 10 ** 18
EXPONENTIAL_FEE_BASE = 105 * 10 ** 16          # 1.05
MESSAGE_SIZE_FEE_BASE = 10 ** 15               # 0.001
THRESHOLD_FACTOR = 2


def _nearest_pref_down(n: int, d: int) -> int:
    q, r = divmod(n, d)
    return q + 1 if 2 * r > d else q


def fixed_mul_int(factor: int, n: int) -> int:
    """FixedU128::saturating_mul_int rounds down."""
    return factor * n // FIXED_ONE


def increased_fee_factor(factor: int, message_len: int) -> int:
    size_factor = (message_len // 1024) * MESSAGE_SIZE_FEE_BASE
    return _nearest_pref_down(factor * (EXPONENTIAL_FEE_BASE + size_factor), FIXED_ONE)


def decreased_fee_factor(factor: int) -> int:
    return max(FIXED_ONE, _nearest_pref_down(factor * FIXED_ONE, EXPONENTIAL_FEE_BASE))
