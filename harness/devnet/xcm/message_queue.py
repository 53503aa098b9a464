"""pallet-message-queue: where received XCMs wait in pages until they are executed.

Sources (polkadot-sdk): substrate/frame/message-queue/src/lib.rs (storage, calls, events, errors,
do_enqueue_message, the ready ring, service_queues_impl, service_page(_item), process_message_payload:
the id starts as blake2_256 of the bytes and the processor may replace it), its Page/ItemHeader
heap layout; polkadot/xcm/xcm-builder/src/process_xcm_message.rs (decode VersionedXcm, convert
to latest, execute; Complete -> success, Incomplete -> failure, Error -> Unsupported) and
xcm-executor lib.rs (TrailingSetTopicAsId: the id becomes the trailing SetTopic once the barrier
passes). Origins: a relay's MessageProcessor (relay/*/src/lib.rs) runs Ump(Para(id)) as
Location(0, [Parachain(id)]); an Asset Hub's ProcessXcmMessage<AggregateMessageOrigin> runs
Here/Parent/Sibling(id) as (0, Here)/(1, Here)/(1, [Parachain(id)]).
Constants are those in the live metadata (Polkadot, Kusama, their Asset Hubs at 2_000_000 /
1_009_00x): HeapSize 64 KiB, MaxStale 8 (16 on the Kusama relay), and the service weights.

Simplified: queues are serviced until empty (no block weight budget beyond the per-message
overweight limit); QueueChangeHandler (XCMP suspension, relay UMP accounting) and
QueuePausedQuery are not emulated; reap_page and execute_overweight are declared, not callable.
"""
from __future__ import annotations

from typing import Any, Callable

from ..hashing import blake2_256
from ..runtime.frame import Ctx, Pallet
from ..scale import ScaleError
from ..types.xcm import declare_xcm
from .locations import location, parachain
from .transport import declare_transport_types
from .versions import VersionError, to_latest

HEAP_SIZE = 64 * 1024
ITEM_HEADER_LEN = 5          # ItemHeader<u32> { payload_len: u32, is_processed: bool }

# (ServiceWeight, IdleMaxServiceWeight) as Weight (ref_time, proof_size), from the live metadata
SERVICE_WEIGHTS = {
    "relay": ((400_000_000_000, 3_689_348_814_741_910_323), (400_000_000_000, 3_689_348_814_741_910_323)),
    "para": ((1_000_000_000_000, 5_242_880), (1_000_000_000_000, 5_242_880)),
}
# pallet_message_queue WeightInfo::service_queue_base + service_page_base + service_page_item
# is what servicing one message costs besides the message itself; the overweight limit subtracts
# this overhead from the larger service weight. Small next to the limit, so kept as one figure.
SINGLE_MESSAGE_OVERHEAD = (100_000_000, 70_000)

ERRORS = ("NotReapable", "NoPage", "NoMessage", "AlreadyProcessed", "Queued", "InsufficientWeight",
          "TemporarilyUnprocessable", "QueuePaused", "RecursiveDisallowed")

Executor = Callable[..., Any]    # xcm.executor.execute(ctx, origin, message, weight_limit, message_id) -> Outcome


class MessageQueue(Pallet):
    NAME = "MessageQueue"
    MAX_STALE = 8            # the Kusama relay's composition (runtimes/relay.py) sets 16
    # type MessageProcessor = ProcessXcmMessage<_, XcmExecutor<XcmConfig>, _>: each runtime kind
    # configures it (a staticmethod, so the instance does not bind it)
    EXECUTOR: Executor | None = None

    def declare(self) -> None:
        r, t = self.reg, self.t
        tt = declare_transport_types(r)
        self.xcm_types = declare_xcm(r, self.runtime.call_enum)
        u32, u64 = t.u32, t.u64
        relay = self.runtime.config.is_relay
        if relay:
            ump_queue = r.variant("polkadot_runtime_parachains::inclusion::UmpQueueId", [
                ("Para", 0, [(None, tt.para_id, "ParaId")])])
            self.origin_type = r.variant("polkadot_runtime_parachains::inclusion::AggregateMessageOrigin", [
                ("Ump", 0, [(None, ump_queue, "UmpQueueId")])])
        else:
            self.origin_type = r.variant("cumulus_primitives_core::AggregateMessageOrigin", [
                ("Here", 0, []), ("Parent", 1, []), ("Sibling", 2, [(None, tt.para_id, "ParaId")])])
        origin = self.origin_type
        neighbours = r.composite("pallet_message_queue::Neighbours", [
            ("prev", origin, "MessageOrigin"), ("next", origin, "MessageOrigin")], params=[("MessageOrigin", origin)])
        book_state = r.composite("pallet_message_queue::BookState", [
            ("begin", u32, "PageIndex"), ("end", u32, "PageIndex"), ("count", u32, "PageIndex"),
            ("ready_neighbours", r.option(neighbours), "Option<Neighbours<MessageOrigin>>"),
            ("message_count", u64, "u64"), ("size", u64, "u64")], params=[("MessageOrigin", origin)])
        heap = r.composite("bounded_collections::bounded_vec::BoundedVec", [(None, t.bytes, "Vec<T>")],
                           params=[("T", t.u8), ("S", None)])
        page = r.composite("pallet_message_queue::Page", [
            ("remaining", u32, "Size"), ("remaining_size", u32, "Size"), ("first_index", u32, "Size"),
            ("first", u32, "Size"), ("last", u32, "Size"),
            ("heap", heap, "BoundedVec<u8, IntoU32<HeapSize, Size>>")], params=[("Size", u32), ("HeapSize", None)])
        self.book_state_for = self.item("BookStateFor", book_state, (origin,), ("Twox64Concat",), default={
            "begin": 0, "end": 0, "count": 0, "ready_neighbours": None, "message_count": 0, "size": 0})
        self.service_head = self.item("ServiceHead", origin, optional=True)
        self.pages = self.item("Pages", page, (origin, u32), ("Twox64Concat", "Twox64Concat"), optional=True)

        self.calls = r.variant("pallet_message_queue::pallet::Call", [
            ("reap_page", 0, [("message_origin", origin, "MessageOriginOf<T>"), ("page_index", u32, "PageIndex")]),
            ("execute_overweight", 1, [("message_origin", origin, "MessageOriginOf<T>"), ("page", u32, "PageIndex"),
                                       ("index", u32, "T::Size"), ("weight_limit", t.weight, "Weight")]),
        ], params=[("T", None)])
        process_error = r.variant("frame_support::traits::messages::ProcessMessageError", [
            ("BadFormat", 0, []), ("Corrupt", 1, []), ("Unsupported", 2, []),
            ("Overweight", 3, [(None, t.weight, "Weight")]), ("Yield", 4, []), ("StackLimitReached", 5, [])])
        self.events = r.variant("pallet_message_queue::pallet::Event", [
            ("ProcessingFailed", 0, [("id", t.h256, "H256"), ("origin", origin, "MessageOriginOf<T>"),
                                     ("error", process_error, "ProcessMessageError")]),
            ("Processed", 1, [("id", t.h256, "H256"), ("origin", origin, "MessageOriginOf<T>"),
                              ("weight_used", t.weight, "Weight"), ("success", t.bool, "bool")]),
            ("OverweightEnqueued", 2, [("id", r.array(t.u8, 32), "[u8; 32]"), ("origin", origin, "MessageOriginOf<T>"),
                                       ("page_index", u32, "PageIndex"), ("message_index", u32, "T::Size")]),
            ("PageReaped", 3, [("origin", origin, "MessageOriginOf<T>"), ("index", u32, "PageIndex")]),
        ], params=[("T", None)])
        self.errors = r.variant("pallet_message_queue::pallet::Error", [(n, i, []) for i, n in enumerate(ERRORS)],
                                params=[("T", None)])
        opt_weight = r.option(t.weight)
        on_init, on_idle = SERVICE_WEIGHTS["relay" if relay else "para"]
        self.constant("HeapSize", u32, HEAP_SIZE)
        self.constant("MaxStale", u32, self.MAX_STALE)
        self.service_weight = self.constant("ServiceWeight", opt_weight, _weight(on_init))
        self.idle_service_weight = self.constant("IdleMaxServiceWeight", opt_weight, _weight(on_idle))

    # --- origins ---------------------------------------------------------------------------
    def executor_origin(self, origin: Any) -> dict:
        if origin == "Here":
            return location(0)
        if origin == "Parent":
            return location(1)
        (kind, inner), = origin.items()
        if kind == "Sibling":
            return parachain(inner, parents=1)
        return parachain(inner["Para"])          # Ump(Para(id)) on a relay

    # --- enqueueing (do_enqueue_message) ---------------------------------------------------
    def enqueue(self, ctx: Ctx, origin: Any, message: bytes) -> None:
        state = ctx.state
        book = self.book_state_for.get(state, origin)
        book["message_count"] += 1
        book["size"] += len(message)
        if book["end"] > book["begin"]:
            last = book["end"] - 1
            page = self.pages.get(state, origin, last)
            if _try_append(page, message):
                self.pages.put(state, origin, last, page)
                self.book_state_for.put(state, origin, book)
                return
        else:
            book["ready_neighbours"] = self._ready_ring_knit(state, origin)
        book["end"] += 1
        book["count"] += 1
        self.pages.put(state, origin, book["end"] - 1, _new_page(message))
        self.book_state_for.put(state, origin, book)

    def _ready_ring_knit(self, state, origin: Any) -> dict:
        head = self.service_head.get(state)
        if head is None:
            self.service_head.put(state, origin)
            return {"prev": origin, "next": origin}
        head_book = self.book_state_for.get(state, head)
        tail = head_book["ready_neighbours"]["prev"]
        head_book["ready_neighbours"]["prev"] = origin
        self.book_state_for.put(state, head, head_book)
        tail_book = self.book_state_for.get(state, tail)
        tail_book["ready_neighbours"]["next"] = origin
        self.book_state_for.put(state, tail, tail_book)
        return {"prev": tail, "next": head}

    def _ready_ring_unknit(self, state, origin: Any, neighbours: dict) -> None:
        if neighbours["next"] == origin:
            self.service_head.remove(state)
            return
        for side, other in (("next", "prev"), ("prev", "next")):
            book = self.book_state_for.get(state, neighbours[side])
            if book["ready_neighbours"] is not None:
                book["ready_neighbours"][other] = neighbours[other]
                self.book_state_for.put(state, neighbours[side], book)
        if self.service_head.get(state) == origin:
            self.service_head.put(state, neighbours["next"])

    # --- servicing -------------------------------------------------------------------------
    def on_initialize(self, ctx: Ctx) -> None:
        self.service_queues(ctx, self.service_weight)

    def on_idle(self, ctx: Ctx) -> None:
        self.service_queues(ctx, self.idle_service_weight)

    def service_queues(self, ctx: Ctx, weight_limit: dict | None) -> None:
        """Round-robin over the ready ring until no queue holds a message it can process."""
        if weight_limit is None:
            return
        overweight_limit = self._max_message_weight()
        stalled: set = set()
        while True:
            head = self.service_head.get(ctx.state)
            if head is None or _key(head) in stalled:
                return
            book = self.book_state_for.get(ctx.state, head)
            if book["ready_neighbours"] is not None:
                self.service_head.put(ctx.state, book["ready_neighbours"]["next"])
            if not self._service_queue(ctx, head, overweight_limit):
                stalled.add(_key(head))

    def _max_message_weight(self) -> tuple[int, int]:
        larger = max((self.service_weight, self.idle_service_weight), key=lambda w: (w["ref_time"], w["proof_size"]))
        return (larger["ref_time"] - SINGLE_MESSAGE_OVERHEAD[0], larger["proof_size"] - SINGLE_MESSAGE_OVERHEAD[1])

    def _service_queue(self, ctx: Ctx, origin: Any, overweight_limit: tuple[int, int]) -> bool:
        """service_queue: pages in order until the queue is empty; False if nothing moved."""
        state = ctx.state
        book = self.book_state_for.get(state, origin)
        progressed = False
        while book["end"] > book["begin"]:
            page_index = book["begin"]
            page = self.pages.get(state, origin, page_index)
            if page is None:
                book["begin"] += 1
                continue
            while (item := _peek_first(page)) is not None:
                is_processed, payload = item
                if not is_processed:
                    is_processed = self._process(ctx, origin, page_index, page["first_index"], payload,
                                                 overweight_limit)
                    progressed = True
                    if is_processed:
                        book["message_count"] -= 1
                        book["size"] -= len(payload)
                _skip_first(page, is_processed)
            if page["remaining"] == 0:
                self.pages.remove(state, origin, page_index)
                book["count"] -= 1
            else:
                self.pages.put(state, origin, page_index, page)
            book["begin"] += 1
        if book["ready_neighbours"] is not None:
            neighbours, book["ready_neighbours"] = book["ready_neighbours"], None
            self.book_state_for.put(state, origin, book)
            self._ready_ring_unknit(state, origin, neighbours)
        self.book_state_for.put(state, origin, book)
        return progressed

    def _speaks(self, versioned: dict) -> bool:
        """The chain's code speaks the message's XCM version (xcm/pallet_xcm/negotiation.py)."""
        xcm_pallet = self.runtime.by_name.get("XcmPallet") or self.runtime.by_name.get("PolkadotXcm")
        return xcm_pallet is None or xcm_pallet.speaks(versioned)

    def _process(self, ctx: Ctx, origin: Any, page_index: int, message_index: int, payload: bytes,
                 overweight_limit: tuple[int, int]) -> bool:
        """process_message_payload with ProcessXcmMessage; True when the message is done with."""
        message_id = blake2_256(payload)
        try:
            versioned = self.reg.decode(self.xcm_types.versioned_xcm, payload)
        except ScaleError:
            return self._failed(ctx, message_id, origin, "Corrupt")
        if not self._speaks(versioned):   # an xcm crate without that version fails to decode it
            return self._failed(ctx, message_id, origin, "Corrupt")
        try:
            program = to_latest(versioned, "xcm")
        except VersionError:
            return self._failed(ctx, message_id, origin, "Unsupported")
        ctx.state.begin()
        outcome = self.EXECUTOR(ctx, self.executor_origin(origin), program,
                               {"ref_time": overweight_limit[0], "proof_size": overweight_limit[1]}, message_id)
        error = _error_name(outcome.error)
        if not outcome.executed and error != "Barrier":
            # XcmExecutor::prepare failed: the weigher could not weigh it (Unsupported), or it
            # weighs more than any block may give one message (parked as overweight)
            ctx.state.rollback()
            if error == "WeightLimitReached":
                self.emit(ctx, "OverweightEnqueued", {"id": message_id, "origin": origin, "page_index": page_index,
                                                      "message_index": message_index})
                return False
            return self._failed(ctx, message_id, origin, "Unsupported")
        ctx.state.commit()
        # the executor's id: the trailing SetTopic once the barrier let it through (TrailingSetTopicAsId)
        self.emit(ctx, "Processed", {"id": outcome.message_id or message_id, "origin": origin,
                                     "weight_used": _weight(outcome.used_weight), "success": bool(outcome.complete)})
        return True

    def _failed(self, ctx: Ctx, message_id: bytes, origin: Any, error: str) -> bool:
        self.emit(ctx, "ProcessingFailed", {"id": message_id, "origin": origin, "error": error})
        return True


# --- pages: Page::from_message / try_append_message / peek_first / skip_first -------------------
def _item(payload: bytes, processed: bool = False) -> bytes:
    return len(payload).to_bytes(4, "little") + bytes([1 if processed else 0]) + payload


def _new_page(message: bytes) -> dict:
    return {"remaining": 1, "remaining_size": len(message), "first_index": 0, "first": 0, "last": 0,
            "heap": _item(message)}


def _try_append(page: dict, message: bytes) -> bool:
    heap = bytes(page["heap"])
    if HEAP_SIZE - len(heap) < ITEM_HEADER_LEN + len(message):
        return False
    page["last"] = len(heap)
    page["heap"] = heap + _item(message)
    page["remaining"] += 1
    page["remaining_size"] += len(message)
    return True


def _peek_first(page: dict) -> tuple[bool, bytes] | None:
    if page["first"] > page["last"]:
        return None
    heap = bytes(page["heap"])
    start = min(page["first"], len(heap))
    if start + ITEM_HEADER_LEN > len(heap):
        return None
    length = int.from_bytes(heap[start:start + 4], "little")
    return heap[start + 4] == 1, heap[start + ITEM_HEADER_LEN:start + ITEM_HEADER_LEN + length]


def _skip_first(page: dict, is_processed: bool) -> None:
    heap = bytearray(page["heap"])
    start = min(page["first"], len(heap))
    length = int.from_bytes(heap[start:start + 4], "little")
    if is_processed and heap[start + 4] == 0:
        heap[start + 4] = 1
        page["remaining"] -= 1
        page["remaining_size"] -= length
    page["heap"] = bytes(heap)
    page["first"] += ITEM_HEADER_LEN + length
    page["first_index"] += 1


# --- small helpers ------------------------------------------------------------------------------
def _weight(value: Any) -> dict:
    if isinstance(value, dict):
        return {"ref_time": value["ref_time"], "proof_size": value["proof_size"]}
    ref_time, proof_size = value
    return {"ref_time": ref_time, "proof_size": proof_size}


def _error_name(error: Any) -> str | None:
    if error is None:
        return None
    if isinstance(error, str):
        return error
    if isinstance(error, dict):
        inner = error.get("error", error)
        return inner if isinstance(inner, str) else next(iter(inner))
    return getattr(error, "name", str(error))


def _key(origin: Any) -> str:
    """A hashable form of an origin value (dicts are not)."""
    return repr(origin)
