"""A scale-info style type registry and a SCALE codec driven by it.

The devnet declares every type once here (with the real Rust type path), the metadata is
built from the same registry, and state, events and extrinsics are encoded and decoded by
type id, so what a client decodes with the metadata is exactly what the runtime wrote.

Value model (shared by encode and decode):
  - integers -> int, bool -> bool, str -> str
  - sequences/arrays of u8 -> bytes; other sequences/arrays/tuples -> list
  - composite: named fields -> dict; a single unnamed field -> the inner value;
    several unnamed fields -> list
  - variant: unit variant -> "Name"; otherwise {"Name": payload} (payload as for a composite)
  - Option<T> (path ["Option"]) -> None or the inner value
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

PRIMITIVES = ("bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "u256",
              "i8", "i16", "i32", "i64", "i128", "i256")
_INT_WIDTH = {"u8": 1, "u16": 2, "u32": 4, "u64": 8, "u128": 16, "u256": 32,
              "i8": 1, "i16": 2, "i32": 4, "i64": 8, "i128": 16, "i256": 32}


class ScaleError(ValueError):
    """Bytes or a value that do not fit the type."""


@dataclass(frozen=True)
class Field:
    name: str | None
    type: int
    type_name: str | None = None


@dataclass(frozen=True)
class Variant:
    name: str
    index: int
    fields: tuple[Field, ...] = ()
    docs: tuple[str, ...] = ()


@dataclass
class TypeEntry:
    """One portable type: kind is composite, variant, sequence, array, tuple, primitive, compact."""

    kind: str
    path: tuple[str, ...] = ()
    params: tuple[tuple[str, int | None], ...] = ()
    fields: tuple[Field, ...] = ()          # composite
    variants: tuple[Variant, ...] = ()      # variant
    inner: int | None = None                # sequence, array, compact
    length: int = 0                         # array
    items: tuple[int, ...] = ()             # tuple
    primitive: str = ""                     # primitive
    docs: tuple[str, ...] = ()


def _variant(v) -> Variant:
    return v if isinstance(v, Variant) else Variant(v[0], v[1], _fields(v[2]), tuple(v[3]) if len(v) > 3 else ())


def _fields(specs) -> tuple[Field, ...]:
    out = []
    for spec in specs:
        if isinstance(spec, Field):
            out.append(spec)
        else:
            name, ty, *rest = spec
            out.append(Field(name, ty, rest[0] if rest else None))
    return tuple(out)


@dataclass
class TypeRegistry:
    """Types in id order. Structural types are shared; named types are keyed by path+params."""

    types: list[TypeEntry] = field(default_factory=list)
    _index: dict[Any, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)  # short names for lookup by declarers
    # decode rules a type's Rust Decode impl adds to its shape: type id -> check(value), raising ScaleError
    checks: dict[int, Callable[[Any], None]] = field(default_factory=dict)

    # --- building -------------------------------------------------------------------------
    def _add(self, key: Any, entry: TypeEntry) -> int:
        if key is not None and key in self._index:
            return self._index[key]
        self.types.append(entry)
        tid = len(self.types) - 1
        if key is not None:
            self._index[key] = tid
        return tid

    def prim(self, name: str) -> int:
        if name not in PRIMITIVES:
            raise ValueError(f"not a primitive: {name}")
        return self._add(("prim", name), TypeEntry("primitive", primitive=name))

    def seq(self, inner: int) -> int:
        return self._add(("seq", inner), TypeEntry("sequence", inner=inner))

    def array(self, inner: int, length: int) -> int:
        return self._add(("array", inner, length), TypeEntry("array", inner=inner, length=length))

    def tuple(self, *items: int) -> int:
        return self._add(("tuple", items), TypeEntry("tuple", items=tuple(items)))

    def compact(self, inner: int) -> int:
        return self._add(("compact", inner), TypeEntry("compact", inner=inner))

    def unit(self) -> int:
        return self.tuple()

    def bytes(self) -> int:
        return self.seq(self.prim("u8"))

    def option(self, inner: int) -> int:
        return self.variant(("Option",), [("None", 0, []), ("Some", 1, [(None, inner)])],
                            params=[("T", inner)])

    def result(self, ok: int, err: int) -> int:
        return self.variant(("Result",), [("Ok", 0, [(None, ok)]), ("Err", 1, [(None, err)])],
                            params=[("T", ok), ("E", err)])

    def composite(self, path, fields=(), params=(), docs=(), name: str | None = None) -> int:
        path = tuple(path.split("::")) if isinstance(path, str) else tuple(path)
        entry = TypeEntry("composite", path=path, params=tuple(params), fields=_fields(fields),
                          docs=tuple(docs))
        return self._named(entry, name)

    def variant(self, path, variants=(), params=(), docs=(), name: str | None = None) -> int:
        path = tuple(path.split("::")) if isinstance(path, str) else tuple(path)
        vs = tuple(_variant(v) for v in variants)
        entry = TypeEntry("variant", path=path, params=tuple(params), variants=vs, docs=tuple(docs))
        return self._named(entry, name)

    def _named(self, entry: TypeEntry, name: str | None) -> int:
        key = ("named", entry.path, entry.params, entry.kind, entry.fields, entry.variants)
        tid = self._add(key, entry)
        if name:
            self.names[name] = tid
        return tid

    def reserve(self, name: str | None = None) -> int:
        """A placeholder id for a recursive type; fill it with define()."""
        self.types.append(TypeEntry("reserved"))
        tid = len(self.types) - 1
        if name:
            self.names[name] = tid
        return tid

    def define(self, tid: int, kind: str, path, fields=(), variants=(), params=(), docs=()) -> int:
        path = tuple(path.split("::")) if isinstance(path, str) else tuple(path)
        if kind == "composite":
            self.types[tid] = TypeEntry("composite", path=path, params=tuple(params), fields=_fields(fields),
                                        docs=tuple(docs))
        else:
            vs = tuple(_variant(v) for v in variants)
            self.types[tid] = TypeEntry("variant", path=path, params=tuple(params), variants=vs, docs=tuple(docs))
        return tid

    def __getitem__(self, name: str) -> int:
        return self.names[name]

    # --- codec ----------------------------------------------------------------------------
    def encode(self, tid: int, value: Any) -> bytes:
        out = bytearray()
        self._enc(tid, value, out)
        return bytes(out)

    def decode(self, tid: int, data: bytes, offset: int = 0, whole: bool = True) -> Any:
        value, end = self.decode_at(tid, data, offset)
        if whole and end != len(data):
            raise ScaleError(f"{len(data) - end} bytes left over after decoding type {tid}")
        return value

    def decode_at(self, tid: int, data: bytes, offset: int = 0) -> tuple[Any, int]:
        try:
            return self._dec(tid, memoryview(data), offset)
        except (IndexError, KeyError, UnicodeDecodeError) as exc:
            raise ScaleError(f"cannot decode type {tid}: {exc}") from None

    def _enc(self, tid: int, v: Any, out: bytearray) -> None:
        t = self.types[tid]
        k = t.kind
        if k == "primitive":
            p = t.primitive
            if p == "bool":
                out.append(1 if v else 0)
            elif p == "str":
                raw = v.encode()
                out += encode_compact(len(raw)) + raw
            elif p == "char":
                out += ord(v).to_bytes(4, "little")
            else:
                try:
                    out += int(v).to_bytes(_INT_WIDTH[p], "little", signed=p[0] == "i")
                except OverflowError:
                    raise ScaleError(f"{v} does not fit {p}") from None
        elif k == "compact":
            n = int(v)
            inner = self.types[t.inner]
            if inner.kind == "primitive" and n >> (8 * _INT_WIDTH[inner.primitive]):
                raise ScaleError(f"{n} does not fit Compact<{inner.primitive}>")
            out += encode_compact(n)
        elif k == "sequence":
            if self._is_u8(t.inner):
                raw = _as_bytes(v)
                out += encode_compact(len(raw)) + raw
            else:
                out += encode_compact(len(v))
                for item in v:
                    self._enc(t.inner, item, out)
        elif k == "array":
            if self._is_u8(t.inner):
                raw = _as_bytes(v)
                if len(raw) != t.length:
                    raise ScaleError(f"expected {t.length} bytes, got {len(raw)}")
                out += raw
            else:
                if len(v) != t.length:
                    raise ScaleError(f"expected {t.length} items, got {len(v)}")
                for item in v:
                    self._enc(t.inner, item, out)
        elif k == "tuple":
            if len(t.items) == 1 and not isinstance(v, (list, tuple)):
                v = [v]
            for item_t, item in zip(t.items, v, strict=True):
                self._enc(item_t, item, out)
        elif k == "composite":
            self._enc_fields(t.fields, v, out)
        elif k == "variant":
            if t.path == ("Option",):
                if v is None:
                    out.append(0)
                else:
                    out.append(1)
                    self._enc(t.variants[1].fields[0].type, v, out)
                return
            if isinstance(v, str):
                name, payload = v, None
            elif isinstance(v, dict) and len(v) == 1:
                (name, payload), = v.items()
            else:
                raise ScaleError(f"a variant value is 'Name' or {{'Name': payload}}, got {v!r}")
            for var in t.variants:
                if var.name == name:
                    out.append(var.index)
                    self._enc_fields(var.fields, payload, out)
                    return
            raise ScaleError(f"no variant {name!r} in {'::'.join(t.path)}")
        else:
            raise ScaleError(f"type {tid} is {k}")

    def _enc_fields(self, fields: tuple[Field, ...], v: Any, out: bytearray) -> None:
        if not fields:
            return
        if fields[0].name is not None:
            if not isinstance(v, dict):
                raise ScaleError(f"expected fields {[f.name for f in fields]}, got {v!r}")
            for f in fields:
                if f.name not in v:
                    raise ScaleError(f"missing field {f.name!r}")
                self._enc(f.type, v[f.name], out)
        elif len(fields) == 1:
            self._enc(fields[0].type, v, out)
        else:
            for f, item in zip(fields, v, strict=True):
                self._enc(f.type, item, out)

    def _zero_sized(self, tid: int) -> bool:
        t = self.types[tid]
        return (t.kind == "tuple" and not t.items) or (t.kind == "composite" and not t.fields)

    def _is_u8(self, tid: int | None) -> bool:
        t = self.types[tid]
        return t.kind == "primitive" and t.primitive == "u8"

    def _dec(self, tid: int, d: memoryview, o: int) -> tuple[Any, int]:
        t = self.types[tid]
        k = t.kind
        if k == "primitive":
            p = t.primitive
            if p == "bool":
                b = d[o]
                if b > 1:
                    raise ScaleError(f"bad bool byte {b}")
                return b == 1, o + 1
            if p == "str":
                n, o = decode_compact(d, o)
                _need(d, o + n)
                return bytes(d[o:o + n]).decode(), o + n
            if p == "char":
                _need(d, o + 4)
                return chr(int.from_bytes(d[o:o + 4], "little")), o + 4
            w = _INT_WIDTH[p]
            _need(d, o + w)
            return int.from_bytes(d[o:o + w], "little", signed=p[0] == "i"), o + w
        if k == "compact":
            n, o = decode_compact(d, o)
            inner = self.types[t.inner]
            if inner.kind == "primitive" and n >> (8 * _INT_WIDTH[inner.primitive]):
                raise ScaleError(f"{n} does not fit Compact<{inner.primitive}>")
            return n, o
        if k == "sequence":
            n, o = decode_compact(d, o)
            if self._is_u8(t.inner):
                _need(d, o + n)
                return bytes(d[o:o + n]), o + n
            if n > len(d) - o and not self._zero_sized(t.inner):  # each item takes a byte at least
                raise ScaleError(f"sequence length {n} exceeds the {len(d) - o} bytes left")
            items = []
            for _ in range(n):
                item, o = self._dec(t.inner, d, o)
                items.append(item)
            return items, o
        if k == "array":
            if self._is_u8(t.inner):
                _need(d, o + t.length)
                return bytes(d[o:o + t.length]), o + t.length
            items = []
            for _ in range(t.length):
                item, o = self._dec(t.inner, d, o)
                items.append(item)
            return items, o
        if k == "tuple":
            items = []
            for it in t.items:
                item, o = self._dec(it, d, o)
                items.append(item)
            return items, o
        if k == "composite":
            return self._dec_fields(t.fields, d, o)
        if k == "variant":
            idx = d[o]
            o += 1
            for var in t.variants:
                if var.index == idx:
                    if t.path == ("Option",):
                        if not var.fields:
                            return None, o
                        return self._dec(var.fields[0].type, d, o)
                    if not var.fields:
                        return var.name, o
                    payload, o = self._dec_fields(var.fields, d, o)
                    if tid in self.checks:
                        self.checks[tid]({var.name: payload})
                    return {var.name: payload}, o
            raise ScaleError(f"no variant index {idx} in {'::'.join(t.path)}")
        raise ScaleError(f"type {tid} is {k}")

    def _dec_fields(self, fields: tuple[Field, ...], d: memoryview, o: int) -> tuple[Any, int]:
        if not fields:
            return None, o
        if fields[0].name is not None:
            out = {}
            for f in fields:
                out[f.name], o = self._dec(f.type, d, o)
            return out, o
        if len(fields) == 1:
            return self._dec(fields[0].type, d, o)
        items = []
        for f in fields:
            item, o = self._dec(f.type, d, o)
            items.append(item)
        return items, o

    def variant_of(self, tid: int, name: str) -> Variant:
        for v in self.types[tid].variants:
            if v.name == name:
                return v
        raise KeyError(f"{'::'.join(self.types[tid].path)} has no variant {name}")


def _need(d: memoryview, end: int) -> None:
    if end > len(d):
        raise ScaleError(f"input too short: need {end} bytes, have {len(d)}")


def _as_bytes(v: Any) -> bytes:
    if isinstance(v, (bytes, bytearray, memoryview)):
        return bytes(v)
    if isinstance(v, str) and v.startswith("0x"):
        return bytes.fromhex(v[2:])
    if isinstance(v, list):
        return bytes(v)
    raise ScaleError(f"expected bytes, got {type(v).__name__}")


def encode_compact(n: int) -> bytes:
    if n < 0:
        raise ScaleError("compact integers are unsigned")
    if n < 1 << 6:
        return bytes([n << 2])
    if n < 1 << 14:
        return ((n << 2) | 1).to_bytes(2, "little")
    if n < 1 << 30:
        return ((n << 2) | 2).to_bytes(4, "little")
    raw = n.to_bytes((n.bit_length() + 7) // 8, "little")
    return bytes([((len(raw) - 4) << 2) | 3]) + raw


def decode_compact(d, o: int = 0) -> tuple[int, int]:
    _need(d, o + 1)
    mode = d[o] & 3
    if mode == 0:
        return d[o] >> 2, o + 1
    if mode == 1:
        _need(d, o + 2)
        value, end = int.from_bytes(d[o:o + 2], "little") >> 2, o + 2
        floor = 1 << 6
    elif mode == 2:
        _need(d, o + 4)
        value, end = int.from_bytes(d[o:o + 4], "little") >> 2, o + 4
        floor = 1 << 14
    else:
        n = (d[o] >> 2) + 4
        _need(d, o + 1 + n)
        value, end = int.from_bytes(d[o + 1:o + 1 + n], "little"), o + 1 + n
        floor = 1 << 30
        if d[o + n] == 0:  # the top byte of a big-integer compact is never zero in canonical form
            raise ScaleError("non-canonical compact encoding")
    if value < floor:
        raise ScaleError("non-canonical compact encoding")
    return value, end
