"""`xcm_transfer`: assets sent to another chain with pallet-xcm (a teleport or a reserve transfer, as the route
says), and by default the wait until the destination has executed the message."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..client.xcm import CALLS, transfer_params
from ..errors import HarnessError
from ..network import routes
from ..scenario.amounts import PLANCK, Amount
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["from", "to", "sender", "beneficiary", "amount"],
          "additionalProperties": False,
          "properties": {"from": {"type": "string"}, "to": {"type": "string"}, "sender": {"type": "string"},
                         "beneficiary": {"type": "string"}, "amount": {"$ref": "#/$defs/amount"},
                         "kind": {"enum": ["teleport", "reserve"]}, "await_delivery": {"type": "boolean"},
                         "timeout": {"$ref": "#/$defs/timeout"}}}


@dataclass(frozen=True)
class XcmTransfer:
    KEY: ClassVar[str] = "xcm_transfer"
    origin: str
    destination: str
    sender: str
    beneficiary: str
    amount: Amount  # its unit names the asset: the origin's token, or a token bridged from another consensus
    kind: str | None = None  # teleport | reserve; None means chosen from the route
    await_delivery: bool = True
    timeout: float | None = None


def parse(p: StepParser, body: dict, at: tuple) -> XcmTransfer:
    origin = p.chain(at + ("from",), body["from"])
    destination = p.chain(at + ("to",), body["to"])
    if origin == destination:
        p.fail(at + ("to",), "an xcm_transfer goes to another chain", "use 'transfer' on one chain")
    return XcmTransfer(origin, destination, p.account(at + ("sender",), body["sender"]),
                       p.account(at + ("beneficiary",), body["beneficiary"]),
                       p.amount(at + ("amount",), body["amount"], origin, bridged=True), body.get("kind"),
                       body.get("await_delivery", True), body.get("timeout"))


def _route(network, action: XcmTransfer) -> routes.Route:
    symbol = None if action.amount.unit == PLANCK else action.amount.unit
    return routes.route(network, action.origin, action.destination, action.kind, symbol)


def watches(network, action: XcmTransfer) -> tuple[str, ...] | None:
    """The route's chains: the delivery wait and the trace read each one's events from before the step."""
    try:
        return _route(network, action).path
    except HarnessError:  # the handler says so, after its own checks
        return None


def run(ctx: StepContext, step, action: XcmTransfer, since: dict[str, int]):
    ctx.check_symbol(action.amount, action.origin, step.path + ("xcm_transfer", "amount"))
    route = _route(ctx.scenario.network, action)
    pallet, version = ctx.clients[action.origin].xcm_transfer_call(CALLS[route.kind])
    beneficiary = routes.Location(0, (("AccountId32", ctx.pair(action.beneficiary, action.destination).public_key),))
    amount = ctx.units.planck(action.amount, action.origin)
    timeout = action.timeout or ctx.step_timeout
    receipt = ctx.submit(action.origin, pallet, CALLS[route.kind],
                         transfer_params(route.dest, beneficiary, route.asset, amount, version), action.sender, timeout)
    sent = ctx.track(step, route, receipt, since, amount)
    if receipt.success and action.await_delivery:
        ctx.await_delivery(sent, timeout, step.path)
    return receipt


STEP = StepKind(XcmTransfer, SCHEMA, parse, run, signed=True, watches=watches)
