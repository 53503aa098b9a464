"""Runtime wasm files: what a candidate runtime is (its version, its code hash), checked before any chain runs it.

A runtime is a wasm module, raw or compressed as sp-maybe-compressed-blob does it (an 8-byte prefix, then zstd).
Its RuntimeVersion sits in the module's `runtime_version` custom section (sp-version's `runtime_version` proc
macro), SCALE-encoded: spec_name, impl_name, authoring_version u32, spec_version u32, impl_version u32, apis
(Vec<([u8; 8], u32)>), transaction_version u32, then state/system version u8.
"""
from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from pathlib import Path

import zstandard
from substrateinterface.utils.hasher import blake2_256

from ..errors import ProviderError

WASM_MAGIC = b"\0asm"
# sp-maybe-compressed-blob (polkadot-sdk substrate/primitives/maybe-compressed-blob/src/lib.rs): ZSTD_PREFIX and
# CODE_BLOB_BOMB_LIMIT, the most a compressed blob may expand to
ZSTD_PREFIX = bytes.fromhex("52bc537646db8e05")
BOMB_LIMIT = 50 * 1024 * 1024
CODE_KEY = "0x3a636f6465"  # b":code", sp-storage well_known_keys::CODE
_HINT = ("expected a runtime wasm: a wasm module (starts with \\0asm) or one compressed by "
         "sp-maybe-compressed-blob (starts with 52bc537646db8e05), e.g. a fellows release's .compact.compressed.wasm")


@dataclass(frozen=True)
class RuntimeFile:
    """A runtime as a chain would store it in `:code` (`code`, compressed or not) and what it says it is."""

    code: bytes
    spec_name: str
    spec_version: int
    transaction_version: int

    @property
    def code_hash(self) -> str:
        """0x blake2_256 of the stored code, as authorize_upgrade and the harness's runtime records take it."""
        return "0x" + blake2_256(self.code).hex()


class NotARuntime(ValueError):
    """The bytes are not a runtime wasm; the message says what they are instead."""


def decompress(code: bytes) -> bytes:
    """The wasm module itself, from stored code that may be compressed."""
    if code.startswith(ZSTD_PREFIX):
        try:
            raw = zstandard.ZstdDecompressor().decompress(code[len(ZSTD_PREFIX):], max_output_size=BOMB_LIMIT)
        except zstandard.ZstdError:
            raise NotARuntime("it has the compressed-runtime prefix, but its zstd data does not decompress") from None
    else:
        raw = code
    if not raw.startswith(WASM_MAGIC):
        raise NotARuntime(f"it starts with {code[:8].hex() or 'nothing (empty file)'}")
    return raw


def compress(wasm: bytes) -> bytes:
    return ZSTD_PREFIX + zstandard.ZstdCompressor(level=3).compress(wasm)


def _leb128(data: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if byte < 0x80:
            return value, at


def custom_section(wasm: bytes, name: str) -> tuple[int, int] | None:
    """(start, end) of the payload of the custom section `name` in a wasm module (sections: id byte, LEB128 size)."""
    at = len(WASM_MAGIC) + 4  # magic, then the u32 module version
    wanted = name.encode()
    while at < len(wasm):
        section_id = wasm[at]
        size, body = _leb128(wasm, at + 1)
        if section_id == 0:
            name_len, name_at = _leb128(wasm, body)
            if wasm[name_at:name_at + name_len] == wanted:
                return name_at + name_len, body + size
        at = body + size
    return None


def _compact(data: bytes, at: int) -> tuple[int, int]:
    """A SCALE compact integer (the single-, two- and four-byte modes; lengths here never need more)."""
    mode = data[at] & 3
    if mode == 0:
        return data[at] >> 2, at + 1
    if mode == 1:
        return struct.unpack_from("<H", data, at)[0] >> 2, at + 2
    return struct.unpack_from("<I", data, at)[0] >> 2, at + 4


@dataclass(frozen=True)
class VersionSection:
    spec_name: str
    spec_version: int
    transaction_version: int
    triple_at: int  # offset of authoring, spec, impl (3 x u32) in the module


def version_section(wasm: bytes) -> VersionSection:
    found = custom_section(wasm, "runtime_version")
    if found is None:
        raise NotARuntime("it is a wasm module with no runtime_version section (not a Substrate runtime)")
    at, _ = found
    names = []
    for _ in range(2):  # spec_name, impl_name
        length, at = _compact(wasm, at)
        names.append(wasm[at:at + length].decode(errors="replace"))
        at += length
    triple_at = at
    spec_version = struct.unpack_from("<I", wasm, at + 4)[0]
    apis, at = _compact(wasm, at + 12)
    transaction_version = struct.unpack_from("<I", wasm, at + apis * 12)[0]
    return VersionSection(names[0], spec_version, transaction_version, triple_at)


def read_runtime_bytes(code: bytes) -> RuntimeFile:
    version = version_section(decompress(code))
    return RuntimeFile(code, version.spec_name, version.spec_version, version.transaction_version)


def load_candidate(path: str | Path, chain: str) -> RuntimeFile:
    """The candidate runtime at `path` for `chain`, or one ProviderError saying what is wrong with the file."""
    file = Path(path)
    if not file.is_file():
        raise ProviderError(f"candidate runtime for '{chain}' not found: {file}",
                            "give the path of a runtime .wasm file (e.g. a fellows release's "
                            ".compact.compressed.wasm)")
    try:
        return read_runtime_bytes(file.read_bytes())
    except NotARuntime as exc:
        raise ProviderError(f"candidate runtime for '{chain}' is not a runtime wasm: {file}: {exc}", _HINT) from None


def check_spec_name(candidate: RuntimeFile, path: str | Path, chain: str, expected: str) -> None:
    if candidate.spec_name != expected:
        raise ProviderError(f"candidate runtime for '{chain}' is spec '{candidate.spec_name}', but '{chain}' runs "
                            f"spec '{expected}': {path}", f"give the '{expected}' runtime for '{chain}'")


def genesis_code(chain_spec: str | Path) -> bytes:
    """The `:code` of a raw chain spec's genesis."""
    top = json.loads(Path(chain_spec).read_text())["genesis"]["raw"]["top"]
    return bytes.fromhex(top[CODE_KEY][2:])
