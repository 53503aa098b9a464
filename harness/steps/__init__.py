"""The step kinds, one module each (its schema fragment, action, parser and handler), in one table.

Adding a kind: write harness/steps/<kind>.py ending in `STEP = StepKind(...)`, and add it to KINDS below. The
order here is the order the schema and the error messages list the kinds in."""
from __future__ import annotations

from . import (bridge_mode, call, congestion, fund, relayer, reserves, set_storage, transfer, upgrade, wait,
               xcm_transfer, xcm_version)
from .base import StepContext, StepFailed, StepKind, StepParser

KINDS: dict[str, StepKind] = {m.STEP.name: m.STEP for m in (
    transfer, xcm_transfer, call, wait, fund, relayer, bridge_mode, congestion, reserves, set_storage, upgrade,
    xcm_version,
)}

__all__ = ["KINDS", "StepContext", "StepFailed", "StepKind", "StepParser"]
