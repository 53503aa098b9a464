"""Which runtime a chain runs: its version (state_getRuntimeVersion) and the hash of its code.

The code hash is blake2_256 of the `:code` storage value (well-known key 0x3a636f6465, sp-storage
well_known_keys::CODE), as the `code_hash` that parachain-system and system's `authorize_upgrade` compare. One
place reads it, so a runtime upgrade can read it again after the upgrade."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from substrateinterface.utils.hasher import blake2_256

from ..network.runtime_wasm import CODE_KEY
from .messages import as_bytes


@dataclass(frozen=True)
class RuntimeVersion:
    spec_name: str
    spec_version: int
    transaction_version: int
    code_hash: str | None  # 0x blake2_256 of :code; None when the chain serves no :code

    def as_dict(self) -> dict:
        return asdict(self)


def read_runtime(client) -> RuntimeVersion:
    """The runtime `client` (a ChainClient) runs at its head."""
    version = client.api.rpc_request("state_getRuntimeVersion", [])["result"]
    code = read_code(client)
    code_hash = "0x" + blake2_256(code).hex() if code else None
    return RuntimeVersion(str(version["specName"]), int(version["specVersion"]),
                          int(version.get("transactionVersion", 0)), code_hash)


def read_code(client) -> bytes:
    """The code the chain runs at its head, as stored (empty when it serves no :code)."""
    code = client.api.rpc_request("state_getStorage", [CODE_KEY])["result"]
    return as_bytes(code) if code else b""
