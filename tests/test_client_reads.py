"""What the chain client reads once: a block's events, header and runtime version, and the decoder classes of a
runtime's type strings; and what it reads again: the head, and every class after its registry changed."""
from __future__ import annotations

import pytest
from substrateinterface import SubstrateInterface

from devnet_network import devnet_clients, devnet_network  # noqa: F401 - fixtures
from harness.client.substrate import TypeClasses


@pytest.fixture
def requests(monkeypatch) -> list[tuple[str, list]]:
    """Every JSON-RPC request that reaches a node."""
    sent: list[tuple[str, list]] = []
    real = SubstrateInterface.rpc_request

    def counted(self, method, params, result_handler=None):
        sent.append((method, params))
        return real(self, method, params, result_handler)

    monkeypatch.setattr(SubstrateInterface, "rpc_request", counted)
    return sent


def test_a_blocks_events_are_read_once_and_the_head_every_time(devnet_clients, requests):  # noqa: F811
    client = devnet_clients["kusama"]
    number, block_hash = client.head()
    first = client.events(block_hash)
    requests.clear()
    assert client.events(block_hash) == first
    assert requests == []
    assert client.head() == (number, block_hash)
    assert [method for method, _ in requests] == ["chain_getBlockHash"]  # its header was kept


def test_a_blocks_header_and_runtime_version_are_asked_once(devnet_clients, requests):  # noqa: F811
    client = devnet_clients["kusama"]
    _, block_hash = client.head()
    client.api.init_runtime(block_hash=block_hash)
    client.api.block_hash = None  # substrate-interface's own shortcut: the last block it looked at
    requests.clear()
    client.api.init_runtime(block_hash=block_hash)
    assert requests == []


def test_block_hashes_of_many_blocks_are_one_request(devnet_clients, requests):  # noqa: F811
    client = devnet_clients["kusama"]
    head = client.head_number()
    requests.clear()
    assert client.block_hashes([0, head]) == [client.api.get_block_hash(0), client.head()[1]]
    assert requests[0] == ("chain_getBlockHash", [[0, head]])


def test_a_type_strings_class_is_built_once_until_the_registry_changes():
    config = TypeClasses()
    built = config.get_decoder_class("Vec<u32>")
    assert config.get_decoder_class("Vec<u32>") is built
    config.update_type_registry_types({"Balance": "u64"})
    rebuilt = config.get_decoder_class("Vec<u32>")
    assert rebuilt is not built and rebuilt.sub_type == "u32"
    assert config.get_decoder_class("Balance") is config.get_decoder_class("u64")


def test_a_changed_alias_is_seen_by_the_next_lookup():
    config = TypeClasses()
    config.update_type_registry_types({"Amount": "u32"})
    assert config.get_decoder_class("Amount") is config.get_decoder_class("u32")
    config.update_type_registry_types({"Amount": "u128"})
    assert config.get_decoder_class("Amount") is config.get_decoder_class("u128")
