"""Where the chopsticks the provider runs comes from, installing it when nobody did.

In order: HARNESS_CHOPSTICKS (another install), the checkout's own node_modules (the project's CI pins it
with `npm ci`), else a per-user cache that `npm ci` fills from the lock file shipped in the package
(harness/chopsticks), one folder per lock-file hash so a new pin never reuses an old install."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from ..errors import ProviderError
from ..settings import PROJECT_ROOT, Settings

PINNED_DIR = Path(__file__).resolve().parent.parent / "chopsticks"  # package.json + package-lock.json
ENTRY = Path("node_modules", "@acala-network", "chopsticks", "chopsticks.cjs")
NODE_MAJOR = 20  # what CI runs; chopsticks 1.5.1 declares "engines": {"node": ">=v22"} yet runs on 20
INSTALL_TIMEOUT = 900.0


def cache_dir() -> Path:
    """The install folder for the shipped lock file: ~/.cache/bridge-harness/chopsticks-<hash of the lock>."""
    digest = hashlib.sha256((PINNED_DIR / "package-lock.json").read_bytes()).hexdigest()[:16]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "bridge-harness" / f"chopsticks-{digest}"


def _explicit(raw: str) -> Path:
    """HARNESS_CHOPSTICKS: the chopsticks.cjs file, or a folder holding node_modules/@acala-network/chopsticks."""
    path = Path(raw).expanduser()
    entry = path if path.is_file() else path / ENTRY
    if not entry.is_file():
        raise ProviderError(f"HARNESS_CHOPSTICKS points at no chopsticks install (looked for {entry})",
                            "give the folder you ran 'npm ci' in, or unset it to use the harness's own install")
    return entry


def _tool_version(tool: str) -> str | None:
    if shutil.which(tool) is None:
        return None
    try:
        out = subprocess.run([tool, "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return out.strip() or None


def _check_node() -> None:
    need = f"Node.js {NODE_MAJOR} or newer with npm (https://nodejs.org)"
    node = _tool_version("node")
    if node is None:
        raise ProviderError("node is not on PATH: the harness needs it to install and run chopsticks", f"install {need}")
    major = re.match(r"v?(\d+)", node)
    if major is None or int(major[1]) < NODE_MAJOR:
        raise ProviderError(f"node {node} is too old for chopsticks", f"install {need}")
    if _tool_version("npm") is None:
        raise ProviderError("npm is not on PATH: the harness needs it to install chopsticks", f"install {need}")


def install(quiet: bool = False) -> Path:
    """chopsticks in the per-user cache, running `npm ci` there unless a previous call did. Returns the entry."""
    target = cache_dir()
    if (target / ENTRY).is_file():
        return target / ENTRY
    _check_node()
    partial = target.with_name(f"{target.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(PINNED_DIR / name, partial / name)
    if not quiet:
        print(f"harness: installing chopsticks into {target} (npm ci, once; a minute or two)...",
              file=sys.stderr, flush=True)
    try:  # npm shows its own progress on the terminal; when quiet, its output is kept for the error
        done = subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=partial,
                              capture_output=quiet, text=True, timeout=INSTALL_TIMEOUT)
    except subprocess.TimeoutExpired:
        shutil.rmtree(partial, ignore_errors=True)
        raise ProviderError(f"npm ci did not finish within {INSTALL_TIMEOUT:.0f}s", "check the network and retry") from None
    if done.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        tail = " / ".join((done.stderr or "").strip().splitlines()[-3:])
        raise ProviderError(f"npm ci failed installing chopsticks ({tail or f'exit {done.returncode}'})",
                            "check the network and npm's registry settings, or set HARNESS_CHOPSTICKS")
    try:  # renamed whole: another process never sees half an install, and a race leaves one winner
        partial.rename(target)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
    if not quiet:
        print(f"harness: chopsticks installed in {target}", file=sys.stderr, flush=True)
    return target / ENTRY


def setup() -> str:
    """`harness setup`: the install chopsticks runs from, made if it is the harness's own and missing."""
    if os.environ.get("HARNESS_CHOPSTICKS"):
        return f"{_explicit(os.environ['HARNESS_CHOPSTICKS'])} (HARNESS_CHOPSTICKS)"
    return str(install())


def chopsticks_entry(settings: Settings) -> Path:
    """The chopsticks.cjs to run. A node_modules given by HARNESS_NODE_MODULES is used as it is, or fails."""
    if os.environ.get("HARNESS_CHOPSTICKS"):
        return _explicit(os.environ["HARNESS_CHOPSTICKS"])
    pinned = settings.node_modules / ENTRY.relative_to("node_modules")
    if pinned.is_file():
        return pinned
    if settings.node_modules != PROJECT_ROOT / "node_modules":
        raise ProviderError(f"chopsticks is not installed (looked for {pinned})",
                            "run 'npm ci' in that folder, or unset HARNESS_NODE_MODULES to let the harness "
                            "install it ('harness setup')")
    return install()
