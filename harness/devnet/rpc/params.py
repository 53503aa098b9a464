"""Param parsing: strict, so that a client bug shows up as -32602 instead of a wrong answer."""
from __future__ import annotations

import re
from typing import Any, Callable

from harness.devnet.rpc.errors import invalid_params
from harness.devnet.rpc.ss58 import ss58_decode

U32_MAX = 0xFFFF_FFFF

# impl-serde's from_hex (serialize.rs) takes the 0x prefix as optional and an odd digit count
_HEX_RE = re.compile(r"(?:0x)?[0-9a-fA-F]*")
_HEX_NUMBER_RE = re.compile(r"0x[0-9a-fA-F]{1,64}")


def to_hex(data: bytes) -> str:
    return "0x" + data.hex()


def parse_any(value: object, name: str) -> object:
    """The value as given, for handlers that check its shape themselves."""
    return value


def parse_hex(value: object, name: str = "value") -> bytes:
    """Hex -> bytes as a node reads sp_core::Bytes: '0x' optional, an odd count padded on the left."""
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected a hex string, got {type(value).__name__}")
    if not _HEX_RE.fullmatch(value):
        shown = value if len(value) <= 80 else value[:77] + "..."
        raise invalid_params(f"{name}: not hex: {shown!r}")
    digits = value[2:] if value.startswith("0x") else value
    return bytes.fromhex(digits if len(digits) % 2 == 0 else "0" + digits)


def parse_hash(value: object, name: str = "hash") -> bytes:
    data = parse_hex(value, name)
    if len(data) != 32:
        raise invalid_params(f"{name}: expected a 32-byte hash, got {len(data)} bytes")
    return data


def parse_number_or_hex(value: object, name: str = "number") -> int:
    """sp_rpc::number::NumberOrHex: a JSON integer or a 0x hex string (any length up to U256)."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise invalid_params(f"{name}: expected a block number or 0x hex number")
    if isinstance(value, str):
        if not _HEX_NUMBER_RE.fullmatch(value):
            raise invalid_params(f"{name}: not a 0x hex number: {value[:80]!r}")
        value = int(value, 16)
    if value < 0:
        raise invalid_params(f"{name}: block numbers are unsigned, got {value}")
    return value


def parse_u32(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= U32_MAX:
        raise invalid_params(f"{name}: expected an unsigned 32-bit integer, got {value!r}")
    return value


def parse_str(value: object, name: str) -> str:
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected a string, got {type(value).__name__}")
    return value


def parse_list(value: object, name: str, item: Callable[[object, str], Any]) -> list:
    if not isinstance(value, list):
        raise invalid_params(f"{name}: expected a list, got {type(value).__name__}")
    return [item(v, f"{name}[{i}]") for i, v in enumerate(value)]


def parse_hex_list(value: object, name: str) -> list[bytes]:
    return parse_list(value, name, parse_hex)


def parse_subscription_id(value: object, name: str = "subscription") -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise invalid_params(f"{name}: expected a subscription id")
    return str(value)


def parse_account(value: object, name: str = "account") -> bytes:
    """AccountId32 from an ss58 address (any prefix) or 0x hex of 32 bytes."""
    if not isinstance(value, str):
        raise invalid_params(f"{name}: expected an ss58 address or 0x hex account id")
    if value.startswith("0x"):
        account = parse_hex(value, name)
        if len(account) != 32:
            raise invalid_params(f"{name}: expected 32 bytes, got {len(account)}")
        return account
    try:
        return ss58_decode(value)
    except ValueError as e:
        raise invalid_params(f"{name}: invalid ss58 address {value[:80]!r}: {e}") from None


class Params:
    """A request's params: positional list, named object (jsonrpsee accepts both) or absent."""

    def __init__(self, raw: object, names: tuple[str, ...]):
        if raw is None:
            items: list = []
        elif isinstance(raw, list):
            items = raw
        elif isinstance(raw, dict):
            unknown = sorted(set(raw) - set(names))
            if unknown:
                raise invalid_params(f"unknown named params {unknown}; expected {list(names)}")
            items = [raw.get(n) for n in names]
        else:
            raise invalid_params("params must be a list or an object")
        if len(items) > len(names):
            raise invalid_params(f"expected at most {len(names)} params {list(names)}, got {len(items)}")
        self._items = items
        self._names = names

    def values(self) -> list:
        """The params as given, positionally (for methods that check them themselves)."""
        return list(self._items)

    def get(self, index: int, parse: Callable[[object, str], Any], required: bool = False) -> Any:
        name = self._names[index]
        value = self._items[index] if index < len(self._items) else None
        if value is None:
            if required:
                raise invalid_params(f"missing required param {index} ({name})")
            return None
        return parse(value, name)

    def at(self, index: int) -> bytes | None:
        """The optional block hash param at `index`; None means the best block."""
        return self.get(index, parse_hash)
