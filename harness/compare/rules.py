"""Tolerance rules (docs/compare.md), read from YAML with the scenario loader, so a bad file gets positioned errors.

    rules:
      - name: fees may move 10%            # named in the output wherever the rule decided
        scenarios: "bridge/*"               # glob(s) on folder/file.yaml::scenario name; default: all
        chains: [kusama-asset-hub]          # default: all
        accounts: [sender]                  # role globs: the rule covers these balance changes only
        fee_kinds: [transaction]            # transaction | delivery | execution: the rule covers these fees only
        relative: 10%                       # or 0.1: |after - before| <= relative * |before|
        absolute: 1000000                   # planck: |after - before| <= absolute
      - name: the old runtime emits no Sent
        ignore_events: ["PolkadotXcm.Sent"] # pallet.event globs left out of the event trail
      - {name: new scenarios, scenarios: "xcm/new_*", allow: added}

Without a rule everything is exact. A bound applies to fees and to the balance changes that carry fees."""
from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from ..scenario.loader import load_documents
from ..scenario.positions import Position, ScenarioError, ScenarioErrors, SourceDoc, error_at

FEE_KINDS = ("transaction", "delivery", "execution")
ALLOW = ("missing", "added")
KEYS = ("name", "scenarios", "chains", "accounts", "fee_kinds", "relative", "absolute", "ignore_events", "allow")


@dataclass(frozen=True)
class Rule:
    name: str
    scenarios: tuple[str, ...] = ()
    chains: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()
    fee_kinds: tuple[str, ...] = ()
    relative: float | None = None
    absolute: int | None = None
    ignore_events: tuple[str, ...] = ()
    allow: str | None = None

    def selects(self, scenario: str, chain: str | None = None, account: str | None = None,
                kind: str | None = None) -> bool:
        """Whether the rule covers this scenario and chain, and this balance change (`account`) or fee (`kind`). A
        rule naming accounts covers balance changes only, one naming fee kinds fees only; one naming neither
        covers both."""
        return ((not self.scenarios or any(fnmatch.fnmatchcase(scenario, g) for g in self.scenarios))
                and (chain is None or not self.chains or chain in self.chains)
                and (not self.accounts or (account is not None
                                           and any(fnmatch.fnmatchcase(account, g) for g in self.accounts)))
                and (not self.fee_kinds or kind in self.fee_kinds))

    @property
    def bounds(self) -> bool:
        return self.relative is not None or self.absolute is not None

    def admits(self, before: int, after: int) -> bool:
        moved = abs(after - before)
        return ((self.absolute is not None and moved <= self.absolute)
                or (self.relative is not None and moved <= self.relative * abs(before)))

    def ignores(self, event: str) -> bool:
        return any(fnmatch.fnmatchcase(event, g) for g in self.ignore_events)


class _Reader:
    def __init__(self, doc: SourceDoc) -> None:
        self.doc, self.errors = doc, []

    def fail(self, path: tuple, message: str, hint: str | None = None) -> None:
        self.errors.append(error_at(self.doc, path, message, hint))

    def strings(self, raw: dict, key: str, path: tuple, choices: tuple[str, ...] = ()) -> tuple[str, ...]:
        value = raw.get(key)
        if value is None:
            return ()
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            self.fail(path + (key,), "must be a string or a list of strings",
                      f"e.g. {key}: [{choices[0] if choices else 'x'}]")
            return ()
        for i, item in enumerate(items):
            if choices and item not in choices:
                self.fail(path + (key, i) if not isinstance(value, str) else path + (key,),
                          f"'{item}' is not one of {', '.join(choices)}")
        return tuple(items)

    def relative(self, raw: dict, path: tuple) -> float | None:
        value = raw.get("relative")
        if value is None:
            return None
        text = str(value).strip()
        try:
            number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            number = -1.0
        if isinstance(value, bool) or not number >= 0:
            self.fail(path + ("relative",), f"'{value}' is not a fraction or a percentage",
                      "e.g. relative: 10% or relative: 0.1")
            return None
        return number

    def absolute(self, raw: dict, path: tuple) -> int | None:
        value = raw.get("absolute")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(path + ("absolute",), f"'{value}' is not a whole number of planck", "e.g. absolute: 1000000")
            return None
        return value

    def rule(self, raw: object, path: tuple) -> Rule | None:
        if not isinstance(raw, dict):
            self.fail(path, "a rule is a mapping", "e.g. - {name: fees, relative: 10%}")
            return None
        errors_before = len(self.errors)
        for key in raw:
            if key not in KEYS:
                self.fail(path + (key,), f"unknown key '{key}'", f"a rule takes {', '.join(KEYS)}")
        allow = raw.get("allow")
        if allow is not None and allow not in ALLOW:
            self.fail(path + ("allow",), f"'{allow}' is not one of {', '.join(ALLOW)}")
        name = raw.get("name")
        line = self.doc.position(path).line
        rule = Rule(str(name) if name is not None else f"rule at {self.doc.file.name}:{line}",
                    self.strings(raw, "scenarios", path), self.strings(raw, "chains", path),
                    self.strings(raw, "accounts", path), self.strings(raw, "fee_kinds", path, FEE_KINDS),
                    self.relative(raw, path), self.absolute(raw, path), self.strings(raw, "ignore_events", path),
                    allow)
        if not (rule.bounds or rule.ignore_events or rule.allow) and len(self.errors) == errors_before:
            self.fail(path, "the rule allows nothing", "give relative, absolute, ignore_events or allow")
        return rule


def load_rules(file: Path) -> list[Rule]:
    """The rules of a tolerance file; raises ScenarioErrors, each positioned, when it is malformed."""
    docs = load_documents(file)
    if len(docs) != 1 or not isinstance(docs[0].data, dict) or not isinstance(docs[0].data.get("rules"), list):
        hint = "e.g. rules: [{name: fees, relative: 10%}]"
        if not docs:
            raise ScenarioErrors([ScenarioError(file, Position(1, 1, 1), (), "the tolerance file is empty", hint)])
        raise ScenarioErrors([error_at(docs[0], (), "a tolerance file is a mapping with a list under 'rules'", hint)])
    reader = _Reader(docs[0])
    for key in docs[0].data:
        if key != "rules":
            reader.fail((key,), f"unknown key '{key}'", "a tolerance file holds only 'rules'")
    rules = [reader.rule(raw, ("rules", i)) for i, raw in enumerate(docs[0].data["rules"])]
    if reader.errors:
        raise ScenarioErrors(sorted(reader.errors, key=lambda e: (e.position.line, e.position.column)))
    return [r for r in rules if r is not None]

