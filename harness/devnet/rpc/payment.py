"""payment_*: substrate/frame/transaction-payment/rpc/src/lib.rs."""
from __future__ import annotations

from harness.devnet.rpc.method import Namespace
from harness.devnet.rpc.params import parse_hex

namespace = Namespace()


@namespace.rpc("payment_queryInfo", "encoded_xt", "at")
def _payment_query_info(ctx, p):
    return ctx.node.query_info(p.get(0, parse_hex, required=True), p.at(1))
