"""Wall time of runtime upgrades on chopsticks (the Kusama genesis specs): one upgrade step on the relay and one on
the Asset Hub (the chain's own code, version check off), and a scenario suite run with a candidate runtime
(--runtime kusama=<the genesis code as a file>, i.e. chopsticks' wasm-override) against the same run without one.
The bumped fixture is not used for the suite: its signed extrinsics fail (see harness/testing/runtime_fixture.py).

    HARNESS_CHAINSPECS=../shared/chainspecs python bench/bench_upgrade.py [--suite PATH ...] [--repeat 2]

The default suite is the kusama-local scenarios of scenarios/xcm: with --runtime kusama=..., the devnet's
scenarios would be skipped (the devnet runs no wasm), and the two runs would not be the same run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness.network.runtime_wasm import CODE_KEY
from harness.engine.pool import NetworkPool
from harness.network.topology import load_network
from harness.providers.capabilities import Capability
from harness.settings import Settings
from harness.testing.runtime_fixture import genesis_runtime

ROOT = Path(__file__).resolve().parent.parent


def upgrade_times(repeat: int) -> dict[str, list[float]]:
    pool = NetworkPool(Settings.from_env())
    times: dict[str, list[float]] = {"kusama": [], "kusama-asset-hub": []}
    try:
        network, clients = pool.get(load_network(ROOT / "harness" / "networks" / "kusama-local.yaml"))
        upgrades = network.capability(Capability.UPGRADE, "upgrade")
        for _ in range(repeat):
            for chain in times:
                code = bytes.fromhex(network.rpc(chain, "state_getStorage", [CODE_KEY])[2:])
                started = time.monotonic()
                upgrades.upgrade(chain, code, False, 180)
                times[chain].append(time.monotonic() - started)
    finally:
        pool.stop()
    return times


def suite_time(suite: list[str], extra: list[str]) -> tuple[float, int]:
    started = time.monotonic()
    code = subprocess.run([sys.executable, "-m", "pytest", *suite, "-q", "-p", "no:cacheprovider", *extra],
                          cwd=ROOT, capture_output=True, text=True).returncode
    return time.monotonic() - started, code


def main() -> None:
    args = argparse.ArgumentParser()
    args.add_argument("--suite", nargs="+",
                      default=["scenarios/xcm/relay_to_asset_hub.yaml", "scenarios/xcm/asset_hub_to_relay.yaml"])
    args.add_argument("--repeat", type=int, default=2)
    opts = args.parse_args()
    for chain, seconds in upgrade_times(opts.repeat).items():
        print(f"upgrade step on {chain}: median {statistics.median(seconds):.2f} s "
              f"(runs: {', '.join(f'{s:.2f}' for s in seconds)})")
    specs = Path(os.environ.get("HARNESS_CHAINSPECS", ROOT.parent.parent / "shared" / "chainspecs"))
    with tempfile.TemporaryDirectory() as cache:
        wasm = genesis_runtime(specs / "kusama-local.json", Path(cache))
        without, code_a = suite_time(opts.suite, [])
        with_candidate, code_b = suite_time(opts.suite, ["--runtime", f"kusama={wasm}"])
    print(f"suite {' '.join(opts.suite)}: without a candidate {without:.1f} s (exit {code_a}); "
          f"with --runtime kusama=<genesis code> {with_candidate:.1f} s (exit {code_b})")


if __name__ == "__main__":
    main()
