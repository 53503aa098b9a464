"""`bridge_mode`: a Bridge Hub's messages pallet set to an operating mode (engine/bridge_controls.py writes it)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..network.facts import BRIDGE_MODES
from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "mode"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"},
                         "mode": {"type": "string"}}}  # checked in parse, after matrix substitution


@dataclass(frozen=True)
class BridgeMode:
    KEY: ClassVar[str] = "bridge_mode"
    chain: str  # a bridge hub
    mode: str  # one of BRIDGE_MODES


def parse(p: StepParser, body: dict, at: tuple) -> BridgeMode:
    if body["mode"] not in BRIDGE_MODES:
        p.fail(at + ("mode",), f"unknown bridge mode '{body['mode']}'", f"one of {', '.join(BRIDGE_MODES)}")
    return BridgeMode(p.chain(at + ("chain",), body["chain"]), body["mode"])


def run(ctx: StepContext, step, action: BridgeMode, since: dict[str, int]) -> None:
    ctx.bridge.mode(action)


STEP = StepKind(BridgeMode, SCHEMA, parse, run)
