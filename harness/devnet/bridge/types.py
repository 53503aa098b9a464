"""The bridge types, with the paths and shapes the Bridge Hubs' metadata carries.

Sources (S = paritytech/polkadot-sdk bridges/): primitives/messages/src/{lib,lane,source_chain,
target_chain}.rs (lane data, LaneState, LegacyLaneId, MessageKey, proofs, UnrewardedRelayersState,
ReceivedMessages, ReceptionResult, VerificationError), primitives/runtime/src/{lib,messages,
storage_proof}.rs (BasicOperatingMode, OwnedBridgeModuleError, MessageDispatchResult,
StorageProofError, HeaderId), primitives/header-chain/src/{lib,justification}.rs,
primitives/parachains/src/lib.rs, primitives/relayers/src/{lib,registration}.rs,
primitives/xcm-bridge-hub/src/lib.rs, modules/messages/src/{lanes_manager,outbound_lane,
inbound_lane}.rs, modules/xcm-bridge-hub/src/dispatcher.rs, finality-grandpa's Commit types.
Registry declarations are structural, so every pallet may call declare_bridge_types: one set of ids.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..scale import TypeRegistry
from ..types.xcm import declare_xcm


@dataclass(frozen=True)
class BridgeTypes:
    lane_id: int                 # bp_messages::lane::LegacyLaneId
    nonce: int                   # u64 MessageNonce
    lane_state: int
    outbound_lane_data: int
    inbound_lane_data: int
    stored_inbound_lane_data: int
    delivered_messages: int
    unrewarded_relayer: int
    message_key: int
    stored_payload: int          # BoundedVec<u8, MaxOutboundPayloadSize>
    basic_operating_mode: int
    messages_operating_mode: int
    owned_bridge_module_error: int
    unrewarded_relayers_state: int
    messages_proof: int
    delivery_proof: int
    received_messages: int
    dispatch_result: int         # XcmBlobMessageDispatchResult
    lanes_manager_error: int
    verification_error: int
    reception_confirmation_error: int
    header_chain_error: int
    header_id: int               # HeaderId<H256, u32>
    stored_header_data: int
    justification: int
    authority_id: int            # sp_consensus_grandpa::app::Public
    authority_set: int
    stored_authority_set: int
    init_data: int
    grandpa_info: int
    para_id: int
    para_heads_proof: int
    para_info: int
    para_stored_header_data: int
    rewards_owner: int
    rewards_params: int
    registration: int
    bridge_id: int
    bridge_state: int
    bridge: int
    bridge_locations_error: int
    router_bridge_state: int
    fixed_u128: int


def declare_bridge_types(reg: TypeRegistry, t, call_enum: int) -> BridgeTypes:
    """t: the runtime's Primitives; call_enum: its RuntimeCall (for the XCM graph)."""
    xcm = declare_xcm(reg, call_enum)
    u8, u32, u64, u128 = t.u8, t.u32, t.u64, t.u128
    h256, acc = t.h256, t.account_id
    unit_variant = lambda path, names, **kw: reg.variant(path, [(n, i, []) for i, n in enumerate(names)], **kw)  # noqa: E731

    lane_id = reg.composite("bp_messages::lane::LegacyLaneId", [(None, reg.array(u8, 4), "[u8; 4]")])
    lane_state = unit_variant("bp_messages::LaneState", ("Opened", "Closed"))
    outbound = reg.composite("bp_messages::OutboundLaneData", [
        ("oldest_unpruned_nonce", u64, "MessageNonce"), ("latest_received_nonce", u64, "MessageNonce"),
        ("latest_generated_nonce", u64, "MessageNonce"), ("state", lane_state, "LaneState")])
    delivered = reg.composite("bp_messages::DeliveredMessages", [
        ("begin", u64, "MessageNonce"), ("end", u64, "MessageNonce")])
    unrewarded = reg.composite("bp_messages::UnrewardedRelayer", [
        ("relayer", acc, "RelayerId"), ("messages", delivered, "DeliveredMessages")], params=[("RelayerId", acc)])
    inbound = reg.composite("bp_messages::InboundLaneData", [
        ("relayers", reg.seq(unrewarded), "VecDeque<UnrewardedRelayer<RelayerId>>"),
        ("last_confirmed_nonce", u64, "MessageNonce"), ("state", lane_state, "LaneState")],
        params=[("RelayerId", acc)])
    stored_inbound = reg.composite("pallet_bridge_messages::inbound_lane::StoredInboundLaneData", [
        (None, inbound, "InboundLaneData<AccountIdOf<BridgedChainOf<T, I>>>")], params=[("T", None), ("I", None)])
    message_key = reg.composite("bp_messages::MessageKey", [
        ("lane_id", lane_id, "LaneId"), ("nonce", u64, "MessageNonce")], params=[("LaneId", lane_id)])
    stored_payload = reg.composite("bounded_collections::bounded_vec::BoundedVec", [
        (None, reg.bytes(), "Vec<T>")], params=[("T", u8), ("S", None)])
    basic = unit_variant("bp_runtime::BasicOperatingMode", ("Normal", "Halted"))
    messages_mode = reg.variant("bp_messages::MessagesOperatingMode", [
        ("Basic", 0, [(None, basic, "BasicOperatingMode")]), ("RejectingOutboundMessages", 1, [])])
    owned_error = unit_variant("bp_runtime::OwnedBridgeModuleError", ("Halted",))
    relayers_state = reg.composite("bp_messages::UnrewardedRelayersState", [
        ("unrewarded_relayer_entries", u64, "MessageNonce"), ("messages_in_oldest_entry", u64, "MessageNonce"),
        ("total_messages", u64, "MessageNonce"), ("last_delivered_nonce", u64, "MessageNonce")])
    raw_proof = reg.seq(reg.bytes())
    messages_proof = reg.composite("bp_messages::target_chain::FromBridgedChainMessagesProof", [
        ("bridged_header_hash", h256, "BridgedHeaderHash"), ("storage_proof", raw_proof, "RawStorageProof"),
        ("lane", lane_id, "Lane"), ("nonces_start", u64, "bp_messages::MessageNonce"),
        ("nonces_end", u64, "bp_messages::MessageNonce")], params=[("BridgedHeaderHash", h256), ("Lane", lane_id)])
    delivery_proof = reg.composite("bp_messages::source_chain::FromBridgedChainMessagesDeliveryProof", [
        ("bridged_header_hash", h256, "BridgedHeaderHash"), ("storage_proof", raw_proof, "RawStorageProof"),
        ("lane", lane_id, "LaneId")], params=[("BridgedHeaderHash", h256), ("LaneId", lane_id)])
    dispatch_result = unit_variant("pallet_xcm_bridge_hub::dispatcher::XcmBlobMessageDispatchResult",
                                   ("InvalidPayload", "Dispatched", "NotDispatched"))
    message_dispatch_result = reg.composite("bp_runtime::messages::MessageDispatchResult", [
        ("unspent_weight", t.weight, "Weight"), ("dispatch_level_result", dispatch_result, "DispatchLevelResult")],
        params=[("DispatchLevelResult", dispatch_result)])
    reception = reg.variant("bp_messages::ReceptionResult", [
        ("Dispatched", 0, [(None, message_dispatch_result, "MessageDispatchResult<DispatchLevelResult>")]),
        ("InvalidNonce", 1, []), ("TooManyUnrewardedRelayers", 2, []), ("TooManyUnconfirmedMessages", 3, [])],
        params=[("DispatchLevelResult", dispatch_result)])
    received = reg.composite("bp_messages::ReceivedMessages", [
        ("lane", lane_id, "LaneId"),
        ("receive_results", reg.seq(reg.tuple(u64, reception)), "Vec<(MessageNonce, ReceptionResult<DispatchLevelResult>)>")],
        params=[("DispatchLevelResult", dispatch_result), ("LaneId", lane_id)])
    lanes_error = unit_variant("pallet_bridge_messages::lanes_manager::LanesManagerError", (
        "InboundLaneAlreadyExists", "OutboundLaneAlreadyExists", "UnknownInboundLane", "UnknownOutboundLane",
        "ClosedInboundLane", "ClosedOutboundLane", "LaneDispatcherInactive"))
    proof_error = unit_variant("bp_runtime::storage_proof::StorageProofError", (
        "UnableToGenerateTrieProof", "InvalidProof", "UnsortedEntries", "UnavailableKey", "EmptyVal",
        "DecodeError", "UnusedKey", "StorageRootMismatch", "StorageValueUnavailable", "DuplicateNodes"))
    header_error = reg.variant("bp_header_chain::HeaderChainError", [
        ("UnknownHeader", 0, []), ("StorageProof", 1, [(None, proof_error, "StorageProofError")])])
    verification = reg.variant("bp_messages::VerificationError", [
        ("EmptyMessageProof", 0, []), ("HeaderChain", 1, [(None, header_error, "HeaderChainError")]),
        ("InboundLaneStorage", 2, [(None, proof_error, "StorageProofError")]), ("InvalidMessageWeight", 3, []),
        ("MessagesCountMismatch", 4, []), ("MessageStorage", 5, [(None, proof_error, "StorageProofError")]),
        ("MessageTooLarge", 6, []), ("OutboundLaneStorage", 7, [(None, proof_error, "StorageProofError")]),
        ("StorageProof", 8, [(None, proof_error, "StorageProofError")]), ("Other", 9, [])])
    confirmation_error = unit_variant("pallet_bridge_messages::outbound_lane::ReceptionConfirmationError", (
        "FailedToConfirmFutureMessages", "EmptyUnrewardedRelayerEntry", "NonConsecutiveUnrewardedRelayerEntries",
        "TryingToConfirmMoreMessagesThanExpected"))

    # GRANDPA finality (bp_header_chain, finality_grandpa)
    header_id = reg.composite("bp_runtime::HeaderId", [(None, u32, "Number"), (None, h256, "Hash")],
                              params=[("Hash", h256), ("Number", u32)])
    stored_header = reg.composite("bp_header_chain::StoredHeaderData", [
        ("number", u32, "Number"), ("state_root", h256, "Hash")], params=[("Number", u32), ("Hash", h256)])
    ed_public = reg.composite("sp_consensus_grandpa::app::Public", [
        (None, reg.composite("sp_core::ed25519::Public", [(None, reg.array(u8, 32), "[u8; 32]")]), "ed25519::Public")])
    ed_signature = reg.composite("sp_consensus_grandpa::app::Signature", [
        (None, reg.composite("sp_core::ed25519::Signature", [(None, reg.array(u8, 64), "[u8; 64]")]),
         "ed25519::Signature")])
    precommit = reg.composite("finality_grandpa::Precommit", [
        ("target_hash", h256, "H"), ("target_number", u32, "N")], params=[("H", h256), ("N", u32)])
    signed_precommit = reg.composite("finality_grandpa::SignedPrecommit", [
        ("precommit", precommit, "Precommit<H, N>"), ("signature", ed_signature, "S"), ("id", ed_public, "Id")],
        params=[("H", h256), ("N", u32), ("S", ed_signature), ("Id", ed_public)])
    commit = reg.composite("finality_grandpa::Commit", [
        ("target_hash", h256, "H"), ("target_number", u32, "N"),
        ("precommits", reg.seq(signed_precommit), "Vec<SignedPrecommit<H, N, S, Id>>")],
        params=[("H", h256), ("N", u32), ("S", ed_signature), ("Id", ed_public)])
    justification = reg.composite("bp_header_chain::justification::GrandpaJustification", [
        ("round", u64, "u64"), ("commit", commit, "finality_grandpa::Commit<Header::Hash, Header::Number, AuthoritySignature, AuthorityId>"),
        ("votes_ancestries", reg.seq(t.header), "Vec<Header>")], params=[("Header", t.header)])
    authority_list = reg.seq(reg.tuple(ed_public, u64))
    authority_set = reg.composite("bp_header_chain::AuthoritySet", [
        ("authorities", authority_list, "AuthorityList"), ("set_id", u64, "SetId")])
    stored_authority_set = reg.composite("pallet_bridge_grandpa::storage_types::StoredAuthoritySet", [
        ("authorities", reg.composite("bounded_collections::bounded_vec::BoundedVec", [
            (None, authority_list, "Vec<T>")], params=[("T", reg.tuple(ed_public, u64)), ("S", None)]),
         "StoredAuthorityList<<T as Config<I>>::BridgedChain>"), ("set_id", u64, "SetId")],
        params=[("T", None), ("I", None)])
    init_data = reg.composite("bp_header_chain::InitializationData", [
        ("header", t.header, "Box<H>"), ("authority_list", authority_list, "AuthorityList"),
        ("set_id", u64, "SetId"), ("operating_mode", basic, "BasicOperatingMode")], params=[("H", t.header)])
    grandpa_info = reg.composite("bp_header_chain::StoredHeaderGrandpaInfo", [
        ("finality_proof", justification, "GrandpaJustification<Header>"),
        ("new_verification_context", reg.option(authority_set), "Option<AuthoritySet>")], params=[("Header", t.header)])

    # parachains finality (bp_parachains, bp_polkadot_core::parachains)
    para_id = reg.composite("bp_polkadot_core::parachains::ParaId", [(None, u32, "u32")])
    para_heads_proof = reg.composite("bp_polkadot_core::parachains::ParaHeadsProof", [
        ("storage_proof", raw_proof, "RawStorageProof")])
    best_para_head = reg.composite("bp_parachains::BestParaHeadHash", [
        ("at_relay_block_number", u32, "RelayBlockNumber"), ("head_hash", h256, "ParaHash")])
    para_info = reg.composite("bp_parachains::ParaInfo", [
        ("best_head_hash", best_para_head, "BestParaHeadHash"), ("next_imported_hash_position", u32, "u32")])
    para_stored = reg.composite("bp_parachains::ParaStoredHeaderData", [(None, reg.bytes(), "Vec<u8>")])

    # relayers (bp_relayers)
    owner = unit_variant("bp_relayers::RewardsAccountOwner", ("ThisChain", "BridgedChain"))
    rewards_params = reg.composite("bp_relayers::RewardsAccountParams", [
        ("owner", owner, "RewardsAccountOwner"), ("bridged_chain_id", reg.array(u8, 4), "ChainId"),
        ("lane_id", lane_id, "LaneId")], params=[("LaneId", lane_id)])
    registration = reg.composite("bp_relayers::registration::Registration", [
        ("valid_till", u32, "BlockNumber"), ("stake", u128, "Balance")], params=[("BlockNumber", u32), ("Balance", u128)])

    # xcm-bridge-hub (bp_xcm_bridge_hub)
    bridge_id = reg.composite("bp_xcm_bridge_hub::BridgeId", [(None, h256, "H256")])
    bridge_state = unit_variant("bp_xcm_bridge_hub::BridgeState", ("Opened", "Suspended", "Closed"))
    versioned_interior = reg.variant("xcm::VersionedInteriorLocation", [
        ("V3", 3, [(None, xcm.v3.junctions, "v3::InteriorMultiLocation")]),
        ("V4", 4, [(None, xcm.v4.junctions, "v4::InteriorLocation")]),
        ("V5", 5, [(None, xcm.v5.junctions, "v5::InteriorLocation")])], name="VersionedInteriorLocation")
    bridge = reg.composite("bp_xcm_bridge_hub::Bridge", [
        ("bridge_origin_relative_location", xcm.versioned_location, "Box<VersionedLocation>"),
        ("bridge_origin_universal_location", versioned_interior, "Box<VersionedInteriorLocation>"),
        ("bridge_destination_universal_location", versioned_interior, "Box<VersionedInteriorLocation>"),
        ("state", bridge_state, "BridgeState"), ("bridge_owner_account", acc, "ThisChainAccountId"),
        ("deposit", u128, "Balance"), ("lane_id", lane_id, "LaneId")],
        params=[("ThisChain", None), ("LaneId", lane_id)])
    locations_error = unit_variant("bp_xcm_bridge_hub::BridgeLocationsError", (
        "NonUniversalLocation", "InvalidBridgeOrigin", "InvalidBridgeDestination", "DestinationIsLocal",
        "UnreachableDestination", "UnsupportedDestinationLocation", "UnsupportedXcmVersion", "UnsupportedLaneIdType"))

    fixed = reg.composite("sp_arithmetic::fixed_point::FixedU128", [(None, u128, "u128")])
    router_state = reg.composite("bp_xcm_bridge_hub_router::BridgeState", [
        ("delivery_fee_factor", fixed, "FixedU128"), ("is_congested", t.bool, "bool")])
    return BridgeTypes(
        lane_id=lane_id, nonce=u64, lane_state=lane_state, outbound_lane_data=outbound, inbound_lane_data=inbound,
        stored_inbound_lane_data=stored_inbound, delivered_messages=delivered, unrewarded_relayer=unrewarded,
        message_key=message_key, stored_payload=stored_payload, basic_operating_mode=basic,
        messages_operating_mode=messages_mode, owned_bridge_module_error=owned_error,
        unrewarded_relayers_state=relayers_state, messages_proof=messages_proof, delivery_proof=delivery_proof,
        received_messages=received, dispatch_result=dispatch_result, lanes_manager_error=lanes_error,
        verification_error=verification, reception_confirmation_error=confirmation_error,
        header_chain_error=header_error, header_id=header_id, stored_header_data=stored_header,
        justification=justification, authority_id=ed_public, authority_set=authority_set, stored_authority_set=stored_authority_set,
        init_data=init_data, grandpa_info=grandpa_info, para_id=para_id, para_heads_proof=para_heads_proof,
        para_info=para_info, para_stored_header_data=para_stored, rewards_owner=owner,
        rewards_params=rewards_params, registration=registration, bridge_id=bridge_id, bridge_state=bridge_state,
        bridge=bridge, bridge_locations_error=locations_error, router_bridge_state=router_state, fixed_u128=fixed)
