"""Storage proofs as the emulation carries them.

A real RawStorageProof is the set of trie nodes that proves some keys against a header's state
root. The devnet's state is not a trie, so a proof here is the proved (key, value) pairs, each
node the SCALE encoding of (Vec<u8> key, Vec<u8> value). What keeps it honest: the relayer reads
the pairs from the source chain's state at the proved block, the target only accepts proofs at
a header its finality pallets imported, and it looks the pairs up by the real storage keys.
"""
from __future__ import annotations

from ..scale import ScaleError, decode_compact, encode_compact


class ProofError(Exception):
    """StorageProofError: the variant name is the message."""


def make_proof(pairs: list[tuple[bytes, bytes]]) -> list[bytes]:
    return [encode_compact(len(k)) + k + encode_compact(len(v)) + v for k, v in pairs]


def read_proof(nodes: list[bytes]) -> dict[bytes, bytes]:
    out: dict[bytes, bytes] = {}
    for node in nodes:
        try:
            n, o = decode_compact(node, 0)
            key = bytes(node[o:o + n])
            m, o = decode_compact(node, o + n)
            value = bytes(node[o:o + m])
        except ScaleError:
            raise ProofError("DecodeError") from None
        if o + m != len(node) or len(key) != n or len(value) != m:
            raise ProofError("DecodeError")
        if key in out:
            raise ProofError("DuplicateNodes")
        out[key] = value
    return out
