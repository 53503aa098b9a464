"""The typed scenario model: what the engine runs, free of YAML and of pytest."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
class AccountArg:
    """`$account:NAME` in a call's args: the account's public key as 0x hex."""
    name: str


@dataclass(frozen=True)
class PlanckArg:
    """`$planck:AMOUNT` in a call's args: the amount in planck, with the decimals of its token."""
    amount: Amount


@dataclass(frozen=True)
class SavedArg:
    """`$saved:NAME` in a call's args: a field of an event an earlier `wait` saved, as the chain gave it."""
    name: str


@dataclass(frozen=True)
class Step:
    index: int
    action: Any  # an action of a step kind (harness/steps): its class attribute KEY is the step's key
    expect: StepExpect
    path: KeyPath  # where the step sits in the file, for failure reports
    name: str | None = None

    @property
    def kind(self) -> str:
        return self.action.KEY


@dataclass(frozen=True)
class Sovereign:
    """`account: {sovereign: CHAIN}`: the account that holds, on the expectation's chain, what CHAIN owns there."""
    of: str

    def __str__(self) -> str:
        return f"sovereign of {self.of}"


@dataclass(frozen=True)
class RewardsAccount:
    """`account: {rewards: {lane: 0x..., owner: ThisChain|BridgedChain}}`: the account on a Bridge Hub from which
    the relayers of a lane are paid (bridges/primitives/relayers RewardsAccountParams)."""
    lane: str
    owner: str

    def __str__(self) -> str:
        return f"rewards of lane {self.lane} ({self.owner})"


AccountRef = str | Sovereign | RewardsAccount  # a declared account's name, or an account the network derives


@dataclass(frozen=True)
class BalanceExpect:
    chain: str
    account: AccountRef
    change: Amount  # signed
    path: KeyPath
    field: str = "free"
    plus_fees: bool = False  # the change also carries the fees this account paid on this chain
    fee_bound: Amount | None = None  # the actual change may fall short of `change` by at most this
    asset: str | None = None  # a token bridged from another consensus; None: the chain's own token
    plus_execution_fees: bool = False  # ... and the execution fees the trace shows taken on arrival here


@dataclass(frozen=True)
class FeeExpect:
    """A fee the trace of a transfer step shows at one hop, within stated bounds."""
    step: int  # the xcm_transfer step's index
    chain: str  # the hop
    kind: str  # delivery (paid by the sender where the message leaves) | execution (taken on arrival)
    at_most: Amount
    path: KeyPath
    at_least: Amount | None = None


@dataclass(frozen=True)
class LaneExpect:
    """The measured transfers that left `chain` over the bridge took `messages` consecutive nonces on `lane`,
    each received on the other side and its delivery confirmed."""
    chain: str
    lane: str  # 0x hex, as events show a LaneId
    messages: int
    path: KeyPath


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
    fees: list[FeeExpect] = field(default_factory=list)
    lanes: list[LaneExpect] = field(default_factory=list)
    requires: tuple[str, ...] = ()  # capability words (providers/capabilities.py REQUIRABLE)

    @property
    def line(self) -> int:
        return self.doc.position(self.doc.base).line
