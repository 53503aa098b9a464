"""Prints: network start time, wall time per shipped scenario, and the harness's overhead against a
plain substrate-interface script doing the same relay -> Asset Hub teleport in the same run.

    .venv/bin/python bench/bench_spine.py [--runs N]
"""
from __future__ import annotations

import argparse
import statistics
import time

from substrateinterface import Keypair, SubstrateInterface

from harness.engine.runner import ClientPool, run_scenario
from harness.providers.registry import choose_provider
from harness.scenario.parse import load_scenarios
from harness.settings import PROJECT_ROOT, Settings

TELEPORT = PROJECT_ROOT / "scenarios/xcm/relay_to_asset_hub.yaml"


def plain_teleport(relay: SubstrateInterface, hub: SubstrateInterface, amount: int, n: int) -> float:
    """The same teleport as the scenario, written by hand: submit, wait for inclusion, poll the credit."""
    alice = Keypair.create_from_uri("//Alice", ss58_format=2)
    bob = Keypair.create_from_uri(f"//Bob//bench-{n}", ss58_format=2)
    start = time.perf_counter()
    before = hub.query("System", "Account", [bob.ss58_address]).value["data"]["free"]
    call = relay.compose_call("XcmPallet", "limited_teleport_assets", {
        "dest": {"V3": {"parents": 0, "interior": {"X1": {"Parachain": 1000}}}},
        "beneficiary": {"V3": {"parents": 0, "interior": {"X1": {"AccountId32": {
            "network": None, "id": "0x" + bob.public_key.hex()}}}}},
        "assets": {"V3": [[{"id": {"Concrete": {"parents": 0, "interior": "Here"}}, "fun": {"Fungible": amount}}]]},
        "fee_asset_item": 0, "weight_limit": "Unlimited"})
    receipt = relay.submit_extrinsic(relay.create_signed_extrinsic(call, alice), wait_for_inclusion=True)
    assert receipt.is_success
    deadline = time.monotonic() + 60
    while hub.query("System", "Account", [bob.ss58_address]).value["data"]["free"] == before:
        if time.monotonic() > deadline:
            raise TimeoutError("credit not visible")
        time.sleep(0.05)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--network", default="kusama-local", help="the network whose shipped scenarios to time")
    args = ap.parse_args()
    scenarios = [s for f in sorted((PROJECT_ROOT / "scenarios").rglob("*.yaml")) for s in load_scenarios(f)
                 if s.network.name == args.network]
    spec = scenarios[0].network
    settings = Settings.from_env()
    t0 = time.perf_counter()
    network = choose_provider(None, spec.provider).start(spec, settings)
    print(f"network start ({spec.name}, {network.provider}): {time.perf_counter() - t0:.2f} s")
    clients = ClientPool(network, settings.step_timeout)
    try:
        for scenario in scenarios:
            result = run_scenario(scenario, network, clients)
            print(f"scenario {scenario.file.relative_to(PROJECT_ROOT)}::{scenario.name}: {result.seconds:.2f} s")
        teleport = next(s for s in load_scenarios(TELEPORT) if s.name == "teleport 10 KSM")
        relay = SubstrateInterface(url=network.endpoints["kusama"], ws_options={"timeout": 60})
        hub = SubstrateInterface(url=network.endpoints["kusama-asset-hub"], ws_options={"timeout": 60})
        harness_times, plain_times = [], []
        for n in range(args.runs):  # interleaved, so both see the same chain state growth
            harness_times.append(run_scenario(teleport, network, clients).seconds)
            plain_times.append(plain_teleport(relay, hub, 10 * 10**12, n))
        h, p = statistics.median(harness_times), statistics.median(plain_times)
        print(f"teleport 10 KSM, median of {args.runs}: harness {h:.2f} s, plain substrate-interface {p:.2f} s, "
              f"overhead {h / p:.2f}x")
    finally:
        clients.close()
        network.stop()


if __name__ == "__main__":
    main()
