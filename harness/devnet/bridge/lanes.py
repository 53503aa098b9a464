"""Lane state machines, on the codec values the messages pallet stores.

Semantics of S bridges/modules/messages/src/outbound_lane.rs (send_message, confirm_delivery,
ensure_unrewarded_relayers_are_correct), inbound_lane.rs (receive_state_update, receive_message)
and bridges/primitives/messages/src/lib.rs (OutboundLaneData::opened, InboundLaneData::opened,
last_delivered_nonce, UnrewardedRelayersState::from, calc_relayers_rewards).
"""
from __future__ import annotations

from typing import Any, Callable


class ConfirmationError(Exception):
    """ReceptionConfirmationError: the variant name is the message."""


def opened_outbound() -> dict:
    return {"oldest_unpruned_nonce": 1, "latest_received_nonce": 0, "latest_generated_nonce": 0, "state": "Opened"}


def opened_inbound() -> dict:
    return {"relayers": [], "last_confirmed_nonce": 0, "state": "Opened"}


def queued_messages(outbound: dict) -> range:
    return range(outbound["latest_received_nonce"] + 1, outbound["latest_generated_nonce"] + 1)


def total_messages(delivered: dict) -> int:
    return max(delivered["end"] - delivered["begin"] + 1, 0)


# --- outbound lane -----------------------------------------------------------------------------

def send_message(outbound: dict) -> int:
    """Assigns the next nonce; the caller stores the payload under it."""
    outbound["latest_generated_nonce"] += 1
    return outbound["latest_generated_nonce"]


def confirm_delivery(outbound: dict, max_allowed: int, latest_delivered: int, relayers: list) -> dict | None:
    """Marks messages up to `latest_delivered` received; returns DeliveredMessages or None when
    nothing new is confirmed. The caller removes the confirmed payloads (they are pruned here)."""
    confirmed = {"begin": outbound["latest_received_nonce"] + 1, "end": latest_delivered}
    if total_messages(confirmed) == 0:
        return None
    if confirmed["end"] > outbound["latest_generated_nonce"]:
        raise ConfirmationError("FailedToConfirmFutureMessages")
    if total_messages(confirmed) > max_allowed:
        raise ConfirmationError("TryingToConfirmMoreMessagesThanExpected")
    _check_relayers(confirmed["end"], relayers)
    outbound["latest_received_nonce"] = confirmed["end"]
    outbound["oldest_unpruned_nonce"] = confirmed["end"] + 1
    return confirmed


def _check_relayers(latest_received: int, relayers: list) -> None:
    expected_begin = relayers[0]["messages"]["begin"] if relayers else None
    for entry in relayers:
        messages = entry["messages"]
        if messages["end"] < messages["begin"]:
            raise ConfirmationError("EmptyUnrewardedRelayerEntry")
        if messages["begin"] != expected_begin:
            raise ConfirmationError("NonConsecutiveUnrewardedRelayerEntries")
        expected_begin = messages["end"] + 1
        if messages["end"] > latest_received:
            raise ConfirmationError("FailedToConfirmFutureMessages")


# --- inbound lane ------------------------------------------------------------------------------

def last_delivered_nonce(inbound: dict) -> int:
    return inbound["relayers"][-1]["messages"]["end"] if inbound["relayers"] else inbound["last_confirmed_nonce"]


def receive_state_update(inbound: dict, outbound_state: dict) -> int | None:
    """The source's outbound lane state, proved with the messages: forget rewarded relayers."""
    confirmed = outbound_state["latest_received_nonce"]
    if confirmed > last_delivered_nonce(inbound) or confirmed <= inbound["last_confirmed_nonce"]:
        return None
    inbound["last_confirmed_nonce"] = confirmed
    relayers = inbound["relayers"]
    while relayers and relayers[0]["messages"]["end"] <= confirmed:
        relayers.pop(0)
    if relayers:
        relayers[0]["messages"]["begin"] = confirmed + 1
    return confirmed


def receive_message(inbound: dict, relayer: bytes, nonce: int, max_relayers: int, max_unconfirmed: int,
                    dispatch: Callable[[int], Any]) -> Any:
    """Returns the ReceptionResult value; `dispatch(nonce)` runs the message when it is accepted."""
    if nonce != last_delivered_nonce(inbound) + 1:
        return "InvalidNonce"
    if len(inbound["relayers"]) >= max_relayers:
        return "TooManyUnrewardedRelayers"
    if nonce - inbound["last_confirmed_nonce"] > max_unconfirmed:
        return "TooManyUnconfirmedMessages"
    result = dispatch(nonce)
    relayers = inbound["relayers"]
    if relayers and bytes(relayers[-1]["relayer"]) == bytes(relayer):
        relayers[-1]["messages"]["end"] += 1
    else:
        relayers.append({"relayer": relayer, "messages": {"begin": nonce, "end": nonce}})
    return {"Dispatched": result}


def relayers_state(inbound: dict) -> dict:
    """UnrewardedRelayersState::from(&InboundLaneData)."""
    relayers = inbound["relayers"]
    total = (relayers[-1]["messages"]["end"] - relayers[0]["messages"]["begin"] + 1) if relayers else 0
    return {"unrewarded_relayer_entries": len(relayers),
            "messages_in_oldest_entry": total_messages(relayers[0]["messages"]) if relayers else 0,
            "total_messages": total, "last_delivered_nonce": last_delivered_nonce(inbound)}


def relayers_rewards(relayers: list, begin: int, end: int) -> dict[bytes, int]:
    """calc_relayers_rewards: how many of the confirmed messages [begin, end] each relayer delivered."""
    rewards: dict[bytes, int] = {}
    for entry in relayers:
        lo, hi = max(entry["messages"]["begin"], begin), min(entry["messages"]["end"], end)
        if hi >= lo:
            who = bytes(entry["relayer"])
            rewards[who] = rewards.get(who, 0) + hi - lo + 1
    return rewards
