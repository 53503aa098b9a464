"""A `call` step's args made concrete: `$account:NAME` -> the account's 0x public key, `$planck:AMOUNT` -> planck,
`$saved:NAME` -> the event field an earlier wait saved."""
from __future__ import annotations

from typing import Callable

from ..scenario.amounts import Amount
from ..scenario.model import AccountArg, PlanckArg, SavedArg


def resolve(value: object, public_key: Callable[[str], bytes], planck: Callable[[Amount], int],
            saved: Callable[[str], object]) -> object:
    if isinstance(value, AccountArg):
        return "0x" + public_key(value.name).hex()
    if isinstance(value, PlanckArg):
        return planck(value.amount)
    if isinstance(value, SavedArg):
        return saved(value.name)
    if isinstance(value, dict):
        return {key: resolve(item, public_key, planck, saved) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, public_key, planck, saved) for item in value]
    return value


def field_at(attributes: object, path: tuple[str, ...]) -> object:
    """The value at `path` (keys, or list indices) in an event's attributes; KeyError names the first missing part."""
    value = attributes
    for part in path:
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, (list, tuple)) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            raise KeyError(part)
    return value
