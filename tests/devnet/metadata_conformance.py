"""Compare a devnet chain's metadata with a reference and explain every difference.

Both sides are decoded by the same program, tests/devnet/js/metadata_summary.mjs (@polkadot/types,
the decoder wallets use), into a summary: per pallet its index, its calls, events and errors (name,
index, field names), its storage item names and its constants (SCALE hex). The reference is the real
V15 metadata that @polkadot/types-support ships (REAL_METADATA), or for the Bridge Hubs the summary
in tests/devnet/bridge_hub_reference.json (the relayer's generated runtime code).

A difference is one item path ("Balances.events.Held", "System.constants.DbWeight", "XcmPallet")
and a detail. It passes only through an entry of tests/devnet/metadata_allowlist.yaml, which names
the chains, the item, and either the runtime version that changed it and its source, or the devnet
simplification it is (documented in docs/devnet.md) and the source of the real fact.
"""
from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "tests" / "devnet" / "js" / "metadata_summary.mjs"
METADATA_DIR = REPO / "node_modules" / "@polkadot" / "types-support" / "metadata" / "v15"
ALLOWLIST = REPO / "tests" / "devnet" / "metadata_allowlist.yaml"
BRIDGE_HUB_REFERENCE = REPO / "tests" / "devnet" / "bridge_hub_reference.json"
NODE_TIMEOUT_S = 60
KINDS = ("calls", "events", "errors")

# devnet chain -> (@polkadot/types-support file stem, its specVersion as *-ver.js says)
REAL_METADATA = {
    "kusama": ("kusama", 1_009_002),
    "polkadot": ("polkadot", 2_000_000),
    "kusama-asset-hub": ("asset-hub-kusama", 1_009_003),
    "polkadot-asset-hub": ("asset-hub-polkadot", 2_000_000),
}


@dataclass(frozen=True)
class Difference:
    item: str       # Pallet, Pallet.kind.Name or Pallet.constants.Name (Version: .spec_version, .apis)
    detail: str

    def __str__(self) -> str:
        return f"{self.item}: {self.detail}"


@dataclass(frozen=True)
class Allowed:
    """One allow-list entry: a difference the devnet may show, and why."""

    chains: tuple[str, ...]
    items: tuple[str, ...]
    why: str
    source: str
    version: str | None = None        # the runtime version that changed it (a version change)
    simplification: str | None = None  # the docs/devnet.md simplification it is

    def covers(self, chain: str, diff: Difference) -> bool:
        return chain in self.chains and diff.item in self.items


def summarize(node: str, hex_file: Path) -> dict:
    """The summary metadata_summary.mjs prints for a file holding metadata as hex."""
    done = subprocess.run([node, str(SCRIPT), str(hex_file)], capture_output=True, text=True,
                          timeout=NODE_TIMEOUT_S, cwd=REPO)
    if done.returncode != 0:
        raise RuntimeError(f"metadata_summary.mjs failed on {hex_file}: {done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout)


def compare(devnet: dict, reference: dict, constants: bool = True) -> tuple[int, list[Difference]]:
    """(items compared, differences) over the pallets the devnet serves: each pallet's presence and
    index; each call, event and error of either side (name, index, field names); each storage name;
    each constant's value (when `constants`)."""
    count, diffs = 0, []
    for name, mine in devnet["pallets"].items():
        count += 1
        real = reference["pallets"].get(name)
        if real is None:
            diffs.append(Difference(name, "pallet not in the reference"))
            continue
        if mine["index"] != real["index"]:
            diffs.append(Difference(name, f"index {mine['index']} on the devnet, {real['index']} in the reference"))
        for kind in KINDS:
            if kind not in real:
                continue                                   # the reference does not cover this kind
            ours = {v["name"]: v for v in mine[kind] or []}
            theirs = {v["name"]: v for v in real[kind] or []}
            for key in sorted(ours.keys() | theirs.keys()):
                count += 1
                a, b = ours.get(key), theirs.get(key)
                if a != b:
                    diffs.append(Difference(f"{name}.{kind}.{key}", _variant_detail(a, b)))
        if "storage" in real:
            for key in sorted(set(mine["storage"]) | set(real["storage"])):
                count += 1
                if (key in mine["storage"]) != (key in real["storage"]):
                    where = "on the devnet" if key in mine["storage"] else "in the reference"
                    diffs.append(Difference(f"{name}.storage.{key}", f"only {where}"))
        if constants and "constants" in real:
            for key in sorted(mine["constants"].keys() | real["constants"].keys()):
                if key == "Version" and name == "System":
                    continue                               # compared field by field: compare_version
                count += 1
                a, b = mine["constants"].get(key), real["constants"].get(key)
                if a != b:
                    diffs.append(Difference(f"{name}.constants.{key}", f"{a} on the devnet, {b} in the reference"))
    return count, diffs


def _variant_detail(ours: dict | None, theirs: dict | None) -> str:
    def show(v):
        return f"index {v['index']}, fields {v['fields']}"
    if theirs is None:
        return f"only on the devnet ({show(ours)})"
    if ours is None:
        return f"only in the reference ({show(theirs)})"
    return f"{show(ours)} on the devnet, {show(theirs)} in the reference"


def compare_version(runtime, devnet: dict, reference: dict) -> tuple[int, list[Difference]]:
    """System.Version field by field, decoded with the devnet's RuntimeVersion type: every field
    equal except spec_version; every runtime API the devnet serves at the reference's version."""
    vtype = runtime.version_type
    ours = runtime.registry.decode(vtype, bytes.fromhex(devnet["pallets"]["System"]["constants"]["Version"][2:]))
    theirs = runtime.registry.decode(vtype, bytes.fromhex(reference["pallets"]["System"]["constants"]["Version"][2:]))
    count, diffs = 0, []
    for key in ours:
        if key == "apis":
            continue
        count += 1
        if ours[key] != theirs[key]:
            diffs.append(Difference(f"System.constants.Version.{key}", f"{ours[key]} on the devnet, {theirs[key]}"
                                                                       " in the reference"))
    real_apis = {bytes(a[0]): a[1] for a in theirs["apis"]}
    for api_id, version in ours["apis"]:
        count += 1
        real_version = real_apis.get(bytes(api_id))
        if real_version != version:
            diffs.append(Difference(f"System.constants.Version.apis.0x{bytes(api_id).hex()}",
                                    f"version {version} on the devnet, {real_version} in the reference"))
    missing = [f"0x{i.hex()}" for i in real_apis if i not in {bytes(a[0]) for a in ours["apis"]}]
    count += 1
    if missing:
        diffs.append(Difference("System.constants.Version.apis", f"{len(missing)} runtime APIs not served: "
                                                                 + ", ".join(missing)))
    return count, diffs


def bridge_hub_reference(chain: str) -> dict:
    """The Bridge Hub reference summary (no real metadata ships offline): pallet indices and every
    call, event and error (name, index, field names) of the 2_003_000 runtime, from the relayer's
    generated code (tests/devnet/bridge_hub_reference.json says where). It has no storage names and
    no constant values, so those are not compared."""
    data = json.loads(BRIDGE_HUB_REFERENCE.read_text())
    return {"version": 15, "pallets": data["chains"][chain]}


def load_allowlist(path: Path = ALLOWLIST) -> list[Allowed]:
    """The allow-list, each entry checked: chains, items, why, source, and exactly one of version
    (a version change) and simplification (documented in docs/devnet.md)."""
    entries = yaml.safe_load(path.read_text()) or []
    out = []
    for n, e in enumerate(entries, 1):
        where = f"{path.name} entry {n} ({(e.get('items') or ['?'])[0]})"
        missing = [k for k in ("chains", "items", "why", "source") if not e.get(k)]
        if missing:
            raise ValueError(f"{where}: missing {', '.join(missing)}")
        if bool(e.get("version")) == bool(e.get("simplification")):
            raise ValueError(f"{where}: give either `version` (the runtime version that changed it) or "
                             "`simplification` (the docs/devnet.md item it is), not both or neither")
        unknown = set(e) - {"chains", "items", "why", "source", "version", "simplification"}
        if unknown:
            raise ValueError(f"{where}: unknown keys {sorted(unknown)}")
        out.append(Allowed(tuple(e["chains"]), tuple(e["items"]), e["why"], e["source"], e.get("version"),
                           e.get("simplification")))
    return out


def unexplained(chain: str, diffs: list[Difference], allowed: list[Allowed]) -> list[Difference]:
    return [d for d in diffs if not any(a.covers(chain, d) for a in allowed)]


def stale(chain: str, diffs: list[Difference], allowed: list[Allowed]) -> list[Allowed]:
    """Entries for this chain with an item that is no difference any more (the devnet was fixed)."""
    return [a for a in allowed if chain in a.chains
            and any(not any(d.item == item for d in diffs) for item in a.items)]


def report(chain: str, diffs: list[Difference]) -> str:
    return f"{chain}: {len(diffs)} metadata difference(s) with no allow-list entry:\n" + "\n".join(
        f"  {d}" for d in diffs)
