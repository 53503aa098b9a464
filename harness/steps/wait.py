"""`wait`: for an event on a chain (saving its fields for later steps), for a number of blocks, or for the
delivery of an earlier xcm_transfer's message."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import ClassVar

from ..providers.capabilities import Capability
from ..scenario.model import EventMatch
from .base import StepContext, StepFailed, StepKind, StepParser

_EVENT_NAME = {"type": "string", "pattern": "^[A-Za-z0-9_]+\\.[A-Za-z0-9_]+$"}
SCHEMA = {
    "type": "object", "additionalProperties": False,
    # fields match an event; a wait for blocks has none, so fields there would be silently ignored
    "dependentRequired": {"fields": ["event"], "save": ["event"]},
    "properties": {
        "chain": {"type": "string"}, "event": _EVENT_NAME, "fields": {"type": "object"},
        "blocks": {"type": "integer", "minimum": 1}, "delivered": {"type": "string", "minLength": 1},
        "timeout": {"$ref": "#/$defs/timeout"},
        # saved fields of the awaited event, for $saved:NAME in later call args: NAME -> field or field.path
        "save": {"type": "object", "minProperties": 1, "propertyNames": {"pattern": "^[A-Za-z_][A-Za-z0-9_]*$"},
                 "additionalProperties": {"type": "string", "pattern": "^[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*$"}}}}


@dataclass(frozen=True)
class Wait:
    KEY: ClassVar[str] = "wait"
    chain: str  # for `delivered`, the destination of the awaited transfer
    event: EventMatch | None = None
    blocks: int | None = None
    delivered: int | None = None  # the index of the xcm_transfer step whose message is awaited
    timeout: float | None = None
    save: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (name, field path in the awaited event)


def parse(p: StepParser, body: dict, at: tuple) -> Wait:
    given = [key for key in ("event", "blocks", "delivered") if key in body]
    if len(given) != 1:
        p.fail(at, "wait needs exactly one of 'event', 'blocks' or 'delivered'",
               "e.g. wait: {chain: kusama, blocks: 2} or wait: {delivered: STEP NAME}")
    if "delivered" in body:
        if "chain" in body:
            p.fail(at + ("chain",), "a wait for delivery takes no chain",
                   "it waits on the destination of the step it names")
        step = p.named_step(at + ("delivered",), body["delivered"], "a wait for delivery")
        chain = step.action.destination if step else ""
        return Wait(chain, delivered=step.index if step else None, timeout=body.get("timeout"))
    if "chain" not in body:
        p.fail(at, "'chain' is required", "the chain to wait on")
        return Wait("")
    chain = p.chain(at + ("chain",), body["chain"])
    event = p.event(at, {"chain": chain, **body}) if "event" in body else None
    save = tuple((name, tuple(str(field).split("."))) for name, field in (body.get("save") or {}).items())
    for name, _ in save:
        if name in p.saved:
            p.fail(at + ("save", name), f"an earlier wait already saves '{name}'", "give each saved value its own name")
    p.saved.extend(name for name, _ in save)
    return Wait(chain, event, body.get("blocks"), timeout=body.get("timeout"), save=save)


def run(ctx: StepContext, step, action: Wait, since: dict[str, int]) -> None:
    timeout = action.timeout or ctx.step_timeout
    deadline = time.monotonic() + timeout
    if action.delivered is not None:
        _delivered(ctx, step, action, timeout)
    elif action.event:
        _save_fields(ctx, step, action, _event(ctx, step, action.event, deadline, timeout))
    else:
        _blocks(ctx, step, action, deadline, timeout)


def _delivered(ctx: StepContext, step, action: Wait, timeout: float) -> None:
    sent = ctx.sent[action.delivered]
    if not sent.receipt.success:
        raise StepFailed(f"step '{sent.step.name}' failed with {sent.receipt.error}, so it sent no message to wait "
                         f"for", step.path + ("wait", "delivered"))
    ctx.await_delivery(sent, timeout, step.path + ("wait", "delivered"))


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


def _save_fields(ctx: StepContext, step, action: Wait, event) -> None:
    for name, path in action.save:
        try:
            ctx.saved[name] = field_at(event.attributes, path)
        except KeyError as missing:
            raise StepFailed(f"{action.event.qualified} has no field '{'.'.join(path)}' to save as '{name}' "
                             f"(no '{missing.args[0]}'); its fields: {event.attributes}",
                             step.path + ("wait", "save", name)) from None


def _event(ctx: StepContext, step, match: EventMatch, deadline: float, timeout: float):
    cursor = ctx.events.cursor(match.chain)
    built = False
    while not (event := ctx.find_event(match, cursor.seen)):
        if time.monotonic() > deadline:
            raise StepFailed(f"waited {timeout:g}s on '{match.chain}' for event {match.qualified}; it did not come",
                             step.path + ("wait",))
        # a block built on request is there when the call returns: look at once, and pause only between builds
        if not (ctx.network.manual_blocks and not built):
            time.sleep(0.1)
        if ctx.network.manual_blocks:
            ctx.network.new_block(match.chain)
            built = True
    cursor.seen = event.block_number
    return event


def _blocks(ctx: StepContext, step, action: Wait, deadline: float, timeout: float) -> None:
    client = ctx.clients[action.chain]
    start = client.head_number()
    # Chains that build a block only when there is something to include (chopsticks in Instant or Batch mode,
    # an idle devnet) would leave this wait hanging: where the provider offers dev RPCs, the harness builds them.
    build = ctx.network.has(Capability.BLOCKS)
    while (head := client.head_number()) < start + action.blocks:
        if time.monotonic() > deadline:
            why = "" if build else (f"; the chain builds no blocks on its own, and provider "
                                    f"'{ctx.network.provider}' has no dev RPCs to build them")
            raise StepFailed(f"waited {timeout:g}s on '{action.chain}' for {action.blocks} blocks, "
                             f"{head - start} came{why}", step.path + ("wait", "blocks"))
        if build:
            ctx.network.new_block(action.chain)
        else:
            time.sleep(0.1)


def watches(network, action: Wait) -> tuple[str, ...]:
    """An event wait reads the chain's events from where the last one stopped: from the run's start at first."""
    return (action.chain,) if action.event else ()


STEP = StepKind(Wait, SCHEMA, parse, run, watches=watches)
