"""Shared by the client-fidelity tests: one emulated chain and its JSON-RPC server on a background
asyncio loop thread, and a runner for client sessions that are separate programs printing JSON."""
from __future__ import annotations

import asyncio
import json
import os
import subprocess
import threading
from pathlib import Path

import pytest

from harness.devnet.chain import Chain
from harness.devnet.rpc.server import serve
from harness.devnet.runtime.chains import default_config

TIMEOUT = 30
REPO = Path(__file__).resolve().parents[2]
CHAINS = ("kusama", "polkadot", "kusama-asset-hub", "polkadot-asset-hub")


class ServedChain:
    """A chain and its RPC server on their own asyncio loop thread."""

    def __init__(self, name: str, mode: str = "instant"):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name=f"devnet-{name}")
        self.thread.start()
        try:
            self.chain = self.run(self._make(name, mode))
            self.server = self.run(serve(self.chain, 0))
        except BaseException:
            self._stop()
            raise

    @staticmethod
    async def _make(name: str, mode: str) -> Chain:
        return Chain(default_config(name), mode=mode)

    @property
    def url(self) -> str:
        return self.server.url

    def run(self, coro):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(TIMEOUT)

    def call(self, fn):
        """Runs fn() on the loop thread (the chain is only touched there)."""
        async def wrapped():
            return fn()
        return self.run(wrapped())

    def close(self) -> None:
        try:
            self.run(self.server.close())
        finally:
            self._stop()

    def _stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(TIMEOUT)
        self.loop.close()


def require(path: str | Path | None, what: str, how: str) -> str:
    """The tool's path; skips the test when it is missing, except under CI (CI installs every
    client, so a missing one there is a setup failure, not a reason to skip)."""
    if path is not None and Path(path).exists():
        return str(path)
    message = f"{what} is not installed ({how})"
    if os.environ.get("CI"):
        pytest.fail(f"{message}; CI must provide it")
    pytest.skip(message)


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
