"""Plugin: `--shard K/N` keeps the K-th of N deterministic slices of the collected items, for a CI matrix
where each machine runs one slice (and may use pytest-xdist inside it).

Slices are balanced by recorded durations: `--record-durations FILE` writes each test's seconds (setup, call
and teardown) after a run, and `--durations-file FILE` (default ci/durations.json) is read to slice. Items are
packed greedily, longest first, each into the slice with the least time so far; an item with no recorded
duration counts as the median of the recorded ones. Every machine computes the same slices from the same
collection, so the N slices partition the suite: each item runs on exactly one machine.
"""
from __future__ import annotations

import argparse
import heapq
import json
import statistics
from dataclasses import dataclass
from pathlib import Path

import pytest

DEFAULT_DURATIONS = "ci/durations.json"
DEFAULT_SECONDS = 1.0  # for an item when nothing at all is recorded


@dataclass(frozen=True)
class Shard:
    index: int  # 1-based, as written on the command line
    count: int


def parse_shard(text: str) -> Shard:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected K/N (e.g. 2/4), not {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"K must be between 1 and N in K/N, not {text!r}")
    return Shard(index, count)


def partition(nodeids: list[str], durations: dict[str, float], count: int) -> list[list[str]]:
    """`count` slices of `nodeids`, each in the items' own order, balanced by duration (greedy, longest first).
    Ties are broken by node id and slice number, so the result depends on nothing but the arguments."""
    known = [durations[n] for n in nodeids if n in durations]
    default = statistics.median(known) if known else DEFAULT_SECONDS
    weight = {n: durations.get(n, default) for n in nodeids}
    heap = [(0.0, slot) for slot in range(count)]
    slot_of: dict[str, int] = {}
    for nodeid in sorted(nodeids, key=lambda n: (-weight[n], n)):
        total, slot = heapq.heappop(heap)
        slot_of[nodeid] = slot
        heapq.heappush(heap, (total + weight[nodeid], slot))
    return [[n for n in nodeids if slot_of[n] == slot] for slot in range(count)]


def read_durations(path: Path) -> dict[str, float]:
    try:
        data = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except ValueError as exc:
        raise pytest.UsageError(f"{path}: not a JSON durations file ({exc}); delete it or record it anew "
                                "with --record-durations") from None
    if not isinstance(data, dict) or not all(isinstance(v, (int, float)) for v in data.values()):
        raise pytest.UsageError(f"{path}: expected an object of test id -> seconds; record it anew with "
                                "--record-durations")
    return {str(k): float(v) for k, v in data.items()}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness-shard", "splitting the suite across machines")
    group.addoption("--shard", type=parse_shard, metavar="K/N",
                    help="run only the K-th of N slices of the collected items, balanced by recorded durations")
    group.addoption("--durations-file", metavar="FILE",
                    help=f"recorded durations to balance the slices by (default: {DEFAULT_DURATIONS})")
    group.addoption("--record-durations", metavar="FILE",
                    help="after the run, write each test's seconds into FILE (merged with what FILE holds)")


def _durations_path(config: pytest.Config) -> Path:
    given = config.getoption("durations_file")
    return Path(given) if given else config.rootpath / DEFAULT_DURATIONS


@pytest.hookimpl(trylast=True)  # after -k/-m and other plugins' deselection: slice what would run
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    shard: Shard | None = config.getoption("shard")
    if shard is None:
        return
    slices = partition([item.nodeid for item in items], read_durations(_durations_path(config)), shard.count)
    keep = set(slices[shard.index - 1])
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in keep])
    items[:] = [item for item in items if item.nodeid in keep]


class DurationRecorder:
    """Registered in the process that sees every report: the only one, or the xdist controller."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seconds: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        self.seconds[report.nodeid] = self.seconds.get(report.nodeid, 0.0) + report.duration

    def pytest_sessionfinish(self) -> None:
        merged = {**read_durations(self.path), **{k: round(v, 3) for k, v in self.seconds.items()}}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(dict(sorted(merged.items())), indent=1) + "\n")


def pytest_configure(config: pytest.Config) -> None:
    path = config.getoption("record_durations")
    if path and not hasattr(config, "workerinput"):  # xdist sets workerinput on its workers only
        config.pluginmanager.register(DurationRecorder(Path(path)), "harness-duration-recorder")
