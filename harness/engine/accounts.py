"""Scenario accounts -> keypairs. Secrets from the environment are used, never printed."""
from __future__ import annotations

import os

from substrateinterface import Keypair

from ..errors import HarnessError
from ..scenario.model import AccountSpec


def keypair(spec: AccountSpec, ss58_format: int) -> Keypair:
    if spec.uri is not None:
        return Keypair.create_from_uri(spec.uri, ss58_format=ss58_format)
    secret = os.environ.get(spec.env or "")
    if not secret:
        raise HarnessError(f"account '{spec.name}' reads its secret from ${spec.env}, which is not set",
                           f"export {spec.env}=<mnemonic, seed or //path> before running")
    try:
        if secret.startswith("0x"):
            return Keypair.create_from_seed(secret, ss58_format=ss58_format)
        return Keypair.create_from_uri(secret, ss58_format=ss58_format)
    except Exception:  # noqa: BLE001 - the message must not echo the secret
        raise HarnessError(f"account '{spec.name}': ${spec.env} does not hold a valid secret",
                           "use a mnemonic, a 0x seed or a //derivation path") from None
