"""A WebSocket message's JSON, read with the nesting limit of a Substrate node's parser.

jsonrpsee reads each request with serde_json, which refuses to go 128 arrays or objects deep
(serde-rs/json src/de.rs: `remaining_depth: 128`, and `check_recursion!` errs when it reaches 0;
tests/test.rs `test_stack_overflow`: 127 levels parse). It reads batch items and `params` as
RawValue (paritytech/jsonrpsee server/src/server.rs `handle_rpc_call`, types/src/request.rs), which
serde_json skips with its iterative `ignore_value`, with no limit: so a node answers 128+ nested
arrays with a batch of one Invalid request. We refuse any message nested deeper than serde_json's
limit as a parse error instead, which JSON-RPC 2.0 allows ("an error occurred on the server while
parsing the JSON text") as does RFC 8259 section 9: so the answer never depends on Python's
recursion limit, and no handler meets a value deep enough to reach it (json.loads, repr).
"""
from __future__ import annotations

import itertools
import json
import re

MAX_DEPTH = 127
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)   # unrolled: no step per plain character
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in `text`, brackets inside strings not counted."""
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    return max(itertools.accumulate(map(_STEP.__getitem__, brackets)), default=0)


def read_message(raw: bytes) -> object:
    """The JSON value of `raw`; ValueError if it is not JSON or nests deeper than MAX_DEPTH."""
    text = raw.decode(json.detect_encoding(raw), "surrogatepass")   # as json.loads(bytes) decodes
    if text.count("[") + text.count("{") > MAX_DEPTH and nesting_depth(text) > MAX_DEPTH:
        raise ValueError(f"JSON nested deeper than {MAX_DEPTH} levels")
    return json.loads(text)
