"""The run's one event log: per chain, the events of every block read so far (a cache, which the result keeps),
and a cursor for what waits have consumed. Balances, delivery waits, event waits and the tracer all read it, so a
block's events are fetched once."""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

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
        self.read_blocks: dict[str, set[int]] = {}  # chain -> the blocks whose events are in the cache
        self.heads: dict[str, int] | None = None  # while held: the head each chain had when first asked

    def since(self, chain: str, after: int) -> list[Event]:
        """Events of every block after `after` up to the head."""
        client = self.clients[chain]
        head = self.heads.get(chain) if self.heads is not None else None
        if head is None:
            head = client.head_number()
            if self.heads is not None:
                self.heads[chain] = head
        seen = self.cache.setdefault(chain, [])
        read = self.read_blocks.setdefault(chain, set())
        new = [number for number in range(after + 1, head + 1) if number not in read]
        last = seen[-1].block_number if seen else -1
        for number, block_hash in zip(new, client.block_hashes(new)):
            seen.extend(client.events(block_hash))
            read.add(number)
        if new and new[0] < last:  # an earlier stretch read late: back in block order
            seen.sort(key=lambda e: (e.block_number, e.index))
        return [e for e in seen if e.block_number > after]

    @contextmanager
    def held(self) -> Iterator[None]:
        """Reads inside see the chains as they were at the first read of each: its head is asked once."""
        self.heads = {}
        try:
            yield
        finally:
            self.heads = None

    def cursor(self, chain: str) -> Cursor:
        if chain not in self.cursors:
            number = self.clients[chain].head_number()
            self.cursors[chain] = Cursor(number, number)
        return self.cursors[chain]
