"""A second, distinct runtime for upgrade tests, made from a genesis spec's own: the same code with its
spec_version raised.

The RuntimeVersion is in the module twice: the `runtime_version` custom section (what a node reads before
running the code: state_getRuntimeVersion, set_code's checks) and the VERSION constant in the data section
(what Core_version returns). The 12 bytes authoring, spec, impl version appear exactly twice in the Kusama 1.0
relay and Asset Hub runtimes, once in each; both are raised, so every reader sees the new version. Some code
compares with the version compiled in as immediates, which stays: Executive's LastRuntimeUpgrade check, set_code's
check, and CheckSpecVersion, so a signed extrinsic built for the new version is refused (badProof). The fixture
shows an upgrade (versions and code hash change); it is not a runtime to run transactions on."""
from __future__ import annotations

import hashlib
import struct
from pathlib import Path

from ..network.runtime_wasm import compress, decompress, genesis_code, version_section


def bump_spec_version(code: bytes, by: int = 1) -> bytes:
    """`code` (stored form) with spec_version raised by `by`, compressed as the chain stores it."""
    wasm = bytearray(decompress(code))
    at = version_section(bytes(wasm)).triple_at
    triple = bytes(wasm[at:at + 12])
    hits, start = [], 0
    while (found := wasm.find(triple, start)) >= 0:
        hits.append(found)
        start = found + 1
    if len(hits) != 2:
        raise ValueError(f"expected the version triple twice (section and constant), found it {len(hits)} times")
    spec = struct.unpack_from("<I", triple, 4)[0]
    for hit in hits:
        struct.pack_into("<I", wasm, hit + 4, spec + by)
    return compress(bytes(wasm))


def bumped_runtime(chain_spec: str | Path, cache: Path, by: int = 1) -> Path:
    """The genesis runtime of `chain_spec` with spec_version + `by`, written once into `cache`."""
    source = Path(chain_spec)
    key = hashlib.sha256(f"{source.resolve()}:{source.stat().st_mtime_ns}:{by}".encode()).hexdigest()[:16]
    out = cache / f"{source.stem}-spec+{by}-{key}.wasm"
    if not out.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        out.write_bytes(bump_spec_version(genesis_code(source), by))
    return out


def genesis_runtime(chain_spec: str | Path, cache: Path) -> Path:
    """The genesis runtime of `chain_spec` itself, as a file (the same code a chain from that spec runs)."""
    source = Path(chain_spec)
    out = cache / f"{source.stem}-genesis.wasm"
    if not out.is_file():
        cache.mkdir(parents=True, exist_ok=True)
        out.write_bytes(genesis_code(source))
    return out
