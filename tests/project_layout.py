"""A scenario project in a temporary folder: the repository's network files copied under networks/, where the
loader finds them from a scenario file's ancestors."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def with_networks(folder: Path, *names: str) -> Path:
    """`folder` with networks/<name>.yaml for each name (e.g. "kusama-local")."""
    (folder / "networks").mkdir()
    for name in names:
        shutil.copy(ROOT / "harness" / "networks" / f"{name}.yaml", folder / "networks" / f"{name}.yaml")
    return folder
