"""Base58 and SS58 addresses (sp-core crypto.rs, Ss58Codec)."""
from __future__ import annotations

import hashlib

_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"


def b58encode(data: bytes) -> str:
    n = int.from_bytes(data, "big")
    out = ""
    while n:
        n, r = divmod(n, 58)
        out = _B58[r] + out
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + out


def b58decode(text: str) -> bytes:
    n = 0
    for ch in text:
        digit = _B58.find(ch)
        if digit < 0:
            raise ValueError(f"invalid base58 character {ch!r}")
        n = n * 58 + digit
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def ss58_decode(address: str) -> bytes:
    """SS58 address (any network prefix) -> 32-byte account id.

    Format: prefix (1 byte for 0..63, 2 bytes for 64..16383), payload, then the first 2 bytes of
    blake2b-512(b"SS58PRE" + prefix + payload).
    """
    raw = b58decode(address)
    if not raw:
        raise ValueError("empty address")
    prefix_len = 2 if raw[0] & 0b0100_0000 else 1
    if raw[0] >= 128:
        raise ValueError("reserved ss58 prefix byte")
    if len(raw) != prefix_len + 32 + 2:
        raise ValueError(f"expected a 32-byte account id, got {len(raw) - prefix_len - 2} bytes")
    checksum = hashlib.blake2b(b"SS58PRE" + raw[:-2], digest_size=64).digest()[:2]
    if checksum != raw[-2:]:
        raise ValueError("invalid ss58 checksum")
    return raw[prefix_len:-2]
