"""The bridged chain's finality on a Bridge Hub: pallet_bridge_grandpa and pallet_bridge_parachains.

S bridges/modules/grandpa/src/lib.rs (calls 0-5, storage in declaration order, the
UpdatedBestFinalizedHeader event, errors), bridges/modules/parachains/src/lib.rs (calls 0-3,
ParasInfo / ImportedParaHeads / ImportedParaHashes, the six events, errors),
bp_parachains::SingleParaStoredHeaderDataBuilder (only the bridged Bridge Hub is tracked; its
head is stored as StoredHeaderData{number, state_root}), F bridge_to_*_config.rs (HeadersToKeep,
HeadsToKeep, MaxParaHeadDataSize, MaxFreeHeadersPerBlock 4, FreeHeadersInterval 5).

What is emulated: the devnet relays run no GRANDPA voters, so a justification carries no
precommits and is checked for what can be checked - its commit targets the submitted header's
real hash and number, and the set id is the imported one. Parachain heads are proved by the
relay's Paras.Heads entry (proofs.py form), read at a relay block this pallet imported.
"""
from __future__ import annotations

from ..hashing import blake2_256, storage_prefix, twox64
from ..runtime.frame import Ctx, Origin
from ..scale import ScaleError
from ..paras import BRIDGE_HUB_ID
from .constants import HEADERS_TO_KEEP, MAX_PARA_HEAD_DATA_SIZE, PARA_HEADS_TO_KEEP, BridgeSide
from .owned import OwnedBridgePallet
from .proofs import ProofError, read_proof
from .types import declare_bridge_types

MAX_FREE_HEADERS_PER_BLOCK = 4
FREE_HEADERS_INTERVAL = 5


def header_hash(pallet, header: dict) -> bytes:
    return blake2_256(pallet.reg.encode(pallet.t.header, header))


class BridgeGrandpa(OwnedBridgePallet):
    SIDE: BridgeSide

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.bt = bt = declare_bridge_types(r, t, self.runtime.call_enum)
        self.free_headers = self.item("FreeHeadersRemaining", t.u32, optional=True)
        self.initial_hash = self.item("InitialHash", t.h256, default=bytes(32))
        self.best = self.item("BestFinalized", bt.header_id, optional=True)
        self.hashes = self.item("ImportedHashes", t.h256, (t.u32,), ("Identity",), optional=True)
        self.pointer = self.item("ImportedHashesPointer", t.u32, default=0)
        self.headers = self.item("ImportedHeaders", bt.stored_header_data, (t.h256,), ("Identity",), optional=True)
        self.authorities = self.item("CurrentAuthoritySet", bt.stored_authority_set,
                                     default={"authorities": [], "set_id": 0})
        self.owner = self.item("PalletOwner", t.account_id, optional=True)
        self.operating_mode = self.item("PalletOperatingMode", bt.basic_operating_mode, default="Normal")
        params = [("T", None), ("I", None)]
        header = (t.header, "Box<BridgedHeader<T, I>>")
        justification = (bt.justification, "GrandpaJustification<BridgedHeader<T, I>>")
        self.calls = r.variant("pallet_bridge_grandpa::pallet::Call", [
            ("submit_finality_proof", 0, [("finality_target", *header), ("justification", *justification)]),
            ("initialize", 1, [("init_data", bt.init_data, "super::InitializationData<BridgedHeader<T, I>>")]),
            ("set_owner", 2, [("new_owner", r.option(t.account_id), "Option<T::AccountId>")]),
            ("set_operating_mode", 3, [("operating_mode", bt.basic_operating_mode, "BasicOperatingMode")]),
            ("submit_finality_proof_ex", 4, [("finality_target", *header), ("justification", *justification),
                                             ("current_set_id", t.u64, "sp_consensus_grandpa::SetId"),
                                             ("is_free_execution_expected", t.bool, "bool")]),
            ("force_set_pallet_state", 5, [("new_current_set_id", t.u64, "SetId"),
                                           ("new_authorities", r.seq(r.tuple(bt.authority_id, t.u64)), "AuthorityList"),
                                           ("new_best_header", *header)]),
        ], params=params)
        self.events = r.variant("pallet_bridge_grandpa::pallet::Event", [
            ("UpdatedBestFinalizedHeader", 0, [("number", t.u32, "BridgedBlockNumber<T, I>"),
                                               ("hash", t.h256, "BridgedBlockHash<T, I>"),
                                               ("grandpa_info", bt.grandpa_info, "StoredHeaderGrandpaInfo<BridgedHeader<T, I>>")]),
        ], params=params)
        self.errors = r.variant("pallet_bridge_grandpa::pallet::Error", [
            (n, i, [(None, bt.owned_bridge_module_error, "bp_runtime::OwnedBridgeModuleError")] if n == "BridgeModule" else [])
            for i, n in enumerate(("InvalidJustification", "InvalidAuthoritySet", "OldHeader",
                                   "UnsupportedScheduledChange", "NotInitialized", "AlreadyInitialized",
                                   "TooManyAuthoritiesInSet", "BridgeModule", "InvalidAuthoritySetId",
                                   "FreeHeadersLimitExceded", "BelowFreeHeaderInterval", "HeaderOverflowLimits"))
        ], params=params)
        self.constant("MaxFreeHeadersPerBlock", t.u32, MAX_FREE_HEADERS_PER_BLOCK)
        self.constant("FreeHeadersInterval", r.option(t.u32), FREE_HEADERS_INTERVAL)   # Get<Option<u32>>
        self.constant("HeadersToKeep", t.u32, HEADERS_TO_KEEP)

    def header(self, state, block_hash: bytes) -> dict | None:
        return self.headers.get(state, block_hash)

    def best_finalized(self, state) -> tuple[int, bytes] | None:
        best = self.best.get(state)
        return None if best is None else (best[0], bytes(best[1]))

    def call_initialize(self, ctx: Ctx, origin: Origin, init_data: dict) -> None:
        self.ensure_owner_or_root(ctx, origin)
        if self.best.exists(ctx.state):
            raise self.error("AlreadyInitialized")
        self.authorities.put(ctx.state, {"authorities": init_data["authority_list"], "set_id": init_data["set_id"]})
        self.initial_hash.put(ctx.state, self._import(ctx, init_data["header"]))
        self.operating_mode.put(ctx.state, init_data["operating_mode"])

    def call_force_set_pallet_state(self, ctx: Ctx, origin: Origin, new_current_set_id: int, new_authorities: list,
                                    new_best_header: dict) -> None:
        """Root or the owner resets the authority set and the best header, almost unchecked."""
        self.ensure_owner_or_root(ctx, origin)
        self.authorities.put(ctx.state, {"authorities": new_authorities, "set_id": new_current_set_id})
        self._import(ctx, new_best_header)

    def call_submit_finality_proof(self, ctx: Ctx, origin: Origin, finality_target: dict, justification: dict) -> None:
        self._submit(ctx, origin, finality_target, justification, None)

    def call_submit_finality_proof_ex(self, ctx: Ctx, origin: Origin, finality_target: dict, justification: dict,
                                      current_set_id: int, is_free_execution_expected: bool) -> None:
        self._submit(ctx, origin, finality_target, justification, current_set_id)

    def _submit(self, ctx: Ctx, origin: Origin, target: dict, justification: dict, set_id: int | None) -> None:
        self.ensure_not_halted(ctx)
        origin.ensure_signed()
        best = self.best_finalized(ctx.state)
        if best is None:
            raise self.error("NotInitialized")
        if target["number"] <= best[0]:
            raise self.error("OldHeader")
        authority_set = self.authorities.get(ctx.state)
        if set_id is not None and set_id != authority_set["set_id"]:
            raise self.error("InvalidAuthoritySetId")
        commit = justification["commit"]
        if bytes(commit["target_hash"]) != header_hash(self, target) or commit["target_number"] != target["number"]:
            raise self.error("InvalidJustification")
        block_hash = self._import(ctx, target)
        self.emit(ctx, "UpdatedBestFinalizedHeader", {
            "number": target["number"], "hash": block_hash,
            "grandpa_info": {"finality_proof": justification, "new_verification_context": None}})

    def _import(self, ctx: Ctx, header: dict) -> bytes:
        """insert_header: the ring of HeadersToKeep hashes, the oldest header pruned."""
        block_hash = header_hash(self, header)
        pointer = self.pointer.get(ctx.state)
        evicted = self.hashes.get(ctx.state, pointer)
        if evicted is not None:
            self.headers.remove(ctx.state, bytes(evicted))
        self.hashes.put(ctx.state, pointer, block_hash)
        self.pointer.put(ctx.state, (pointer + 1) % HEADERS_TO_KEEP)
        self.headers.put(ctx.state, block_hash, {"number": header["number"], "state_root": header["state_root"]})
        self.best.put(ctx.state, [header["number"], block_hash])
        return block_hash

    def genesis(self, ctx: Ctx, config: dict) -> None:
        """GenesisConfig { owner, init_data: None }, read from config[<pallet name>]."""
        owner = config.get(self.NAME, {}).get("owner")
        if owner is not None:
            self.owner.put(ctx.state, owner)


class BridgeParachains(OwnedBridgePallet):
    SIDE: BridgeSide

    def declare(self) -> None:
        r, t = self.reg, self.t
        self.bt = bt = declare_bridge_types(r, t, self.runtime.call_enum)
        self.owner = self.item("PalletOwner", t.account_id, optional=True)
        self.operating_mode = self.item("PalletOperatingMode", bt.basic_operating_mode, default="Normal")
        self.paras_info = self.item("ParasInfo", bt.para_info, (bt.para_id,), ("Blake2_128Concat",), optional=True)
        self.heads = self.item("ImportedParaHeads", bt.para_stored_header_data, (bt.para_id, t.h256),
                               ("Blake2_128Concat", "Blake2_128Concat"), optional=True)
        self.hashes = self.item("ImportedParaHashes", t.h256, (bt.para_id, t.u32), ("Blake2_128Concat", "Twox64Concat"),
                                optional=True)
        params = [("T", None), ("I", None)]
        paras = (r.seq(r.tuple(bt.para_id, t.h256)), "Vec<(ParaId, ParaHash)>")
        at = (r.tuple(t.u32, t.h256), "(BlockNumber, RelayBlockHash)")
        proof = (bt.para_heads_proof, "ParaHeadsProof")
        self.calls = r.variant("pallet_bridge_parachains::pallet::Call", [
            ("submit_parachain_heads", 0, [("at_relay_block", *at), ("parachains", *paras),
                                           ("parachain_heads_proof", *proof)]),
            ("set_owner", 1, [("new_owner", r.option(t.account_id), "Option<T::AccountId>")]),
            ("set_operating_mode", 2, [("operating_mode", bt.basic_operating_mode, "BasicOperatingMode")]),
            ("submit_parachain_heads_ex", 3, [("at_relay_block", *at), ("parachains", *paras),
                                              ("parachain_heads_proof", *proof),
                                              ("is_free_execution_expected", t.bool, "bool")]),
        ], params=params)
        para, head = ("parachain", bt.para_id, "ParaId"), ("parachain_head_hash", t.h256, "ParaHash")
        self.events = r.variant("pallet_bridge_parachains::pallet::Event", [
            ("UntrackedParachainRejected", 0, [para]), ("MissingParachainHead", 1, [para]),
            ("IncorrectParachainHeadHash", 2, [para, head, ("actual_parachain_head_hash", t.h256, "ParaHash")]),
            ("RejectedObsoleteParachainHead", 3, [para, head]),
            ("RejectedLargeParachainHead", 4, [para, head, ("parachain_head_size", t.u32, "u32")]),
            ("UpdatedParachainHead", 5, [para, head]),
        ], params=params)
        self.errors = r.variant("pallet_bridge_parachains::pallet::Error", [
            ("UnknownRelayChainBlock", 0, []), ("InvalidRelayChainBlockNumber", 1, []),
            ("HeaderChainStorageProof", 2, [(None, bt.header_chain_error, "HeaderChainError")]),
            ("BridgeModule", 3, [(None, bt.owned_bridge_module_error, "bp_runtime::OwnedBridgeModuleError")]),
        ], params=params)
        self.constant("ParasPalletName", t.str, "Paras")
        self.constant("HeadsToKeep", t.u32, PARA_HEADS_TO_KEEP)
        self.constant("MaxParaHeadDataSize", t.u32, MAX_PARA_HEAD_DATA_SIZE)

    def para_head(self, state, para_id: int, head_hash: bytes) -> dict | None:
        """ParachainHeaders::finalized_header_state_root's source: the stored {number, state_root}."""
        raw = self.heads.get(state, para_id, head_hash)
        return None if raw is None else self.reg.decode(self.bt.stored_header_data, raw)

    def call_submit_parachain_heads(self, ctx: Ctx, origin: Origin, at_relay_block, parachains, parachain_heads_proof) -> None:
        self._submit(ctx, origin, at_relay_block, parachains, parachain_heads_proof)

    def call_submit_parachain_heads_ex(self, ctx: Ctx, origin: Origin, at_relay_block, parachains,
                                       parachain_heads_proof, is_free_execution_expected: bool) -> None:
        self._submit(ctx, origin, at_relay_block, parachains, parachain_heads_proof)

    def _submit(self, ctx: Ctx, origin: Origin, at_relay_block, parachains, proof: dict) -> None:
        self.ensure_not_halted(ctx)
        origin.ensure_signed()
        relay_number, relay_hash = at_relay_block[0], bytes(at_relay_block[1])
        relay_header = self.runtime.by_name[self.SIDE.grandpa].header(ctx.state, relay_hash)
        if relay_header is None:
            raise self.error("UnknownRelayChainBlock")
        if relay_header["number"] != relay_number:
            raise self.error("InvalidRelayChainBlockNumber")
        try:
            pairs = read_proof(proof["storage_proof"])
        except ProofError:
            raise self.nested_error("HeaderChainStorageProof", 1) from None   # HeaderChainError::StorageProof
        for para_id, declared in parachains:
            declared = bytes(declared)
            event = self._import_head(ctx, relay_number, para_id, declared, pairs)
            self.emit(ctx, *event)

    def _import_head(self, ctx: Ctx, relay_number: int, para_id: int, declared: bytes, pairs: dict) -> tuple:
        para = {"parachain": para_id}
        if para_id != BRIDGE_HUB_ID:
            return "UntrackedParachainRejected", para
        raw = pairs.get(paras_heads_key(para_id))
        if raw is None:
            return "MissingParachainHead", para
        head = self.reg.decode(self.t.bytes, raw)                # HeadData(Vec<u8>)
        actual = blake2_256(head)
        if actual != declared:
            return "IncorrectParachainHeadHash", {**para, "parachain_head_hash": declared,
                                                  "actual_parachain_head_hash": actual}
        info = self.paras_info.get(ctx.state, para_id)
        if info is not None and info["best_head_hash"]["at_relay_block_number"] >= relay_number:
            return "RejectedObsoleteParachainHead", {**para, "parachain_head_hash": declared}
        try:
            header = self.reg.decode(self.t.header, head)
        except ScaleError:
            return "RejectedLargeParachainHead", {**para, "parachain_head_hash": declared, "parachain_head_size": len(head)}
        stored = self.reg.encode(self.bt.stored_header_data, {"number": header["number"], "state_root": header["state_root"]})
        if len(stored) > MAX_PARA_HEAD_DATA_SIZE:
            return "RejectedLargeParachainHead", {**para, "parachain_head_hash": declared, "parachain_head_size": len(stored)}
        position = info["next_imported_hash_position"] if info else 0
        evicted = self.hashes.get(ctx.state, para_id, position)
        if evicted is not None:
            self.heads.remove(ctx.state, para_id, bytes(evicted))
        self.hashes.put(ctx.state, para_id, position, declared)
        self.heads.put(ctx.state, para_id, declared, stored)
        self.paras_info.put(ctx.state, para_id, {
            "best_head_hash": {"at_relay_block_number": relay_number, "head_hash": declared},
            "next_imported_hash_position": (position + 1) % PARA_HEADS_TO_KEEP})
        return "UpdatedParachainHead", {**para, "parachain_head_hash": declared}


def paras_heads_key(para_id: int) -> bytes:
    """The relay's Paras.Heads(para_id) key (polkadot runtime/parachains paras: Twox64Concat ParaId)."""
    raw = para_id.to_bytes(4, "little")
    return storage_prefix("Paras", "Heads") + twox64(raw) + raw


def grandpa_pallet(side: BridgeSide) -> type[BridgeGrandpa]:
    return type(side.grandpa, (BridgeGrandpa,), {"NAME": side.grandpa, "SIDE": side})


def parachains_pallet(side: BridgeSide) -> type[BridgeParachains]:
    return type(side.parachains, (BridgeParachains,), {"NAME": side.parachains, "SIDE": side})
