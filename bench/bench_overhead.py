"""The harness's overhead targets (issue 14), each printed against a baseline revision measured in the same run:

- harness / plain substrate-interface for a relay -> Asset Hub teleport on the devnet (median of --runs): <= 1.5x;
- scenarios/bridge/fifty_transfers.yaml: <= 1.5 s (its time in the pass over every devnet scenario, and the median
  of --runs more runs of it on the warm network: one run of 1.5 s moves by a tenth from run to run);
- every devnet scenario in scenarios/, start-up included: <= 10 s in total (in one process: network start, then
  each scenario as the pytest plugin runs it; and the wall time of `pytest` over those files).

The baseline's code is exported with `git archive` into a temporary folder (no worktree is registered), and each
side runs in its own process with its own devnet, one after the other, so both meet the same machine.

    .venv/bin/python bench/bench_overhead.py [--baseline REV ...] [--runs N] [--no-pytest]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NETWORK = "kusama-polkadot"
FIFTY = "scenarios/bridge/fifty_transfers.yaml"
TELEPORT = ("scenarios/xcm/relay_to_asset_hub.yaml", "teleport 10 KSM")
TARGETS = {"teleport_ratio": 1.5, "fifty_seconds": 1.5, "fifty_median": 1.5, "total_seconds": 10.0,
           "pytest_seconds": 10.0}


def worker(runs: int) -> dict:
    """Runs in the measured revision's process: its harness is the one on PYTHONPATH."""
    started = time.perf_counter()
    from bench_spine import plain_teleport  # the plain script: the same on both sides, from this revision
    from harness.engine.runner import ClientPool, run_scenario
    from harness.providers.registry import choose_provider
    from harness.scenario.parse import load_scenarios
    from harness.settings import PROJECT_ROOT, Settings
    from substrateinterface import SubstrateInterface

    scenarios = [s for f in sorted((PROJECT_ROOT / "scenarios").rglob("*.yaml")) for s in load_scenarios(f)
                 if s.network.name == NETWORK]
    settings = Settings.from_env()
    imported = time.perf_counter()
    spec = scenarios[0].network
    # choose_provider(requested, spec) since the providers took their own knowledge (issue 10); before, it took
    # the network file's default provider name (a NetworkSpec has `source` only since then)
    provider = choose_provider(None, spec if hasattr(spec, "source") else spec.provider)
    network = provider.start(spec, settings)
    up = time.perf_counter()
    clients = ClientPool(network, settings.step_timeout)
    out: dict = {"imports": imported - started, "start": up - imported, "scenarios": {}}
    try:
        for scenario in scenarios:
            t0 = time.perf_counter()
            run_scenario(scenario, network, clients)
            out["scenarios"][f"{scenario.file.relative_to(PROJECT_ROOT)}::{scenario.name}"] = time.perf_counter() - t0
        out["total"] = time.perf_counter() - imported
        out["files"] = sorted({str(s.file.relative_to(PROJECT_ROOT)) for s in scenarios})
        teleport = next(s for s in load_scenarios(PROJECT_ROOT / TELEPORT[0]) if s.name == TELEPORT[1])
        relay = SubstrateInterface(url=network.endpoints["kusama"], ws_options={"timeout": 60})
        hub = SubstrateInterface(url=network.endpoints["kusama-asset-hub"], ws_options={"timeout": 60})
        harness, plain = [], []
        for n in range(runs):  # interleaved, so both see the same chain state growth
            t0 = time.perf_counter()
            run_scenario(teleport, network, clients)
            harness.append(time.perf_counter() - t0)
            plain.append(plain_teleport(relay, hub, 10 * 10**12, n))
        out["teleport"] = {"harness": sorted(harness)[runs // 2], "plain": sorted(plain)[runs // 2]}
        fifty = next(s for s in scenarios if str(s.file.relative_to(PROJECT_ROOT)) == FIFTY)
        again = []
        for _ in range(runs):
            t0 = time.perf_counter()
            run_scenario(fifty, network, clients)
            again.append(time.perf_counter() - t0)
        out["fifty_median"] = sorted(again)[runs // 2]
    finally:
        clients.close()
        network.stop()
    return out


def measure(root: Path, runs: int, pytest: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(root)}
    code = (f"import json, sys; sys.path.insert(0, {str(ROOT / 'bench')!r}); from bench_overhead import worker; "
            f"print('RESULT ' + json.dumps(worker({runs})))")
    done = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True,
                          timeout=1800)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("RESULT ")), None)
    if line is None:
        raise SystemExit(f"the run in {root} failed:\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    result = json.loads(line.removeprefix("RESULT "))
    if pytest:
        # the revision's own plugins, not whichever ones the shared environment's install last registered
        plugins = tomllib.loads((root / "pyproject.toml").read_text())["project"]["entry-points"]["pytest11"]
        loads = [arg for module in plugins.values() for arg in ("-p", module)]
        t0 = time.perf_counter()
        ran = subprocess.run([sys.executable, "-m", "pytest", *loads, *result["files"], "-q", "-p", "no:cacheprovider"],
                             env={**env, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
                                  # nor the installed harness's Hypothesis strategies, which an older tree lacks
                                  "HYPOTHESIS_NO_PLUGINS": "1"}, cwd=root, capture_output=True,
                             text=True, timeout=1800)
        result["pytest"] = time.perf_counter() - t0
        result["pytest_outcome"] = (ran.stdout.strip().splitlines() or ["?"])[-1]
    return result


def figures(result: dict) -> dict[str, float]:
    teleport = result["teleport"]
    found = {"teleport_ratio": teleport["harness"] / teleport["plain"], "teleport_harness": teleport["harness"],
             "teleport_plain": teleport["plain"],
             "fifty_seconds": next(v for k, v in result["scenarios"].items() if k.startswith(FIFTY)),
             "fifty_median": result["fifty_median"], "total_seconds": result["total"], "start_seconds": result["start"]}
    if "pytest" in result:
        found["pytest_seconds"] = result["pytest"]
    return found


def export(rev: str, into: Path) -> Path:
    folder = into / rev
    folder.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--baseline", action="append", help="revision(s) to compare against (default: this branch's "
                    "merge base with main)")
    ap.add_argument("--candidate", help="a revision to measure instead of this tree as it is")
    ap.add_argument("--runs", type=int, default=5, help="teleports per side, median taken")
    ap.add_argument("--no-pytest", action="store_true", help="skip the pytest wall time over the devnet files")
    args = ap.parse_args()
    baselines = args.baseline or [subprocess.run(["git", "-C", str(ROOT), "merge-base", "HEAD", "main"],
                                                 capture_output=True, text=True, check=True).stdout.strip()[:7]]
    with tempfile.TemporaryDirectory(prefix="bench-overhead-") as tmp:
        sides = {rev: measure(export(rev, Path(tmp)), args.runs, not args.no_pytest) for rev in baselines}
        candidate = export(args.candidate, Path(tmp)) if args.candidate else ROOT
        sides[args.candidate or "this tree"] = measure(candidate, args.runs, not args.no_pytest)
    table = {side: figures(result) for side, result in sides.items()}
    now = table[args.candidate or "this tree"]
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (both sides ran one after "
          f"the other in this run)")
    for side, result in sides.items():
        print(f"\n{side}: network start {result['start']:.2f} s, imports {result['imports']:.2f} s"
              + (f", pytest: {result['pytest_outcome']}" if "pytest" in result else ""))
        for name, seconds in result["scenarios"].items():
            print(f"  {seconds:6.2f} s  {name}")
    print("\nfigure                       " + "".join(f"{side[:12]:>14}" for side in table) + "    target  now/base")
    for name in now:
        row = "".join(f"{table[side].get(name, float('nan')):14.3f}" for side in table)
        target = TARGETS.get(name)
        base = table[baselines[0]].get(name)
        ratio = f"{now[name] / base:9.2f}x" if base else ""
        mark = "" if target is None else (f"  <= {target:<5g}" + (" met" if now[name] <= target else " MISSED"))
        print(f"{name:<29}{row}{mark:>14}{ratio}")


if __name__ == "__main__":
    main()
