"""`relayer`: the bridge relayer's dev controls: pause, resume, or delay relaying by a number of blocks."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import StepContext, StepKind, StepParser

SCHEMA = {"oneOf": [{"enum": ["pause", "resume"]},
                    {"type": "object", "required": ["delay"], "additionalProperties": False,
                     "properties": {"delay": {"type": "integer", "minimum": 0}}}]}


@dataclass(frozen=True)
class Relayer:
    KEY: ClassVar[str] = "relayer"
    command: str  # pause | resume | delay
    blocks: int | None = None


def parse(p: StepParser, body: object, at: tuple) -> Relayer:
    if isinstance(body, dict):
        return Relayer("delay", body["delay"])
    return Relayer(body)


def run(ctx: StepContext, step, action: Relayer, since: dict[str, int]) -> None:
    ctx.bridge.relayer(action)


STEP = StepKind(Relayer, SCHEMA, parse, run)
