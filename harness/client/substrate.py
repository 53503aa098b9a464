"""substrate-interface with what it would read or build again kept instead:

- per connection, what a block hash names: a block's header and the runtime version at that block never change
  (the hash is the header's, and the header holds the state root). substrate-interface asks for both before every
  storage read at a block other than the last one it read at; a run alternates between a few blocks all the time.
- per runtime, the decoder class scalecodec builds for a type string (`Vec<u8>`, `(u32, u64)`, `[u8; 32]`): it
  builds a new class for every value it decodes, which is most of the time a metadata decode takes.
- per process, decoded metadata by its bytes' hash: decoding takes 0.15-0.5 s a devnet chain (more for a real
  runtime's), and every client of a chain (a network started again, a client opened again after an upgrade or
  a revert) reads the same bytes.
"""
from __future__ import annotations

import copy
import gc
import hashlib
from collections import OrderedDict
from contextlib import contextmanager
from typing import Iterator

from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
from substrateinterface import SubstrateInterface
from substrateinterface.exceptions import SubstrateRequestException

BY_HASH = ("chain_getHeader", "state_getRuntimeVersion")  # with a block hash, the answer is that block's for good
GENESIS = ("chain_getBlockHash", 0)  # asked for every signature; no revert goes below it
KEPT_BLOCKS = 1024
KEPT_METADATA = 16  # distinct runtimes a process meets: six chains, and what upgrades give them
_DECODED_METADATA: OrderedDict[bytes, object] = OrderedDict()  # blake2b of the metadata bytes -> decoded


@contextmanager
def _no_collection() -> Iterator[None]:
    """Decoding creates some 50,000 objects that all stay alive; each allocation burst would otherwise set off a
    garbage collection that walks every object the process holds (earlier chains' metadata too), which made the
    sixth chain's decode take twice as long as the first one's."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def decoded_metadata(raw_hex: str, runtime_config: RuntimeConfigurationObject):
    """The decoded form of the metadata `raw_hex`, decoded once per process. Decoded metadata is not changed by
    its users, and how it decodes depends only on its bytes (MetadataVersioned is a base type)."""
    digest = hashlib.blake2b(raw_hex.encode(), digest_size=32).digest()
    found = _DECODED_METADATA.get(digest)
    if found is None:
        found = runtime_config.create_scale_object("MetadataVersioned", data=ScaleBytes(raw_hex))
        with _no_collection():
            found.decode()
        _DECODED_METADATA[digest] = found
        if len(_DECODED_METADATA) > KEPT_METADATA:
            _DECODED_METADATA.popitem(last=False)
    else:
        _DECODED_METADATA.move_to_end(digest)
    return found


class TypeClasses(RuntimeConfigurationObject):
    """A runtime configuration that builds each type string's decoder class once, until its registry changes."""

    def __init__(self) -> None:
        self._classes: dict[str, type] = {}
        self._changes = 0  # changes of the registry under way (one calls another): meanwhile every lookup is fresh
        self._changing(super().__init__)

    def get_decoder_class(self, type_string):
        if self._changes or not isinstance(type_string, str):  # not hashable: an inline struct, rare
            return super().get_decoder_class(type_string)
        found = self._classes.get(type_string)
        if found is None:
            found = super().get_decoder_class(type_string)
            if found is None:
                return None
            self._classes[type_string] = found
        # registry classes are shared by every configuration in the process: as scalecodec does on each lookup,
        # point the class at this one before it decodes
        found.runtime_config = self
        return found

    def _changing(self, change, *args):
        """Runs a change of the registry, and drops the classes built from the registry before it."""
        self._changes += 1
        try:
            return change(*args)
        finally:
            self._changes -= 1
            self._classes.clear()

    def clear_type_registry(self):
        return self._changing(super().clear_type_registry)

    def update_type_registry_types(self, types_dict):
        return self._changing(super().update_type_registry_types, types_dict)

    def update_type_registry(self, type_registry):
        return self._changing(super().update_type_registry, type_registry)

    def set_active_spec_version_id(self, spec_version_id):
        return self._changing(super().set_active_spec_version_id, spec_version_id)

    def add_portable_registry(self, metadata, prefix=None):
        return self._changing(super().add_portable_registry, metadata, prefix)


class Substrate(SubstrateInterface):
    def __init__(self, url: str, timeout: float) -> None:
        # ws timeout: substrate-interface's own waits can never hang; the replies are JSON that the server
        # wrote, so websocket-client's pure-Python UTF-8 check of every frame is time spent for nothing
        self._kept: OrderedDict[tuple, dict] = OrderedDict()
        self._pinned = False
        super().__init__(url=url, ws_options={"timeout": timeout, "skip_utf8_validation": True},
                         runtime_config=TypeClasses())

    @contextmanager
    def pinned(self, block_hash: str) -> Iterator[None]:
        """Inside, the runtime is the one of `block_hash` (the head): composing, signing and the nonce each ask
        substrate-interface for the head's runtime, three round trips to learn the same thing."""
        self.init_runtime(block_hash=block_hash)
        outer, self._pinned = self._pinned, True
        try:
            yield
        finally:
            self._pinned = outer

    def init_runtime(self, block_hash=None, block_id=None):
        if self._pinned and block_hash is None and block_id is None:
            return None
        return super().init_runtime(block_hash=block_hash, block_id=block_id)

    def get_block_metadata(self, block_hash=None, decode=True):
        if not decode:
            return super().get_block_metadata(block_hash, decode)
        reply = self.rpc_request("state_getMetadata", [block_hash] if block_hash else None)
        if "error" in reply:
            raise SubstrateRequestException(reply["error"]["message"])
        return decoded_metadata(reply["result"], self.runtime_config) if reply.get("result") else reply

    def rpc_request(self, method, params, result_handler=None):
        key = (method, params[0]) if params and not result_handler else None
        if key is None or not (method in BY_HASH and isinstance(key[1], str) or key == GENESIS):
            return super().rpc_request(method, params, result_handler)
        if key in self._kept:
            self._kept.move_to_end(key)
            return copy.deepcopy(self._kept[key])  # substrate-interface decodes some replies in place
        reply = super().rpc_request(method, params)
        if reply.get("result") is not None:
            self._kept[key] = copy.deepcopy(reply)
            if len(self._kept) > KEPT_BLOCKS:
                self._kept.popitem(last=False)
        return reply
