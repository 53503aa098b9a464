"""XCM routes between a relay and its parachains: destination, asset and transfer kind, as the runtimes have them.

Kinds: the Kusama and Polkadot relays trust teleports of their native token from and to their system
parachains (polkadot-fellows/runtimes relay/kusama/src/xcm_config.rs: TrustedTeleporters =
ConcreteAssetFromSystem<TokenLocation>; system-parachains/asset-hubs/asset-hub-kusama/src/xcm_config.rs:
TrustedTeleporters = ConcreteAssetFromSystem<KsmLocation>). System parachains have para ids below 2000
(polkadot-sdk polkadot/parachain/src/primitives.rs: LOWEST_PUBLIC_ID = 2000).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..client.xcm import Location
from ..errors import HarnessError
from .topology import ChainSpec, NetworkSpec

LOWEST_PUBLIC_ID = 2000
# Events with which a chain reports an inbound XCM message as executed, old and new runtimes alike:
# MessageQueue (relays since 1.0; parachains since the DMP migration), DmpQueue (older parachains),
# XcmpQueue (sibling messages on older parachains).
ARRIVAL_EVENTS = ("MessageQueue.Processed", "DmpQueue.ExecutedDownward", "XcmpQueue.Success", "XcmpQueue.Fail")


@dataclass(frozen=True)
class Route:
    origin: ChainSpec
    destination: ChainSpec
    dest: Location  # the destination as the origin sees it
    asset: Location  # the relay's native token as the origin sees it
    kind: str  # teleport | reserve

    @property
    def is_upward(self) -> bool:
        return self.destination.role == "relay"


def _is_system(chain: ChainSpec) -> bool:
    return chain.role == "parachain" and chain.para_id is not None and chain.para_id < LOWEST_PUBLIC_ID


def route(network: NetworkSpec, origin: str, destination: str, kind: str | None = None) -> Route:
    src, dst = network.chain(origin), network.chain(destination)
    if src.role == "relay" and dst.role == "parachain" and dst.relay == src.name:
        dest, asset, para = Location(0, (("Parachain", dst.para_id),)), Location(0), dst
    elif src.role == "parachain" and dst.role == "relay" and src.relay == dst.name:
        dest, asset, para = Location(1), Location(1), src
    else:
        raise HarnessError(f"no XCM route from '{origin}' to '{destination}' in network '{network.name}'",
                           "routes run between a relay and its own parachains (bridge routes come later)")
    chosen = kind or ("teleport" if _is_system(para) else "reserve")
    return Route(src, dst, dest, asset, chosen)


# Events on the origin chain that name a message it sent by the id the destination reports it under
# (the SetTopic id in current runtimes). ParachainSystem.UpwardMessageSent is left out: Kusama 1.0
# reports the same upward message under a different hash in MessageQueue.Processed (seen on chopsticks).
SENT_EVENTS = {"XcmpQueue.XcmpMessageSent": "message_hash", "XcmPallet.Sent": "message_id",
               "PolkadotXcm.Sent": "message_id"}
# Attributes of arrival events that carry the message's hash or topic id.
ARRIVAL_ID_FIELDS = ("id", "message_hash", "message_id")


def arrival_ids(event_attributes: object) -> set[str]:
    if not isinstance(event_attributes, dict):
        return set()
    return {str(event_attributes[f]) for f in ARRIVAL_ID_FIELDS if f in event_attributes}


def arrival_origin_matches(event_attributes: object, route: Route) -> bool:
    """Whether an arrival event on the destination came from the route's origin."""
    origin = event_attributes.get("origin") if isinstance(event_attributes, dict) else None
    if origin is None:  # DmpQueue/XcmpQueue events carry no origin; downward ones come from the relay
        return True
    if route.is_upward:
        return origin == {"Ump": {"Para": route.origin.para_id}}
    return origin in ("Parent", {"Parent": None})
