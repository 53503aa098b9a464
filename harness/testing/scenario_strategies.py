"""Hypothesis strategies for scenario files (harness/scenario/schema.yaml): valid scenario trees built
from the language's grammar, those trees broken the ways people break them, and YAML text damaged
below the tree level. For fuzzing the loader; every valid tree here must load on networks/kusama-local.

    valid_scenarios()        -> a dict that loads: one scenario (or one per matrix row)
    broken_scenarios()       -> a valid tree after 1-3 mutations (wrong type, unknown or missing key,
                                bad amount, deep nesting, empty collection)
    scenario_yaml()          -> YAML text of one or two documents, valid or broken trees
    damaged_yaml()           -> a valid document's text after character-level edits (YAML syntax soup)
"""
from __future__ import annotations

import copy
import re

import yaml
from hypothesis import strategies as st

from .strategies import accounts

NETWORK = "kusama-local"
CHAINS = ("kusama", "kusama-asset-hub")  # both count in KSM
ACTIONS = ("transfer", "xcm_transfer", "wait", "fund")

identifiers = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,7}", fullmatch=True)
chains = st.sampled_from(CHAINS)
event_names = st.from_regex(r"[A-Z][a-z]{1,8}\.[A-Z][A-Za-z]{1,10}", fullmatch=True)
error_names = st.from_regex(r"[A-Z][a-z]{1,8}(\.[A-Z][A-Za-z]{1,10})?", fullmatch=True)
timeouts = st.floats(min_value=0.001, max_value=600) | st.integers(1, 600)

# positive amounts in the forms the language allows: "10 KSM", "0.5 KSM", "1_000_000 planck"
positive_amounts = st.one_of(
    st.builds("{} KSM".format, st.integers(1, 10 ** 6)),
    st.builds("{}.{} KSM".format, st.integers(1, 999), st.from_regex(r"[0-9]{1,12}", fullmatch=True)),
    st.builds("{:_} planck".format, st.integers(1, 10 ** 20)),
    st.builds("{} planck".format, st.integers(1, 2 ** 128 - 1)),
)
signed_amounts = positive_amounts | st.builds("-{}".format, positive_amounts) | st.just("0 KSM")

# what people write instead of an amount
bad_amounts = st.one_of(
    st.sampled_from(["10", "1 %", "-1 KSM", "+1 KSM", "0 KSM", "0.5 planck", "1e5 KSM", "1 DOT", "", " KSM",
                     "1.2.3 KSM", "\u0661 KSM", "1 KSM KSM", "0x10 KSM", "._5 KSM", "inf KSM", "KSM 1",
                     "9" * 60 + " planck", "1." + "0" * 40 + "1 KSM", "1_ KSM", "--1 KSM", "1\nKSM"]),
    st.from_regex(r"[-+]?[0-9_.eE]{0,6} ?[A-Za-z%]{0,5}", fullmatch=True),
    st.integers(), st.floats(), st.booleans(), st.none(),
)

junk = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=6,
)


def _optional(draw, body: dict, key: str, strategy: st.SearchStrategy) -> None:
    if draw(st.booleans()):
        body[key] = draw(strategy)


@st.composite
def _events(draw, names: list[str]) -> dict:
    event = {"chain": draw(chains), "event": draw(event_names)}
    _optional(draw, event, "fields", st.dictionaries(identifiers, st.integers(0, 10 ** 12) | st.sampled_from(names),
                                                     max_size=2))
    return event


@st.composite
def _action(draw, kind: str, names: list[str]) -> dict:
    account = st.sampled_from(names)
    if kind == "transfer":
        body = {"chain": draw(chains), "from": draw(account), "to": draw(account), "amount": draw(positive_amounts)}
        _optional(draw, body, "keep_alive", st.booleans())
    elif kind == "xcm_transfer":
        origin, destination = draw(st.permutations(CHAINS))
        body = {"from": origin, "to": destination, "sender": draw(account), "beneficiary": draw(account),
                "amount": draw(positive_amounts)}
        _optional(draw, body, "kind", st.sampled_from(["teleport", "reserve"]))
        _optional(draw, body, "await_delivery", st.booleans())
        _optional(draw, body, "timeout", timeouts)
    elif kind == "wait":
        body = {"chain": draw(chains)}
        if draw(st.booleans()):
            body["blocks"] = draw(st.integers(1, 100))
        else:
            body["event"] = draw(event_names)
            _optional(draw, body, "fields", st.dictionaries(identifiers, st.integers(0, 100), max_size=2))
        _optional(draw, body, "timeout", timeouts)
    else:
        body = {"chain": draw(chains), "account": draw(account), "amount": draw(positive_amounts)}
    return body


@st.composite
def _step(draw, names: list[str], step_name: str | None) -> dict:
    kind = draw(st.sampled_from(ACTIONS))
    step: dict = {"name": step_name} if step_name else {}
    step[kind] = draw(_action(kind, names))
    can_fail = kind in ("transfer", "xcm_transfer")
    expect = draw(st.sampled_from(["none", "success", "events", "error"][:4 if can_fail else 3]))
    if expect == "success":
        step["expect"] = {"success": True if not can_fail else draw(st.booleans())}
    elif expect == "events":
        step["expect"] = {"events": draw(st.lists(_events(names), min_size=1, max_size=2))}
    elif expect == "error":
        step["expect"] = {"error": draw(error_names)}
        _optional(draw, step["expect"], "success", st.just(False))
    return step


@st.composite
def valid_scenarios(draw, name: str | None = None) -> dict:
    """A scenario tree that loads without error on networks/kusama-local."""
    names = draw(st.lists(identifiers, min_size=1, max_size=3, unique=True))
    seeds = accounts() | st.builds(lambda v: {"env": v}, st.from_regex(r"[A-Z_][A-Z0-9_]{0,8}", fullmatch=True))
    step_names = draw(st.lists(st.none() | identifiers, min_size=1, max_size=4))
    text = st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"], exclude_characters="$")  # no ${var}
    doc: dict = {"name": name or draw(st.text(text, min_size=1, max_size=20)), "network": NETWORK}
    _optional(draw, doc, "description", st.text(text, max_size=30))
    _optional(draw, doc, "tags", st.lists(identifiers, max_size=3))
    doc["accounts"] = {n: draw(seeds) for n in names}
    doc["steps"] = [draw(_step(names, step_name)) for step_name in step_names]
    expect: dict = {}
    _optional(draw, expect, "balances", st.lists(st.fixed_dictionaries(
        {"chain": chains, "account": st.sampled_from(names), "change": signed_amounts},
        optional={"field": st.sampled_from(["free", "reserved", "frozen"]), "plus_fees": st.booleans(),
                  "fee_bound": positive_amounts}), max_size=2))
    _optional(draw, expect, "events", st.lists(_events(names), max_size=2))
    named = [n for n in step_names if n]
    if named:
        _optional(draw, expect, "since", st.sampled_from(named))
    if expect:
        doc["expect"] = expect
    if draw(st.booleans()):  # a matrix: one scenario per row, the row's value in the name keeps names apart
        values = draw(st.lists(st.integers(1, 10 ** 6), min_size=1, max_size=3, unique=True))
        doc["matrix"] = [{"v": v} for v in values]
        doc["name"] = f"{doc['name']} ${{v}}"
        first = {k: v for k, v in doc["steps"][0].items() if k == "name"}  # `since` may point at it
        wait = {"chain": draw(chains), "event": draw(event_names), "fields": {"n": "${v}"}}
        doc["steps"][0] = {**first, "wait": wait}
    return doc


def _paths(tree: object, path: tuple = ()) -> list[tuple]:
    """Every key path in `tree`, parents before children."""
    out = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            out.extend(_paths(value, path + (key,)))
    elif isinstance(tree, list):
        for index, value in enumerate(tree):
            out.extend(_paths(value, path + (index,)))
    return out


def _get(tree: object, path: tuple) -> object:
    for part in path:
        tree = tree[part]
    return tree


def _set(tree: dict, path: tuple, value: object) -> dict:
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def _nested(value: object, depth: int, as_list: bool) -> object:
    for _ in range(depth):
        value = [value] if as_list else {"a": value}
    return value


MUTATIONS = ("wrong_type", "unknown_key", "drop_key", "bad_amount", "deep_nesting", "empty")


@st.composite
def broken_scenarios(draw, max_depth: int = 60) -> dict:
    """A valid tree after 1-3 mutations; it may happen to still be valid (e.g. an optional key dropped)."""
    tree = copy.deepcopy(draw(valid_scenarios()))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(tree)))
        target = _get(tree, path)
        kind = draw(st.sampled_from(MUTATIONS))
        if kind == "unknown_key" and isinstance(target, dict):
            target[draw(st.text(max_size=8) | st.sampled_from(["memo", "amout", "Steps", "<<"]))] = draw(junk)
        elif kind == "drop_key" and isinstance(target, dict) and target:
            del target[draw(st.sampled_from(sorted(target)))]
        elif kind == "bad_amount":
            amount_paths = [p for p in _paths(tree) if p and p[-1] in ("amount", "change", "fee_bound")]
            if amount_paths:
                tree = _set(tree, draw(st.sampled_from(amount_paths)), draw(bad_amounts))
        elif kind == "deep_nesting":
            tree = _set(tree, path, _nested(target, draw(st.integers(1, max_depth)), draw(st.booleans())))
        elif kind == "empty":
            tree = _set(tree, path, draw(st.sampled_from([[], {}, "", None])))
        else:
            tree = _set(tree, path, draw(junk))
    return tree


@st.composite
def scenario_yaml(draw) -> str:
    """One or two documents, each a valid or broken tree, in block, flow or mixed style."""
    docs = draw(st.lists(valid_scenarios() | broken_scenarios(), min_size=1, max_size=2))
    return yaml.safe_dump_all(docs, sort_keys=False, allow_unicode=draw(st.booleans()),
                              default_flow_style=draw(st.sampled_from([False, True, None])),
                              width=draw(st.sampled_from([80, 20, 10 ** 6])))


# YAML syntax a damaged file may gain: indicators, anchors, aliases, merge keys, tags, directives,
# explicit keys, block scalars, quotes, tabs, special line breaks and characters the reader refuses
YAML_SOUP = [":", ": ", "- ", "{", "}", "[", "]", ",", "&a ", "*a", "<<: *a", "!!str ", "!!map ", "!!seq ", "!foo ",
             "!!binary ", "? ", "|", ">-", "'", '"', "#", "\t", "\n", "    ", "---\n", "...\n", "%YAML 1.1\n",
             "%TAG ! tag:x,2000:\n", "\\", "\\x", "\x00", "\x07", "\ufeff", "\u2028", "\x85", "~", "null", ".nan",
             "1e400", "-.inf", "0o17", "0b101", "1:20:30", "=", "@", "`", "%", "\r", "\r\n", "\U0001F600",
             # scalars PyYAML resolves (or is told by a tag) to be ints, floats, bools or dates
             "!!int ", "!!float ", "!!bool ", "!!timestamp ", "!!null ", "0x", "0b_", "2024-02-30", "12:"]


_TOKEN_START = re.compile(r": |- |\n|\[|\{|, ")


@st.composite
def damaged_yaml(draw) -> str:
    """The text of a valid scenario after 1-4 character-level edits."""
    text = yaml.safe_dump(draw(valid_scenarios()), sort_keys=False, allow_unicode=True)
    for _ in range(draw(st.integers(1, 4))):
        lines = text.split("\n")
        edit = draw(st.sampled_from(["insert", "delete", "duplicate_line", "swap_lines", "indent"]))
        starts = [m.end() for m in _TOKEN_START.finditer(text)]  # where a key or value begins
        at = draw(st.sampled_from(starts) | st.integers(0, len(text)) if starts else st.integers(0, len(text)))
        if edit == "insert":
            text = text[:at] + draw(st.sampled_from(YAML_SOUP) | st.text(max_size=4)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 12)):]
        else:
            i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            if edit == "duplicate_line":
                lines.insert(i, lines[i])
            elif edit == "swap_lines":
                lines[i], lines[j] = lines[j], lines[i]
            else:
                lines[i] = " " * draw(st.integers(0, 6)) + lines[i].lstrip(" ")
            text = "\n".join(lines)
    return text
