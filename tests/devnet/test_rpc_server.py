"""The devnet's WebSocket JSON-RPC server, driven by real WebSocket clients against a FakeNode.

The server runs on an asyncio loop in a background thread (as in the devnet); tests talk to it
with websockets' synchronous client and change the chain through `devnet.call(...)`, which runs a
function on the loop thread. Every wait has a timeout.
"""
from __future__ import annotations

import hashlib
import json
import time
import urllib.request

import pytest
from scalecodec.utils.ss58 import ss58_encode
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from harness.devnet.rpc import serve
from harness.devnet.rpc.ss58 import b58decode, b58encode, ss58_decode
from harness.devnet.rpc.table import method_names

from .fake_node import BAD_SIGNATURE, COUNTER_KEY, FakeNode
from .served_node import ServedNode

TIMEOUT = 5.0
ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")


class Devnet(ServedNode):
    """A FakeNode served on its own loop thread, with a small message limit."""

    def __init__(self):
        super().__init__(FakeNode, timeout=TIMEOUT, max_message_size=1 << 20)

    def client(self) -> "Client":
        return Client(self.url)


class Client:
    def __init__(self, url: str):
        self.ws = connect(url, open_timeout=TIMEOUT, close_timeout=1, max_size=None)
        self.ids = iter(range(1, 1_000_000))
        self.notifications: list[dict] = []

    def send(self, message) -> None:
        self.ws.send(message if isinstance(message, (str, bytes)) else json.dumps(message))

    def recv(self, timeout: float = TIMEOUT):
        return json.loads(self.ws.recv(timeout=timeout))

    def request(self, method: str, params=None) -> dict:
        """Sends one request and returns its whole response, keeping notifications aside."""
        request_id = next(self.ids)
        message = {"jsonrpc": "2.0", "id": request_id, "method": method}
        if params is not None:
            message["params"] = params
        self.send(message)
        deadline = time.monotonic() + TIMEOUT
        while True:
            reply = self.recv(max(0.01, deadline - time.monotonic()))
            if isinstance(reply, dict) and "method" in reply and "id" not in reply:
                self.notifications.append(reply)
            else:
                assert reply.get("id") == request_id, reply
                return reply

    def call(self, method: str, params=None):
        reply = self.request(method, params)
        assert "error" not in reply, reply
        return reply["result"]

    def error(self, method: str, params=None) -> dict:
        reply = self.request(method, params)
        assert "error" in reply, reply
        return reply["error"]

    def notification(self, sub_id: str, timeout: float = TIMEOUT) -> dict:
        deadline = time.monotonic() + timeout
        while True:
            for n in self.notifications:
                if n["params"]["subscription"] == sub_id:
                    self.notifications.remove(n)
                    return n
            self.notifications.append(self.recv(max(0.01, deadline - time.monotonic())))

    def no_message(self, wait: float = 0.2) -> None:
        with pytest.raises(TimeoutError):
            self.ws.recv(timeout=wait)

    def close(self):
        self.ws.close()


@pytest.fixture
def devnet():
    net = Devnet()
    yield net
    net.close()


@pytest.fixture
def client(devnet):
    c = devnet.client()
    yield c
    c.close()


def hexs(data: bytes) -> str:
    return "0x" + data.hex()


def wait_until(predicate, timeout: float = TIMEOUT):
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


# --- server basics ---------------------------------------------------------------------------

def test_port_zero_picks_a_free_port_on_localhost(devnet):
    assert devnet.server.port > 0
    assert devnet.server.url == f"ws://127.0.0.1:{devnet.server.port}"
    assert devnet.server._server.sockets[0].getsockname()[0] == "127.0.0.1"


def test_explicit_port_and_close(devnet):
    port = devnet.server.port
    devnet.run(devnet.server.close())
    second = devnet.run(serve(devnet.node, port))
    try:
        assert second.port == port
        c = Client(second.url)
        assert c.call("system_chain") == "Fake Chain"
        devnet.run(second.close())
        with pytest.raises(ConnectionClosed):
            c.ws.recv(timeout=TIMEOUT)
    finally:
        devnet.run(second.close())
    with pytest.raises(OSError):
        Client(second.url)


def test_http_health_endpoint(devnet):
    with urllib.request.urlopen(f"http://127.0.0.1:{devnet.server.port}/health",
                                timeout=TIMEOUT) as r:
        assert json.loads(r.read()) == {"peers": 0, "isSyncing": False, "shouldHavePeers": False}


def test_rpc_methods_lists_everything_sorted(client):
    methods = client.call("rpc_methods")["methods"]
    assert methods == sorted(methods) == method_names()
    for name in ["chain_getFinalisedHead", "chain_subscribeNewHead", "subscribe_newHead",
                 "state_getStorageAt", "state_callAt", "chain_getRuntimeVersion",
                 "state_getKeysPagedAt", "author_submitAndWatchExtrinsic", "dev_newBlock",
                 "dev_setStorage", "dev_setHead", "dev_snapshot", "dev_revert",
                 "payment_queryInfo", "system_accountNextIndex", "rpc_methods"]:
        assert name in methods


# --- system_* --------------------------------------------------------------------------------

def test_system_methods(client):
    assert client.call("system_chain") == "Fake Chain"
    assert client.call("system_name") == "fake-devnet"
    assert client.call("system_version") == "0.1.0"
    assert client.call("system_properties") == {"ss58Format": 2, "tokenDecimals": 12,
                                                "tokenSymbol": "KSM"}
    assert client.call("system_health") == {"peers": 0, "isSyncing": False,
                                            "shouldHavePeers": False}
    assert client.call("system_chainType") == "Development"
    assert client.call("system_nodeRoles") == ["Authority"]
    assert client.call("system_peers") == []
    assert client.call("system_syncState") == {"startingBlock": 0, "currentBlock": 0,
                                               "highestBlock": 0}
    peer_id = client.call("system_localPeerId")
    assert peer_id.startswith("12D3KooW") and b58decode(peer_id)[:6] == bytes.fromhex("002408011220")


def test_base58_round_trip():
    for data in [b"", b"\0\0\1", bytes(range(40))]:
        assert b58decode(b58encode(data)) == data


@pytest.mark.parametrize("prefix", [0, 2, 42, 63, 64, 7391])
def test_ss58_decode_any_prefix(prefix):
    assert ss58_decode(ss58_encode(ALICE, ss58_format=prefix)) == ALICE


def test_account_next_index(devnet, client):
    devnet.node.nonces[ALICE] = 7
    assert client.call("system_accountNextIndex", [ss58_encode(ALICE, 2)]) == 7
    assert client.call("system_accountNextIndex", [ss58_encode(ALICE, 42)]) == 7
    assert client.call("system_accountNextIndex", [hexs(ALICE)]) == 7
    assert client.call("account_nextIndex", [ss58_encode(bytes(32), 0)]) == 0
    bad = ss58_encode(ALICE, 2)
    bad = bad[:-1] + ("A" if bad[-1] != "A" else "B")
    for wrong in [bad, "0x1234", "not base58 0OIl", 5, None]:
        assert client.error("system_accountNextIndex", [wrong])["code"] == -32602
    assert "checksum" in client.error("system_accountNextIndex", [bad])["data"]


# --- chain_* ---------------------------------------------------------------------------------

def test_chain_get_block_hash(devnet, client):
    b1 = devnet.call(devnet.node.produce)
    genesis = devnet.node.chain[0]
    assert client.call("chain_getBlockHash") == hexs(b1.hash)
    assert client.call("chain_getBlockHash", []) == hexs(b1.hash)
    assert client.call("chain_getBlockHash", [None]) == hexs(b1.hash)
    assert client.call("chain_getBlockHash", [0]) == hexs(genesis.hash)
    assert client.call("chain_getBlockHash", ["0x1"]) == hexs(b1.hash)
    assert client.call("chain_getBlockHash", ["0x01"]) == hexs(b1.hash)
    assert client.call("chain_getHead", [1]) == hexs(b1.hash)
    assert client.call("chain_getBlockHash", [[0, "0x1", 99]]) == [hexs(genesis.hash),
                                                                   hexs(b1.hash), None]
    assert client.call("chain_getBlockHash", [5]) is None
    assert client.error("chain_getBlockHash", [2 ** 32])["code"] == 3001
    for wrong in [-1, "1", "0x", "0xzz", 1.5, True, {"a": 1}, [None]]:
        assert client.error("chain_getBlockHash", [wrong])["code"] == -32602, wrong


def test_chain_get_header_and_block(devnet, client):
    b1 = devnet.call(devnet.node.produce, {}, [b"\x01\x02"])
    header = client.call("chain_getHeader")
    assert header == b1.header_json and header["number"] == "0x1"
    assert client.call("chain_getHeader", [hexs(b1.parent_hash)]) == devnet.node.chain[0].header_json
    assert client.call("chain_getHeader", [hexs(b"\x11" * 32)]) is None
    block = client.call("chain_getBlock", [hexs(b1.hash)])
    assert block == {"block": {"header": b1.header_json, "extrinsics": ["0x020102"]},
                     "justifications": None}
    assert client.call("chain_getBlock")["block"]["header"] == b1.header_json
    assert client.call("chain_getBlock", [hexs(b"\x11" * 32)]) is None
    # a node reads hashes with or without the 0x prefix (impl-serde serialize.rs)
    assert client.call("chain_getHeader", [b1.hash.hex()]) == b1.header_json
    for wrong in ["0x1234", "11" * 31, 5, "0x" + "g" * 64]:
        assert client.error("chain_getHeader", [wrong])["code"] == -32602
        assert client.error("chain_getBlock", [wrong])["code"] == -32602


def test_chain_finalized_head_and_alias(devnet, client):
    b1 = devnet.call(devnet.node.produce)
    assert client.call("chain_getFinalizedHead") == hexs(b1.hash)
    assert client.call("chain_getFinalisedHead") == hexs(b1.hash)


# --- state_* ---------------------------------------------------------------------------------

def test_state_runtime_version_and_metadata(devnet, client):
    version = client.call("state_getRuntimeVersion")
    assert version["specName"] == "fake" and version["specVersion"] == 1
    assert client.call("chain_getRuntimeVersion") == version
    genesis = hexs(devnet.node.chain[0].hash)
    assert client.call("state_getRuntimeVersion", [genesis]) == version
    assert client.call("state_getMetadata") == "0x6d6574610e"
    assert client.call("state_getMetadata", [genesis]) == "0x6d6574610e"
    unknown = client.error("state_getMetadata", [hexs(b"\x22" * 32)])
    assert unknown["code"] == 4003 and "UnknownBlock" in unknown["message"]


def test_state_storage_queries(devnet, client):
    key, value = b"\xaa\x01", b"\x05\x06\x07"
    genesis = devnet.node.chain[0]
    b1 = devnet.call(devnet.node.produce, {key: value})
    assert client.call("state_getStorage", [hexs(key)]) == hexs(value)
    assert client.call("state_getStorageAt", [hexs(key), hexs(b1.hash)]) == hexs(value)
    assert client.call("state_getStorage", [hexs(key), hexs(genesis.hash)]) is None
    assert client.call("state_getStorage", ["0xbeef"]) is None
    assert client.call("state_getStorageHash", [hexs(key)]) == hexs(
        hashlib.blake2b(value, digest_size=32).digest())
    assert client.call("state_getStorageHash", ["0xbeef"]) is None
    assert client.call("state_getStorageSize", [hexs(key)]) == 3
    assert client.call("state_getStorageSize", ["0xbeef"]) is None
    assert client.call("state_queryStorageAt", [[hexs(key), "0xbeef"]]) == [
        {"block": hexs(b1.hash), "changes": [[hexs(key), hexs(value)], ["0xbeef", None]]}]
    assert client.call("state_queryStorageAt", [[hexs(key)], hexs(genesis.hash)]) == [
        {"block": hexs(genesis.hash), "changes": [[hexs(key), None]]}]
    assert client.error("state_queryStorageAt", [hexs(key)])["code"] == -32602
    assert client.error("state_getStorage", [hexs(key), hexs(b"\x33" * 32)])["code"] == 4003


def test_state_query_storage_range(devnet, client):
    key = b"\xaa\x02"
    genesis = devnet.node.chain[0]
    b1 = devnet.call(devnet.node.produce, {key: b"\x01"})
    devnet.call(devnet.node.produce)
    b3 = devnet.call(devnet.node.produce, {key: b"\x02"})
    assert client.call("state_queryStorage", [[hexs(key)], hexs(genesis.hash)]) == [
        {"block": hexs(genesis.hash), "changes": [[hexs(key), None]]},
        {"block": hexs(b1.hash), "changes": [[hexs(key), "0x01"]]},
        {"block": hexs(b3.hash), "changes": [[hexs(key), "0x02"]]}]
    assert client.error("state_queryStorage", [[hexs(key)], hexs(b3.hash),
                                               hexs(b1.hash)])["code"] == 4001


def test_state_keys(devnet, client):
    keys = [bytes([0xbb, i]) for i in range(5)]
    devnet.call(devnet.node.produce, {k: b"\x01" for k in keys})
    assert client.call("state_getKeysPaged", ["0xbb", 2]) == [hexs(k) for k in keys[:2]]
    assert client.call("state_getKeysPaged", ["0xbb", 2, hexs(keys[1])]) == [hexs(k) for k in keys[2:4]]
    assert client.call("state_getKeysPagedAt", ["0xbb", 10, None, hexs(devnet.node.head().hash)]) \
        == [hexs(k) for k in keys]
    assert len(client.call("state_getKeysPaged", [None, 1000])) == len(devnet.node.head().state)
    error = client.error("state_getKeysPaged", ["0xbb", 1001])
    assert error == {"code": 4002, "message": "count exceeds maximum value. value: 1001, max: 1000"}
    assert client.error("state_getKeysPaged", ["0xbb"])["code"] == -32602
    assert client.error("state_getKeysPaged", ["0xbb", -1])["code"] == -32602
    assert client.call("state_getKeys", ["0xbb"]) == [hexs(k) for k in keys]
    assert client.call("state_getPairs", ["0xbb00"]) == [["0xbb00", "0x01"]]


def test_state_get_keys_pages_past_a_thousand(devnet, client):
    keys = [b"\xcc" + i.to_bytes(2, "big") for i in range(2100)]
    devnet.call(devnet.node.produce, {k: b"\x01" for k in keys})
    assert client.call("state_getKeys", ["0xcc"]) == [hexs(k) for k in keys]


def test_state_call(devnet, client):
    assert client.call("state_call", ["Echo_echo", "0x0102"]) == "0x0102"
    assert client.call("state_callAt", ["Echo_echo", "0x", hexs(devnet.node.head().hash)]) == "0x"
    error = client.error("state_call", ["Nope_nope", "0x"])
    assert error["code"] == 4003 and "not found" in error["message"]
    assert client.error("state_call", ["Echo_echo"])["code"] == -32602
    assert client.error("state_call", [5, "0x"])["code"] == -32602


def test_named_params(devnet, client):
    assert client.call("state_call", {"name": "Echo_echo", "bytes": "0x09"}) == "0x09"
    assert client.error("state_call", {"nme": "Echo_echo", "bytes": "0x09"})["code"] == -32602


# --- subscriptions ---------------------------------------------------------------------------

@pytest.mark.parametrize("subscribe,unsubscribe,notification", [
    ("chain_subscribeNewHeads", "chain_unsubscribeNewHeads", "chain_newHead"),
    ("chain_subscribeNewHead", "chain_unsubscribeNewHead", "chain_newHead"),
    ("subscribe_newHead", "unsubscribe_newHead", "chain_newHead"),
    ("chain_subscribeAllHeads", "chain_unsubscribeAllHeads", "chain_allHead"),
    ("chain_subscribeFinalizedHeads", "chain_unsubscribeFinalizedHeads", "chain_finalizedHead"),
    ("chain_subscribeFinalisedHeads", "chain_unsubscribeFinalisedHeads", "chain_finalizedHead"),
])
def test_head_subscriptions(devnet, client, subscribe, unsubscribe, notification):
    sub_id = client.call(subscribe, [])
    assert isinstance(sub_id, str) and len(sub_id) == 16
    first = client.notification(sub_id)
    assert first == {"jsonrpc": "2.0", "method": notification,
                     "params": {"subscription": sub_id, "result": devnet.node.head().header_json}}
    b1 = devnet.call(devnet.node.produce)
    assert client.notification(sub_id)["params"]["result"] == b1.header_json
    assert client.call(unsubscribe, [sub_id]) is True
    assert client.call(unsubscribe, [sub_id]) is False
    devnet.call(devnet.node.produce)
    client.no_message()


def test_unsubscribe_of_another_kind_or_unknown_id_is_false(client):
    sub_id = client.call("chain_subscribeNewHeads")
    assert client.call("chain_unsubscribeFinalizedHeads", [sub_id]) is False
    assert client.call("chain_unsubscribeNewHeads", ["nope"]) is False
    assert client.error("chain_unsubscribeNewHeads", [])["code"] == -32602
    assert client.call("chain_unsubscribeNewHeads", [sub_id]) is True


def test_subscriptions_belong_to_their_connection(devnet, client):
    other = devnet.client()
    try:
        sub_id = other.call("chain_subscribeNewHeads")
        assert client.call("chain_unsubscribeNewHeads", [sub_id]) is False
        devnet.call(devnet.node.produce)
        client.no_message()
        assert other.notification(sub_id)   # the initial head
        assert other.notification(sub_id)["params"]["result"]["number"] == "0x1"
    finally:
        other.close()


def test_closing_a_connection_removes_its_listeners(devnet):
    c = devnet.client()
    for method in ["chain_subscribeNewHeads", "chain_subscribeFinalizedHeads",
                   "state_subscribeStorage", "state_subscribeRuntimeVersion"]:
        c.call(method)
    listeners = devnet.node.listeners
    assert len(listeners["head"]) == 2 and len(listeners["finalized"]) == 1
    assert len(listeners["storage"]) == 1
    c.close()
    wait_until(lambda: not any(listeners.values()))
    wait_until(lambda: devnet.server.connection_count == 0)


def test_server_close_removes_listeners(devnet):
    c = devnet.client()
    c.call("chain_subscribeNewHeads")
    devnet.run(devnet.server.close())
    assert not any(devnet.node.listeners.values())
    c.close()


def test_storage_subscription(devnet, client):
    a, b = b"\xdd\x01", b"\xdd\x02"
    head = devnet.node.head()
    sub_id = client.call("state_subscribeStorage", [[hexs(a), hexs(b)]])
    first = client.notification(sub_id)
    assert first["method"] == "state_storage"
    assert first["params"]["result"] == {"block": hexs(head.hash),
                                         "changes": [[hexs(a), None], [hexs(b), None]]}
    b1 = devnet.call(devnet.node.produce, {b: b"\x02"})
    assert client.notification(sub_id)["params"]["result"] == {
        "block": hexs(b1.hash), "changes": [[hexs(b), "0x02"]]}
    devnet.call(devnet.node.produce)   # neither key changes: nothing is sent
    b3 = devnet.call(devnet.node.produce, {a: b"\x01", b: None})
    assert client.notification(sub_id)["params"]["result"] == {
        "block": hexs(b3.hash), "changes": [[hexs(a), "0x01"], [hexs(b), None]]}
    assert client.call("state_unsubscribeStorage", [sub_id]) is True
    devnet.call(devnet.node.produce, {a: b"\x09"})
    client.no_message()


def test_storage_subscription_to_all_keys(devnet, client):
    sub_id = client.call("state_subscribeStorage")   # no keys: no initial set, every change
    b1 = devnet.call(devnet.node.produce, {b"\xee": b"\x01"})
    result = client.notification(sub_id)["params"]["result"]
    assert result["block"] == hexs(b1.hash)
    assert result["changes"] == [[hexs(COUNTER_KEY), "0x01"], ["0xee", "0x01"]]
    head = devnet.call(devnet.node.dev_set_storage, [(b"\xef", b"\x02")])
    assert client.notification(sub_id)["params"]["result"] == {
        "block": hexs(head), "changes": [["0xef", "0x02"]]}


def test_runtime_version_subscription(devnet, client):
    for subscribe, unsubscribe in [("state_subscribeRuntimeVersion", "state_unsubscribeRuntimeVersion"),
                                   ("chain_subscribeRuntimeVersion", "chain_unsubscribeRuntimeVersion")]:
        sub_id = client.call(subscribe)
        first = client.notification(sub_id)
        assert first["method"] == "state_runtimeVersion"
        assert first["params"]["result"]["specVersion"] == devnet.node.spec_version
        devnet.call(devnet.node.produce)
        client.no_message()   # same runtime: nothing new

        def upgrade():
            devnet.node.spec_version += 1
            devnet.node.produce()
        devnet.call(upgrade)
        assert client.notification(sub_id)["params"]["result"]["specVersion"] == \
            devnet.node.spec_version
        assert client.call(unsubscribe, [sub_id]) is True


# --- author_* --------------------------------------------------------------------------------

def test_submit_and_watch_reply_comes_before_statuses(devnet, client):
    """The fake node reports ready/inBlock/finalized inside submit(), before the reply exists."""
    client.send({"jsonrpc": "2.0", "id": 42, "method": "author_submitAndWatchExtrinsic",
                 "params": ["0x0102"]})
    reply = client.recv()
    assert reply["id"] == 42 and isinstance(reply["result"], str)
    sub_id = reply["result"]
    statuses = [client.recv() for _ in range(3)]
    for message in statuses:
        assert message["method"] == "author_extrinsicUpdate"
        assert message["params"]["subscription"] == sub_id
    block = devnet.node.head()
    assert [m["params"]["result"] for m in statuses] == [
        "ready", {"inBlock": hexs(block.hash)}, {"finalized": hexs(block.hash)}]
    assert block.extrinsics == [b"\x02\x01\x02"]
    # finalized is final: the subscription is over
    assert client.call("author_unwatchExtrinsic", [sub_id]) is False


def test_submit_and_watch_later_statuses_and_unwatch(devnet, client):
    devnet.node.instant = False
    sub_id = client.call("author_submitAndWatchExtrinsic", ["0x0a"])
    assert client.notification(sub_id)["params"]["result"] == "ready"
    head = devnet.call(devnet.node.dev_new_block, 1)
    assert client.notification(sub_id)["params"]["result"] == {"inBlock": hexs(head)}
    assert client.call("author_unwatchExtrinsic", [sub_id]) is True
    second = client.call("author_submitAndWatchExtrinsic", ["0x0b"])
    client.notification(second)
    assert client.call("author_unwatchExtrinsic", [second]) is True
    devnet.call(devnet.node.dev_new_block, 1)
    client.no_message()


def test_submit_errors(client):
    error = client.error("author_submitAndWatchExtrinsic", [hexs(BAD_SIGNATURE + b"\x01")])
    assert error == {"code": 1010, "message": "Invalid Transaction",
                     "data": "Transaction has a bad signature"}
    client.no_message()   # no subscription, no notification
    assert client.error("author_submitExtrinsic", [hexs(BAD_SIGNATURE)])["code"] == 1010
    assert client.error("author_submitExtrinsic", ["0x12z"])["code"] == -32602
    assert client.error("author_submitAndWatchExtrinsic", [])["code"] == -32602


def test_submit_extrinsic_and_pending(devnet, client):
    xt_hash = client.call("author_submitExtrinsic", ["0x0c0d"])
    assert xt_hash == hexs(hashlib.blake2b(b"\x0c\x0d", digest_size=32).digest())
    assert client.call("author_pendingExtrinsics") == []


def test_payment_query_info(devnet, client):
    assert client.call("payment_queryInfo", ["0x010203"]) == {
        "weight": {"ref_time": 3000, "proof_size": 0}, "class": "normal", "partialFee": "300"}
    at = hexs(devnet.node.head().hash)
    assert client.call("payment_queryInfo", ["0x01", at])["partialFee"] == "100"
    assert client.error("payment_queryInfo", [])["code"] == -32602


# --- dev_* -----------------------------------------------------------------------------------

def test_dev_new_block(devnet, client):
    head = client.call("dev_newBlock")
    assert head == hexs(devnet.node.head().hash) and devnet.node.head().number == 1
    assert client.call("dev_newBlock", [{"count": 3}]) == hexs(devnet.node.head().hash)
    assert devnet.node.head().number == 4
    client.call("dev_newBlock", [{"to": 6, "transactions": []}])
    assert devnet.node.head().number == 6
    for wrong in [[{"count": "2"}], [{"count": 0}], [{"unsafeBlockHeight": 9}], [5]]:
        assert client.error("dev_newBlock", wrong)["code"] == -32602, wrong


def test_dev_set_storage(devnet, client):
    head = client.call("dev_setStorage", [[["0xab", "0x01"], ["0xac", None]]])
    assert head == hexs(devnet.node.head().hash)
    assert client.call("state_getStorage", ["0xab"]) == "0x01"
    client.call("dev_setStorage", [[["0xab", None]], head])
    assert client.call("state_getStorage", ["0xab"]) is None
    error = client.error("dev_setStorage", [{"System": {"Account": []}}])
    assert error["code"] == -32602 and "raw form" in error["data"]
    for wrong in [[[["0xab"]]], [[["zz", "0x01"]]], [[["0xab", 1]]], ["0xab"], []]:
        assert client.error("dev_setStorage", wrong)["code"] == -32602, wrong


def test_dev_set_head_snapshot_revert(devnet, client):
    snapshot = client.call("dev_snapshot")
    assert isinstance(snapshot, str)
    client.call("dev_newBlock", [{"count": 3}])
    b1 = devnet.node.chain[1]
    assert client.call("dev_setHead", [hexs(b1.hash)]) == hexs(b1.hash)
    assert client.call("chain_getHeader")["number"] == "0x1"
    client.call("dev_newBlock", [{"count": 2}])
    assert client.call("dev_setHead", [2]) == hexs(devnet.node.chain[2].hash)
    assert client.call("dev_setHead", [-1]) == hexs(devnet.node.chain[1].hash)
    assert client.call("dev_revert", [snapshot]) is None
    assert client.call("chain_getHeader")["number"] == "0x0"
    assert client.error("dev_revert", ["nope"])["code"] == 1
    assert client.error("dev_setHead", ["0x12"])["code"] == -32602
    assert client.error("dev_setHead", [-5])["code"] == -32602


# --- errors and robustness -------------------------------------------------------------------

def test_parse_error(client):
    for raw in ["{not json", "", '{"jsonrpc": "2.0", "id": 1,', b"\xff\xfe{"]:
        client.send(raw)
        assert client.recv() == {"jsonrpc": "2.0", "id": None,
                                 "error": {"code": -32700, "message": "Parse error"}}
    assert client.call("system_chain") == "Fake Chain"


@pytest.mark.parametrize("request_, reply_id", [
    (5, None),
    (json.dumps("hello"), None),
    ({"jsonrpc": "2.0", "id": 3}, 3),
    ({"jsonrpc": "1.0", "id": 4, "method": "system_chain"}, 4),
    ({"id": 5, "method": "system_chain"}, 5),
    ({"jsonrpc": "2.0", "id": 6, "method": 7}, 6),
    ({"jsonrpc": "2.0", "id": 8, "method": "system_chain", "params": "x"}, 8),
    ({"jsonrpc": "2.0", "id": {"a": 1}, "method": "system_chain"}, None),
])
def test_invalid_request(client, request_, reply_id):
    client.send(request_)
    assert client.recv() == {"jsonrpc": "2.0", "id": reply_id,
                             "error": {"code": -32600, "message": "Invalid request"}}
    assert client.call("system_chain") == "Fake Chain"


def test_method_not_found(client):
    assert client.error("system_nope") == {"code": -32601, "message": "Method not found"}


def test_invalid_params(client):
    error = client.error("system_chain", [1])
    assert error["code"] == -32602 and error["message"] == "Invalid params"
    assert "at most 0" in error["data"]
    error = client.error("state_getStorage", ["0xq1"])
    assert error["code"] == -32602 and "not hex" in error["data"]
    # like a node (impl-serde), unprefixed and odd-length hex are read, not refused
    assert "error" not in client.request("state_getStorage", ["1234"])
    assert "error" not in client.request("state_getStorage", ["0x123"])
    assert client.error("state_getStorage", [])["data"] == "missing required param 0 (key)"
    assert client.error("state_getStorage", ["0x12", "0x1234"])["code"] == -32602


def test_string_and_null_ids_are_echoed(client):
    client.send({"jsonrpc": "2.0", "id": "abc", "method": "system_chain"})
    assert client.recv() == {"jsonrpc": "2.0", "id": "abc", "result": "Fake Chain"}
    client.send({"jsonrpc": "2.0", "id": None, "method": "system_chain"})
    assert client.recv() == {"jsonrpc": "2.0", "id": None, "result": "Fake Chain"}


def test_notification_requests_get_no_reply(devnet, client):
    client.send({"jsonrpc": "2.0", "method": "dev_newBlock"})
    client.no_message()
    assert devnet.node.head().number == 0


def test_internal_error_does_not_kill_the_connection(client):
    error = client.error("state_call", ["Boom_boom", "0x"])
    assert error["code"] == -32603 and error["message"] == "Internal error"
    assert "ZeroDivisionError" in error["data"]
    assert client.call("system_chain") == "Fake Chain"


def test_batch_requests(devnet, client):
    client.send([
        {"jsonrpc": "2.0", "id": 1, "method": "system_chain"},
        {"jsonrpc": "2.0", "method": "system_chain"},   # notification: no reply
        {"jsonrpc": "2.0", "id": 2, "method": "system_nope"},
        {"jsonrpc": "2.0", "id": 3, "method": "chain_getBlockHash", "params": [0]},
        7,
    ])
    replies = client.recv()
    assert replies == [
        {"jsonrpc": "2.0", "id": 1, "result": "Fake Chain"},
        {"jsonrpc": "2.0", "id": 2, "error": {"code": -32601, "message": "Method not found"}},
        {"jsonrpc": "2.0", "id": 3, "result": hexs(devnet.node.chain[0].hash)},
        {"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Invalid request"}},
    ]
    client.send([])
    assert client.recv()["error"]["code"] == -32600
    client.send([{"jsonrpc": "2.0", "method": "system_chain"}])
    client.no_message()


def test_batch_with_subscription_sends_reply_first(devnet, client):
    client.send([{"jsonrpc": "2.0", "id": 1, "method": "chain_subscribeNewHeads"},
                 {"jsonrpc": "2.0", "id": 2, "method": "author_submitAndWatchExtrinsic",
                  "params": ["0x01"]}])
    replies = client.recv()
    assert [r["id"] for r in replies] == [1, 2]
    heads_id, watch_id = replies[0]["result"], replies[1]["result"]
    messages = [client.recv() for _ in range(5)]
    heads = [m["params"]["result"]["number"] for m in messages
             if m["params"]["subscription"] == heads_id]
    statuses = [m["params"]["result"] for m in messages if m["params"]["subscription"] == watch_id]
    assert heads == ["0x0", "0x1"] and statuses[0] == "ready" and len(statuses) == 3


def test_binary_frames_are_accepted(client):
    client.send(json.dumps({"jsonrpc": "2.0", "id": 1, "method": "system_chain"}).encode())
    assert client.recv()["result"] == "Fake Chain"


def test_oversized_request_gets_an_error_and_the_connection_stays(devnet, client):
    limit = devnet.server.max_message_size
    big = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_call",
                      "params": ["Echo_echo", "0x" + "00" * (limit // 2 + 10)]})
    assert limit < len(big) <= 2 * limit
    client.send(big)
    assert client.recv() == {"jsonrpc": "2.0", "id": None, "error": {
        "code": -32007, "message": "Request is too big", "data": f"Exceeded max limit of {limit}"}}
    assert client.call("system_chain") == "Fake Chain"


def test_huge_message_closes_with_1009_and_the_server_goes_on(devnet, client):
    client.send("x" * (2 * devnet.server.max_message_size + 1))
    with pytest.raises(ConnectionClosed) as closed:
        client.ws.recv(timeout=TIMEOUT)
    assert closed.value.rcvd.code == 1009
    other = devnet.client()
    assert other.call("system_chain") == "Fake Chain"
    other.close()


def test_server_keeps_serving_after_bad_input(devnet, client):
    for bad in ["{", "[]", "[1,2]", "null", '"x"', json.dumps({"id": 1}),
                json.dumps({"jsonrpc": "2.0", "id": 1, "method": "state_call", "params": [None]}),
                json.dumps({"jsonrpc": "2.0", "id": 2, "method": "state_call",
                            "params": ["Boom_boom", "0x"]}),
                "[" * 100_000 + "]" * 100_000]:
        client.send(bad)
        reply = client.recv()
        assert "error" in (reply[0] if isinstance(reply, list) else reply), bad
    sub_id = client.call("chain_subscribeNewHeads")
    client.notification(sub_id)
    devnet.call(devnet.node.produce)
    assert client.notification(sub_id)["params"]["result"]["number"] == "0x1"
    other = devnet.client()
    assert other.call("system_chain") == "Fake Chain"
    other.close()


# --- unmodified clients, without metadata ------------------------------------------------------

def test_substrate_interface_transport(devnet):
    """substrate-interface's own WebSocket transport: plain calls, a watched extrinsic, errors."""
    from substrateinterface import SubstrateInterface
    from substrateinterface.exceptions import SubstrateRequestException

    si = SubstrateInterface(url=devnet.server.url, auto_discover=False, use_remote_preset=False)
    try:
        assert (si.chain, si.name, si.properties["ss58Format"]) == ("Fake Chain", "fake-devnet", 2)
        statuses = []

        def on_status(message, update_nr, subscription_id):
            statuses.append(message["params"]["result"])
            return message if "finalized" in message["params"]["result"] else None
        si.rpc_request("author_submitAndWatchExtrinsic", ["0x0102"], result_handler=on_status)
        head = hexs(devnet.node.head().hash)
        assert statuses == ["ready", {"inBlock": head}, {"finalized": head}]
        with pytest.raises(SubstrateRequestException) as error:
            si.rpc_request("author_submitExtrinsic", [hexs(BAD_SIGNATURE)])
        assert error.value.args[0]["code"] == 1010
    finally:
        si.close()


POLKADOT_JS_SCRIPT = r"""
const { WsProvider } = require('@polkadot/rpc-provider');
const timeout = (ms) => new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), ms));
(async () => {
  const provider = new WsProvider(process.env.URL, false);
  await provider.connect();
  await Promise.race([provider.isReady, timeout(5000)]);
  const out = { chain: await provider.send('system_chain', []), statuses: [] };
  await Promise.race([timeout(5000), new Promise((resolve, reject) => {
    provider.subscribe('author_extrinsicUpdate', 'author_submitAndWatchExtrinsic', ['0x0102'],
      (err, status) => {
        if (err) return reject(err);
        out.statuses.push(status);
        if (status && status.finalized) resolve();
      }).catch(reject);
  })]);
  try { await provider.send('author_submitExtrinsic', ['0xff']); } catch (e) { out.error = e.message; }
  console.log(JSON.stringify(out));
  await provider.disconnect();
  process.exit(0);
})().catch((e) => { console.error(e); process.exit(1); });
"""


def test_polkadot_js_provider(devnet):
    """@polkadot/api's WsProvider (what ApiPromise runs on): calls, subscription, error text."""
    import os
    import shutil
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    if not shutil.which("node") or not (root / "node_modules/@polkadot/rpc-provider").is_dir():
        pytest.skip("node or node_modules/@polkadot/rpc-provider not installed")
    run = subprocess.run(["node", "-e", POLKADOT_JS_SCRIPT], cwd=root, capture_output=True,
                         text=True, timeout=30, env={**os.environ, "URL": devnet.server.url})
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    head = hexs(devnet.node.head().hash)
    assert out == {"chain": "Fake Chain",
                   "statuses": ["ready", {"inBlock": head}, {"finalized": head}],
                   "error": "1010: Invalid Transaction: Transaction has a bad signature"}
