"""`transfer`: a balance transfer on one chain, with Balances.transfer_keep_alive or transfer_allow_death."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..scenario.amounts import Amount
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "from", "to", "amount"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "from": {"type": "string"}, "to": {"type": "string"},
                         "amount": {"$ref": "#/$defs/amount"}, "keep_alive": {"type": "boolean"}}}


@dataclass(frozen=True)
class Transfer:
    KEY: ClassVar[str] = "transfer"
    chain: str
    sender: str
    dest: str
    amount: Amount
    keep_alive: bool = False


def parse(p: StepParser, body: dict, at: tuple) -> Transfer:
    chain = p.chain(at + ("chain",), body["chain"])
    return Transfer(chain, p.account(at + ("from",), body["from"]), p.account(at + ("to",), body["to"]),
                    p.amount(at + ("amount",), body["amount"], chain), body.get("keep_alive", False))


def run(ctx: StepContext, step, action: Transfer, since: dict[str, int]):
    ctx.check_symbol(action.amount, action.chain, step.path + ("transfer", "amount"))
    call = "transfer_keep_alive" if action.keep_alive else "transfer_allow_death"
    if not action.keep_alive and not ctx.clients[action.chain].has_call("Balances", call):
        call = "transfer"  # runtimes before transfer_allow_death (polkadot-sdk 1.0 renamed it)
    return ctx.submit(action.chain, "Balances", call, {"dest": ctx.address(action.dest, action.chain),
                                                       "value": ctx.units.planck(action.amount, action.chain)},
                      action.sender)


STEP = StepKind(Transfer, SCHEMA, parse, run, signed=True)
