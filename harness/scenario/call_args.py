"""Placeholders in a `call` step's args: `$account:NAME`, `$planck:AMOUNT` and `$saved:NAME`, read at collection.

Every other value is passed to substrate-interface's compose_call as written. A string that looks like a
placeholder with another prefix (`$acount:...`) is an error rather than a string sent to the chain, since it is
almost certainly a typo.
"""
from __future__ import annotations

import re
from typing import Callable

from .amounts import Amount
from .model import AccountArg, PlanckArg, SavedArg
from .positions import KeyPath

_PLACEHOLDER = re.compile(r"^\$(?P<prefix>[A-Za-z_]+):(?P<body>.*)$", re.DOTALL)

Fail = Callable[[KeyPath, str, str | None], None]


def read_args(value: object, path: KeyPath, *, account: Callable[[KeyPath, str], str],
              amount: Callable[[KeyPath, str], Amount], saved: Callable[[KeyPath, str], str], fail: Fail) -> object:
    """`value` with placeholders replaced by AccountArg / PlanckArg / SavedArg; problems go to `fail`, positioned at
    `path`.

    `account`, `amount` and `saved` are the parser's own checks (declared account; amount syntax and known token;
    a name an earlier wait saves)."""
    if isinstance(value, dict):
        return {key: read_args(item, path + (key,), account=account, amount=amount, saved=saved, fail=fail)
                for key, item in value.items()}
    if isinstance(value, list):
        return [read_args(item, path + (i,), account=account, amount=amount, saved=saved, fail=fail)
                for i, item in enumerate(value)]
    match = _PLACEHOLDER.match(value) if isinstance(value, str) else None
    if match is None:
        return value
    prefix, body = match["prefix"], match["body"].strip()
    if prefix == "account":
        return AccountArg(account(path, body))
    if prefix == "planck":
        return PlanckArg(amount(path, body))
    if prefix == "saved":
        return SavedArg(saved(path, body))
    fail(path, f"unknown placeholder '${prefix}:'",
         "use $account:NAME, $planck:AMOUNT (e.g. '$planck:1 KSM') or $saved:NAME")
    return value
