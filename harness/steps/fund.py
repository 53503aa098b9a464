"""`fund`: an account's balance written into storage (dev RPCs), before the measured steps."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..providers.capabilities import Capability
from ..scenario.amounts import Amount
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "account", "amount"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "account": {"type": "string"},
                         "amount": {"$ref": "#/$defs/amount"}}}


@dataclass(frozen=True)
class Fund:
    KEY: ClassVar[str] = "fund"
    chain: str
    account: str
    amount: Amount


def parse(p: StepParser, body: dict, at: tuple) -> Fund:
    chain = p.chain(at + ("chain",), body["chain"])
    return Fund(chain, p.account(at + ("account",), body["account"]), p.amount(at + ("amount",), body["amount"], chain))


def run(ctx: StepContext, step, action: Fund, since: dict[str, int]) -> None:
    # Funding writes the balance into storage rather than transferring from a dev account such as //Alice:
    # a shared funder's nonce and balance are touched by every scenario and every other client of the chain
    # (concurrent runs on an attached network collide on its nonce, and its fees leak into their measured
    # changes), and a fork of a live chain gives //Alice nothing. Shipped scenarios fund their own accounts.
    ctx.check_symbol(action.amount, action.chain, step.path + ("fund", "amount"))
    ctx.network.capability(Capability.STORAGE, "fund an account (the fund step)")
    key, value = ctx.clients[action.chain].account_storage(ctx.address(action.account, action.chain),
                                                           ctx.units.planck(action.amount, action.chain))
    ctx.network.set_storage(action.chain, [(key, value)])


STEP = StepKind(Fund, SCHEMA, parse, run)
