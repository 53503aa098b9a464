"""pallet_balances with the System account store, as every fellows runtime configures it.

Sources (polkadot-sdk): substrate/frame/balances/src/lib.rs (storage, calls, events, errors and
constants in declaration order; try_mutate_account), impl_fungible.rs (reducible_balance,
can_deposit, can_withdraw, write_balance, the done_* events), types.rs (AccountData, ExtraFlags,
BalanceLock, ReserveData, AdjustmentDirection); frame_support traits/tokens/fungible/regular.rs
(transfer, increase/decrease_balance, mint_into, burn_from, withdraw, deposit, resolve) and
traits/tokens/misc.rs (WithdrawConsequence/DepositConsequence into TokenError). The event list is
pallet-balances 49 (fellows 2.3.x; MintedCredit, BurnedDebt and Held .. Released from polkadot-sdk
#7250), as the Bridge Hubs' 2_003_000 metadata has it (parity-bridges-common
relay-clients/client-bridge-hub-*/src/codegen_runtime.rs).

Imbalances are plain numbers here: `withdraw` leaves a credit the caller settles with `resolve`
(into an account) or `drop_credit` (burnt: TotalIssuance falls, as fungible::DecreaseIssuance).
"""
from __future__ import annotations

from typing import Callable

from .frame import Ctx, DispatchError, Origin, Pallet

# frame_support::traits::tokens::Preservation
EXPENDABLE, PROTECT, PRESERVE = "expendable", "protect", "preserve"

# pallet_balances::types::ExtraFlags IS_NEW_LOGIC (its Default): every account we write has it
NEW_LOGIC_FLAG = 1 << 127


class Balances(Pallet):
    NAME = "Balances"

    def declare(self) -> None:
        r, t = self.reg, self.t
        u128, acc = t.u128, t.account_id
        cbal = r.compact(u128)
        ident = r.array(t.u8, 8)
        reasons = r.variant("pallet_balances::types::Reasons", [("Fee", 0, []), ("Misc", 1, []), ("All", 2, [])])
        lock = r.composite("pallet_balances::types::BalanceLock", [
            ("id", ident, "LockIdentifier"), ("amount", u128, "Balance"), ("reasons", reasons, "Reasons")],
            params=[("Balance", u128)])
        reserve = r.composite("pallet_balances::types::ReserveData", [
            ("id", ident, "ReserveIdentifier"), ("amount", u128, "Balance")],
            params=[("ReserveIdentifier", ident), ("Balance", u128)])
        # Simplified: the runtime-wide reason enums list no pallet yet (the emulated pallets
        # place no holds or freezes); their paths are the real ones.
        crate = self.runtime.config.crate
        self.hold_reason = r.variant(f"{crate}::RuntimeHoldReason", [])
        self.freeze_reason = r.variant(f"{crate}::RuntimeFreezeReason", [])

        def id_amount(id_t: int) -> int:
            return r.composite("frame_support::traits::tokens::misc::IdAmount", [
                ("id", id_t, "Id"), ("amount", u128, "Balance")], params=[("Id", id_t), ("Balance", u128)])

        def bounded(inner: int, weak: bool = False) -> int:
            kind = "weak_bounded_vec::WeakBoundedVec" if weak else "bounded_vec::BoundedVec"
            return r.composite(f"bounded_collections::{kind}", [(None, r.seq(inner), "Vec<T>")],
                               params=[("T", inner), ("S", None)])

        self.total_issuance = self.item("TotalIssuance", u128, default=0)
        self.inactive_issuance = self.item("InactiveIssuance", u128, default=0)
        self.item("Account", t.account_data, (acc,), ("Blake2_128Concat",),
                  default={"free": 0, "reserved": 0, "frozen": 0, "flags": NEW_LOGIC_FLAG})
        self.locks = self.item("Locks", bounded(lock, weak=True), (acc,), ("Blake2_128Concat",), default=[])
        self.reserves = self.item("Reserves", bounded(reserve), (acc,), ("Blake2_128Concat",), default=[])
        self.holds = self.item("Holds", bounded(id_amount(self.hold_reason)), (acc,), ("Blake2_128Concat",),
                               default=[])
        self.freezes = self.item("Freezes", bounded(id_amount(self.freeze_reason)), (acc,), ("Blake2_128Concat",),
                                 default=[])

        addr = t.multi_address
        direction = r.variant("pallet_balances::types::AdjustmentDirection",
                              [("Increase", 0, []), ("Decrease", 1, [])])
        self.calls = r.variant("pallet_balances::pallet::Call", [
            ("transfer_allow_death", 0, [("dest", addr, "AccountIdLookupOf<T>"), ("value", cbal, "T::Balance")]),
            ("force_transfer", 2, [("source", addr, "AccountIdLookupOf<T>"), ("dest", addr, "AccountIdLookupOf<T>"),
                                   ("value", cbal, "T::Balance")]),
            ("transfer_keep_alive", 3, [("dest", addr, "AccountIdLookupOf<T>"), ("value", cbal, "T::Balance")]),
            ("transfer_all", 4, [("dest", addr, "AccountIdLookupOf<T>"), ("keep_alive", t.bool, "bool")]),
            ("force_unreserve", 5, [("who", addr, "AccountIdLookupOf<T>"), ("amount", u128, "T::Balance")]),
            ("upgrade_accounts", 6, [("who", r.seq(acc), "Vec<T::AccountId>")]),
            ("force_set_balance", 8, [("who", addr, "AccountIdLookupOf<T>"), ("new_free", cbal, "T::Balance")]),
            ("force_adjust_total_issuance", 9, [("direction", direction, "AdjustmentDirection"),
                                                ("delta", cbal, "T::Balance")]),
            ("burn", 10, [("value", cbal, "T::Balance"), ("keep_alive", t.bool, "bool")]),
        ], params=[("T", None), ("I", None)])

        def who_amount() -> list:
            return [("who", acc, "T::AccountId"), ("amount", u128, "T::Balance")]

        def reason_who_amount() -> list:
            return [("reason", self.hold_reason, "T::RuntimeHoldReason")] + who_amount()

        def hold_move(last: str) -> list:
            return [("reason", self.hold_reason, "T::RuntimeHoldReason"), ("source", acc, "T::AccountId"),
                    ("dest", acc, "T::AccountId"), (last, u128, "T::Balance")]

        unexpected = r.variant("pallet_balances::pallet::UnexpectedKind",
                               [("BalanceUpdated", 0, []), ("FailedToMutateAccount", 1, [])])
        events = [
            ("Endowed", [("account", acc, "T::AccountId"), ("free_balance", u128, "T::Balance")]),
            ("DustLost", [("account", acc, "T::AccountId"), ("amount", u128, "T::Balance")]),
            ("Transfer", [("from", acc, "T::AccountId"), ("to", acc, "T::AccountId"), ("amount", u128, "T::Balance")]),
            ("BalanceSet", [("who", acc, "T::AccountId"), ("free", u128, "T::Balance")]),
            ("Reserved", who_amount()), ("Unreserved", who_amount()),
            ("ReserveRepatriated", [("from", acc, "T::AccountId"), ("to", acc, "T::AccountId"),
                                    ("amount", u128, "T::Balance"), ("destination_status", t.balance_status, "Status")]),
            ("Deposit", who_amount()), ("Withdraw", who_amount()), ("Slashed", who_amount()),
            ("Minted", who_amount()), ("MintedCredit", [("amount", u128, "T::Balance")]),
            ("Burned", who_amount()), ("BurnedDebt", [("amount", u128, "T::Balance")]), ("Suspended", who_amount()),
            ("Restored", who_amount()), ("Upgraded", [("who", acc, "T::AccountId")]),
            ("Issued", [("amount", u128, "T::Balance")]), ("Rescinded", [("amount", u128, "T::Balance")]),
            ("Locked", who_amount()), ("Unlocked", who_amount()), ("Frozen", who_amount()), ("Thawed", who_amount()),
            ("TotalIssuanceForced", [("old", u128, "T::Balance"), ("new", u128, "T::Balance")]),
            ("Held", reason_who_amount()), ("BurnedHeld", reason_who_amount()),
            ("TransferOnHold", hold_move("amount")), ("TransferAndHold", hold_move("transferred")),
            ("Released", reason_who_amount()),
            ("Unexpected", [(None, unexpected, "UnexpectedKind")]),
        ]
        self.events = r.variant("pallet_balances::pallet::Event",
                                [(n, i, f) for i, (n, f) in enumerate(events)], params=[("T", None), ("I", None)])
        self.errors = r.variant("pallet_balances::pallet::Error", [(n, i, []) for i, n in enumerate((
            "VestingBalance", "LiquidityRestrictions", "InsufficientBalance", "ExistentialDeposit", "Expendability",
            "ExistingVestingSchedule", "DeadAccount", "TooManyReserves", "TooManyHolds", "TooManyFreezes",
            "IssuanceDeactivated", "DeltaZero"))], params=[("T", None), ("I", None)])

        self.ed = self.constant("ExistentialDeposit", u128, self.runtime.config.existential_deposit)
        # relay/*/src/lib.rs and asset-hub-*/src/lib.rs: MaxLocks = MaxReserves = 50;
        # MaxFreezes = VariantCountOf<RuntimeFreezeReason> (1: NominationPools' only reason)
        self.constant("MaxLocks", t.u32, 50)
        self.constant("MaxReserves", t.u32, 50)
        self.constant("MaxFreezes", t.u32, 1)

    # --- reading ---------------------------------------------------------------------------
    @property
    def system(self):
        return self.runtime.pallet("System")

    def account_data(self, state, who: bytes) -> dict:
        return self.system.account.get(state, who)["data"]

    def free_balance(self, state, who: bytes) -> int:
        return self.account_data(state, who)["free"]

    def reducible_balance(self, state, who: bytes, preservation: str, force: bool = False) -> int:
        a = self.account_data(state, who)
        untouchable = 0 if force else max(a["frozen"] - a["reserved"], 0)
        if (preservation == PRESERVE
                or preservation == PROTECT and a["free"] and self.system.providers(state, who) == 1
                or preservation == EXPENDABLE and a["free"] and not self.system.can_dec_provider(state, who)):
            untouchable = max(untouchable, self.ed)
        return max(a["free"] - untouchable, 0)

    def can_deposit(self, state, who: bytes, amount: int, minted: bool = False) -> None:
        """Raises the DepositConsequence as its DispatchError (Token.BelowMinimum ...)."""
        if amount == 0:
            return
        if minted and self.total_issuance.get(state) + amount >= 1 << 128:
            raise DispatchError.arithmetic("Overflow")
        new_free = self.account_data(state, who)["free"] + amount
        if new_free >= 1 << 128:
            raise DispatchError.arithmetic("Overflow")
        if new_free < self.ed:
            raise DispatchError.token("BelowMinimum")

    def can_withdraw(self, state, who: bytes, amount: int, keep_nonzero: bool) -> None:
        """Raises the WithdrawConsequence as its DispatchError (Token.FundsUnavailable ...)."""
        if amount == 0:
            return
        if self.total_issuance.get(state) < amount:
            raise DispatchError.arithmetic("Underflow")
        a = self.account_data(state, who)
        if a["free"] < amount:
            raise DispatchError.token("FundsUnavailable")
        if amount > self.reducible_balance(state, who, EXPENDABLE):
            raise DispatchError.token("Frozen")
        new_free = a["free"] - amount
        reduced_to_zero = False
        if new_free < self.ed:
            if not self.system.can_dec_provider(state, who):
                raise DispatchError.token("OnlyProvider")
            reduced_to_zero = True
        if new_free + a["reserved"] < a["frozen"]:
            raise DispatchError.token("Frozen")
        if reduced_to_zero and keep_nonzero:
            raise DispatchError.token("NotExpendable")

    # --- the account store -----------------------------------------------------------------
    def mutate_account(self, ctx: Ctx, who: bytes, change: Callable[[dict, bool], object]) -> tuple[object, int | None]:
        """try_mutate_account: apply `change(data, is_new)`, keep the reference counts right,
        reap a dusty account. Returns (change's result, dust). Atomic: on error nothing is kept."""
        ctx.state.begin()
        try:
            result, dust, endowed = self._mutate_account(ctx, who, change)
        except DispatchError:
            ctx.state.rollback()
            raise
        ctx.state.commit()
        if endowed is not None:
            self.emit(ctx, "Endowed", {"account": who, "free_balance": endowed})
        if dust is not None:
            self.emit(ctx, "DustLost", {"account": who, "amount": dust})
        return result, dust

    def _mutate_account(self, ctx: Ctx, who: bytes, change):
        system, state, ed = self.system, ctx.state, self.ed
        data = dict(self.account_data(state, who))
        is_new = data == _default_data()
        did_provide = data["free"] >= ed and system.providers(state, who) > 0
        did_consume = not is_new and (data["reserved"] > 0 or data["frozen"] > 0)
        result = change(data, is_new)
        does_provide = data["free"] >= ed
        does_consume = data["reserved"] > 0 or data["frozen"] > 0
        if not did_provide and does_provide:
            system.inc_providers(ctx, who)
        if did_consume and not does_consume:
            system.dec_consumers(ctx, who)
        if not did_consume and does_consume:
            system.inc_consumers(ctx, who)
        if did_provide and not does_provide:
            system.dec_providers(ctx, who)   # may reap: must go last
        endowed = data["free"] if is_new else None
        dust = None
        if data["free"] < ed and data["reserved"] == 0:
            dust = data["free"] or None
            data = _default_data()
        # frame_system's StoredMap::try_mutate_exists: keep the data only while someone provides
        info = system.account.get(state, who)
        if info["providers"] > 0 or info["sufficients"] > 0:
            info["data"] = data
            system.account.put(state, who, info)
        else:
            system.account.remove(state, who)
        return result, dust, endowed

    def write_balance(self, ctx: Ctx, who: bytes, amount: int) -> int | None:
        max_reduction = self.reducible_balance(ctx.state, who, EXPENDABLE, force=True)

        def change(a, _is_new):
            if max(a["free"] - amount, 0) > max_reduction:
                raise self.error("InsufficientBalance")
            a["free"] = amount
        _, dust = self.mutate_account(ctx, who, change)
        return dust

    # --- fungible::Unbalanced / Mutate / Balanced ---------------------------------------------
    def decrease_balance(self, ctx: Ctx, who: bytes, amount: int, exact: bool, preservation: str,
                         force: bool = False) -> int:
        old = self.free_balance(ctx.state, who)
        reducible = self.reducible_balance(ctx.state, who, preservation, force)
        if exact and reducible < amount:
            raise DispatchError.token("FundsUnavailable")
        amount = min(amount, reducible)
        if old < amount:
            raise DispatchError.token("FundsUnavailable")
        dust = self.write_balance(ctx, who, old - amount)
        if dust:
            self.drop_credit(ctx, dust)
        return amount

    def increase_balance(self, ctx: Ctx, who: bytes, amount: int, exact: bool) -> int:
        old = self.free_balance(ctx.state, who)
        new = old + amount
        if new >= 1 << 128:
            if exact:
                raise DispatchError.arithmetic("Overflow")
            new = (1 << 128) - 1
        if new < self.ed:
            if exact:
                raise DispatchError.token("BelowMinimum")
            return 0
        if new == old:
            return 0
        dust = self.write_balance(ctx, who, new)
        if dust:
            self.drop_credit(ctx, dust)
        return new - old

    def transfer(self, ctx: Ctx, source: bytes, dest: bytes, amount: int, keep_alive: bool | str) -> int:
        """fungible::Mutate::transfer; keep_alive True/False or a Preservation name."""
        preservation = keep_alive if isinstance(keep_alive, str) else (PRESERVE if keep_alive else EXPENDABLE)
        self.can_withdraw(ctx.state, source, amount, keep_nonzero=preservation != EXPENDABLE)
        self.can_deposit(ctx.state, dest, amount)
        if source == dest:
            return amount
        ctx.state.begin()
        try:
            self.decrease_balance(ctx, source, amount, exact=False, preservation=preservation)
            self.increase_balance(ctx, dest, amount, exact=False)
        except DispatchError:
            ctx.state.rollback()
            raise
        ctx.state.commit()
        self.emit(ctx, "Transfer", {"from": source, "to": dest, "amount": amount})
        return amount

    def mint(self, ctx: Ctx, who: bytes, amount: int) -> int:
        """fungible::Mutate::mint_into: new issuance into `who` (Minted)."""
        if self.total_issuance.get(ctx.state) + amount >= 1 << 128:
            raise DispatchError.arithmetic("Overflow")
        actual = self.increase_balance(ctx, who, amount, exact=True)
        self.total_issuance.put(ctx.state, self.total_issuance.get(ctx.state) + actual)
        self.emit(ctx, "Minted", {"who": who, "amount": amount})
        return actual

    def burn_from(self, ctx: Ctx, who: bytes, amount: int, keep_alive: bool | str, exact: bool = True,
                  force: bool = False) -> int:
        """fungible::Mutate::burn_from: issuance leaves with the balance (Burned)."""
        preservation = keep_alive if isinstance(keep_alive, str) else (PRESERVE if keep_alive else EXPENDABLE)
        actual = min(self.reducible_balance(ctx.state, who, preservation, force), amount)
        if actual != amount and exact:
            raise DispatchError.token("FundsUnavailable")
        if self.total_issuance.get(ctx.state) < actual:
            raise DispatchError.arithmetic("Overflow")
        actual = self.decrease_balance(ctx, who, actual, exact=False, preservation=preservation, force=force)
        self.total_issuance.put(ctx.state, self.total_issuance.get(ctx.state) - actual)
        self.emit(ctx, "Burned", {"who": who, "amount": actual})
        return actual

    def withdraw(self, ctx: Ctx, who: bytes, amount: int, keep_alive: bool | str = True, exact: bool = True) -> int:
        """fungible::Balanced::withdraw (Withdraw event): returns the credit, issuance unchanged
        until the caller resolves it into an account or drops it."""
        preservation = keep_alive if isinstance(keep_alive, str) else (PRESERVE if keep_alive else EXPENDABLE)
        taken = self.decrease_balance(ctx, who, amount, exact=exact, preservation=preservation)
        self.emit(ctx, "Withdraw", {"who": who, "amount": taken})
        return taken

    def deposit(self, ctx: Ctx, who: bytes, amount: int, exact: bool = False, issue: bool = True) -> int:
        """fungible::Balanced::deposit (Deposit event). With issue=True the debt is dropped at once,
        so TotalIssuance grows (IncreaseIssuance); issue=False offsets a credit the caller holds."""
        added = self.increase_balance(ctx, who, amount, exact=exact)
        self.emit(ctx, "Deposit", {"who": who, "amount": added})
        if issue:
            self.total_issuance.put(ctx.state, self.total_issuance.get(ctx.state) + added)
        return added

    def resolve(self, ctx: Ctx, who: bytes, credit: int) -> bool:
        """fungible::Balanced::resolve: a credit into `who`; on failure the credit is burnt
        (the credit handed back and dropped, as ResolveTo does)."""
        if credit == 0:
            return True
        try:
            self.deposit(ctx, who, credit, exact=True, issue=False)
        except DispatchError:
            self.drop_credit(ctx, credit)
            return False
        return True

    def drop_credit(self, ctx: Ctx, amount: int) -> None:
        """A dropped Credit: fungible::DecreaseIssuance."""
        self.total_issuance.put(ctx.state, max(self.total_issuance.get(ctx.state) - amount, 0))

    # --- genesis ---------------------------------------------------------------------------
    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig::build: TotalIssuance = sum, inc_providers and free balance per account."""
        balances: list[tuple[bytes, int]] = config.get("balances", [])
        self.total_issuance.put(ctx.state, sum(b for _, b in balances))
        for who, free in balances:
            if free < self.ed:
                raise ValueError("the balance of any account should always be at least the existential deposit")
            self.system.inc_providers(ctx, who)
            info = self.system.account.get(ctx.state, who)
            info["data"] = {**_default_data(), "free": free}
            self.system.account.put(ctx.state, who, info)

    # --- calls -----------------------------------------------------------------------------
    def _lookup(self, address) -> bytes:
        if isinstance(address, dict) and "Id" in address:
            return address["Id"]
        if isinstance(address, dict) and "Address32" in address:
            return address["Address32"]
        raise DispatchError.simple("CannotLookup")   # no pallet-indices lookup is emulated

    def call_transfer_allow_death(self, ctx: Ctx, origin: Origin, dest, value: int) -> None:
        self.transfer(ctx, origin.ensure_signed(), self._lookup(dest), value, EXPENDABLE)

    def call_force_transfer(self, ctx: Ctx, origin: Origin, source, dest, value: int) -> None:
        origin.ensure_root()
        self.transfer(ctx, self._lookup(source), self._lookup(dest), value, EXPENDABLE)

    def call_transfer_keep_alive(self, ctx: Ctx, origin: Origin, dest, value: int) -> None:
        self.transfer(ctx, origin.ensure_signed(), self._lookup(dest), value, PRESERVE)

    def call_transfer_all(self, ctx: Ctx, origin: Origin, dest, keep_alive: bool) -> None:
        who = origin.ensure_signed()
        preservation = PRESERVE if keep_alive else EXPENDABLE
        amount = self.reducible_balance(ctx.state, who, preservation)
        self.transfer(ctx, who, self._lookup(dest), amount, preservation)

    def call_force_set_balance(self, ctx: Ctx, origin: Origin, who, new_free: int) -> None:
        origin.ensure_root()
        who = self._lookup(who)
        new_free = 0 if new_free < self.ed else new_free

        def change(a, _is_new):
            old = a["free"]
            a["free"] = new_free
            return old
        old_free, _ = self.mutate_account(ctx, who, change)
        issuance = self.total_issuance.get(ctx.state)
        self.total_issuance.put(ctx.state, max(issuance + new_free - old_free, 0))   # the dropped imbalance
        self.emit(ctx, "BalanceSet", {"who": who, "free": new_free})

    def call_force_adjust_total_issuance(self, ctx: Ctx, origin: Origin, direction: str, delta: int) -> None:
        origin.ensure_root()
        if delta == 0:
            raise self.error("DeltaZero")
        old = self.total_issuance.get(ctx.state)
        new = min(old + delta, (1 << 128) - 1) if direction == "Increase" else max(old - delta, 0)
        if self.inactive_issuance.get(ctx.state) > new:
            raise self.error("IssuanceDeactivated")
        self.total_issuance.put(ctx.state, new)
        self.emit(ctx, "TotalIssuanceForced", {"old": old, "new": new})

    def call_burn(self, ctx: Ctx, origin: Origin, value: int, keep_alive: bool) -> None:
        self.burn_from(ctx, origin.ensure_signed(), value, keep_alive)


def _default_data() -> dict:
    return {"free": 0, "reserved": 0, "frozen": 0, "flags": NEW_LOGIC_FLAG}
