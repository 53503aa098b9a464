"""Substrate JSON-RPC over WebSocket for the devnet's emulated chains (one server per chain)."""
from harness.devnet.rpc.server import DEFAULT_MAX_MESSAGE_SIZE, RpcServer, serve

__all__ = ["DEFAULT_MAX_MESSAGE_SIZE", "RpcServer", "serve"]
