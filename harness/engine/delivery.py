"""Waiting until the XCM message an extrinsic sent has executed on its destination, and knowing it was that one.

A chain reports an inbound message executed with an arrival event (routes.ARRIVAL_EVENTS) that names the
message by id. The ids of the message sent are found, best first:

1. in the origin's events (`XcmPallet.Sent`/`PolkadotXcm.Sent` message_id, `XcmpQueue.XcmpMessageSent`);
2. upward, with no such event (1.0-era runtimes): in the message itself, read from the parachain's storage;
3. downward, likewise: in the messages the parachain received from the extrinsic's relay block.

Only when none of these can work does an arrival from the route's origin count, and then the wait lasts
until the destination is quiet, since that arrival may be another message's (parachains send version
negotiation messages of their own, as seen on Kusama Asset Hub 1.0).
"""
from __future__ import annotations

import time
from typing import Callable

from ..client.chain import ChainClient, Receipt
from ..client.messages import message_ids
from ..network import routes
from ..providers.base import RunningNetwork
from .events import EventLog

UPWARD_SENT = "ParachainSystem.UpwardMessageSent"  # names the message's hash, not the id the relay reports
QUIET_SECONDS = 1.0  # for the last resort: this long without a new block counts as quiet

Messages = list[frozenset[str]]  # one entry per message to wait for: the ids it may be reported under


class DeliveryTimeout(Exception):
    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.what = what


def sent_ids(receipt: Receipt) -> Messages:
    """The message the extrinsic sent, by the ids its own events give; [] when they give none."""
    ids = frozenset(str(e.attributes[routes.SENT_EVENTS[e.qualified]]) for e in receipt.events
                    if e.qualified in routes.SENT_EVENTS)
    return [ids] if ids else []


class UpwardMessages:
    """The upward messages an extrinsic sent, read from `ParachainSystem.UpwardMessages` of its block and later
    ones (a message waits for a later block when its block's quota is full), found by their hashes."""

    def __init__(self, origin: ChainClient, receipt: Receipt) -> None:
        self.origin = origin
        self.hashes = {str(e.attributes["message_hash"]) for e in receipt.events if e.qualified == UPWARD_SENT}
        self.next_block = receipt.block_number
        self.found: Messages = []

    def usable(self) -> bool:
        return bool(self.hashes) and self.origin.has_pallet("ParachainSystem")

    def __call__(self) -> Messages:
        head = self.origin.head_number()
        while self.next_block <= head and len(self.found) < len(self.hashes):
            for data in self.origin.upward_messages(self.origin.block_hash(self.next_block)):
                ids = message_ids(data)
                if ids & self.hashes:
                    self.found.append(ids)
            self.next_block += 1
        return self.found if len(self.found) == len(self.hashes) else []


class DownwardMessages:
    """The downward messages sent in the extrinsic's relay block, from the inherent of the parachain block that
    received them. A relay block's messages to a parachain arrive together, in one parachain block; another one
    sent in the same relay block cannot be told from the extrinsic's, so all of them are waited for."""

    def __init__(self, destination: ChainClient, receipt: Receipt, after: int) -> None:
        self.destination = destination
        self.sent_at = receipt.block_number
        self.next_block = after + 1

    def usable(self) -> bool:
        return self.destination.has_pallet("ParachainSystem")

    def __call__(self) -> Messages:
        head = self.destination.head_number()
        while self.next_block <= head:
            received = self.destination.downward_messages(self.destination.block_hash(self.next_block))
            self.next_block += 1
            ours = [message_ids(data) for sent_at, data in received if sent_at == self.sent_at]
            if ours:
                return ours
        return []


class DeliveryWait:
    def __init__(self, clients, network: RunningNetwork, events: EventLog) -> None:
        self.clients, self.network, self.events = clients, network, events

    def finder(self, route: routes.Route, receipt: Receipt, after: int) -> Callable[[], Messages] | None:
        """What finds the message's ids, or None when nothing can."""
        if route.is_bridged:  # in flight, it is a bridge message with no XCM bytes to read on either side
            return None
        if route.is_upward:
            finder = UpwardMessages(self.clients[route.origin.name], receipt)
        else:
            finder = DownwardMessages(self.clients[route.destination.name], receipt, after)
        return finder if finder.usable() else None

    def wait(self, route: routes.Route, receipt: Receipt, after: int, deadline: float) -> Messages:
        """Returns once the destination has executed the message, with the ids it was found by ([] when it was
        known only by its origin); raises DeliveryTimeout at `deadline`."""
        chain = route.destination.name
        messages = sent_ids(receipt)
        finder = None if messages else self.finder(route, receipt, after)
        built = False
        while True:
            if not messages and finder:
                messages = finder()
            arrivals = [e for e in self.events.since(chain, after) if e.qualified in routes.ARRIVAL_EVENTS]
            if messages:
                reported = set().union(*(routes.arrival_ids(e.attributes) for e in arrivals))
                if all(ids & reported for ids in messages):
                    return messages
            elif finder is None and any(routes.arrival_origin_matches(e.attributes, route) for e in arrivals):
                self.settle(chain, deadline)
                return []
            if time.monotonic() > deadline:
                raise DeliveryTimeout(self.waited_for(messages, finder))
            # a block built on request is there when the call returns: look at once, and pause only between builds
            if not (self.network.manual_blocks and not built):
                time.sleep(0.05)
            if self.network.manual_blocks:
                self.network.new_block(chain)
                built = True

    @staticmethod
    def waited_for(messages: Messages, finder: object) -> str:
        events = ", ".join(routes.ARRIVAL_EVENTS)
        if messages:
            return f"{events} naming the message sent (ids: {', '.join(sorted(set().union(*messages)))})"
        if finder is not None:
            return f"{events}; the message itself was not found in flight (was it sent?)"
        return f"{events} from the origin"

    def settle(self, chain: str, deadline: float) -> None:
        """Wait until `chain` has built no block for QUIET_SECONDS (bounded by `deadline`)."""
        client = self.clients[chain]
        head = client.head_number()
        while time.monotonic() < deadline:
            time.sleep(QUIET_SECONDS)
            now = client.head_number()
            if now == head:
                return
            head = now
