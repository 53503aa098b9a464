"""pallet_assets instances of the Asset Hubs: Assets (Instance1, index 50, AssetId u32) and
ForeignAssets (Instance2, index 53, AssetId = staging_xcm::v5::location::Location).

Sources (polkadot-sdk substrate/frame/assets/src): functions.rs (new_account / dead_account with
their consumer or sufficient reference, can_increase / can_decrease into Token/Arithmetic errors,
reducible_balance, prep_debit (dust below min_balance goes with the debit), increase_balance,
decrease_balance, do_mint (Issued), do_burn (Burned), do_transfer (Transferred), do_force_create
(ForceCreated), do_touch (Touched), create (Created, AssetDeposit reserved)), impl_fungibles.rs
and frame_support traits/tokens/fungibles/regular.rs (mint_into: Issued; burn_from with
Expendable/Exact/Polite: Burned, the amount burnt including dust), lib.rs GenesisConfig (assets,
metadata, accounts). frame_system inc/dec_sufficients for sufficient assets. Storage, calls,
events, errors and constants as the live Asset Hub metadata lists them (2_000_000 / 1_009_003);
the deposits are those constants' values per network.

Asset reserves (pallet-assets 51, the version F 2.3.2 runs): Reserves (AssetId -> BoundedVec of
ReserveData; () on Assets, assets_common ForeignAssetReserveData {reserve, teleportable} on
ForeignAssets, F asset-hub-*/src/lib.rs `type ReserveData`), set_reserves (call 33, by the asset's
owner) and the GenesisConfig `reserves`; what the Asset Hubs' IsReserve/IsTeleporter read
(xcm/config.py). The bound (5) and the two Reserves* events are not checked against live metadata.

Emulated calls: create, force_create, mint, burn, transfer, transfer_keep_alive, force_transfer,
transfer_all, set_metadata, force_set_metadata, touch, set_min_balance, set_reserves. The rest are
declared and answer Unavailable. Simplified: ForeignAssets.create accepts an XCM origin that carries its
sovereign account (origin.account) and whose location prefixes the asset's (ForeignCreators).
"""
from __future__ import annotations

from typing import Any

from ..runtime.frame import Ctx, DispatchError, Origin, Pallet
from ..runtime.system import MAX_CONSUMERS
from ..types.xcm import declare_xcm
from ..xcm.locations import unpack
from .bridged import bridged_native_asset
from .pools import bridged_pool
from .tables import (CALL_WEIGHTS, CALLS, DEPOSITS, ERRORS, EVENTS, MAX_RESERVES, REMOVE_ITEMS_LIMIT, STRING_LIMIT,
                     TYPE_NAMES)


class Assets(Pallet):
    """pallet_assets::<Instance1>: trust-backed assets with u32 ids."""

    NAME = "Assets"
    FOREIGN = False

    def declare(self) -> None:
        r, t = self.reg, self.t
        acc, u128, u32 = t.account_id, t.u128, t.u32
        if self.FOREIGN:
            self.id_type = declare_xcm(r, self.runtime.call_enum).v5.location
            id_param = self.id_type
        else:
            self.id_type = u32
            id_param = r.compact(u32)
        status = r.variant("pallet_assets::types::AssetStatus", [("Live", 0, []), ("Frozen", 1, []),
                                                                 ("Destroying", 2, [])])
        details = r.composite("pallet_assets::types::AssetDetails", [
            ("owner", acc, "AccountId"), ("issuer", acc, "AccountId"), ("admin", acc, "AccountId"),
            ("freezer", acc, "AccountId"), ("supply", u128, "Balance"), ("deposit", u128, "DepositBalance"),
            ("min_balance", u128, "Balance"), ("is_sufficient", t.bool, "bool"), ("accounts", u32, "u32"),
            ("sufficients", u32, "u32"), ("approvals", u32, "u32"), ("status", status, "AssetStatus")],
            params=[("Balance", u128), ("AccountId", acc), ("DepositBalance", u128)])
        account_status = r.variant("pallet_assets::types::AccountStatus", [("Liquid", 0, []), ("Frozen", 1, []),
                                                                           ("Blocked", 2, [])])
        reason = r.variant("pallet_assets::types::ExistenceReason", [
            ("Consumer", 0, []), ("Sufficient", 1, []), ("DepositHeld", 2, [(None, u128, "Balance")]),
            ("DepositRefunded", 3, []), ("DepositFrom", 4, [(None, acc, "AccountId"), (None, u128, "Balance")])],
            params=[("Balance", u128), ("AccountId", acc)])
        asset_account = r.composite("pallet_assets::types::AssetAccount", [
            ("balance", u128, "Balance"), ("status", account_status, "AccountStatus"),
            ("reason", reason, "ExistenceReason<DepositBalance, AccountId>"), ("extra", t.unit, "Extra")],
            params=[("Balance", u128), ("DepositBalance", u128), ("Extra", t.unit), ("AccountId", acc)])
        approval = r.composite("pallet_assets::types::Approval", [
            ("amount", u128, "Balance"), ("deposit", u128, "DepositBalance")],
            params=[("Balance", u128), ("DepositBalance", u128)])
        string = r.composite("bounded_collections::bounded_vec::BoundedVec", [(None, t.bytes, "Vec<T>")],
                             params=[("T", t.u8), ("S", None)])
        metadata = r.composite("pallet_assets::types::AssetMetadata", [
            ("deposit", u128, "DepositBalance"), ("name", string, "BoundedString"), ("symbol", string, "BoundedString"),
            ("decimals", t.u8, "u8"), ("is_frozen", t.bool, "bool")],
            params=[("DepositBalance", u128), ("BoundedString", string)])
        key = ("Blake2_128Concat",)
        self.asset = self.item("Asset", details, (self.id_type,), key, optional=True)
        self.account = self.item("Account", asset_account, (self.id_type, acc), key * 2, optional=True)
        self.item("Approvals", approval, (self.id_type, acc, acc), key * 3, optional=True)
        self.metadata = self.item("Metadata", metadata, (self.id_type,), key, default={
            "deposit": 0, "name": b"", "symbol": b"", "decimals": 0, "is_frozen": False})
        self.item("NextAssetId", self.id_type, optional=True)
        if self.FOREIGN:
            reserve_data = r.composite("assets_common::local_and_foreign_assets::ForeignAssetReserveData", [
                ("reserve", self.id_type, "Location"), ("teleportable", t.bool, "bool")])
        else:
            reserve_data = t.unit
        reserves = r.composite("bounded_collections::bounded_vec::BoundedVec", [(None, r.seq(reserve_data), "Vec<T>")],
                               params=[("T", reserve_data), ("S", None)])
        self.reserves = self.item("Reserves", reserves, (self.id_type,), key, default=[])

        kinds = {"addr": t.multi_address, "bal": u128, "cbal": r.compact(u128), "bool": t.bool, "bytes": t.bytes,
                 "u8": t.u8, "reserves": reserves}
        self.calls = r.variant("pallet_assets::pallet::Call", [
            (name, i, [("id", id_param, "T::AssetIdParameter")] + [(n, kinds[k], TYPE_NAMES[k]) for n, k in args])
            for i, (name, args) in enumerate(CALLS)], params=[("T", None), ("I", None)])
        fields = {"acc": (acc, "T::AccountId"), "bal": (u128, "T::Balance"), "u32": (u32, "u32"),
                  "bytes": (t.bytes, "Vec<u8>"), "u8": (t.u8, "u8"), "bool": (t.bool, "bool"),
                  "reserves": (r.seq(reserve_data), "Vec<T::ReserveData>")}

        def event_fields(spec: tuple) -> list:
            out = []
            for f in spec:
                if f == "asset_id":
                    out.append(("asset_id", self.id_type, "T::AssetId"))
                else:
                    name, kind = f.split(":")
                    out.append((name, *fields[kind]))
            return out

        self.events = r.variant("pallet_assets::pallet::Event", [
            (name, i, event_fields(spec)) for i, (name, spec) in enumerate(EVENTS)], params=[("T", None), ("I", None)])
        self.errors = r.variant("pallet_assets::pallet::Error", [(n, i, []) for i, n in enumerate(ERRORS)],
                                params=[("T", None), ("I", None)])
        deposits = self.deposit_config()
        self.constant("RemoveItemsLimit", u32, REMOVE_ITEMS_LIMIT)
        self.deposits = {name: self.constant(name, u128, deposits[name]) for name in (
            "AssetDeposit", "AssetAccountDeposit", "MetadataDepositBase", "MetadataDepositPerByte", "ApprovalDeposit")}
        self.constant("StringLimit", u32, STRING_LIMIT)

    def deposit_config(self) -> dict[str, int]:
        return DEPOSITS[self.runtime.config.network]

    @property
    def system(self):
        return self.runtime.pallet("System")

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        return CALL_WEIGHTS[(self.runtime.config.network, self.NAME)].get(call, (100_000_000, 0))

    # --- genesis (GenesisConfig::build) ----------------------------------------------------
    def default_genesis(self) -> dict:
        return {}

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig from ChainConfig.extra[NAME] (else default_genesis()):
        {"assets": [(id, owner, is_sufficient, min_balance)], "metadata": [(id, name, symbol, decimals)],
        "accounts": [(id, who, balance)], "reserves": [(id, [reserve data])]}."""
        mine = self.runtime.config.extra.get(self.NAME, self.default_genesis())
        for asset_id, owner, is_sufficient, min_balance in mine.get("assets", ()):
            if self.asset.exists(ctx.state, asset_id):
                raise ValueError(f"{self.NAME}: asset {asset_id!r} given twice in genesis")
            if min_balance == 0:
                raise ValueError(f"{self.NAME}: min_balance of {asset_id!r} must be positive")
            self.asset.put(ctx.state, asset_id, _details(owner, is_sufficient, min_balance))
        for asset_id, name, symbol, decimals in mine.get("metadata", ()):
            self.metadata.put(ctx.state, asset_id, {"deposit": 0, "name": name, "symbol": symbol,
                                                    "decimals": decimals, "is_frozen": False})
        for asset_id, who, amount in mine.get("accounts", ()):
            self._increase_balance(ctx, asset_id, who, amount, increase_supply=True)
        for asset_id, reserves in mine.get("reserves", ()):
            self.reserves.put(ctx.state, asset_id, list(reserves))

    # --- reading -------------------------------------------------------------------------------
    def details(self, state, asset_id: Any) -> dict:
        details = self.asset.get(state, asset_id)
        if details is None:
            raise self.error("Unknown")
        return details

    def live_details(self, state, asset_id: Any) -> dict:
        """The asset's details, which must be Live (neither Frozen nor being destroyed)."""
        details = self.details(state, asset_id)
        if details["status"] != "Live":
            raise self.error("AssetNotLive")
        return details

    def balance(self, ctx: Ctx, asset_id: Any, who: bytes) -> int:
        account = self.account.get(ctx.state, asset_id, who)
        return 0 if account is None else account["balance"]

    def total_issuance(self, ctx: Ctx, asset_id: Any) -> int:
        details = self.asset.get(ctx.state, asset_id)
        return 0 if details is None else details["supply"]

    def minimum_balance(self, ctx: Ctx, asset_id: Any) -> int:
        details = self.asset.get(ctx.state, asset_id)
        return 0 if details is None else details["min_balance"]

    def reducible_balance(self, state, asset_id: Any, who: bytes, keep_alive: bool) -> int:
        """fungibles::Inspect::reducible_balance (Polite); 0 for an unknown asset or account."""
        return self._reducible(state, asset_id, who, keep_alive, or_zero=True)

    def reserves_of(self, ctx: Ctx, asset_id: Any) -> list:
        """The asset's configured reserve data (ProvideAssetReserves), [] when none is set."""
        return self.reserves.get(ctx.state, asset_id)

    # --- fungibles::Mutate (what the XCM FungiblesAdapter calls) -----------------------------
    def mint_into(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int) -> int:
        self._atomically(ctx, self._increase_balance, ctx, asset_id, who, amount, True)
        self.emit(ctx, "Issued", {"asset_id": asset_id, "owner": who, "amount": amount})
        return amount

    def burn_from(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int) -> int:
        """Preservation::Expendable, Precision::Exact, Fortitude::Polite."""
        reducible = self._reducible(ctx.state, asset_id, who, keep_alive=False, or_zero=True)
        if min(reducible, amount) != amount:
            raise DispatchError.token("FundsUnavailable")
        burnt = self._atomically(ctx, self._decrease_balance, ctx, asset_id, who, amount, False, True, True)
        self.emit(ctx, "Burned", {"asset_id": asset_id, "owner": who, "balance": burnt})
        return burnt

    # fungibles::Balanced (impl_fungibles.rs done_withdraw / done_deposit): the supply leaves with
    # the credit and comes back when it is resolved
    def withdraw(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int, keep_alive: bool) -> int:
        """Precision::Exact, Fortitude::Polite (Withdrawn)."""
        taken = self._atomically(ctx, self._decrease_balance, ctx, asset_id, who, amount, keep_alive, False, True)
        self.emit(ctx, "Withdrawn", {"asset_id": asset_id, "who": who, "amount": taken})
        return taken

    def resolve(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int) -> None:
        """A credit into `who` (Deposited)."""
        self._atomically(ctx, self._increase_balance, ctx, asset_id, who, amount, True)
        self.emit(ctx, "Deposited", {"asset_id": asset_id, "who": who, "amount": amount})

    def transfer(self, ctx: Ctx, asset_id: Any, source: bytes, dest: bytes, amount: int,
                 keep_alive: bool = False) -> int:
        return self._atomically(ctx, self._transfer, ctx, asset_id, source, dest, amount, keep_alive, None)

    @staticmethod
    def _atomically(ctx: Ctx, fn, *args):
        ctx.state.begin()
        try:
            result = fn(*args)
        except DispatchError:
            ctx.state.rollback()
            raise
        ctx.state.commit()
        return result

    # --- the balance logic (functions.rs) ------------------------------------------------
    def _can_increase(self, state, asset_id: Any, who: bytes, amount: int, increase_supply: bool) -> None:
        details = self.asset.get(state, asset_id)
        if details is None or details["status"] == "Destroying":
            raise DispatchError.token("UnknownAsset")
        if increase_supply and details["supply"] + amount >= 1 << 128:
            raise DispatchError.arithmetic("Overflow")
        account = self.account.get(state, asset_id, who)
        if account is not None:
            if account["status"] == "Blocked":
                raise DispatchError.token("Blocked")
            if account["balance"] + amount >= 1 << 128:
                raise DispatchError.arithmetic("Overflow")
            return
        if amount < details["min_balance"]:
            raise DispatchError.token("BelowMinimum")
        if not details["is_sufficient"] and not self._can_accrue_consumers(state, who, 2):
            raise DispatchError.token("CannotCreate")

    def _can_accrue_consumers(self, state, who: bytes, amount: int) -> bool:
        info = self.system.account.get(state, who)
        return info["providers"] > 0 and info["consumers"] + amount <= MAX_CONSUMERS

    def _new_account(self, ctx: Ctx, who: bytes, details: dict) -> Any:
        if details["is_sufficient"]:
            self._inc_sufficients(ctx, who)
            details["sufficients"] += 1
            reason: Any = "Sufficient"
        else:
            try:
                self.system.inc_consumers(ctx, who)
            except DispatchError:
                raise self.error("UnavailableConsumer") from None
            reason = "Consumer"
        details["accounts"] += 1
        return reason

    def _dead_account(self, ctx: Ctx, who: bytes, details: dict, reason: Any) -> bool:
        """True when the asset account goes (Remove); deposit-backed accounts are kept."""
        if reason == "Consumer":
            self.system.dec_consumers(ctx, who)
        elif reason == "Sufficient":
            details["sufficients"] = max(details["sufficients"] - 1, 0)
            self._dec_sufficients(ctx, who)
        elif reason != "DepositRefunded":
            return False
        details["accounts"] = max(details["accounts"] - 1, 0)
        return True

    def _increase_balance(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int, increase_supply: bool,
                          check_issuer: bytes | None = None) -> None:
        if amount == 0:
            return
        state = ctx.state
        self._can_increase(state, asset_id, who, amount, increase_supply)
        details = self.live_details(state, asset_id)
        if check_issuer is not None and check_issuer != details["issuer"]:
            raise self.error("NoPermission")
        if increase_supply:
            details["supply"] += amount
        account = self.account.get(state, asset_id, who)
        if account is None:
            if amount < details["min_balance"]:
                raise DispatchError.token("BelowMinimum")
            account = {"balance": 0, "status": "Liquid", "reason": self._new_account(ctx, who, details), "extra": []}
        account["balance"] += amount
        self.account.put(state, asset_id, who, account)
        self.asset.put(state, asset_id, details)

    def _reducible(self, state, asset_id: Any, who: bytes, keep_alive: bool, or_zero: bool = False) -> int:
        details = self.asset.get(state, asset_id)
        account = self.account.get(state, asset_id, who)
        problem = ("Unknown" if details is None else "AssetNotLive" if details["status"] != "Live"
                   else "NoAccount" if account is None else "Frozen" if account["status"] == "Frozen" else None)
        if problem is not None:
            if or_zero:
                return 0
            raise self.error(problem)
        amount = account["balance"] - details["min_balance"] if keep_alive else account["balance"]
        return max(min(amount, details["supply"]), 0)

    def _prep_debit(self, state, asset_id: Any, who: bytes, amount: int, keep_alive: bool, best_effort: bool) -> int:
        actual = min(self._reducible(state, asset_id, who, keep_alive), amount)
        if not best_effort and actual < amount:
            raise self.error("BalanceLow")
        rest = self.account.get(state, asset_id, who)["balance"] - actual
        if 0 < rest < self.asset.get(state, asset_id)["min_balance"]:
            if keep_alive:
                raise DispatchError.token("OnlyProvider")
            actual += rest          # WithdrawConsequence::ReducedToZero: the dust goes too
        return actual

    def _decrease_balance(self, ctx: Ctx, asset_id: Any, who: bytes, amount: int, keep_alive: bool,
                          best_effort: bool, decrease_supply: bool, check_admin: bytes | None = None) -> int:
        if amount == 0:
            return 0
        state = ctx.state
        details = self.live_details(state, asset_id)
        actual = self._prep_debit(state, asset_id, who, amount, keep_alive, best_effort)
        if check_admin is not None and check_admin != details["admin"]:
            raise self.error("NoPermission")
        if decrease_supply:
            details["supply"] -= actual
        account = self.account.get(state, asset_id, who)
        account["balance"] -= actual
        if account["balance"] < details["min_balance"] and self._dead_account(ctx, who, details, account["reason"]):
            self.account.remove(state, asset_id, who)
        else:
            self.account.put(state, asset_id, who, account)
        self.asset.put(state, asset_id, details)
        return actual

    def _transfer(self, ctx: Ctx, asset_id: Any, source: bytes, dest: bytes, amount: int, keep_alive: bool,
                  need_admin: bytes | None) -> int:
        """transfer_and_die with burn_dust = false, best_effort = false; Transferred."""
        if amount == 0:
            return 0
        state = ctx.state
        details = self.live_details(state, asset_id)
        debit = self._prep_debit(state, asset_id, source, amount, keep_alive, best_effort=False)
        self._can_increase(state, asset_id, dest, debit, increase_supply=False)
        if need_admin is not None and need_admin != details["admin"]:
            raise self.error("NoPermission")
        if source != dest:
            source_account = self.account.get(state, asset_id, source)
            source_account["balance"] -= debit
            dest_account = self.account.get(state, asset_id, dest)
            if dest_account is None:
                dest_account = {"balance": 0, "status": "Liquid", "reason": self._new_account(ctx, dest, details),
                                "extra": []}
            dest_account["balance"] += debit
            self.account.put(state, asset_id, dest, dest_account)
            if source_account["balance"] < details["min_balance"] and \
                    self._dead_account(ctx, source, details, source_account["reason"]):
                self.account.remove(state, asset_id, source)
            else:
                self.account.put(state, asset_id, source, source_account)
            self.asset.put(state, asset_id, details)
        self.emit(ctx, "Transferred", {"asset_id": asset_id, "from": source, "to": dest, "amount": debit})
        return debit

    # --- frame_system sufficients ------------------------------------------------------------
    def _inc_sufficients(self, ctx: Ctx, who: bytes) -> None:
        info = self.system.get_account(ctx, who)
        if info["providers"] + info["sufficients"] == 0:
            info["sufficients"] = 1
            self.system.account.put(ctx.state, who, info)
            self.system.emit(ctx, "NewAccount", {"account": who})
            return
        info["sufficients"] += 1
        self.system.account.put(ctx.state, who, info)

    def _dec_sufficients(self, ctx: Ctx, who: bytes) -> None:
        if not self.system.account.exists(ctx.state, who):
            return
        info = self.system.get_account(ctx, who)
        if info["sufficients"] == 0:
            return
        if info["providers"] == 0 and info["sufficients"] == 1:
            self.system.account.remove(ctx.state, who)
            self.system.emit(ctx, "KilledAccount", {"account": who})
            return
        info["sufficients"] -= 1
        self.system.account.put(ctx.state, who, info)

    # --- native deposits (ReservableCurrency on Balances) --------------------------------
    def _reserve(self, ctx: Ctx, who: bytes, amount: int) -> None:
        if amount == 0:
            return
        balances = self.runtime.pallet("Balances")

        def change(data: dict, _is_new: bool) -> None:
            if data["free"] < amount:
                raise balances.error("InsufficientBalance")
            data["free"] -= amount
            data["reserved"] += amount
        balances.mutate_account(ctx, who, change)
        balances.emit(ctx, "Reserved", {"who": who, "amount": amount})

    # --- calls ---------------------------------------------------------------------------------
    def _lookup(self, address: Any) -> bytes:
        return self.runtime.pallet("Balances")._lookup(address)

    def _signed_creator(self, origin: Origin, asset_id: Any) -> bytes:
        return origin.ensure_signed()

    def call_create(self, ctx: Ctx, origin: Origin, id: Any, admin: Any, min_balance: int) -> None:
        owner = self._signed_creator(origin, id)
        admin = self._lookup(admin)
        if self.asset.exists(ctx.state, id):
            raise self.error("InUse")
        if min_balance == 0:
            raise self.error("MinBalanceZero")
        deposit = self.deposits["AssetDeposit"]
        self._reserve(ctx, owner, deposit)
        details = _details(owner, False, min_balance)
        details.update(admin=admin, issuer=admin, freezer=admin, deposit=deposit)
        self.asset.put(ctx.state, id, details)
        self.emit(ctx, "Created", {"asset_id": id, "creator": owner, "owner": admin})

    def call_force_create(self, ctx: Ctx, origin: Origin, id: Any, owner: Any, is_sufficient: bool,
                          min_balance: int) -> None:
        origin.ensure_root()
        owner = self._lookup(owner)
        if self.asset.exists(ctx.state, id):
            raise self.error("InUse")
        if min_balance == 0:
            raise self.error("MinBalanceZero")
        self.asset.put(ctx.state, id, _details(owner, is_sufficient, min_balance))
        self.emit(ctx, "ForceCreated", {"asset_id": id, "owner": owner})

    def call_mint(self, ctx: Ctx, origin: Origin, id: Any, beneficiary: Any, amount: int) -> None:
        issuer = origin.ensure_signed()
        who = self._lookup(beneficiary)
        self._increase_balance(ctx, id, who, amount, increase_supply=True, check_issuer=issuer)
        self.emit(ctx, "Issued", {"asset_id": id, "owner": who, "amount": amount})

    def call_burn(self, ctx: Ctx, origin: Origin, id: Any, who: Any, amount: int) -> None:
        admin = origin.ensure_signed()
        who = self._lookup(who)
        details = self.details(ctx.state, id)
        if details["status"] not in ("Live", "Frozen"):
            raise self.error("AssetNotLive")
        burnt = self._decrease_balance(ctx, id, who, amount, keep_alive=False, best_effort=True,
                                       decrease_supply=True, check_admin=admin)
        self.emit(ctx, "Burned", {"asset_id": id, "owner": who, "balance": burnt})

    def call_transfer(self, ctx: Ctx, origin: Origin, id: Any, target: Any, amount: int) -> None:
        self._transfer(ctx, id, origin.ensure_signed(), self._lookup(target), amount, False, None)

    def call_transfer_keep_alive(self, ctx: Ctx, origin: Origin, id: Any, target: Any, amount: int) -> None:
        self._transfer(ctx, id, origin.ensure_signed(), self._lookup(target), amount, True, None)

    def call_force_transfer(self, ctx: Ctx, origin: Origin, id: Any, source: Any, dest: Any, amount: int) -> None:
        admin = origin.ensure_signed()
        self._transfer(ctx, id, self._lookup(source), self._lookup(dest), amount, False, admin)

    def call_transfer_all(self, ctx: Ctx, origin: Origin, id: Any, dest: Any, keep_alive: bool) -> None:
        source = origin.ensure_signed()
        amount = self._reducible(ctx.state, id, source, keep_alive, or_zero=True)
        self._transfer(ctx, id, source, self._lookup(dest), amount, keep_alive, None)

    def _set_metadata(self, ctx: Ctx, id: Any, name: bytes, symbol: bytes, decimals: int, is_frozen: bool,
                      deposit: int) -> None:
        if len(name) > STRING_LIMIT or len(symbol) > STRING_LIMIT:
            raise self.error("BadMetadata")
        self.metadata.put(ctx.state, id, {"deposit": deposit, "name": bytes(name), "symbol": bytes(symbol),
                                          "decimals": decimals, "is_frozen": is_frozen})
        self.emit(ctx, "MetadataSet", {"asset_id": id, "name": bytes(name), "symbol": bytes(symbol),
                                       "decimals": decimals, "is_frozen": is_frozen})

    def call_set_metadata(self, ctx: Ctx, origin: Origin, id: Any, name: bytes, symbol: bytes, decimals: int) -> None:
        who = origin.ensure_signed()
        details = self.details(ctx.state, id)
        if details["owner"] != who:
            raise self.error("NoPermission")
        old = self.metadata.get(ctx.state, id)
        if old["is_frozen"]:
            raise self.error("NoPermission")
        deposit = self.deposits["MetadataDepositPerByte"] * (len(name) + len(symbol)) + \
            self.deposits["MetadataDepositBase"]
        self._reserve(ctx, who, max(deposit - old["deposit"], 0))
        self._set_metadata(ctx, id, name, symbol, decimals, False, deposit)

    def call_force_set_metadata(self, ctx: Ctx, origin: Origin, id: Any, name: bytes, symbol: bytes, decimals: int,
                                is_frozen: bool) -> None:
        origin.ensure_root()
        self.details(ctx.state, id)
        self._set_metadata(ctx, id, name, symbol, decimals, is_frozen, self.metadata.get(ctx.state, id)["deposit"])

    def call_touch(self, ctx: Ctx, origin: Origin, id: Any) -> None:
        who = origin.ensure_signed()
        state = ctx.state
        if self.account.exists(state, id, who):
            raise self.error("AlreadyExists")
        details = self.live_details(state, id)
        deposit = self.deposits["AssetAccountDeposit"]
        details["accounts"] += 1
        self._reserve(ctx, who, deposit)
        self.asset.put(state, id, details)
        self.account.put(state, id, who, {"balance": 0, "status": "Liquid", "reason": {"DepositHeld": deposit},
                                          "extra": []})
        self.emit(ctx, "Touched", {"asset_id": id, "who": who, "depositor": who})

    def call_set_min_balance(self, ctx: Ctx, origin: Origin, id: Any, min_balance: int) -> None:
        who = origin.ensure_signed()
        details = self.details(ctx.state, id)
        if details["owner"] != who:
            raise self.error("NoPermission")
        if details["status"] != "Live":
            raise self.error("AssetNotLive")
        # a sufficient asset's minimum is fixed; with holders it may only go down
        if details["is_sufficient"] or (min_balance >= details["min_balance"] and details["accounts"] > 0):
            raise self.error("NoPermission")
        details["min_balance"] = min_balance
        self.asset.put(ctx.state, id, details)
        self.emit(ctx, "AssetMinBalanceChanged", {"asset_id": id, "new_min_balance": min_balance})

    def call_set_reserves(self, ctx: Ctx, origin: Origin, id: Any, reserves: list) -> None:
        """The owner (through the CreateOrigin) replaces the asset's trusted reserves."""
        who = self._signed_creator(origin, id)
        if self.details(ctx.state, id)["owner"] != who:
            raise self.error("NoPermission")
        if len(reserves) > MAX_RESERVES:
            raise self.error("BadWitness")
        if reserves:
            self.reserves.put(ctx.state, id, list(reserves))
            self.emit(ctx, "ReservesUpdated", {"asset_id": id, "reserves": list(reserves)})
        else:
            self.reserves.remove(ctx.state, id)
            self.emit(ctx, "ReservesRemoved", {"asset_id": id})


class ForeignAssets(Assets):
    """pallet_assets::<Instance2>: assets of other chains, keyed by their XCM v5 Location."""

    NAME = "ForeignAssets"
    FOREIGN = True

    def default_genesis(self) -> dict:
        """The other network's native token, as the bridge needs it (bridged_native_asset), its
        trusted reserve, and the pool's liquidity in it (pools.py)."""
        asset = bridged_native_asset(self.runtime.config.network)
        pool = bridged_pool(self.runtime.config.network)
        return {"assets": [(asset.location, asset.owner, asset.is_sufficient, asset.min_balance)],
                "metadata": [(asset.location, asset.name, asset.symbol, asset.decimals)],
                "reserves": [(asset.location, [{"reserve": asset.reserve, "teleportable": False}])],
                "accounts": [(asset.location, pool.account, pool.asset_liquidity)]}

    def _signed_creator(self, origin: Origin, asset_id: Any) -> bytes:
        """ForeignCreators: an XCM origin whose location prefixes the asset's; its sovereign pays."""
        if origin.kind != "xcm" or origin.account is None or not _is_prefix(origin.location, asset_id):
            raise DispatchError.simple("BadOrigin")
        return origin.account


def _details(owner: bytes, is_sufficient: bool, min_balance: int) -> dict:
    return {"owner": owner, "issuer": owner, "admin": owner, "freezer": owner, "supply": 0, "deposit": 0,
            "min_balance": min_balance, "is_sufficient": is_sufficient, "accounts": 0, "sufficients": 0,
            "approvals": 0, "status": "Live"}


def _is_prefix(prefix: dict, loc: dict) -> bool:
    p_parents, p_items = unpack(prefix)
    parents, items = unpack(loc)
    return p_parents == parents and items[:len(p_items)] == p_items
