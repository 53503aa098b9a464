"""Prints how fast the property-based tests run: loader fuzz examples per second (per input kind), the
devnet state machine's steps per second with how many of each rule ran (teleports, local transfers,
bridge transfers, relayer pause / resume, bridge modes, traps and claims; accepted / run), and the ci
profile's examples, steps and wall time.

    .venv/bin/python bench/bench_fuzz.py [--examples N] [--no-devnet] [--suite]

Everything runs under the ci profile (derandomized: the same inputs every run); --examples overrides its
max_examples for the loader, --suite also times `pytest tests/hypothesis` as CI runs it.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "hypothesis")]

import conftest  # noqa: E402,F401  (registers the Hypothesis profiles)
import yaml  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from hypothesis.stateful import invariant, run_state_machine_as_test  # noqa: E402

from harness.testing.scenario_strategies import damaged_yaml, scenario_yaml, valid_scenarios  # noqa: E402
from loader_checks import check_file  # noqa: E402

LOADER_INPUTS = {
    "grammar-valid trees": valid_scenarios().map(lambda t: yaml.safe_dump(t, sort_keys=False, allow_unicode=True)),
    "mutated trees": scenario_yaml(),
    "damaged YAML text": damaged_yaml(),
    "arbitrary text": st.text(max_size=400),
    "arbitrary bytes": st.binary(max_size=400),
}


def bench_loader(name: str, inputs: st.SearchStrategy, examples: int, file: Path) -> tuple[int, float]:
    done = Counter()

    @settings(settings.get_profile("ci"), max_examples=examples)
    @given(inputs)
    def run(content):
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content, encoding="utf-8", newline="")
        check_file(file)
        done["examples"] += 1

    start = time.perf_counter()
    run()
    wall = time.perf_counter() - start
    print(f"  {name:<20} {done['examples']:>6} examples  {done['examples'] / wall:8.1f} examples/s")
    return done["examples"], wall


def bench_machine() -> None:
    from devnet_session import DevnetSession
    from test_transfer_machine import TransferMachine, machine_settings

    counts, kinds, accepted = Counter(), Counter(), Counter()

    class Counted(TransferMachine):
        def __init__(self, devnet):
            super().__init__(devnet)
            counts["examples"] += 1

        def teardown(self):
            kinds.update(s.kind for s in self.steps)
            accepted.update(s.kind for s in self.steps if s.accepted)
            super().teardown()

        @invariant()
        def count_steps(self):
            counts["checks"] += 1  # once after __init__, then after every step

    start = time.perf_counter()
    devnet = DevnetSession()
    up = time.perf_counter()
    try:
        devnet.route_fees()  # the one-off fee probes (and metadata downloads), outside the steps' time
        started = time.perf_counter()
        run_state_machine_as_test(lambda: Counted(devnet), settings=machine_settings())
        wall = time.perf_counter() - started
    finally:
        devnet.close()
    steps = counts["checks"] - counts["examples"]
    configured = machine_settings()
    print(f"state machine (ci profile: up to {configured.max_examples} examples of up to "
          f"{configured.stateful_step_count} steps): devnet up in {up - start:.1f} s, fees measured in "
          f"{started - up:.1f} s, {counts['examples']} examples, {steps} steps in {wall:.1f} s = "
          f"{steps / wall:.1f} steps/s")
    print("  rules run (accepted/run): " + ", ".join(f"{k} {accepted[k]}/{n}" for k, n in sorted(kinds.items())))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--examples", type=int, help="loader examples per input kind (default: the ci profile's)")
    ap.add_argument("--no-devnet", action="store_true", help="skip the state machine (no devnet process)")
    ap.add_argument("--suite", action="store_true", help="also time `pytest tests/hypothesis` under the ci profile")
    args = ap.parse_args()
    settings.load_profile("ci")
    examples = args.examples or settings().max_examples
    print(f"loader fuzz (ci profile, {examples} examples per kind, each loaded and validated through the CLI):")
    total, wall = 0, 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for name, inputs in LOADER_INPUTS.items():
            count, seconds = bench_loader(name, inputs, examples, Path(tmp) / "scenario.yaml")
            total, wall = total + count, wall + seconds
    print(f"  {'all':<20} {total:>6} examples  {total / wall:8.1f} examples/s")
    if not args.no_devnet:
        bench_machine()
    if args.suite:
        env = {**os.environ, "HARNESS_HYPOTHESIS_PROFILE": "ci"}
        start = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "pytest", "tests/hypothesis", "-q", "-p", "no:cacheprovider"],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=900)
        summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr[-300:]
        print(f"pytest tests/hypothesis (ci profile): {time.perf_counter() - start:.1f} s wall, {summary}")


if __name__ == "__main__":
    main()
