"""Where chains listen: port numbers as network files give them, and the endpoints file tools read."""
from __future__ import annotations

import json
import os
from pathlib import Path

from .errors import HarnessError


def parse_port(raw: object) -> int | None:
    """A port number (1-65535), from an int or a string (`port: ${KUSAMA_PORT:-9944}` expands to one);
    None when `raw` is not one."""
    if isinstance(raw, bool):
        return None
    try:
        port = int(str(raw))
    except ValueError:
        return None
    return port if 1 <= port <= 65535 else None


def write_endpoints(path: Path, endpoints: dict[str, str]) -> None:
    """{"chain": "ws://..."} written aside and renamed, so a reader polling for the file never sees half of it."""
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        partial.write_text(json.dumps(endpoints, indent=2) + "\n")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise HarnessError(f"cannot write the endpoints file {path}: {exc.strerror}",
                           "give a path in a folder that exists and is writable") from None
