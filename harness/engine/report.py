"""The failure report, in the scenario's own terms: source lines, balance table, extrinsics, events, logs."""
from __future__ import annotations

from pathlib import Path

from ..providers.process import tail
from ..scenario.amounts import format_planck
from .result import ScenarioFailure, ScenarioResult

_EVENT_LIMIT = 25


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def balance_table(result: ScenarioResult, units: dict[str, tuple[int, str]]) -> str:
    rows = [["chain", "account", "field", "expected change", "actual change", "blocks", "ok"]]
    for row in result.balances:
        decimals, symbol = units[row.chain]
        rows.append([row.chain, row.account, row.field, row.expected, format_planck(row.actual, decimals, symbol),
                     f"#{row.before_block}->#{row.after_block}", "yes" if row.ok else "NO"])
    return _table(rows)


def _source(doc, step, where) -> list[str]:
    """The failing step's lines with `>` at the failing line; a failing line outside the step is shown apart."""
    if step is None:
        return [doc.snippet(where)]
    if doc.contains(step.path, where):
        return [doc.snippet(step.path, context=0, mark=where)]
    return [doc.snippet(step.path, context=0), doc.snippet(where, context=0)]


def render_failure(failure: ScenarioFailure, logs: dict[str, Path], units: dict[str, tuple[int, str]]) -> str:
    result = failure.result
    scenario = result.scenario
    doc = scenario.doc
    where = failure.path or (failure.step.path if failure.step else doc.base)
    pos = doc.position(where)
    parts = [f"{scenario.file}:{pos.line}:{pos.column}: scenario '{scenario.name}' failed: {failure.message}"]
    parts.extend(_source(doc, failure.step, where))
    if result.balances:
        parts.append("balance changes:\n" + balance_table(result, units))
    for receipt in result.receipts:
        status = "ok" if receipt.success else f"failed: {receipt.error}"
        parts.append(f"extrinsic {receipt.extrinsic_hash} on {receipt.chain} in block #{receipt.block_number} "
                     f"({status}, fee {format_planck(receipt.fee, *units[receipt.chain])})")
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
