"""Scenario files -> validated Scenario models, with every error positioned in the file."""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jsonschema

from ..providers.registry import check_names
from ..network.catalog import not_found_message
from ..network.facts import BRIDGE_HUB_ID
from ..network.topology import NetworkSpec, find_network, load_network
from .amounts import Amount, AmountError
from ..steps import KINDS
from ..steps.fund import Fund
from ..steps.xcm_transfer import XcmTransfer
from .loader import load_documents
from .model import (AccountRef, AccountSpec, BalanceExpect, EventMatch, FeeExpect, LaneExpect, RewardsAccount,
                    Scenario, Sovereign, Step, StepExpect)
from .schema import scenario_schema
from .positions import KeyPath, ScenarioError, ScenarioErrors, SourceDoc, error_at

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_SIGNED = " or ".join(", ".join(k for k, s in KINDS.items() if s.signed).rsplit(", ", 1))  # "transfer, ... or call"
# why a key needs another (schema.yaml: dependentRequired)
_NEEDS_HINTS = {"fields": "'fields' matches the awaited event's fields; a wait for blocks has no event to match, "
                          "so drop 'fields' or wait for an event",
                "save": "'save' keeps fields of the awaited event; a wait for blocks or delivery has none"}


@lru_cache(maxsize=1)
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(scenario_schema())


def _schema_message(err: jsonschema.ValidationError) -> tuple[str, str | None]:
    """jsonschema's wording, made to read like a person's."""
    if err.validator == "required":
        return err.message.replace("is a required property", "is required"), None
    if err.validator == "enum":
        return f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}", None
    if err.validator == "type":
        return f"{err.instance!r} is not of type {err.validator_value}", None
    defs = _validator().schema["$defs"]
    if err.validator == "oneOf" and err.schema is defs["account"]:
        return f"{err.instance!r} is not an account", "write a dev seed like '//Alice' or {env: VAR_NAME}"
    if err.validator == "oneOf" and err.schema is defs["balance_account"]:
        return f"{err.instance!r} is not an account", "write an account's name, {sovereign: CHAIN} or {rewards: {lane: 0x..., owner: ThisChain|BridgedChain}}"
    if err.validator == "oneOf" and err.schema is defs["step"]["properties"]["relayer"]:
        return f"{err.instance!r} is not a relayer command", "write pause, resume or {delay: BLOCKS}"
    if err.validator == "pattern" and isinstance(err.instance, str) and "." in err.validator_value:
        return f"{err.instance!r} is not Pallet.Name", "e.g. Balances.Transfer"
    return err.message, None


def _schema_errors_at_keys(doc: SourceDoc, err: jsonschema.ValidationError) -> list[ScenarioError]:
    """jsonschema reports a bad key at the mapping holding it; these errors point at the key itself."""
    path = doc.base + tuple(err.absolute_path)
    if err.validator == "additionalProperties":
        allowed = f"allowed here: {', '.join(err.schema.get('properties', {}))}"
        return [error_at(doc, path + (key,), f"unknown key '{key}'", allowed)
                for key in err.instance if key not in err.schema.get("properties", {})]
    if err.validator == "dependentRequired":
        key, needs = next((k, needs) for k, needs in err.validator_value.items()
                          if k in err.instance and not all(n in err.instance for n in needs))
        return [error_at(doc, path + (key,), f"'{key}' needs {' and '.join(map(repr, needs))}", _NEEDS_HINTS.get(key))]
    if "propertyNames" in err.schema_path:  # the instance is the key itself
        return [error_at(doc, path + (err.instance,), *_schema_message(err))]
    message, hint = _schema_message(err)
    return [error_at(doc, path, message, hint)]


def _schema_errors(doc: SourceDoc) -> list[ScenarioError]:
    out = [e for err in _validator().iter_errors(doc.data) for e in _schema_errors_at_keys(doc, err)]
    return sorted(out, key=lambda e: (e.position.line, e.position.column))


def _substitute(value: object, params: dict, doc: SourceDoc, path: KeyPath, errors: list) -> object:
    if isinstance(value, str):
        def repl(m: re.Match) -> str:
            if m[1] not in params:
                errors.append(error_at(doc, path, f"'${{{m[1]}}}' is not a matrix variable",
                                       f"variables: {', '.join(params) or 'none (add a matrix)'}"))
                return m[0]
            return str(params[m[1]])
        return _VAR.sub(repl, value)
    if isinstance(value, dict):
        return {k: _substitute(v, params, doc, path + (k,), errors) for k, v in value.items()}
    if isinstance(value, list):
        return [_substitute(v, params, doc, path + (i,), errors) for i, v in enumerate(value)]
    return value


class _ScenarioParser:
    """Semantic checks for one (matrix-expanded) scenario document."""

    def __init__(self, doc: SourceDoc, data: dict, network: NetworkSpec, params: dict, row: int | None) -> None:
        self.doc, self.data, self.network, self.params, self.row = doc, data, network, params, row
        self.errors: list[ScenarioError] = []
        self.accounts = {name: AccountSpec(name, **({"uri": v} if isinstance(v, str) else {"env": v["env"]}))
                         for name, v in (data.get("accounts") or {}).items()}
        self.tokens = sorted({c.token for c in network.chains.values()})  # every asset a scenario may name
        self.steps: list[Step] = []  # parsed so far: a step may refer to earlier ones by name
        self.saved: list[str] = []  # names the waits so far save, for $saved:NAME

    def fail(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        self.errors.append(error_at(self.doc, path, message, hint))

    def chain(self, path: KeyPath, name: str) -> str:
        if name not in self.network.chains:
            self.fail(path, f"unknown chain '{name}'",
                      f"network '{self.network.name}' has: {', '.join(self.network.chains)}")
        return name

    def account(self, path: KeyPath, name: str) -> str:
        if name not in self.accounts:
            self.fail(path, f"unknown account '{name}'",
                      f"declare it under 'accounts:' (declared: {', '.join(self.accounts) or 'none'})")
        return name

    def amount(self, path: KeyPath, text: str, chain: str, *, signed: bool = False, bridged: bool = False,
               asset: str | None = None) -> Amount:
        """An amount in `asset`, else in the chain's token, or (`bridged`) in any token of the network."""
        try:
            amount = Amount.parse(text, signed=signed)
        except AmountError as exc:
            self.fail(path, str(exc), exc.hint)
            return Amount(0, "planck")  # placeholder; the error is already recorded
        token = self.network.chains[chain].token if chain in self.network.chains else None
        if token is None or amount.unit == "planck":
            return amount
        if asset is not None and amount.unit != asset:
            self.fail(path, f"'{text}' is not in {asset}", f"the expectation is on {asset} (or planck)")
        elif asset is None and amount.unit != token and not (bridged and amount.unit in self.tokens):
            others = [t for t in self.tokens if t != token] if bridged else []
            hint = (f"'{chain}' counts in {token}" + (f", and takes the bridged {', '.join(others)}" if others else "")
                    + " (or planck)")
            self.fail(path, f"unknown asset '{amount.unit}' on chain '{chain}'", hint)
        return amount

    def event(self, path: KeyPath, raw: dict, chain_key: str = "chain", name_key: str = "event") -> EventMatch:
        pallet, _, event = raw[name_key].partition(".")
        return EventMatch(self.chain(path + (chain_key,), raw[chain_key]), pallet, event, raw.get("fields") or {},
                          path)

    def named_step(self, path: KeyPath, name: str, what: str) -> Step | None:
        """The earlier xcm_transfer step called `name`, for what refers to it."""
        named = [s for s in self.steps if s.name == name]
        if not named:
            self.fail(path, f"no earlier step is named '{name}'",
                      f"step names so far: {', '.join(s.name for s in self.steps if s.name) or 'none'}")
        elif not isinstance(named[0].action, XcmTransfer):
            self.fail(path, f"step '{name}' is a {named[0].kind}; {what} follows an xcm_transfer",
                      "name the xcm_transfer step whose message you mean")
        else:
            return named[0]
        return None

    # --- steps -------------------------------------------------------------------------------------------------
    def step(self, index: int, raw: dict) -> Step | None:
        path = self.doc.base + ("steps", index)
        present = [a for a in KINDS if a in raw]
        if len(present) != 1:
            self.fail(path, f"a step needs exactly one of {', '.join(KINDS)}"
                      + (f", found {', '.join(present)}" if present else ""), "split it into several steps")
            return None
        kind = present[0]
        action = KINDS[kind].parse(self, raw[kind], path + (kind,))
        raw_expect = raw.get("expect") or {}
        expect = StepExpect(
            success=raw_expect.get("success", "error" not in raw_expect),
            error=raw_expect.get("error"),
            events=tuple(self.event(path + ("expect", "events", i), e)
                         for i, e in enumerate(raw_expect.get("events") or [])),
        )
        if expect.error and expect.success:
            self.fail(path + ("expect", "success"), "a step cannot both succeed and fail with an error",
                      "drop 'success: true' or the 'error'")
        if not expect.success and not KINDS[kind].signed:
            self.fail(path + ("expect",), f"a {kind} step has no extrinsic that could fail",
                      f"expect failure on a {_SIGNED}")
        return Step(index, action, expect, path, raw.get("name"))

    def saved_name(self, path: KeyPath, name: str) -> str:
        if name not in self.saved:
            self.fail(path, f"no earlier wait saves '{name}'",
                      f"saved so far: {', '.join(self.saved) or 'none'}; a wait for an event saves its fields with "
                      f"save: {{NAME: FIELD}}")
        return name

    # --- final expectations ------------------------------------------------------------------------------------
    def balance_account(self, at: KeyPath, raw: object, chain: str) -> AccountRef:
        if isinstance(raw, str):
            return self.account(at, raw)
        if "rewards" in raw:
            spec = self.network.chains.get(chain)
            if spec is not None and spec.para_id != BRIDGE_HUB_ID:
                self.fail(at + ("rewards",), f"'{chain}' is not a Bridge Hub: lane rewards accounts are on Bridge Hubs",
                          f"name a chain whose para_id is {BRIDGE_HUB_ID}")
            return RewardsAccount(raw["rewards"]["lane"].lower(), raw["rewards"]["owner"])
        of = self.chain(at + ("sovereign",), raw["sovereign"])
        if of == chain:
            self.fail(at + ("sovereign",), f"'{chain}' has no sovereign account on itself",
                      "name the chain whose account on this one you mean")
        return Sovereign(of)

    def asset(self, at: KeyPath, raw: str | None, chain: str) -> str | None:
        """The bridged token a balance expectation reads, or None for the chain's own token."""
        if raw is None or chain not in self.network.chains or raw == self.network.chains[chain].token:
            return None
        if raw not in self.tokens:
            self.fail(at, f"unknown asset '{raw}'",
                      f"tokens of network '{self.network.name}': {', '.join(self.tokens)}")
        return raw

    def balances(self) -> list[BalanceExpect]:
        out = []
        for i, raw in enumerate((self.data.get("expect") or {}).get("balances") or []):
            at = self.doc.base + ("expect", "balances", i)
            chain = self.chain(at + ("chain",), raw["chain"])
            asset = self.asset(at + ("asset",), raw.get("asset"), chain)
            # amounts are checked against the asset once it is known to be one (its own error is enough)
            unit = {"asset": asset} if asset is None or asset in self.tokens else {"bridged": True}
            bound = raw.get("fee_bound")
            out.append(BalanceExpect(
                chain, self.balance_account(at + ("account",), raw["account"], chain),
                self.amount(at + ("change",), raw["change"], chain, signed=True, **unit), at,
                raw.get("field", "free"), raw.get("plus_fees", False),
                self.amount(at + ("fee_bound",), bound, chain, **unit) if bound else None,
                asset, raw.get("plus_execution_fees", False)))
            if asset is not None and raw.get("field", "free") != "free":
                self.fail(at + ("field",), f"an {asset} balance has no '{raw['field']}' part",
                          "asset accounts hold one balance; drop 'field'")
        return out

    def fees(self) -> list[FeeExpect]:
        out = []
        for i, raw in enumerate((self.data.get("expect") or {}).get("fees") or []):
            at = self.doc.base + ("expect", "fees", i)
            step = self.named_step(at + ("step",), raw["step"], "a fee expectation")
            chain = self.chain(at + ("chain",), raw["chain"])
            low = raw.get("at_least")
            out.append(FeeExpect(step.index if step else -1, chain, raw.get("fee", "execution"),
                                 self.amount(at + ("at_most",), raw["at_most"], chain, bridged=True), at,
                                 self.amount(at + ("at_least",), low, chain, bridged=True) if low else None))
        return out

    def lanes(self) -> list[LaneExpect]:
        out = []
        for i, raw in enumerate((self.data.get("expect") or {}).get("lanes") or []):
            at = self.doc.base + ("expect", "lanes", i)
            out.append(LaneExpect(self.chain(at + ("chain",), raw["chain"]), raw["lane"].lower(), raw["messages"], at))
        return out

    def parse(self) -> Scenario:
        for i, raw in enumerate(self.data["steps"]):
            if step := self.step(i, raw):
                self.steps.append(step)
        steps = self.steps
        balances = self.balances()
        fees = self.fees()
        lanes = self.lanes()
        events = [self.event(self.doc.base + ("expect", "events", i), e)
                  for i, e in enumerate((self.data.get("expect") or {}).get("events") or [])]
        measure_from = next((s.index for s in steps if not isinstance(s.action, Fund)), None)
        since = (self.data.get("expect") or {}).get("since")
        if since is not None:
            named = [s.index for s in steps if s.name == since]
            if not named:
                self.fail(self.doc.base + ("expect", "since"), f"no step is named '{since}'",
                          f"step names: {', '.join(s.name for s in steps if s.name) or 'none (add name: to a step)'}")
            measure_from = named[0] if named else None
        if self.errors:
            raise ScenarioErrors(self.errors)
        return Scenario(self.data["name"], self.doc.file, self.network, self.doc, steps, self.accounts,
                        list(self.data.get("tags") or []), balances, events, self.params, self.row, measure_from,
                        fees, lanes, tuple(self.data.get("requires") or ()))


def _network_dirs(file: Path, extra: list[Path]) -> list[Path]:
    return [*extra, *(parent / "networks" for parent in file.resolve().parents)]


def _resolve_network(doc: SourceDoc, name: str, dirs: list[Path], loaded: dict[Path, NetworkSpec]) -> NetworkSpec:
    path = find_network(name, dirs)
    if path is None:
        raise ScenarioErrors([error_at(doc, ("network",), *not_found_message(name, dirs))])
    if path not in loaded:  # matrix rows on the same network share one load
        loaded[path] = load_network(path)
        check_names(loaded[path])  # a misspelt provider section fails at collection, not at the first run
    return loaded[path]


def load_scenarios(file: Path, network_dirs: list[Path] | None = None,
                   network_override: str | None = None) -> list[Scenario]:
    """Every scenario in `file`, one per document and matrix row. Raises ScenarioErrors listing all problems.

    `network_override` runs the file on another network (e.g. a fork) with the same chain names."""
    file = Path(file)
    dirs = _network_dirs(file, network_dirs or [])
    scenarios: list[Scenario] = []
    errors: list[ScenarioError] = []
    loaded: dict[Path, NetworkSpec] = {}
    for doc in load_documents(file):
        if not isinstance(doc.data, dict):
            errors.append(error_at(doc, (), "a scenario is a mapping", "start with 'name:', 'network:' and 'steps:'"))
            continue
        schema_errors = _schema_errors(doc)
        if schema_errors:
            errors.extend(schema_errors)
            continue
        rows = doc.data.get("matrix") or [None]
        for row_index, row in enumerate(rows):
            params = row or {}
            sub_errors: list[ScenarioError] = []
            data = {k: (v if k == "matrix" else _substitute(v, params, doc, (k,), sub_errors))
                    for k, v in doc.data.items()}
            if sub_errors:
                errors.extend(sub_errors)
                break
            try:  # after substitution, so that `network: ${net}` runs each row on its own network
                network = _resolve_network(doc, network_override or data["network"], dirs, loaded)
                scenarios.append(_ScenarioParser(doc, data, network, params,
                                                 row_index if row is not None else None).parse())
            except ScenarioErrors as exc:
                errors.extend(exc.errors)
                break  # the same mistake would repeat for each row
    if errors:
        raise ScenarioErrors(errors)
    names = [s.name for s in scenarios]
    for s in scenarios:
        if names.count(s.name) > 1:
            raise ScenarioErrors([error_at(s.doc, ("name",), f"two scenarios are named '{s.name}'",
                                           "names must differ; with a matrix, put a ${variable} in the name")])
    return scenarios
