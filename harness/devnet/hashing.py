"""FRAME's storage hashers and the hashes a node uses for blocks and extrinsics.

twox128/twox64 are xxHash64 with seeds 0.. concatenated little-endian (sp-core-hashing, twox_*);
blake2_128/256 are BLAKE2b with 16/32-byte digests.
"""
from __future__ import annotations

import hashlib

import xxhash


def twox64(data: bytes) -> bytes:
    return xxhash.xxh64(data, seed=0).intdigest().to_bytes(8, "little")


def twox128(data: bytes) -> bytes:
    return b"".join(xxhash.xxh64(data, seed=s).intdigest().to_bytes(8, "little") for s in (0, 1))


def twox256(data: bytes) -> bytes:
    return b"".join(xxhash.xxh64(data, seed=s).intdigest().to_bytes(8, "little") for s in range(4))


def blake2_128(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


def blake2_256(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=32).digest()


# frame_support::StorageHasher: the key part each hasher produces from the encoded key
HASH_KEY = {
    "Blake2_128": blake2_128,
    "Blake2_256": blake2_256,
    "Blake2_128Concat": lambda k: blake2_128(k) + k,
    "Twox128": twox128,
    "Twox256": twox256,
    "Twox64Concat": lambda k: twox64(k) + k,
    "Identity": lambda k: k,
}
# how many hash bytes precede the raw key for the "concat" hashers (to read keys back)
CONCAT_PREFIX = {"Blake2_128Concat": 16, "Twox64Concat": 8, "Identity": 0}


def storage_prefix(pallet: str, item: str) -> bytes:
    return twox128(pallet.encode()) + twox128(item.encode())
