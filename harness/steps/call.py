"""`call`: any call of the chain's runtime, signed by a scenario account, its args checked against the metadata.
Placeholders in the args (scenario/call_args.py) are made concrete here: `$account:NAME` -> the account's 0x
public key, `$planck:AMOUNT` -> planck, `$saved:NAME` -> the event field an earlier wait saved."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, ClassVar

from ..scenario.amounts import Amount
from ..scenario.call_args import read_args
from ..scenario.model import AccountArg, PlanckArg, SavedArg
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "signer", "call"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "signer": {"type": "string"},
                         "call": {"type": "string", "pattern": "^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+$"},
                         "args": {"type": "object"}, "fee_asset": {"type": "object"},
                         "timeout": {"$ref": "#/$defs/timeout"}}}


@dataclass(frozen=True)
class Call:
    KEY: ClassVar[str] = "call"
    chain: str
    signer: str
    pallet: str
    function: str
    args: dict  # as written, with AccountArg, PlanckArg and SavedArg where the placeholders were
    timeout: float | None = None
    fee_asset: dict | None = None  # ChargeAssetTxPayment's asset_id: a Location, as events show it


def parse(p: StepParser, body: dict, at: tuple) -> Call:
    chain = p.chain(at + ("chain",), body["chain"])
    pallet, _, function = body["call"].partition(".")
    args = read_args(body.get("args") or {}, at + ("args",), account=p.account,
                     amount=lambda path, text: p.amount(path, text, chain, bridged=True),
                     saved=p.saved_name, fail=p.fail)
    return Call(chain, p.account(at + ("signer",), body["signer"]), pallet, function, args, body.get("timeout"),
                body.get("fee_asset"))


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


def run(ctx: StepContext, step, action: Call, since: dict[str, int]):
    client = ctx.clients[action.chain]
    client.check_call(action.pallet, action.function)
    args = resolve(action.args, lambda name: ctx.pair(name, action.chain).public_key,
                   lambda amount: ctx.units.planck(amount, action.chain), ctx.saved.__getitem__)
    return ctx.submit(action.chain, action.pallet, action.function,
                      client.call_args(action.pallet, action.function, args), action.signer, action.timeout,
                      fee_asset=action.fee_asset)


STEP = StepKind(Call, SCHEMA, parse, run, signed=True)
