"""Candidate runtimes and the upgrade step: bad input gets one clear line each, a wasm upgrade on the devnet is
skipped with its reason, and on chopsticks a real upgrade changes the spec version and code hash (a bumped
fixture made from the genesis spec at test time) or is refused in the runtime's own words."""
from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import jsonschema
import pytest
from test_providers import (PYTHON, assert_gone, chain_header, run_ports, run_processes, started_without_deathsig,
                            stop_subprocess, subprocess_env, wait_for, work_dir, write_network)  # noqa: F401

from harness.engine.candidates import parse_runtime_option, unknown_chains, with_candidates
from harness.engine.pool import NetworkPool
from harness.engine.result import ScenarioFailure
from harness.engine.runner import ScenarioRunner
from harness.errors import ProviderError
from harness.network.runtime_wasm import ZSTD_PREFIX, check_spec_name, genesis_code, load_candidate, \
    read_runtime_bytes
from harness.network.topology import load_network
from harness.plugin.collect import missing_capability
from harness.report.html import render_page
from harness.report.json_result import ScenarioOutcome, to_json
from harness.report.result_schema import SCHEMA
from harness.providers.registry import get_provider
from harness.scenario.parse import load_scenarios
from harness.settings import Settings
from harness.testing.runtime_fixture import bump_spec_version, bumped_runtime

ROOT = Path(__file__).resolve().parent.parent
SPECS = Path(os.environ.get("HARNESS_CHAINSPECS", ROOT.parent.parent / "shared" / "chainspecs"))
RELAY_SPEC = SPECS / "kusama-local.json"
needs_specs = pytest.mark.skipif(not RELAY_SPEC.is_file(), reason=f"no genesis specs at {SPECS}")


def test_a_missing_candidate(tmp_path):
    with pytest.raises(ProviderError) as err:
        load_candidate(tmp_path / "nope.wasm", "kusama")
    assert str(err.value) == (f"candidate runtime for 'kusama' not found: {tmp_path / 'nope.wasm'}; hint: give the "
                              "path of a runtime .wasm file (e.g. a fellows release's .compact.compressed.wasm)")


@pytest.mark.parametrize("content, what", [
    (b"PK\x03\x04zipzip", "it starts with 504b03047a69707a"),
    (ZSTD_PREFIX + b"not zstd", "it has the compressed-runtime prefix, but its zstd data does not decompress"),
    (b"\0asm\x01\0\0\0", "it is a wasm module with no runtime_version section (not a Substrate runtime)"),
])
def test_a_file_that_is_not_a_runtime(tmp_path, content, what):
    path = tmp_path / "x.wasm"
    path.write_bytes(content)
    with pytest.raises(ProviderError) as err:
        load_candidate(path, "kusama")
    assert str(err.value).startswith(f"candidate runtime for 'kusama' is not a runtime wasm: {path}: {what}; hint: "
                                     "expected a runtime wasm: a wasm module (starts with \\0asm) or one compressed")


@needs_specs
def test_a_runtime_of_another_chain():
    candidate = read_runtime_bytes(genesis_code(SPECS / "asset-hub-kusama-local.json"))
    with pytest.raises(ProviderError) as err:
        check_spec_name(candidate, "ah.wasm", "kusama", "kusama")
    assert str(err.value) == ("candidate runtime for 'kusama' is spec 'statemine', but 'kusama' runs spec 'kusama': "
                              "ah.wasm; hint: give the 'kusama' runtime for 'kusama'")


@needs_specs
def test_the_fixture_raises_the_version_and_changes_the_hash():
    code = genesis_code(RELAY_SPEC)
    before, after = read_runtime_bytes(code), read_runtime_bytes(bump_spec_version(code))
    assert (before.spec_name, before.spec_version) == ("kusama", 1000000)
    assert (after.spec_name, after.spec_version, after.transaction_version) == ("kusama", 1000001, 24)
    assert after.code_hash != before.code_hash


def test_the_runtime_option_shape():
    assert parse_runtime_option("kusama=./k.wasm") == ("kusama", "./k.wasm")
    with pytest.raises(ValueError, match=r"^--runtime takes CHAIN=PATH, not 'kusama' \(e.g. --runtime "):
        parse_runtime_option("kusama")


def test_an_unknown_chain_in_the_runtime_option():
    network = load_network(ROOT / "harness" / "networks" / "kusama-local.yaml")
    assert unknown_chains({"kusma": "k.wasm"}, [network]) == (
        "--runtime names chain 'kusma', which no network of this run has; hint: their chains: kusama, "
        "kusama-asset-hub")
    assert unknown_chains({"kusama": "k.wasm"}, [network]) is None


def test_a_candidate_for_a_provider_that_runs_no_wasm():
    network = load_network(ROOT / "harness" / "networks" / "kusama-local.yaml")
    with pytest.raises(ProviderError) as err:
        with_candidates(network, get_provider("devnet"), {"kusama": "k.wasm"})
    assert str(err.value) == ("provider 'devnet' cannot run a candidate runtime (given for kusama): it runs no wasm; "
                              "hint: candidate runtimes run on chopsticks: use --provider chopsticks")


def _scenario(tmp_path: Path, network: str, upgrade: str, extra: str = "") -> object:
    file = tmp_path / "s.yaml"
    file.write_text(f"name: up\nnetwork: {network}\n{extra}steps:\n  - upgrade: {upgrade}\n")
    return load_scenarios(file)[0]


def test_a_wasm_upgrade_asked_of_the_devnet_is_skipped_with_its_reason(tmp_path):
    scenario = _scenario(tmp_path, str(ROOT / "harness" / "networks" / "kusama-polkadot.yaml"),
                         "{chain: kusama, wasm: current, check_version: false}")
    assert missing_capability(scenario, None) == (
        "needs runtime upgrades from wasm (step 1 (upgrade)), which provider 'devnet' does not offer; "
        "it runs on: chopsticks")
    assert missing_capability(scenario, "chopsticks") is None


def test_a_runtime_option_skips_the_scenarios_of_a_provider_without_wasm(tmp_path):
    scenario = _scenario(tmp_path, str(ROOT / "harness" / "networks" / "kusama-polkadot.yaml"), "{chain: kusama, spec_version: 2}")
    assert missing_capability(scenario, None, {"kusama": "k.wasm"}) == (
        "needs runtime upgrades from wasm (--runtime kusama=...), which provider 'devnet' does not offer; "
        "it runs on: chopsticks")
    assert missing_capability(scenario, None, {"kusama-bridge-hub-x": "k.wasm"}) is None


def test_requires_skips_before_any_step(tmp_path):
    scenario = _scenario(tmp_path, str(ROOT / "harness" / "networks" / "kusama-local.yaml"), "{chain: kusama, spec_version: 2}",
                         "requires: [runtime_upgrade]\n")
    assert missing_capability(scenario, "devnet") == (
        "needs runtime upgrades from wasm (requires: runtime_upgrade), which provider 'devnet' does not offer; "
        "it runs on: chopsticks")
    assert missing_capability(scenario, "chopsticks") == (
        "needs emulated version changes (step 1 (upgrade)), which provider 'chopsticks' does not offer; "
        "it runs on: devnet")


@needs_specs
def test_a_real_relay_upgrade_on_chopsticks(tmp_path):
    """The chain's own code, version checked, is refused by the runtime itself; the bumped fixture applied through
    the Scheduler: the runtime reports CodeUpdated, then runs spec 1000001 with the fixture's code hash. (The
    fixture's compiled-in VERSION that set_code compares with stays 1000000, so the refusal is shown first.)"""
    wasm = bumped_runtime(RELAY_SPEC, tmp_path / "cache")
    file = tmp_path / "up.yaml"
    file.write_text(f"""name: the same code, version checked
network: {ROOT / 'harness' / 'networks' / 'kusama-local.yaml'}
steps:
  - upgrade: {{chain: kusama, wasm: current, check_version: true}}
---
name: real relay upgrade
network: {ROOT / 'harness' / 'networks' / 'kusama-local.yaml'}
steps:
  - upgrade: {{chain: kusama, wasm: {wasm}, check_version: true, spec_version: 1000001}}
    expect: {{events: [{{chain: kusama, event: System.CodeUpdated}}]}}
""")
    again, first = load_scenarios(file)
    pool = NetworkPool(Settings.from_env())
    try:
        network, clients = pool.get(first.network)
        before = dict(clients.runtimes()["kusama"])
        with pytest.raises(ScenarioFailure) as failed:
            ScenarioRunner(again, network, clients, 120).run()
        assert failed.value.message == (
            "kusama refused the runtime upgrade: System.SpecVersionNeedsToIncrease (the candidate's spec_version "
            "does not increase on the running one); hint: set check_version: false to apply code whose version "
            "does not increase; see docs/upgrades.md")
        [record] = ScenarioRunner(first, network, clients, 120).run().upgrades
        assert (record.spec_before, record.spec_after) == (1000000, 1000001)
        # the fixture raises the version its runtime_version section declares (what set_code checks and the node
        # reports); the compiled-in VERSION that frame-executive writes to LastRuntimeUpgrade stays 1000000, so
        # its migrations do not run: the record says so rather than claiming 1000001
        assert record.last_runtime_upgrade == {"spec_version": 1000000, "spec_name": "kusama"}
        after = clients.runtimes()["kusama"]
        assert before["spec_version"] == 1000000 and after["spec_version"] == 1000001
        assert after["code_hash"] == load_candidate(wasm, "kusama").code_hash != before["code_hash"]
    finally:
        pool.stop()


def run_shipped(file: str):
    """The result of a scenarios/upgrade file's one scenario, on its own network."""
    scenario, = load_scenarios(ROOT / "scenarios" / "upgrade" / file)
    pool = NetworkPool(Settings.from_env())
    try:
        network, clients = pool.get(scenario.network)
        return ScenarioRunner(scenario, network, clients, 120).run()
    finally:
        pool.stop()


@needs_specs
@pytest.mark.parametrize("file, upgraded, upgrade_event", [
    ("dmp_in_flight_across_asset_hub_upgrade.yaml", "kusama-asset-hub", "ValidationFunctionApplied"),
    ("ump_in_flight_across_relay_upgrade.yaml", "kusama", "CodeUpdated"),
])
def test_a_message_in_flight_is_executed_after_the_upgrade(file, upgraded, upgrade_event):
    """The shipped in-flight scenarios really hold the message: it is executed in a later block than the one in
    which the upgrade took effect, and the runtime itself reported the upgrade."""
    result = run_shipped(file)
    upgraded_at = [e.block_number for e in result.events[upgraded] if e.name == upgrade_event]
    executed = [hop for hop in result.traces[-1].hops if hop.what == "executed"]  # the transfer held in flight
    assert len(upgraded_at) == 1 and len(executed) == 1 and executed[0].success
    assert executed[0].chain == upgraded and executed[0].block > upgraded_at[0]


UPGRADE_SCENARIO = """name: an upgrade to interrupt
network: kusama-local
steps:
  - upgrade: {chain: kusama-asset-hub, wasm: current, check_version: false}
"""


@needs_specs
@pytest.mark.chopsticks
def test_ctrl_c_in_the_middle_of_an_upgrade_leaves_no_process(tmp_path: Path, work_dir: Path):
    """SIGINT (restored in the child, as a terminal's Ctrl-C reaches it) once the upgrade has built its first
    relay block: pytest stops, and chopsticks with every child is gone."""
    root = tmp_path / "root"
    write_network(root / "networks")
    (root / "scenarios").mkdir(parents=True)
    (root / "scenarios" / "upgrade.yaml").write_text(UPGRADE_SCENARIO)
    (root / "pytest.ini").write_text("[pytest]\n")
    output = root / "pytest-output.txt"
    with output.open("w") as out:
        proc = subprocess.Popen([PYTHON, "-m", "pytest", "scenarios/upgrade.yaml", "-p", "no:cacheprovider"],
                                cwd=root, env=subprocess_env(work_dir, no_deathsig=root / "spawned"), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.default_int_handler))
    try:
        def relay_block() -> int:
            assert proc.poll() is None, f"pytest exited early ({proc.returncode}):\n{output.read_text()}"
            ports = run_ports(work_dir)
            try:
                return int(chain_header(f"ws://127.0.0.1:{ports['kusama']}")["number"], 16) if ports else 0
            except Exception:  # noqa: BLE001 - not up yet
                return 0

        pids = wait_for(lambda: run_processes(work_dir), 60, "chopsticks to start")
        started_without_deathsig(root / "spawned", pids)
        wait_for(lambda: relay_block() >= 1, 120, "the upgrade's first relay block", interval=0.2)
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=60)
        text = output.read_text()
        assert code == pytest.ExitCode.INTERRUPTED, text
        assert "KeyboardInterrupt" in text and "Traceback" not in text
        assert_gone(work_dir)
    finally:
        stop_subprocess(proc)


@needs_specs
@pytest.mark.chopsticks
def test_forking_a_chain_with_a_candidate_runtime(tmp_path: Path):
    """chopsticks forking chopsticks: the live-fork path (endpoint, block pin, db cache) offline, with a candidate
    runtime applied to the fork; the fork runs the candidate, the chain it forks does not."""
    wasm = bumped_runtime(RELAY_SPEC, tmp_path / "cache")
    pool = NetworkPool(Settings.from_env())
    try:
        base, base_clients = pool.get(load_network(ROOT / "harness" / "networks" / "kusama-local.yaml"))
        base.new_block("kusama")
        base.new_block("kusama")
        fork_file = tmp_path / "fork.yaml"
        fork_file.write_text(f"""name: fork
provider: chopsticks
chains:
  kusama:
    role: relay
    token: KSM
    chopsticks: {{endpoint: "{base.endpoints['kusama']}", block: 1, db: {tmp_path / 'fork.sqlite'}, wasm: {wasm}}}
""")
        fork, fork_clients = pool.get(load_network(fork_file))
        forked = fork_clients.runtimes()["kusama"]
        assert (forked["spec_name"], forked["spec_version"]) == ("kusama", 1000001)
        assert forked["code_hash"] == load_candidate(wasm, "kusama").code_hash
        assert base_clients.runtimes()["kusama"]["spec_version"] == 1000000
        assert fork_clients["kusama"].head()[0] == 1  # the pinned block, not the base's head (2)
        assert (tmp_path / "fork.sqlite").is_file()
    finally:
        pool.stop()


def test_the_upgrade_step_states_and_records_the_versions_and_last_runtime_upgrade(tmp_path):
    """On the devnet's emulated version change: the expectations of the step (spec version before, after, and
    System.LastRuntimeUpgrade as the chain holds it) are checked against the chain, a wrong one fails at its own
    key, and each upgrade is in the result, its JSON and its page."""
    devnet = ROOT / "harness" / "networks" / "kusama-polkadot.yaml"
    file = tmp_path / "up.yaml"
    file.write_text(f"""name: stated
network: {devnet}
steps:
  - upgrade: {{chain: kusama-asset-hub, spec_version: 2004000, spec_version_before: 2003002,
              last_runtime_upgrade: {{spec_version: 2004000, spec_name: statemine}}}}
---
name: a wrong spec name
network: {devnet}
steps:
  - upgrade: {{chain: kusama-bridge-hub, spec_version: 2004000, last_runtime_upgrade: {{spec_name: statemine}}}}
---
name: a wrong version before
network: {devnet}
steps:
  - upgrade: {{chain: kusama, spec_version: 2005000, spec_version_before: 1}}
""")
    stated, wrong_name, wrong_before = load_scenarios(file)
    pool = NetworkPool(Settings.from_env())
    try:
        network, clients = pool.get(stated.network)
        result = ScenarioRunner(stated, network, clients, 60).run()
        with pytest.raises(ScenarioFailure) as name_failed:
            ScenarioRunner(wrong_name, network, clients, 60).run()
        with pytest.raises(ScenarioFailure) as before_failed:
            ScenarioRunner(wrong_before, network, clients, 60).run()
    finally:
        pool.stop()
    [record] = result.upgrades
    assert (record.chain, record.spec_before, record.spec_after) == ("kusama-asset-hub", 2003002, 2004000)
    assert record.last_runtime_upgrade == {"spec_version": 2004000, "spec_name": "statemine"}
    assert record.blocks and record.code_hash.startswith("0x")
    assert name_failed.value.message == ("System.LastRuntimeUpgrade of 'kusama-bridge-hub' holds spec_name "
                                         "'bridge-hub-kusama' after the upgrade, not 'statemine'")
    assert name_failed.value.path[-2:] == ("last_runtime_upgrade", "spec_name")
    assert before_failed.value.message == "'kusama' ran spec_version 2003002 before the upgrade, not 1"
    data = to_json(ScenarioOutcome(stated, "passed", result))
    jsonschema.validate(data, SCHEMA)
    assert data["upgrades"] == [{"step": 0, "chain": "kusama-asset-hub", "spec_before": 2003002,
                                 "spec_after": 2004000, "code_hash": record.code_hash,
                                 "blocks": list(record.blocks),
                                 "last_runtime_upgrade": {"spec_version": 2004000, "spec_name": "statemine"}}]
    page = render_page([data])
    assert "<td>kusama-asset-hub</td><td>2003002 -&gt; 2004000</td>" in page
    assert "<td>statemine 2004000</td>" in page


def test_the_lane_upgrade_scenario_reads_the_rewards_accounts_the_bridge_hubs_fund():
    """The lane's rewards accounts the scenario states unchanged are the ones the Bridge Hubs hold funds in (the
    devnet endows them with 25 tokens at genesis, harness/devnet/bridge/compose.py), not empty addresses that
    would be unchanged whatever happened."""
    result = run_shipped("lane_across_bridge_hub_upgrade.yaml")
    rewards = {(row.chain, row.account): row for row in result.balances if row.account.startswith("rewards of")}
    decimals = {"kusama-bridge-hub": 12, "polkadot-bridge-hub": 10}
    assert sorted(rewards) == sorted((chain, f"rewards of lane 0x00000001 ({owner})")
                                     for chain in decimals for owner in ("ThisChain", "BridgedChain"))
    for (chain, _), row in rewards.items():
        assert row.before == row.after == 25 * 10 ** decimals[chain]
