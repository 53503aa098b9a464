"""Runs one scenario: steps, then expectations, with snapshot and revert around it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from scalecodec.utils.ss58 import ss58_encode
from substrateinterface.exceptions import SubstrateRequestException

from ..client.chain import ChainClient, Event, Receipt
from ..client.xcm import CALLS, transfer_params
from ..errors import ChainCallError, HarnessError
from ..network import routes
from ..providers.base import RunningNetwork
from ..providers.capabilities import Capability
from ..scenario.amounts import PLANCK, Amount
from ..scenario.model import (BridgeMode, Call, Congestion, EventMatch, Fund, Relayer, Reserves, Scenario, Sovereign,
                              Step, Transfer, Wait, XcmTransfer)
from .accounts import keypair
from .balances import Balances
from .bridge_controls import BridgeControls
from .calls import field_at, resolve
from .delivery import DeliveryTimeout, DeliveryWait, Messages, sent_ids
from .matching import matches
from .result import ScenarioFailure, ScenarioResult
from .trace import Trace, Tracer
from .trace_expectations import check_fee, check_lane
from .units import Units


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


@dataclass
class _Sent:
    """A submitted xcm_transfer: what waiting for its delivery and tracing it need."""

    step: Step
    route: routes.Route
    receipt: Receipt
    since: dict[str, int]  # every chain's head before the step
    amount: int  # planck of the route's asset
    messages: Messages = field(default_factory=list)  # the ids the message is reported under


class ScenarioRunner:
    def __init__(self, scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> None:
        self.scenario, self.network, self.clients, self.step_timeout = scenario, network, clients, step_timeout
        self.result = ScenarioResult(scenario)
        self.cursors: dict[str, _Cursor] = {}
        self.measured_receipts = 0  # receipts before this index came before the measured step
        self.units = Units(scenario.network, clients)
        self.balances = Balances(scenario, clients, self.units, self.address)
        self.delivery = DeliveryWait(clients, network, self.events_since)
        self.tracer = Tracer(self.events_since)
        self.bridge = BridgeControls(network, clients)
        self.sent: dict[int, _Sent] = {}  # by step index
        self.saved: dict[str, object] = {}  # $saved:NAME -> the event field a wait saved

    # --- helpers -----------------------------------------------------------------------------------------
    def pair(self, account: str, chain: str):
        return keypair(self.scenario.accounts[account], self.clients[chain].ss58_format)

    def address(self, account: str | Sovereign, chain: str) -> str:
        if isinstance(account, Sovereign):
            public = routes.sovereign_account(self.scenario.network, chain, account.of)
            return ss58_encode(public, self.clients[chain].ss58_format)
        return self.pair(account, chain).ss58_address

    def addresses(self, chain: str) -> dict[str, str]:
        return {name: self.address(name, chain) for name in self.scenario.accounts}

    def check_symbol(self, amount: Amount, chain: str, step: Step | None, path: tuple) -> None:
        """The network file's token for the chain must be the one the chain reports (bridged tokens are not its)."""
        symbol = self.clients[chain].symbol
        if amount.unit == self.scenario.network.chain(chain).token and amount.unit != symbol:
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

    def record(self, receipt: Receipt) -> Receipt:
        """Kept at once, so that the report shows it even when a later wait of the same step fails."""
        self.result.receipts.append(receipt)
        return receipt

    # --- steps -------------------------------------------------------------------------------------------
    def run_transfer(self, step: Step, action: Transfer, since: dict[str, int]) -> Receipt:
        self.check_symbol(action.amount, action.chain, step, step.path + ("transfer", "amount"))
        call = "transfer_keep_alive" if action.keep_alive else "transfer_allow_death"
        client = self.clients[action.chain]
        if not action.keep_alive and not client.has_call("Balances", call):
            call = "transfer"  # runtimes before transfer_allow_death (polkadot-sdk 1.0 renamed it)
        return self.record(client.submit("Balances", call, {"dest": self.address(action.dest, action.chain),
                                                            "value": self.units.planck(action.amount, action.chain)},
                                         self.pair(action.sender, action.chain),
                                         produce_block=self.produce_block(action.chain), timeout=self.step_timeout))

    def run_xcm_transfer(self, step: Step, action: XcmTransfer, since: dict[str, int]) -> Receipt:
        self.check_symbol(action.amount, action.origin, step, step.path + ("xcm_transfer", "amount"))
        symbol = None if action.amount.unit == PLANCK else action.amount.unit
        route = routes.route(self.scenario.network, action.origin, action.destination, action.kind, symbol)
        client = self.clients[action.origin]
        pallet, version = client.xcm_transfer_call(CALLS[route.kind])
        beneficiary = routes.Location(0, (("AccountId32", self.pair(action.beneficiary, action.destination).public_key),))
        amount = self.units.planck(action.amount, action.origin)
        params = transfer_params(route.dest, beneficiary, route.asset, amount, version)
        timeout = action.timeout or self.step_timeout
        receipt = self.record(client.submit(pallet, CALLS[route.kind], params, self.pair(action.sender, action.origin),
                                            produce_block=self.produce_block(action.origin), timeout=timeout))
        sent = self.sent[step.index] = _Sent(step, route, receipt, since, amount, sent_ids(receipt))
        if receipt.success and action.await_delivery:
            self.await_delivery(step, sent, timeout, step.path)
        return receipt

    def await_delivery(self, step: Step, sent: _Sent, timeout: float, path: tuple) -> None:
        """Until the message is executed on the route's last chain (the message, by its id: the arrival of the
        one sent, which the destination reports under the message's topic)."""
        route = sent.route
        try:
            sent.messages = self.delivery.wait(route, sent.receipt, sent.since[route.destination.name],
                                               time.monotonic() + timeout)
        except DeliveryTimeout as exc:
            raise ScenarioFailure(f"the message from '{route.origin.name}' was not reported executed on "
                                  f"'{route.destination.name}' within {timeout:g}s (looked for {exc.what})",
                                  step, path) from None

    def run_call(self, step: Step, action: Call, since: dict[str, int]) -> Receipt:
        client = self.clients[action.chain]
        client.check_call(action.pallet, action.function)
        args = resolve(action.args, lambda name: self.pair(name, action.chain).public_key,
                       lambda amount: self.units.planck(amount, action.chain), self.saved.__getitem__)
        args = client.call_args(action.pallet, action.function, args)
        return self.record(client.submit(action.pallet, action.function, args, self.pair(action.signer, action.chain),
                                         produce_block=self.produce_block(action.chain),
                                         timeout=action.timeout or self.step_timeout))

    def run_wait(self, step: Step, action: Wait, since: dict[str, int]) -> None:
        timeout = action.timeout or self.step_timeout
        deadline = time.monotonic() + timeout
        if action.delivered is not None:
            self.wait_delivered(step, action, timeout)
        elif action.event:
            event = self.wait_event(step, action.event, deadline, timeout)
            self.save_fields(step, action, event)
        else:
            self.wait_blocks(step, action, deadline, timeout)

    def wait_delivered(self, step: Step, action: Wait, timeout: float) -> None:
        sent = self.sent[action.delivered]
        if not sent.receipt.success:
            raise ScenarioFailure(f"step '{sent.step.name}' failed with {sent.receipt.error}, so it sent no message "
                                  f"to wait for", step, step.path + ("wait", "delivered"))
        self.await_delivery(step, sent, timeout, step.path + ("wait", "delivered"))

    def save_fields(self, step: Step, action: Wait, event: Event) -> None:
        for name, path in action.save:
            try:
                self.saved[name] = field_at(event.attributes, path)
            except KeyError as missing:
                raise ScenarioFailure(f"{action.event.qualified} has no field '{'.'.join(path)}' to save as '{name}' "
                                      f"(no '{missing.args[0]}'); its fields: {event.attributes}", step,
                                      step.path + ("wait", "save", name)) from None

    def wait_event(self, step: Step, match: EventMatch, deadline: float, timeout: float) -> Event:
        cursor = self.cursor(match.chain)
        while not (event := self.find_event(match, cursor.seen)):
            if time.monotonic() > deadline:
                raise ScenarioFailure(f"waited {timeout:g}s on '{match.chain}' for event {match.qualified}; "
                                      f"it did not come", step, step.path + ("wait",))
            if self.network.manual_blocks:
                self.network.new_block(match.chain)
            time.sleep(0.1)
        cursor.seen = event.block_number
        return event

    def wait_blocks(self, step: Step, action: Wait, deadline: float, timeout: float) -> None:
        client = self.clients[action.chain]
        start = client.head()[0]
        # Chains that build a block only when there is something to include (chopsticks in Instant or Batch mode,
        # an idle devnet) would leave this wait hanging: where the provider offers dev RPCs, the harness builds them.
        build = self.network.has(Capability.BLOCKS)
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

    def run_fund(self, step: Step, action: Fund, since: dict[str, int]) -> None:
        # Funding writes the balance into storage rather than transferring from a dev account such as //Alice:
        # a shared funder's nonce and balance are touched by every scenario and every other client of the chain
        # (concurrent runs on an attached network collide on its nonce, and its fees leak into their measured
        # changes), and a fork of a live chain gives //Alice nothing. Shipped scenarios fund their own accounts.
        self.check_symbol(action.amount, action.chain, step, step.path + ("fund", "amount"))
        self.network.capability(Capability.STORAGE, "fund an account (the fund step)")
        client = self.clients[action.chain]
        key, value = client.account_storage(self.address(action.account, action.chain),
                                            self.units.planck(action.amount, action.chain))
        self.network.set_storage(action.chain, [(key, value)])

    def run_relayer(self, step: Step, action: Relayer, since: dict[str, int]) -> None:
        self.bridge.relayer(action)

    def run_bridge_mode(self, step: Step, action: BridgeMode, since: dict[str, int]) -> None:
        self.bridge.mode(action)

    def run_congestion(self, step: Step, action: Congestion, since: dict[str, int]) -> None:
        self.bridge.congestion(action)

    def run_reserves(self, step: Step, action: Reserves, since: dict[str, int]) -> None:
        self.bridge.reserves(action)

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

    # --- traces ---------------------------------------------------------------------------------
    def traces(self) -> list[Trace]:
        """Each submitted xcm_transfer, hop by hop, as far as its message has gone by now."""
        out = []
        for sent in self.sent.values():
            action, route = sent.step.action, sent.route
            ids = sorted(set().union(*sent.messages)) if sent.messages else []
            trace = Trace(sent.step.index, sent.step.name, route.path, route.symbol, sent.amount, action.beneficiary,
                          ids)
            out.append(self.tracer.trace(trace, sent.receipt, sent.since, self.address(action.sender, action.origin),
                                         self.address(action.beneficiary, action.destination),
                                         route.symbol == route.destination.token))
        return out

    # --- the run -----------------------------------------------------------------------------------------
    def run(self) -> ScenarioResult:
        started = time.monotonic()
        snapshot = self.network.snapshot()
        try:
            self._run()
        except ScenarioFailure as failure:
            self.result.failed_step, self.result.failure = failure.step, failure.message
            if not self.result.traces:
                self.result.traces = self.traces_for_report()
            failure.result = self.result
            raise
        finally:
            self.result.seconds = time.monotonic() - started
            try:
                self.bridge.restore()
            finally:
                if snapshot:
                    self.network.revert(snapshot)
        return self.result

    def traces_for_report(self) -> list[Trace]:
        """The traces so far; a chain that no longer answers leaves the report without them, not without the
        failure that matters."""
        try:
            return self.traces()
        except (HarnessError, SubstrateRequestException, OSError):
            return []

    def _run(self) -> None:
        for chain in self.scenario.network.chains:
            self.cursor(chain)
        measured = False
        for step in self.scenario.steps:
            if step.index == self.scenario.measure_from:
                self.record_before()
                measured = True
            since = {chain: self.clients[chain].head()[0] for chain in self.scenario.network.chains}
            try:
                receipt = getattr(self, f"run_{step.kind}")(step, step.action, since)
            except ChainCallError as exc:
                raise ScenarioFailure(str(exc), step) from None
            self.check_step(step, receipt, since)
        if not measured:
            self.record_before()
        self.result.traces = self.traces()
        self.result.balances = self.balances.rows(self.result.receipts[self.measured_receipts:], self.result.traces)
        self.balances.raise_first_bad(self.result.balances)
        for expect in self.scenario.fees:
            check_fee(self.scenario, self.units, expect, self.result.traces)
        for expect in self.scenario.lanes:
            check_lane(self.scenario, expect, self.result.traces)
        for match in self.scenario.events:
            if not self.find_event(match, self.cursor(match.chain).start):
                raise ScenarioFailure(f"no {match.qualified} on '{match.chain}' matching {match.fields or 'any fields'}",
                                      path=match.path)

    def record_before(self) -> None:
        self.measured_receipts = len(self.result.receipts)
        self.balances.record_before()


def run_scenario(scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> ScenarioResult:
    return ScenarioRunner(scenario, network, clients, step_timeout).run()
