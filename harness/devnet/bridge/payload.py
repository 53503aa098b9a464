"""What crosses the bridge: the export wrapper, the hauled blob, and its dispatch on arrival.

S polkadot/xcm/xcm-builder/src/universal_exports.rs:
- UnpaidRemoteExporter (the Asset Hub router exports unpaid, F asset-hub-*/src/lib.rs
  `UnpaidExport = ConstBool<true>`): [UnpaidExecution{Unlimited, None}, ExportMessage{..},
  SetTopic(forward_id_for(topic))] to the sibling Bridge Hub;
- HaulBlobExporter::validate: prefix UniversalOrigin(GlobalConsensus(local)), DescendOrigin(sub),
  blob = BridgeMessage{universal_dest, message}.encode(), id = trailing SetTopic or blake2_256;
- BridgeBlobDispatcher::dispatch_blob: check the global consensus, dest = universal_dest relative
  to us, prepend DescendOrigin(bridge instance) and route.
Instructions are v5 codec values (types/xcm.py); blobs use version 5 (both sides run XCM v5).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..hashing import blake2_256
from ..scale import ScaleError, encode_compact
from ..xcm import locations as L
from ..xcm.locations import CODEC, XCM_TYPES

XCM_VERSION = 5


class DispatchBlobError(Exception):
    """xcm_builder::DispatchBlobError: the variant name is the message."""


def forward_id_for(topic: bytes) -> bytes:
    """universal_exports::forward_id_for: the topic of the message carrying an export."""
    return blake2_256(b"forward_id_for" + bytes(topic))


def export_wrapper(network: str, destination: list, xcm: list) -> list:
    """The message the router sends to its Bridge Hub (UnpaidRemoteExporter::validate)."""
    message = [{"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}},
               {"ExportMessage": {"network": network, "destination": L.interior_of(destination), "xcm": xcm}}]
    if xcm and _topic(xcm[-1]) is not None:
        message.append({"SetTopic": forward_id_for(_topic(xcm[-1]))})
    return message


@dataclass(frozen=True)
class HauledBlob:
    blob: bytes          # BridgeMessage encoded: the outbound message payload
    message_id: bytes    # the XcmHash the exporter reports


def haul_blob(universal_source: list, network: str, destination: list, xcm: list) -> HauledBlob:
    """HaulBlobExporter::validate for a message exported by `universal_source` (the origin within
    our global consensus, e.g. [GlobalConsensus(Kusama), Parachain(1000)])."""
    if not universal_source or L.junction_kind(universal_source[0]) != "GlobalConsensus":
        raise ValueError("Unroutable: the source is not a universal location")
    local_net, local_sub = universal_source[0]["GlobalConsensus"], list(universal_source[1:])
    message = [{"UniversalOrigin": {"GlobalConsensus": local_net}}]
    if local_sub:
        message.append({"DescendOrigin": L.interior_of(local_sub)})
    message += list(xcm)
    universal_dest = [{"GlobalConsensus": network}] + list(destination)
    versioned = CODEC.encode(XCM_TYPES.versioned_xcm_unit, {"V5": message})
    topic = _topic(xcm[-1]) if xcm else None
    blob = _versioned_interior(universal_dest) + versioned
    return HauledBlob(blob, topic if topic is not None else blake2_256(versioned))


@dataclass(frozen=True)
class BridgeMessage:
    universal_dest: list       # junctions, starting with GlobalConsensus
    message: list              # v5 instructions


def decode_blob(blob: bytes) -> BridgeMessage:
    try:
        if not blob or blob[0] != XCM_VERSION:
            raise DispatchBlobError("UnsupportedLocationVersion")
        interior, offset = CODEC.decode_at(XCM_TYPES.v5.junctions, blob, 1)
        versioned = CODEC.decode(XCM_TYPES.versioned_xcm_unit, blob[offset:])
    except ScaleError:
        raise DispatchBlobError("InvalidEncoding") from None
    (version, message), = versioned.items()
    if version != "V5":
        raise DispatchBlobError("UnsupportedXcmVersion")
    return BridgeMessage(L.junctions({"parents": 0, "interior": interior}), message)


def dispatch_blob(blob: bytes, our_universal: list, bridge_instance: list) -> tuple[dict, list]:
    """(destination seen from us, message to route) for an inbound blob."""
    decoded = decode_blob(blob)
    dest_items = decoded.universal_dest
    if not dest_items or L.junction_kind(dest_items[0]) != "GlobalConsensus":
        raise DispatchBlobError("NonUniversalDestination")
    if L.normalize(dest_items[0]) != L.normalize(our_universal[0]):
        raise DispatchBlobError("WrongGlobal")
    dest = L.relative_to(dest_items, our_universal)
    return dest, [{"DescendOrigin": L.interior_of(bridge_instance)}] + decoded.message


def stored_payload(blob: bytes) -> bytes:
    """XcmAsPlainPayload is Vec<u8>: the messages pallet stores its encoding (length + blob)."""
    return encode_compact(len(blob)) + blob


def _versioned_interior(items: list) -> bytes:
    return bytes([XCM_VERSION]) + CODEC.encode(XCM_TYPES.v5.junctions, L.interior_of(items))


def _topic(instruction) -> bytes | None:
    if isinstance(instruction, dict) and "SetTopic" in instruction:
        return bytes(instruction["SetTopic"])
    return None
