"""Runs one scenario: steps, then expectations, with snapshot and revert around it."""
from __future__ import annotations

import time
from dataclasses import dataclass

from ..client.chain import ChainClient, Event, Receipt, fee_paid
from ..client.xcm import CALLS, transfer_params
from ..errors import ChainCallError
from ..network import routes
from ..providers.base import RunningNetwork
from ..scenario.amounts import Amount, format_planck
from ..scenario.model import EventMatch, Fund, Scenario, Step, Transfer, Wait, XcmTransfer
from .accounts import keypair
from .delivery import DeliveryTimeout, DeliveryWait
from .matching import matches
from .result import BalanceRow, ScenarioFailure, ScenarioResult


class ClientPool:
    """One ChainClient per chain of a running network, opened on first use."""

    def __init__(self, network: RunningNetwork, timeout: float) -> None:
        self.network, self.timeout = network, timeout
        self._clients: dict[str, ChainClient] = {}

    def __getitem__(self, chain: str) -> ChainClient:
        if chain not in self._clients:
            self._clients[chain] = ChainClient(chain, self.network.endpoints[chain], self.timeout)
        return self._clients[chain]

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


@dataclass
class _Cursor:
    """Per chain: the last block whose events the run has looked at."""

    start: int
    seen: int


class ScenarioRunner:
    def __init__(self, scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> None:
        self.scenario, self.network, self.clients, self.step_timeout = scenario, network, clients, step_timeout
        self.result = ScenarioResult(scenario)
        self.cursors: dict[str, _Cursor] = {}
        self.before: dict[tuple[str, str, str], tuple[int, int]] = {}
        self.measured_receipts = 0  # receipts before this index came before the measured step
        self.delivery = DeliveryWait(clients, network, self.events_since)

    # --- helpers -----------------------------------------------------------------------------------------
    def pair(self, account: str, chain: str):
        return keypair(self.scenario.accounts[account], self.clients[chain].ss58_format)

    def address(self, account: str, chain: str) -> str:
        return self.pair(account, chain).ss58_address

    def addresses(self, chain: str) -> dict[str, str]:
        return {name: self.address(name, chain) for name in self.scenario.accounts}

    def planck(self, amount: Amount, chain: str) -> int:
        return amount.to_planck(self.clients[chain].decimals)

    def fmt(self, planck: int, chain: str) -> str:
        client = self.clients[chain]
        return format_planck(planck, client.decimals, client.symbol)

    def check_symbol(self, amount: Amount, chain: str, step: Step | None, path: tuple) -> None:
        symbol = self.clients[chain].symbol
        if amount.unit not in ("planck", symbol):
            raise ScenarioFailure(f"'{amount}': chain '{chain}' reports its token as {symbol}", step, path)

    def produce_block(self, chain: str):
        return (lambda: self.network.new_block(chain)) if self.network.manual_blocks else None

    def events_since(self, chain: str, after: int) -> list[Event]:
        """Events of every block after `after` up to the head, remembered in the result."""
        client = self.clients[chain]
        head, _ = client.head()
        seen = self.result.events.setdefault(chain, [])
        known = {e.block_number for e in seen}
        for number in range(after + 1, head + 1):
            if number not in known:
                seen.extend(client.events(client.block_hash(number)))
        return [e for e in seen if e.block_number > after]

    def find_event(self, match: EventMatch, after: int) -> Event | None:
        addresses = self.addresses(match.chain)
        for event in self.events_since(match.chain, after):
            if event.pallet == match.pallet and event.name == match.event and matches(
                    match.fields, event.attributes, addresses):
                return event
        return None

    def cursor(self, chain: str) -> _Cursor:
        if chain not in self.cursors:
            number, _ = self.clients[chain].head()
            self.cursors[chain] = _Cursor(number, number)
        return self.cursors[chain]

    # --- steps -------------------------------------------------------------------------------------------
    def run_transfer(self, step: Step, action: Transfer) -> Receipt:
        self.check_symbol(action.amount, action.chain, step, step.path + ("transfer", "amount"))
        call = "transfer_keep_alive" if action.keep_alive else "transfer_allow_death"
        client = self.clients[action.chain]
        if not action.keep_alive and not client.has_call("Balances", call):
            call = "transfer"  # runtimes before transfer_allow_death (polkadot-sdk 1.0 renamed it)
        return self.record(client.submit("Balances", call, {"dest": self.address(action.dest, action.chain),
                                                            "value": self.planck(action.amount, action.chain)},
                                         self.pair(action.sender, action.chain),
                                         produce_block=self.produce_block(action.chain), timeout=self.step_timeout))

    def record(self, receipt: Receipt) -> Receipt:
        """Kept at once, so that the report shows it even when a later wait of the same step fails."""
        self.result.receipts.append(receipt)
        return receipt

    def run_xcm_transfer(self, step: Step, action: XcmTransfer) -> Receipt:
        self.check_symbol(action.amount, action.origin, step, step.path + ("xcm_transfer", "amount"))
        route = routes.route(self.scenario.network, action.origin, action.destination, action.kind)
        client = self.clients[action.origin]
        pallet, version = client.xcm_transfer_call(CALLS[route.kind])
        beneficiary = routes.Location(0, (("AccountId32", self.pair(action.beneficiary, action.destination).public_key),))
        params = transfer_params(route.dest, beneficiary, route.asset, self.planck(action.amount, action.origin),
                                 version)
        # the message cannot execute before it is sent: arrivals are looked for after the head of now
        destination_head = self.clients[action.destination].head()[0]
        timeout = action.timeout or self.step_timeout
        receipt = self.record(client.submit(pallet, CALLS[route.kind], params, self.pair(action.sender, action.origin),
                                            produce_block=self.produce_block(action.origin), timeout=timeout))
        if receipt.success and action.await_delivery:
            try:
                self.delivery.wait(route, receipt, destination_head, time.monotonic() + timeout)
            except DeliveryTimeout as exc:
                raise ScenarioFailure(f"the message from '{action.origin}' was not reported executed on "
                                      f"'{action.destination}' within {timeout:g}s (looked for {exc.what})",
                                      step, step.path) from None
        return receipt

    def run_wait(self, step: Step, action: Wait) -> None:
        timeout = action.timeout or self.step_timeout
        deadline = time.monotonic() + timeout
        if action.event:
            self.wait_event(step, action.event, deadline, timeout)
        else:
            self.wait_blocks(step, action, deadline, timeout)

    def wait_event(self, step: Step, match: EventMatch, deadline: float, timeout: float) -> None:
        cursor = self.cursor(match.chain)
        while not (event := self.find_event(match, cursor.seen)):
            if time.monotonic() > deadline:
                raise ScenarioFailure(f"waited {timeout:g}s on '{match.chain}' for event {match.qualified}; "
                                      f"it did not come", step, step.path + ("wait",))
            if self.network.manual_blocks:
                self.network.new_block(match.chain)
            time.sleep(0.1)
        cursor.seen = event.block_number

    def wait_blocks(self, step: Step, action: Wait, deadline: float, timeout: float) -> None:
        client = self.clients[action.chain]
        start = client.head()[0]
        # Chains that build a block only when there is something to include (chopsticks in Instant or Batch mode,
        # an idle devnet) would leave this wait hanging: where the provider offers dev RPCs, the harness builds them.
        build = self.network.dev_rpcs or self.network.manual_blocks
        while (head := client.head()[0]) < start + action.blocks:
            if time.monotonic() > deadline:
                why = "" if build else (f"; the chain builds no blocks on its own, and provider "
                                        f"'{self.network.provider}' has no dev RPCs to build them")
                raise ScenarioFailure(f"waited {timeout:g}s on '{action.chain}' for {action.blocks} blocks, "
                                      f"{head - start} came{why}", step, step.path + ("wait", "blocks"))
            if build:
                self.network.new_block(action.chain)
            else:
                time.sleep(0.1)

    def run_fund(self, step: Step, action: Fund) -> None:
        # Funding writes the balance into storage rather than transferring from a dev account such as //Alice:
        # a shared funder's nonce and balance are touched by every scenario and every other client of the chain
        # (concurrent runs on an attached network collide on its nonce, and its fees leak into their measured
        # changes), and a fork of a live chain gives //Alice nothing. Shipped scenarios fund their own accounts.
        self.check_symbol(action.amount, action.chain, step, step.path + ("fund", "amount"))
        self.network.require_dev_rpcs("the fund step")
        client = self.clients[action.chain]
        key, value = client.account_storage(self.address(action.account, action.chain),
                                            self.planck(action.amount, action.chain))
        self.network.set_storage(action.chain, [(key, value)])

    def check_step(self, step: Step, receipt: Receipt | None, since: dict[str, int]) -> None:
        expect = step.expect
        if receipt is not None:
            if expect.success and not receipt.success:
                raise ScenarioFailure(f"the extrinsic failed with {receipt.error}; the step expects success", step)
            if not expect.success and receipt.success:
                raise ScenarioFailure(f"the extrinsic succeeded; the step expects failure"
                                      f"{' with ' + expect.error if expect.error else ''}", step,
                                      step.path + ("expect", "error" if expect.error else "success"))
            if expect.error and receipt.error != expect.error:
                raise ScenarioFailure(f"the extrinsic failed with {receipt.error}, not {expect.error}", step,
                                      step.path + ("expect", "error"))
        for match in expect.events:
            after = since.get(match.chain, self.cursor(match.chain).start)
            if not self.find_event(match, after):
                raise ScenarioFailure(f"no {match.qualified} on '{match.chain}' matching {match.fields or 'any fields'}",
                                      step, match.path)

    # --- balances ----------------------------------------------------------------------------------------
    def record_before(self) -> None:
        self.measured_receipts = len(self.result.receipts)
        for expect in self.scenario.balances:
            client = self.clients[expect.chain]
            bal = client.balance(self.address(expect.account, expect.chain))
            self.before[(expect.chain, expect.account, expect.field)] = (bal.field(expect.field), bal.block_number)

    def fees_paid(self, chain: str, account: str) -> int:
        """Fees the account paid on the chain for extrinsics of the measured steps (earlier ones are not in the
        balance read before)."""
        address = self.address(account, chain)
        return sum(fee_paid(e, address)
                   for r in self.result.receipts[self.measured_receipts:] if r.chain == chain for e in r.events)

    def check_balances(self) -> None:
        bad = []
        for expect in self.scenario.balances:
            client = self.clients[expect.chain]
            address = self.address(expect.account, expect.chain)
            after = client.balance(address)
            before, before_block = self.before[(expect.chain, expect.account, expect.field)]
            change = expect.change.to_planck(client.decimals)
            text = f"{expect.change}"
            if expect.plus_fees:
                fees = self.fees_paid(expect.chain, expect.account)
                change -= fees
                text += f" - fees paid ({self.fmt(fees, expect.chain)})"
            low = high = change
            if expect.fee_bound:
                low = change - self.planck(expect.fee_bound, expect.chain)
                text += f", less at most {expect.fee_bound}"
            row = BalanceRow(expect.chain, expect.account, address, expect.field, text, low, high, before,
                             after.field(expect.field), before_block, after.block_number)
            self.result.balances.append(row)
            if not row.ok:
                bad.append(row)
        if bad:
            row = bad[0]
            raise ScenarioFailure(f"{len(bad)} balance change(s) not as expected, first: {row.account} on {row.chain} "
                                  f"changed by {self.fmt(row.actual, row.chain)}, expected {row.expected}",
                                  path=self.scenario.balances[self.result.balances.index(row)].path)

    # --- the run -----------------------------------------------------------------------------------------
    def run(self) -> ScenarioResult:
        started = time.monotonic()
        snapshot = self.network.snapshot()
        try:
            self._run()
        except ScenarioFailure as failure:
            self.result.failed_step, self.result.failure = failure.step, failure.message
            failure.result = self.result
            raise
        finally:
            self.result.seconds = time.monotonic() - started
            if snapshot:
                self.network.revert(snapshot)
        return self.result

    def _run(self) -> None:
        for chain in self.scenario.network.chains:
            self.cursor(chain)
        measured = False
        for step in self.scenario.steps:
            if step.index == self.scenario.measure_from:
                self.record_before()
                measured = True
            since = {chain: self.clients[chain].head()[0] for chain in self.scenario.network.chains}
            receipt = None
            try:
                if isinstance(step.action, Transfer):
                    receipt = self.run_transfer(step, step.action)
                elif isinstance(step.action, XcmTransfer):
                    receipt = self.run_xcm_transfer(step, step.action)
                elif isinstance(step.action, Wait):
                    self.run_wait(step, step.action)
                else:
                    self.run_fund(step, step.action)
            except ChainCallError as exc:
                raise ScenarioFailure(str(exc), step) from None
            self.check_step(step, receipt, since)
        if not measured:
            self.record_before()
        self.check_balances()
        for match in self.scenario.events:
            if not self.find_event(match, self.cursor(match.chain).start):
                raise ScenarioFailure(f"no {match.qualified} on '{match.chain}' matching {match.fields or 'any fields'}",
                                      path=match.path)


def run_scenario(scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> ScenarioResult:
    return ScenarioRunner(scenario, network, clients, step_timeout).run()
