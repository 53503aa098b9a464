"""Networks run by one external process (the devnet, chopsticks): its command, readiness, run folder, log and
stop, xprocess-style: a failed start stops what did start, waits watch for exit, teardown reaches the tree."""
from __future__ import annotations

import ctypes
import itertools
import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ChainStartError
from ..logs import tail
from ..network.topology import NetworkSpec
from ..settings import Settings
from .base import RunningNetwork, poll_delays

_LIVE: set["ManagedProcess"] = set()  # every process still running, for last-resort cleanup


def _die_with_parent() -> None:  # pragma: no cover - runs in the child
    """Linux: the child gets SIGKILL if the harness itself is killed, so nothing outlives it."""
    os.setsid()
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


@dataclass(eq=False)
class ManagedProcess:
    name: str
    args: list[str]
    log_path: Path
    cwd: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        log = self.log_path.open("wb")
        try:
            self.proc = subprocess.Popen(self.args, cwd=self.cwd, env={**os.environ, **self.env},
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         preexec_fn=_die_with_parent)
        except FileNotFoundError as exc:
            raise ChainStartError(f"cannot start {self.name}: {exc.filename} not found",
                                  "install it, or set the path in the environment (see README)") from None
        finally:
            log.close()
        _LIVE.add(self)

    def exit_code(self) -> int | None:
        return self.proc.poll() if self.proc else None

    def wait_ready(self, check: Callable[[], bool], timeout: float, what: str,
                   clock: Callable[[], float] = time.monotonic) -> None:
        """Poll `check` until it holds; fail fast if the process exits, with its log tail in the error."""
        deadline, delays = clock() + timeout, poll_delays()
        while True:
            code = self.exit_code()
            if code is not None:
                raise ChainStartError(
                    f"{what} exited with code {code} before it was ready; last log lines:\n{tail(self.log_path)}",
                    f"see the whole log at {self.log_path}")
            if check():
                return
            if clock() >= deadline:
                raise ChainStartError(
                    f"{what} not ready after {timeout:g}s; last log lines:\n{tail(self.log_path)}",
                    f"raise --startup-timeout or check {self.log_path}")
            time.sleep(next(delays))

    def stop(self, grace: float = 5.0) -> None:
        """SIGTERM to the process group, then SIGKILL after `grace` seconds."""
        _LIVE.discard(self)
        if not self.proc or self.proc.poll() is not None:
            return
        pgid = self.proc.pid  # setsid made the child a group leader
        for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
            try:
                os.killpg(pgid, sig)
            except ProcessLookupError:
                return
            try:
                self.proc.wait(timeout=wait)
                break
            except subprocess.TimeoutExpired:
                continue
        try:  # children that outlived their leader
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


_RUNS = itertools.count()  # one run folder per start, also for networks started twice in one process


def run_folder(settings: Settings, network: NetworkSpec) -> Path:
    """This start's own folder under the work dir, keyed by pid so parallel runs never share one."""
    path = settings.work_dir / f"{network.name}-{os.getpid()}-{next(_RUNS)}"
    path.mkdir(parents=True, exist_ok=True)
    return path


Readiness = list[tuple[str, Callable[[], bool]]]  # (what, check) in order, e.g. ("chain 'kusama' (ws://...)", ...)


def launch(process: ManagedProcess, readiness: Readiness, timeout: float,
           explain: Callable[[ChainStartError], ChainStartError] | None = None) -> None:
    """Start `process` and wait until each check holds, all within `timeout`; on any failure (Ctrl-C too) the
    process tree is stopped before the error goes on, `explain`ed by the provider if it knows better."""
    started = time.monotonic()
    process.start()
    try:
        for what, check in readiness:
            process.wait_ready(check, max(1.0, timeout - (time.monotonic() - started)), what)
    except ChainStartError as exc:
        process.stop()
        raise (explain(exc) if explain else exc) from None
    except BaseException:
        process.stop()
        raise


@dataclass
class ProcessNetwork(RunningNetwork):
    """A network whose chains one ManagedProcess serves; stopping it stops that process tree."""

    process: ManagedProcess | None = field(default=None, repr=False)

    def stop(self) -> None:
        super().stop()
        if self.process:
            self.process.stop()


def stop_all() -> None:
    """Last resort (atexit, Ctrl-C): stop every process still running."""
    for proc in list(_LIVE):
        proc.stop(grace=2.0)
