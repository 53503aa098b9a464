"""The runtime parts pallet-xcm and the executor work through, from the composed runtime's own pallets."""
from __future__ import annotations

from typing import Any

from ...runtime.frame import Ctx
from ..config import XcmHooks


class BalancesFungible:
    """Minimal adapter: the runtime's pallet-balances (runtime/balances.py) as config.Fungible."""

    def __init__(self, balances: Any):
        self.balances = balances

    def balance(self, ctx: Ctx, who: bytes) -> int:
        return self.balances.free_balance(ctx.state, who)

    def mint_into(self, ctx: Ctx, who: bytes, amount: int) -> None:
        self.balances.mint(ctx, who, amount)

    def burn_from(self, ctx: Ctx, who: bytes, amount: int) -> None:
        self.balances.burn_from(ctx, who, amount, keep_alive=False)

    def transfer(self, ctx: Ctx, source: bytes, dest: bytes, amount: int) -> None:
        self.balances.transfer(ctx, source, dest, amount, keep_alive=False)

    def issue_to(self, ctx: Ctx, who: bytes, amount: int) -> None:
        """Currency::issue resolved into `who` (UsingComponents' revenue through ResolveTo)."""
        self.balances.deposit(ctx, who, amount, exact=True, issue=True)


def default_hooks(runtime: Any) -> XcmHooks:
    """Hooks from the composed runtime's own pallets; its runtime kind (runtimes/) adds the router,
    pools and exporter."""
    fees = runtime.pallet("TransactionPayment").FEES
    return XcmHooks(native=BalancesFungible(runtime.pallet("Balances")),
                    weight_to_fee=lambda weight: fees.weight_to_fee(weight["ref_time"], weight["proof_size"]),
                    assets=runtime.by_name.get("Assets"), foreign_assets=runtime.by_name.get("ForeignAssets"))
