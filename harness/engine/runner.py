"""Runs one scenario: steps, then expectations, with snapshot and revert around it."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

from substrateinterface.exceptions import SubstrateRequestException

from ..client.chain import ChainClient, Event, Receipt
from ..client.runtime_version import read_runtime
from ..errors import ChainCallError, HarnessError
from ..network import routes
from ..network.storage import StorageOverride
from ..providers.base import RunningNetwork
from ..providers.capabilities import UpgradeReport
from ..scenario.amounts import Amount
from ..scenario.model import AccountRef, EventMatch, Scenario, Step
from ..steps import KINDS, StepFailed
from .accounts import Accounts
from .balances import Balances
from .bridge_controls import BridgeControls
from .delivery import DeliveryTimeout, DeliveryWait, Messages, sent_ids
from .events import EventLog
from .matching import matches
from . import storage
from .result import ScenarioFailure, ScenarioResult, StepRecord, UpgradeRecord
from .trace import Trace, Tracer
from .trace_expectations import check_fee, check_lane
from .units import Units


class ClientPool:
    """One ChainClient per chain of a running network, opened on first use."""

    def __init__(self, network: RunningNetwork, timeout: float) -> None:
        self.network, self.timeout = network, timeout
        self._clients: dict[str, ChainClient] = {}
        self._runtimes: dict[str, dict] | None = None
        self._upgraded: set[str] = set()  # chains refreshed since the last revert

    def __getitem__(self, chain: str) -> ChainClient:
        if chain not in self._clients:
            self._clients[chain] = ChainClient(chain, self.network.endpoints[chain], self.timeout)
        return self._clients[chain]

    def runtimes(self) -> dict[str, dict]:
        """Each chain's runtime version and code hash, read once (client/runtime_version.py)."""
        if self._runtimes is None:
            self._runtimes = {chain: read_runtime(self[chain]).as_dict() for chain in self.network.endpoints}
        return self._runtimes

    def seen_runtimes(self) -> dict[str, dict]:
        """The runtimes read so far, without asking any chain (for the session's summary)."""
        return dict(self._runtimes or {})

    def refresh(self, chain: str) -> None:
        """After `chain` changed its runtime: a new client (the new metadata) and its runtime read again."""
        client = self._clients.pop(chain, None)
        if client is not None:
            client.close()
        if self._runtimes is not None:
            self._runtimes[chain] = read_runtime(self[chain]).as_dict()
        self._upgraded.add(chain)

    def reverted(self) -> None:
        """The network went back to a snapshot: chains upgraded since run their old runtime again."""
        for chain in sorted(self._upgraded):
            self.refresh(chain)
        self._upgraded.clear()

    def close(self) -> None:
        for client in self._clients.values():
            client.close()
        self._clients.clear()


@dataclass
class Sent:
    """A submitted xcm_transfer: what waiting for its delivery and tracing it need."""

    step: Step
    route: routes.Route
    receipt: Receipt
    since: dict[str, int]  # the head before the step of every chain on the route
    amount: int  # planck of the route's asset
    messages: Messages = field(default_factory=list)  # the ids the message is reported under


class ScenarioRunner:
    """Runs one scenario's steps, each by its kind's handler (harness/steps), then the final expectations. It is the
    handlers' StepContext: the clients, the event log, the units, the accounts, and submitting and tracking."""

    def __init__(self, scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> None:
        self.scenario, self.network, self.clients, self.step_timeout = scenario, network, clients, step_timeout
        self.result = ScenarioResult(scenario)
        self.events = EventLog(clients, self.result.events)
        self.accounts = Accounts(scenario, clients)
        self.measured_receipts = 0  # receipts before this index came before the measured step
        self.units: Units | None = None  # read when the run starts
        self.balances: Balances | None = None
        self.delivery = DeliveryWait(clients, network, self.events)
        self.tracer = Tracer(self.events)
        self.bridge = BridgeControls(network, clients)
        self.sent: dict[int, Sent] = {}  # by step index
        self.saved: dict[str, object] = {}  # $saved:NAME -> the event field a wait saved

    # --- the handlers' context -----------------------------------------------------------------------------------
    def pair(self, account: str, chain: str):
        return self.accounts.pair(account, chain)

    def address(self, account: AccountRef, chain: str) -> str:
        return self.accounts.address(account, chain)

    def check_symbol(self, amount: Amount, chain: str, path: tuple) -> None:
        """The network file's token for the chain must be the one the chain reports (bridged tokens are not its)."""
        symbol = self.units.chains[chain][1]
        if amount.unit == self.scenario.network.chain(chain).token and amount.unit != symbol:
            raise StepFailed(f"'{amount}': chain '{chain}' reports its token as {symbol}", path)

    def submit(self, chain: str, pallet: str, call: str, params: dict, signer: str,
               timeout: float | None = None, fee_asset: dict | None = None) -> Receipt:
        """The extrinsic, signed by the scenario account `signer`; its receipt is kept at once, so that the report
        shows it even when a later wait of the same step fails."""
        produce_block = (lambda: self.network.new_block(chain)) if self.network.manual_blocks else None
        receipt = self.clients[chain].submit(pallet, call, params, self.pair(signer, chain),
                                             produce_block=produce_block, timeout=timeout or self.step_timeout,
                                             fee_asset=fee_asset)
        self.result.receipts.append(receipt)
        return receipt

    def record_upgrade(self, step: Step, report: UpgradeReport, last_runtime_upgrade: dict | None) -> None:
        self.result.upgrades.append(UpgradeRecord(step.index, report.chain, report.spec_before, report.spec_after,
                                                  report.code_hash, report.blocks, last_runtime_upgrade))

    def track(self, step: Step, route: routes.Route, receipt: Receipt, since: dict[str, int], amount: int) -> Sent:
        """A submitted xcm_transfer, for waiting for its delivery and for its trace."""
        sent = self.sent[step.index] = Sent(step, route, receipt, since, amount, sent_ids(receipt))
        return sent

    def await_delivery(self, sent: Sent, timeout: float, path: tuple) -> None:
        """Until the message is executed on the route's last chain (the message, by its id: the arrival of the
        one sent, which the destination reports under the message's topic)."""
        route = sent.route
        try:
            sent.messages = self.delivery.wait(route, sent.receipt, sent.since[route.destination.name],
                                               time.monotonic() + timeout)
        except DeliveryTimeout as exc:
            raise StepFailed(f"the message from '{route.origin.name}' was not reported executed on "
                             f"'{route.destination.name}' within {timeout:g}s (looked for {exc.what})", path) from None

    def write_storage(self, chain: str, override: StorageOverride) -> None:
        """One storage item, encoded from the chain's metadata (engine/storage.py); ChainCallError if it refuses."""
        storage.write(self.network, chain, [storage.encode(self.clients[chain], override)])

    def find_event(self, match: EventMatch, after: int) -> Event | None:
        addresses = self.accounts.addresses(match.chain)
        for event in self.events.since(match.chain, after):
            # no fields asked: any event of that name (unit events such as System.CodeUpdated have no attributes)
            if event.pallet == match.pallet and event.name == match.event and (not match.fields or matches(
                    match.fields, event.attributes, addresses)):
                return event
        return None

    # --- steps -------------------------------------------------------------------------------------------
    def run_step(self, step: Step, since: dict[str, int]) -> Receipt | None:
        try:
            return KINDS[step.kind].run(self, step, step.action, since)
        except StepFailed as failed:
            raise ScenarioFailure(failed.message, step, failed.path) from None
        except ChainCallError as exc:
            raise ScenarioFailure(str(exc), step) from None

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
            after = since[match.chain] if match.chain in since else self.events.cursor(match.chain).start
            if not self.find_event(match, after):
                raise ScenarioFailure(f"no {match.qualified} on '{match.chain}' matching {match.fields or 'any fields'}",
                                      step, match.path)

    # --- traces ---------------------------------------------------------------------------------
    def traces(self) -> list[Trace]:
        """Each submitted xcm_transfer, hop by hop, as far as its message has gone by now."""
        with self.events.held():  # every trace sees the chains at one moment, each head asked once
            return [self._trace(sent) for sent in self.sent.values()]

    def _trace(self, sent: Sent) -> Trace:
        action, route = sent.step.action, sent.route
        ids = sorted(set().union(*sent.messages)) if sent.messages else []
        trace = Trace(sent.step.index, sent.step.name, route.path, route.symbol, sent.amount, action.beneficiary, ids)
        return self.tracer.trace(trace, sent.receipt, sent.since, self.address(action.sender, action.origin),
                                 self.address(action.beneficiary, action.destination),
                                 route.symbol == route.destination.token)

    # --- the run -----------------------------------------------------------------------------------------
    def run(self) -> ScenarioResult:
        started = time.monotonic()
        snapshot = self.network.snapshot()
        try:
            self._run()
        except ScenarioFailure as failure:
            self.result.failed_step, self.result.failure = failure.step, failure.message
            self.record_failed_step(failure.step)
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
                    reverted = getattr(self.clients, "reverted", None)  # a ClientPool; test doubles keep none
                    if reverted:
                        reverted()
        return self.result

    def traces_for_report(self) -> list[Trace]:
        """The traces so far; a chain that no longer answers leaves the report without them, not without the
        failure that matters."""
        try:
            return self.traces()
        except (HarnessError, SubstrateRequestException, OSError):
            return []

    def _run(self) -> None:
        self.units = self.result.units = Units.read(self.scenario.network, self.clients)
        self.balances = Balances(self.scenario, self.clients, self.units, self.accounts)
        self.record_setting()
        for chain in self.followed():
            self.events.cursor(chain)
        measured = False
        for step in self.scenario.steps:
            if step.index == self.scenario.measure_from:
                self.record_before()
                measured = True
            since = self.heads_before(step)
            receipt = self.run_step(step, since)
            self.result.steps.append(StepRecord(step.index, step.kind, step.name, "ok", receipt))
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
            if not self.find_event(match, self.events.cursor(match.chain).start):
                raise ScenarioFailure(f"no {match.qualified} on '{match.chain}' matching {match.fields or 'any fields'}",
                                      path=match.path)

    def record_setting(self) -> None:
        """What a comparison of two runs needs besides their outcomes: the provider, each chain's runtime (read
        once per network by a ClientPool; clients without one, such as test doubles, tell none) and the names of
        the scenario's accounts on each chain."""
        self.result.provider = self.network.provider
        runtimes = getattr(self.clients, "runtimes", None)
        self.result.runtimes = dict(runtimes()) if runtimes else {}  # as the scenario began: an upgrade step changes
        # the pool's record, not this one
        self.result.roles = {chain: self.accounts.roles(chain) for chain in self.scenario.network.chains}

    def record_failed_step(self, step: Step | None) -> None:
        """The step the scenario failed at: its record (made when it ran) marked failed, or added."""
        if step is None:
            return
        records = self.result.steps
        if records and records[-1].index == step.index:
            records[-1].outcome = "failed"
        else:
            records.append(StepRecord(step.index, step.kind, step.name, "failed"))

    def watched(self, step: Step) -> set[str]:
        """The chains the step's handler watches, and those its expected events are on."""
        watched = KINDS[step.kind].watches(self.scenario.network, step.action)
        return set(self.scenario.network.chains if watched is None else watched) | {m.chain for m in step.expect.events}

    def heads_before(self, step: Step) -> dict[str, int]:
        chains = self.watched(step)
        return {chain: self.clients[chain].head_number() for chain in self.scenario.network.chains if chain in chains}

    def followed(self) -> list[str]:
        """The chains whose events the run reads from its start on: those of the final event expectations, and
        those any step watches (an event wait reads from where the last one stopped, the run's start at first)."""
        chains = {match.chain for match in self.scenario.events}.union(*(self.watched(s) for s in self.scenario.steps))
        return [chain for chain in self.scenario.network.chains if chain in chains]

    def record_before(self) -> None:
        self.measured_receipts = len(self.result.receipts)
        self.balances.record_before()


def run_scenario(scenario: Scenario, network: RunningNetwork, clients: ClientPool,
                 step_timeout: float = 60.0) -> ScenarioResult:
    return ScenarioRunner(scenario, network, clients, step_timeout).run()
