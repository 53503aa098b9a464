"""Log files of the chains' processes, as the failure reports quote them."""
from __future__ import annotations

from pathlib import Path


def tail(path: Path, lines: int = 20) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"
