"""One self-contained HTML page for a run, from the JSON results: per scenario its outcome, each transfer as a
sequence diagram (chains as lanes, hops as arrows, inline SVG), the fees per hop and the balance changes.
No scripts, fonts or stylesheets are fetched: the page is one file that opens anywhere."""
from __future__ import annotations

from html import escape

from ..scenario.amounts import format_planck

LANE_WIDTH, LANE_GAP, ROW_HEIGHT, TOP = 200, 20, 64, 56
COLORS = {True: "#2e7d32", False: "#c62828", None: "#757575"}
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em;color:#212121}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-top:1px solid #ddd;padding-top:1em}h3{font-size:1em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;
font-size:.9em}th{background:#f5f5f5}.passed{color:#2e7d32}.failed,.error{color:#c62828}.no{background:#ffebee}
pre{background:#fafafa;border:1px solid #eee;padding:.5em;white-space:pre-wrap}code{font-size:.85em}
svg text{font-family:system-ui,sans-serif}
"""


def _amount(planck: int | None, symbol: str, tokens: dict[str, int]) -> str:
    if planck is None:
        return "-"
    if symbol not in tokens:  # a result without the chains' units (its network never came up): as recorded
        return f"{planck} planck"
    return format_planck(planck, tokens[symbol], symbol)


def _table(head: list[str], rows: list[list[str]], bad: list[bool] | None = None) -> str:
    cells = "".join(f"<th>{escape(h)}</th>" for h in head)
    body = "".join(('<tr class="no">' if bad and bad[i] else "<tr>") + "".join(f"<td>{escape(c)}</td>" for c in row)
                   + "</tr>" for i, row in enumerate(rows))
    return f"<table><tr>{cells}</tr>{body}</table>"


def _status(success: bool | None) -> str:
    return {True: "ok", False: "failed", None: "outcome unknown"}[success]


def sequence_diagram(trace: dict, chains: dict[str, dict], tokens: dict[str, int], key: str) -> str:
    """The trace as an SVG sequence diagram: one lane per chain of the route, one arrow per hop."""
    lanes = trace["path"]
    x = {chain: LANE_GAP + i * LANE_WIDTH + LANE_WIDTH // 2 for i, chain in enumerate(lanes)}
    hops = trace["hops"]
    missing = lanes[len(hops):] if hops else lanes
    rows = max(1, len(hops)) + len(missing)
    width, height = LANE_GAP * 2 + LANE_WIDTH * len(lanes), TOP + rows * ROW_HEIGHT + 20
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img" '
             f'aria-label="hops of step {escape(str(trace["step_name"] or trace["step"]))}">',
             "<defs>" + "".join(
                 f'<marker id="{key}-{name}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
                 f'orient="auto"><path d="M0,0L10,5L0,10z" fill="{color}"/></marker>'
                 for name, color in (("ok", COLORS[True]), ("failed", COLORS[False]), ("unknown", COLORS[None])))
             + "</defs>"]
    for chain in lanes:
        parts.append(f'<rect x="{x[chain] - LANE_WIDTH // 2 + 8}" y="8" width="{LANE_WIDTH - 16}" height="28" rx="4" '
                     f'fill="#e3f2fd" stroke="#90caf9"/><text x="{x[chain]}" y="27" text-anchor="middle" '
                     f'font-size="13" class="lane">{escape(chain)}</text>'
                     f'<line x1="{x[chain]}" y1="36" x2="{x[chain]}" y2="{height - 8}" stroke="#bbb" '
                     f'stroke-dasharray="4 4"/>')
    symbol = trace["asset"]
    for row, hop in enumerate(hops):
        y = TOP + row * ROW_HEIGHT + 20
        color, marker = COLORS[hop["success"]], {True: "ok", False: "failed", None: "unknown"}[hop["success"]]
        label = f'#{hop["block"]} {hop["what"]}, {_status(hop["success"])}'
        notes = _hop_notes(hop, symbol, chains, tokens)
        if row == 0:
            parts.append(f'<circle cx="{x[hop["chain"]]}" cy="{y}" r="6" fill="{color}"/>'
                         f'<text x="{x[hop["chain"]] + 10}" y="{y - 8}" font-size="12" class="hop">'
                         f'{escape(label)}</text>')
        else:
            start = x[hops[row - 1]["chain"]]
            parts.append(f'<line x1="{start}" y1="{y}" x2="{x[hop["chain"]]}" y2="{y}" stroke="{color}" '
                         f'stroke-width="2" marker-end="url(#{key}-{marker})"/>'
                         f'<text x="{(start + x[hop["chain"]]) // 2}" y="{y - 8}" text-anchor="middle" font-size="12" '
                         f'class="hop">{escape(label)}</text>')
        anchor = x[hop["chain"]] if row == 0 else (x[hops[row - 1]["chain"]] + x[hop["chain"]]) // 2
        parts.append(f'<text x="{anchor + (10 if row == 0 else 0)}" y="{y + 18}" '
                     f'text-anchor="{"start" if row == 0 else "middle"}" font-size="11" fill="#555" class="fee">'
                     f'{escape(notes)}</text>')
    for offset, chain in enumerate(missing):
        y = TOP + (max(1, len(hops)) + offset) * ROW_HEIGHT + 20
        start = x[lanes[lanes.index(chain) - 1]] if lanes.index(chain) else x[chain]  # from the chain before it
        parts.append(f'<line x1="{start}" y1="{y}" x2="{x[chain]}" y2="{y}" stroke="{COLORS[None]}" '
                     f'stroke-dasharray="6 4" marker-end="url(#{key}-unknown)"/>'
                     f'<text x="{(start + x[chain]) // 2}" y="{y - 8}" text-anchor="middle" font-size="12" '
                     f'fill="#757575">not reached</text>')
    parts.append("</svg>")
    return "".join(parts)


def _hop_notes(hop: dict, symbol: str, chains: dict[str, dict], tokens: dict[str, int]) -> str:
    own = chains.get(hop["chain"], {}).get("symbol", symbol)
    notes = []
    if hop["delivery_fee"]:
        notes.append(f'delivery fee {_amount(hop["delivery_fee"], own, tokens)}')
    if hop["execution_fee"] is not None:
        notes.append(f'execution fee {_amount(hop["execution_fee"], symbol, tokens)}')
    if hop["lane"] is not None:
        notes.append(f'lane {hop["lane"]} nonce {hop["nonce"]}')
    return "; ".join(notes)


def fee_table(trace: dict, chains: dict[str, dict], tokens: dict[str, int]) -> str:
    symbol = trace["asset"]
    rows = []
    for hop in trace["hops"]:
        own = chains.get(hop["chain"], {}).get("symbol", symbol)
        rows.append([hop["chain"], f'#{hop["block"]}', hop["what"], _status(hop["success"]),
                     _amount(hop["delivery_fee"], own, tokens), _amount(hop["deposited"], symbol, tokens),
                     _amount(hop["execution_fee"], symbol, tokens),
                     "-" if hop["lane"] is None else f'{hop["lane"]} #{hop["nonce"]}',
                     "-" if hop["confirmed_block"] is None else f'#{hop["confirmed_block"]}', hop["message_id"] or "-"])
    return _table(["chain", "block", "hop", "status", "delivery fee", "deposited", "execution fee", "lane / nonce",
                   "confirmed", "message id"], rows, [h["success"] is False for h in trace["hops"]])


def balance_table(result: dict) -> str:
    tokens = result["tokens"]
    rows = []
    for row in result["balances"]:
        symbol = row["asset"] or result["chains"].get(row["chain"], {}).get("symbol", "")
        rows.append([row["chain"], row["account"], row["asset"] or row["field"], row["expected"],
                     _amount(row["actual"], symbol, tokens), f'#{row["before_block"]} -> #{row["after_block"]}',
                     "yes" if row["ok"] else "NO"])
    return _table(["chain", "account", "field / asset", "expected change", "actual change", "blocks", "ok"], rows,
                  [not r["ok"] for r in result["balances"]])


def runtime_table(result: dict) -> str:
    """What each chain ran when the scenario began, and the upgrades its steps made."""
    rows = [[chain, r["spec_name"], str(r["spec_version"]), str(r["transaction_version"]), r["code_hash"] or "-"]
            for chain, r in result.get("runtimes", {}).items()]
    table = _table(["chain", "spec name", "spec version", "tx version", "code hash"], rows) if rows else ""
    upgrades = [[str(u["step"] + 1), u["chain"], f'{u["spec_before"]} -> {u["spec_after"]}', u["code_hash"] or "-",
                 ", ".join(f"#{n}" for n in u["blocks"]) or "-",
                 "-" if u["last_runtime_upgrade"] is None else
                 f'{u["last_runtime_upgrade"]["spec_name"]} {u["last_runtime_upgrade"]["spec_version"]}']
                for u in result.get("upgrades", [])]
    if upgrades:
        table += _table(["step", "chain", "spec version", "code hash after", "blocks", "LastRuntimeUpgrade"], upgrades)
    return table


def _events(events: list[dict]) -> str:
    return "".join(f"<code>{escape(e['name'])} {escape(str(e['attributes']))}</code><br>" for e in events)


def scenario_section(result: dict, index: int) -> str:
    scenario, outcome = result["scenario"], result["outcome"]
    parts = [f'<h2 id="s{index}">{escape(scenario["name"])} <span class="{outcome}">{outcome}</span></h2>',
             f'<p>{escape(scenario["file"])}:{scenario["line"]} on network {escape(scenario["network"])}'
             + (f', {result["seconds"]:.3f} s' if result["seconds"] is not None else "") + "</p>"]
    if result["message"]:
        parts.append(f'<pre>{escape((result["position"] + ": ") if result["position"] else "")}'
                     f'{escape(result["message"])}</pre>')
    for n, trace in enumerate(result["traces"]):
        amount = _amount(trace["amount"], trace["asset"], result["tokens"])
        parts.append(f'<h3>step {escape(str(trace["step_name"] or trace["step"]))}: {escape(amount)}, '
                     f'{escape(" -> ".join(trace["path"]))} ({"complete" if trace["complete"] else "incomplete"})</h3>')
        parts.append(sequence_diagram(trace, result["chains"], result["tokens"], f"s{index}t{n}"))
        parts.append(fee_table(trace, result["chains"], result["tokens"]))
    if result["balances"]:
        parts.append("<h3>balance changes</h3>" + balance_table(result))
    if result.get("runtimes") or result.get("upgrades"):
        parts.append(f'<h3>runtimes ({escape(result.get("provider") or "-")})</h3>' + runtime_table(result))
    if result["extrinsics"]:
        parts.append("<details><summary>extrinsics</summary>" + "".join(
            f'<p>{escape(x["chain"])} #{x["block"]} {escape(x["hash"])} '
            f'{"ok" if x["success"] else "failed: " + escape(str(x["error"]))}</p>{_events(x["events"])}'
            for x in result["extrinsics"]) + "</details>")
    return "".join(parts)


def render_page(results: list[dict], title: str = "Scenario report") -> str:
    counts = {k: sum(r["outcome"] == k for r in results) for k in ("passed", "failed", "error")}
    summary = _table(["scenario", "network", "outcome", "seconds"],
                     [[r["scenario"]["name"], r["scenario"]["network"], r["outcome"],
                       "-" if r["seconds"] is None else f'{r["seconds"]:.3f}'] for r in results],
                     [r["outcome"] != "passed" for r in results])
    sections = "".join(scenario_section(r, i) for i, r in enumerate(results))
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>"
            f"<p>{counts['passed']} passed, {counts['failed']} failed, {counts['error']} errors</p>"
            f"{summary}{sections}</body></html>\n")
