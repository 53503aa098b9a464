"""chain_*: substrate/client/rpc-api/src/chain/mod.rs, substrate/client/rpc/src/chain/mod.rs."""
from __future__ import annotations

from typing import Callable

from harness.devnet.node import Block, Node, RpcFailure
from harness.devnet.rpc.errors import CHAIN_ERROR_OTHER
from harness.devnet.rpc.method import Context, Namespace, Sink, Start
from harness.devnet.rpc.params import U32_MAX, Params, parse_any, parse_number_or_hex, to_hex

namespace = Namespace()


def _block_hash(node: Node, value: object, name: str) -> str | None:
    number = parse_number_or_hex(value, name)
    if number > U32_MAX:
        # chain/mod.rs block_hash: the database keys blocks by u32
        raise RpcFailure(CHAIN_ERROR_OTHER, f"`{value}` > u32::MAX, the max block number is u32.")
    block = node.block_by_number(number)
    return to_hex(block.hash) if block else None


@namespace.rpc("chain_getBlockHash", "hash", aliases=("chain_getHead",))
def _chain_get_block_hash(ctx, p):
    raw = p.get(0, parse_any)   # ListOrValue<NumberOrHex>
    if raw is None:
        return to_hex(ctx.node.head().hash)
    if isinstance(raw, list):
        return [_block_hash(ctx.node, v, f"hash[{i}]") for i, v in enumerate(raw)]
    return _block_hash(ctx.node, raw, "hash")


def _block_at(node: Node, at: bytes | None) -> Block | None:
    return node.head() if at is None else node.block_by_hash(at)


@namespace.rpc("chain_getHeader", "hash")
def _chain_get_header(ctx, p):
    block = _block_at(ctx.node, p.at(0))
    return block.header_json if block else None   # unknown hash -> null, as a node answers


@namespace.rpc("chain_getBlock", "hash")
def _chain_get_block(ctx, p):
    # sp_runtime::generic::SignedBlock: {"block": {"header", "extrinsics"}, "justifications"}
    block = _block_at(ctx.node, p.at(0))
    if block is None:
        return None
    return {
        "block": {"header": block.header_json, "extrinsics": [to_hex(x) for x in block.extrinsics]},
        "justifications": None,
    }


@namespace.rpc("chain_getFinalizedHead", aliases=("chain_getFinalisedHead",))
def _chain_get_finalized_head(ctx, p):
    return to_hex(ctx.node.finalized().hash)


def _head_start(current: Callable[[Node], Block], listen: str):
    # substrate/client/rpc/src/chain/chain_full.rs subscribe_headers: current header first,
    # then one per notification.
    def make_start(ctx: Context, p: Params) -> Start:
        def start(sink: Sink):
            sink.notify(current(ctx.node).header_json)
            return getattr(ctx.node, listen)(lambda block: sink.notify(block.header_json))
        return start
    return make_start


namespace.subscription(("chain_subscribeNewHeads", "chain_subscribeNewHead", "subscribe_newHead"),
                       ("chain_unsubscribeNewHeads", "chain_unsubscribeNewHead", "unsubscribe_newHead"),
                       "chain_newHead")(_head_start(lambda n: n.head(), "on_new_head"))
namespace.subscription(("chain_subscribeAllHeads",), ("chain_unsubscribeAllHeads",),
                       "chain_allHead")(_head_start(lambda n: n.head(), "on_new_head"))
namespace.subscription(("chain_subscribeFinalizedHeads", "chain_subscribeFinalisedHeads"),
                       ("chain_unsubscribeFinalizedHeads", "chain_unsubscribeFinalisedHeads"),
                       "chain_finalizedHead")(_head_start(lambda n: n.finalized(), "on_finalized"))
