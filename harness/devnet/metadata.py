"""Runtime metadata V14 and V15, encoded from the devnet's own type registry.

Layouts follow frame-metadata (paritytech/frame-metadata, src/v14.rs and src/v15.rs) and the
portable registry of scale-info (src/portable.rs, src/ty/*.rs). We write the bytes ourselves
because scalecodec cannot encode V15, and one writer for both keeps them in step.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .scale import TypeEntry, TypeRegistry, encode_compact

MAGIC = b"meta"  # 0x6d657461, frame-metadata's META_RESERVED
HASHERS = {"Blake2_128": 0, "Blake2_256": 1, "Blake2_128Concat": 2, "Twox128": 3, "Twox256": 4,
           "Twox64Concat": 5, "Identity": 6}
_PRIMS = ("bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256",
          "i8", "i16", "i32", "i64", "i128", "i256")


@dataclass
class StorageSpec:
    name: str
    value: int
    keys: tuple[int, ...] = ()              # key type ids, one per hasher
    hashers: tuple[str, ...] = ()
    default: bytes = b"\x00"                # encoded default (Option None when optional)
    optional: bool = False
    docs: tuple[str, ...] = ()


@dataclass
class ConstantSpec:
    name: str
    type: int
    value: bytes
    docs: tuple[str, ...] = ()


@dataclass
class PalletSpec:
    name: str
    index: int
    calls: int | None = None
    events: int | None = None
    errors: int | None = None
    storage: list[StorageSpec] = field(default_factory=list)
    constants: list[ConstantSpec] = field(default_factory=list)
    docs: tuple[str, ...] = ()


@dataclass
class ApiMethodSpec:
    name: str
    inputs: list[tuple[str, int]]
    output: int
    docs: tuple[str, ...] = ()


@dataclass
class ApiSpec:
    name: str
    methods: list[ApiMethodSpec]
    docs: tuple[str, ...] = ()


@dataclass
class ExtrinsicSpec:
    extrinsic_type: int        # sp_runtime UncheckedExtrinsic
    address: int
    call: int
    signature: int
    extra: int                 # the tuple of signed extensions
    signed_extensions: list[tuple[str, int, int]]  # identifier, type, additional signed type
    version: int = 4


@dataclass
class MetadataSpec:
    registry: TypeRegistry
    pallets: list[PalletSpec]
    extrinsic: ExtrinsicSpec
    runtime_type: int
    call_enum: int
    event_enum: int
    error_enum: int
    apis: list[ApiSpec] = field(default_factory=list)


def _str(s: str) -> bytes:
    raw = s.encode()
    return encode_compact(len(raw)) + raw


def _vec(items: list, enc) -> bytes:
    return encode_compact(len(items)) + b"".join(enc(i) for i in items)


def _opt(value, enc) -> bytes:
    return b"\x00" if value is None else b"\x01" + enc(value)


def _docs(docs) -> bytes:
    return _vec(list(docs), _str)


def _field(f) -> bytes:
    return (_opt(f.name, _str) + encode_compact(f.type) + _opt(f.type_name, _str) + _docs(()))


def _type(t: TypeEntry) -> bytes:
    out = _vec(list(t.path), _str)
    out += _vec(list(t.params), lambda p: _str(p[0]) + _opt(p[1], encode_compact))
    if t.kind == "composite":
        out += b"\x00" + _vec(list(t.fields), _field)
    elif t.kind == "variant":
        out += b"\x01" + _vec(list(t.variants), lambda v: _str(v.name) + _vec(list(v.fields), _field)
                              + bytes([v.index]) + _docs(v.docs))
    elif t.kind == "sequence":
        out += b"\x02" + encode_compact(t.inner)
    elif t.kind == "array":
        out += b"\x03" + t.length.to_bytes(4, "little") + encode_compact(t.inner)
    elif t.kind == "tuple":
        out += b"\x04" + _vec(list(t.items), encode_compact)
    elif t.kind == "primitive":
        out += b"\x05" + bytes([_PRIMS.index(t.primitive)])
    elif t.kind == "compact":
        out += b"\x06" + encode_compact(t.inner)
    else:
        raise ValueError(f"type left {t.kind}")
    return out + _docs(t.docs)


def _registry(reg: TypeRegistry) -> bytes:
    return encode_compact(len(reg.types)) + b"".join(
        encode_compact(i) + _type(t) for i, t in enumerate(reg.types))


def _storage_entry(e: StorageSpec) -> bytes:
    out = _str(e.name) + (b"\x00" if e.optional else b"\x01")
    if not e.keys:
        out += b"\x00" + encode_compact(e.value)
    else:
        key = e.keys[0] if len(e.keys) == 1 else None
        if key is None:
            raise ValueError("multi-key storage needs its tuple key type: pass keys=(tuple_id,) and all hashers")
        out += b"\x01" + _vec(list(e.hashers), lambda h: bytes([HASHERS[h]])) + encode_compact(key) \
            + encode_compact(e.value)
    return out + _str_bytes(e.default) + _docs(e.docs)


def _str_bytes(b: bytes) -> bytes:
    return encode_compact(len(b)) + b


def _pallet(p: PalletSpec, v15: bool) -> bytes:
    storage = None if not p.storage else p
    out = _str(p.name)
    out += _opt(storage, lambda s: _str(s.name) + _vec(s.storage, _storage_entry))
    out += _opt(p.calls, encode_compact) + _opt(p.events, encode_compact)
    out += _vec(p.constants, lambda c: _str(c.name) + encode_compact(c.type) + _str_bytes(c.value) + _docs(c.docs))
    out += _opt(p.errors, encode_compact) + bytes([p.index])
    if v15:
        out += _docs(p.docs)
    return out


def encode_v14(spec: MetadataSpec) -> bytes:
    x = spec.extrinsic
    ext = encode_compact(x.extrinsic_type) + bytes([x.version]) + _vec(
        x.signed_extensions, lambda s: _str(s[0]) + encode_compact(s[1]) + encode_compact(s[2]))
    return (MAGIC + bytes([14]) + _registry(spec.registry) + _vec(spec.pallets, lambda p: _pallet(p, False))
            + ext + encode_compact(spec.runtime_type))


def encode_v15(spec: MetadataSpec) -> bytes:
    x = spec.extrinsic
    ext = bytes([x.version]) + b"".join(encode_compact(t) for t in (x.address, x.call, x.signature, x.extra)) \
        + _vec(x.signed_extensions, lambda s: _str(s[0]) + encode_compact(s[1]) + encode_compact(s[2]))
    apis = _vec(spec.apis, lambda a: _str(a.name) + _vec(a.methods, lambda m: _str(m.name) + _vec(
        m.inputs, lambda i: _str(i[0]) + encode_compact(i[1])) + encode_compact(m.output) + _docs(m.docs))
        + _docs(a.docs))
    outer = encode_compact(spec.call_enum) + encode_compact(spec.event_enum) + encode_compact(spec.error_enum)
    custom = encode_compact(0)
    return (MAGIC + bytes([15]) + _registry(spec.registry) + _vec(spec.pallets, lambda p: _pallet(p, True))
            + ext + encode_compact(spec.runtime_type) + apis + outer + custom)
