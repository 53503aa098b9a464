"""How a chain stores its blocks' states: the head's as one plain dict, every older one as the few keys its
child changed (their values before the change) over that child's state.

A full copy per block costs the whole state per block (about 43 KB an empty block on a relay, more as
System.BlockHash fills up to BlockHashCount); a diff costs the keys a block wrote. Reading an old block walks
towards the head, one small dict per block, which only RPCs at old blocks and the relayer's proofs do.
"""
from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Protocol

_ABSENT = object()  # an undo entry for a key the child created: the older state has no such key


class HasState(Protocol):
    state: Mapping[bytes, bytes] | None


class OlderState(Mapping):
    """A block's state as `undo` over its child's: `undo[key]` is the value before the child wrote `key`."""

    __slots__ = ("newer", "undo")

    def __init__(self, newer: HasState, undo: dict[bytes, object]) -> None:
        self.newer = newer  # the child block: its state may itself become an OlderState later
        self.undo = undo

    def _get(self, key: bytes) -> object:
        view: Mapping = self
        while isinstance(view, OlderState):
            if key in view.undo:
                return view.undo[key]
            view = view.newer.state
        return view.get(key, _ABSENT)

    def __getitem__(self, key: bytes) -> bytes:
        value = self._get(key)
        if value is _ABSENT:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return self._get(key) is not _ABSENT

    def materialize(self) -> dict[bytes, bytes]:
        """The whole state as a plain dict: the nearest full state, with every undo on the way applied."""
        path: list[OlderState] = []
        view: Mapping = self
        while isinstance(view, OlderState):
            path.append(view)
            view = view.newer.state
        out = dict(view)
        for older in reversed(path):
            for key, value in older.undo.items():
                if value is _ABSENT:
                    out.pop(key, None)
                else:
                    out[key] = value
        return out

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.materialize())

    def __len__(self) -> int:
        return len(self.materialize())


def hand_down(parent: HasState, child: HasState, changed: Mapping[bytes, object]) -> None:
    """Once `child` is built on `parent`, the parent's full state becomes an undo over the child's."""
    state = parent.state
    if not isinstance(state, dict):
        return  # already an undo (or discarded)
    parent.state = OlderState(child, {key: state.get(key, _ABSENT) for key in changed})


def as_full(block: HasState) -> None:
    """A block that becomes the head again (revert, set head) gets its state back as one dict: blocks are built
    on the head, and reads there are the hot path."""
    if isinstance(block.state, OlderState):
        block.state = block.state.materialize()
