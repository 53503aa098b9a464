"""Every setting read from the environment, in one place (testcontainers' core/config habit)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    node_modules: Path
    node_binary: str
    work_dir: Path
    startup_timeout: float
    step_timeout: float

    @classmethod
    def from_env(cls) -> "Settings":
        env = os.environ
        return cls(
            node_modules=Path(env.get("HARNESS_NODE_MODULES", PROJECT_ROOT / "node_modules")),
            node_binary=env.get("HARNESS_NODE", "node"),
            work_dir=Path(env.get("HARNESS_WORK_DIR", PROJECT_ROOT / ".harness")),
            startup_timeout=float(env.get("HARNESS_STARTUP_TIMEOUT", "120")),
            step_timeout=float(env.get("HARNESS_STEP_TIMEOUT", "60")),
        )
