"""pallet-xcm's transfer calls and the programs they build (teleport, local / destination / remote
reserve, *_fees_instructions, add_fees_to_xcm, build_and_execute_xcm_transfer_type). Mixed into XcmPallet."""
from __future__ import annotations

from typing import Any

from ...runtime.frame import Ctx, Origin
from .. import executor as X
from .. import locations as L
from ..builder.transactors import AssetTransactor, reserves_reader
from .params import MAX_ASSETS_FOR_TRANSFER

class Transfers:
    def call_teleport_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item) -> None:
        self._teleport(ctx, origin, dest, beneficiary, assets, fee_asset_item, "Unlimited")

    def call_limited_teleport_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit):
        self._teleport(ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit)

    def call_reserve_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item) -> None:
        self._reserve_transfer(ctx, origin, dest, beneficiary, assets, fee_asset_item, "Unlimited")

    def call_limited_reserve_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item,
                                             weight_limit) -> None:
        self._reserve_transfer(ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit)

    def _transfer_args(self, origin: Origin, dest: dict, beneficiary: Any, assets: dict) -> tuple:
        origin_location = self._local_location(origin)
        dest_l = self._latest(dest, "location")
        benef = self._latest(beneficiary, "location") if isinstance(beneficiary, dict) and \
            next(iter(beneficiary)).startswith("V") else beneficiary
        asset_list = self._latest(assets, "assets")
        if len(asset_list) > MAX_ASSETS_FOR_TRANSFER:
            raise self.error("TooManyAssets")
        return origin_location, dest_l, benef, asset_list

    def _teleport(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        for asset in asset_list:
            if self.determine_for(ctx, asset, dest_l) != "Teleport":
                raise self.error("Filtered")
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees = {"batched": asset_list[fee_asset_item]}
        self._build_and_execute(ctx, origin_l, dest_l, benef, asset_list, "Teleport", fees, weight_limit)

    def _reserve_transfer(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees_type, assets_type = self._find_transfer_types(ctx, asset_list, fee_asset_item, dest_l)
        if assets_type == "Teleport":
            raise self.error("Filtered")
        if L.normalize(assets_type) != L.normalize(fees_type):
            raise self.error("TooManyReserves")
        fees = {"batched": asset_list[fee_asset_item]}
        self._build_and_execute(ctx, origin_l, dest_l, benef, asset_list, assets_type, fees, weight_limit)

    def call_transfer_assets(self, ctx, origin, dest, beneficiary, assets, fee_asset_item, weight_limit) -> None:
        origin_l, dest_l, benef, asset_list = self._transfer_args(origin, dest, beneficiary, assets)
        if fee_asset_item >= len(asset_list):
            raise self.error("Empty")
        fees_type, assets_type = self._find_transfer_types(ctx, asset_list, fee_asset_item, dest_l)
        self._do_transfer_assets(ctx, origin_l, dest_l, benef, asset_list, assets_type, fee_asset_item, fees_type,
                                 weight_limit)

    def call_transfer_assets_using_type_and_then(self, ctx, origin, dest, assets, assets_transfer_type,
                                                 remote_fees_id, fees_transfer_type, custom_xcm_on_dest,
                                                 weight_limit) -> None:
        custom = self._latest(custom_xcm_on_dest, "xcm")
        origin_l, dest_l, _, asset_list = self._transfer_args(origin, dest, [], assets)
        fees_id = self._latest(remote_fees_id, "asset_id") if "V3" in remote_fees_id else \
            self._latest(remote_fees_id, "location")
        index = next((i for i, a in enumerate(asset_list) if L.normalize(a["id"]) == fees_id), None)
        if index is None:
            raise self.error("FeesNotMet")
        self._do_transfer_assets(ctx, origin_l, dest_l, {"custom": custom}, asset_list,
                                 self._transfer_type(assets_transfer_type), index,
                                 self._transfer_type(fees_transfer_type), weight_limit)

    def _transfer_type(self, value: Any) -> Any:
        if isinstance(value, dict) and "RemoteReserve" in value:
            return {"RemoteReserve": self._latest(value["RemoteReserve"], "location")}
        return value

    def determine_for(self, ctx: Ctx, asset: dict, dest: dict) -> Any:
        """XcmAssetTransfers::determine_for: the TransferType of `asset` towards `dest`."""
        cfg = self.xcm_config
        reserves = reserves_reader(ctx, self.hooks)
        if cfg.is_teleporter(asset, dest, reserves):
            return "Teleport"
        if cfg.is_reserve(asset, dest, reserves):
            return "DestinationReserve"
        chain = chain_location(asset["id"])
        if chain == L.HERE or cfg.is_teleporter(asset, chain, reserves):
            return "LocalReserve"
        if cfg.is_reserve(asset, chain, reserves):
            return {"RemoteReserve": chain}
        raise self.error("InvalidAssetUnknownReserve")

    def _find_transfer_types(self, ctx: Ctx, assets: list, fee_index: int, dest: dict) -> tuple[Any, Any]:
        fees_type = assets_type = None
        for i, asset in enumerate(assets):
            if "Fungible" in asset["fun"] and asset["fun"]["Fungible"] == 0:
                raise self.error("Empty")
            kind = self.determine_for(ctx, asset, dest)
            if i == fee_index:
                fees_type = kind
            elif assets_type is not None and L.normalize(assets_type) != L.normalize(kind):
                raise self.error("TooManyReserves")
            else:
                assets_type = kind
        if len(assets) == 1:
            assets_type = fees_type
        if fees_type is None or assets_type is None:
            raise self.error("Empty")
        return fees_type, assets_type

    def _do_transfer_assets(self, ctx, origin, dest, beneficiary, assets, assets_type, fee_index, fees_type,
                            weight_limit) -> None:
        if L.normalize(fees_type) == L.normalize(assets_type):
            fees = {"batched": assets[fee_index]}
        else:
            if isinstance(assets_type, dict) or isinstance(fees_type, dict):
                raise self.error("InvalidAssetUnsupportedReserve")
            assets = list(assets)
            fee = assets.pop(fee_index)
            builder = {"LocalReserve": self._local_reserve_fees, "DestinationReserve": self._destination_reserve_fees,
                       "Teleport": self._teleport_fees}[fees_type]
            fees = {"separate": builder(ctx, dest, fee, weight_limit)}
        self._build_and_execute(ctx, origin, dest, beneficiary, assets, assets_type, fees, weight_limit)

    def _build_and_execute(self, ctx, origin, dest, beneficiary, assets, transfer_type, fees, weight_limit) -> None:
        if transfer_type == "LocalReserve":
            local, remote = self._local_reserve_programs(dest, beneficiary, assets, fees, weight_limit)
        elif transfer_type == "DestinationReserve":
            local, remote = self._destination_reserve_programs(dest, beneficiary, assets, fees, weight_limit)
        elif transfer_type == "Teleport":
            local, remote = self._teleport_programs(ctx, dest, beneficiary, assets, fees, weight_limit)
        else:
            if "batched" not in fees:
                raise self.error("InvalidAssetUnsupportedReserve")
            local = self._remote_reserve_program(transfer_type["RemoteReserve"], dest, beneficiary, assets,
                                                 fees["batched"], weight_limit)
            remote = None
        self._ensure_complete(self._execute_local(ctx, origin, local))
        if remote is not None:
            self._deliver(ctx, origin, dest, remote)

    # --- the programs (pallet-xcm *_programs / *_fees_instructions) ------------------------------
    def _reanchor(self, loc: dict, dest: dict) -> dict:
        try:
            return L.reanchored(loc, dest, self.xcm_config.universal)
        except L.LocationError:
            raise self.error("CannotReanchor") from None

    def _reanchor_assets(self, assets: list, dest: dict) -> list:
        return [{"id": self._reanchor(a["id"], dest), "fun": a["fun"]} for a in assets]

    @staticmethod
    def _on_dest_tail(beneficiary: Any, max_assets: int) -> list:
        if isinstance(beneficiary, dict) and "custom" in beneficiary:
            return list(beneficiary["custom"])
        return [{"DepositAsset": {"assets": {"Wild": {"AllCounted": max_assets}}, "beneficiary": beneficiary}}]

    def _add_fees(self, dest: dict, fees: dict, weight_limit: Any, local: list, remote: list) -> tuple[list, list]:
        if "batched" in fees:
            fee = fees["batched"]
            remote = remote + [{"BuyExecution": {"fees": {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]},
                                                 "weight_limit": weight_limit}}]
            return local, remote
        local_fees, remote_fees = fees["separate"]
        return local_fees + local, remote_fees + remote

    def _local_reserve_programs(self, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        local = [{"TransferAsset": {"assets": assets, "beneficiary": dest}}]
        remote = [{"ReserveAssetDeposited": self._reanchor_assets(assets, dest)}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _destination_reserve_programs(self, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        local = [{"WithdrawAsset": assets}, {"BurnAsset": assets}]
        remote = [{"WithdrawAsset": self._reanchor_assets(assets, dest)}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _check_out(self, ctx: Ctx, dest: dict, assets: list) -> None:
        transactor = AssetTransactor(self.xcm_config, self.hooks)
        try:
            for asset in assets:
                transactor.can_check_out(ctx, dest, asset)
        except X.XcmFailure:
            raise self.error("CannotCheckOutTeleport") from None
        for asset in assets:
            try:
                transactor.check_out(ctx, dest, asset)
            except X.XcmFailure:
                raise self.error("CannotCheckOutTeleport") from None

    def _teleport_programs(self, ctx, dest, beneficiary, assets, fees, weight_limit) -> tuple[list, list]:
        max_assets = len(assets) + (0 if "batched" in fees else 1)
        reanchored = self._reanchor_assets(assets, dest)
        self._check_out(ctx, dest, assets)
        local = [{"WithdrawAsset": assets}, {"BurnAsset": assets}]
        remote = [{"ReceiveTeleportedAsset": reanchored}, "ClearOrigin"]
        local, remote = self._add_fees(dest, fees, weight_limit, local, remote)
        return local, remote + self._on_dest_tail(beneficiary, max_assets)

    def _remote_reserve_program(self, reserve, dest, beneficiary, assets, fees, weight_limit) -> list:
        max_assets = len(assets)
        amount = fees["fun"].get("Fungible")
        if amount is None or amount // 2 == 0 or amount - amount // 2 == 0:
            raise self.error("FeesNotMet")
        half_1 = {"id": fees["id"], "fun": {"Fungible": amount // 2}}
        half_2 = {"id": fees["id"], "fun": {"Fungible": amount - amount // 2}}
        reserve_fees = {"id": self._reanchor(half_1["id"], reserve), "fun": half_1["fun"]}
        dest_fees = {"id": self._reanchor(half_2["id"], dest), "fun": half_2["fun"]}
        dest_from_reserve = self._reanchor(dest, reserve)
        on_dest = [{"BuyExecution": {"fees": dest_fees, "weight_limit": weight_limit}}]
        on_dest += self._on_dest_tail(beneficiary, max_assets)
        on_reserve = [{"BuyExecution": {"fees": reserve_fees, "weight_limit": weight_limit}},
                      {"DepositReserveAsset": {"assets": {"Wild": {"AllCounted": max_assets}},
                                               "dest": dest_from_reserve, "xcm": on_dest}}]
        return [{"WithdrawAsset": assets}, {"SetFeesMode": {"jit_withdraw": True}},
                {"InitiateReserveWithdraw": {"assets": {"Wild": {"AllCounted": max_assets}}, "reserve": reserve,
                                             "xcm": on_reserve}}]

    def _local_reserve_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        return ([{"TransferAsset": {"assets": [fee], "beneficiary": dest}}],
                [{"ReserveAssetDeposited": [reanchored]}, {"BuyExecution": {"fees": reanchored,
                                                                            "weight_limit": weight_limit}}])

    def _destination_reserve_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        return ([{"WithdrawAsset": [fee]}, {"BurnAsset": [fee]}],
                [{"WithdrawAsset": [reanchored]}, {"BuyExecution": {"fees": reanchored, "weight_limit": weight_limit}}])

    def _teleport_fees(self, ctx, dest, fee, weight_limit) -> tuple[list, list]:
        reanchored = {"id": self._reanchor(fee["id"], dest), "fun": fee["fun"]}
        self._check_out(ctx, dest, [fee])
        return ([{"WithdrawAsset": [fee]}, {"BurnAsset": [fee]}],
                [{"ReceiveTeleportedAsset": [reanchored]}, {"BuyExecution": {"fees": reanchored,
                                                                             "weight_limit": weight_limit}}])


def chain_location(loc: dict) -> dict:
    """Location::chain_location: the location cut after its last Parachain/GlobalConsensus junction."""
    parents, items = L.unpack(L.normalize(loc))
    while items and L.junction_kind(items[-1]) not in ("Parachain", "GlobalConsensus"):
        items.pop()
    return L.location(parents, items)
