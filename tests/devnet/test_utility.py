"""pallet-utility on the devnet: batch / batch_all / force_batch semantics, derivative accounts, origins,
and the post-dispatch weight (and so the fee) as upstream computes it.

Expected weights are built from the runtime's tables (runtimes/params.py, from each runtime's
weights/pallet_utility.rs and pallet_balances.rs), not from the pallet's own arithmetic.
"""
from __future__ import annotations

import pytest
from substrateinterface import Keypair

from harness.devnet.runtimes.params import CALL_WEIGHTS, UTILITY_WEIGHTS
from harness.devnet.runtime.frame import DispatchError, Origin, State
from harness.devnet.runtime.utility import derivative_account_id

from .test_chain_pipeline import ALICE, BOB, account, events, make, named, signed, transfer

KSM = 10 ** 12
CAROL = Keypair.create_from_uri("//Carol")
POOR = Keypair.create_from_uri("//DevnetUtilityPoor")
TRANSFER_WEIGHT = CALL_WEIGHTS["kusama"]["Balances"]["transfer_keep_alive"]
TOO_MUCH = 2 * 10 ** 15   # above the 1000 KSM endowment, below the issuance (else Arithmetic.Underflow)
# The live indices: construct_runtime! in polkadot-fellows/runtimes v2.3.2 (and the live V15 metadata)
LIVE_INDEX = {"kusama": 24, "polkadot": 26, "kusama-asset-hub": 40, "polkadot-asset-hub": 40,
              "kusama-bridge-hub": 40, "polkadot-bridge-hub": 40}


@pytest.fixture()
def chain():
    return make("kusama")


def utility(call: str, calls: list) -> dict:
    return {"Utility": {call: {"calls": calls}}}


def free(chain, who: Keypair) -> int:
    return account(chain, who)["data"]["free"]


def outcome(chain) -> tuple[str, dict]:
    """The extrinsic's System.ExtrinsicSuccess/Failed event and payload (the last record of the block)."""
    pallet, name, payload = named(events(chain))[-1]
    assert pallet == "System"
    return name, payload


def reported_ref_time(chain) -> int:
    _, payload = outcome(chain)
    return payload["dispatch_info"]["weight"]["ref_time"]


def extension_and_base(chain, call: dict) -> int:
    executive = chain.executive
    xt = executive.format.decode(signed(chain, ALICE, call))
    return executive.extension_weight(xt)[0] + executive.payment.FEES.base_extrinsic


@pytest.mark.parametrize("name", sorted(LIVE_INDEX))
def test_utility_sits_at_its_live_index(name):
    assert make(name).runtime.pallet("Utility").index == LIVE_INDEX[name]


def test_batch_all_runs_every_call_and_charges_what_they_used(chain):
    bob, carol = free(chain, BOB), free(chain, CAROL)
    call = utility("batch_all", [transfer(BOB, KSM), transfer(CAROL, 2 * KSM)])
    chain.submit(signed(chain, ALICE, call))
    assert (free(chain, BOB) - bob, free(chain, CAROL) - carol) == (KSM, 2 * KSM)
    trail = [(p, n) for p, n, _ in named(events(chain)) if p == "Utility" or n == "Transfer"]
    assert trail[:5] == [("Balances", "Transfer"), ("Utility", "ItemCompleted"), ("Balances", "Transfer"),
                         ("Utility", "ItemCompleted"), ("Utility", "BatchCompleted")]
    base, per_call = UTILITY_WEIGHTS["kusama"]["batch_all"]
    assert outcome(chain)[0] == "ExtrinsicSuccess"
    assert reported_ref_time(chain) == base + 2 * per_call + 2 * TRANSFER_WEIGHT[0] + extension_and_base(chain, call)


def test_batch_all_rolls_back_as_a_whole_and_charges_up_to_the_failure(chain):
    alice, bob = free(chain, ALICE), free(chain, BOB)
    call = utility("batch_all", [transfer(BOB, KSM), transfer(BOB, TOO_MUCH), transfer(BOB, KSM)])
    chain.submit(signed(chain, ALICE, call))
    name, payload = outcome(chain)
    assert name == "ExtrinsicFailed"
    assert payload["dispatch_error"] == {"Token": "FundsUnavailable"}
    assert free(chain, BOB) == bob                        # the first transfer did not stand
    fee = [p["actual_fee"] for pl, n, p in named(events(chain)) if n == "TransactionFeePaid"]
    assert free(chain, ALICE) == alice - fee[0]
    assert not [n for p, n, _ in named(events(chain)) if p == "Utility" or n == "Transfer"]
    # batch_all's post-dispatch weight: its own weight for 2 calls and the 2 transfers run
    base, per_call = UTILITY_WEIGHTS["kusama"]["batch_all"]
    assert payload["dispatch_info"]["weight"]["ref_time"] == (
        base + 2 * per_call + 2 * TRANSFER_WEIGHT[0] + extension_and_base(chain, call))


def test_batch_stops_at_the_first_failure_and_keeps_what_ran(chain):
    bob, carol = free(chain, BOB), free(chain, CAROL)
    call = utility("batch", [transfer(BOB, KSM), transfer(BOB, TOO_MUCH), transfer(CAROL, KSM)])
    chain.submit(signed(chain, ALICE, call))
    assert outcome(chain)[0] == "ExtrinsicSuccess"       # batch itself succeeds
    assert (free(chain, BOB) - bob, free(chain, CAROL) - carol) == (KSM, 0)
    utility_events = [(n, p) for pl, n, p in named(events(chain)) if pl == "Utility"]
    assert utility_events == [("ItemCompleted", None),
                              ("BatchInterrupted", {"index": 1, "error": {"Token": "FundsUnavailable"}})]
    base, per_call = UTILITY_WEIGHTS["kusama"]["batch"]
    assert reported_ref_time(chain) == base + 2 * per_call + 2 * TRANSFER_WEIGHT[0] + extension_and_base(chain, call)


def test_force_batch_goes_on_past_failures(chain):
    bob, carol = free(chain, BOB), free(chain, CAROL)
    call = utility("force_batch", [transfer(BOB, KSM), transfer(BOB, TOO_MUCH), transfer(CAROL, KSM)])
    chain.submit(signed(chain, ALICE, call))
    assert outcome(chain)[0] == "ExtrinsicSuccess"
    assert (free(chain, BOB) - bob, free(chain, CAROL) - carol) == (KSM, KSM)
    utility_events = [(n, p) for pl, n, p in named(events(chain)) if pl == "Utility"]
    assert utility_events == [("ItemCompleted", None), ("ItemFailed", {"error": {"Token": "FundsUnavailable"}}),
                              ("ItemCompleted", None), ("BatchCompletedWithErrors", None)]
    # upstream charges force_batch's actual weight with WeightInfo::batch(len)
    base, per_call = UTILITY_WEIGHTS["kusama"]["batch"]
    assert reported_ref_time(chain) == base + 3 * per_call + 3 * TRANSFER_WEIGHT[0] + extension_and_base(chain, call)


def test_signed_batch_all_inside_batch_all_is_filtered(chain):
    bob = free(chain, BOB)
    chain.submit(signed(chain, ALICE, utility("batch", [utility("batch_all", [transfer(BOB, KSM)])])))
    assert free(chain, BOB) == bob + KSM       # a batch_all inside a plain batch is allowed
    chain.submit(signed(chain, ALICE, utility("batch_all", [utility("batch_all", [transfer(BOB, KSM)])])))
    name, payload = outcome(chain)
    assert name == "ExtrinsicFailed" and free(chain, BOB) == bob + KSM
    # frame_system::Error::CallFiltered (index 5 of System's errors)
    assert payload["dispatch_error"] == {"Module": {"index": 0, "error": bytes([5, 0, 0, 0])}}


def test_derivative_account_matches_polkadot_js():
    # @polkadot/util-crypto createKeyDerived(//Alice, 0) and (.., 7), the same derivation
    alice = ALICE.public_key
    assert derivative_account_id(alice, 0).hex() == "799239e4ab0a3de63582363422f344346eb55bee62885a84a0c8aaf5aa564995"
    assert derivative_account_id(alice, 7).hex() == "63d33ee47719f264c03143b0f4d69ff1751b7e2da5697cbf6906c74d734dcd28"


def test_as_derivative_dispatches_from_the_derivative_account(chain):
    derived = derivative_account_id(ALICE.public_key, 3)
    chain.submit(signed(chain, ALICE, {"Balances": {"transfer_keep_alive": {"dest": {"Id": derived},
                                                                           "value": 5 * KSM}}}))
    bob = free(chain, BOB)
    call = {"Utility": {"as_derivative": {"index": 3, "call": transfer(BOB, KSM)}}}
    chain.submit(signed(chain, ALICE, call))
    assert outcome(chain)[0] == "ExtrinsicSuccess"
    moved = [p for pl, n, p in named(events(chain)) if n == "Transfer"]
    assert moved == [{"from": derived, "to": BOB.public_key, "amount": KSM}]
    assert free(chain, BOB) - bob == KSM


def test_dispatch_as_needs_root_and_dispatches_with_the_given_origin(chain):
    call = {"Utility": {"dispatch_as": {"as_origin": {"system": {"Signed": ALICE.public_key}},
                                        "call": transfer(BOB, KSM)}}}
    chain.submit(signed(chain, ALICE, call))
    name, payload = outcome(chain)
    assert (name, payload["dispatch_error"]) == ("ExtrinsicFailed", "BadOrigin")
    rt, state = chain.runtime, State(chain.head().state)
    ctx = rt.new_ctx(state, chain.head().number + 1)
    bob = rt.pallet("System").account.get(state, BOB.public_key)["data"]["free"]
    rt.dispatch(ctx, Origin("root"), call)
    assert rt.pallet("System").account.get(state, BOB.public_key)["data"]["free"] == bob + KSM


def test_batches_refuse_the_none_origin(chain):
    rt = chain.runtime
    ctx = rt.new_ctx(State(chain.head().state), chain.head().number + 1)
    for kind in ("batch", "batch_all", "force_batch"):
        with pytest.raises(DispatchError, match="BadOrigin"):
            rt.dispatch(ctx, Origin("none"), utility(kind, [transfer(BOB, KSM)]))


def test_batch_weight_sums_inner_calls_and_takes_the_normal_class(chain):
    rt = chain.runtime
    call = utility("batch", [transfer(BOB, KSM), {"System": {"remark": {"remark": b"x"}}}])
    base, per_call = UTILITY_WEIGHTS["kusama"]["batch"]
    inner = rt.call_weight(transfer(BOB, KSM))[0] + rt.call_weight({"System": {"remark": {"remark": b"x"}}})[0]
    assert rt.call_weight(call)[0] == base + 2 * per_call + inner
    assert rt.dispatch_class(call) == "Normal"
    assert rt.dispatch_class(utility("batch", [])) == "Operational"   # upstream folds from Operational
