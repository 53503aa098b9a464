"""A scenario's outcome as JSON (schema: result_schema.py): balances, extrinsics, and each transfer's trace; the
provider and each chain's runtime; and `compared`, the part that `harness compare` compares (comparable.py).

Amounts are integers in planck; `tokens` gives each token's decimals, so that a reader can show them. Timings
(`seconds`) stay outside `compared`."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass

from ..client.chain import Event, Receipt
from ..engine.result import BalanceRow, ScenarioResult
from ..engine.trace import Hop, Trace
from ..scenario.model import Scenario
from .comparable import comparable

SCHEMA_ID = "harness-result/1"


@dataclass
class ScenarioOutcome:
    """What one run of a scenario came to, for the report: its result (when it ran) and the failure text."""

    scenario: Scenario
    outcome: str  # passed | failed | error
    result: ScenarioResult | None = None
    message: str | None = None  # the failure or error, one line
    position: str | None = None  # file:line:col of what failed


def _event(event: Event) -> dict:
    return {"name": event.qualified, "block": event.block_number, "attributes": event.attributes}


def _balance(row: BalanceRow) -> dict:
    return {"chain": row.chain, "account": row.account, "address": row.address, "field": row.field,
            "asset": row.asset or None, "expected": row.expected, "low": row.low, "high": row.high,
            "before": row.before, "after": row.after, "actual": row.actual, "before_block": row.before_block,
            "after_block": row.after_block, "min_balance": row.min_balance, "ok": row.ok}


def _extrinsic(receipt: Receipt) -> dict:
    return {"chain": receipt.chain, "hash": receipt.extrinsic_hash, "block": receipt.block_number,
            "success": receipt.success, "error": receipt.error, "fee": receipt.fee,
            "events": [_event(e) for e in receipt.events]}


def _hop(hop: Hop) -> dict:
    return {"chain": hop.chain, "block": hop.block, "what": hop.what, "success": hop.success,
            "message_id": hop.message_id, "delivery_fee": hop.delivery_fee, "deposited": hop.deposited,
            "execution_fee": hop.execution_fee, "lane": hop.lane, "nonce": hop.nonce,
            "confirmed_block": hop.confirmed_block, "events": [_event(e) for e in hop.events]}


def _trace(trace: Trace) -> dict:
    return {"step": trace.step, "step_name": trace.step_name, "path": list(trace.path), "asset": trace.asset,
            "amount": trace.amount, "beneficiary": trace.beneficiary, "ids": trace.ids, "complete": trace.complete,
            "hops": [_hop(h) for h in trace.hops]}


def to_json(outcome: ScenarioOutcome) -> dict:
    scenario, result = outcome.scenario, outcome.result
    units = result.units if result else None  # as the run recorded them: writing a report asks no chain
    return {
        "schema": SCHEMA_ID,
        "scenario": {"name": scenario.name, "file": str(scenario.file), "line": scenario.line,
                     "network": scenario.network.name, "row": scenario.row, "tags": list(scenario.tags)},
        "outcome": outcome.outcome,
        "message": outcome.message,
        "position": outcome.position,
        "seconds": round(result.seconds, 3) if result else None,
        "chains": {chain: {"decimals": d, "symbol": s} for chain, (d, s) in units.chains.items()} if units else {},
        "tokens": units.tokens() if units else {},
        "balances": [_balance(r) for r in result.balances] if result else [],
        "extrinsics": [_extrinsic(r) for r in result.receipts] if result else [],
        "traces": [_trace(t) for t in result.traces] if result else [],
        "provider": result.provider if result else None,
        "runtimes": result.runtimes if result else {},
        "upgrades": [{**asdict(u), "blocks": list(u.blocks)} for u in result.upgrades] if result else [],
        "compared": comparable(outcome.outcome, result),
    }


def dumps(data: dict) -> str:
    """JSON text; values a chain decodes to other types (bytes) are written as text."""
    return json.dumps(data, indent=2, default=lambda v: "0x" + v.hex() if isinstance(v, bytes) else str(v))
