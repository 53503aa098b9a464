"""The typed scenario model: what the engine runs, free of YAML and of pytest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..network.topology import NetworkSpec
from .amounts import Amount
from .positions import KeyPath, SourceDoc


@dataclass(frozen=True)
class AccountSpec:
    name: str
    uri: str | None = None  # a dev seed or derived path, e.g. //Alice//scenario-3
    env: str | None = None  # or the name of an environment variable holding the secret


@dataclass(frozen=True)
class EventMatch:
    chain: str
    pallet: str
    event: str
    fields: dict
    path: KeyPath

    @property
    def qualified(self) -> str:
        return f"{self.pallet}.{self.event}"


@dataclass(frozen=True)
class StepExpect:
    success: bool = True
    error: str | None = None  # e.g. Balances.InsufficientBalance, Token.FundsUnavailable
    events: tuple[EventMatch, ...] = ()


@dataclass(frozen=True)
class Transfer:
    chain: str
    sender: str
    dest: str
    amount: Amount
    keep_alive: bool = False


@dataclass(frozen=True)
class XcmTransfer:
    origin: str
    destination: str
    sender: str
    beneficiary: str
    amount: Amount
    kind: str | None = None  # teleport | reserve; None means chosen from the route
    await_delivery: bool = True
    timeout: float | None = None


@dataclass(frozen=True)
class Wait:
    chain: str
    event: EventMatch | None = None
    blocks: int | None = None
    timeout: float | None = None


@dataclass(frozen=True)
class Fund:
    chain: str
    account: str
    amount: Amount


Action = Transfer | XcmTransfer | Wait | Fund


@dataclass(frozen=True)
class Step:
    index: int
    action: Action
    expect: StepExpect
    path: KeyPath  # where the step sits in the file, for failure reports
    name: str | None = None

    @property
    def kind(self) -> str:
        return {Transfer: "transfer", XcmTransfer: "xcm_transfer", Wait: "wait", Fund: "fund"}[type(self.action)]


@dataclass(frozen=True)
class BalanceExpect:
    chain: str
    account: str
    change: Amount  # signed
    path: KeyPath
    field: str = "free"
    plus_fees: bool = False  # the change also carries the fees this account paid on this chain
    fee_bound: Amount | None = None  # the actual change may fall short of `change` by at most this


@dataclass
class Scenario:
    name: str
    file: Path
    network: NetworkSpec
    doc: SourceDoc
    steps: list[Step]
    accounts: dict[str, AccountSpec] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    balances: list[BalanceExpect] = field(default_factory=list)
    events: list[EventMatch] = field(default_factory=list)
    params: dict[str, object] = field(default_factory=dict)
    row: int | None = None  # the matrix row this scenario came from
    # balance changes count from the start of this step: by default the first one that is not `fund`
    measure_from: int | None = None

    @property
    def line(self) -> int:
        return self.doc.position(self.doc.base).line
