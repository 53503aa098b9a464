"""What the devnet benchmarks share: spawning the devnet process, and timing until a balance moves."""
from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

TIMEOUT = 60.0


def spawn(network: Path) -> tuple[subprocess.Popen, dict, float]:
    """A devnet process, its ready line, and the seconds from spawn to that line (every chain listening)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "harness.devnet", "--network", str(network)],
                            stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    ready = json.loads(proc.stdout.readline() or "{}")
    elapsed = time.perf_counter() - started
    if ready.get("event") != "ready":
        stop(proc)
        raise RuntimeError(f"the devnet did not start (exit code {proc.returncode})")
    return proc, ready, elapsed


def stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=TIMEOUT)


def wait_until_changed(read: Callable[[], int], before: int, what: str, poll: float = 0.005) -> None:
    """Polls `read` until it differs from `before`, or fails after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while read() == before:
        if time.monotonic() > deadline:
            raise TimeoutError(f"no credit on {what} within {TIMEOUT:g}s")
        time.sleep(poll)
