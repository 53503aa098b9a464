"""`--shard K/N` (harness/plugin/shard.py): N deterministic slices that partition the suite, balanced by
recorded durations."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from harness.plugin.shard import DEFAULT_SECONDS, parse_shard, partition

ROOT = Path(__file__).resolve().parent.parent

needs_entry_point = pytest.mark.skipif(
    "harness-shard" not in {e.name for e in entry_points(group="pytest11")},
    reason="the installed package predates the harness-shard entry point: pip install -e . again")


def test_every_item_lands_in_exactly_one_slice_in_its_own_order():
    ids = [f"t{i}" for i in range(23)]
    slices = partition(ids, {"t3": 9.0, "t7": 4.0}, 4)
    assert sorted(i for s in slices for i in s) == sorted(ids)
    assert all(s == sorted(s, key=ids.index) for s in slices)


def test_slices_are_balanced_longest_first():
    durations = {"a": 8.0, "b": 7.0, "c": 6.0, "d": 5.0, "e": 4.0, "f": 2.0}
    # each, longest first, into the lighter slice (the lower on a tie): a 0, b 1, c 1, d 0, e 0 (13 = 13), f 1
    assert partition(list(durations), durations, 2) == [["a", "d", "e"], ["b", "c", "f"]]


def test_unrecorded_items_weigh_the_median_of_the_recorded_ones():
    # one heavy recorded item; three unrecorded ones count 1 s each (the median of {1, 1, 30} is 1)
    durations = {"heavy": 30.0, "x": 1.0, "y": 1.0}
    slices = partition(["heavy", "x", "y", "new1", "new2", "new3"], durations, 2)
    assert ["heavy"] in slices
    assert partition(["p", "q"], {}, 2) == [["p"], ["q"]] and DEFAULT_SECONDS > 0


def test_the_same_input_gives_the_same_slices():
    ids = [f"t{i}" for i in range(50)]
    durations = {f"t{i}": float(i % 7) for i in range(0, 50, 3)}
    assert partition(ids, durations, 5) == partition(list(ids), dict(durations), 5)


@pytest.mark.parametrize("text", ["0/3", "4/3", "3", "a/b", "1/0"])
def test_a_bad_shard_is_refused(text):
    import argparse

    with pytest.raises(argparse.ArgumentTypeError, match="K/N"):
        parse_shard(text)


def collected(*args: str) -> list[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return [line for line in proc.stdout.splitlines() if "::" in line]


@needs_entry_point
def test_the_shards_partition_the_suite():
    whole = collected()
    shards = [collected("--shard", f"{k}/3") for k in (1, 2, 3)]
    assert all(shards), "a shard is empty"
    assert sorted(i for s in shards for i in s) == sorted(whole)  # nothing lost, nothing twice


@needs_entry_point
def test_recorded_durations_are_written_and_read(tmp_path):
    (tmp_path / "test_some.py").write_text("import time\n" + "".join(
        f"def test_{i}():\n    time.sleep({0.2 if i == 0 else 0})\n" for i in range(4)))
    durations = tmp_path / "durations.json"
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir", str(tmp_path),
                           "--record-durations", str(durations), str(tmp_path)], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == 0, proc.stdout
    recorded = json.loads(durations.read_text())
    assert set(recorded) == {f"test_some.py::test_{i}" for i in range(4)} and recorded["test_some.py::test_0"] >= 0.2
    slices = partition(list(recorded), recorded, 2)
    assert ["test_some.py::test_0"] in slices  # the slow one alone, the three quick ones together
