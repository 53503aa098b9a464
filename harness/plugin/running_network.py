"""Plugin: options for networks and providers, the session's network pool, and cleanup on every exit."""
from __future__ import annotations

import atexit
import dataclasses
import signal
import threading

import pytest

from ..engine.pool import NetworkPool
from ..providers.process import stop_all
from ..providers.registry import PROVIDERS
from ..settings import Settings

POOL_KEY = pytest.StashKey[NetworkPool]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "bridge harness networks")
    group.addoption("--network", help="run every scenario on this network (name in networks/, or a path)")
    group.addoption("--provider", help=f"bring networks up with this provider: {', '.join(PROVIDERS)}")
    group.addoption("--endpoints-file", help="JSON/YAML file of chain -> ws:// URL, for --provider attach")
    group.addoption("--dev-rpcs", action="store_true", default=None,
                    help="the attached chains are dev chains (chopsticks, devnet) that take dev_setStorage and "
                         "dev_newBlock, for --provider attach")
    group.addoption("--startup-timeout", type=float, help="seconds a network may take to come up")
    group.addoption("--step-timeout", type=float, help="seconds one step (inclusion, delivery, wait) may take")


def _sigterm(signum, frame):  # pragma: no cover - exercised through a subprocess in tests
    raise KeyboardInterrupt


def pytest_configure(config: pytest.Config) -> None:
    settings = Settings.from_env()
    overrides = {k: v for k, v in (("startup_timeout", config.getoption("startup_timeout")),
                                   ("step_timeout", config.getoption("step_timeout"))) if v is not None}
    options = {k: v for k, v in (("endpoints_file", config.getoption("endpoints_file")),
                                 ("dev_rpcs", config.getoption("dev_rpcs"))) if v is not None}
    config.stash[POOL_KEY] = NetworkPool(dataclasses.replace(settings, **overrides), config.getoption("provider"),
                                         options)
    atexit.register(stop_all)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _sigterm)  # teardown runs on SIGTERM as on Ctrl-C


def pytest_keyboard_interrupt(excinfo) -> None:
    stop_all()


def pytest_unconfigure(config: pytest.Config) -> None:
    pool = config.stash.get(POOL_KEY, None)
    if pool:
        pool.stop()


def network_pool(config: pytest.Config) -> NetworkPool:
    return config.stash[POOL_KEY]


@pytest.fixture(scope="session")
def harness_networks(pytestconfig: pytest.Config) -> NetworkPool:
    """The session's networks: `harness_networks.get(spec)` starts a topology once and reuses it."""
    return network_pool(pytestconfig)
