"""What a scenario run produced: receipts, balance rows, matched events, and the failure if any."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..client.chain import Event, Receipt
from ..scenario.model import Scenario, Step
from .trace import Trace
from .units import Units


@dataclass
class BalanceRow:
    chain: str
    account: str
    address: str
    field: str
    expected: str  # as the user reads it, e.g. "-10 KSM - fees (0.000763952526 KSM)"
    low: int  # inclusive bounds on the change, in planck
    high: int
    before: int
    after: int
    before_block: int
    after_block: int
    asset: str = ""  # a token of another consensus; "" for the chain's own token
    min_balance: int | None = None  # the asset's, for a foreign asset
    carries_fees: bool = False  # the expectation counts fees (plus_fees, plus_execution_fees, fee_bound)

    @property
    def actual(self) -> int:
        return self.after - self.before

    @property
    def ok(self) -> bool:
        return self.low <= self.actual <= self.high


@dataclass
class StepRecord:
    """How one step went: `ok`, `failed` (the step the scenario failed at) or `not run`; the extrinsic it submitted,
    if any, with its dispatch error."""

    index: int
    kind: str
    name: str | None
    outcome: str
    receipt: Receipt | None = None


@dataclass(frozen=True)
class UpgradeRecord:
    """A runtime change an `upgrade` step made: the versions either side, the code the chain runs afterwards, the
    blocks it took, and System.LastRuntimeUpgrade as the chain holds it afterwards."""

    step: int
    chain: str
    spec_before: int
    spec_after: int
    code_hash: str | None
    blocks: tuple[int, ...]
    last_runtime_upgrade: dict | None  # {"spec_version", "spec_name"}; None where the chain keeps none


@dataclass
class ScenarioResult:
    scenario: Scenario
    receipts: list[Receipt] = field(default_factory=list)
    balances: list[BalanceRow] = field(default_factory=list)
    events: dict[str, list[Event]] = field(default_factory=dict)  # per chain, every event seen in the run
    traces: list[Trace] = field(default_factory=list)  # one per xcm_transfer step that was submitted
    units: Units | None = None  # the chains' decimals and symbols, read once when the run started
    steps: list[StepRecord] = field(default_factory=list)  # one per step that ran, in order
    roles: dict[str, dict[str, str]] = field(default_factory=dict)  # chain -> address (ss58 and 0x) -> account name
    runtimes: dict[str, dict] = field(default_factory=dict)  # chain -> RuntimeVersion.as_dict(), when known
    upgrades: list[UpgradeRecord] = field(default_factory=list)  # in the order the steps made them
    provider: str = ""
    failed_step: Step | None = None
    failure: str | None = None
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return self.failure is None


class ScenarioFailure(Exception):
    """The scenario ran and something it expected did not hold."""

    def __init__(self, message: str, step: Step | None = None, path: tuple = ()) -> None:
        super().__init__(message)
        self.message = message
        self.step = step
        self.path = path
        self.result: ScenarioResult | None = None
