"""pallet_asset_conversion (AssetConversion) and its LP-token registry PoolAssets
(pallet_assets::<Instance3>, AssetId u32) on the Asset Hubs.

Indices: PoolAssets 55 / AssetConversion 56 on Kusama Asset Hub, 54 / 55 on Polkadot Asset Hub
(construct_runtime! in polkadot-fellows/runtimes v2.3.2 asset-hub-*/src/lib.rs; the live V15 metadata
agrees). Calls, events, errors, storage and constants as that metadata lists them (AssetKind =
PoolAssetId's Location, PoolId = (Location, Location), BalancePath = Vec<(Location, u128)>);
LPFee is declared as the live metadata's u32 3 (v2.3.2 made it Permill 3/1000: the same rate).

Sources (polkadot-sdk substrate/frame/asset-conversion/src/lib.rs): swap_exact_tokens_for_tokens / swap_tokens_for_exact_tokens (do_swap_*: validate_swap_path,
balance_path_from_amount_in/out over get_reserves, swap = withdraw from the sender, credit_swap
through the pools, resolve into send_to, SwapExecuted), the credit swaps the XCM trader and the
fee payment use (do_swap_exact_credit_tokens_for_tokens, do_swap_credit_tokens_for_exact_tokens:
SwapCreditExecuted). Pool math and accounts: pools.py. Assets: NativeAndAssets reduced to the
native token (Balances) and ForeignAssets; a local Assets id (PalletInstance 50) is not a pool asset
here. create_pool, add_liquidity, remove_liquidity and touch are declared, not emulated
(Unavailable). Weights: each runtime's weights/pallet_asset_conversion.rs with the chain's DbWeight;
PoolAssets weighs as Assets.

Genesis: the bridged token's pool (pools.bridged_pool) exists with LP token 0; its LP tokens
(sqrt of the two deposits) are all the pool account's, so the genesis liquidity stays put.
"""
from __future__ import annotations

from typing import Any

from ..runtime.balances import EXPENDABLE, PRESERVE
from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from ..types.xcm import declare_xcm
from ..xcm.locations import normalize
from . import pools as P
from .pallet import Assets
from .tables import CALL_WEIGHTS

MAX_SWAP_PATH_LENGTH = 3
# (ref_time, ref_time per path item, proof_size, proof per item, reads, writes): v2.3.2 asset-hub-*/src/
# weights/pallet_asset_conversion.rs
WEIGHTS = {
    "Kusama": {"create_pool": (97_131_000, 0, 6196, 0, 8, 5), "add_liquidity": (162_400_000, 0, 7404, 0, 9, 8),
               "remove_liquidity": (137_430_000, 0, 7404, 0, 7, 6),
               "swap_exact_tokens_for_tokens": (94_280_000, 2_396_272, 7404, 177, 4, 4),
               "swap_tokens_for_exact_tokens": (95_890_000, 4_462_200, 7404, 177, 4, 4)},
    "Polkadot": {"create_pool": (82_458_000, 0, 6196, 0, 8, 5), "add_liquidity": (137_791_000, 0, 7404, 0, 9, 8),
                 "remove_liquidity": (117_801_000, 0, 7404, 0, 7, 6),
                 "swap_exact_tokens_for_tokens": (80_093_000, 1_521_527, 7404, 177, 4, 4),
                 "swap_tokens_for_exact_tokens": (80_196_000, 1_527_428, 7404, 177, 4, 4)},
}
ERRORS = ("InvalidAssetPair", "PoolExists", "WrongDesiredAmount", "AmountOneLessThanMinimal",
          "AmountTwoLessThanMinimal", "ReserveLeftLessThanMinimal", "AmountOutTooHigh", "PoolNotFound", "Overflow",
          "AssetOneDepositDidNotMeetMinimum", "AssetTwoDepositDidNotMeetMinimum",
          "AssetOneWithdrawalDidNotMeetMinimum", "AssetTwoWithdrawalDidNotMeetMinimum",
          "OptimalAmountLessThanDesired", "InsufficientLiquidityMinted", "ZeroLiquidity", "ZeroAmount",
          "ProvidedMinimumNotSufficientForSwap", "ProvidedMaximumNotSufficientForSwap", "InvalidPath",
          "NonUniquePath", "IncorrectPoolAssetId", "BelowMinimum")
# PoolSetupFee = system_para_deposit(1, 4) + AssetDeposit: the values of the shipped V15 metadata
# (@polkadot/types-support statemint 2000000, statemine 1009003), no later change to it being known
POOL_SETUP_FEE = {"Polkadot": 4_019_400_000, "Kusama": 13_397_999_922}


class PoolAssets(Assets):
    """pallet_assets::<Instance3>: the LP tokens, u32 ids; only the pallet creates them
    (CreateOrigin = NeverEnsureOrigin). Deposits: AssetDeposit and metadata 0, AssetAccountDeposit
    as Assets', ApprovalDeposit = ExistentialDeposit (asset-hub-*/src/lib.rs)."""

    NAME = "PoolAssets"

    def deposit_config(self) -> dict[str, int]:
        local = super().deposit_config()
        return {"AssetDeposit": 0, "AssetAccountDeposit": local["AssetAccountDeposit"], "MetadataDepositBase": 0,
                "MetadataDepositPerByte": 0, "ApprovalDeposit": self.runtime.config.existential_deposit}

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        # weights/pallet_assets_pool.rs is not transcribed: the local assets' weights stand in
        return CALL_WEIGHTS[(self.runtime.config.network, "Assets")].get(call, (100_000_000, 0))

    def default_genesis(self) -> dict:
        pool = P.bridged_pool(self.runtime.config.network)
        total = pool.lp_minted + P.MINT_MIN_LIQUIDITY
        return {"assets": [(0, pool.account, False, 1)], "accounts": [(0, pool.account, total)]}

    def call_create(self, ctx: Ctx, origin: Origin, **_: Any) -> None:
        raise DispatchError.simple("BadOrigin")      # NeverEnsureOrigin


class AssetConversion(Pallet):
    NAME = "AssetConversion"

    def declare(self) -> None:
        r, t = self.reg, self.t
        loc = self.location = declare_xcm(r, self.runtime.call_enum).v5.location
        acc, u128 = t.account_id, t.u128
        self.pool_id_type = r.tuple(loc, loc)
        info = r.composite("pallet_asset_conversion::types::PoolInfo", [("lp_token", t.u32, "PoolAssetId")],
                           params=[("PoolAssetId", t.u32)])
        self.pools = self.item("Pools", info, (self.pool_id_type,), ("Blake2_128Concat",), optional=True)
        self.next_lp = self.item("NextPoolAssetId", t.u32, optional=True)
        path = r.seq(loc)
        bal = (u128, "T::Balance")
        self.calls = r.variant("pallet_asset_conversion::pallet::Call", [
            ("create_pool", 0, [("asset1", loc, "Box<T::AssetKind>"), ("asset2", loc, "Box<T::AssetKind>")]),
            ("add_liquidity", 1, [("asset1", loc, "Box<T::AssetKind>"), ("asset2", loc, "Box<T::AssetKind>"),
                                  ("amount1_desired", *bal), ("amount2_desired", *bal), ("amount1_min", *bal),
                                  ("amount2_min", *bal), ("mint_to", acc, "T::AccountId")]),
            ("remove_liquidity", 2, [("asset1", loc, "Box<T::AssetKind>"), ("asset2", loc, "Box<T::AssetKind>"),
                                     ("lp_token_burn", *bal), ("amount1_min_receive", *bal),
                                     ("amount2_min_receive", *bal), ("withdraw_to", acc, "T::AccountId")]),
            ("swap_exact_tokens_for_tokens", 3, [("path", path, "Vec<Box<T::AssetKind>>"), ("amount_in", *bal),
                                                 ("amount_out_min", *bal), ("send_to", acc, "T::AccountId"),
                                                 ("keep_alive", t.bool, "bool")]),
            ("swap_tokens_for_exact_tokens", 4, [("path", path, "Vec<Box<T::AssetKind>>"), ("amount_out", *bal),
                                                 ("amount_in_max", *bal), ("send_to", acc, "T::AccountId"),
                                                 ("keep_alive", t.bool, "bool")]),
            ("touch", 5, [("asset1", loc, "Box<T::AssetKind>"), ("asset2", loc, "Box<T::AssetKind>")]),
        ], params=[("T", None)])
        permill = r.composite("sp_arithmetic::per_things::Permill", [(None, t.u32, "u32")])
        balance_path = r.seq(r.tuple(loc, u128))
        pid, lp = (self.pool_id_type, "T::PoolId"), (t.u32, "T::PoolAssetId")
        self.events = r.variant("pallet_asset_conversion::pallet::Event", [
            ("PoolCreated", 0, [("creator", acc, "T::AccountId"), ("pool_id", *pid), ("pool_account", acc, "T::AccountId"),
                                ("lp_token", *lp)]),
            ("LiquidityAdded", 1, [("who", acc, "T::AccountId"), ("mint_to", acc, "T::AccountId"), ("pool_id", *pid),
                                   ("amount1_provided", *bal), ("amount2_provided", *bal), ("lp_token", *lp),
                                   ("lp_token_minted", *bal)]),
            ("LiquidityRemoved", 2, [("who", acc, "T::AccountId"), ("withdraw_to", acc, "T::AccountId"),
                                     ("pool_id", *pid), ("amount1", *bal), ("amount2", *bal), ("lp_token", *lp),
                                     ("lp_token_burned", *bal), ("withdrawal_fee", permill, "Permill")]),
            ("SwapExecuted", 3, [("who", acc, "T::AccountId"), ("send_to", acc, "T::AccountId"), ("amount_in", *bal),
                                 ("amount_out", *bal), ("path", balance_path, "BalancePath<T>")]),
            ("SwapCreditExecuted", 4, [("amount_in", *bal), ("amount_out", *bal),
                                       ("path", balance_path, "BalancePath<T>")]),
            ("Touched", 5, [("pool_id", *pid), ("who", acc, "T::AccountId")]),
        ], params=[("T", None)])
        self.errors = r.variant("pallet_asset_conversion::pallet::Error", [(n, i, []) for i, n in enumerate(ERRORS)],
                                params=[("T", None)])
        network = self.runtime.config.network
        self.constant("LPFee", t.u32, P.LP_FEE_PER_THOUSAND)
        self.constant("PoolSetupFee", u128, POOL_SETUP_FEE[network])
        self.constant("PoolSetupFeeAsset", loc, P.NATIVE)
        self.constant("LiquidityWithdrawalFee", permill, 0)
        self.constant("MintMinLiquidity", u128, P.MINT_MIN_LIQUIDITY)
        self.constant("MaxSwapPathLength", t.u32, MAX_SWAP_PATH_LENGTH)
        pallet_id = r.composite("frame_support::PalletId", [(None, r.array(t.u8, 8), "[u8; 8]")])
        self.constant("PalletId", pallet_id, P.POOL_PALLET_ID)

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        if call not in WEIGHTS[self.runtime.config.network]:
            return super().weight(call, args)
        base, per_item, proof, proof_per_item, reads, writes = WEIGHTS[self.runtime.config.network][call]
        n = len(args["path"]) if "path" in args else 0
        limits = self.runtime.pallet("System").limits
        return base + per_item * n + reads * limits.db_read + writes * limits.db_write, proof + proof_per_item * n

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """The bridged token's pool, LP token 0 (PoolAssets' genesis holds its LP tokens)."""
        pool = P.bridged_pool(self.runtime.config.network)
        self.pools.put(ctx.state, (P.NATIVE, pool.asset), {"lp_token": 0})
        self.next_lp.put(ctx.state, 1)

    # --- NativeAndAssets ---------------------------------------------------------------------
    def _fungible(self, asset: dict) -> Any:
        """None for the native token, else ForeignAssets (which answers Unknown for other ids)."""
        return None if normalize(asset) == P.NATIVE else self.runtime.pallet("ForeignAssets")

    def _reducible(self, ctx: Ctx, asset: dict, who: bytes, keep_alive: bool) -> int:
        assets = self._fungible(asset)
        if assets is None:
            return self.runtime.pallet("Balances").reducible_balance(ctx.state, who, PRESERVE if keep_alive
                                                                     else EXPENDABLE)
        return assets.reducible_balance(ctx.state, asset, who, keep_alive)

    def _withdraw(self, ctx: Ctx, asset: dict, who: bytes, amount: int, keep_alive: bool) -> None:
        """Pallet::withdraw: a credit of `amount` out of `who` (Exact, Polite)."""
        if keep_alive and self._reducible(ctx, asset, who, True) < amount:
            raise DispatchError.token("NotExpendable")
        assets = self._fungible(asset)
        if assets is None:
            self.runtime.pallet("Balances").withdraw(ctx, who, amount, keep_alive)
        else:
            assets.withdraw(ctx, asset, who, amount, keep_alive)

    def _resolve(self, ctx: Ctx, asset: dict, who: bytes, amount: int, issued: bool = False) -> None:
        """Balanced::resolve of a credit into `who`; `issued`: a native credit that is new issuance
        (one the XCM trader hands in), not one withdrawn here."""
        assets = self._fungible(asset)
        try:
            if assets is None:
                self.runtime.pallet("Balances").deposit(ctx, who, amount, exact=True, issue=issued)
            else:
                assets.resolve(ctx, asset, who, amount)
        except DispatchError:
            raise self.error("BelowMinimum") from None

    # --- pools -------------------------------------------------------------------------------
    def _fail(self, error: P.PoolError) -> DispatchError:
        return self.error(str(error))

    def pool_address(self, asset1: dict, asset2: dict) -> bytes:
        return P.pool_account(P.pool_id(asset1, asset2), self.runtime.config.network)

    def reserves(self, ctx: Ctx, asset1: dict, asset2: dict) -> tuple[int, int]:
        """get_reserves: the pool account's reducible balances (Expendable); PoolNotFound if one is 0."""
        account = self.pool_address(asset1, asset2)
        balance1 = self._reducible(ctx, asset1, account, False)
        balance2 = self._reducible(ctx, asset2, account, False)
        if balance1 == 0 or balance2 == 0:
            raise P.PoolError("PoolNotFound")
        return balance1, balance2

    def _validate_path(self, path: list) -> None:
        if not 2 <= len(path) <= MAX_SWAP_PATH_LENGTH:
            raise P.PoolError("InvalidPath")
        seen = []
        for a, b in zip(path, path[1:]):
            pair = P.pool_id(a, b)
            if pair in seen:
                raise P.PoolError("NonUniquePath")
            seen.append(pair)

    def path_from_amount_in(self, ctx: Ctx, amount_in: int, path: list) -> list:
        out, amount = [], amount_in
        for a, b in zip(path, path[1:]):
            reserve_in, reserve_out = self.reserves(ctx, a, b)
            out.append((a, amount))
            amount = P.get_amount_out(amount, reserve_in, reserve_out)
        return out + [(path[-1], amount)]

    def path_from_amount_out(self, ctx: Ctx, amount_out: int, path: list) -> list:
        out, amount = [], amount_out
        for a, b in reversed(list(zip(path, path[1:]))):
            reserve_in, reserve_out = self.reserves(ctx, a, b)
            out.append((b, amount))
            amount = P.get_amount_in(amount, reserve_in, reserve_out)
        return [(path[0], amount)] + out[::-1]

    def _credit_swap(self, ctx: Ctx, balance_path: list, issued_in: bool) -> int:
        """credit_swap: the credit of path[0] into the first pool, each hop's amount on to the next
        pool, the last amount out of the last pool as a credit (its amount is returned)."""
        for pos, ((asset1, _), (asset2, amount_out)) in enumerate(zip(balance_path, balance_path[1:])):
            pool_from = self.pool_address(asset1, asset2)
            if pos + 2 < len(balance_path):
                pool_to = self.pool_address(asset2, balance_path[pos + 2][0])
                self._transfer(ctx, asset2, pool_from, pool_to, amount_out)
            else:
                self._withdraw(ctx, asset2, pool_from, amount_out, keep_alive=True)
        (asset_in, amount_in), (asset2, _) = balance_path[0], balance_path[1]
        self._resolve(ctx, asset_in, self.pool_address(asset_in, asset2), amount_in, issued=issued_in)
        return balance_path[-1][1]

    def _transfer(self, ctx: Ctx, asset: dict, source: bytes, dest: bytes, amount: int) -> None:
        assets = self._fungible(asset)
        if assets is None:
            self.runtime.pallet("Balances").transfer(ctx, source, dest, amount, PRESERVE)
        else:
            assets.transfer(ctx, asset, source, dest, amount, keep_alive=True)

    def _layered(self, ctx: Ctx, fn) -> Any:
        """fn() in its own storage layer: a credit swap's failure leaves nothing behind."""
        ctx.state.begin()
        try:
            result = fn()
        except (DispatchError, P.PoolError):
            ctx.state.rollback()
            raise
        ctx.state.commit()
        return result

    # --- credit swaps: SwapFirstAssetTrader and the fee payment -----------------------------------
    def buy_native(self, ctx: Ctx, asset: dict, max_in: int, native_out: int, drop_native: bool = True) -> int:
        """do_swap_credit_tokens_for_exact_tokens([asset, native]) with a credit of `max_in`: returns
        what it took; `native_out` leaves the pool as a credit. drop_native: the XCM trader's case,
        which issues the fee to its recipient when it settles, so the credit is dropped here."""
        balance_path = self.quote_native_out(ctx, asset, native_out)
        amount_in = balance_path[0][1]
        if amount_in > max_in:
            raise P.PoolError("ProvidedMaximumNotSufficientForSwap")

        def swap() -> None:
            self._credit_swap(ctx, balance_path, issued_in=False)
            if drop_native:
                self.runtime.pallet("Balances").drop_credit(ctx, native_out)
            self.emit(ctx, "SwapCreditExecuted", {"amount_in": amount_in, "amount_out": native_out,
                                                  "path": balance_path})
        self._as_pool_error(ctx, swap)
        return amount_in

    def quote_native_out(self, ctx: Ctx, asset: dict, native_out: int) -> list:
        """The balance path [(asset, amount in), (native, native_out)] (quote_price_tokens_for_exact_tokens)."""
        path = [asset, P.NATIVE]
        self._validate_path(path)
        return self.path_from_amount_out(ctx, native_out, path)

    def sell_native(self, ctx: Ctx, asset: dict, native_in: int, issued: bool = True) -> int:
        """do_swap_exact_credit_tokens_for_tokens([native, asset]) with a native credit: returns the
        asset bought (a credit the caller holds). issued: the credit is new issuance (the XCM
        trader's refund), not one withdrawn earlier (a fee refund)."""
        path = [P.NATIVE, asset]
        self._validate_path(path)
        balance_path = self.path_from_amount_in(ctx, native_in, path)
        amount_out = balance_path[-1][1]
        if amount_out == 0:
            raise P.PoolError("ZeroAmount")

        def swap() -> None:
            self._credit_swap(ctx, balance_path, issued_in=issued)
            self.emit(ctx, "SwapCreditExecuted", {"amount_in": native_in, "amount_out": amount_out,
                                                  "path": balance_path})
        self._as_pool_error(ctx, swap)
        return amount_out

    # --- SwapAssetAdapter's view (pallet-asset-conversion-tx-payment): None when the pool cannot --------
    def fee_quote(self, ctx: Ctx, asset: dict, fee: int) -> int | None:
        try:
            return self.quote_native_out(ctx, asset, fee)[0][1]
        except P.PoolError:
            return None

    def swap_for_fee(self, ctx: Ctx, asset: dict, asset_fee: int, fee: int) -> bool:
        try:
            self.buy_native(ctx, asset, asset_fee, fee, drop_native=False)
        except P.PoolError:
            return False
        return True

    def swap_refund(self, ctx: Ctx, asset: dict, refund: int) -> int | None:
        try:
            return self.sell_native(ctx, asset, refund, issued=False)
        except P.PoolError:
            return None

    def _as_pool_error(self, ctx: Ctx, fn) -> None:
        try:
            self._layered(ctx, fn)
        except DispatchError as failure:
            raise P.PoolError(failure.label.rpartition(".")[2]) from None

    # --- calls -------------------------------------------------------------------------------
    def _swap(self, ctx: Ctx, who: bytes, balance_path: list, send_to: bytes, keep_alive: bool) -> None:
        asset_in, amount_in = balance_path[0]
        self._withdraw(ctx, asset_in, who, amount_in, keep_alive)
        amount_out = self._credit_swap(ctx, balance_path, issued_in=False)
        self._resolve(ctx, balance_path[-1][0], send_to, amount_out)
        self.emit(ctx, "SwapExecuted", {"who": who, "send_to": send_to, "amount_in": amount_in,
                                        "amount_out": amount_out, "path": balance_path})

    def call_swap_exact_tokens_for_tokens(self, ctx: Ctx, origin: Origin, path: list, amount_in: int,
                                          amount_out_min: int, send_to: bytes, keep_alive: bool) -> None:
        who = origin.ensure_signed()
        try:
            if amount_in == 0 or amount_out_min == 0:
                raise P.PoolError("ZeroAmount")
            self._validate_path(path)
            balance_path = self.path_from_amount_in(ctx, amount_in, path)
            if balance_path[-1][1] < amount_out_min:
                raise P.PoolError("ProvidedMinimumNotSufficientForSwap")
        except P.PoolError as error:
            raise self._fail(error) from None
        self._swap(ctx, who, balance_path, send_to, keep_alive)

    def call_swap_tokens_for_exact_tokens(self, ctx: Ctx, origin: Origin, path: list, amount_out: int,
                                          amount_in_max: int, send_to: bytes, keep_alive: bool) -> None:
        who = origin.ensure_signed()
        try:
            if amount_out == 0 or amount_in_max == 0:
                raise P.PoolError("ZeroAmount")
            self._validate_path(path)
            balance_path = self.path_from_amount_out(ctx, amount_out, path)
            if balance_path[0][1] > amount_in_max:
                raise P.PoolError("ProvidedMaximumNotSufficientForSwap")
        except P.PoolError as error:
            raise self._fail(error) from None
        self._swap(ctx, who, balance_path, send_to, keep_alive)
