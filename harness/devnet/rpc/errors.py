"""The error codes RPC clients see, and the Invalid params error every parser raises."""
from __future__ import annotations

from harness.devnet.node import RpcFailure

# JSON-RPC 2.0 error codes, with the messages jsonrpsee (Substrate's RPC server) uses.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
OVERSIZED_REQUEST = -32007   # jsonrpsee types/src/error.rs: OVERSIZED_REQUEST_CODE

# Substrate's per-module error bases (substrate/client/rpc-api/src/error.rs).
CHAIN_ERROR_OTHER = 3001      # chain/error.rs: Error::Other
STATE_INVALID_RANGE = 4001    # state/error.rs: InvalidBlockRange
STATE_INVALID_COUNT = 4002    # state/error.rs: InvalidCount


def invalid_params(detail: str) -> RpcFailure:
    # jsonrpsee puts the fixed text in message and the detail in data.
    return RpcFailure(INVALID_PARAMS, "Invalid params", detail)


def method_not_found() -> RpcFailure:
    return RpcFailure(METHOD_NOT_FOUND, "Method not found")
