"""pallet_xcm_bridge_hub_router on an Asset Hub (ToPolkadotXcmRouter / ToKusamaXcmRouter, index 34).

S bridges/modules/xcm-bridge-hub-router/src/lib.rs: the Bridge storage {delivery_fee_factor,
is_congested}; on_initialize divides the factor by 1.05 (not below 1) while neither the XCM channel
to the Bridge Hub nor the bridge is congested; each message sent while one of them is congested
multiplies it by 1.05 + 0.001 per whole KiB; ExporterFor prices a message at
factor * (base_fee + encoded_len * byte_fee); SendXcm refuses messages over 32 KiB and
destinations whose XCM version is unknown (DestinationVersion = PolkadotXcm: SupportedVersion only);
report_bridge_status (call 0) is the Bridge Hub's congestion signal. Metadata: no errors, no
constants (the dedot chaintypes of the live Asset Hubs list none).
F asset-hub-*/src/lib.rs and xcm_config.rs `bridging`: UnpaidExport, the only exportable
destination is the remote Asset Hub (NetworkExportTable), the fee asset is the relay token
(1, Here), the XCMP sender is XcmpQueue to the sibling Bridge Hub (1, [Parachain(1002)]).
The price the router returns is the XCMP hop's plus the bridge fee, merged into one relay-token
asset (SovereignPaidRemoteExporter: `cost.push(bridge_payment)` on Assets); pallet-xcm charges it
to the sender (FeeManager: the treasury).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from ..xcm import locations as L
from ..xcm import versions as V
from ..xcm.executor import SendFailure
from ..xcm.locations import CODEC, XCM_TYPES
from . import fixed
from ..paras import ASSET_HUB_ID, BRIDGE_HUB_ID
from .constants import (EXPONENTIAL_FEE_BASE, HARD_MESSAGE_SIZE_LIMIT, MESSAGE_SIZE_FEE_BASE,
                        MINIMAL_DELIVERY_FEE_FACTOR, BridgeSide)
from .payload import export_wrapper
from .types import declare_bridge_types

SIBLING_BRIDGE_HUB = L.parachain(BRIDGE_HUB_ID, parents=1)
FEE_ASSET = L.location(1)
INITIAL_STATE = {"delivery_fee_factor": MINIMAL_DELIVERY_FEE_FACTOR, "is_congested": False}


def delivery_fee(factor: int, base_fee: int, byte_fee: int, encoded_len: int) -> int:
    """ExporterFor::exporter_for: fee_factor.saturating_mul_int(base + len * byte_fee)."""
    return fixed.mul_int(factor, base_fee + encoded_len * byte_fee)


def increased_factor(factor: int, message_size: int) -> int:
    """on_message_sent_to_bridge: factor * (1.05 + (size / 1024) * 0.001)."""
    total = EXPONENTIAL_FEE_BASE + fixed.mul(fixed.from_u32(message_size // 1024), MESSAGE_SIZE_FEE_BASE)
    return fixed.mul(factor, total)


def decreased_factor(factor: int) -> int:
    """on_initialize: max(1, factor / 1.05)."""
    return max(MINIMAL_DELIVERY_FEE_FACTOR, fixed.div(factor, EXPONENTIAL_FEE_BASE))


@dataclass(frozen=True)
class RouterTicket:
    message_size: int
    inner: Any            # the XCMP sender's ticket


class XcmBridgeHubRouter(Pallet):
    SIDE: BridgeSide
    # set by runtimes/asset_hub.py wire(): the XCMP sender (the XcmRouter) and the channel status provider
    # (InAndOutXcmpChannelStatusProvider towards the sibling Bridge Hub)
    sender: Any = None
    channel_congested: Callable[[Ctx, dict], bool] = staticmethod(lambda ctx, location: False)

    def declare(self) -> None:
        r, t = self.reg, self.t
        bt = declare_bridge_types(r, t, self.runtime.call_enum)
        self.bridge = self.item("Bridge", bt.router_bridge_state, default=INITIAL_STATE)
        params = [("T", None), ("I", None)]
        self.calls = r.variant("pallet_xcm_bridge_hub_router::pallet::Call", [
            ("report_bridge_status", 0, [("bridge_id", t.h256, "H256"), ("is_congested", t.bool, "bool")]),
        ], params=params)
        value = [("new_value", bt.fixed_u128, "FixedU128")]
        self.events = r.variant("pallet_xcm_bridge_hub_router::pallet::Event", [
            ("DeliveryFeeFactorDecreased", 0, value), ("DeliveryFeeFactorIncreased", 1, value),
        ], params=params)

    @property
    def universal(self) -> list:
        return [{"GlobalConsensus": self.SIDE.network}, {"Parachain": ASSET_HUB_ID}]

    def _congested(self, ctx: Ctx, state: dict) -> bool:
        return state["is_congested"] or self.channel_congested(ctx, SIBLING_BRIDGE_HUB)

    def on_initialize(self, ctx: Ctx) -> None:
        state = self.bridge.get(ctx.state)
        if self._congested(ctx, state) or state["delivery_fee_factor"] == MINIMAL_DELIVERY_FEE_FACTOR:
            return
        state["delivery_fee_factor"] = decreased_factor(state["delivery_fee_factor"])
        self.bridge.put(ctx.state, state)
        self.emit(ctx, "DeliveryFeeFactorDecreased", {"new_value": state["delivery_fee_factor"]})

    def call_report_bridge_status(self, ctx: Ctx, origin: Origin, bridge_id: bytes, is_congested: bool) -> None:
        """BridgeHubOrigin = EitherOfDiverse<EnsureRoot, EnsureXcm<Equals<SiblingBridgeHubLocation>>>."""
        from_bridge_hub = origin.kind == "xcm" and L.normalize(origin.location) == SIBLING_BRIDGE_HUB
        if origin.kind != "root" and not from_bridge_hub:
            raise DispatchError.simple("BadOrigin")
        state = self.bridge.get(ctx.state)
        state["is_congested"] = bool(is_congested)
        self.bridge.put(ctx.state, state)

    # --- SendXcm ----------------------------------------------------------------------------
    def validate(self, ctx: Ctx, dest: dict, message: list) -> tuple[RouterTicket, list[dict]]:
        """Raises SendFailure(NotApplicable) for destinations this router does not serve."""
        remote = L.ensure_is_remote(self.universal, dest)
        if remote is None:
            raise SendFailure("NotApplicable")
        network, interior = remote
        if network != self.SIDE.bridged_network or L.normalize(interior) != [{"Parachain": ASSET_HUB_ID}]:
            raise SendFailure("NotApplicable")
        size = len(CODEC.encode(XCM_TYPES.v5.xcm_unit, message))
        if size > HARD_MESSAGE_SIZE_LIMIT:
            raise SendFailure("ExceedsMaxMessageSize")
        self._ensure_destination_version(ctx, dest, message)
        state = self.bridge.get(ctx.state)
        fee = delivery_fee(state["delivery_fee_factor"], self.SIDE.router_base_fee, self.SIDE.router_byte_fee, size)
        inner, fees = self.sender.validate(ctx, SIBLING_BRIDGE_HUB, export_wrapper(network, interior, message))
        return RouterTicket(size, inner), _with_fee(fees, fee)

    def _ensure_destination_version(self, ctx: Ctx, dest: dict, message: list) -> None:
        xcm_pallet = self.runtime.by_name["PolkadotXcm"]
        version = xcm_pallet.supported_version.get(ctx.state, V.LATEST, {"V5": L.normalize(dest)})
        if version is None:
            raise SendFailure("DestinationUnsupported")
        try:
            V.from_latest(message, min(version, V.LATEST), "xcm")
        except V.VersionError:
            raise SendFailure("DestinationUnsupported") from None

    def deliver(self, ctx: Ctx, ticket: RouterTicket) -> bytes:
        message_id = self.sender.deliver(ctx, ticket.inner)
        self._on_message_sent_to_bridge(ctx, ticket.message_size)
        return message_id

    def _on_message_sent_to_bridge(self, ctx: Ctx, message_size: int) -> None:
        state = self.bridge.get(ctx.state)
        if not self._congested(ctx, state):
            return
        state["delivery_fee_factor"] = increased_factor(state["delivery_fee_factor"], message_size)
        self.bridge.put(ctx.state, state)
        self.emit(ctx, "DeliveryFeeFactorIncreased", {"new_value": state["delivery_fee_factor"]})


def _with_fee(fees: list[dict], amount: int) -> list[dict]:
    """Assets::push: the bridge fee joins the XCMP price (the same asset merges into one)."""
    if amount == 0:
        return list(fees)
    out = [dict(f) for f in fees]
    for asset in out:
        if L.normalize(asset["id"]) == FEE_ASSET and "Fungible" in asset["fun"]:
            asset["fun"] = {"Fungible": asset["fun"]["Fungible"] + amount}
            return out
    return out + [{"id": FEE_ASSET, "fun": {"Fungible": amount}}]


def router_pallet(side: BridgeSide) -> type[XcmBridgeHubRouter]:
    """ToPolkadotXcmRouter on Kusama Asset Hub, ToKusamaXcmRouter on Polkadot Asset Hub."""
    return type(side.router_name, (XcmBridgeHubRouter,), {"NAME": side.router_name, "SIDE": side})
