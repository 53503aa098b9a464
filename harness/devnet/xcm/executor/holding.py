"""The holding register: xcm-executor assets.rs AssetsInHolding."""
from __future__ import annotations

import copy
from typing import Any

from .. import locations as L
from ..builder.ordering import location_key
from ..primitives import XcmFailure, split_instruction

class Holding:
    """AssetsInHolding: fungible balances by asset id plus non-fungible (id, instance) pairs."""

    def __init__(self):
        self.fungible: dict[tuple, tuple[dict, int]] = {}       # key -> (id, amount)
        self.non_fungible: dict[tuple, tuple[dict, Any]] = {}   # key -> (id, instance)

    @classmethod
    def of(cls, assets: list) -> "Holding":
        h = cls()
        for a in assets:
            h.subsume(a)
        return h

    def copy(self) -> "Holding":
        return copy.deepcopy(self)

    def __len__(self) -> int:
        return len(self.fungible) + len(self.non_fungible)

    def is_empty(self) -> bool:
        return not self.fungible and not self.non_fungible

    def subsume(self, asset: dict) -> None:
        fun, value = split_instruction(asset["fun"])
        key = location_key(asset["id"])
        if fun == "Fungible":
            if value == 0:
                return
            _, held = self.fungible.get(key, (asset["id"], 0))
            self.fungible[key] = (asset["id"], held + value)
        else:
            self.non_fungible[(key, repr(value))] = (asset["id"], value)

    def subsume_holding(self, other: "Holding") -> None:
        for a in other.assets():
            self.subsume(a)

    def assets(self) -> list:
        """Fungibles in id order, then non-fungibles (assets_iter / into_assets_iter)."""
        out = [{"id": i, "fun": {"Fungible": n}} for _, (i, n) in sorted(self.fungible.items())]
        out += [{"id": i, "fun": {"NonFungible": inst}} for _, (i, inst) in sorted(self.non_fungible.items())]
        return out

    def amount_of(self, asset_id: dict) -> int:
        return self.fungible.get(location_key(asset_id), (None, 0))[1]

    def _take_fungible(self, key: tuple, amount: int | None) -> dict | None:
        if key not in self.fungible:
            return None
        aid, held = self.fungible[key]
        take = held if amount is None else min(held, amount)
        if take == held:
            del self.fungible[key]
        else:
            self.fungible[key] = (aid, held - take)
        return {"id": aid, "fun": {"Fungible": take}} if take else None

    def _general_take(self, mask: dict, saturate: bool) -> "Holding":
        taken = Holding()
        kind, p = split_instruction(mask)
        if kind == "Definite":
            if not saturate:
                self.ensure_contains(p)
            for a in p:
                fun, value = split_instruction(a["fun"])
                key = location_key(a["id"])
                if fun == "Fungible":
                    got = self._take_fungible(key, value)
                    if got:
                        taken.subsume(got)
                elif (key, repr(value)) in self.non_fungible:
                    taken.subsume({"id": a["id"], "fun": {"NonFungible": self.non_fungible.pop((key, repr(value)))[1]}})
            return taken
        wild_kind, wp = split_instruction(p)
        if wild_kind in ("All", "AllCounted"):
            limit = None if wild_kind == "All" else wp
            for key in sorted(self.fungible):
                if limit is not None and len(taken) >= limit:
                    return taken
                taken.subsume(self._take_fungible(key, None))
            for key in sorted(self.non_fungible):
                if limit is not None and len(taken) >= limit:
                    return taken
                aid, inst = self.non_fungible.pop(key)
                taken.subsume({"id": aid, "fun": {"NonFungible": inst}})
            return taken
        # AllOf / AllOfCounted { id, fun, [count] }
        key = location_key(wp["id"])
        if wild_kind == "AllOfCounted" and wp["count"] == 0:
            return taken
        if wp["fun"] == "Fungible":
            got = self._take_fungible(key, None)
            if got:
                taken.subsume(got)
            return taken
        limit = wp.get("count") if wild_kind == "AllOfCounted" else None
        for nk in sorted(k for k in self.non_fungible if k[0] == key):
            if limit is not None and len(taken) >= limit:
                break
            aid, inst = self.non_fungible.pop(nk)
            taken.subsume({"id": aid, "fun": {"NonFungible": inst}})
        return taken

    def saturating_take(self, mask: dict) -> "Holding":
        return self._general_take(mask, True)

    def try_take(self, mask: dict) -> "Holding":
        """Raises XcmFailure("NotHoldingFees")-compatible TakeError as ValueError for the caller to map."""
        return self._general_take(mask, False)

    def ensure_contains(self, assets: list) -> None:
        for a in assets:
            fun, value = split_instruction(a["fun"])
            key = location_key(a["id"])
            if fun == "Fungible":
                if self.fungible.get(key, (None, 0))[1] < value:
                    raise ValueError("asset underflow")
            elif (key, repr(value)) not in self.non_fungible:
                raise ValueError("asset underflow")

    def checked_sub(self, asset: dict) -> "Holding":
        fun, value = split_instruction(asset["fun"])
        key = location_key(asset["id"])
        if fun == "Fungible":
            if value == 0:
                return self
            if self.fungible.get(key, (None, 0))[1] < value:
                raise ValueError("asset underflow")
            self._take_fungible(key, value)
        elif self.non_fungible.pop((key, repr(value)), None) is None:
            raise ValueError("asset underflow")
        return self

    def min(self, mask: dict) -> list:
        """The assets of `mask` that are held (ReportHolding), without taking them."""
        return self.copy().saturating_take(mask).assets()

    def reanchored(self, dest: dict, context: list, failed: "Holding | None" = None) -> list:
        out = []
        for a in self.assets():
            try:
                out.append(L.reanchor_asset(a, dest, context))
            except L.LocationError:
                if failed is not None:
                    failed.subsume(a)
        return out


def _take_or(holding: Holding, mask: dict, error: str) -> Holding:
    try:
        return holding.try_take(mask)
    except ValueError:
        raise XcmFailure(error) from None
