"""In-memory chains for engine tests: blocks of events, balances, and XCM messages that land when a test says.

A FakeChain answers what the runner asks a ChainClient; a FakeNetwork is a RunningNetwork whose storage writes and block
building act on FakeChains. Nothing here talks to a node, so engine tests run in milliseconds."""
from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

from harness.client.chain import Event, Receipt
from harness.providers.base import RunningNetwork
from harness.providers.capabilities import Capability

FEE = 1_000  # planck, for every extrinsic


class FakeChain:
    def __init__(self, name: str, pallets: tuple[str, ...] = ("ParachainSystem",)) -> None:
        self.name, self.ss58_format, self.decimals, self.symbol = name, 2, 12, "KSM"
        self.pallets = set(pallets)
        self.blocks: list[list[Event]] = [[]]  # block 0 is genesis
        self.free: dict[str, int] = defaultdict(int)
        self.upward: dict[int, list[bytes]] = {}  # block -> ParachainSystem.UpwardMessages
        self.downward: dict[int, list[tuple[int, bytes]]] = {}  # block -> (sent_at, message) received
        self.later: list[tuple[float, Callable[[], None]]] = []  # what happens once its time has come
        self.extra_events: list[tuple[str, dict]] = []  # emitted by the next extrinsic, after its own
        self.after_submit: Callable[[Receipt], None] | None = None

    # --- what the runner asks --------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        now = time.monotonic()
        for due in [item for item in self.later if item[0] <= now]:
            self.later.remove(due)
            due[1]()
        number = len(self.blocks) - 1
        return number, self.block_hash(number)

    def head_number(self) -> int:
        return self.head()[0]

    def block_hash(self, number: int) -> str | None:
        return f"{self.name}#{number}" if number < len(self.blocks) else None

    def block_hashes(self, numbers: list[int]) -> list[str | None]:
        return [self.block_hash(number) for number in numbers]

    def events(self, block_hash: str) -> list[Event]:
        return list(self.blocks[int(block_hash.split("#")[1])])

    def read(self, items: list[tuple[str, str, list]]) -> tuple[list[object], int]:
        """System.Account values, as substrate-interface decodes them."""
        assert all(item[:2] == ("System", "Account") for item in items), items
        return [{"data": {"free": self.free[address], "reserved": 0, "frozen": 0}}
                for _, _, (address,) in items], self.head()[0]

    def has_call(self, pallet: str, call: str) -> bool:
        return True

    def has_pallet(self, name: str) -> bool:
        return name in self.pallets

    def xcm_transfer_call(self, call: str) -> tuple[str, int]:
        return "XcmPallet", 3

    def upward_messages(self, block_hash: str) -> list[bytes]:
        return self.upward.get(int(block_hash.split("#")[1]), [])

    def downward_messages(self, block_hash: str) -> list[tuple[int, bytes]]:
        return self.downward.get(int(block_hash.split("#")[1]), [])

    def account_storage(self, address: str, free: int) -> tuple[str, str]:
        return address, str(free)

    def submit(self, pallet: str, call: str, params: dict, signer, *, produce_block=None,
               timeout: float | None = None, fee_asset: dict | None = None) -> Receipt:
        who = signer.ss58_address
        if pallet == "Balances":
            amount, own = params["value"], [("Balances.Transfer", {"from": who, "to": params["dest"],
                                                                    "amount": params["value"]})]
            self.free[params["dest"]] += amount
        else:
            amount = params["assets"]["V3"][0][0]["fun"]["Fungible"]
            own = [("XcmPallet.Attempted", {"outcome": {"Complete": "*"}})]
        self.free[who] -= amount + FEE
        events = [*own, *self.extra_events, ("TransactionPayment.TransactionFeePaid",
                                              {"who": who, "actual_fee": FEE, "tip": 0}),
                  ("System.ExtrinsicSuccess", {})]
        self.extra_events = []
        number = self.build(events, extrinsic_index=1)
        receipt = Receipt(self.name, f"0x{number:064x}", self.block_hash(number), number, True, None, FEE,
                          self.blocks[number])
        if self.after_submit:
            self.after_submit(receipt)
        return receipt

    def close(self) -> None:
        pass

    # --- what tests do ---------------------------------------------------------------------------------
    def build(self, events: list[tuple[str, dict]] = (), extrinsic_index: int | None = None) -> int:
        number = len(self.blocks)
        self.blocks.append([Event(*name.split("."), attributes, extrinsic_index, number) for name, attributes in events])
        return number

    def at(self, delay: float, action: Callable[[], None]) -> None:
        self.later.append((time.monotonic() + delay, action))


@dataclass
class FakeNetwork(RunningNetwork):
    dev_rpcs: bool = False  # offers storage writes and block building, as a dev chain does
    chains: dict[str, FakeChain] = field(default_factory=dict)
    built: list[str] = field(default_factory=list)  # every block built on request, by chain

    def __post_init__(self) -> None:
        if self.dev_rpcs:
            self.capabilities = {Capability.STORAGE: FakeDevChains(self), Capability.BLOCKS: FakeDevChains(self)}


@dataclass
class FakeDevChains:
    network: FakeNetwork

    def new_block(self, chain: str) -> None:
        self.network.built.append(chain)
        self.network.chains[chain].build()

    def write(self, chain: str, items: list[tuple[str, str]]) -> None:
        for key, value in items:
            self.network.chains[chain].free[key] = int(value)
