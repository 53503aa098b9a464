"""ci/github-workflow.yml: HARNESS_CHAINSPECS is set, the step that provides the chain specs works, and the
suite runs in shards whose reports a final job merges."""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
WORKFLOW = yaml.safe_load((ROOT / "ci" / "github-workflow.yml").read_text())
LOCAL_SPECS = Path(os.environ.get("HARNESS_CHAINSPECS", ROOT.parent / "shared" / "chainspecs"))


def spec_step(job: str) -> str:
    [step] = [s for s in WORKFLOW["jobs"][job]["steps"] if s.get("name") == "Chain specs"]
    return step["run"]


def listed_specs() -> list[tuple[str, str, str]]:
    """(file here, file upstream, sha256) from the step's list."""
    body = spec_step("test").split("<<'SPECS'\n")[1].split("\nSPECS")[0]
    return [tuple(line.split()) for line in body.splitlines()]


def test_every_job_gets_harness_chainspecs_and_the_same_spec_step():
    assert "HARNESS_CHAINSPECS" in WORKFLOW["env"]
    assert "vars.HARNESS_CHAINSPECS" in WORKFLOW["env"]["HARNESS_CHAINSPECS"]
    assert re.fullmatch(r"https://raw\.githubusercontent\.com/AcalaNetwork/chopsticks/[0-9a-f]{40}/\S+",
                        WORKFLOW["env"]["CHAINSPECS_SOURCE"])  # pinned to a commit
    assert set(WORKFLOW["jobs"]) == {"test", "merge", "scenarios"}
    assert spec_step("test") == spec_step("scenarios")  # one list of specs, written twice


def test_the_step_provides_every_spec_the_network_file_reads():
    network = (ROOT / "harness" / "networks" / "kusama-local.yaml").read_text()
    wanted = set(re.findall(r"\$\{HARNESS_CHAINSPECS[^}]*\}/(\S+\.json)", network))
    assert wanted and wanted == {spec for spec, _, _ in listed_specs()}


@pytest.mark.skipif(not LOCAL_SPECS.is_dir(), reason="no local chain specs")
def test_the_pinned_hashes_are_those_of_the_local_specs():
    for spec, _, sha256 in listed_specs():
        assert hashlib.sha256((LOCAL_SPECS / spec).read_bytes()).hexdigest() == sha256, spec


def run_step(tmp_path: Path, source: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "HARNESS_CHAINSPECS": str(tmp_path / "specs"), "CHAINSPECS_SOURCE": source.as_uri()}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", spec_step("test")], env=env, capture_output=True,
                          text=True, timeout=60)


def upstream_copy(tmp_path: Path, content: dict[str, bytes]) -> Path:
    source = tmp_path / "upstream"
    source.mkdir()
    for name, data in content.items():
        (source / name).write_bytes(data)
    return source


@pytest.mark.skipif(not LOCAL_SPECS.is_dir(), reason="no local chain specs")
def test_the_step_downloads_missing_specs_and_checks_them(tmp_path):
    source = upstream_copy(tmp_path, {up: (LOCAL_SPECS / spec).read_bytes() for spec, up, _ in listed_specs()})
    proc = run_step(tmp_path, source)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (tmp_path / "specs").iterdir()) == sorted(s for s, _, _ in listed_specs())


def test_the_step_refuses_a_spec_that_is_not_the_pinned_one(tmp_path):
    source = upstream_copy(tmp_path, {up: b"{}" for _, up, _ in listed_specs()})
    proc = run_step(tmp_path, source)
    assert proc.returncode != 0
    assert "FAILED" in proc.stdout + proc.stderr


def test_the_step_keeps_specs_already_there(tmp_path):
    # a runner that has the specs (or HARNESS_CHAINSPECS pointing at them) downloads nothing
    (tmp_path / "specs").mkdir()
    for spec, _, _ in listed_specs():
        (tmp_path / "specs" / spec).write_text("{}")
    proc = run_step(tmp_path, tmp_path / "nowhere")
    assert proc.returncode == 0, proc.stderr


def step_run(job: str, name: str) -> str:
    [step] = [s for s in WORKFLOW["jobs"][job]["steps"] if s.get("name") == name]
    return step["run"]


def test_the_test_job_runs_one_shard_per_matrix_entry():
    shards = WORKFLOW["jobs"]["test"]["strategy"]["matrix"]["shard"]
    assert shards == list(range(1, len(shards) + 1)) and len(shards) > 1
    command = step_run("test", "Tests")
    assert re.search(rf"--shard \$\{{\{{ matrix\.shard \}}\}}/{len(shards)}\b", command), command
    assert "--report reports/html" in command and command.startswith("bash ci/test.sh")
    assert WORKFLOW["jobs"]["test"]["strategy"]["fail-fast"] is False  # every shard reports, even after a failure
    [upload] = [s for s in WORKFLOW["jobs"]["test"]["steps"] if s.get("name") == "Upload reports"]
    assert upload["with"]["name"] == "reports-test-${{ matrix.shard }}"


def test_the_merge_job_merges_every_shards_reports():
    merge = WORKFLOW["jobs"]["merge"]
    assert merge["needs"] == "test" and merge["if"] == "always()"
    [download] = [s for s in merge["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"] == {"pattern": "reports-test-*", "path": "shards"}
    assert step_run("merge", "Merge") == "python -m harness.report.merge reports shards/reports-test-*"


def junit(path: Path, cases: list[str], failed: int) -> None:
    body = "".join(f'<testcase classname="c" name="{c}" time="1.0"/>' for c in cases)
    path.write_text(f'<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests"><testsuite name="pytest" '
                    f'errors="0" failures="{failed}" skipped="0" tests="{len(cases)}" time="{len(cases)}.0">'
                    f'{body}</testsuite></testsuites>')


def result_text(case: str) -> str:
    """A real result (an error before any step), of the shipped scenario file named `case`."""
    from harness.report.json_result import ScenarioOutcome, dumps, to_json
    from harness.scenario.parse import load_scenarios

    scenario = load_scenarios(ROOT / "scenarios" / "relay" / f"{case}.yaml")[0]
    return dumps(to_json(ScenarioOutcome(scenario, "error", message="not run", position=f"{scenario.file}:1")))


def test_the_merge_gives_one_junit_file_and_one_report(tmp_path):
    from harness.report.merge import main

    for shard, cases in ((1, ["local_transfer", "insufficient_funds"]), (2, ["existential_deposit"])):
        folder = tmp_path / f"reports-test-{shard}"
        (folder / "html" / "results").mkdir(parents=True)
        junit(folder / "junit.xml", cases, failed=shard - 1)
        for n, case in enumerate(cases):
            (folder / "html" / "results" / f"{n:03d}-scenarios-{case}.yaml.json").write_text(result_text(case))
    out = tmp_path / "merged"
    assert main([str(out), str(tmp_path / "reports-test-1"), str(tmp_path / "reports-test-2")]) == 0
    import xml.etree.ElementTree as ET

    root = ET.parse(out / "junit.xml").getroot()
    assert (root.get("tests"), root.get("failures")) == ("3", "1")
    assert sorted(c.get("name") for c in root.iter("testcase")) == sorted(
        ["local_transfer", "insufficient_funds", "existential_deposit"])
    results = sorted(p.name for p in (out / "html" / "results").glob("*.json"))
    assert results == ["000-scenarios-local_transfer.yaml.json", "001-scenarios-insufficient_funds.yaml.json",
                       "002-scenarios-existential_deposit.yaml.json"]
    page = (out / "html" / "index.html").read_text()
    assert all(name in page for name in ("transfer 5 KSM on the relay", "transfer more than the balance fails"))
    assert (out / "html" / "result.schema.json").is_file()
    assert main([str(out), str(tmp_path / "nowhere")]) == 2
