"""XCM messages by the ids their destination reports them under, read from the messages themselves.

Runtimes of the 1.0 era name no message in the origin's events (no XcmPallet.Sent), so the harness reads
the message bytes: upward ones from the parachain's `ParachainSystem.UpwardMessages`, downward ones from the
`set_validation_data` inherent of the parachain block that received them (both cumulus, every version).

A destination reports a message under the topic of its closing `SetTopic` (routers wrap every message
`WithUniqueTopic`; pallet-message-queue and cumulus dmp-queue then report that topic), or else under the
blake2-256 hash of its bytes. Both are returned; neither can be another message's.
"""
from __future__ import annotations

from substrateinterface.utils.hasher import blake2_256

SET_TOPIC = 0x2C  # SetTopic's instruction index in XCM v3, v4 and v5 (polkadot-sdk polkadot/xcm/src/v3/mod.rs)


def message_ids(data: bytes) -> frozenset[str]:
    ids = {"0x" + blake2_256(data).hex()}
    if len(data) >= 34 and data[-33] == SET_TOPIC:  # ... SetTopic([u8; 32]) closes the message
        ids.add("0x" + data[-32:].hex())
    return frozenset(ids)


def as_bytes(value: object) -> bytes:
    """A Vec<u8> as substrate-interface decodes it: a 0x string, or a list of ints."""
    if isinstance(value, str):
        return bytes.fromhex(value.removeprefix("0x"))
    return bytes(value)


def forward_id_for(topic: str) -> str:
    """The topic of the message that carries an export to a Bridge Hub: blake2_256(b"forward_id_for" ++ topic)
    (polkadot-sdk polkadot/xcm/xcm-builder/src/universal_exports.rs forward_id_for)."""
    return "0x" + blake2_256(b"forward_id_for" + bytes.fromhex(topic.removeprefix("0x"))).hex()
