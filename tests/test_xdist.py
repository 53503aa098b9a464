"""pytest-xdist (`-n 2`) over the devnet scenarios gives the results of a serial run: one network per worker
(its own ports and run folder), one merged JUnit file and one --report folder written by the controller."""
from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def results_equal():
    """bench/results_equal.py: the comparison of two --report folders with timings and random hashes dropped."""
    spec = importlib.util.spec_from_file_location("results_equal", ROOT / "bench" / "results_equal.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def devnet_scenarios() -> list[str]:
    """The shipped scenario files run on the devnet network (chopsticks ones are not reverted between scenarios,
    so their balances depend on what ran before them on the same chain, and differ with the order)."""
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "scenarios").rglob("*.yaml")
                  if "network: kusama-polkadot" in p.read_text())


def run(tmp_path: Path, name: str, *args: str) -> tuple[Path, Path, Path, str]:
    report, junit, work = tmp_path / name, tmp_path / f"{name}.xml", tmp_path / f"{name}-work"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HARNESS_WORK_DIR": str(work)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args,
                           "--report", str(report), "--junitxml", str(junit), *devnet_scenarios()],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return report, junit, work, proc.stdout


def runtimes_block(output: str) -> list[str]:
    """The summary's "runtimes of NETWORK" block(s): the separator lines and the chain lines under them."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if " runtimes of " in line)
    return [line for line in lines[start:] if " runtimes of " in line or re.match(r"^[a-z-]+: \S+ \d+ \(tx ", line)]


def junit_cases(path: Path) -> list[str]:
    return sorted(f"{c.get('classname')}::{c.get('name')}" for c in ET.parse(path).getroot().iter("testcase"))


def test_harness_run_passes_the_worker_count_to_pytest(monkeypatch):
    from harness import cli

    seen = []
    monkeypatch.setattr("pytest.main", lambda args: seen.append(args) or 0)
    assert cli.main(["run", "-n", "auto"]) == 0 and cli.main(["run", "scenarios/bridge", "-n", "2"]) == 0
    assert seen == [["scenarios", "-n", "auto"], ["scenarios/bridge", "-n", "2"]]


def test_two_workers_give_the_serial_results(tmp_path):
    pytest.importorskip("xdist", reason="pytest-xdist is a dependency: pip install -e .")
    compare = results_equal()
    serial, serial_junit, _, serial_output = run(tmp_path, "serial")
    parallel, parallel_junit, work, parallel_output = run(tmp_path, "parallel", "-n", "2")
    base, candidate = compare.results(serial), compare.results(parallel)
    assert len(base) >= 10 and set(base) == set(candidate)
    for key in base:
        assert compare.differences(base[key], candidate[key]) == [], key
    # one results folder and one page, from the controller; one merged JUnit file
    assert len(list((parallel / "results").glob("*.json"))) == len(base)
    assert (parallel / "index.html").is_file() and (parallel / "result.schema.json").is_file()
    assert junit_cases(parallel_junit) == junit_cases(serial_junit) and len(junit_cases(serial_junit)) == len(base)
    # the runtimes the workers' networks reported are summed up once, as a serial run does
    assert runtimes_block(parallel_output) == runtimes_block(serial_output)
    assert len(runtimes_block(serial_output)) == 7  # the separator and the six chains of kusama-polkadot
    # each worker ran its own devnet, in its own run folder
    assert len([d for d in work.iterdir() if (d / "devnet.log").is_file()]) == 2


def test_ctrl_c_of_a_run_on_two_workers_leaves_no_process(tmp_path):
    """Ctrl-C in a terminal reaches the whole foreground process group: the controller and both workers, each of
    which has a devnet up (started in its own session, so only its worker can stop it)."""
    pytest.importorskip("xdist", reason="pytest-xdist is a dependency: pip install -e .")
    work = tmp_path / "work"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HARNESS_WORK_DIR": str(work)}
    files = devnet_scenarios() * 3  # enough to still be running when the signal comes
    proc = subprocess.Popen([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "2", *files],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True,  # a process group of its own, as a terminal's job is
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while len(list(work.glob("*/devnet.log"))) < 2 or not all(
                '"event": "ready"' in log.read_text() for log in work.glob("*/devnet.log")):
            assert time.monotonic() < deadline and proc.poll() is None, "two devnets never came up"
            time.sleep(0.1)
        assert len(processes_in(work)) == 2  # the two devnets, seen where the check below looks
        os.killpg(proc.pid, signal.SIGINT)
        output, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 2 and "KeyboardInterrupt" in output, output[-2000:]
    deadline = time.monotonic() + 10
    while (left := processes_in(work)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == []


def processes_in(folder: Path) -> list[int]:
    """Processes whose working folder is under `folder` (a devnet runs in its run folder there)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and Path(os.readlink(entry / "cwd")).is_relative_to(folder):
                found.append(int(entry.name))
        except OSError:  # gone meanwhile, or not ours to read
            continue
    return found
