"""XCM routes: destination, asset, transfer kind and the chains a message passes, as the runtimes have them.

Within one consensus, relay <-> its parachains. Kinds: the Kusama and Polkadot relays trust teleports of their
native token from and to their system parachains (polkadot-fellows/runtimes relay/kusama/src/xcm_config.rs:
TrustedTeleporters = ConcreteAssetFromSystem<TokenLocation>; system-parachains/asset-hubs/asset-hub-kusama/src/
xcm_config.rs: TrustedTeleporters = ConcreteAssetFromSystem<KsmLocation>). System parachains have para ids below
2000 (polkadot-sdk polkadot/parachain/src/primitives.rs: LOWEST_PUBLIC_ID = 2000).

Across the Kusama <> Polkadot bridge, Asset Hub <-> Asset Hub only, by reserve transfer: each Asset Hub is the
reserve of its relay's token, and the other one holds it as a foreign asset at (2, [GlobalConsensus(net)]).
The message goes Asset Hub -> its Bridge Hub (XCMP) -> the other Bridge Hub (the bridge) -> the other Asset Hub
(XCMP) (F system-parachains/asset-hubs/asset-hub-kusama/src/xcm_config.rs bridging::to_polkadot;
bridge-hubs/bridge-hub-kusama/src/bridge_to_polkadot_config.rs).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..client import sovereign
from ..client.xcm import Location
from ..errors import HarnessError
from .facts import ASSET_HUB_ID, BRIDGE_HUB_CHAIN_ID, BRIDGE_HUB_ID, LOWEST_PUBLIC_ID, NETWORK_OF_TOKEN
from .topology import ChainSpec, NetworkSpec

# Events with which a chain reports an inbound XCM message as executed, old and new runtimes alike:
# MessageQueue (relays since 1.0; parachains since the DMP migration), DmpQueue (older parachains),
# XcmpQueue (sibling messages on older parachains).
ARRIVAL_EVENTS = ("MessageQueue.Processed", "DmpQueue.ExecutedDownward", "XcmpQueue.Success", "XcmpQueue.Fail")


@dataclass(frozen=True)
class Route:
    origin: ChainSpec
    destination: ChainSpec
    dest: Location  # the destination as the origin sees it
    asset: Location  # the asset as the origin sees it
    kind: str  # teleport | reserve
    path: tuple[str, ...] = ()  # every chain the message executes on, origin first
    symbol: str = ""  # the asset's token symbol

    @property
    def is_upward(self) -> bool:
        return self.destination.role == "relay"

    @property
    def is_bridged(self) -> bool:
        return self.relay_of(self.origin) != self.relay_of(self.destination)

    @staticmethod
    def relay_of(chain: ChainSpec) -> str:
        return chain.name if chain.role == "relay" else chain.relay


def _is_system(chain: ChainSpec) -> bool:
    return chain.role == "parachain" and chain.para_id is not None and chain.para_id < LOWEST_PUBLIC_ID


def consensus(network: NetworkSpec, chain: str) -> str:
    """The global consensus (NetworkId) a chain belongs to, from its relay's token."""
    spec = network.chain(chain)
    relay = network.chain(Route.relay_of(spec))
    if relay.token not in NETWORK_OF_TOKEN:
        raise HarnessError(f"no global consensus known for relay '{relay.name}' (token {relay.token})",
                           f"known: {', '.join(f'{t} ({n})' for t, n in NETWORK_OF_TOKEN.items())}")
    return NETWORK_OF_TOKEN[relay.token]


def rewards_account(network: NetworkSpec, on: str, lane: str, owner: str) -> bytes:
    """The account on Bridge Hub `on` that pays the relayers of `lane` (0x hex) toward the other side's Bridge Hub."""
    here = consensus(network, on)
    bridged = [consensus(network, relay.name) for relay in network.chains.values()
                if relay.role == "relay" and consensus(network, relay.name) != here]
    if len(bridged) != 1:
        raise HarnessError(f"'{on}' has no bridged side in network '{network.name}'",
                           "lane rewards accounts need a network with two relays and their Bridge Hubs")
    return sovereign.lane_rewards(bytes.fromhex(lane[2:]), BRIDGE_HUB_CHAIN_ID[bridged[0]], owner)


def bridge_hub(network: NetworkSpec, relay: str) -> ChainSpec:
    for chain in network.parachains_of(relay):
        if chain.para_id == BRIDGE_HUB_ID:
            return chain
    raise HarnessError(f"network '{network.name}' has no bridge hub (para {BRIDGE_HUB_ID}) on '{relay}'",
                       f"add a parachain with para_id {BRIDGE_HUB_ID} and relay {relay} to the network file")


def route(network: NetworkSpec, origin: str, destination: str, kind: str | None = None,
          asset: str | None = None) -> Route:
    """The route of `asset` (a token symbol; default: the origin's token) from `origin` to `destination`."""
    src, dst = network.chain(origin), network.chain(destination)
    symbol = asset or src.token
    if Route.relay_of(src) != Route.relay_of(dst):
        return _bridged(network, src, dst, kind, symbol)
    if symbol != src.token:
        raise HarnessError(f"'{origin}' sends {symbol} only across the bridge",
                           f"within one consensus the harness sends the relay's token, {src.token}")
    if src.role == "relay" and dst.role == "parachain" and dst.relay == src.name:
        dest, location, para = Location(0, (("Parachain", dst.para_id),)), Location(0), dst
    elif src.role == "parachain" and dst.role == "relay" and src.relay == dst.name:
        dest, location, para = Location(1), Location(1), src
    else:
        raise HarnessError(f"no XCM route from '{origin}' to '{destination}' in network '{network.name}'",
                           "routes run between a relay and its own parachains, and between Asset Hubs across "
                           "the bridge")
    chosen = kind or ("teleport" if _is_system(para) else "reserve")
    return Route(src, dst, dest, location, chosen, (src.name, dst.name), symbol)


def _bridged(network: NetworkSpec, src: ChainSpec, dst: ChainSpec, kind: str | None, symbol: str) -> Route:
    if not (src.para_id == ASSET_HUB_ID and dst.para_id == ASSET_HUB_ID):
        raise HarnessError(f"no XCM route from '{src.name}' to '{dst.name}' in network '{network.name}'",
                           f"across the bridge, transfers run between Asset Hubs (para {ASSET_HUB_ID})")
    if kind == "teleport":
        raise HarnessError(f"no teleport from '{src.name}' to '{dst.name}'",
                           "assets cross the bridge by reserve transfer (kind: reserve)")
    remote = consensus(network, dst.name)
    if symbol == network.chain(Route.relay_of(src)).token:
        location = Location(1)  # the local relay's token, reserved here
    elif symbol == network.chain(Route.relay_of(dst)).token:
        location = Location(2, (("GlobalConsensus", remote),))  # the remote relay's token, held as a foreign asset
    else:
        raise HarnessError(f"'{src.name}' cannot send {symbol} to '{dst.name}'",
                           "across the bridge go the two relays' tokens")
    dest = Location(2, (("GlobalConsensus", remote), ("Parachain", dst.para_id)))
    path = (src.name, bridge_hub(network, src.relay).name, bridge_hub(network, dst.relay).name, dst.name)
    return Route(src, dst, dest, location, "reserve", path, symbol)


def asset_location(network: NetworkSpec, chain: str, symbol: str) -> Location:
    """Where `chain` keeps `symbol` as a foreign asset: a token of another consensus, (2, [GlobalConsensus])."""
    home = next((c for c in network.chains.values() if c.role == "relay" and c.token == symbol), None)
    if home is None:
        raise HarnessError(f"no relay of network '{network.name}' has the token {symbol}",
                           "foreign assets are the other relay's token")
    return Location(2, (("GlobalConsensus", consensus(network, home.name)),))


def location_of(network: NetworkSpec, on: str, of: str) -> Location:
    """Chain `of` as chain `on` sees it: a child, the parent, a sibling, or across the bridge by its consensus."""
    here, there = network.chain(on), network.chain(of)
    para = (("Parachain", there.para_id),) if there.role == "parachain" else ()
    if Route.relay_of(here) != Route.relay_of(there):
        return Location(2, (("GlobalConsensus", consensus(network, of)),) + para)
    if here.role == "relay":
        return Location(0, para)
    return Location(1, para)


def sovereign_account(network: NetworkSpec, on: str, of: str) -> bytes:
    """The account on chain `on` that holds what chain `of` owns there (see harness/client/sovereign.py)."""
    here, there = network.chain(on), network.chain(of)
    if Route.relay_of(here) != Route.relay_of(there):
        if there.role != "parachain":
            raise HarnessError(f"no sovereign account of the relay '{of}' on '{on}' is known",
                               "across the bridge, name a parachain such as the Asset Hub")
        return sovereign.remote_parachain(consensus(network, of), there.para_id)
    if here.role == "relay":
        return sovereign.child_parachain(there.para_id)
    if there.role == "relay":
        return sovereign.parent()
    return sovereign.sibling_parachain(there.para_id)


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
    if route.is_bridged:  # it arrives from a bridge hub, which sends other messages too
        return False
    origin = event_attributes.get("origin") if isinstance(event_attributes, dict) else None
    if origin is None:  # DmpQueue/XcmpQueue events carry no origin; downward ones come from the relay
        return True
    if route.is_upward:
        return origin == {"Ump": {"Para": route.origin.para_id}}
    return origin in ("Parent", {"Parent": None})
