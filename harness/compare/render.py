"""A comparison as a terminal table, as JSON, and as JUnit XML (one test case per scenario, failing on a
regression, so CI shows it natively)."""
from __future__ import annotations

import json
from xml.etree import ElementTree

from .engine import REGRESSION, Change, Comparison

CELL = 80  # widest cell of the terminal table; longer values are cut with …


def _cut(text: str) -> str:
    return text if len(text) <= CELL else text[:CELL - 1] + "…"


def value_text(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "_")
    return str(value)


def relative_text(change: Change) -> str:
    if change.relative is None:
        return ""
    if change.relative and abs(change.relative) < 0.0001:  # a small change still shows its size and sign
        return f"{change.relative * 100:+.2g}%"
    return f"{change.relative:+.2%}"


def table(comparison: Comparison) -> str:
    rows = [["scenario", "what changed", "before -> after", "relative", "verdict", "rule"]]
    for change in comparison.changes:
        rows.append([_cut(change.scenario), _cut(change.what),
                     _cut(f"{value_text(change.before)} -> {value_text(change.after)}"), relative_text(change),
                     change.verdict, _cut(change.rule or "")])
    lines = []
    if len(rows) > 1:
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
        lines.insert(1, "  ".join("-" * w for w in widths))
    same = sum(s.verdict == "same" for s in comparison.scenarios)
    drift = sum(s.verdict == "drift" for s in comparison.scenarios)
    lines.append(f"{len(comparison.scenarios)} scenario(s): {same} same, {drift} drift, "
                 f"{comparison.regressions} regression(s)")
    if comparison.rules_used:
        lines.append("rules that decided: " + ", ".join(comparison.rules_used))
    return "\n".join(lines)


def _change_json(change: Change) -> dict:
    return {"aspect": change.aspect, "what": change.what, "before": change.before, "after": change.after,
            "relative": change.relative, "verdict": change.verdict, "rule": change.rule, "chain": change.chain,
            "kind": change.kind, "hop": change.hop}


def to_json(comparison: Comparison) -> dict:
    return {"schema": "harness-comparison/1", "base": str(comparison.base.folder),
            "candidate": str(comparison.candidate.folder), "regressions": comparison.regressions,
            "rules": [r.name for r in comparison.rules], "rules_used": comparison.rules_used,
            "scenarios": [{"scenario": s.key, "verdict": s.verdict, "ignored_by": s.applied,
                           "changes": [_change_json(c) for c in s.changes]} for s in comparison.scenarios]}


def junit(comparison: Comparison) -> str:
    suite = ElementTree.Element("testsuite", name="harness compare", tests=str(len(comparison.scenarios)),
                                failures=str(comparison.regressions), errors="0")
    for scenario in comparison.scenarios:
        case = ElementTree.SubElement(suite, "testcase", classname="compare", name=scenario.key)
        bad = [c for c in scenario.changes if c.verdict == REGRESSION]
        if bad:
            failure = ElementTree.SubElement(case, "failure", message=f"{len(bad)} regression(s): {bad[0].what}")
            failure.text = "\n".join(f"{c.what}: {value_text(c.before)} -> {value_text(c.after)} ({c.rule})"
                                     for c in bad)
        drift = [c for c in scenario.changes if c.verdict != REGRESSION]
        if drift:
            ElementTree.SubElement(case, "system-out").text = "\n".join(
                f"drift: {c.what}: {value_text(c.before)} -> {value_text(c.after)}"
                + (f" (within {c.rule})" if c.rule else "") for c in drift)
    return ElementTree.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"


def dumps(comparison: Comparison) -> str:
    return json.dumps(to_json(comparison), indent=2, default=str) + "\n"
