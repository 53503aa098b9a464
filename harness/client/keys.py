"""Keypairs from secret URIs, derived once per process: a derivation costs milliseconds, and every scenario
signs with the same few dev accounts (//Alice, its own //path accounts) again and again."""
from __future__ import annotations

from functools import lru_cache

from substrateinterface import Keypair


@lru_cache(maxsize=1024)
def keypair_from_uri(uri: str, ss58_format: int) -> Keypair:
    """The keypair of `uri` on a chain using `ss58_format`. Keypairs are not changed by signing, so one object
    serves every caller."""
    return Keypair.create_from_uri(uri, ss58_format=ss58_format)
