"""Balance expectations: read before and after, the fees that explain a change, and one row per expectation.

A chain's own token is read from System.Account; a token of another consensus from ForeignAssets.Account at
the token's location (2, [GlobalConsensus(net)]) (F asset-hubs/*/src/lib.rs: ForeignAssets, keyed by xcm
Location), where an account that does not exist holds 0, and one below the asset's min_balance cannot exist.
"""
from __future__ import annotations

from ..client.chain import Receipt, account_balance, fee_paid
from ..network import routes
from ..scenario.model import BalanceExpect, Scenario
from .accounts import Accounts
from .result import BalanceRow, ScenarioFailure
from .trace import Trace
from .units import Units

FOREIGN_ASSETS = "ForeignAssets"


class Balances:
    def __init__(self, scenario: Scenario, clients, units: Units, accounts: Accounts) -> None:
        self.scenario, self.clients, self.units, self.address = scenario, clients, units, accounts.address
        self.before: dict[int, tuple[int, int]] = {}  # expectation index -> (balance, block)
        self.min_balance: dict[int, int | None] = {}

    def read(self) -> list[tuple[int, int]]:
        """(balance, block number) for each expectation's account, asset and field: a chain's all read at once."""
        found: list[tuple[int, int]] = [(0, 0)] * len(self.scenario.balances)
        by_chain: dict[str, list[int]] = {}
        for index, expect in enumerate(self.scenario.balances):
            by_chain.setdefault(expect.chain, []).append(index)
        for chain, indices in by_chain.items():
            client = self.clients[chain]
            values, number = client.read([self._item(client, self.scenario.balances[i]) for i in indices])
            for index, value in zip(indices, values):
                found[index] = self._balance(self.scenario.balances[index], value), number
        return found

    def _item(self, client, expect: BalanceExpect) -> tuple[str, str, list]:
        address = self.address(expect.account, expect.chain)
        if expect.asset is None:
            return "System", "Account", [address]
        location = routes.asset_location(self.scenario.network, expect.chain, expect.asset)
        return client.asset_account(FOREIGN_ASSETS, location, address)

    @staticmethod
    def _balance(expect: BalanceExpect, value) -> int:
        if expect.asset is None:
            return account_balance(value).field(expect.field)
        return int(value["balance"]) if value else 0  # an account that does not exist holds 0

    def record_before(self) -> None:
        self.before = dict(enumerate(self.read()))
        for index, expect in enumerate(self.scenario.balances):
            if expect.asset is not None:
                location = routes.asset_location(self.scenario.network, expect.chain, expect.asset)
                self.min_balance[index] = self.clients[expect.chain].asset_min_balance(FOREIGN_ASSETS, location)

    def rows(self, receipts: list[Receipt], traces: list[Trace]) -> list[BalanceRow]:
        """One row per expectation, counting the fees of the measured steps' receipts, and the execution fees of
        the traced arrivals in the blocks between the two reads."""
        after = self.read()
        return [self.row(index, expect, after[index], receipts, traces)
                for index, expect in enumerate(self.scenario.balances)]

    def raise_first_bad(self, rows: list[BalanceRow]) -> None:
        bad = [(row, expect) for row, expect in zip(rows, self.scenario.balances) if not row.ok]
        if not bad:
            return
        row, expect = bad[0]
        message = (f"{len(bad)} balance change(s) not as expected, first: {row.account} on {row.chain} changed by "
                   f"{self.units.text(row.actual, row.chain, expect.asset)}, expected {row.expected}")
        if row.min_balance and 0 < row.before + row.high < row.min_balance:
            message += (f"; {self.units.text(row.before + row.high, row.chain, expect.asset)} is below the asset's "
                        f"min_balance, so no account can hold it")
        raise ScenarioFailure(message, path=expect.path)

    def row(self, index: int, expect: BalanceExpect, read: tuple[int, int], receipts: list[Receipt],
            traces: list[Trace]) -> BalanceRow:
        chain, symbol = expect.chain, expect.asset
        address = self.address(expect.account, chain)
        after, after_block = read
        before, before_block = self.before[index]
        change = self.units.planck(expect.change, chain)
        text = f"{expect.change}"
        if expect.plus_fees:
            fees = sum(fee_paid(e, address) for r in receipts if r.chain == chain for e in r.events)
            change -= fees
            text += f" - fees paid ({self.units.text(fees, chain)})"
        if expect.plus_execution_fees:
            taken = execution_fees(traces, chain, expect.account, symbol or self.scenario.network.chain(chain).token,
                                   before_block, after_block)
            change -= taken
            text += f" - execution fees traced ({self.units.text(taken, chain, symbol)})"
        low = high = change
        if expect.fee_bound:
            low = change - self.units.planck(expect.fee_bound, chain)
            text += f", less at most {expect.fee_bound}"
        minimum = self.min_balance.get(index)
        if minimum:
            text += f" (min_balance {self.units.text(minimum, chain, symbol)})"
        return BalanceRow(chain, str(expect.account), address, expect.field, text, low, high, before, after,
                          before_block, after_block, symbol or "", minimum,
                          bool(expect.plus_fees or expect.plus_execution_fees or expect.fee_bound))


def execution_fees(traces: list[Trace], chain: str, beneficiary: object, symbol: str, after: int, upto: int) -> int:
    """What the traced transfers of `symbol` to `beneficiary` lost to execution on arriving at `chain` in the
    blocks after `after` up to `upto`."""
    return sum(hop.execution_fee or 0 for trace in traces if trace.beneficiary == beneficiary and trace.asset == symbol
               for hop in trace.hops[1:] if hop.chain == chain and after < hop.block <= upto)
