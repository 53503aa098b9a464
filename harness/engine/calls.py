"""A `call` step's args made concrete: `$account:NAME` -> the account's 0x public key, `$planck:AMOUNT` -> planck."""
from __future__ import annotations

from typing import Callable

from ..scenario.amounts import Amount
from ..scenario.model import AccountArg, PlanckArg


def resolve(value: object, public_key: Callable[[str], bytes], planck: Callable[[Amount], int]) -> object:
    if isinstance(value, AccountArg):
        return "0x" + public_key(value.name).hex()
    if isinstance(value, PlanckArg):
        return planck(value.amount)
    if isinstance(value, dict):
        return {key: resolve(item, public_key, planck) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve(item, public_key, planck) for item in value]
    return value
