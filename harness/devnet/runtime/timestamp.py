"""pallet_timestamp: the `set` inherent, Now and DidUpdate.

Source: polkadot-sdk substrate/frame/timestamp/src/lib.rs. MinimumPeriod: relays
`SLOT_DURATION / 2` = 3000 (relay/*/src/lib.rs), Asset Hubs `ConstU64<0>`
(asset-hub-*/src/lib.rs); runtimes/parts.py passes it in.
"""
from __future__ import annotations

from .frame import Ctx, DispatchError, Origin, Pallet


class Timestamp(Pallet):
    NAME = "Timestamp"
    MINIMUM_PERIOD = 0    # set per chain by runtimes/parts.py
    DISPATCH_CLASSES = {"set": "Mandatory"}

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.now = self.item("Now", t.u64, default=0)
        self.did_update = self.item("DidUpdate", t.bool, default=False)
        self.calls = r.variant("pallet_timestamp::pallet::Call", [
            ("set", 0, [("now", r.compact(t.u64), "T::Moment")])], params=[("T", None)])
        self.minimum_period = self.constant("MinimumPeriod", t.u64, self.MINIMUM_PERIOD)

    def create_inherent(self, ctx: Ctx, inherent_data: dict):
        """ProvideInherent: the block's `set` from the inherent data's timestamp."""
        return {self.NAME: {"set": {"now": inherent_data["timestamp"]}}}

    def call_set(self, ctx: Ctx, origin: Origin, now: int) -> None:
        if origin.kind != "none":
            raise DispatchError.simple("BadOrigin")
        if self.did_update.get(ctx.state):
            raise RuntimeError("Timestamp must be updated only once in the block")
        prev = self.now.get(ctx.state)
        if prev != 0 and now < prev + self.minimum_period:
            raise RuntimeError("Timestamp must increment by at least MinimumPeriod between sequential blocks")
        self.now.put(ctx.state, now)
        self.did_update.put(ctx.state, True)

    def on_finalize(self, ctx: Ctx) -> None:
        if not self.did_update.get(ctx.state):
            raise RuntimeError("Timestamp must be updated once in the block")
        self.did_update.remove(ctx.state)
