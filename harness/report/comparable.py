"""The part of a scenario's result that two runs can compare (harness/compare reads it): outcomes, balance changes,
fees, the semantic event trail and the hop trace, with accounts written by their scenario role.

Two runs of the same suite on the same network must give the same record. So it holds no timing, no block number
and no 32-byte hash: sr25519 signatures are random, and with them the extrinsic hashes, the message ids derived
from them and the blocks that include them. Event amounts and weights are left out too, since the fees and
balance changes state what they come to, each under its own rule."""
from __future__ import annotations

import re

from ..client.chain import Receipt, fee_paid
from ..engine.result import ScenarioResult
from ..engine.trace import Trace

HASH = re.compile(r"^0x[0-9a-fA-F]{64}$")
# event fields that hold amounts, weights, block numbers or counters: what they come to is compared as fees and
# balance changes, and they move with every fee change
NUMBERS = frozenset({"amount", "actual_fee", "tip", "free_balance", "balance", "fees", "fun", "weight",
                     "weight_used", "used", "dispatch_info", "unspent_weight", "number", "new_value", "grandpa_info",
                     "parachain_head_hash", "nonce", "remaining", "required", "max_weight", "fee", "value",
                     "ref_time", "proof_size", "cost", "deactivated", "reactivated"})
# per-block bookkeeping whose count follows how many blocks a run happened to read, not what it did
NOISE = frozenset({"System.ExtrinsicSuccess", "BridgeKusamaGrandpa.UpdatedBestFinalizedHeader",
                   "BridgePolkadotGrandpa.UpdatedBestFinalizedHeader", "BridgeKusamaParachains.UpdatedParachainHead",
                   "BridgePolkadotParachains.UpdatedParachainHead"})
OTHER_HASH = "0x…"


def _by_role(value: object, roles: dict[str, str]) -> object:
    """`value` with known accounts by role, other 32-byte values (hashes, ids) blanked and number fields dropped."""
    if isinstance(value, dict):
        return {k: _by_role(v, roles) for k, v in value.items() if k not in NUMBERS}
    if isinstance(value, (list, tuple)):
        return [_by_role(v, roles) for v in value]
    if isinstance(value, str):
        if value in roles:
            return f"<{roles[value]}>"
        return OTHER_HASH if HASH.match(value) else value
    return value


def _step_label(index: int, name: str | None) -> str:
    return name or f"steps[{index}]"


def _transaction_fee(receipt: Receipt) -> int:
    return sum(int(e.attributes["actual_fee"]) for e in receipt.events
               if e.qualified == "TransactionPayment.TransactionFeePaid")


def _fees(result: ScenarioResult) -> list[dict]:
    """Per step: its transaction fee and the delivery fees its signer paid; per hop of its trace: the delivery fee
    paid where the message left and the execution fee taken where it arrived."""
    out = []
    traces: dict[int, Trace] = {t.step: t for t in result.traces}
    for record in result.steps:
        step = _step_label(record.index, record.name)
        if record.receipt is not None:
            out.append({"step": step, "chain": record.receipt.chain, "kind": "transaction", "hop": None,
                        "amount": _transaction_fee(record.receipt)})
            delivery = sum(fee_paid(e) for e in record.receipt.events) - _transaction_fee(record.receipt)
            if delivery and record.index not in traces:
                out.append({"step": step, "chain": record.receipt.chain, "kind": "delivery", "hop": None,
                            "amount": delivery})
        trace = traces.get(record.index)
        for number, hop in enumerate(trace.hops if trace else [], 1):
            if hop.delivery_fee:
                out.append({"step": step, "chain": hop.chain, "kind": "delivery", "hop": number,
                            "amount": hop.delivery_fee})
            if hop.execution_fee is not None:
                out.append({"step": step, "chain": hop.chain, "kind": "execution", "hop": number,
                            "amount": hop.execution_fee})
    return out


def _balances(result: ScenarioResult) -> list[dict]:
    # a change that carries fees (the scenario says so) moves when they do
    return [{"chain": row.chain, "account": row.account, "asset": row.asset or None, "field": row.field,
             "change": row.actual, "fee_dependent": row.carries_fees} for row in result.balances]


def _events(result: ScenarioResult) -> dict[str, list[dict]]:
    trail = {}
    for chain, events in result.events.items():
        roles = result.roles.get(chain, {})
        trail[chain] = [{"event": e.qualified, "fields": _by_role(e.attributes, roles)}
                        for e in events if e.qualified not in NOISE]
    return trail


def _hops(result: ScenarioResult) -> list[dict]:
    return [{"step": _step_label(t.step, t.step_name), "path": list(t.path), "complete": t.complete,
             "hops": [{"chain": h.chain, "what": h.what, "success": h.success, "lane": h.lane, "nonce": h.nonce}
                      for h in t.hops]}
            for t in result.traces]


def _steps(result: ScenarioResult) -> list[dict]:
    ran = {r.index: r for r in result.steps}
    out = []
    for step in result.scenario.steps:
        record = ran.get(step.index)
        receipt = record.receipt if record else None
        out.append({"step": _step_label(step.index, step.name), "kind": step.kind,
                    "outcome": record.outcome if record else "not run",
                    "dispatched": None if receipt is None else receipt.success,
                    "error": None if receipt is None else receipt.error})
    return out


def comparable(outcome: str, result: ScenarioResult | None) -> dict:
    """The record harness/compare compares; a scenario that never ran (its network did not come up) has only its
    outcome."""
    if result is None:
        return {"outcome": outcome, "steps": [], "balances": [], "fees": [], "events": {}, "hops": []}
    return {"outcome": outcome, "steps": _steps(result), "balances": _balances(result), "fees": _fees(result),
            "events": _events(result), "hops": _hops(result)}
