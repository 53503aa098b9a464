"""The failure report, in the scenario's own terms: source lines, balance table, extrinsics, events, logs."""
from __future__ import annotations

from pathlib import Path

from ..logs import tail
from .result import ScenarioFailure, ScenarioResult
from .trace import Trace
from .units import Units

_EVENT_LIMIT = 25
_HOP_EVENT_LIMIT = 12


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def balance_table(result: ScenarioResult) -> str:
    rows = [["chain", "account", "field", "expected change", "actual change", "blocks", "ok"]]
    for row in result.balances:
        rows.append([row.chain, row.account, row.field if not row.asset else f"{row.asset} (ForeignAssets)",
                     row.expected, result.units.text(row.actual, row.chain, row.asset or None),
                     f"#{row.before_block}->#{row.after_block}", "yes" if row.ok else "NO"])
    return _table(rows)


def trace_lines(trace: Trace, units: Units) -> list[str]:
    """A transfer hop by hop: chain, block, what happened, the fees, and each hop's events."""
    origin = trace.path[0]
    amount = units.text(trace.amount, origin, trace.asset)
    state = "complete" if trace.complete else (f"failed on {trace.hops[-1].chain}" if trace.hops[-1].success is False
                                               else f"incomplete: it reached {trace.hops[-1].chain}")
    lines = [f"trace of step '{trace.step_name or trace.step}' ({amount}, {' -> '.join(trace.path)}; {state}; "
             f"ids {', '.join(trace.ids) or 'none known'}):"]
    for number, hop in enumerate(trace.hops, 1):
        status = {True: "ok", False: "FAILED", None: "outcome unknown"}[hop.success]
        fees = []
        if hop.delivery_fee:
            fees.append(f"delivery fee {units.text(hop.delivery_fee, hop.chain)}")
        if hop.deposited is not None:
            fees.append(f"deposited {units.text(hop.deposited, origin, trace.asset)}")
        if hop.execution_fee is not None:
            fees.append(f"execution fee {units.text(hop.execution_fee, origin, trace.asset)}")
        if hop.lane is not None:
            fees.append(f"lane {hop.lane} nonce {hop.nonce}"
                        + (f", confirmed in #{hop.confirmed_block}" if hop.confirmed_block is not None else ""))
        lines.append(f"  {number}. {hop.chain} #{hop.block}: {hop.what}, {status}"
                     + (f" ({'; '.join(fees)})" if fees else ""))
        lines.extend(f"       {e.qualified} {e.attributes}" for e in hop.events[:_HOP_EVENT_LIMIT])
    missing = trace.path[len(trace.hops):]
    if missing:
        lines.append(f"  not reached: {', '.join(missing)}")
    return lines


def _source(doc, step, where) -> list[str]:
    """The failing step's lines with `>` at the failing line; a failing line outside the step is shown apart."""
    if step is None:
        return [doc.snippet(where)]
    if doc.contains(step.path, where):
        return [doc.snippet(step.path, context=0, mark=where)]
    return [doc.snippet(step.path, context=0), doc.snippet(where, context=0)]


def failure_where(failure: ScenarioFailure) -> tuple:
    """The key path a failure is reported at: its own, else its step's, else the document's."""
    doc = failure.result.scenario.doc
    return failure.path or (failure.step.path if failure.step else doc.base)


def failure_position(failure: ScenarioFailure) -> str:
    scenario = failure.result.scenario
    pos = scenario.doc.position(failure_where(failure))
    return f"{scenario.file}:{pos.line}:{pos.column}"


def render_failure(failure: ScenarioFailure, logs: dict[str, Path]) -> str:
    """The report, with amounts in the units the run recorded (no chain is asked)."""
    result = failure.result
    scenario = result.scenario
    doc = scenario.doc
    where = failure_where(failure)
    parts = [f"{failure_position(failure)}: scenario '{scenario.name}' failed: {failure.message}"]
    parts.extend(_source(doc, failure.step, where))
    if result.balances:
        parts.append("balance changes:\n" + balance_table(result))
    for trace in result.traces:
        parts.extend(trace_lines(trace, result.units))
    for receipt in result.receipts:
        status = "ok" if receipt.success else f"failed: {receipt.error}"
        parts.append(f"extrinsic {receipt.extrinsic_hash} on {receipt.chain} in block #{receipt.block_number} "
                     f"({status}, fee {result.units.text(receipt.fee, receipt.chain)})")
        parts.extend(f"    {e.qualified} {e.attributes}" for e in receipt.events[:_EVENT_LIMIT])
    for chain, events in result.events.items():
        shown = [e for e in events if e.extrinsic_index is None or e.qualified.startswith(("Xcm", "Polkadot", "Message",
                                                                                             "Dmp", "Parachain"))]
        if shown:
            parts.append(f"events on {chain}:")
            parts.extend(f"    #{e.block_number} {e.qualified} {e.attributes}" for e in shown[-_EVENT_LIMIT:])
    for log in sorted(set(logs.values())):
        parts.append(f"last lines of {log}:\n{tail(log, 15)}")
    return "\n".join(parts)
