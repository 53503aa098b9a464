"""Plugin: options for networks and providers, the session's network pool, and cleanup on every exit."""
from __future__ import annotations

import atexit
import dataclasses
import gc
import signal
import threading

import pytest

from ..engine.candidates import parse_runtime_option
from ..engine.pool import NetworkPool
from ..errors import HarnessError
from ..network.runtime_wasm import load_candidate
from ..providers.process import stop_all
from ..providers.registry import PROVIDERS
from ..settings import Settings

POOL_KEY = pytest.StashKey[NetworkPool]()
FROM_WORKERS = pytest.StashKey[list]()  # (network, provider, runtimes) the xdist workers reported
WORKER_RUNTIMES = "harness_runtimes"  # their key in a worker's workeroutput


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "bridge harness networks")
    group.addoption("--network", help="run every scenario on this network (name in networks/, or a path)")
    group.addoption("--provider", help=f"bring networks up with this provider: {', '.join(PROVIDERS)}")
    group.addoption("--endpoints-file", help="JSON/YAML file of chain -> ws:// URL, for --provider attach")
    group.addoption("--dev-rpcs", action="store_true", default=None,
                    help="the attached chains are dev chains (chopsticks, devnet) that take dev_setStorage and "
                         "dev_newBlock, for --provider attach")
    group.addoption("--runtime", action="append", default=[], metavar="CHAIN=PATH",
                    help="run CHAIN on this candidate runtime wasm (chopsticks' wasm-override); repeatable")
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
                                         options, runtime_options(config))
    # Registered first, so it runs after every later atexit handler (stop_all among them): the interpreter's last
    # garbage collection then skips what is alive at exit. A run holds some 750,000 objects, mostly decoded metadata,
    # and that pass over them took 3.5 s of a 13 s devnet run after the summary was printed; the memory goes
    # back to the OS with the process either way, and handlers that flush or close have run by then.
    atexit.register(gc.freeze)
    atexit.register(stop_all)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _sigterm)  # teardown runs on SIGTERM as on Ctrl-C


def runtime_options(config: pytest.Config) -> dict[str, str]:
    """chain -> candidate path from --runtime, each file checked now: a bad one stops the run before any network."""
    runtimes: dict[str, str] = {}
    for text in config.getoption("runtime") or []:
        try:
            chain, path = parse_runtime_option(text)
            load_candidate(path, chain)
        except (ValueError, HarnessError) as exc:
            raise pytest.UsageError(str(exc)) from None
        if chain in runtimes:
            raise pytest.UsageError(f"--runtime gives chain '{chain}' twice; hint: give one runtime per chain")
        runtimes[chain] = path
    return runtimes


def pytest_report_header(config: pytest.Config) -> list[str]:
    """The candidate runtimes of this run, as their files say (what each chain really runs is read once its
    network is up: the results' `runtimes`, and the summary at the end)."""
    pool = config.stash.get(POOL_KEY, None)
    lines = []
    for chain, path in (pool.runtimes if pool else {}).items():
        candidate = load_candidate(path, chain)
        lines.append(f"candidate runtime: {chain} = {path} ({candidate.spec_name} {candidate.spec_version}, "
                     f"tx {candidate.transaction_version}, code {candidate.code_hash})")
    return lines


def seen_runtimes(config: pytest.Config) -> list[tuple[str, str, dict[str, dict]]]:
    """(network, provider, each chain's runtime) for the networks this process ran scenarios on."""
    pool = config.stash.get(POOL_KEY, None)
    return [(network.spec.name, network.provider, seen) for network, clients in (pool.running.values() if pool else ())
            if (seen := clients.seen_runtimes())]


def pytest_sessionfinish(session: pytest.Session) -> None:
    """An xdist worker hands its networks' runtimes to the controller, which prints the summary."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output[WORKER_RUNTIMES] = [list(entry) for entry in seen_runtimes(session.config)]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:  # xdist's controller, as each worker ends
    node.config.stash.setdefault(FROM_WORKERS, []).extend(
        tuple(entry) for entry in getattr(node, "workeroutput", {}).get(WORKER_RUNTIMES, []))


def pytest_terminal_summary(terminalreporter, config: pytest.Config) -> None:
    """Each network's runtimes as its chains reported them (read when its first scenario ran): this process's
    networks, or under xdist the workers'; workers that started the same network and saw the same runtimes
    make one block."""
    shown: list[tuple[str, str, dict]] = []
    for entry in seen_runtimes(config) + config.stash.get(FROM_WORKERS, []):
        if entry in shown:
            continue
        shown.append(entry)
        name, provider, seen = entry
        terminalreporter.write_sep("-", f"runtimes of {name} ({provider})")
        for chain, rt in seen.items():
            terminalreporter.write_line(f"{chain}: {rt['spec_name']} {rt['spec_version']} "
                                        f"(tx {rt['transaction_version']}) code {rt['code_hash']}")


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
