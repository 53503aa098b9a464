"""The asset transactors: xcm-builder fungible_adapter.rs / fungibles_adapter.rs (FungibleAdapter,
FungiblesAdapter, teleport checking) over the runtime's XcmHooks, and ProvideAssetReserves.
"""
from __future__ import annotations

from typing import Any, Callable

from ...runtime.frame import Ctx, DispatchError
from .. import locations as L
from ..config import AssetsTransactor, ForeignAssetsTransactor, NativeTransactor, XcmConfig, XcmHooks
from ..primitives import XcmFailure, split_instruction

class AssetTransactor:
    """The runtime's tuple of asset transactors; the first that recognises the asset handles it."""

    def __init__(self, config: XcmConfig, hooks: XcmHooks):
        self.config, self.hooks = config, hooks

    def _account(self, loc: dict) -> bytes:
        account = self.config.location_to_account(loc)
        if account is None:
            raise XcmFailure("FailedToTransactAsset")      # MatchError::AccountIdConversionFailed
        return account

    def _match(self, asset: dict) -> tuple[Any, Any, int]:
        """(transactor spec, its asset id, amount) or XcmFailure("AssetNotFound")."""
        fun, amount = split_instruction(asset["fun"])
        aid = L.normalize(asset["id"])
        for t in self.config.transactors:
            if fun != "Fungible":
                continue
            if isinstance(t, NativeTransactor) and aid == L.normalize(t.location):
                return t, None, amount
            items = L.junctions(aid)
            if isinstance(t, AssetsTransactor) and self.hooks.assets is not None and aid["parents"] == 0 \
                    and len(items) == 2 and items[0] == {"PalletInstance": t.pallet_index} \
                    and L.junction_kind(items[1]) == "GeneralIndex" and items[1]["GeneralIndex"] < 2**32:
                return t, items[1]["GeneralIndex"], amount
            if isinstance(t, ForeignAssetsTransactor) and self.hooks.foreign_assets is not None \
                    and not self._not_foreign(aid, t):
                return t, aid, amount
        raise XcmFailure("AssetNotFound")

    def _not_foreign(self, aid: dict, t: ForeignAssetsTransactor) -> bool:
        """ForeignAssetsConvertedConcreteId excludes the relay token, every local location (which
        covers the Assets pallet) and locations inside our own global consensus."""
        items = L.junctions(aid)
        own = {"GlobalConsensus": self.config.network}
        return aid == L.PARENT or aid["parents"] == 0 or (bool(items) and items[0] == own)

    @staticmethod
    def _transact(fn: Callable, *args) -> None:
        try:
            fn(*args)
        except DispatchError:
            raise XcmFailure("FailedToTransactAsset") from None

    def withdraw(self, ctx: "Ctx", asset: dict, who: dict) -> None:
        t, aid, amount = self._match(asset)
        account = self._account(who)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.burn_from, ctx, account, amount)
        else:
            self._transact(self._pallet(t).burn_from, ctx, aid, account, amount)

    def deposit(self, ctx: "Ctx", asset: dict, who: dict) -> None:
        t, aid, amount = self._match(asset)
        account = self._account(who)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.mint_into, ctx, account, amount)
        else:
            self._transact(self._pallet(t).mint_into, ctx, aid, account, amount)

    def transfer(self, ctx: "Ctx", asset: dict, source: dict, dest: dict) -> None:
        t, aid, amount = self._match(asset)
        src, dst = self._account(source), self._account(dest)
        if isinstance(t, NativeTransactor):
            self._transact(self.hooks.native.transfer, ctx, src, dst, amount)
            return
        self._transact(self._pallet(t).transfer, ctx, aid, src, dst, amount)

    def _pallet(self, t: Any) -> Any:
        return self.hooks.assets if isinstance(t, AssetsTransactor) else self.hooks.foreign_assets

    # teleport accounting (FungibleMutateAdapter / FungiblesMutateAdapter check_in/check_out)
    def can_check_in(self, ctx: "Ctx", origin: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            if mint == "Local" and self.hooks.native.balance(ctx, account) < amount:
                raise XcmFailure("NotWithdrawable")
        elif isinstance(t, AssetsTransactor) and self.hooks.assets.total_issuance(ctx, aid) == 0:
            raise XcmFailure("NotWithdrawable")          # LocalMint<NonZeroIssuance>: unknown asset

    def check_in(self, ctx: "Ctx", origin: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            fn = self.hooks.native.burn_from if mint == "Local" else self.hooks.native.mint_into
            self._transact(fn, ctx, account, amount)

    def can_check_out(self, ctx: "Ctx", dest: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            if mint == "NonLocal" and self.hooks.native.balance(ctx, account) < amount:
                raise XcmFailure("NotWithdrawable")

    def check_out(self, ctx: "Ctx", dest: dict, asset: dict) -> None:
        t, aid, amount = self._match(asset)
        if isinstance(t, NativeTransactor) and t.checking is not None:
            account, mint = t.checking
            fn = self.hooks.native.mint_into if mint == "Local" else self.hooks.native.burn_from
            self._transact(fn, ctx, account, amount)


def reserves_reader(ctx: "Ctx", hooks: XcmHooks) -> Callable[[dict], list]:
    """ProvideAssetReserves: an asset's configured reserve data, what IsReserve/IsTeleporter read
    ([] for assets no ForeignAssets instance knows)."""
    foreign = hooks.foreign_assets
    return lambda asset_id: [] if foreign is None else foreign.reserves_of(ctx, asset_id)
