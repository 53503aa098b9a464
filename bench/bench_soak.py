"""Soak: builds BLOCKS blocks on the six-chain devnet (networks/kusama-polkadot.yaml), in process and
round-robin over the chains, and prints the resident memory at the start, once the state window is full,
and at the end. Chains keep the state of the last `state_pruning` blocks (default 256, as a node), so
memory stops growing once the window is full; the target is growth under 50 MB from start to end.

    python bench/bench_soak.py [--blocks 20000] [--state-pruning 256]
Exits 1 when the growth is 50 MB or more.
"""
from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
import time

from harness.network.catalog import BUILTIN_DIR
from harness.devnet.devnet_config import build_config
from harness.devnet.orchestrator import Devnet, NetworkChain
from harness.network.topology import load_network

NETWORK = BUILTIN_DIR / "kusama-polkadot.yaml"
TARGET_MB = 50.0


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kb / 1024


def devnet(state_pruning: int | None) -> Devnet:
    """The devnet's chains and delivery hooks, without its RPC servers (nothing here talks JSON-RPC)."""
    config = build_config(load_network(NETWORK))
    if state_pruning is not None:
        config = dataclasses.replace(config, state_pruning=state_pruning)
    net = Devnet(config)
    for name, chain in config.chains.items():
        net.chains[name] = NetworkChain(net, chain, config.block_mode)
        net.chains[name].after_block.append(net._after_block)
    return net


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--blocks", type=int, default=20_000, help="blocks in all, over the six chains")
    parser.add_argument("--state-pruning", type=int, help="override the network file's window")
    args = parser.parse_args(argv)
    net = devnet(args.state_pruning)
    chains = list(net.chains.values())
    gc.collect()
    start = rss_mb()
    window = net.config.state_pruning
    print(f"devnet: {len(chains)} chains, state window {window} blocks; building {args.blocks} blocks")
    print(f"RSS at start: {start:.1f} MB")
    full_at = window * len(chains)  # every chain has a full window
    began = time.perf_counter()
    for n in range(1, args.blocks + 1):
        chains[n % len(chains)].build_block()
        if n == full_at:
            gc.collect()
            print(f"RSS with the window full ({n} blocks): {rss_mb():.1f} MB")
    elapsed = time.perf_counter() - began
    gc.collect()
    end = rss_mb()
    print(f"RSS at end ({args.blocks} blocks, {args.blocks / elapsed:.0f} blocks/s): {end:.1f} MB")
    growth = end - start
    print(f"growth: {growth:.1f} MB (target < {TARGET_MB:.0f} MB): {'ok' if growth < TARGET_MB else 'OVER'}")
    return 0 if growth < TARGET_MB else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
