"""Collection of scenario files by the harness plugins, in a pytest run inside pytest (pytester).

No chain is started: NetworkPool.get, the one way a scenario item reaches a chain, is replaced by a recorder that
fails at once (one control test runs an item to show the recorder sees it), and HARNESS_NODE names no binary."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from project_layout import with_networks
from harness.network.catalog import BUILTIN_DIR
from harness.engine.pool import NetworkPool
from harness.errors import HarnessError

KNOWN = ", ".join(sorted(p.stem for p in BUILTIN_DIR.glob("*.yaml")))  # the built-in networks

ROOT = Path(__file__).resolve().parent.parent

TELEPORT = """\
name: teleport ${amount}
network: kusama-local
tags: [xcm, teleport]
accounts: {sender: //Alice, receiver: //Bob}
matrix:
  - {amount: 10 KSM}
  - {amount: 0.5 KSM}
steps:
  - xcm_transfer: {from: kusama, to: kusama-asset-hub, sender: sender, beneficiary: receiver, amount: "${amount}"}
"""

LOCAL = """\
name: transfer 5 KSM on the relay
network: kusama-local
tags: [relay]
accounts: {sender: //Alice, receiver: //Bob}
steps:
  - transfer: {chain: kusama, from: sender, to: receiver, amount: 5 KSM}
---
name: wait two blocks
network: kusama-local
steps:
  - wait: {chain: kusama, blocks: 2}
"""

# unknown chain at line 6, column 7: the `chain` key
BROKEN = """\
name: transfer on polkadot
network: kusama-local
accounts: {sender: //Alice, receiver: //Bob}
steps:
  - transfer:
      chain: polkadot
      from: sender
      to: receiver
      amount: 1 KSM
"""
BROKEN_LINE = ":6:7: steps[0].transfer.chain: unknown chain 'polkadot' " \
              "(hint: network 'kusama-local' has: kusama, kusama-asset-hub)"


@pytest.fixture
def chain_starts(monkeypatch) -> list:
    """Every attempt to bring a network up; the attempt fails at once instead of starting chopsticks."""
    calls = []

    def get(self, spec):
        calls.append(spec.name)
        raise HarnessError("a collection test tried to start a network")

    monkeypatch.setattr(NetworkPool, "get", get)
    return calls


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch, chain_starts) -> pytest.Pytester:
    """A project with networks/kusama-local.yaml and two scenario files under scenarios/."""
    monkeypatch.setenv("HARNESS_NODE", str(pytester.path / "no-such-node"))  # a second guard against chains
    monkeypatch.setenv("HARNESS_WORK_DIR", str(pytester.path / "work"))
    with_networks(pytester.path, "kusama-local")
    write(pytester, "scenarios/xcm/x.yaml", TELEPORT)
    write(pytester, "scenarios/relay/local.yaml", LOCAL)
    return pytester


def write(pytester: pytest.Pytester, relative: str, text: str) -> Path:
    path = pytester.path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    # in-process; hypothesis's plugin is left out of the inner runs only because re-importing it each run is slow
    return project.runpytest("-p", "no:hypothesispytest", "-W", "ignore::pytest.PytestAssertRewriteWarning", *args)


def collected(result: pytest.RunResult) -> list[str]:
    """The node ids `--collect-only -q` printed."""
    return [line for line in result.stdout.lines if "::" in line]


def assert_no_chain(project: pytest.Pytester, chain_starts: list) -> None:
    assert chain_starts == []
    assert not (project.path / "work").exists()


def test_items_are_named_file_then_scenario_one_per_matrix_row(project, chain_starts):
    result = run(project, "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert collected(result) == [
        "scenarios/relay/local.yaml::transfer 5 KSM on the relay",
        "scenarios/relay/local.yaml::wait two blocks",
        "scenarios/xcm/x.yaml::teleport 10 KSM",
        "scenarios/xcm/x.yaml::teleport 0.5 KSM",
    ]
    assert_no_chain(project, chain_starts)


def test_tags_become_markers_that_select(project, chain_starts):
    result = run(project, "--collect-only", "-q", "-m", "teleport")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert collected(result) == ["scenarios/xcm/x.yaml::teleport 10 KSM", "scenarios/xcm/x.yaml::teleport 0.5 KSM"]
    result.stdout.fnmatch_lines(["2/4 tests collected (2 deselected)*"])

    result = run(project, "--collect-only", "-q", "-m", "relay or not xcm")
    assert collected(result) == ["scenarios/relay/local.yaml::transfer 5 KSM on the relay",
                                 "scenarios/relay/local.yaml::wait two blocks"]
    assert_no_chain(project, chain_starts)


def test_strict_markers_accepts_tags(project, chain_starts):
    result = run(project, "--collect-only", "-q", "--strict-markers", "-m", "xcm")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert len(collected(result)) == 2
    assert "not found in `markers`" not in result.stdout.str()
    assert_no_chain(project, chain_starts)


def test_strict_markers_still_rejects_undeclared_marks(project, chain_starts):
    # the control for the test above: --strict-markers is in force in these runs
    project.makepyfile(test_mark="import pytest\n\n@pytest.mark.not_a_tag\ndef test_x():\n    pass\n")
    result = run(project, "--collect-only", "-q", "--strict-markers")
    assert result.ret == pytest.ExitCode.INTERRUPTED
    result.stdout.fnmatch_lines(["*'not_a_tag' not found in `markers`*"])


def test_broken_file_is_a_positioned_collection_error(project, chain_starts):
    path = write(project, "scenarios/bad.yaml", BROKEN)
    result = run(project, "--collect-only", "-q")
    out = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    assert f"{path}{BROKEN_LINE}" in result.stdout.lines  # the exact line, as a line of its own
    assert "Traceback" not in out
    result.stdout.fnmatch_lines(["*1 error*"])
    # the other files still collect
    assert "scenarios/xcm/x.yaml::teleport 10 KSM" in collected(result)
    assert_no_chain(project, chain_starts)


def test_network_override_to_unknown_network(project, chain_starts):
    result = run(project, "--collect-only", "-q", "--network", "polkadot-local", "scenarios/xcm")
    out = result.stdout.str() + result.stderr.str()
    assert result.ret == pytest.ExitCode.INTERRUPTED
    # positioned at the file's own `network:` key (line 2), naming the networks there are
    line = (f"{project.path / 'scenarios/xcm/x.yaml'}:2:1: network: network file 'polkadot-local' not found "
            f"(hint: known networks: {KNOWN}; searched {project.path / 'networks'}, then the "
            "built-in networks; add networks/polkadot-local.yaml or give its path)")
    assert line in result.stdout.lines
    assert "Traceback" not in out
    assert collected(result) == []
    assert_no_chain(project, chain_starts)


def test_network_override_to_known_network(project, chain_starts):
    # the contrast: an override that exists is used instead of the file's own network
    text = (project.path / "networks" / "kusama-local.yaml").read_text().replace("name: kusama-local", "name: fork")
    write(project, "networks/fork.yaml", text)
    result = run(project, "--collect-only", "-q", "--network", "fork", "scenarios/xcm")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert collected(result) == ["scenarios/xcm/x.yaml::teleport 10 KSM", "scenarios/xcm/x.yaml::teleport 0.5 KSM"]
    assert_no_chain(project, chain_starts)


def test_yaml_outside_the_scenario_folders_is_not_collected(project, chain_starts):
    write(project, "tests/broken/bad.yaml", BROKEN)
    write(project, "other.yaml", BROKEN)
    result = run(project, "--collect-only", "-q")
    assert result.ret == pytest.ExitCode.OK, result.stdout.str()
    assert "error" not in result.stdout.str().lower()
    assert len(collected(result)) == 4  # only the two files under scenarios/


def test_running_an_item_is_what_would_start_a_network(project, chain_starts):
    # the guard's own control: without --collect-only the item asks the pool for its network
    result = run(project, "-q", "scenarios/relay/local.yaml", "-k", "wait")
    result.assert_outcomes(failed=1, deselected=1)
    assert chain_starts == ["kusama-local"]
    result.stdout.fnmatch_lines(["*local.yaml:8: scenario 'wait two blocks': a collection test tried to start*"])


def test_this_project_does_not_collect_tests_broken():
    # tests/broken is under testpaths ("tests") but not under harness_scenario_dirs ("scenarios")
    proc = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider",
                           "tests/broken"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == pytest.ExitCode.NO_TESTS_COLLECTED, proc.stdout + proc.stderr
    assert "error" not in proc.stdout.lower()
