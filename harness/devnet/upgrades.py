"""Code changes on one chain without wasm: the dev RPCs dev_setSpecVersion and dev_setXcmVersion.

A change is applied as frame_system applies set_code (polkadot-sdk substrate/frame/system/src/lib.rs:
can_set_code refuses a spec version that does not increase with Error::SpecVersionNeedsToIncrease;
update_code_in_storage writes `:code`, deposits the RuntimeEnvironmentUpdated digest item and the CodeUpdated
event), in the Initialization phase of the next block, where a governance upgrade dispatched by the Scheduler
lands. The block after it is the first of the new code: frame-executive's initialize_block sees
LastRuntimeUpgrade behind and runs on_runtime_upgrade (runtime/executive.py). Both blocks are built at once, so
the RPC answers once the chain runs the new code. The new code is the record of runtime/code.py.

Raising the XCM version is a code change too: a runtime speaks a newer XCM only after an upgrade, and pallet-xcm
tells its subscribers from that upgrade's on_runtime_upgrade (xcm/pallet_xcm/negotiation.py). The devnet's upgrade
for it raises the spec version by one, as any real upgrade does, so frame-executive runs the migrations.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .runtime.code import CODE_KEY, Code
from .runtime.executive import BlockWork
from .xcm.versions import VERSIONS


@dataclass(frozen=True)
class CodeChange:
    """What a dev RPC's code change did: the code before and after, and the blocks it built."""

    before: Code
    after: Code
    blocks: tuple[Any, ...]  # node.Block: the one with CodeUpdated, then the first of the new code

    def json(self) -> dict:
        return {"specVersionBefore": self.before.spec_version, "specVersion": self.after.spec_version,
                "xcmVersionBefore": self.before.xcm_version, "xcmVersion": self.after.xcm_version,
                "codeHash": "0x" + self.after.hash.hex(),
                "blocks": [{"number": b.number, "hash": "0x" + b.hash.hex()} for b in self.blocks]}


class CodeRefused(ValueError):
    """The change is refused, in the runtime's words (the dev RPC answers it as invalid params)."""


def set_spec_version(chain: Any, spec_version: int) -> CodeChange:
    current = chain.code(chain.head())
    if spec_version <= current.spec_version:
        # frame_system can_set_code: ensure!(new.spec_version > current.spec_version, SpecVersionNeedsToIncrease)
        raise CodeRefused(f"System.SpecVersionNeedsToIncrease: spec version {spec_version} does not increase on "
                       f"{chain.name}, which runs {current.spec_version}")
    return set_code(chain, replace(current, spec_version=spec_version))


def set_xcm_version(chain: Any, version: int) -> CodeChange:
    current = chain.code(chain.head())
    if version not in VERSIONS:
        raise CodeRefused(f"XCM version {version} is not one the devnet speaks ({', '.join(map(str, VERSIONS))})")
    if version == current.xcm_version:
        raise CodeRefused(f"{chain.name} already speaks XCM up to version {version}")
    return set_code(chain, Code(current.spec_version + 1, version))


def set_code(chain: Any, code: Code) -> CodeChange:
    before = chain.code(chain.head())
    system = chain.runtime.pallet("System")

    def update_code_in_storage(ctx) -> None:
        ctx.state.set(CODE_KEY, code.encode())
        digest = system.digest.get(ctx.state)
        system.digest.put(ctx.state, {"logs": [*digest["logs"], "RuntimeEnvironmentUpdated"]})
        system.emit(ctx, "CodeUpdated", {"hash": code.hash})

    updated = chain.build_block(BlockWork(on_initialize=update_code_in_storage))
    first = chain.build_block()
    return CodeChange(before, code, (updated, first))
