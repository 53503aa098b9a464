"""Substrate JSON-RPC over WebSocket for the devnet's emulated chains (one server per chain).

server.py is the transport (framing, batches, subscriptions) and decode.py reads a message's JSON;
table.py is the one method table, merged from one module per namespace (system, chain, state,
author, payment, dev), each filling its own Namespace (method.py). params.py, ss58.py and errors.py
are what the handlers share: strict param parsing, addresses, and the error codes clients see.
"""
from harness.devnet.rpc.server import DEFAULT_MAX_MESSAGE_SIZE, RpcServer, serve

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "RpcServer", "serve"]
