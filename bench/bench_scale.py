"""Scale: COUNT generated bridge transfers (one scenario each, from a matrix: both directions over the
Polkadot<>Kusama bridge, a different amount each), run through the harness on the devnet serially and with
pytest-xdist (`-n WORKERS`), printing scenarios per second for each and the ratio.

    python bench/bench_scale.py [--count 1000] [--workers 2]
Every scenario checks what arrives (the bridged asset on the destination Asset Hub, less the execution fee the
trace shows); the bench exits 1 if a run has a failure.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
ROUTES = [  # (from, to, token): each Asset Hub sends its relay's token to the other
    ("kusama-asset-hub", "polkadot-asset-hub", "KSM"),
    ("polkadot-asset-hub", "kusama-asset-hub", "DOT"),
]


def scenario_files(count: int) -> list[dict]:
    """One document per route (the asset key takes no placeholder), the transfers shared out between them."""
    docs = []
    for index, (source, destination, token) in enumerate(ROUTES):
        numbers = range(index, count, len(ROUTES))
        docs.append({
            "name": "bridge transfer ${n}: ${amount} to " + destination,
            "network": "kusama-polkadot",
            "tags": ["bridge", "scale"],
            "accounts": {"sender": "//Alice//bench-scale", "receiver": "//Bob//bench-scale"},
            "matrix": [{"n": n, "amount": f"{1 + n / 1000:.3f} {token}"} for n in numbers],
            "steps": [
                {"fund": {"chain": source, "account": "sender", "amount": f"100 {token}"}},
                {"xcm_transfer": {"from": source, "to": destination, "sender": "sender", "beneficiary": "receiver",
                                  "amount": "${amount}"}},
            ],
            "expect": {"balances": [{"chain": destination, "account": "receiver", "asset": token,
                                     "change": "+${amount}", "plus_execution_fees": True}]},
        })
    return docs


def project(folder: Path, count: int) -> Path:
    (folder / "networks").mkdir()
    shutil.copy(ROOT / "harness" / "networks" / "kusama-polkadot.yaml", folder / "networks")
    (folder / "scenarios").mkdir()
    (folder / "scenarios" / "bridge_scale.yaml").write_text(yaml.safe_dump_all(scenario_files(count), sort_keys=False))
    return folder


def run(folder: Path, workers: int) -> tuple[float, str]:
    """Seconds from `pytest` start to exit (network start-up included), and pytest's summary line."""
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "scenarios"]
    if workers > 1:
        args += ["-n", str(workers)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "HARNESS_WORK_DIR": str(folder / ".harness")}
    began = time.perf_counter()
    proc = subprocess.run(args, cwd=folder, env=env, capture_output=True, text=True, timeout=3600)
    elapsed = time.perf_counter() - began
    summary = (proc.stdout.strip().splitlines() or ["(no output)"])[-1]
    if proc.returncode != 0:
        raise SystemExit(f"the run with {workers} worker(s) failed:\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return elapsed, summary


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000, help="bridge transfers, one scenario each")
    parser.add_argument("--workers", type=int, default=2, help="pytest-xdist workers for the parallel run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        folder = project(Path(tmp), args.count)
        rates = {}
        for workers in (1, args.workers):
            seconds, summary = run(folder, workers)
            passed = int((re.search(r"(\d+) passed", summary) or [0, 0])[1])
            rates[workers] = passed / seconds
            label = "serial" if workers == 1 else f"-n {workers}"
            print(f"{label:>7}: {passed} scenarios in {seconds:.1f} s = {rates[workers]:.2f} scenarios/s ({summary})")
        print(f"-n {args.workers} / serial: {rates[args.workers] / rates[1]:.2f}x "
              f"(on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
