"""Shared by the client-fidelity tests: one emulated chain and its JSON-RPC server on a background
asyncio loop thread, and a runner for client sessions that are separate programs printing JSON."""
from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Callable

import pytest

from harness.devnet.chain import Chain
from harness.devnet.runtimes.presets import default_config
from tests.devnet.served_node import ServedNode

TIMEOUT = 30
REPO = Path(__file__).resolve().parents[2]
CHAINS = ("kusama", "polkadot", "kusama-asset-hub", "polkadot-asset-hub")


class ServedChain(ServedNode):
    """One of the CHAINS, built and served on its own asyncio loop thread."""

    def __init__(self, name: str, mode: str = "instant"):
        super().__init__(lambda: Chain(default_config(name), mode=mode), timeout=TIMEOUT,
                         thread_name=f"devnet-{name}")

    @property
    def chain(self) -> Chain:
        """The node under the name the client-fidelity tests use."""
        return self.node


def require(path: str | Path | None, what: str, how: str) -> str:
    """The tool's path; skips the test when it is missing, except under CI (CI installs every
    client, so a missing one there is a setup failure, not a reason to skip)."""
    if path is not None and Path(path).exists():
        return str(path)
    message = f"{what} is not installed ({how})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must provide it")
    pytest.skip(message)


def client_session(name: str, argv: Callable[[str], list[str]], timeout: float, env: dict | None = None):
    """A fixture body: chain `name` served, the client program argv(url) run against it; yields (served, its
    JSON result) and closes the server whatever happens."""
    served = ServedChain(name)
    try:
        yield served, run_json_client(argv(served.url), timeout, env)
    finally:
        served.close()


def run_json_client(argv: list[str], timeout: float, env: dict | None = None) -> dict:
    """Runs a client session program that prints one JSON object on its last stdout line and
    returns it; fails the test with everything the program wrote if it does not."""
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, cwd=REPO,
                              env={**os.environ, **(env or {})}, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as expired:
        pytest.fail(f"{argv[1]} did not finish in {timeout} s\nstdout: {expired.stdout}\nstderr: {expired.stderr}")
    lines = done.stdout.strip().splitlines()
    try:
        result = json.loads(lines[-1])
    except (IndexError, ValueError):
        pytest.fail(f"{argv[1]} exited {done.returncode} without a JSON line\n"
                    f"stdout: {done.stdout[-4000:]}\nstderr: {done.stderr[-4000:]}")
    result["_returncode"] = done.returncode
    result["_stderr"] = done.stderr[-4000:]
    return result
