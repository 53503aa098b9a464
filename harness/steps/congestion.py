"""`congestion`: the bridge as congested or not, as an Asset Hub's router hears it from its Bridge Hub."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "congested"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "congested": {"type": "boolean"}}}


@dataclass(frozen=True)
class Congestion:
    KEY: ClassVar[str] = "congestion"
    chain: str  # an asset hub
    congested: bool


def parse(p: StepParser, body: dict, at: tuple) -> Congestion:
    return Congestion(p.chain(at + ("chain",), body["chain"]), body["congested"])


def run(ctx: StepContext, step, action: Congestion, since: dict[str, int]) -> None:
    ctx.bridge.congestion(action)


STEP = StepKind(Congestion, SCHEMA, parse, run)
