"""Whether two `--report` folders hold the same results once timings are dropped.

Extrinsic signatures (sr25519) are randomised, so extrinsic hashes, the message ids derived from them and
the block hashes that include them differ between any two runs. Each 32-byte hash is renamed to the order
in which it first appears in its file (H1, H2, ...): a run whose ids match up differently still differs.

    python bench/results_equal.py BASE_DIR CANDIDATE_DIR
Prints one line per scenario that differs (with the first differing paths) and exits 1 if any does.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

TIMINGS = {"seconds"}
HASH = re.compile(r"^0x[0-9a-f]{64}$")


def _hash_list(value) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, str) and HASH.match(v) for v in value)


def normalised(value, names: dict[str, str], sets: bool):
    """First pass (sets=False) names hashes in traversal order, leaving lists of hashes alone: their order is
    the hashes' own (a set), so they would name them in a random order. Second pass: those lists, sorted."""
    if isinstance(value, dict):
        return {k: normalised(v, names, sets) for k, v in value.items() if k not in TIMINGS}
    if _hash_list(value):
        return sorted(names.get(v, "H?") for v in value) if sets else value
    if isinstance(value, list):
        return [normalised(v, names, sets) for v in value]
    if isinstance(value, str) and HASH.match(value):
        return names.setdefault(value, f"H{len(names) + 1}") if not sets else value
    return value


def differences(a, b, path: str = "") -> list[str]:
    if type(a) is not type(b):
        return [f"{path or '.'}: {a!r} != {b!r}"]
    if isinstance(a, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in differences(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]


def results(folder: Path) -> dict[str, dict]:
    found = {}
    for file in sorted((folder / "results").glob("*.json")):
        data = json.loads(file.read_text())
        scenario = data["scenario"]
        key = f"{Path(scenario['file']).name}::{scenario['name']}"
        names: dict[str, str] = {}
        found[key] = normalised(normalised(data, names, sets=False), names, sets=True)
        found[key]["scenario"].pop("file", None)  # the checkout's path
    return found


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-2].strip())
        return 2
    base, candidate = (results(Path(a)) for a in argv)
    differing = 0
    for key in sorted(set(base) | set(candidate)):
        if key not in base or key not in candidate:
            print(f"DIFFERS {key}: only in {'candidate' if key not in base else 'base'}")
            differing += 1
            continue
        diffs = differences(base[key], candidate[key])
        if diffs:
            differing += 1
            print(f"DIFFERS {key}: " + "; ".join(diffs[:3]))
        else:
            print(f"equal   {key}")
    print(f"{len(set(base) | set(candidate)) - differing} equal, {differing} differ")
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
