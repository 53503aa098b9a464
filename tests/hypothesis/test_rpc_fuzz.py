"""Fuzzing the devnet's JSON-RPC surface: malformed messages, requests and batches, random params for
every method, and random SCALE bytes as extrinsics and runtime-call arguments.

Each fuzz message is followed on the same connection by a `system_chain` sentinel; the connection
answers in order, so whatever arrives before the sentinel's answer is what the fuzz message got. It
must be exactly what JSON-RPC 2.0 prescribes for that message (one error for bad JSON, for JSON nested
deeper than 127 levels or for a bad request, nothing for a notification, one answer per request of a
batch), never an internal error (-32603: a handler raised something other than RpcFailure), and the
sentinel must still be answered.
Served nodes: the test FakeNode, and the real devnet Chain (harness/devnet/chain.py) of Kusama and of
Kusama Asset Hub.
"""
from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st
from websockets.exceptions import ConnectionClosedError
from websockets.frames import CloseCode
from websockets.sync.client import connect

from harness.devnet.chain import Chain
from harness.devnet.rpc.errors import INTERNAL_ERROR, INVALID_REQUEST, OVERSIZED_REQUEST, PARSE_ERROR
from harness.devnet.rpc.table import method_names
from harness.devnet.runtimes.presets import default_config
from tests.devnet.fake_node import FakeNode
from tests.devnet.served_node import ServedNode

TIMEOUT = 5.0
MAX_MESSAGE = 64 * 1024  # small, so that the oversized paths are cheap to reach
# dev_newBlock would build up to 2**32 blocks for a random count; every other method is fair game
FUZZED_METHODS = sorted(set(method_names()) - {"dev_newBlock"})
NODES = {"fake": FakeNode, "kusama": lambda: Chain(default_config("kusama")),
         "kusama-asset-hub": lambda: Chain(default_config("kusama-asset-hub"))}


class Served(ServedNode):
    """A node behind the RPC server on its own loop thread, and one client connection to it."""

    def __init__(self, node_factory):
        super().__init__(node_factory, timeout=TIMEOUT, max_message_size=MAX_MESSAGE)
        self.sentinels = itertools.count()
        self.connect()

    def connect(self) -> None:
        self.ws = connect(self.url, open_timeout=TIMEOUT, close_timeout=1, max_size=None)

    def exchange(self, message: str | bytes) -> list:
        """Sends `message`, then a sentinel; returns the non-notification messages before its answer."""
        self.ws.send(message)
        sentinel = f"sentinel-{next(self.sentinels)}"
        self.ws.send(json.dumps({"jsonrpc": "2.0", "id": sentinel, "method": "system_chain"}))
        before = []
        while True:
            reply = json.loads(self.ws.recv(timeout=TIMEOUT))
            if isinstance(reply, dict) and reply.get("id") == sentinel:
                assert reply.get("result") == self.node.system_chain(), reply
                return before
            if not (isinstance(reply, dict) and "method" in reply and "id" not in reply):  # not a notification
                before.append(reply)

    def close(self) -> None:
        self.ws.close()
        super().close()


@pytest.fixture(scope="module", params=sorted(NODES))
def served(request):
    served = Served(NODES[request.param])
    yield served
    served.close()


# --- what JSON-RPC 2.0 says each message gets -------------------------------------------------------

NO_REPLY = object()


def _valid_id(value: object) -> bool:
    return value is None or isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def expected_for(request: object) -> object:
    """("error", code, id) or ("answer", id) for one request of a message, or NO_REPLY."""
    if not isinstance(request, dict) or not _valid_id(request.get("id")):
        return ("error", INVALID_REQUEST, None)
    well_formed = (request.get("jsonrpc") == "2.0" and isinstance(request.get("method"), str)
                   and isinstance(request.get("params"), (list, dict, type(None))))
    if not well_formed:
        return ("error", INVALID_REQUEST, request.get("id"))
    return ("answer", request["id"]) if "id" in request else NO_REPLY


# serde_json, which a node parses requests with, refuses 128 levels (src/de.rs, tests/test.rs test_stack_overflow);
# the devnet refuses any message nested deeper (harness/devnet/rpc/decode.py says where a node differs)
MAX_DEPTH = 127


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest, scanned a character at a time, strings skipped."""
    depth = deepest = 0
    in_string = escaped = False
    for ch in text:
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def parse(message: str | bytes) -> object:
    """The message's JSON, or ValueError; never RecursionError, whose depth depends on the caller's stack."""
    text = message if isinstance(message, str) else message.decode(json.detect_encoding(message), "surrogatepass")
    if nesting_depth(text) > MAX_DEPTH:
        raise ValueError("nested too deep")
    return json.loads(text)


def expected_replies(message: str | bytes) -> list:
    try:
        parsed = parse(message)
    except ValueError:
        return [("error", PARSE_ERROR, None)]
    if isinstance(parsed, list):
        if not parsed:
            return [("error", INVALID_REQUEST, None)]
        batch = [e for e in map(expected_for, parsed) if e is not NO_REPLY]
        return [batch] if batch else []
    single = expected_for(parsed)
    return [] if single is NO_REPLY else [single]


def check_reply(reply: object, expected: tuple) -> None:
    assert isinstance(reply, dict) and reply.get("jsonrpc") == "2.0", reply
    assert ("result" in reply) != ("error" in reply), reply
    if expected[0] == "error":
        _, code, request_id = expected
        assert reply.get("id") == request_id and reply.get("error", {}).get("code") == code, (reply, expected)
    else:
        assert reply.get("id") == expected[1], (reply, expected)
    if "error" in reply:
        error = reply["error"]
        assert isinstance(error.get("code"), int) and isinstance(error.get("message"), str), reply
        assert error["code"] != INTERNAL_ERROR, f"a handler crashed: {reply}"


def check_exchange(served: Served, message: str | bytes) -> list:
    replies = served.exchange(message)
    expected = expected_replies(message)
    assert len(replies) == len(expected), (replies, expected)
    for reply, wanted in zip(replies, expected):
        if isinstance(wanted, list):
            assert isinstance(reply, list) and len(reply) == len(wanted), (reply, wanted)
            for item, item_wanted in zip(reply, wanted):
                check_reply(item, item_wanted)
        else:
            check_reply(reply, wanted)
    return replies


# --- messages ------------------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
hex_bytes = st.binary(max_size=80).map(lambda b: "0x" + b.hex())
hashes = st.binary(min_size=32, max_size=32).map(lambda b: "0x" + b.hex())
param_values = st.one_of(json_values, hex_bytes, hashes, st.integers(-1, 2 ** 64),
                         st.text(alphabet="0123456789abcdefxX", max_size=20),
                         st.sampled_from(["5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY", "0x", "latest", ""]))
params = st.none() | st.lists(param_values, max_size=4) | st.dictionaries(
    st.sampled_from(["hash", "at", "key", "keys", "prefix", "count", "extrinsic", "bytes", "name", "x"]),
    param_values, max_size=3)
ids = st.one_of(st.integers(), st.integers(min_value=2 ** 64), st.text(max_size=10), st.none(), st.booleans(),
                st.floats(allow_nan=False, allow_infinity=False), st.lists(st.integers(), max_size=2))
methods = st.sampled_from(FUZZED_METHODS) | st.text(max_size=20) | st.from_regex(r"[a-z]{2,8}_[a-zA-Z]{2,12}",
                                                                                   fullmatch=True)


@st.composite
def requests(draw) -> dict:
    """A request object, each member well-formed, malformed or missing."""
    request = {}
    for key, value in (("jsonrpc", st.just("2.0") | json_values), ("id", ids), ("method", methods | json_values),
                       ("params", params | json_values)):
        if draw(st.integers(0, 9)) < 8:  # mostly present
            good = {"jsonrpc": st.just("2.0"), "method": methods, "params": params}.get(key, value)
            request[key] = draw(good if draw(st.integers(0, 9)) < 8 else value)
    if draw(st.booleans()):
        request.update(draw(st.dictionaries(st.text(max_size=6), json_values, max_size=2)))
    return request


batches = st.lists(requests() | json_values | st.lists(requests(), max_size=2), max_size=6)
messages = st.one_of(
    requests().map(json.dumps),
    batches.map(json.dumps),
    json_values.map(json.dumps),
    requests().map(json.dumps).flatmap(lambda m: st.integers(0, len(m)).map(lambda i: m[:i])),  # cut short
    st.text(max_size=200),
    st.binary(max_size=200),  # a binary frame, like any other message to jsonrpsee
    st.integers(1, 20_000).map(lambda n: "[" * n + "]" * n),  # deep nesting for the JSON parser
)


@given(messages)
def test_any_message_gets_what_json_rpc_prescribes(served, message):
    check_exchange(served, message)


@given(st.sampled_from(FUZZED_METHODS), params)
def test_every_method_answers_random_params_with_a_result_or_error(served, method, method_params):
    request = {"jsonrpc": "2.0", "id": 1, "method": method}
    if method_params is not None:
        request["params"] = method_params
    check_exchange(served, json.dumps(request))


# random SCALE: raw bytes, and bytes shaped like an extrinsic (compact length, version byte) to get past
# the first checks of the decoder
_compact_prefixed = st.binary(max_size=200).map(lambda b: bytes([len(b) << 2]) + b if len(b) < 64 else b)
scale_bytes = st.one_of(
    st.binary(max_size=300),
    st.tuples(st.sampled_from([0x04, 0x84, 0x05, 0x45, 0x85]), st.binary(max_size=180)).map(
        lambda t: bytes([((len(t[1]) + 1) << 2) & 0xFF]) + bytes([t[0]]) + t[1]),
    _compact_prefixed,
)


@given(scale_bytes, st.sampled_from(["author_submitExtrinsic", "author_submitAndWatchExtrinsic",
                                     "payment_queryInfo", "system_dryRun"]))
def test_random_scale_extrinsics_are_refused_cleanly(served, data, method):
    replies = check_exchange(served, json.dumps({"jsonrpc": "2.0", "id": 7, "method": method,
                                                 "params": ["0x" + data.hex()]}))
    if isinstance(served.node, Chain) and method.startswith("author_"):  # a fake node takes anything
        assert "error" in replies[0], f"random bytes accepted as an extrinsic: {data.hex()} -> {replies[0]}"


@given(st.sampled_from(["Core_version", "Metadata_metadata_at_version", "TransactionPaymentApi_query_info",
                        "AccountNonceApi_account_nonce", "BlockBuilder_apply_extrinsic",
                        "TaggedTransactionQueue_validate_transaction", "XcmPaymentApi_query_xcm_weight",
                        "DryRunApi_dry_run_call"]) | st.text(max_size=20),
       scale_bytes)
def test_runtime_calls_with_random_arguments_are_refused_cleanly(served, runtime_api, data):
    check_exchange(served, json.dumps({"jsonrpc": "2.0", "id": 9, "method": "state_call",
                                       "params": [runtime_api, "0x" + data.hex()]}))


def test_an_oversized_request_is_refused_and_the_connection_goes_on(served):
    big = json.dumps({"jsonrpc": "2.0", "id": 3, "method": "system_chain", "params": ["x" * MAX_MESSAGE]})
    replies = served.exchange(big)
    assert [r["error"]["code"] for r in replies] == [OVERSIZED_REQUEST]


def test_a_message_past_twice_the_limit_closes_only_that_connection(served):
    served.ws.send("x" * (2 * MAX_MESSAGE + 1))
    with pytest.raises(ConnectionClosedError) as closed:
        served.ws.recv(timeout=TIMEOUT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CloseCode.MESSAGE_TOO_BIG  # 1009
    served.connect()
    assert served.exchange(json.dumps({"jsonrpc": "2.0", "method": "system_chain"})) == []


# --- bugs found, each its minimal example, named after what the fixed server does -----------------------

@pytest.mark.parametrize("depth, reply", [
    (127, [{"jsonrpc": "2.0", "id": None, "error": {"code": INVALID_REQUEST, "message": "Invalid request"}}]),
    (128, {"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "Parse error"}}),
    (1989, {"jsonrpc": "2.0", "id": None, "error": {"code": PARSE_ERROR, "message": "Parse error"}}),
])
def test_json_nested_past_serde_jsons_limit_is_one_parse_error(served, depth, reply):
    # 127 nested arrays are a batch whose one item is no request; one level more is too deep to parse at all
    assert served.exchange("[" * depth + "]" * depth) == [reply]


@pytest.mark.parametrize("method", ["author_submitExtrinsic", "author_submitAndWatchExtrinsic", "payment_queryInfo"])
def test_an_empty_extrinsic_is_refused_without_an_internal_error(method):
    served = Served(NODES["kusama"])
    try:
        reply, = served.exchange(json.dumps({"jsonrpc": "2.0", "id": 1, "method": method, "params": ["0x00"]}))
    finally:
        served.close()
    assert reply["error"]["code"] != INTERNAL_ERROR, reply
