"""The small FRAME the devnet pallets are written in: storage items, origins, errors, events.

A pallet declares its types, storage, calls, events, errors and constants against the runtime's
TypeRegistry (so the metadata and the bytes in state come from one declaration), and implements
each call as a method `call_<name>(ctx, origin, **args)`.
"""
from __future__ import annotations

import copy

from dataclasses import dataclass, field
from typing import Any, Iterator

from ..hashing import CONCAT_PREFIX, HASH_KEY, storage_prefix
from ..metadata import ConstantSpec, PalletSpec, StorageSpec
from ..scale import TypeRegistry

# The runtime is typed Any here: runtime.py builds on this module, not the other way round.

class State:
    """Storage of one chain: a base mapping plus nested transactional layers (None = deleted)."""

    def __init__(self, base: dict[bytes, bytes] | None = None):
        self.base: dict[bytes, bytes] = base if base is not None else {}
        self.layers: list[dict[bytes, bytes | None]] = [{}]

    def get(self, key: bytes) -> bytes | None:
        for layer in reversed(self.layers):
            if key in layer:
                return layer[key]
        return self.base.get(key)

    def set(self, key: bytes, value: bytes | None) -> None:
        self.layers[-1][key] = value

    def begin(self) -> None:
        self.layers.append({})

    def commit(self) -> None:
        top = self.layers.pop()
        self.layers[-1].update(top)

    def rollback(self) -> None:
        self.layers.pop()

    def changes(self) -> dict[bytes, bytes | None]:
        merged: dict[bytes, bytes | None] = {}
        for layer in self.layers:
            merged.update(layer)
        return merged

    def keys_with_prefix(self, prefix: bytes) -> Iterator[bytes]:
        seen = set()
        for layer in reversed(self.layers):
            for k, v in layer.items():
                if k.startswith(prefix) and k not in seen:
                    seen.add(k)
                    if v is not None:
                        yield k
        for k in self.base:
            if k.startswith(prefix) and k not in seen:
                yield k

    def flattened(self) -> dict[bytes, bytes]:
        """A new plain mapping with every layer applied (the state stored with a block)."""
        out = dict(self.base)
        for k, v in self.changes().items():
            if v is None:
                out.pop(k, None)
            else:
                out[k] = v
        return out


class DispatchError(Exception):
    """A dispatch failure, carrying the sp_runtime::DispatchError value as the codec writes it."""

    def __init__(self, value: Any, label: str, actual_weight: tuple[int, int] | None = None):
        super().__init__(label)
        self.value = value
        self.label = label
        self.actual_weight = actual_weight  # DispatchErrorWithPostInfo's actual_weight, when the call reports one

    @classmethod
    def token(cls, name: str) -> "DispatchError":
        return cls({"Token": name}, f"Token.{name}")

    @classmethod
    def arithmetic(cls, name: str) -> "DispatchError":
        return cls({"Arithmetic": name}, f"Arithmetic.{name}")

    @classmethod
    def simple(cls, name: str) -> "DispatchError":
        """BadOrigin, CannotLookup, Other, NoProviders, ConsumerRemaining, ..."""
        return cls(name, name)


@dataclass(frozen=True)
class Origin:
    """Who dispatches: a signed account, root, none, or an XCM location (pallet-xcm's origin)."""

    kind: str                      # "signed" | "root" | "none" | "xcm"
    account: bytes | None = None
    location: Any = None
    no_batch_all: bool = False     # pallet-utility's filter on the origin of a signed batch_all's calls

    @classmethod
    def signed(cls, account: bytes) -> "Origin":
        return cls("signed", account=account)

    @classmethod
    def from_caller(cls, caller: Any) -> "Origin | None":
        """The origin an OriginCaller value stands for (frame_system's RawOrigin or pallet-xcm's
        Xcm origin); None for the kinds not emulated (Authorized, governance, parachain origins)."""
        (kind, inner), = caller.items()
        if kind == "system":
            if inner in ("Root", "None"):
                return cls(inner.lower())
            if isinstance(inner, dict) and "Signed" in inner:
                return cls.signed(bytes(inner["Signed"]))
            return None
        if isinstance(inner, dict) and "Xcm" in inner:
            return cls("xcm", location=inner["Xcm"])
        return None

    def ensure_signed(self) -> bytes:
        if self.kind != "signed":
            raise DispatchError.simple("BadOrigin")
        return self.account

    def ensure_root(self) -> None:
        if self.kind != "root":
            raise DispatchError.simple("BadOrigin")


@dataclass
class StorageItem:
    """One storage value or map, keyed exactly as FRAME keys it."""

    registry: TypeRegistry
    pallet: str
    name: str
    value: int
    keys: tuple[int, ...] = ()
    hashers: tuple[str, ...] = ()
    default: Any = None            # decoded default for ValueQuery; None with optional=True
    optional: bool = False
    docs: tuple[str, ...] = ()
    prefix: bytes = b""

    def __post_init__(self) -> None:
        self.prefix = storage_prefix(self.pallet, self.name)

    def key(self, *parts: Any) -> bytes:
        if len(parts) != len(self.keys):
            raise TypeError(f"{self.pallet}.{self.name} takes {len(self.keys)} keys")
        out = self.prefix
        for h, kt, part in zip(self.hashers, self.keys, parts):
            out += HASH_KEY[h](self.registry.encode(kt, part))
        return out

    def get(self, state: State, *parts: Any) -> Any:
        raw = state.get(self.key(*parts))
        if raw is None:   # a copy: callers mutate what they read (the default must stay intact)
            return None if self.optional else copy.deepcopy(self.default)
        return self.registry.decode(self.value, raw)

    def exists(self, state: State, *parts: Any) -> bool:
        return state.get(self.key(*parts)) is not None

    def put(self, state: State, *parts_and_value: Any) -> None:
        *parts, value = parts_and_value
        state.set(self.key(*parts), self.registry.encode(self.value, value))

    def remove(self, state: State, *parts: Any) -> None:
        state.set(self.key(*parts), None)

    def entries(self, state: State) -> Iterator[tuple[Any, Any]]:
        """(first key, value) for maps whose first hasher is a concat hasher."""
        skip = CONCAT_PREFIX[self.hashers[0]]
        for k in sorted(state.keys_with_prefix(self.prefix)):
            raw_key = k[32 + skip:]
            first, _ = self.registry.decode_at(self.keys[0], raw_key)
            yield first, self.registry.decode(self.value, state.get(k))

    def spec(self) -> StorageSpec:
        if self.optional:
            default = b"\x00"
        else:
            default = self.registry.encode(self.value, self.default)
        key_types: tuple[int, ...] = ()
        if self.keys:
            key_types = (self.keys[0] if len(self.keys) == 1 else self.registry.tuple(*self.keys),)
        return StorageSpec(self.name, self.value, key_types, self.hashers, default, self.optional, self.docs)


@dataclass
class Ctx:
    """What a call sees while it runs inside a block."""

    runtime: Any                           # runtime.Runtime
    state: State
    block_number: int
    phase: Any = "Initialization"          # frame_system::Phase value
    extras: dict = field(default_factory=dict)

    def emit(self, pallet: str, event: str, payload: Any = None, topics: list[bytes] | None = None) -> None:
        self.runtime.deposit_event(self, pallet, event if payload is None else {event: payload}, topics or [])


class Pallet:
    """Base of every devnet pallet. Subclasses set NAME and implement declare()."""

    NAME = ""
    # call name -> (ref_time, proof_size, class, pays); the dispatch info a node reports
    WEIGHTS: dict[str, tuple[int, int]] = {}
    DISPATCH_CLASSES: dict[str, str] = {}   # call name -> its non-Normal DispatchClass

    def __init__(self, runtime: Any, index: int):
        self.runtime = runtime
        self.index = index
        self.reg = runtime.registry
        self.calls: int | None = None
        self.events: int | None = None
        self.errors: int | None = None
        self.storage: list[StorageItem] = []
        self.constants: list[ConstantSpec] = []

    @property
    def t(self):
        return self.runtime.types

    def declare(self) -> None:
        """Register types, storage, calls, events, errors and constants."""

    def item(self, name: str, value: int, keys: tuple[int, ...] = (), hashers: tuple[str, ...] = (),
             default: Any = None, optional: bool = False) -> StorageItem:
        it = StorageItem(self.reg, self.NAME, name, value, keys, hashers, default, optional)
        self.storage.append(it)
        return it

    def constant(self, name: str, type_id: int, value: Any) -> Any:
        self.constants.append(ConstantSpec(name, type_id, self.reg.encode(type_id, value)))
        return value

    def error(self, name: str) -> DispatchError:
        variant = self.reg.variant_of(self.errors, name)
        return DispatchError({"Module": {"index": self.index, "error": bytes([variant.index, 0, 0, 0])}},
                             f"{self.NAME}.{name}")

    def emit(self, ctx: Ctx, event: str, payload: Any = None) -> None:
        ctx.emit(self.NAME, event, payload)

    def on_initialize(self, ctx: Ctx) -> None:
        """Runs at the start of each block."""

    def on_finalize(self, ctx: Ctx) -> None:
        """Runs at the end of each block."""

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """Writes this pallet's genesis state."""

    def weight(self, call: str, args: Any) -> tuple[int, int]:
        return self.WEIGHTS.get(call, (100_000_000, 0))

    def dispatch_class(self, call: str, args: Any) -> str:
        """The DispatchClass of #[pallet::weight((w, class))]."""
        return self.DISPATCH_CLASSES.get(call, "Normal")

    def spec(self) -> PalletSpec:
        return PalletSpec(self.NAME, self.index, self.calls, self.events, self.errors,
                          [s.spec() for s in self.storage], self.constants)
