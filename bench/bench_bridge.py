"""Prints the bridge's figures on the devnet:
  (a) start of the six-chain devnet (networks/kusama-polkadot.yaml): spawn to the ready line,
      median of --starts process starts;
  (b) a KSM transfer Kusama Asset Hub -> Polkadot Asset Hub over the bridge
      (PolkadotXcm.limited_reserve_transfer_assets by //Alice to //Bob), submit to the credit visible
      on Polkadot Asset Hub, p50 and p95 of --transfers runs.

    .venv/bin/python bench/bench_bridge.py [--starts 5] [--transfers 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time

from substrateinterface import Keypair, SubstrateInterface

from devnet_timing import TIMEOUT, spawn, stop, wait_until_changed
from harness.network.catalog import BUILTIN_DIR

NETWORK = BUILTIN_DIR / "kusama-polkadot.yaml"
KSM = 10 ** 12
WKSM = {"parents": 2, "interior": {"X1": [{"GlobalConsensus": "Kusama"}]}}


def wksm(hub: SubstrateInterface, address: str) -> int:
    entry = hub.query("ForeignAssets", "Account", [WKSM, address]).value
    return entry["balance"] if entry else 0


def transfer_seconds(source: SubstrateInterface, target: SubstrateInterface) -> float:
    """One transfer: submit on Kusama Asset Hub to Bob's wKSM credit seen on Polkadot Asset Hub."""
    alice, bob = Keypair.create_from_uri("//Alice"), Keypair.create_from_uri("//Bob")
    call = source.compose_call("PolkadotXcm", "limited_reserve_transfer_assets", {
        "dest": {"V5": {"parents": 2, "interior": {"X2": [{"GlobalConsensus": "Polkadot"}, {"Parachain": 1000}]}}},
        "beneficiary": {"V5": {"parents": 0, "interior": {"X1": [{"AccountId32": {
            "network": None, "id": "0x" + bob.public_key.hex()}}]}}},
        "assets": {"V5": [[{"id": {"parents": 1, "interior": "Here"}, "fun": {"Fungible": KSM}}]]},
        "fee_asset_item": 0, "weight_limit": "Unlimited"})
    extrinsic = source.create_signed_extrinsic(call, alice)
    before = wksm(target, bob.ss58_address)
    started = time.perf_counter()
    source.submit_extrinsic(extrinsic)
    wait_until_changed(lambda: wksm(target, bob.ss58_address), before, "Polkadot Asset Hub")
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--starts", type=int, default=5)
    ap.add_argument("--transfers", type=int, default=20)
    args = ap.parse_args()

    starts = []
    for _ in range(args.starts):
        proc, _, seconds = spawn(NETWORK)
        stop(proc)
        starts.append(seconds)
    print(f"(a) six-chain devnet start to ready: median {statistics.median(starts):.3f} s "
          f"(min {min(starts):.3f}, max {max(starts):.3f}, {args.starts} starts)", flush=True)

    proc, ready, _ = spawn(NETWORK)
    try:
        source = SubstrateInterface(url=ready["endpoints"]["kusama-asset-hub"], ws_options={"timeout": TIMEOUT})
        target = SubstrateInterface(url=ready["endpoints"]["polkadot-asset-hub"], ws_options={"timeout": TIMEOUT})
        runs = [transfer_seconds(source, target) for _ in range(args.transfers)]
        source.close()
        target.close()
    finally:
        stop(proc)
    print(f"(b) KSM Kusama Asset Hub -> Polkadot Asset Hub, submit to credit, {args.transfers} runs: "
          f"p50 {percentile(runs, 50) * 1000:.0f} ms, p95 {percentile(runs, 95) * 1000:.0f} ms "
          f"(min {min(runs) * 1000:.0f}, max {max(runs) * 1000:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
