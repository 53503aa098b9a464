"""The wheel and the sdist, as someone else's repository gets them: `python -m build` (the wheel built from the
sdist, so both are checked), the wheel installed into a fresh virtualenv, and the harness used from an empty
folder that is no checkout: init, run on the devnet, validate a broken file, list the networks."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("build", reason="python -m build needs the 'build' package (bash ci/setup.sh installs it)")

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """(the venv's bin folder, an environment without the checkout or any HARNESS_* setting)."""
    base = tmp_path_factory.mktemp("packaging")
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV") and not k.startswith(("HARNESS_", "PYTEST_"))}
    env.update(HOME=str(base / "home"), HARNESS_WORK_DIR=str(base / "work"))
    built = run([sys.executable, "-m", "build", "--outdir", str(base / "dist"), str(ROOT)], base, env)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    [wheel] = (base / "dist").glob("bridge_harness-*.whl")
    assert len(list((base / "dist").glob("bridge_harness-*.tar.gz"))) == 1
    made = run([sys.executable, "-m", "venv", str(base / "venv")], base, env)
    assert made.returncode == 0, made.stderr
    pip = run([str(base / "venv" / "bin" / "python"), "-m", "pip", "install", "--quiet", str(wheel)], base, env)
    assert pip.returncode == 0, pip.stderr[-2000:]
    return base / "venv" / "bin", env


@pytest.fixture
def user(tmp_path: Path) -> Path:
    (tmp_path / "user").mkdir()
    return tmp_path / "user"


def test_the_package_is_imported_from_the_venv_not_the_checkout(installed, user):
    bin_dir, env = installed
    done = run([str(bin_dir / "python"), "-c", "import harness; print(harness.__file__)"], user, env)
    assert Path(done.stdout.strip()).is_relative_to(bin_dir.parent), done.stdout + done.stderr


def test_init_then_run_on_the_devnet(installed, user):
    bin_dir, env = installed
    init = run([str(bin_dir / "harness"), "init"], user, env)
    assert init.returncode == 0, init.stderr
    assert init.stdout.splitlines()[0] == "created in .:"
    done = run([str(bin_dir / "harness"), "run", "-q", "-p", "no:cacheprovider", "--junitxml=reports/junit.xml"],
               user, env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert re.fullmatch(r"3 passed in [\d.]+s", done.stdout.splitlines()[-1]), done.stdout[-2000:]
    assert 'tests="3"' in (user / "reports" / "junit.xml").read_text()


def test_validate_positions_the_error_of_a_broken_file(installed, user):
    bin_dir, env = installed
    (user / "broken.yaml").write_text("name: typo\nnetwork: kusama-polkadot\nsteps:\n"
                                      "  - transfer: {chain: kusama, from: //Alice, to: //Bob, amount: 1 KSM}\n"
                                      "    expekt: {}\n")
    done = run([str(bin_dir / "harness"), "validate", "broken.yaml"], user, env)
    [line] = done.stdout.splitlines()
    assert done.returncode == 1
    assert line.startswith("broken.yaml:5:5: steps[0].expekt: unknown key 'expekt' (hint: allowed here: "), line


def test_networks_lists_the_built_in_ones(installed, user):
    bin_dir, env = installed
    done = run([str(bin_dir / "harness"), "networks"], user, env)
    assert (done.returncode, done.stdout.splitlines()) == (0, [
        "kusama-local  (built-in)", "  chains: kusama, kusama-asset-hub",
        "kusama-local-manual  (built-in)", "  chains: kusama, kusama-asset-hub",
        "kusama-polkadot  (built-in)",
        "  chains: kusama, kusama-asset-hub, kusama-bridge-hub, polkadot, polkadot-asset-hub, polkadot-bridge-hub",
        "kusama-polkadot-live  (built-in)",
        "  chains: kusama, kusama-asset-hub, kusama-bridge-hub, polkadot, polkadot-asset-hub, polkadot-bridge-hub"])
