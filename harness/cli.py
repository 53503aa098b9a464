"""The `harness` command: run scenarios, validate them, bring networks up, scaffold and set up a project."""
from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path

from .compare import cli as compare_cli
from .endpoints import write_endpoints
from .errors import HarnessError
from .network.catalog import entries, not_found
from .network.topology import find_network, load_network
from .project.scaffold import next_steps, scaffold
from .project.schema import SCHEMA_FILE, write_schema
from .providers.chopsticks_install import setup
from .providers.process import stop_all
from .providers.registry import DEFAULT, PROVIDERS, choose_provider
from .scenario.parse import load_scenarios
from .scenario.positions import ScenarioErrors
from .settings import Settings


def _yaml_files(paths: list[str]) -> tuple[list[Path], list[str]]:
    files, missing = [], []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml")))
        elif path.is_file():
            files.append(path)
        else:
            missing.append(raw)
    return files, missing


def cmd_validate(args: argparse.Namespace) -> int:
    files, missing = _yaml_files(args.paths or ["scenarios"])
    lines = [f"{m}: no such file or folder (hint: give scenario files or folders)" for m in missing]
    count = 0
    for file in files:
        try:
            count += len(load_scenarios(file, [Path(d) for d in args.network_dir]))
        except ScenarioErrors as exc:
            lines.extend(e.line() for e in exc.errors)
    for line in lines:
        print(line)
    if lines:
        return 1
    print(f"{count} scenario(s) in {len(files)} file(s): valid")
    return 0


def cmd_run(args: argparse.Namespace, extra: list[str]) -> int:
    import pytest

    return int(pytest.main([*(args.paths or ["scenarios"]), *extra]))


def _network_dirs(extra: list[str]) -> list[Path]:
    return [*(Path(d) for d in extra), Path.cwd() / "networks"]


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def cmd_chains_up(args: argparse.Namespace) -> int:
    dirs = _network_dirs(args.network_dir)
    path = find_network(args.network, dirs)
    if path is None:
        raise not_found(args.network, dirs)
    spec = load_network(path)
    settings = Settings.from_env()
    if args.startup_timeout:
        settings = Settings(**{**settings.__dict__, "startup_timeout": args.startup_timeout})
    # While starting, a signal interrupts the provider's wait (which then stops its processes);
    # once up, it ends the serving loop below, which stops the network.
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    network = choose_provider(args.provider, spec).start(spec, settings)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        if args.endpoints_file:
            write_endpoints(Path(args.endpoints_file), network.endpoints)
        print(json.dumps(network.endpoints, indent=2), flush=True)
        print(f"# {spec.name} is up ({network.provider}); Ctrl-C to stop", file=sys.stderr, flush=True)
        while not stop.wait(0.5):
            pass
    finally:
        network.stop()
    return 0


def cmd_networks(args: argparse.Namespace) -> int:
    for entry in entries(_network_dirs(args.network_dir)):
        try:
            chains = ", ".join(load_network(entry.path).chains)
        except ScenarioErrors as exc:
            chains = f"invalid: {exc.errors[0].line()}"
        print(f"{entry.name}  ({entry.origin})\n  chains: {chains}")
    return 0


def cmd_setup(args: argparse.Namespace) -> int:
    print(f"chopsticks: {setup()}")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    target = Path(args.dir)
    written = scaffold(target, args.force)
    print(f"created in {target}:")
    for rel in written:
        print(f"  {rel}")
    for line in next_steps(target):
        print(line)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    path = write_schema(Path(args.output))
    print(f"wrote {path}; a scenario file names it in its first line:")
    print(f"# yaml-language-server: $schema=<path from the scenario file to {path.name}>")
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="harness", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="run scenarios under pytest: harness run [paths] [pytest args]")
    run.add_argument("paths", nargs="*")
    validate = sub.add_parser("validate", help="check scenario files against the schema, without running them")
    validate.add_argument("paths", nargs="*")
    validate.add_argument("--network-dir", action="append", default=[], help="extra folder of network files")
    chains = sub.add_parser("chains", help="network control")
    chains_sub = chains.add_subparsers(dest="action", required=True)
    up = chains_sub.add_parser("up", help="start a network, print its endpoints as JSON, stay up until Ctrl-C")
    up.add_argument("--network", required=True,
                    help="a network file's name in networks/ (e.g. kusama-polkadot), or its path")
    up.add_argument("--provider", help=f"one of {', '.join(PROVIDERS)}; default: the network file's, else {DEFAULT}")
    up.add_argument("--endpoints-file", help='also write the endpoints, {"kusama": "ws://127.0.0.1:PORT", ...}, here')
    up.add_argument("--network-dir", action="append", default=[])
    up.add_argument("--startup-timeout", type=float)
    compare_cli.add_parser(sub)
    networks = sub.add_parser("networks", help="list the networks a scenario can name, their chains and origin")
    networks.add_argument("--network-dir", action="append", default=[], help="extra folder of network files")
    sub.add_parser("setup", help="install chopsticks (npm ci, once per pinned version) into the per-user cache")
    init = sub.add_parser("init", help="scaffold a scenario project: examples, pytest.ini, a CI workflow")
    init.add_argument("dir", nargs="?", default=".")
    init.add_argument("--force", action="store_true", help="overwrite files that exist")
    schema = sub.add_parser("schema", help="write the scenario JSON Schema for editors (yaml-language-server)")
    schema.add_argument("-o", "--output", default=SCHEMA_FILE, help=f"where to write it (default: {SCHEMA_FILE})")
    return top


COMMANDS = {"validate": cmd_validate, "networks": cmd_networks, "setup": cmd_setup, "init": cmd_init,
            "schema": cmd_schema, "chains": cmd_chains_up}


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["run"]:  # everything after the paths goes to pytest untouched
        rest = argv[1:]
        split = next((i for i, a in enumerate(rest) if a.startswith("-")), len(rest))
        args = argparse.Namespace(paths=rest[:split])
        return cmd_run(args, rest[split:])
    args = parser().parse_args(argv)
    if getattr(args, "handler", None):  # a subcommand that handles itself (harness/compare/cli.py)
        return args.handler(args)
    try:
        return COMMANDS[args.command](args)
    except HarnessError as exc:
        print(f"harness: error: {exc}", file=sys.stderr)
        return 2
    except ScenarioErrors as exc:
        for error in exc.errors:
            print(error.line(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        stop_all()


if __name__ == "__main__":
    sys.exit(main())
