"""XcmRouter: where a chain's outgoing XCM goes, what delivering it costs, and its message id.

The live routers (relay/*/src/xcm_config.rs, asset-hub-*/src/xcm_config.rs) are
  relays:      WithUniqueTopic<ChildParachainRouter<Runtime, XcmPallet, ExponentialPrice<.., Dmp>>>
  Asset Hubs:  WithUniqueTopic<(ParentAsUmp<ParachainSystem, PolkadotXcm, ExponentialPrice<.., ParachainSystem>>,
                                XcmpQueue /* PriceForSiblingDelivery = ExponentialPrice<.., XcmpQueue> */, ..)>
Sources (polkadot-sdk): xcm-builder/src/routing.rs WithUniqueTopic (append SetTopic(unique(&msg))
unless the message already ends with one; the topic is the message id), frame_system::unique
(blake2_256(("frame_system::unique", entropy, last intrablock entropy)), stored back),
runtime/common/src/xcm_sender.rs (ChildParachainRouter for (0, [Parachain(id)]); ExponentialPrice:
factor * (base + encoded_len(Xcm<()>) * byte_fee), priced on the message with its SetTopic, before
version wrapping), cumulus primitives/utility ParentAsUmp (destination (1, Here)), xcmp-queue's
SendXcm ((1, [Parachain(id)])). The Ticket/validate-then-deliver split is SendXcm's: the executor
and pallet-xcm charge the fees between the two.

Fee parameters: BaseDeliveryFee / ToParentBaseDeliveryFee / ToSiblingBaseDeliveryFee = 3 CENTS,
byte fee = TransactionByteFee (relay: 10 MILLICENTS; Kusama Asset Hub: MILLICENTS; Polkadot Asset
Hub: MILLICENTS / 2), CENTS/MILLICENTS from relay/*/constants and system-parachains/constants.
The fee asset is the relay token: Here on a relay, (1, Here) on an Asset Hub.

Bridged destinations (outside our global consensus, locations.ensure_is_remote) go to the Asset
Hub's bridge router, ToPolkadotXcmRouter / ToKusamaXcmRouter (runtime.bridge_router, bridge/router.py),
after WithUniqueTopic (F asset-hub-*/src/xcm_config.rs XcmRouter: WithUniqueTopic<(.., ToXXXXcmRouter)>);
it prices and queues the XCMP hop to the Bridge Hub through this router.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..hashing import blake2_256
from ..runtime.frame import Ctx
from ..runtime.system import INTRABLOCK_ENTROPY_KEY
from . import locations as L
from .locations import CODEC, XCM_TYPES, location, unpack
from .parachain_system import UpwardSendError
from .executor import SendFailure
from .relay_parachains import DmpError
from .transport import RELAY, fixed_mul_int, para
from .versions import VersionError
from .xcmp_queue import XcmpSendError


@dataclass(frozen=True)
class DeliveryPrice:
    """ExponentialPrice<FeeAssetId, BaseFee, ByteFee, FeeTracker>."""

    fee_asset: dict
    base_fee: int
    byte_fee: int

    def price(self, factor: int, encoded_len: int) -> dict:
        amount = fixed_mul_int(factor, self.base_fee + encoded_len * self.byte_fee)
        return {"id": self.fee_asset, "fun": {"Fungible": amount}}


# (network, is_relay) -> price; the same parameters serve UMP and XCMP on the Asset Hubs.
KSM_CENTS, KSM_MILLICENTS = 333_333_333, 333_333          # UNITS 10^12, QUID = UNITS/30, CENTS = QUID/100
DOT_CENTS, DOT_MILLICENTS = 100_000_000, 100_000          # UNITS 10^10, CENTS = UNITS/100
PRICES = {
    ("Kusama", True): DeliveryPrice(location(0), 3 * KSM_CENTS, 10 * KSM_MILLICENTS),
    ("Polkadot", True): DeliveryPrice(location(0), 3 * DOT_CENTS, 10 * DOT_MILLICENTS),
    ("Kusama", False): DeliveryPrice(location(1), 3 * KSM_CENTS, KSM_MILLICENTS),
    ("Polkadot", False): DeliveryPrice(location(1), 3 * DOT_CENTS, DOT_MILLICENTS // 2),
}


@dataclass(frozen=True)
class Ticket:
    """A validated message: delivering it cannot fail for the reasons validate checks."""

    kind: str                 # "ump" | "dmp" | "hrmp" | "bridge"
    destination: Any          # RELAY or ("para", id); the remote location for "bridge"
    data: Any                 # the VersionedXcm bytes, in the destination's version; the bridge router's ticket
    message_id: bytes         # the SetTopic


@dataclass(frozen=True)
class SendReceipt:
    message_id: bytes
    delivery_fees: list[dict]


def encoded_xcm_len(message: list) -> int:
    return len(CODEC.encode(XCM_TYPES.v5.xcm_unit, message))


def unique(ctx: Ctx, entropy: bytes) -> bytes:
    """frame_system::unique: a fresh id from the block's intrablock entropy."""
    last = (ctx.state.get(INTRABLOCK_ENTROPY_KEY) or bytes(32))[:32].ljust(32, b"\0")
    nxt = blake2_256(b"frame_system::unique" + entropy + last)
    ctx.state.set(INTRABLOCK_ENTROPY_KEY, nxt)
    return nxt


class XcmRouter:
    def __init__(self, runtime):
        self.runtime = runtime
        self.config = runtime.config
        self.prices = PRICES[(self.config.network, self.config.is_relay)]

    @property
    def universal(self) -> list:
        """The chain's UniversalLocation: its global consensus, then its para id."""
        para = [] if self.config.is_relay else [{"Parachain": self.config.para_id}]
        return [{"GlobalConsensus": self.config.network}] + para

    # --- SendXcm::validate ----------------------------------------------------------------
    def validate(self, ctx: Ctx, dest: dict, message: list) -> tuple[Ticket, list[dict]]:
        """WithUniqueTopic then the first inner router that applies; raises SendFailure with the
        SendError variant name (NotApplicable when no inner router takes the destination)."""
        message = list(message)
        last = message[-1] if message else None
        if isinstance(last, dict) and "SetTopic" in last:
            topic = bytes(last["SetTopic"])
        else:
            topic = unique(ctx, CODEC.encode(XCM_TYPES.v5.xcm_unit, message))
            message.append({"SetTopic": topic})
        bridge = self.runtime.bridge_router
        if bridge is not None and L.ensure_is_remote(self.universal, dest) is not None:
            ticket, fees = bridge.validate(ctx, dest, message)     # raises SendFailure like the others
            return Ticket("bridge", dest, ticket, topic), fees
        kind, destination = self._route(dest)
        state = ctx.state
        if kind == "dmp":
            factor = self.runtime.pallet("Dmp").fee_factor(state, destination[1])
        elif kind == "ump":
            factor = self.runtime.pallet("ParachainSystem").fee_factor(state)
        else:
            factor = self.runtime.pallet("XcmpQueue").fee_factor(state, destination[1])
        fees = [self.prices.price(factor, encoded_xcm_len(message))]
        data = self._encode_for(ctx, dest, message)
        if kind == "dmp":
            try:
                self.runtime.pallet("Dmp").can_queue(state, destination[1], data)
            except DmpError:
                raise SendFailure("ExceedsMaxMessageSize") from None
        return Ticket(kind, destination, data, topic), fees

    def _route(self, dest: dict) -> tuple[str, tuple]:
        parents, items = unpack(dest)
        if self.config.is_relay:
            if parents == 0 and len(items) == 1 and "Parachain" in _as_dict(items[0]):
                return "dmp", para(items[0]["Parachain"])
        else:
            if parents == 1 and not items:
                return "ump", RELAY
            if parents == 1 and len(items) == 1 and "Parachain" in _as_dict(items[0]):
                return "hrmp", para(items[0]["Parachain"])
        raise SendFailure("NotApplicable")

    def _encode_for(self, ctx: Ctx, dest: dict, message: list) -> bytes:
        """W::wrap_version: the message in the version the destination is known to speak."""
        xcm_pallet = self.runtime.by_name.get("XcmPallet" if self.config.is_relay else "PolkadotXcm")
        wrap = getattr(xcm_pallet, "wrap_version", None)
        # a runtime without pallet-xcm (a unit test's) sends V5, what current runtimes speak
        try:
            versioned = wrap(ctx, dest, message)[1] if wrap else {"V5": message}
        except VersionError:
            raise SendFailure("DestinationUnsupported") from None     # WrapVersion failed
        return CODEC.encode(XCM_TYPES.versioned_xcm_unit, versioned)

    # --- SendXcm::deliver -----------------------------------------------------------------
    def deliver(self, ctx: Ctx, ticket: Ticket) -> bytes:
        """Queue the bytes on the transport's pallet; returns the message id (the topic)."""
        if ticket.kind == "bridge":
            self.runtime.bridge_router.deliver(ctx, ticket.data)
            return ticket.message_id
        try:
            if ticket.kind == "dmp":
                self.runtime.pallet("Dmp").queue_downward_message(ctx, ticket.destination[1], ticket.data)
            elif ticket.kind == "ump":
                self.runtime.pallet("ParachainSystem").send_upward_message(ctx, ticket.data)
            else:
                self.runtime.pallet("XcmpQueue").deliver(ctx, ticket.destination[1], ticket.data)
        except UpwardSendError:
            raise SendFailure("ExceedsMaxMessageSize") from None
        except (DmpError, XcmpSendError):
            raise SendFailure("Transport") from None
        return ticket.message_id

    def delivery_fees(self, ctx: Ctx, dest: dict, message: list) -> list[dict]:
        """validate_send's price (what the executor and pallet-xcm charge before delivering)."""
        return self.validate(ctx, dest, message)[1]

    def send(self, ctx: Ctx, dest: dict, message: list) -> SendReceipt:
        """validate + deliver (send_xcm), for callers that pay no fees in between."""
        ticket, fees = self.validate(ctx, dest, message)
        return SendReceipt(self.deliver(ctx, ticket), fees)


def _as_dict(junction: Any) -> dict:
    return junction if isinstance(junction, dict) else {}
