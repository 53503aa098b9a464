"""The Asset Hub bridge router: destinations, delivery fee, congestion and the fee factor."""
from __future__ import annotations

import pytest

from harness.devnet.bridge import fixed
from harness.devnet.bridge.constants import FIXED_ONE, HARD_MESSAGE_SIZE_LIMIT, KUSAMA, ROUTER_INDEX
from harness.devnet.bridge.router import (SIBLING_BRIDGE_HUB, decreased_factor, delivery_fee, increased_factor,
                                         router_pallet)
from harness.devnet.runtime.frame import DispatchError, Origin, Pallet, State
from harness.devnet.runtime.runtime import ChainConfig, Runtime
from harness.devnet.runtime.system import System
from harness.devnet.types.xcm import declare_xcm
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.executor import SendFailure
from harness.devnet.xcm.locations import CODEC, XCM_TYPES

REMOTE_AH = L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}])
TOPIC = b"\x07" * 32
PROGRAM = ["ClearOrigin", {"SetTopic": TOPIC}]
XCMP_FEE = {"id": L.location(1), "fun": {"Fungible": 1_000}}


class PolkadotXcmVersions(Pallet):
    """Just pallet-xcm's SupportedVersion, the router's DestinationVersion."""

    NAME = "PolkadotXcm"

    def declare(self) -> None:
        t = self.t
        vloc = declare_xcm(self.reg, self.runtime.call_enum).versioned_location
        self.supported_version = self.item("SupportedVersion", t.u32, (t.u32, vloc), ("Twox64Concat", "Blake2_128Concat"),
                                           optional=True)


class FakeSender:
    def __init__(self):
        self.delivered = []

    def validate(self, ctx, dest, message):
        return (dest, message), [XCMP_FEE]

    def deliver(self, ctx, ticket):
        self.delivered.append(ticket)
        return ticket[1][-1]["SetTopic"]


@pytest.fixture
def ah():
    config = ChainConfig("kusama-asset-hub", "Kusama Asset Hub", "statemine", "asset_hub_kusama_runtime", 2_003_000,
                         15, 2, 12, "KSM", "Kusama", para_id=1000)
    runtime = Runtime(config, [(System, 0), (PolkadotXcmVersions, 31), (router_pallet(KUSAMA), ROUTER_INDEX)], False)
    router = runtime.pallet("ToPolkadotXcmRouter")
    router.sender = FakeSender()
    router.congested = False
    router.channel_congested = lambda ctx, location: router.congested
    ctx = runtime.new_ctx(State(), 1)
    runtime.pallet("PolkadotXcm").supported_version.put(ctx.state, 5, {"V5": REMOTE_AH}, 5)
    return runtime, router, ctx


def events(runtime, ctx) -> list:
    return [r["event"]["ToPolkadotXcmRouter"] for r in runtime.pallet("System").events_item.get(ctx.state)
            if "ToPolkadotXcmRouter" in r["event"]]


def test_router_pallet_metadata_shape(ah):
    runtime, router, _ = ah
    assert (router.NAME, router.index) == ("ToPolkadotXcmRouter", 34)
    assert router.errors is None and router.constants == []
    assert [s.name for s in router.storage] == ["Bridge"]
    assert router.bridge.get(State()) == {"delivery_fee_factor": FIXED_ONE, "is_congested": False}


def test_fee_is_factor_times_base_plus_bytes(ah):
    runtime, router, ctx = ah
    ticket, fees = router.validate(ctx, REMOTE_AH, PROGRAM)
    size = len(CODEC.encode(XCM_TYPES.v5.xcm_unit, PROGRAM))
    assert ticket.message_size == size
    expected = KUSAMA.router_base_fee + size * KUSAMA.router_byte_fee
    assert fees == [{"id": L.location(1), "fun": {"Fungible": 1_000 + expected}}]   # merged with the XCMP fee
    assert delivery_fee(FIXED_ONE * 3 // 2, 100, 10, 5) == 225
    dest, wrapped = ticket.inner
    assert dest == SIBLING_BRIDGE_HUB
    assert [L.junction_kind(i) for i in wrapped] == ["UnpaidExecution", "ExportMessage", "SetTopic"]
    assert wrapped[1]["ExportMessage"]["network"] == "Polkadot"


@pytest.mark.parametrize("dest", [
    L.location(2, [{"GlobalConsensus": "Polkadot"}, {"Parachain": 2000}]),   # not the remote Asset Hub
    L.location(2, [{"GlobalConsensus": "Kusama"}, {"Parachain": 1000}]),     # our own consensus
    L.parachain(1000, parents=1),                                          # local
])
def test_only_the_remote_asset_hub_is_routed(ah, dest):
    _, router, ctx = ah
    with pytest.raises(SendFailure, match="NotApplicable"):
        router.validate(ctx, dest, PROGRAM)


def test_oversized_messages_and_unknown_versions_are_refused(ah):
    runtime, router, ctx = ah
    big = [{"SetTopic": TOPIC}] * (HARD_MESSAGE_SIZE_LIMIT // 33 + 1)
    with pytest.raises(SendFailure, match="ExceedsMaxMessageSize"):
        router.validate(ctx, REMOTE_AH, big)
    runtime.pallet("PolkadotXcm").supported_version.remove(ctx.state, 5, {"V5": REMOTE_AH})
    with pytest.raises(SendFailure, match="DestinationUnsupported"):
        router.validate(ctx, REMOTE_AH, PROGRAM)


def test_congestion_raises_the_factor_and_idle_blocks_lower_it(ah):
    runtime, router, ctx = ah
    ticket, _ = router.validate(ctx, REMOTE_AH, PROGRAM)
    router.deliver(ctx, ticket)
    assert events(runtime, ctx) == [] and router.bridge.get(ctx.state)["delivery_fee_factor"] == FIXED_ONE
    router.congested = True
    router.deliver(ctx, ticket)
    raised = router.bridge.get(ctx.state)["delivery_fee_factor"]
    assert raised == FIXED_ONE * 105 // 100
    assert events(runtime, ctx) == [{"DeliveryFeeFactorIncreased": {"new_value": raised}}]
    router.on_initialize(ctx)                                 # still congested: unchanged
    assert router.bridge.get(ctx.state)["delivery_fee_factor"] == raised
    router.congested = False
    router.on_initialize(ctx)
    assert router.bridge.get(ctx.state)["delivery_fee_factor"] == FIXED_ONE
    assert events(runtime, ctx)[-1] == {"DeliveryFeeFactorDecreased": {"new_value": FIXED_ONE}}
    router.on_initialize(ctx)                                 # at the minimum: no event
    assert len(events(runtime, ctx)) == 2


def test_factor_arithmetic():
    assert increased_factor(FIXED_ONE, 2048) == FIXED_ONE * 1052 // 1000   # 1.05 + 2 KiB * 0.001
    assert decreased_factor(FIXED_ONE * 105 // 100) == FIXED_ONE
    assert decreased_factor(FIXED_ONE) == FIXED_ONE
    assert fixed.div(2 * FIXED_ONE, 3 * FIXED_ONE) == 666_666_666_666_666_667    # nearest
    assert fixed.mul_int(FIXED_ONE * 2 // 3, 10) == 6                          # floored


def test_bridge_hub_reports_congestion(ah):
    runtime, router, ctx = ah
    call = {"ToPolkadotXcmRouter": {"report_bridge_status": {"bridge_id": b"\x01" * 32, "is_congested": True}}}
    with pytest.raises(DispatchError, match="BadOrigin"):
        runtime.dispatch(ctx, Origin.signed(b"\x05" * 32), call)
    with pytest.raises(DispatchError, match="BadOrigin"):
        runtime.dispatch(ctx, Origin("xcm", location=L.parachain(2000, parents=1)), call)
    runtime.dispatch(ctx, Origin("xcm", location=SIBLING_BRIDGE_HUB), call)
    assert router.bridge.get(ctx.state)["is_congested"] is True
    ticket, _ = router.validate(ctx, REMOTE_AH, PROGRAM)
    router.deliver(ctx, ticket)                               # a congested bridge raises the factor too
    assert router.bridge.get(ctx.state)["delivery_fee_factor"] > FIXED_ONE
