"""What a step kind declares (StepKind), what its parser and its handler may use (StepParser, StepContext), and how
a handler reports a failure in the scenario's terms (StepFailed).

A step module imports nothing that opens a connection: its handler reaches the chains only through the context
the engine passes it, so the scenario language loads without a network and the engine runs without pytest.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, Protocol

from ..scenario.amounts import Amount
from ..scenario.positions import KeyPath


class StepFailed(Exception):
    """A step did not do what the scenario expects; the engine reports it at `path` (default: the step)."""

    def __init__(self, message: str, path: KeyPath = ()) -> None:
        super().__init__(message)
        self.message, self.path = message, path


class StepParser(Protocol):
    """The scenario parser's checks a step's parse function calls; each records a positioned error."""

    network: Any  # NetworkSpec
    doc: Any  # the scenario's SourceDoc (its file: paths in a step are taken from its folder)
    tokens: list[str]
    saved: list[str]

    def fail(self, path: KeyPath, message: str, hint: str | None = None) -> None: ...
    def chain(self, path: KeyPath, name: str) -> str: ...
    def account(self, path: KeyPath, name: str) -> str: ...
    def amount(self, path: KeyPath, text: str, chain: str, *, signed: bool = False, bridged: bool = False,
               asset: str | None = None) -> Amount: ...
    def event(self, path: KeyPath, raw: dict, chain_key: str = "chain", name_key: str = "event") -> Any: ...
    def named_step(self, path: KeyPath, name: str, what: str) -> Any: ...
    def saved_name(self, path: KeyPath, name: str) -> str: ...
    def asset(self, at: KeyPath, raw: str | None, chain: str) -> str | None: ...


class StepContext(Protocol):
    """The engine's side of a run, as a step's handler sees it (engine/runner.py ScenarioRunner)."""

    scenario: Any
    network: Any  # the RunningNetwork
    clients: Any  # chain -> ChainClient
    units: Any  # engine/units.py Units
    events: Any  # engine/events.py EventLog
    bridge: Any  # engine/bridge_controls.py BridgeControls
    sent: dict  # step index -> the xcm_transfer it submitted
    saved: dict[str, object]  # $saved:NAME -> the event field a wait saved
    step_timeout: float

    def pair(self, account: str, chain: str) -> Any: ...
    def address(self, account: object, chain: str) -> str: ...
    def check_symbol(self, amount: Amount, chain: str, path: KeyPath) -> None: ...
    def submit(self, chain: str, pallet: str, call: str, params: dict, signer: str,
               timeout: float | None = None, fee_asset: dict | None = None) -> Any: ...
    def track(self, step: Any, route: Any, receipt: Any, since: dict[str, int], amount: int) -> Any: ...
    def await_delivery(self, sent: Any, timeout: float, path: KeyPath) -> None: ...
    def find_event(self, match: Any, after: int) -> Any: ...
    def write_storage(self, chain: str, override: Any) -> None: ...
    def record_upgrade(self, step: Any, report: Any, last_runtime_upgrade: dict | None) -> None: ...


@dataclass(frozen=True)
class StepKind:
    """One step kind: its key in a step, its JSON Schema fragment, the action it parses to, its parser and handler.

    `parse(parser, body, at)` returns the action; `run(context, step, action, since)` returns the step's receipt
    when it submitted an extrinsic (`signed`), else None. `since` holds the head before the step of each chain that
    `watches(network, action)` names (None: every chain), and of each chain the step's expected events are on."""

    action: type  # its class attribute KEY is the step's key
    schema: dict
    parse: Callable[[StepParser, Any, KeyPath], object]
    run: Callable[[StepContext, Any, Any, dict[str, int]], object]
    signed: bool = False  # it submits an extrinsic, so a step may expect it to fail
    watches: Callable[[Any, Any], Iterable[str] | None] = lambda network, action: ()
    # the capabilities a network must offer to run this action (harness/providers/capabilities.py); a scenario
    # whose provider offers none of them is skipped with the reason at collection (plugin/collect.py)
    needs: Callable[[Any], tuple] = lambda action: ()

    @property
    def name(self) -> str:
        return self.action.KEY
