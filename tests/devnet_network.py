"""The devnet (networks/kusama-polkadot.yaml) for the tests that need real runtime metadata and real XCM,
started once per test process and started again if something stopped it (tests/test_providers.py stops every
live process): `from devnet_network import devnet_clients, devnet_network`."""
from __future__ import annotations

import atexit
from functools import cache
from pathlib import Path

import pytest

from harness.engine.pool import NetworkPool
from harness.network.topology import load_network
from harness.settings import Settings

NETWORK_FILE = Path(__file__).resolve().parent.parent / "harness" / "networks" / "kusama-polkadot.yaml"


@cache
def _pool() -> NetworkPool:
    pool = NetworkPool(Settings.from_env())
    atexit.register(pool.stop)
    return pool


@pytest.fixture
def devnet_network():
    return _pool().get(load_network(NETWORK_FILE))[0]


@pytest.fixture
def devnet_clients():
    return _pool().get(load_network(NETWORK_FILE))[1]
