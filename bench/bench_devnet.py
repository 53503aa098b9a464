"""Prints the devnet's figures:
  (a) devnet start to all chains ready (median of --runs process starts),
  (b) a relay -> Asset Hub teleport, submit to the credit visible on the Asset Hub, devnet against
      chopsticks (networks/kusama-local.yaml) in the same run, as a ratio,
  (c) signed transfers per second on one devnet chain through substrate-interface,
  (d) resident memory of the devnet process with all its chains.

    .venv/bin/python bench/bench_devnet.py [--runs 5] [--teleports 5] [--transfers 100]

A section that cannot run (chopsticks not installed, a chain refusing the call) prints why; the exit
code is then 1.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from substrateinterface import Keypair, SubstrateInterface

from devnet_timing import TIMEOUT, spawn, stop, wait_until_changed
from harness.network.catalog import BUILTIN_DIR
from harness.errors import HarnessError
from harness.network.topology import load_network
from harness.providers.base import RunningNetwork
from harness.providers.registry import get_provider
from harness.settings import Settings

DEVNET = BUILTIN_DIR / "kusama-polkadot.yaml"
CHOPSTICKS = BUILTIN_DIR / "kusama-local.yaml"
KSM = 10 ** 12


def startup_seconds() -> float:
    """One devnet process: spawn to its ready line (every chain listening)."""
    proc, _, elapsed = spawn(DEVNET)
    stop(proc)
    return elapsed


def free_balance(chain: SubstrateInterface, address: str) -> int:
    return chain.query("System", "Account", [address]).value["data"]["free"]


def teleport_seconds(relay: SubstrateInterface, hub: SubstrateInterface, n: int) -> float:
    """//Alice teleports 1 KSM from the relay to a fresh account on the Asset Hub: submit to visible credit."""
    alice = Keypair.create_from_uri("//Alice", ss58_format=2)
    bob = Keypair.create_from_uri(f"//Bob//bench-devnet-{n}-{time.time_ns()}", ss58_format=2)
    call = relay.compose_call("XcmPallet", "limited_teleport_assets", {
        "dest": {"V3": {"parents": 0, "interior": {"X1": {"Parachain": 1000}}}},
        "beneficiary": {"V3": {"parents": 0, "interior": {"X1": {"AccountId32": {
            "network": None, "id": "0x" + bob.public_key.hex()}}}}},
        "assets": {"V3": [[{"id": {"Concrete": {"parents": 0, "interior": "Here"}}, "fun": {"Fungible": KSM}}]]},
        "fee_asset_item": 0, "weight_limit": "Unlimited"})
    extrinsic = relay.create_signed_extrinsic(call, alice)
    before = free_balance(hub, bob.ss58_address)
    started = time.perf_counter()
    receipt = relay.submit_extrinsic(extrinsic, wait_for_inclusion=True)
    if not receipt.is_success:
        raise RuntimeError(f"the teleport failed: {receipt.error_message}")
    wait_until_changed(lambda: free_balance(hub, bob.ss58_address), before, "the Asset Hub")
    return time.perf_counter() - started


def teleports(network: RunningNetwork, count: int) -> float:
    """Median seconds of `count` teleports on a running network with kusama and kusama-asset-hub."""
    relay = SubstrateInterface(url=network.endpoints["kusama"], ws_options={"timeout": TIMEOUT})
    hub = SubstrateInterface(url=network.endpoints["kusama-asset-hub"], ws_options={"timeout": TIMEOUT})
    try:
        return statistics.median(teleport_seconds(relay, hub, n) for n in range(count))
    finally:
        relay.close()
        hub.close()


def transfers_per_second(url: str, count: int) -> tuple[float, float]:
    """Balance transfers signed by substrate-interface: one at a time waiting for inclusion, then
    all submitted at once (explicit nonces) and waited for together."""
    chain = SubstrateInterface(url=url, ws_options={"timeout": TIMEOUT})
    alice = Keypair.create_from_uri("//Alice", ss58_format=chain.ss58_format)
    dest = Keypair.create_from_uri("//Bob//bench-transfers", ss58_format=chain.ss58_format).ss58_address
    call = chain.compose_call("Balances", "transfer_keep_alive", {"dest": dest, "value": KSM})
    try:
        started = time.perf_counter()
        for _ in range(count):
            receipt = chain.submit_extrinsic(chain.create_signed_extrinsic(call, alice), wait_for_inclusion=True)
            if not receipt.is_success:
                raise RuntimeError(f"a transfer failed: {receipt.error_message}")
        sequential = count / (time.perf_counter() - started)
        nonce = chain.get_account_nonce(alice.ss58_address)
        started = time.perf_counter()
        for i in range(count):
            chain.submit_extrinsic(chain.create_signed_extrinsic(call, alice, nonce=nonce + i))
        deadline = time.monotonic() + TIMEOUT
        while chain.get_account_nonce(alice.ss58_address) < nonce + count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{count} transfers not included within {TIMEOUT:g}s")
            time.sleep(0.01)
        pipelined = count / (time.perf_counter() - started)
        return sequential, pipelined
    finally:
        chain.close()


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def start(provider: str, network_file: Path, settings: Settings) -> RunningNetwork:
    return get_provider(provider).start(load_network(network_file), settings)


def teleport_ratio(devnet: RunningNetwork, count: int, settings: Settings) -> str:
    devnet_seconds = teleports(devnet, count)
    try:
        chopsticks = start("chopsticks", CHOPSTICKS, settings)
    except HarnessError as exc:
        return f"devnet {devnet_seconds * 1000:.0f} ms; chopsticks skipped: {exc}"
    try:
        reference = teleports(chopsticks, count)
    finally:
        chopsticks.stop()
    return (f"devnet {devnet_seconds * 1000:.0f} ms, chopsticks {reference * 1000:.0f} ms: "
            f"the devnet is {reference / devnet_seconds:.0f}x faster")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--teleports", type=int, default=5)
    ap.add_argument("--transfers", type=int, default=100)
    args = ap.parse_args()
    settings = Settings.from_env()
    failed = False

    starts = [startup_seconds() for _ in range(args.runs)]
    print(f"(a) devnet start to all chains ready: median {statistics.median(starts):.3f} s "
          f"(min {min(starts):.3f}, max {max(starts):.3f}, {args.runs} runs)", flush=True)

    devnet = start("devnet", DEVNET, settings)
    pid = devnet.process.proc.pid
    try:
        rss_started = rss_mib(pid)
        try:
            print(f"(b) teleport relay -> Asset Hub, submit to credit, median of {args.teleports}: "
                  f"{teleport_ratio(devnet, args.teleports, settings)}", flush=True)
        except Exception as exc:  # noqa: BLE001 - report it and go on with the other figures
            print(f"(b) the teleport failed: {exc}", flush=True)
            failed = True
        sequential, pipelined = transfers_per_second(devnet.endpoints["kusama"], args.transfers)
        print(f"(c) signed transfers on the devnet's kusama, {args.transfers} each: {sequential:.0f}/s one at a "
              f"time waiting for inclusion, {pipelined:.0f}/s submitted together", flush=True)
        print(f"(d) devnet RSS with all chains: {rss_started:.0f} MiB started, {rss_mib(pid):.0f} MiB after "
              f"(b) and (c)")
    finally:
        devnet.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
