"""A comparison as one self-contained HTML page: a summary row per scenario, then per scenario its changes, before
and after side by side (outcome, the hop diagrams that report/html.py draws), and a fee chart, before and after
per hop and kind, in inline SVG. Nothing is fetched."""
from __future__ import annotations

from html import escape

from ..report.html import STYLE, sequence_diagram
from .engine import Comparison, ScenarioComparison
from .render import relative_text, value_text

BAR_HEIGHT, BAR_GAP, LABEL_WIDTH, CHART_WIDTH = 12, 10, 330, 300
BEFORE, AFTER = "#90a4ae", "#1565c0"
EXTRA_STYLE = """
.regression{color:#c62828;font-weight:bold}.drift{color:#ef6c00}.same{color:#2e7d32}
tr.regression{background:#ffebee}.sides{display:flex;gap:2em;flex-wrap:wrap}.sides>div{flex:1;min-width:20em;
overflow-x:auto}
"""


def _changes_table(entry: ScenarioComparison) -> str:
    rows = "".join(
        f'<tr class="change {c.verdict}" data-aspect="{escape(c.aspect)}"><td>{escape(c.what)}</td>'
        f"<td>{escape(value_text(c.before))}</td><td>{escape(value_text(c.after))}</td>"
        f"<td>{escape(relative_text(c))}</td><td class=\"{c.verdict}\">{c.verdict}</td>"
        f"<td>{escape(c.rule or '')}</td></tr>" for c in entry.changes)
    return ("<table class=\"changes\"><tr><th>what changed</th><th>before</th><th>after</th><th>relative</th>"
            f"<th>verdict</th><th>rule</th></tr>{rows}</table>")


def _side(title: str, record, key: str) -> str:
    if record is None:
        return f"<div><h3>{title}</h3><p>not in this report</p></div>"
    result = record.result
    parts = [f"<h3>{title}: <span class=\"{record.outcome}\">{record.outcome}</span></h3>",
             f"<p>provider {escape(record.provider or '?')}, network {escape(record.network)}</p>"]
    if result.get("message"):
        parts.append(f"<pre>{escape(result['message'])}</pre>")
    for n, trace in enumerate(result.get("traces", [])):
        parts.append(f"<p>step {escape(str(trace['step_name'] or trace['step']))}</p>")
        parts.append(sequence_diagram(trace, result["chains"], result["tokens"], f"{key}t{n}"))
    return f"<div>{''.join(parts)}</div>"


def fee_chart(entry: ScenarioComparison) -> str:
    """Horizontal bars, before (grey) over after (blue), per step, hop and fee kind."""
    fees: dict[tuple, list[int | None]] = {}
    for side, record in enumerate((entry.base, entry.candidate)):
        for fee in (record.compared["fees"] if record else []):
            label = (fee["step"], fee["chain"], fee["kind"], fee["hop"])
            fees.setdefault(label, [None, None])[side] = fee["amount"]
    if not fees:
        return ""
    top = max(v for pair in fees.values() for v in pair if v is not None) or 1
    row = 2 * BAR_HEIGHT + BAR_GAP
    height = len(fees) * row + 30
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="fee-chart" width="{LABEL_WIDTH + CHART_WIDTH + 140}" '
             f'height="{height}" role="img" aria-label="fees before and after">',
             f'<rect x="{LABEL_WIDTH}" y="4" width="10" height="10" fill="{BEFORE}"/>'
             f'<text x="{LABEL_WIDTH + 14}" y="13" font-size="11">before</text>'
             f'<rect x="{LABEL_WIDTH + 70}" y="4" width="10" height="10" fill="{AFTER}"/>'
             f'<text x="{LABEL_WIDTH + 84}" y="13" font-size="11">after</text>']
    for i, ((step, chain, kind, hop), pair) in enumerate(fees.items()):
        y = 24 + i * row
        label = f"{step}: {kind} on {chain}" + (f" (hop {hop})" if hop else "")
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT + 3}" font-size="11" text-anchor="end">'
                     f"{escape(label)}</text>")
        for side, (value, color) in enumerate(zip(pair, (BEFORE, AFTER))):
            width = 0 if value is None else max(1, round(CHART_WIDTH * value / top))
            parts.append(f'<rect class="bar" x="{LABEL_WIDTH}" y="{y + side * BAR_HEIGHT}" width="{width}" '
                         f'height="{BAR_HEIGHT - 1}" fill="{color}"/>'
                         f'<text x="{LABEL_WIDTH + width + 4}" y="{y + side * BAR_HEIGHT + BAR_HEIGHT - 2}" '
                         f'font-size="10">{escape(value_text(value))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render_comparison(comparison: Comparison) -> str:
    summary = "".join(
        f'<tr class="scenario {s.verdict}" data-verdict="{s.verdict}"><td><a href="#c{i}">{escape(s.key)}</a></td>'
        f"<td>{len(s.changes)}</td><td class=\"{s.verdict}\">{s.verdict}</td></tr>"
        for i, s in enumerate(comparison.scenarios))
    sections = []
    for i, entry in enumerate(comparison.scenarios):
        sections.append(f'<h2 id="c{i}">{escape(entry.key)} <span class="{entry.verdict}">{entry.verdict}</span></h2>'
                        + (_changes_table(entry) if entry.changes else "<p>no difference</p>")
                        + f'<div class="sides">{_side("before", entry.base, f"c{i}b")}'
                        f'{_side("after", entry.candidate, f"c{i}a")}</div>' + fee_chart(entry))
    rules = ", ".join(escape(r) for r in comparison.rules_used) or "none"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Comparison</title>'
            f"<style>{STYLE}{EXTRA_STYLE}</style></head><body><h1>Comparison</h1>"
            f"<p>before: {escape(str(comparison.base.folder))} ({escape(comparison.base.provider)}); "
            f"after: {escape(str(comparison.candidate.folder))} ({escape(comparison.candidate.provider)})</p>"
            f'<p id="verdict">{len(comparison.scenarios)} scenario(s), {comparison.regressions} regression(s); '
            f"rules that decided: {rules}</p>"
            f'<table id="summary"><tr><th>scenario</th><th>changes</th><th>verdict</th></tr>{summary}</table>'
            f"{''.join(sections)}</body></html>\n")
