"""Two reports compared scenario by scenario, under tolerance rules (rules.py): each difference is a Change with its
verdict, `regression` (the comparison fails) or `drift` (within a rule, or a fact such as a new runtime version).

Exact by default: outcomes, step outcomes and dispatch errors, balance changes that carry no fee, the event trail
and the hop trace. Fees and the balance changes that carry them are exact too unless a rule with a bound covers
them. Every rule that decided a change is named on it."""
from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field

from .records import Record, Report
from .rules import Rule

REGRESSION, DRIFT = "regression", "drift"
EXACT = "exact (default)"
WORSE = {"passed": 0, "failed": 1, "error": 2}
EVENTS_SHOWN = 5  # per chain, the first added or missing events; the count says how many more


@dataclass
class Change:
    scenario: str
    aspect: str  # outcome | step | balance | fee | events | hops | runtime | provider | scenario
    what: str  # in the user's terms, e.g. "transaction fee of step 'there' on kusama-asset-hub"
    before: object
    after: object
    verdict: str
    rule: str | None = None  # the rule that admitted it, or EXACT / the rules that did not
    chain: str | None = None
    kind: str | None = None  # a fee's kind
    hop: int | None = None

    @property
    def relative(self) -> float | None:
        if isinstance(self.before, int) and isinstance(self.after, int) and not isinstance(self.before, bool) \
                and self.before:
            return (self.after - self.before) / abs(self.before)
        return None


@dataclass
class ScenarioComparison:
    key: str
    base: Record | None
    candidate: Record | None
    changes: list[Change] = field(default_factory=list)
    applied: list[str] = field(default_factory=list)  # ignore_events rules that left an event out here

    @property
    def verdict(self) -> str:
        if any(c.verdict == REGRESSION for c in self.changes):
            return REGRESSION
        return DRIFT if self.changes else "same"


@dataclass
class Comparison:
    base: Report
    candidate: Report
    rules: list[Rule]
    scenarios: list[ScenarioComparison]

    @property
    def regressions(self) -> int:
        return sum(s.verdict == REGRESSION for s in self.scenarios)

    @property
    def changes(self) -> list[Change]:
        return [c for s in self.scenarios for c in s.changes]

    @property
    def rules_used(self) -> list[str]:
        names = {c.rule for c in self.changes} | {n for s in self.scenarios for n in s.applied}
        return [r.name for r in self.rules if r.name in names]


class _Scenario:
    """The comparison of one scenario present in both reports."""

    def __init__(self, key: str, base: Record, candidate: Record, rules: list[Rule]) -> None:
        self.key, self.base, self.candidate, self.rules = key, base, candidate, rules
        self.changes: list[Change] = []
        self.applied: list[str] = []

    def add(self, aspect: str, what: str, before, after, verdict: str = REGRESSION, rule: str | None = None,
            **where) -> None:
        self.changes.append(Change(self.key, aspect, what, before, after, verdict, rule, **where))

    def bounded(self, aspect: str, what: str, before: int | None, after: int | None, chain: str,
                account: str | None = None, kind: str | None = None, hop: int | None = None) -> None:
        """A number under the fee rules: drift within the first rule that admits it, else a regression naming
        the rules that covered it and did not."""
        covering = [r for r in self.rules if r.bounds and r.selects(self.key, chain, account, kind)]
        admitting = next((r for r in covering if r.admits(before or 0, after or 0)), None)
        if admitting:
            self.add(aspect, what, before, after, DRIFT, admitting.name, chain=chain, kind=kind, hop=hop)
        else:
            rule = ("beyond " + ", ".join(r.name for r in covering)) if covering else EXACT
            self.add(aspect, what, before, after, REGRESSION, rule, chain=chain, kind=kind, hop=hop)

    def run(self) -> list[Change]:
        a, b = self.base.compared, self.candidate.compared
        if a["outcome"] != b["outcome"]:
            worse = WORSE.get(b["outcome"], 2) > WORSE.get(a["outcome"], 2)
            self.add("outcome", "outcome", a["outcome"], b["outcome"], REGRESSION if worse else DRIFT,
                     EXACT if worse else None)
        self.steps(a["steps"], b["steps"])
        self.balances(a["balances"], b["balances"])
        self.fees(a["fees"], b["fees"])
        self.events(a["events"], b["events"])
        self.hops(a["hops"], b["hops"])
        self.setting()
        return self.changes

    def steps(self, before: list[dict], after: list[dict]) -> None:
        old = {s["step"]: s for s in before}
        for step in after:
            was = old.pop(step["step"], None)
            if was is None:
                self.add("step", f"step '{step['step']}' ({step['kind']})", None, _step_text(step), rule=EXACT)
            elif _step_text(was) != _step_text(step):
                self.add("step", f"step '{step['step']}' ({step['kind']})", _step_text(was), _step_text(step),
                         rule=EXACT)
        for step in old.values():
            self.add("step", f"step '{step['step']}' ({step['kind']})", _step_text(step), None, rule=EXACT)

    def balances(self, before: list[dict], after: list[dict]) -> None:
        key = lambda r: (r["chain"], r["account"], r["asset"], r["field"])  # noqa: E731
        old, new = {key(r): r for r in before}, {key(r): r for r in after}
        for k in [*old, *(k for k in new if k not in old)]:
            was, now = old.get(k), new.get(k)
            chain, account, asset, what_field = k
            what = f"balance change of {account} on {chain} ({asset or what_field})"
            if was is None or now is None:
                self.add("balance", what, was and was["change"], now and now["change"], rule=EXACT, chain=chain)
            elif was["change"] != now["change"]:
                if was["fee_dependent"] and now["fee_dependent"]:
                    self.bounded("balance", what, was["change"], now["change"], chain, account)
                else:
                    self.add("balance", what, was["change"], now["change"], rule=EXACT, chain=chain)

    def fees(self, before: list[dict], after: list[dict]) -> None:
        key = lambda f: (f["step"], f["chain"], f["kind"], f["hop"])  # noqa: E731
        old, new = {key(f): f["amount"] for f in before}, {key(f): f["amount"] for f in after}
        for k in [*old, *(k for k in new if k not in old)]:
            step, chain, kind, hop = k
            what = f"{kind} fee of step '{step}' on {chain}" + (f" (hop {hop})" if hop else "")
            was, now = old.get(k), new.get(k)
            if was != now:  # a fee one side did not charge counts as 0 against the bounds
                self.bounded("fee", what, was, now, chain, kind=kind, hop=hop)

    def events(self, before: dict[str, list], after: dict[str, list]) -> None:
        for chain in [*before, *(c for c in after if c not in before)]:
            ignoring = [r for r in self.rules if r.ignore_events and r.selects(self.key, chain)]
            names = {e["event"] for e in [*before.get(chain, []), *after.get(chain, [])]}
            self.applied.extend(r.name for r in ignoring if any(r.ignores(n) for n in names)
                                and r.name not in self.applied)
            keep = lambda e: not any(r.ignores(e["event"]) for r in ignoring)  # noqa: E731
            old = [_event_text(e) for e in before.get(chain, []) if keep(e)]
            new = [_event_text(e) for e in after.get(chain, []) if keep(e)]
            if old == new:
                continue
            missing, added = [], []
            for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
                if op in ("delete", "replace"):
                    missing.extend(old[i1:i2])
                if op in ("insert", "replace"):
                    added.extend(new[j1:j2])
            for text in missing[:EVENTS_SHOWN]:
                self.add("events", f"event on {chain}", text, None, rule=EXACT, chain=chain)
            for text in added[:EVENTS_SHOWN]:
                self.add("events", f"event on {chain}", None, text, rule=EXACT, chain=chain)
            hidden = max(0, len(missing) - EVENTS_SHOWN) + max(0, len(added) - EVENTS_SHOWN)
            if hidden:
                self.add("events", f"{hidden} more event(s) on {chain} differ", None, None, rule=EXACT, chain=chain)

    def hops(self, before: list[dict], after: list[dict]) -> None:
        old, new = {t["step"]: t for t in before}, {t["step"]: t for t in after}
        for step in [*old, *(s for s in new if s not in old)]:
            was, now = old.get(step), new.get(step)
            if was != now:
                self.add("hops", f"hop trace of step '{step}'", _trace_text(was), _trace_text(now), rule=EXACT)

    def setting(self) -> None:
        """A new runtime or another provider explains differences; it is reported, and fails nothing itself."""
        if self.base.provider != self.candidate.provider:
            self.add("provider", "provider", self.base.provider, self.candidate.provider, DRIFT)
        old, new = self.base.runtimes, self.candidate.runtimes
        for chain in sorted(set(old) & set(new)):
            if old[chain] != new[chain]:
                self.add("runtime", f"runtime of {chain}", _runtime_text(old[chain]), _runtime_text(new[chain]),
                         DRIFT, chain=chain)


def _step_text(step: dict) -> str:
    text = step["outcome"]
    if step["dispatched"] is not None:
        text += ", dispatched" if step["dispatched"] else f", dispatch failed: {step['error']}"
    return text


def _event_text(event: dict) -> str:
    fields = json.dumps(event["fields"], sort_keys=True, separators=(",", ":"), default=str)
    return f"{event['event']} {fields}"


def _trace_text(trace: dict | None) -> str | None:
    if trace is None:
        return None
    hops = [f"{h['chain']} {h['what']} {({True: 'ok', False: 'failed', None: '?'})[h['success']]}"
            + (f" lane {h['lane']} nonce {h['nonce']}" if h["lane"] is not None else "") for h in trace["hops"]]
    return " -> ".join(hops) + ("" if trace["complete"] else " (incomplete)")


def _runtime_text(runtime: dict) -> str:
    code = runtime.get("code_hash")
    return f"{runtime['spec_name']} {runtime['spec_version']} tx {runtime['transaction_version']}" + (
        f" code {code[:10]}…" if code else "")


def _alone(key: str, record: Record, side: str, rules: list[Rule]) -> list[Change]:
    """A scenario in one report only: a regression unless a rule allows it (allow: missing | added)."""
    allow = "missing" if side == "base" else "added"
    rule = next((r for r in rules if r.allow == allow and r.selects(key)), None)
    what = "scenario missing from the candidate" if allow == "missing" else "scenario added in the candidate"
    before, after = (record.outcome, None) if allow == "missing" else (None, record.outcome)
    return [Change(key, "scenario", what, before, after, DRIFT if rule else REGRESSION, rule.name if rule else EXACT)]


def compare(base: Report, candidate: Report, rules: list[Rule]) -> Comparison:
    scenarios = []
    keys = [*base.records, *(k for k in candidate.records if k not in base.records)]
    for key in keys:
        a, b = base.records.get(key), candidate.records.get(key)
        entry = ScenarioComparison(key, a, b)
        if a is not None and b is not None:
            compared = _Scenario(key, a, b, rules)
            entry.changes, entry.applied = compared.run(), compared.applied
        else:
            entry.changes = _alone(key, a or b, "base" if b is None else "candidate", rules)
        scenarios.append(entry)
    return Comparison(base, candidate, rules, scenarios)
