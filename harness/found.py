"""A run of the transfer machine (tests/hypothesis/test_transfer_machine.py) as a scenario file: the steps it
ran, and the balance changes the model ledger expected, so a shrunk failure replays with
`pytest scenarios/found/<file>.yaml`."""
from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.settings import PROJECT_ROOT

NETWORK = "kusama-polkadot"
FOUND_DIR = PROJECT_ROOT / "scenarios" / "found"


@dataclass(frozen=True)
class Step:
    """One rule call: a `transfer` on `chain`, or a `teleport` from `chain` to `destination`, and what the
    ledger made of it. `fees` is what the ledger charged the sender on `chain` (transaction and delivery fees),
    `lost_on_arrival` what of the amount did not reach the beneficiary (execution fee, trapped deposit)."""

    kind: str                 # "transfer" or "teleport"
    chain: str
    sender: str               # dev seeds: //Alice, //Bob//fuzz
    beneficiary: str
    amount: int               # planck
    destination: str = ""
    keep_alive: bool = False
    included: bool = True     # False: the pool refused it; not replayable, left out
    accepted: bool = True
    fees: int = 0
    lost_on_arrival: int = 0

    @property
    def replayable(self) -> bool:
        return self.included and self.amount > 0


def account_name(seed: str) -> str:
    """`//Bob//fuzz` -> `bob_fuzz`."""
    return re.sub(r"[^a-z0-9]+", "_", seed.lower()).strip("_") or "account"


def _signed(planck: int) -> str:
    return f"{planck:+d} planck" if planck else "0 planck"


def scenario_text(steps: list[Step], before: dict[tuple[str, str], int], after: dict[tuple[str, str], int],
                  name: str = "found by the transfer machine") -> str:
    """The scenario YAML. `before` and `after` are the ledger's balances per (chain, seed) at the start and
    the end of the run; every fee the ledger charged is added back and left to `plus_fees`, every loss on
    arrival to `fee_bound`."""
    fees, lost, paid = Counter(), Counter(), set()
    for step in steps:
        if step.included:
            fees[(step.chain, step.sender)] += step.fees
        if step.replayable:
            paid.add((step.chain, step.sender))
        if step.kind == "teleport":
            lost[(step.destination, step.beneficiary)] += step.lost_on_arrival
    replayed = [s for s in steps if s.replayable]
    seeds = sorted({s for step in replayed for s in (step.sender, step.beneficiary)})
    touched = sorted({(s.chain, s.sender) for s in replayed} | {(s.destination or s.chain, s.beneficiary)
                                                                 for s in replayed})
    rows = []
    for chain, seed in touched:
        change = after.get((chain, seed), 0) - before.get((chain, seed), 0) + fees[(chain, seed)] + lost[(chain, seed)]
        row = {"chain": chain, "account": account_name(seed), "change": _signed(change)}
        if (chain, seed) in paid:
            row["plus_fees"] = True
        if lost[(chain, seed)] > 0:
            row["fee_bound"] = f"{lost[(chain, seed)]} planck"
        rows.append(row)
    doc = {"name": name, "network": NETWORK, "tags": ["found"],
           "accounts": {account_name(s): s for s in seeds},
           "steps": [_step(s) for s in replayed] or [{"wait": {"chain": "kusama", "blocks": 1}}]}
    if rows:
        doc["expect"] = {"balances": rows}
    return yaml.safe_dump(doc, sort_keys=False)


def _step(step: Step) -> dict:
    if step.kind == "transfer":
        out = {"transfer": {"chain": step.chain, "from": account_name(step.sender), "to": account_name(step.beneficiary),
                            "amount": f"{step.amount} planck", "keep_alive": step.keep_alive}}
    else:
        out = {"xcm_transfer": {"from": step.chain, "to": step.destination, "sender": account_name(step.sender),
                                "beneficiary": account_name(step.beneficiary), "amount": f"{step.amount} planck",
                                "kind": "teleport"}}
    if not step.accepted:
        out["expect"] = {"success": False}
    return out


def save(text: str, directory: Path = FOUND_DIR) -> Path:
    """Writes `text` to `<directory>/found_<hash>.yaml` (the same scenario, the same file) and returns the path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"found_{hashlib.sha256(text.encode()).hexdigest()[:12]}.yaml"
    path.write_text(text)
    return path
