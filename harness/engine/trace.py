"""Hop tracing: where a transfer's message went, chain by chain, found by its topic / message id.

The origin's events name the message (PolkadotXcm/XcmPallet.Sent{message_id}, the SetTopic every router
appends). Each chain that executes it reports the same id in MessageQueue.Processed{id}. A message for another
consensus travels to the Bridge Hub under forward_id_for(topic) (its own SetTopic), is accepted on a bridge lane
(Bridge*Messages.MessageAccepted{lane_id, nonce}) and received on the other side
(Bridge*Messages.MessagesReceived{lane, receive_results}), which dispatches it under the original topic.

A hop's events are those its processing emitted: the events of its block before its arrival event, back to the
previous arrival event in that block. A hop's fees: the delivery fee the sender paid where the message left
(pallet-xcm FeesPaid), and on the final hop the execution fee, the amount sent less what was deposited to the
beneficiary there.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from ..client.chain import Event, Receipt, fee_paid
from ..client.messages import forward_id_for
from ..network import routes
from .events import EventLog

ARRIVALS = frozenset(routes.ARRIVAL_EVENTS)
ACCEPTED, RECEIVED, DELIVERED = "MessageAccepted", "MessagesReceived", "MessagesDelivered"  # pallet-bridge-messages
BRIDGED = "received over the bridge"
# what a deposit to an account looks like: (event, field naming the account, field with the amount)
NATIVE_DEPOSITS = {"Balances.Minted": ("who", "amount"), "Balances.Deposit": ("who", "amount"),
                   "Balances.Transfer": ("to", "amount")}
ASSET_DEPOSITS = {"Issued": ("owner", "amount"), "Transferred": ("to", "amount")}  # pallet-assets instances


@dataclass
class Hop:
    chain: str
    block: int
    what: str  # sent | executed | BRIDGED
    success: bool | None
    events: list[Event] = field(default_factory=list)
    message_id: str | None = None
    delivery_fee: int = 0  # in the chain's own token: what the sender paid to send from here
    deposited: int | None = None  # what the beneficiary received here, in the transferred asset
    execution_fee: int | None = None  # on the final hop: the amount sent less what was deposited
    lane: str | None = None  # the bridge lane and nonce the message was accepted or received on here
    nonce: int | None = None
    confirmed_block: int | None = None  # where the bridge confirmed the delivery back to this (sending) chain


@dataclass
class Trace:
    step: int
    step_name: str | None
    path: tuple[str, ...]  # the chains the route passes, origin first
    asset: str  # token symbol
    amount: int  # planck sent
    beneficiary: str  # the account name
    ids: list[str]
    hops: list[Hop] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """The message was executed, successfully, on the route's last chain."""
        return bool(self.hops) and self.hops[-1].chain == self.path[-1] and self.hops[-1].success is True

    def hop(self, chain: str) -> Hop | None:
        return next((h for h in self.hops if h.chain == chain), None)


def with_forward_ids(ids: set[str]) -> set[str]:
    """The ids plus the ids of their exports (the message to a Bridge Hub carries forward_id_for(topic))."""
    return ids | {forward_id_for(i) for i in ids}


def _group(events: list[Event], end: Event) -> list[Event]:
    """The events `end`'s processing emitted: same block and phase, after the previous arrival in it."""
    same = [e for e in events if e.block_number == end.block_number and e.extrinsic_index == end.extrinsic_index
            and e.index <= end.index]
    start = max((e.index for e in same if e.index < end.index and _is_boundary(e)), default=-1)
    return [e for e in same if e.index > start]


def _is_boundary(event: Event) -> bool:
    return event.qualified in ARRIVALS or event.name == RECEIVED


def _arrival_success(event: Event) -> bool | None:
    attributes = event.attributes if isinstance(event.attributes, dict) else {}
    if "success" in attributes:
        return bool(attributes["success"])
    if event.qualified == "XcmpQueue.Success":
        return True
    if event.qualified == "XcmpQueue.Fail":
        return False
    outcome = attributes.get("outcome")
    return None if outcome is None else (outcome == "Complete" or isinstance(outcome, dict) and "Complete" in outcome)


def _message_id(attributes: dict, found: set[str]) -> str:
    """The id a hop names its message by: the arrival's own message_id where it has one (DmpQueue.ExecutedDownward
    and XcmpQueue.Success carry the message's hash too, and both can be among the ids sent), else its id or hash."""
    return next(str(attributes[f]) for f in ("message_id", "id", "message_hash")
                if f in attributes and str(attributes[f]) in found)


def _lane_hex(value: object) -> str:
    return value if isinstance(value, str) else "0x" + bytes(value).hex()


def _accepted(events: list[Event]) -> tuple[str, int] | None:
    for event in events:
        if event.name == ACCEPTED and event.pallet.endswith("Messages"):
            return _lane_hex(event.attributes["lane_id"]), int(event.attributes["nonce"])
    return None


def _received(event: Event, lane: str, nonce: int) -> tuple[bool, bool] | None:
    """(found, dispatched) for a MessagesReceived that names the lane and nonce."""
    if event.name != RECEIVED or not event.pallet.endswith("Messages") or _lane_hex(event.attributes["lane"]) != lane:
        return None
    for received_nonce, result in event.attributes["receive_results"]:
        if int(received_nonce) == nonce:
            dispatched = isinstance(result, dict) and "Dispatched" in result and (
                (result["Dispatched"] or {}).get("dispatch_level_result") in ("Dispatched", {"Dispatched": None}))
            return True, dispatched
    return None


def _delivered(events: list[Event], lane: str, nonce: int) -> int | None:
    for event in events:
        if event.name == DELIVERED and event.pallet.endswith("Messages") and \
                _lane_hex(event.attributes["lane_id"]) == lane:
            messages = event.attributes["messages"]
            if int(messages["begin"]) <= nonce <= int(messages["end"]):
                return event.block_number
    return None


def deposited_to(events: list[Event], address: str, native: bool) -> int | None:
    """What the events deposited to `address`, in the chain's token (`native`) or in an asset pallet's asset."""
    total, found = 0, False
    for event in events:
        fields = NATIVE_DEPOSITS.get(event.qualified) if native else (
            ASSET_DEPOSITS.get(event.name) if event.pallet.endswith("Assets") else None)
        if fields and isinstance(event.attributes, dict) and event.attributes.get(fields[0]) == address:
            total += int(event.attributes[fields[1]])
            found = True
    return total if found else None


class Tracer:
    """Builds a transfer's trace from the run's event log."""

    def __init__(self, events: EventLog) -> None:
        self.events = events

    def trace(self, trace: Trace, receipt: Receipt, since: dict[str, int], sender: str, beneficiary: str,
              native_on_destination: bool) -> Trace:
        """Fills `trace.hops`: the origin's, then one per later chain of the path that the message reached.

        `sender` and `beneficiary` are addresses (on the origin and on the destination)."""
        sent = next((str(e.attributes["message_id"]) for e in receipt.events if e.qualified.endswith(".Sent")), None)
        trace.hops = [Hop(receipt.chain, receipt.block_number, "sent", receipt.success, list(receipt.events), sent,
                          delivery_fee=sum(fee_paid(e, sender) for e in receipt.events if e.name == "FeesPaid"))]
        ids = with_forward_ids(set(trace.ids))
        for chain in trace.path[1:]:
            hop = self._arrival(chain, since.get(chain, 0), ids) or self._bridged(chain, since.get(chain, 0),
                                                                                  trace.hops[-1])
            if hop is None:
                break
            trace.hops.append(hop)
        for sending, receiving in zip(trace.hops, trace.hops[1:]):
            if receiving.what == BRIDGED:
                sending.confirmed_block = _delivered(self.events.since(sending.chain, since.get(sending.chain, 0)),
                                                     sending.lane, sending.nonce)
        last = trace.hops[-1]
        if len(trace.hops) > 1 and last.chain == trace.path[-1]:
            last.deposited = deposited_to(last.events, beneficiary, native_on_destination)
            if last.deposited is not None:
                last.execution_fee = trace.amount - last.deposited
        return trace

    def _arrival(self, chain: str, after: int, ids: set[str]) -> Hop | None:
        events = self.events.since(chain, after)
        for event in events:
            if event.qualified in ARRIVALS and (found := routes.arrival_ids(event.attributes) & ids):
                group = _group(events, event)
                lane = _accepted(group)
                return Hop(chain, event.block_number, "executed", _arrival_success(event), group,
                           _message_id(event.attributes, found),
                           lane=lane[0] if lane else None, nonce=lane[1] if lane else None)
        return None

    def _bridged(self, chain: str, after: int, previous: Hop) -> Hop | None:
        if previous.lane is None:
            return None
        events = self.events.since(chain, after)
        for event in events:
            if received := _received(event, previous.lane, previous.nonce):
                return Hop(chain, event.block_number, BRIDGED, received[1], _group(events, event),
                           lane=previous.lane, nonce=previous.nonce)
        return None
