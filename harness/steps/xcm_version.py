"""`xcm_version`: a chain's pallet-xcm made to speak XCM up to `version`, as a runtime upgrade to such a runtime
would (the VERSIONS capability: the devnet's dev_setXcmVersion); its peers learn it as pallet-xcm tells them
(VersionChangeNotified there, SupportedVersionChanged on each peer), which later steps may wait for."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..errors import ChainCallError
from ..providers.capabilities import Capability
from .base import StepContext, StepFailed, StepKind, StepParser

VERSIONS = (3, 4, 5)  # the XCM versions a runtime of today's xcm crate decodes (the devnet's xcm/versions.py)
SCHEMA = {"type": "object", "required": ["chain", "version"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "version": {"type": "integer"}}}


@dataclass(frozen=True)
class XcmVersion:
    KEY: ClassVar[str] = "xcm_version"
    chain: str
    version: int


def parse(p: StepParser, body: dict, at: tuple) -> XcmVersion:
    if body["version"] not in VERSIONS:
        p.fail(at + ("version",), f"XCM version {body['version']} is not one a runtime speaks today",
               f"one of {', '.join(map(str, VERSIONS))}")
    return XcmVersion(p.chain(at + ("chain",), body["chain"]), body["version"])


def run(ctx: StepContext, step, action: XcmVersion, since: dict[str, int]) -> None:
    versions = ctx.network.capability(Capability.VERSIONS, f"make {action.chain} speak XCM {action.version}")
    try:
        versions.set_xcm_version(action.chain, action.version)
    except ChainCallError as exc:
        raise StepFailed(f"{action.chain} cannot move to XCM {action.version}: {exc}",
                         step.path + ("xcm_version",)) from None
    ctx.clients.refresh(action.chain)  # the change is an upgrade: the chain presents a new runtime version


def needs(action: XcmVersion) -> tuple[Capability, ...]:
    return (Capability.VERSIONS,)


STEP = StepKind(XcmVersion, SCHEMA, parse, run, needs=needs)
