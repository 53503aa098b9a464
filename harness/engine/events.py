"""The run's one event log: per chain, the events of every block read so far (a cache, which the result keeps),
and a cursor for what waits have consumed. Balances, delivery waits, event waits and the tracer all read it, so a
block's events are fetched once."""
from __future__ import annotations

from dataclasses import dataclass

from ..client.chain import Event


@dataclass
class Cursor:
    """Per chain: the head when the run began, and the last block whose events a wait has consumed."""

    start: int
    seen: int


class EventLog:
    def __init__(self, clients, cache: dict[str, list[Event]]) -> None:
        self.clients = clients
        self.cache = cache  # chain -> events, in block order; the result's `events`
        self.cursors: dict[str, Cursor] = {}

    def since(self, chain: str, after: int) -> list[Event]:
        """Events of every block after `after` up to the head."""
        client = self.clients[chain]
        head, _ = client.head()
        seen = self.cache.setdefault(chain, [])
        known = {e.block_number for e in seen}
        for number in range(after + 1, head + 1):
            if number not in known:
                seen.extend(client.events(client.block_hash(number)))
        return [e for e in seen if e.block_number > after]

    def cursor(self, chain: str) -> Cursor:
        if chain not in self.cursors:
            number, _ = self.clients[chain].head()
            self.cursors[chain] = Cursor(number, number)
        return self.cursors[chain]
