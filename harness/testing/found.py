"""A run of the transfer machine (tests/hypothesis/test_transfer_machine.py) as a scenario file: the steps it
ran, and the balance changes the model ledger expected, so a shrunk failure replays with
`pytest scenarios/found/<file>.yaml`."""
from __future__ import annotations

import hashlib
import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

from harness.network.facts import NETWORK_OF_TOKEN
from harness.settings import PROJECT_ROOT

from .model_chains import RELAYS, chain

NETWORK = "kusama-polkadot"
FOUND_DIR = PROJECT_ROOT / "scenarios" / "found"


KINDS = ("transfer", "teleport", "bridge", "trap", "claim", "relayer", "bridge_mode")
CONTROLS = ("relayer", "bridge_mode")  # no extrinsic, no amount


@dataclass(frozen=True)
class FoundStep:
    """One rule call and what the ledger made of it: a `transfer` on `chain`, a `teleport` or a `bridge`
    (reserve) transfer from `chain` to `destination` of `asset` (a token symbol; "" for the chain's own),
    a `trap` (execute [WithdrawAsset]) or `claim` (claim_assets) of `amount` on `chain`, a `relayer` step
    (`mode` pause | resume) or a `bridge_mode` step (`mode` on the Bridge Hub `chain`). `fees` is what the
    ledger charged the sender on `chain` (transaction and delivery fees), `lost_on_arrival` what of the amount
    did not reach the beneficiary (execution fee, trapped deposit)."""

    kind: str                 # one of KINDS
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
    asset: str = ""           # bridge transfers: the token symbol sent
    mode: str = ""            # relayer: pause | resume; bridge_mode: Normal | Halted | RejectingOutboundMessages
    await_delivery: bool = True  # bridge transfers: False when the message waits (paused relayer, halted bridge)

    @property
    def replayable(self) -> bool:
        return self.kind in CONTROLS or (self.included and self.amount > 0)


def account_name(seed: str) -> str:
    """`//Bob//fuzz` -> `bob_fuzz`."""
    return re.sub(r"[^a-z0-9]+", "_", seed.lower()).strip("_") or "account"


def _signed(planck: int) -> str:
    return f"{planck:+d} planck" if planck else "0 planck"


Key = tuple  # (chain, seed) for the chain's own token, (chain, seed, symbol) for a bridged token


def scenario_text(steps: list[FoundStep], before: dict[Key, int], after: dict[Key, int],
                  name: str = "found by the transfer machine") -> str:
    """The scenario YAML. `before` and `after` are the ledger's balances per (chain, seed) (own token) and
    (chain, seed, symbol) (bridged token) at the start and the end of the run; every fee the ledger charged
    is added back and left to `plus_fees`, every loss on arrival to `fee_bound`."""
    fees, lost, paid = Counter(), Counter(), set()
    replayed = [s for s in steps if s.replayable]
    for step in steps:
        if step.included and step.kind not in CONTROLS:
            fees[(step.chain, step.sender)] += step.fees
        if step.replayable and step.kind not in CONTROLS:
            paid.add((step.chain, step.sender))
        if step.kind in ("teleport", "bridge"):
            lost[_arrival_key(step)] += step.lost_on_arrival
    moving = [s for s in replayed if s.kind not in CONTROLS]
    seeds = sorted({s for step in moving for s in (step.sender, step.beneficiary)})
    touched = {(s.chain, s.sender) for s in moving} | {_arrival_key(s) for s in moving}
    touched |= {_sent_key(s) for s in moving}
    rows = []
    for key in sorted(touched, key=lambda k: (k[0], k[1], k[2] if len(k) > 2 else "")):
        chain, seed = key[:2]
        change = after.get(key, 0) - before.get(key, 0) + fees[key] + lost[key]
        row = {"chain": chain, "account": account_name(seed)}
        if len(key) > 2:
            row["asset"] = key[2]
        row["change"] = _signed(change)
        if key in paid:
            row["plus_fees"] = True
        if lost[key] > 0:
            row["fee_bound"] = f"{lost[key]} planck"
        rows.append(row)
    doc = {"name": name, "network": NETWORK, "tags": ["found"],
           "accounts": {account_name(s): s for s in seeds},
           "steps": [_step(s) for s in replayed] or [{"wait": {"chain": "kusama", "blocks": 1}}]}
    if rows:
        doc["expect"] = {"balances": rows}
    return yaml.safe_dump(doc, sort_keys=False)


def _foreign(chain: str, symbol: str) -> bool:
    return bool(symbol) and not chain.startswith({"KSM": "kusama", "DOT": "polkadot"}[symbol])


def _sent_key(step: FoundStep) -> Key:
    if step.kind == "bridge" and _foreign(step.chain, step.asset):
        return step.chain, step.sender, step.asset
    return step.chain, step.sender


def _arrival_key(step: FoundStep) -> Key:
    if step.kind == "bridge" and _foreign(step.destination, step.asset):
        return step.destination, step.beneficiary, step.asset
    return step.destination or step.chain, step.beneficiary


def _native(step: FoundStep) -> dict:
    return {"id": {"parents": 0 if step.chain in ("kusama", "polkadot") else 1, "interior": "Here"},
            "fun": {"Fungible": step.amount}}


def _step(step: FoundStep) -> dict:
    pallet = "XcmPallet" if step.chain in ("kusama", "polkadot") else "PolkadotXcm"
    if step.kind == "relayer":
        return {"relayer": step.mode}
    if step.kind == "bridge_mode":
        return {"bridge_mode": {"chain": step.chain, "mode": step.mode}}
    if step.kind == "trap":
        out = {"call": {"chain": step.chain, "signer": account_name(step.sender), "call": f"{pallet}.execute",
                        "args": {"message": {"V5": [{"WithdrawAsset": [_native(step)]}]},
                                 "max_weight": {"ref_time": 1_000_000_000, "proof_size": 100_000}}}}
    elif step.kind == "claim":
        beneficiary = {"parents": 0, "interior": {"X1": [{"AccountId32": {
            "network": None, "id": f"$account:{account_name(step.sender)}"}}]}}
        out = {"call": {"chain": step.chain, "signer": account_name(step.sender), "call": f"{pallet}.claim_assets",
                        "args": {"assets": {"V5": [_native(step)]}, "beneficiary": {"V5": beneficiary}}}}
    elif step.kind == "bridge":
        out = {"xcm_transfer": {"from": step.chain, "to": step.destination, "sender": account_name(step.sender),
                                "beneficiary": account_name(step.beneficiary),
                                "amount": _token_amount(step.amount, step.asset), "kind": "reserve",
                                "await_delivery": step.await_delivery}}
    elif step.kind == "transfer":
        out = {"transfer": {"chain": step.chain, "from": account_name(step.sender), "to": account_name(step.beneficiary),
                            "amount": f"{step.amount} planck", "keep_alive": step.keep_alive}}
    else:
        out = {"xcm_transfer": {"from": step.chain, "to": step.destination, "sender": account_name(step.sender),
                                "beneficiary": account_name(step.beneficiary), "amount": f"{step.amount} planck",
                                "kind": "teleport"}}
    if not step.accepted:
        out["expect"] = {"success": False}
    return out


def _token_amount(planck: int, symbol: str) -> str:
    """An exact amount in `symbol` (the unit names the asset; a bridged token keeps its home's decimals)."""
    decimals = chain(RELAYS[NETWORK_OF_TOKEN[symbol]]).decimals
    whole, frac = divmod(planck, 10 ** decimals)
    return f"{whole}.{frac:0{decimals}d}".rstrip("0").rstrip(".") + f" {symbol}"


def save(text: str, directory: Path = FOUND_DIR) -> Path:
    """Writes `text` to `<directory>/found_<hash>.yaml` (the same scenario, the same file) and returns the path."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"found_{hashlib.sha256(text.encode()).hexdigest()[:12]}.yaml"
    # pytest-xdist workers may save the same scenario at once: each writes its own file, then renames it
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text)
    os.replace(partial, path)
    return path
