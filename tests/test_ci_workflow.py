"""ci/github-workflow.yml: HARNESS_CHAINSPECS is set, and the step that provides the chain specs works."""
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
    assert set(WORKFLOW["jobs"]) == {"test", "scenarios"}
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
