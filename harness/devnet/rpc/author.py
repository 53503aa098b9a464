"""author_*: substrate/client/rpc-api/src/author/mod.rs. Statuses are sc_transaction_pool_api's
TransactionStatus JSON (substrate/client/transaction-pool/api/src/lib.rs)."""
from __future__ import annotations

from harness.devnet.rpc.method import Context, Namespace, Sink, Start
from harness.devnet.rpc.params import Params, parse_hex, to_hex

FINAL_TX_STATUSES = {"finalized", "usurped", "dropped", "invalid", "finalityTimeout"}

namespace = Namespace()


@namespace.rpc("author_submitExtrinsic", "extrinsic")
def _author_submit_extrinsic(ctx, p):
    return to_hex(ctx.node.submit(p.get(0, parse_hex, required=True)))


namespace.constant("author_pendingExtrinsics", [])   # the devnet puts what it accepts in its next block


@namespace.subscription(("author_submitAndWatchExtrinsic",), ("author_unwatchExtrinsic",),
                        "author_extrinsicUpdate", "bytes")
def _author_submit_and_watch(ctx: Context, p: Params) -> Start:
    xt = p.get(0, parse_hex, required=True)

    def start(sink: Sink):
        def on_status(status: object):
            sink.notify(status)
            kind = status if isinstance(status, str) else next(iter(status), None)
            if kind in FINAL_TX_STATUSES:
                sink.end()   # the pool drops its watcher after a final status
        ctx.node.submit(xt, watcher=on_status)   # RpcFailure -> error reply, no subscription
        return None
    return start
