"""`upgrade`: a chain's runtime changed in the middle of a scenario.

- `{chain, wasm: PATH, check_version: true|false}`: real code, applied the way governance does it (Root
  authorizes, then the code is applied), on a provider that runs wasm (Capability.UPGRADE: chopsticks).
  `wasm: current` is the code the chain runs now: with check_version false, an offline upgrade that still runs
  the whole mechanism on real wasm.
- `{chain, spec_version: N}` with no wasm: the version change emulated (Capability.VERSIONS: the devnet).
With wasm, `spec_version: N` is what the chain must run afterwards. `spec_version_before: N` is what it ran before,
and `last_runtime_upgrade: {spec_version, spec_name}` what System.LastRuntimeUpgrade holds afterwards (frame-executive
writes it when a new version runs its migrations). Each upgrade is recorded in the results. Later steps see the new
runtime: the chain's client is opened afresh."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from ..errors import HarnessError
from ..client.runtime_version import read_code
from ..network.runtime_wasm import load_candidate
from ..network.topology import expand
from ..providers.capabilities import Capability
from .base import StepContext, StepFailed, StepKind, StepParser

CURRENT = "current"
SCHEMA = {"type": "object", "required": ["chain"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "wasm": {"type": "string", "minLength": 1},
                         "check_version": {"type": "boolean"},
                         "spec_version": {"type": "integer", "minimum": 0},
                         "spec_version_before": {"type": "integer", "minimum": 0},
                         "last_runtime_upgrade": {
                             "type": "object", "additionalProperties": False, "minProperties": 1,
                             "properties": {"spec_version": {"type": "integer", "minimum": 0},
                                            "spec_name": {"type": "string"}}},
                         "timeout": {"$ref": "#/$defs/timeout"}}}


@dataclass(frozen=True)
class Upgrade:
    KEY: ClassVar[str] = "upgrade"
    chain: str
    wasm: str | None  # an absolute path, CURRENT, or None for the emulated shape
    check_version: bool = True
    spec_version: int | None = None  # with wasm: expected afterwards; without: the version to present
    timeout: float | None = None
    spec_version_before: int | None = None  # expected before
    last_runtime_upgrade: dict | None = None  # expected afterwards: spec_version and/or spec_name


def parse(p: StepParser, body: dict, at: tuple) -> Upgrade:
    chain = p.chain(at + ("chain",), body["chain"])
    wasm = body.get("wasm")
    if wasm is None:
        if body.get("spec_version") is None:
            p.fail(at, "an upgrade needs 'wasm' (a runtime file, or 'current') or 'spec_version' (emulated)",
                   "e.g. upgrade: {chain: kusama, wasm: ./kusama_runtime.compact.compressed.wasm}")
        elif "check_version" in body:
            p.fail(at + ("check_version",), "check_version applies to a wasm upgrade",
                   "drop it, or give 'wasm'")
    elif wasm != CURRENT:
        base = Path(p.doc.file).parent
        wasm = str((base / expand(wasm, base)).resolve())  # an absolute path stays itself
        if not Path(wasm).is_file():
            p.fail(at + ("wasm",), f"runtime file not found: {wasm}",
                   f"paths are taken from the scenario's folder; '{CURRENT}' is the code the chain runs now")
    return Upgrade(chain, wasm, bool(body.get("check_version", True)), body.get("spec_version"), body.get("timeout"),
                   body.get("spec_version_before"), body.get("last_runtime_upgrade"))


def needs(action: Upgrade) -> tuple[Capability, ...]:
    return (Capability.UPGRADE,) if action.wasm else (Capability.VERSIONS,)


def run(ctx: StepContext, step, action: Upgrade, since: dict[str, int]) -> None:
    at = step.path + ("upgrade",)
    if action.wasm is None:
        report = ctx.network.capability(Capability.VERSIONS, f"change the spec version of '{action.chain}'") \
            .set_spec_version(action.chain, action.spec_version)
    else:
        upgrades = ctx.network.capability(Capability.UPGRADE, f"upgrade '{action.chain}' to a wasm runtime")
        code = _code(ctx, action, at)
        report = upgrades.upgrade(action.chain, code, action.check_version, action.timeout or ctx.step_timeout)
    ctx.clients.refresh(action.chain)
    last = _last_runtime_upgrade(ctx.clients[action.chain])
    ctx.record_upgrade(step, report, last)
    if action.wasm and action.spec_version is not None and report.spec_after != action.spec_version:
        raise StepFailed(f"'{action.chain}' runs spec_version {report.spec_after} after the upgrade, not "
                         f"{action.spec_version}", at + ("spec_version",))
    if action.spec_version_before is not None and report.spec_before != action.spec_version_before:
        raise StepFailed(f"'{action.chain}' ran spec_version {report.spec_before} before the upgrade, not "
                         f"{action.spec_version_before}", at + ("spec_version_before",))
    for key, expected in (action.last_runtime_upgrade or {}).items():
        held = (last or {}).get(key)
        if held != expected:
            raise StepFailed(f"System.LastRuntimeUpgrade of '{action.chain}' holds {key} {held!r} after the upgrade, "
                             f"not {expected!r}" + ("" if last else " (the chain keeps none)"),
                             at + ("last_runtime_upgrade", key))


def _last_runtime_upgrade(client) -> dict | None:
    """System.LastRuntimeUpgrade (frame-system LastRuntimeUpgradeInfo: spec_version as Compact<u32>, spec_name)."""
    value = client.storage_value("System", "LastRuntimeUpgrade")
    if not value:
        return None
    return {"spec_version": int(value["spec_version"]), "spec_name": str(value["spec_name"])}


def _code(ctx: StepContext, action: Upgrade, at: tuple) -> bytes:
    if action.wasm == CURRENT:
        return read_code(ctx.clients[action.chain])
    try:
        return load_candidate(action.wasm, action.chain).code
    except HarnessError as exc:
        raise StepFailed(str(exc), at + ("wasm",)) from None


STEP = StepKind(Upgrade, SCHEMA, parse, run, needs=needs)
