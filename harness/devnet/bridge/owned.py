"""What every bridge pallet shares: an owner, an operating mode, and errors with a payload.

S bridges/primitives/runtime/src/lib.rs OwnedBridgeModule: root or the PalletOwner may change the
owner and the operating mode; a Halted pallet refuses its calls with BridgeModule(Halted).
"""
from __future__ import annotations

from typing import Any

from ..runtime.frame import Ctx, DispatchError, Origin, Pallet, StorageItem


class OwnedBridgePallet(Pallet):
    """Subclasses declare `self.owner` and `self.operating_mode` items and a BridgeModule error."""

    owner: StorageItem
    operating_mode: StorageItem
    HALTED: Any = "Halted"          # the operating mode value that halts the pallet

    def nested_error(self, name: str, inner_index: int) -> DispatchError:
        """A module error whose variant carries a unit enum: the inner index is the second byte."""
        variant = self.reg.variant_of(self.errors, name)
        return DispatchError({"Module": {"index": self.index, "error": bytes([variant.index, inner_index, 0, 0])}},
                             f"{self.NAME}.{name}")

    def ensure_owner_or_root(self, ctx: Ctx, origin: Origin) -> None:
        if origin.kind == "root":
            return
        if origin.kind == "signed" and origin.account == self.owner.get(ctx.state):
            return
        raise DispatchError.simple("BadOrigin")

    def ensure_not_halted(self, ctx: Ctx) -> None:
        if self.operating_mode.get(ctx.state) == self.HALTED:
            raise self.nested_error("BridgeModule", 0)   # OwnedBridgeModuleError::Halted

    def call_set_owner(self, ctx: Ctx, origin: Origin, new_owner: bytes | None) -> None:
        self.ensure_owner_or_root(ctx, origin)
        if new_owner is None:
            self.owner.remove(ctx.state)
        else:
            self.owner.put(ctx.state, new_owner)

    def call_set_operating_mode(self, ctx: Ctx, origin: Origin, operating_mode: Any) -> None:
        self.ensure_owner_or_root(ctx, origin)
        self.operating_mode.put(ctx.state, operating_mode)
