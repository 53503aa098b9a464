"""A new user's walkthrough, in an empty folder with no project files: the built-in networks, a scenario file run
by its path, chopsticks installed by the harness, `harness init` then `harness run`, and the editor schema. Each
step checks the exact lines the user sees, errors included. The harness runs as a subprocess, as a user runs it;
only the process environment is a new user's (no HARNESS_* variables, a home of its own)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.project.schema import scenario_schema

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "harness" / "project" / "template"
DEVNET_CHAINS = "kusama, kusama-asset-hub, kusama-bridge-hub, polkadot, polkadot-asset-hub, polkadot-bridge-hub"
KUSAMA_LOCAL = ["kusama-local  (built-in)", "  chains: kusama, kusama-asset-hub"]
AFTER_LOCAL = ["kusama-local-manual  (built-in)", "  chains: kusama, kusama-asset-hub",
               "kusama-polkadot  (built-in)", f"  chains: {DEVNET_CHAINS}",
               "kusama-polkadot-live  (built-in)", f"  chains: {DEVNET_CHAINS}"]
BUILT_IN = [*KUSAMA_LOCAL, *AFTER_LOCAL]


@pytest.fixture
def home(tmp_path: Path) -> Path:
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "project").mkdir()
    return tmp_path / "project"


def new_user_env(home: Path, path: str | None = None, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HARNESS_", "PYTEST_", "XDG_"))}
    env.update(HOME=str(home), HARNESS_WORK_DIR=str(home / "work"), **extra)
    if path is not None:
        env["PATH"] = path
    return env


def harness(cwd: Path, env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "harness.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=timeout)


def lines(text: str) -> list[str]:
    return text.splitlines()


def passed(count: int, stdout: str) -> bool:
    """pytest's last line for `count` passed items, and no warning."""
    return re.fullmatch(rf"{count} passed in [\d.]+s", lines(stdout)[-1]) is not None


# --------------------------------------------------------------------------- 1. built-in networks


def test_the_built_in_networks_are_listed_from_an_empty_folder(folder, home):
    done = harness(folder, new_user_env(home), "networks")
    assert (done.returncode, lines(done.stdout), done.stderr) == (0, BUILT_IN, "")


def test_a_project_network_overrides_a_built_in_one_and_adds_its_own(folder, home):
    (folder / "networks").mkdir()
    own = yaml.safe_load((ROOT / "harness" / "networks" / "kusama-local.yaml").read_text())
    own["chains"]["kusama"]["chopsticks"]["genesis"] = "./specs/kusama.json"
    del own["chains"]["kusama-asset-hub"]
    (folder / "networks" / "kusama-local.yaml").write_text(yaml.safe_dump(own))
    (folder / "networks" / "solo.yaml").write_text(yaml.safe_dump({**own, "name": "solo"}))
    done = harness(folder, new_user_env(home), "networks")
    assert (done.returncode, lines(done.stdout)) == (0, [
        f"kusama-local  ({folder / 'networks' / 'kusama-local.yaml'})", "  chains: kusama",
        *AFTER_LOCAL,
        f"solo  ({folder / 'networks' / 'solo.yaml'})", "  chains: kusama"])


def test_an_unknown_network_names_the_known_ones_and_where_it_looked(folder, home):
    done = harness(folder, new_user_env(home), "chains", "up", "--network", "polkadot-local")
    assert (done.returncode, done.stdout) == (2, "")
    assert lines(done.stderr) == [
        "harness: error: network file 'polkadot-local' not found; hint: known networks: kusama-local, "
        "kusama-local-manual, kusama-polkadot, kusama-polkadot-live; searched the built-in networks (no networks/ folder); "
        "add networks/polkadot-local.yaml or give its path"]


def test_kusama_local_without_chain_specs_names_both_ways_to_give_them(folder, home):
    done = harness(folder, new_user_env(home), "chains", "up", "--network", "kusama-local")
    assert (done.returncode, done.stdout) == (2, "")
    assert lines(done.stderr) == [
        "harness: error: chain spec for 'kusama' not found: /kusama-local.json; hint: set HARNESS_CHAINSPECS to "
        "the folder holding the chain specs (it is unset), or give its path as chopsticks.genesis in your own "
        "copy of the network in networks/"]


# --------------------------------------------------------------------------- 2. explicit paths


@pytest.mark.parametrize("how", ["harness run", "pytest"])
def test_a_scenario_file_anywhere_runs_by_its_path_without_configuration(folder, home, how):
    (folder / "checks").mkdir()
    shutil.copy(TEMPLATE / "scenarios" / "relay_transfer.yaml", folder / "checks" / "mine.yaml")
    if how == "harness run":
        done = harness(folder, new_user_env(home), "run", "checks/mine.yaml", "-q", "-p", "no:cacheprovider")
    else:
        done = subprocess.run([sys.executable, "-m", "pytest", "checks", "-q", "-p", "no:cacheprovider"],
                              cwd=folder, env=new_user_env(home), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert passed(1, done.stdout), done.stdout


def test_a_path_that_is_not_there_is_reported_by_pytest(folder, home):
    done = harness(folder, new_user_env(home), "run", "nowhere.yaml", "-q", "-p", "no:cacheprovider")
    assert done.returncode == pytest.ExitCode.USAGE_ERROR
    assert "ERROR: file or directory not found: nowhere.yaml" in done.stdout + done.stderr


# --------------------------------------------------------------------------- 3. chopsticks installed by the harness


def fake_tools(bin_dir: Path, node_version: str = "v20.11.0") -> Path:
    """A node that reports `node_version`, and an npm whose `ci` lays out chopsticks and logs the call."""
    bin_dir.mkdir()
    (bin_dir / "node").write_text(f"#!/bin/sh\necho {node_version}\n")
    (bin_dir / "npm").write_text(
        "#!/bin/sh\n"
        'if [ "$1" = --version ]; then echo 10.8.0; exit 0; fi\n'
        'echo "$@ in $(pwd)" >> "$NPM_CALLS"\n'
        "test -f package-lock.json || exit 3\n"
        "mkdir -p node_modules/@acala-network/chopsticks\n"
        "echo '// chopsticks' > node_modules/@acala-network/chopsticks/chopsticks.cjs\n")
    for tool in ("node", "npm"):
        (bin_dir / tool).chmod(0o755)
    return bin_dir


def test_setup_installs_chopsticks_once_into_the_user_cache(folder, home, tmp_path):
    tools = fake_tools(tmp_path / "bin")
    calls = tmp_path / "npm-calls"
    env = new_user_env(home, path=f"{tools}:/usr/bin:/bin", NPM_CALLS=str(calls))
    first = harness(folder, env, "setup")
    assert first.returncode == 0, first.stderr
    [cache] = (home / ".cache" / "bridge-harness").iterdir()
    assert re.fullmatch(r"chopsticks-[0-9a-f]{16}", cache.name)
    entry = cache / "node_modules" / "@acala-network" / "chopsticks" / "chopsticks.cjs"
    assert lines(first.stderr) == [f"harness: installing chopsticks into {cache} (npm ci, once; a minute or two)...",
                                   f"harness: chopsticks installed in {cache}"]
    assert lines(first.stdout) == [f"chopsticks: {entry}"]
    second = harness(folder, env, "setup")
    assert (second.returncode, lines(second.stdout), second.stderr) == (0, [f"chopsticks: {entry}"], "")
    assert len(lines(calls.read_text())) == 1  # the second call did nothing
    assert lines(calls.read_text())[0].startswith("ci --no-audit --no-fund --loglevel=error in ")


def test_setup_without_node_names_the_version_needed(folder, home, tmp_path):
    done = harness(folder, new_user_env(home, path=str(tmp_path / "empty-bin")), "setup")
    assert (done.returncode, done.stdout) == (2, "")
    assert lines(done.stderr) == ["harness: error: node is not on PATH: the harness needs it to install and run "
                                  "chopsticks; hint: install Node.js 20 or newer with npm (https://nodejs.org)"]


def test_setup_with_an_old_node_names_the_version_needed(folder, home, tmp_path):
    tools = fake_tools(tmp_path / "bin", node_version="v18.19.0")
    done = harness(folder, new_user_env(home, path=str(tools)), "setup")
    assert lines(done.stderr) == ["harness: error: node v18.19.0 is too old for chopsticks; "
                                  "hint: install Node.js 20 or newer with npm (https://nodejs.org)"]


def test_harness_chopsticks_points_at_another_install(folder, home, tmp_path):
    other = tmp_path / "other"
    entry = other / "node_modules" / "@acala-network" / "chopsticks" / "chopsticks.cjs"
    entry.parent.mkdir(parents=True)
    entry.write_text("// chopsticks")
    done = harness(folder, new_user_env(home, HARNESS_CHOPSTICKS=str(other)), "setup")
    assert (done.returncode, lines(done.stdout)) == (0, [f"chopsticks: {entry} (HARNESS_CHOPSTICKS)"])
    missing = harness(folder, new_user_env(home, HARNESS_CHOPSTICKS=str(tmp_path / "none")), "setup")
    assert lines(missing.stderr) == [
        f"harness: error: HARNESS_CHOPSTICKS points at no chopsticks install (looked for "
        f"{tmp_path / 'none' / 'node_modules/@acala-network/chopsticks/chopsticks.cjs'}); hint: give the folder "
        "you ran 'npm ci' in, or unset it to use the harness's own install"]


def test_first_use_without_a_checkout_installs_into_the_cache(tmp_path, monkeypatch, capsys):
    # what the chopsticks provider asks for when no node_modules sits at the package's root (an installed wheel)
    from harness.providers import chopsticks_install
    from harness.settings import Settings

    monkeypatch.setattr(chopsticks_install, "PROJECT_ROOT", tmp_path / "site-packages")
    monkeypatch.setenv("PATH", f"{fake_tools(tmp_path / 'bin')}:/usr/bin:/bin")
    monkeypatch.setenv("NPM_CALLS", str(tmp_path / "npm-calls"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.delenv("HARNESS_CHOPSTICKS", raising=False)
    settings = Settings(node_modules=tmp_path / "site-packages" / "node_modules", node_binary="node",
                        work_dir=tmp_path / "work", startup_timeout=1.0, step_timeout=1.0)
    entry = chopsticks_install.chopsticks_entry(settings)
    assert entry == chopsticks_install.cache_dir() / "node_modules/@acala-network/chopsticks/chopsticks.cjs"
    assert entry.is_relative_to(tmp_path / "cache" / "bridge-harness")
    assert capsys.readouterr().err.startswith("harness: installing chopsticks into ")
    assert chopsticks_install.chopsticks_entry(settings) == entry
    assert capsys.readouterr().err == ""  # the second use finds it
    assert len(lines((tmp_path / "npm-calls").read_text())) == 1


def test_the_shipped_lock_pins_the_chopsticks_this_project_runs():
    shipped = json.loads((ROOT / "harness" / "chopsticks" / "package-lock.json").read_text())
    project = json.loads((ROOT / "package-lock.json").read_text())
    key = "node_modules/@acala-network/chopsticks"
    assert shipped["packages"][key]["version"] == project["packages"][key]["version"] == "1.5.1"
    assert shipped["packages"][key]["integrity"] == project["packages"][key]["integrity"]


# --------------------------------------------------------------------------- 4. harness init, then harness run


INIT_FILES = ["scenarios/relay_transfer.yaml", "scenarios/teleport.yaml", "scenarios/bridge_round_trip.yaml",
              "pytest.ini", ".github/workflows/scenarios.yml", "scenario.schema.json"]


def test_init_then_run_passes_on_the_devnet(folder, home):
    env = new_user_env(home)
    done = harness(folder, env, "init")
    assert (done.returncode, done.stderr) == (0, "")
    assert lines(done.stdout) == [
        "created in .:", *(f"  {f}" for f in INIT_FILES),
        "next:",
        "  harness run                     # run the scenarios on the devnet (network: kusama-polkadot)",
        "  harness validate scenarios      # check them without running",
        "  harness networks                # the networks a scenario can name"]
    workflow = yaml.safe_load((folder / ".github/workflows/scenarios.yml").read_text())
    steps = workflow["jobs"]["scenarios"]["steps"]
    assert any("--junitxml=reports/junit.xml --report reports/html" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("actions/upload-artifact") and s["with"]["path"] == "reports/"
               for s in steps)
    run = harness(folder, env, "run", "-q", "-p", "no:cacheprovider", "--report", "reports/html")
    assert run.returncode == 0, run.stdout + run.stderr
    assert passed(3, run.stdout), run.stdout
    assert (folder / "reports" / "html" / "index.html").is_file()


def test_init_into_a_new_folder_says_to_go_there(tmp_path, home):
    done = harness(tmp_path, new_user_env(home), "init", "bridge-checks")
    assert lines(done.stdout)[-5:-3] == ["next:", "  cd bridge-checks"]
    assert all((tmp_path / "bridge-checks" / f).is_file() for f in INIT_FILES)


def test_init_never_overwrites_without_force(folder, home):
    env = new_user_env(home)
    (folder / "pytest.ini").write_text("[pytest]\n# mine\n")
    done = harness(folder, env, "init")
    assert (done.returncode, done.stdout) == (2, "")
    assert lines(done.stderr) == ["harness: error: pytest.ini already exists; "
                                  "hint: give --force to overwrite, or init another folder"]
    assert (folder / "pytest.ini").read_text() == "[pytest]\n# mine\n"
    assert not (folder / "scenarios").exists()  # nothing written at all
    forced = harness(folder, env, "init", "--force")
    assert forced.returncode == 0 and "harness_scenario_dirs = scenarios" in (folder / "pytest.ini").read_text()


# --------------------------------------------------------------------------- 5. the editor schema


def test_schema_is_the_loaders_and_scaffolded_scenarios_name_it(folder, home):
    env = new_user_env(home)
    done = harness(folder, env, "schema")
    assert (done.returncode, lines(done.stdout)) == (0, [
        "wrote scenario.schema.json; a scenario file names it in its first line:",
        "# yaml-language-server: $schema=<path from the scenario file to scenario.schema.json>"])
    assert json.loads((folder / "scenario.schema.json").read_text()) == scenario_schema()
    harness(folder, env, "init", "--force")
    for name in ("relay_transfer", "teleport", "bridge_round_trip"):
        first = (folder / "scenarios" / f"{name}.yaml").read_text().splitlines()[0]
        assert first == "# yaml-language-server: $schema=../scenario.schema.json"
        assert (folder / "scenarios" / "../scenario.schema.json").is_file()


def test_validate_positions_an_error_in_a_scaffolded_scenario(folder, home):
    env = new_user_env(home)
    harness(folder, env, "init")
    path = folder / "scenarios" / "teleport.yaml"
    path.write_text(path.read_text().replace("amount: 10 KSM\n    expect", "amount: 10 KSN\n    expect"))
    done = harness(folder, env, "validate", "scenarios")
    assert (done.returncode, lines(done.stdout)) == (1, [
        "scenarios/teleport.yaml:18:7: steps[1].xcm_transfer.amount: unknown asset 'KSN' on chain 'kusama' "
        "(hint: 'kusama' counts in KSM, and takes the bridged DOT (or planck))"])
