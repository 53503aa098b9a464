"""Each chain keeps the state of its last `state_pruning` blocks, as a node run with `--state-pruning N`:
reads, snapshots and reverts work inside the window; older state gets the node's "State already discarded"."""
from __future__ import annotations

import pytest
import yaml
from substrateinterface import Keypair

from harness.network.catalog import BUILTIN_DIR
from harness.devnet.chain import STATE_PRUNING, Chain
from harness.devnet.devnet_config import build_config
from harness.devnet.node import RpcFailure
from harness.devnet.runtimes.presets import default_config
from harness.network.topology import load_network
from harness.scenario.positions import ScenarioErrors

WINDOW = 4
ALICE = Keypair.create_from_uri("//Alice")
BOB = Keypair.create_from_uri("//Bob")


def make(window: int = WINDOW) -> Chain:
    return Chain(default_config("kusama"), mode="manual", genesis_timestamp_ms=1_700_000_000_000,
                 state_pruning=window)


def transfer(chain: Chain, value: int) -> None:
    """One signed transfer, so blocks write more than the inherents' keys."""
    call = {"Balances": {"transfer_keep_alive": {"dest": {"Id": BOB.public_key}, "value": value}}}
    chain.submit(chain.executive.format.encode_signed(call, ALICE.public_key, ALICE.sign,
                                                      nonce=chain.account_next_index(ALICE.public_key),
                                                      genesis_hash=chain.block_by_number(0).hash))


def build(chain: Chain, count: int) -> list[dict]:
    """Builds `count` blocks (a transfer in every other one) and returns each one's state, read while it was head."""
    states = []
    for n in range(count):
        if n % 2:
            transfer(chain, 10 ** 10 + n)
        chain.build_block()
        states.append(dict(chain.head().state))
    return states


def discarded(block_hash: bytes) -> str:
    return f"Client error: UnknownBlock: State already discarded for 0x{block_hash.hex()}"


def test_the_default_window_is_a_nodes_default():
    assert STATE_PRUNING == 256 and make.__defaults__ == (WINDOW,)
    assert Chain(default_config("kusama")).state_pruning == 256


def test_blocks_inside_the_window_read_the_state_they_had():
    chain = make()
    states = build(chain, 12)
    head = chain.head().number
    for number in range(head - WINDOW + 1, head + 1):
        block = chain.block_by_number(number)
        assert dict(block.state) == states[number - 1]
        key = next(iter(states[number - 1]))
        assert chain.storage(key, at=block.hash) == states[number - 1][key]
    # the keys RPC at an older block sees that block's keys, not the head's
    oldest = chain.block_by_number(head - WINDOW + 1)
    assert chain.keys_paged(b"", 10_000, None, at=oldest.hash) == sorted(states[head - WINDOW])


def test_a_block_outside_the_window_gets_the_nodes_error():
    chain = make()
    build(chain, 10)
    pruned = chain.block_by_number(chain.head().number - WINDOW)
    for read in (lambda: chain.storage(b"\x00" * 32, at=pruned.hash), lambda: chain.metadata(at=pruned.hash),
                 lambda: chain.keys_paged(b"", 1, None, at=pruned.hash)):
        with pytest.raises(RpcFailure) as info:
            read()
        assert (info.value.code, str(info.value)) == (4003, discarded(pruned.hash))
    # the block itself (header, body) stays, as with a node's default blocks pruning (archive-canonical)
    assert chain.block_by_hash(pruned.hash) is pruned and pruned.header


def test_snapshot_and_revert_inside_the_window():
    chain = make()
    build(chain, 6)
    taken_at = dict(chain.head().state)
    snapshot = chain.snapshot()
    build(chain, WINDOW - 1)
    chain.revert(snapshot)
    assert dict(chain.head().state) == taken_at
    fork = build(chain, WINDOW + 2)  # a new branch on the reverted head, past the window
    assert dict(chain.head().state) == fork[-1]


def test_revert_to_a_snapshot_older_than_the_window_fails_and_changes_nothing():
    chain = make()
    build(chain, 2)
    snapshot = chain.snapshot()
    old_head = chain.head()
    build(chain, WINDOW + 1)
    head = chain.head()
    with pytest.raises(RpcFailure) as info:
        chain.revert(snapshot)
    assert (info.value.code, str(info.value)) == (4003, discarded(old_head.hash))
    assert chain.head() is head
    with pytest.raises(RpcFailure):
        chain.dev_set_head(old_head.number)


def test_abandoned_branches_are_pruned_too():
    chain = make()
    build(chain, 2)
    snapshot = chain.snapshot()
    build(chain, 2)
    abandoned = chain.head()
    chain.revert(snapshot)
    build(chain, WINDOW + 2)
    with pytest.raises(RpcFailure):
        chain.storage(b"\x00" * 32, at=abandoned.hash)


def network(tmp_path, **devnet) -> object:
    data = yaml.safe_load((BUILTIN_DIR / "kusama-polkadot.yaml").read_text())
    data.setdefault("providers", {}).setdefault("devnet", {}).update(devnet)
    path = tmp_path / "network.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return load_network(path)


def test_the_window_is_set_per_network(tmp_path):
    assert build_config(network(tmp_path)).state_pruning == 256
    assert build_config(network(tmp_path, state_pruning=1000)).state_pruning == 1000


@pytest.mark.parametrize("bad", [0, -3, "many", True])
def test_a_bad_window_is_one_positioned_error(tmp_path, bad):
    with pytest.raises(ScenarioErrors) as info:
        build_config(network(tmp_path, state_pruning=bad))
    error, = info.value.errors
    assert error.path == ("providers", "devnet", "state_pruning") and "state_pruning must be" in error.message
