"""dev_*: chopsticks' names (packages/core/src/rpc/dev), our snapshot/revert, the bridge
relayer's controls (harness/devnet/bridge/control.py), and code changes without wasm
(dev_setSpecVersion, dev_setXcmVersion: harness/devnet/upgrades.py)."""
from __future__ import annotations

from typing import Any

from harness.devnet.bridge.control import METHODS as RELAYER_METHODS
from harness.devnet.rpc.errors import invalid_params, method_not_found
from harness.devnet.rpc.method import Context, Handler, Namespace
from harness.devnet.rpc.params import (Params, parse_any, parse_hash, parse_hex, parse_list, parse_str, parse_u32,
                                       to_hex)

namespace = Namespace()

_NEW_BLOCK_IGNORED = ("transactions", "ump", "dmp", "hrmp", "horizontalMessages",
                      "downwardMessages", "upwardMessages")


@namespace.rpc("dev_newBlock", "params")
def _dev_new_block(ctx, p):
    opts = p.get(0, parse_any) or {}
    if not isinstance(opts, dict):
        raise invalid_params("dev_newBlock: expected an object like {\"count\": 1}")
    unknown = [k for k, v in opts.items() if k not in ("count", "to") and
               not (k in _NEW_BLOCK_IGNORED and not v)]
    if unknown:
        raise invalid_params(f"dev_newBlock: unsupported options {sorted(unknown)}; "
                             "only count and to are supported")
    count = 1 if opts.get("count") is None else parse_u32(opts["count"], "count")
    if opts.get("to") is not None:
        count = parse_u32(opts["to"], "to") - ctx.node.head().number
    if count < 1:
        raise invalid_params(f"dev_newBlock: nothing to build (count {count})")
    return to_hex(ctx.node.dev_new_block(count))


def _storage_pair(value: object, name: str) -> tuple[bytes, bytes | None]:
    if not isinstance(value, list) or len(value) != 2:
        raise invalid_params(f"{name}: expected [key, value|null]")
    key = parse_hex(value[0], f"{name}[0]")
    return key, None if value[1] is None else parse_hex(value[1], f"{name}[1]")


@namespace.rpc("dev_setStorage", "values", "blockHash")
def _dev_set_storage(ctx, p):
    values = p.get(0, parse_any, required=True)
    if isinstance(values, dict):
        raise invalid_params("dev_setStorage: only the raw form [[key, value|null], ...] is "
                             "supported, not the pallet-object form")
    p.get(1, parse_hash)   # chopsticks' block hash: validated, the head is always changed
    return to_hex(ctx.node.dev_set_storage(parse_list(values, "values", _storage_pair)))


@namespace.rpc("dev_setHead", "hashOrNumber")
def _dev_set_head(ctx, p):
    target = p.get(0, parse_any, required=True)
    if isinstance(target, str):
        return to_hex(ctx.node.dev_set_head(parse_hash(target, "hashOrNumber")))
    if isinstance(target, bool) or not isinstance(target, int):
        raise invalid_params("hashOrNumber: expected a block hash or number")
    if target < 0:   # chopsticks: a negative number counts back from the head
        target += ctx.node.head().number
        if target < 0:
            raise invalid_params("hashOrNumber: goes back past genesis")
    return to_hex(ctx.node.dev_set_head(target))


@namespace.rpc("dev_snapshot")
def _dev_snapshot(ctx, p):
    return ctx.node.dev_snapshot()


@namespace.rpc("dev_revert", "snapshot")
def _dev_revert(ctx, p):
    ctx.node.dev_revert(p.get(0, parse_str, required=True))
    return None


def _code_change(ctx: Context, name: str, value: int) -> dict:
    change = getattr(ctx.node, name, None)
    if change is None:          # a node that emulates no code (a test's fake)
        raise method_not_found()
    try:
        return change(value)
    except ValueError as refused:   # upgrades.CodeRefused: the runtime's own words
        raise invalid_params(str(refused)) from None


@namespace.rpc("dev_setSpecVersion", "specVersion")
def _dev_set_spec_version(ctx, p):
    return _code_change(ctx, "dev_set_spec_version", p.get(0, parse_u32, required=True))


@namespace.rpc("dev_setXcmVersion", "version")
def _dev_set_xcm_version(ctx, p):
    return _code_change(ctx, "dev_set_xcm_version", p.get(0, parse_u32, required=True))


def _relayer_method(name: str) -> Handler:
    def handler(ctx: Context, p: Params) -> Any:
        control = getattr(ctx.node, "dev_relayer", None)
        if control is None:          # a lone chain, not a devnet with a bridge
            raise method_not_found()
        return control(name, p.values())
    return handler


for _name in RELAYER_METHODS:
    namespace.rpc(_name, *(("blocks",) if _name == "dev_relayerDelay" else ()))(_relayer_method(_name))
