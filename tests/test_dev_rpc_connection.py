"""The kept JSON-RPC connection a running network uses for dev RPCs (harness/providers/connection.py), the
per-process keypair and metadata caches (harness/client/keys.py, harness/client/substrate.py)."""
from __future__ import annotations

import json
import threading
import time
from contextlib import contextmanager

import pytest
from websockets.sync.server import serve

from devnet_network import devnet_clients, devnet_network  # noqa: F401 - fixtures
from harness.client import substrate as substrate_module
from harness.client.keys import keypair_from_uri
from harness.client.substrate import Substrate
from harness.errors import ChainCallError
from harness.providers.base import RunningNetwork
from harness.providers.connection import KeptConnection, call_once


class EchoChain:
    """A JSON-RPC server that answers every request with its method name, counting the connections it got;
    `silent` methods get no answer, `late` ones are answered only after the next request arrives."""

    def __init__(self, silent: tuple[str, ...] = (), late: tuple[str, ...] = ()) -> None:
        self.connections, self.requests = 0, []
        self.silent, self.late = silent, late
        self._held: list[str] = []

    def handle(self, ws) -> None:
        self.connections += 1
        for message in ws:
            request = json.loads(message)
            self.requests.append(request["method"])
            for held in self._held:
                ws.send(held)
            self._held.clear()
            if request["method"] == "fail":
                ws.send(json.dumps({"jsonrpc": "2.0", "id": request["id"],
                                    "error": {"code": -32000, "message": "no", "data": "the words"}}))
            elif request["method"] in self.late:
                self._held.append(json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": "late"}))
            elif request["method"] not in self.silent:
                ws.send(json.dumps({"jsonrpc": "2.0", "id": request["id"], "result": request["method"]}))


@contextmanager
def echo_server(chain: EchoChain):
    with serve(chain.handle, "127.0.0.1", 0) as server:
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"ws://127.0.0.1:{server.socket.getsockname()[1]}"
        finally:
            server.shutdown()
            thread.join(5)


def test_a_network_makes_its_dev_rpcs_on_one_connection_per_chain():
    chain = EchoChain()
    with echo_server(chain) as url:
        network = RunningNetwork(spec=None, provider="attach", endpoints={"a": url, "b": url})
        answers = [network.rpc("a", "dev_newBlock", []), network.rpc("a", "dev_setHead", []),
                   network.rpc("b", "dev_newBlock", []), network.rpc("a", "chain_getBlockHash", [])]
        network.stop()
        assert answers == ["dev_newBlock", "dev_setHead", "dev_newBlock", "chain_getBlockHash"]
        assert chain.connections == 2  # one for 'a', one for 'b'


def test_a_connection_the_server_closed_is_opened_again():
    chain = EchoChain()
    with echo_server(chain) as url:
        connection = KeptConnection(url, "a")
        assert connection.call("one", []) == "one"
        connection._ws.close()  # as a server going away between two calls leaves it: closed
        assert connection.call("two", []) == "two"
        connection.close()
    assert chain.connections == 2 and chain.requests == ["one", "two"]


def test_a_call_without_an_answer_fails_in_time_and_is_not_sent_again():
    chain = EchoChain(silent=("dev_newBlock",))
    with echo_server(chain) as url:
        connection = KeptConnection(url, "kusama")
        started = time.monotonic()
        with pytest.raises(ChainCallError) as raised:
            connection.call("dev_newBlock", [], timeout=0.3)
        assert time.monotonic() - started < 3
        assert str(raised.value).startswith("kusama: dev_newBlock got no answer")
        assert connection.call("next", [], timeout=2) == "next"  # a fresh connection answers
        connection.close()
    assert chain.requests == ["dev_newBlock", "next"]  # never sent twice


def test_a_late_answer_to_an_earlier_call_does_not_answer_the_next_one():
    chain = EchoChain(late=("slow",))
    with echo_server(chain) as url:
        connection = KeptConnection(url, "a")
        with pytest.raises(ChainCallError):
            connection.call("slow", [], timeout=0.3)
        assert connection.call("quick", [], timeout=2) == "quick"
        connection.close()


def test_an_error_reply_is_one_chain_call_error_with_the_servers_words():
    chain = EchoChain()
    with echo_server(chain) as url:
        with pytest.raises(ChainCallError) as raised:
            call_once(url, "fail", [], name="kusama")
    assert str(raised.value) == "kusama: fail failed: no: the words; hint: check the chain's log"


def test_an_endpoint_nobody_listens_on_is_one_chain_call_error():
    with pytest.raises(ChainCallError) as raised:
        call_once("ws://127.0.0.1:9", "chain_getHeader", [], timeout=2, name="kusama")
    assert str(raised.value).startswith("cannot reach kusama at ws://127.0.0.1:9")


def test_calls_from_two_threads_each_get_their_own_answer():
    chain = EchoChain()
    with echo_server(chain) as url:
        connection = KeptConnection(url, "a")
        answers: dict[str, list] = {"x": [], "y": []}

        def call_many(name: str) -> None:
            for i in range(50):
                answers[name].append(connection.call(f"{name}{i}", []))

        threads = [threading.Thread(target=call_many, args=(name,)) for name in answers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        connection.close()
    assert answers == {name: [f"{name}{i}" for i in range(50)] for name in answers}


def test_a_keypair_is_derived_once_per_uri_and_format():
    keypair_from_uri.cache_clear()
    first = keypair_from_uri("//Alice", 2)
    assert keypair_from_uri("//Alice", 2) is first
    assert keypair_from_uri("//Alice", 0) is not first
    assert keypair_from_uri("//Alice", 0).public_key == first.public_key
    assert keypair_from_uri.cache_info().misses == 2


def test_a_second_client_of_a_chain_reuses_the_decoded_metadata_and_reads_like_the_first(devnet_network):
    url = devnet_network.endpoints["kusama-asset-hub"]
    first = Substrate(url, 10)
    first.init_runtime()
    second = Substrate(url, 10)
    decodes = []
    real = substrate_module.ScaleBytes
    substrate_module.ScaleBytes = lambda data: decodes.append(1) or real(data)
    try:
        second.init_runtime()
    finally:
        substrate_module.ScaleBytes = real
    try:
        assert decodes == []  # nothing decoded again
        assert second.metadata is first.metadata
        alice = keypair_from_uri("//Alice", second.ss58_format).ss58_address
        assert second.query("System", "Account", [alice]).value == first.query("System", "Account", [alice]).value
        call = second.compose_call("Balances", "transfer_keep_alive", {"dest": alice, "value": 1})
        assert call.data.to_hex() == first.compose_call("Balances", "transfer_keep_alive",
                                                        {"dest": alice, "value": 1}).data.to_hex()
    finally:
        first.close()
        second.close()
