"""Each devnet chain's metadata against the live runtimes' (tests/devnet/metadata_conformance.py):
every pallet index, call, event and error (name, index, field names), storage name and constant
value of the pallets the devnet serves. Relays and Asset Hubs: the real V15 metadata shipped by
@polkadot/types-support; Bridge Hubs: the relayer's generated code for the 2_003_000 runtimes
(calls, events, errors and indices only). Every difference needs an entry in
tests/devnet/metadata_allowlist.yaml, and every entry must still excuse a difference."""
from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest

from harness.devnet.runtimes import build_runtime
from harness.devnet.runtimes.presets import default_config
from tests.devnet import metadata_conformance as mc
from tests.devnet.chain_server import require

CHAINS = ("kusama", "polkadot", "kusama-asset-hub", "polkadot-asset-hub", "kusama-bridge-hub",
          "polkadot-bridge-hub")
DOCS = mc.REPO / "docs" / "devnet.md"


@dataclasses.dataclass
class Checked:
    chain: str
    devnet: dict
    reference: dict
    count: int
    diffs: list[mc.Difference]


@pytest.fixture(scope="module")
def node_bin() -> str:
    node = require(shutil.which("node"), "node", "ci/setup.sh expects Node.js 18+ on PATH")
    require(mc.METADATA_DIR / "polkadot-hex.js", "@polkadot/types-support", "run `npm ci` in the repository root")
    return node


@pytest.fixture(scope="module")
def allowlist() -> list[mc.Allowed]:
    return mc.load_allowlist()


def devnet_summary(node: str, runtime, tmp: Path) -> dict:
    path = tmp / f"{runtime.config.name}.hex"
    path.write_text("0x" + runtime.metadata(15).hex())
    return mc.summarize(node, path)


def check(node: str, chain: str, tmp: Path) -> Checked:
    runtime = build_runtime(default_config(chain))
    devnet = devnet_summary(node, runtime, tmp)
    if chain in mc.REAL_METADATA:
        reference = mc.summarize(node, mc.METADATA_DIR / f"{mc.REAL_METADATA[chain][0]}-hex.js")
        count, diffs = mc.compare(devnet, reference)
        more, version_diffs = mc.compare_version(runtime, devnet, reference)
        count, diffs = count + more, diffs + version_diffs
    else:
        reference = mc.bridge_hub_reference(chain)
        count, diffs = mc.compare(devnet, reference, constants=False)
    return Checked(chain, devnet, reference, count, diffs)


@pytest.fixture(scope="module", params=CHAINS)
def checked(request, node_bin, tmp_path_factory) -> Checked:
    return check(node_bin, request.param, tmp_path_factory.mktemp(request.param))


def test_the_reference_is_the_expected_runtime():
    for chain, (stem, spec_version) in mc.REAL_METADATA.items():
        text = (mc.METADATA_DIR / f"{stem}-ver.js").read_text()
        assert f'"specVersion": {spec_version},' in text, f"{stem}-ver.js is not spec {spec_version}"


def test_every_difference_is_allowed(checked, allowlist):
    assert checked.count > 250, f"{checked.chain}: only {checked.count} items compared"
    left = mc.unexplained(checked.chain, checked.diffs, allowlist)
    assert not left, mc.report(checked.chain, left)


def test_every_allow_list_entry_is_still_needed(checked, allowlist):
    unused = mc.stale(checked.chain, checked.diffs, allowlist)
    assert not unused, (f"{checked.chain}: allow-list entries with items that differ no more: "
                        f"{[a.items for a in unused]}")


def test_allow_list_entries_are_documented(allowlist):
    docs = DOCS.read_text()
    for entry in allowlist:
        assert set(entry.chains) <= set(CHAINS), f"{entry.items[0]}: unknown chains {entry.chains}"
        if entry.simplification:
            assert entry.simplification in docs, (
                f"{entry.items[0]}: simplification {entry.simplification!r} is not in docs/devnet.md")


def test_a_bad_allow_list_entry_is_refused(tmp_path):
    bad = tmp_path / "allow.yaml"
    bad.write_text("- {chains: [kusama], items: [Balances], why: moved, source: a PR}\n")
    with pytest.raises(ValueError, match=r"entry 1 \(Balances\): give either `version`"):
        mc.load_allowlist(bad)


def test_a_planted_index_change_fails(node_bin, allowlist, tmp_path):
    """Balances moved to index 7 and System's Remarked event renamed on the Kusama devnet: the check
    names both."""
    runtime = build_runtime(default_config("kusama"))
    runtime.pallet("Balances").index = 7
    devnet = devnet_summary(node_bin, runtime, tmp_path)
    events = devnet["pallets"]["System"]["events"]
    events[:] = [dict(e, name="Remarkd") if e["name"] == "Remarked" else e for e in events]
    reference = mc.summarize(node_bin, mc.METADATA_DIR / "kusama-hex.js")
    _, diffs = mc.compare(devnet, reference)
    message = mc.report("kusama", mc.unexplained("kusama", diffs, allowlist))
    assert "Balances: index 7 on the devnet, 4 in the reference" in message
    assert "System.events.Remarkd: only on the devnet" in message
    assert "System.events.Remarked: only in the reference" in message


def test_bridge_hub_reference_matches_construct_runtime():
    """The pallet indices the reference holds for the bridge pallets are construct_runtime!'s
    (fellows v2.3.2 bridge-hub-*/src/lib.rs)."""
    data = json.loads(mc.BRIDGE_HUB_REFERENCE.read_text())["chains"]
    expected = {
        "kusama-bridge-hub": {"BridgeRelayers": 50, "BridgePolkadotGrandpa": 51, "BridgePolkadotParachains": 52,
                              "BridgePolkadotMessages": 53, "XcmOverBridgeHubPolkadot": 54, "MessageQueue": 175},
        "polkadot-bridge-hub": {"BridgeRelayers": 50, "BridgeKusamaGrandpa": 51, "BridgeKusamaParachains": 52,
                                "BridgeKusamaMessages": 53, "XcmOverBridgeHubKusama": 54, "MessageQueue": 175}}
    for chain, pallets in expected.items():
        assert {name: data[chain][name]["index"] for name in pallets} == pallets
