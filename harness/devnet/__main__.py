"""`python -m harness.devnet --network FILE`: serve a network's emulated chains until SIGINT or SIGTERM.

Once every chain listens, one JSON line goes to stdout (the devnet provider waits for it):
    {"event": "ready", "network": "kusama-polkadot", "block_mode": "instant", "endpoints": {"kusama": "ws://..."}}
Bad input (a broken network file, a port in use) is one line on stderr and exit code 2. SIGINT or
SIGTERM at any time, even while starting, ends it quietly with exit code 0.
"""
import os
import signal


def _exit_at_once(signum, frame) -> None:
    """A stop before the loop handles signals: nothing is open yet, so there is nothing to tear down.
    (Raising KeyboardInterrupt instead can land in an import callback, which ignores it.)"""
    os._exit(0)


# Before the imports below, which are a good part of the start.
for _sig in (signal.SIGINT, signal.SIGTERM):
    signal.signal(_sig, _exit_at_once)

import argparse  # noqa: E402
import asyncio  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

from ..endpoints import write_endpoints  # noqa: E402
from ..errors import HarnessError  # noqa: E402
from ..network.catalog import not_found  # noqa: E402
from ..network.topology import find_network, load_network  # noqa: E402
from ..providers.registry import check_names  # noqa: E402
from ..scenario.positions import ScenarioErrors  # noqa: E402
from .devnet_config import BLOCK_MODES, DevnetConfig, build_config  # noqa: E402
from .orchestrator import Devnet  # noqa: E402


async def serve(config: DevnetConfig, endpoints_file: Path | None) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    devnet = await Devnet.start(config)
    try:
        if stop.is_set():  # asked to stop while starting
            return
        if endpoints_file:
            write_endpoints(endpoints_file, devnet.endpoints)
        print(json.dumps({"event": "ready", "network": config.network, "block_mode": config.block_mode,
                          "endpoints": devnet.endpoints}), flush=True)
        await stop.wait()
    finally:
        await devnet.close()


def _config(network: str, block_mode: str | None) -> DevnetConfig:
    dirs = [Path.cwd() / "networks"]  # then the built-in networks (network/catalog.py)
    path = find_network(network, dirs)
    if path is None:
        raise not_found(network, dirs)
    network = load_network(path)
    check_names(network)
    return build_config(network, block_mode)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m harness.devnet", description=__doc__.splitlines()[0])
    top.add_argument("--network", required=True, help="network file (or its name in networks/)")
    top.add_argument("--endpoints-file", type=Path,
                     help='also write {"chain": "ws://..."} to this file (overrides providers.devnet.endpoints_file)')
    top.add_argument("--block-mode", choices=BLOCK_MODES, help="overrides providers.devnet.block_mode")
    return top


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        config = _config(args.network, args.block_mode)
        asyncio.run(serve(config, args.endpoints_file or config.endpoints_file))
    except ScenarioErrors as exc:
        for error in exc.errors:
            print(error.line(), file=sys.stderr)
        return 2
    except HarnessError as exc:
        print(f"devnet: error: {exc}", file=sys.stderr)  # the devnet provider looks for this prefix
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
