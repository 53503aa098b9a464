"""The devnet's stand-in for a chain's `:code`: no wasm, only what a code upgrade changes here.

A node answers a block's runtime version from the wasm in that block's `:code` (sp-storage well_known_keys::CODE;
sc-client runtime_version_at). The devnet runs no wasm, so the code it writes there is a short record of what the
new runtime would present: its spec version and the XCM version its pallet-xcm speaks (AdvertisedXcmVersion). A
chain has no `:code` until a dev RPC changes its code (dev_setSpecVersion, dev_setXcmVersion); until then it runs
the version its ChainConfig gives. The record starts with MAGIC, not wasm's b"\\0asm", so no tool takes it for wasm.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..hashing import blake2_256

CODE_KEY = b":code"
MAGIC = b"\x00devnet-runtime\x00"


@dataclass(frozen=True)
class Code:
    spec_version: int
    xcm_version: int

    def encode(self) -> bytes:
        return MAGIC + self.spec_version.to_bytes(4, "little") + self.xcm_version.to_bytes(4, "little")

    @property
    def hash(self) -> bytes:
        """blake2_256 of the stored code, as a node's code hash (and frame_system's authorized code hash) is."""
        return blake2_256(self.encode())


def code_in(state: dict, default: Code) -> Code:
    """The code of a block's state: the record a dev RPC wrote, else the chain's genesis code."""
    raw = state.get(CODE_KEY)
    if raw is None or not raw.startswith(MAGIC) or len(raw) != len(MAGIC) + 8:
        return default
    body = raw[len(MAGIC):]
    return Code(int.from_bytes(body[:4], "little"), int.from_bytes(body[4:], "little"))
