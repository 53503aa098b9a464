"""The transaction pipeline of one emulated chain, driven through its Node interface."""
from __future__ import annotations

import pytest
from substrateinterface import Keypair

from harness.devnet.chain import Chain
from harness.devnet.node import RpcFailure
from harness.devnet.runtimes.presets import default_config
from harness.devnet.runtime.extrinsic import mortal_era
from harness.devnet.runtime.frame import State

ALICE = Keypair.create_from_uri("//Alice")
BOB = Keypair.create_from_uri("//Bob")
FRESH = Keypair.create_from_uri("//DevnetPipelineFresh")

CHAINS = ["kusama", "polkadot", "kusama-asset-hub", "polkadot-asset-hub"]


def make(name: str = "kusama", mode: str = "instant") -> Chain:
    return Chain(default_config(name), mode=mode, genesis_timestamp_ms=1_700_000_000_000)


def account(chain: Chain, who: Keypair, block=None) -> dict:
    state = State((block or chain.head()).state)
    return chain.runtime.pallet("System").account.get(state, who.public_key)


def total_issuance(chain: Chain) -> int:
    return chain.runtime.pallet("Balances").total_issuance.get(State(chain.head().state))


def events(chain: Chain, block=None) -> list[dict]:
    state = State((block or chain.head()).state)
    return chain.runtime.pallet("System").events_item.get(state)


def named(records: list[dict]) -> list[tuple[str, str, object]]:
    out = []
    for r in records:
        (pallet, inner), = r["event"].items()
        (name, payload), = inner.items() if isinstance(inner, dict) else [(inner, None)]
        out.append((pallet, name, payload))
    return out


def transfer(dest: Keypair, value: int, keep_alive: bool = True) -> dict:
    call = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
    return {"Balances": {call: {"dest": {"Id": dest.public_key}, "value": value}}}


def signed(chain: Chain, signer: Keypair, call: dict, nonce: int | None = None, **kw) -> bytes:
    fmt = chain.executive.format
    if nonce is None:
        nonce = chain.account_next_index(signer.public_key)
    kw.setdefault("genesis_hash", chain.block_by_number(0).hash)
    return fmt.encode_signed(call, signer.public_key, signer.sign, nonce=nonce, **kw)


def statuses(chain: Chain, xt: bytes) -> list:
    seen: list = []
    chain.submit(xt, watcher=seen.append)
    return seen


@pytest.mark.parametrize("name", CHAINS)
def test_genesis_endows_dev_accounts_and_issuance_adds_up(name):
    chain = make(name)
    cfg = chain.config
    assert chain.head().number == 0
    assert account(chain, ALICE)["data"]["free"] == cfg.endowment
    assert account(chain, ALICE)["providers"] == 1
    system = chain.runtime.pallet("System")
    state = State(chain.head().state)
    assert sum(info["data"]["free"] for _, info in system.account.entries(state)) == total_issuance(chain)
    assert events(chain) == []   # nothing is recorded at genesis


@pytest.mark.parametrize("name", CHAINS)
def test_transfer_debits_amount_plus_the_reported_fee(name):
    chain = make(name)
    before_alice, before_bob = account(chain, ALICE)["data"]["free"], account(chain, BOB)["data"]["free"]
    issuance = total_issuance(chain)
    amount = 7 * chain.config.existential_deposit
    seen = statuses(chain, signed(chain, ALICE, transfer(BOB, amount)))
    head = chain.head()
    assert head.number == 1
    assert seen == ["ready", {"inBlock": "0x" + head.hash.hex()}, {"finalized": "0x" + head.hash.hex()}]
    recs = named(events(chain))
    fee_paid = [p for pallet, n, p in recs if (pallet, n) == ("TransactionPayment", "TransactionFeePaid")]
    assert len(fee_paid) == 1 and fee_paid[0]["who"] == ALICE.public_key and fee_paid[0]["actual_fee"] > 0
    fee = fee_paid[0]["actual_fee"]
    assert before_alice - account(chain, ALICE)["data"]["free"] == amount + fee
    assert account(chain, BOB)["data"]["free"] - before_bob == amount
    assert account(chain, ALICE)["nonce"] == 1
    assert ("Balances", "Withdraw", {"who": ALICE.public_key, "amount": fee}) in recs
    assert ("Balances", "Transfer", {"from": ALICE.public_key, "to": BOB.public_key, "amount": amount}) in recs
    assert recs[-1][:2] == ("System", "ExtrinsicSuccess")
    assert recs[0][:2] == ("System", "ExtrinsicSuccess")   # the first inherent
    # inherents come first: timestamp on a relay; set_validation_data then timestamp on a parachain
    inherents = 1 if chain.config.is_relay else 2
    assert events(chain)[0]["phase"] == {"ApplyExtrinsic": 0}
    assert events(chain)[-1]["phase"] == {"ApplyExtrinsic": inherents}
    # the fee went to the chain's fee sink (and on the relays 20% was dropped): issuance falls by that
    deposited = sum(p["amount"] for pallet, n, p in recs if (pallet, n) == ("Balances", "Deposit"))
    assert issuance - total_issuance(chain) == fee - deposited
    # payment_queryInfo on the same bytes predicts the fee that was charged
    info = chain.query_info(signed(chain, ALICE, transfer(BOB, amount), nonce=0), chain.block_by_number(0).hash)
    assert int(info["partialFee"]) == fee and info["class"] == "normal"


def test_transfer_to_new_account_creates_it_and_allow_death_reaps_with_dust():
    chain = make("polkadot")
    ed = chain.config.existential_deposit
    chain.submit(signed(chain, ALICE, transfer(FRESH, 3 * ed)))
    recs = named(events(chain))
    assert ("System", "NewAccount", {"account": FRESH.public_key}) in recs
    assert ("Balances", "Endowed", {"account": FRESH.public_key, "free_balance": 3 * ed}) in recs
    assert account(chain, FRESH)["providers"] == 1

    # FRESH sends away all but a tenth of the ED: the remainder is dust and the account dies
    chain.submit(signed(chain, ALICE, transfer(FRESH, ed)))   # fund its fee
    free = account(chain, FRESH)["data"]["free"]
    fee = chain.executive.fee(State(chain.head().state), chain.decode(
        signed(chain, FRESH, transfer(BOB, free - ed // 10 - 10 ** 9, keep_alive=False))))
    issuance = total_issuance(chain)
    send = free - fee - ed // 10
    chain.submit(signed(chain, FRESH, transfer(BOB, send, keep_alive=False)))
    recs = named(events(chain))
    assert ("System", "KilledAccount", {"account": FRESH.public_key}) in recs
    assert ("Balances", "DustLost", {"account": FRESH.public_key, "amount": ed // 10}) in recs
    assert not chain.runtime.pallet("System").account.exists(State(chain.head().state), FRESH.public_key)
    deposited = sum(p["amount"] for pallet, n, p in recs if (pallet, n) == ("Balances", "Deposit"))
    assert issuance - total_issuance(chain) == fee - deposited + ed // 10


@pytest.mark.parametrize("value_of, error", [
    # what is left after the fee, minus half an ED: keep-alive would have to kill the sender
    (lambda left, ed: left - ed // 2, {"Token": "NotExpendable"}),
    (lambda left, ed: left * 2, {"Token": "FundsUnavailable"}),    # more than it has
])
def test_keep_alive_refusals_fail_dispatch_but_charge_the_fee(value_of, error):
    chain = make("kusama")
    free = account(chain, ALICE)["data"]["free"]
    # same encoded length as the real one (the compact value keeps its byte count)
    fee = int(chain.query_info(signed(chain, ALICE, transfer(BOB, free)))["partialFee"])
    chain.submit(signed(chain, ALICE, transfer(BOB, value_of(free - fee, chain.config.existential_deposit))))
    recs = named(events(chain))
    failed = [p for pallet, n, p in recs if (pallet, n) == ("System", "ExtrinsicFailed")]
    assert failed and failed[0]["dispatch_error"] == error
    fee = next(p["actual_fee"] for pallet, n, p in recs if n == "TransactionFeePaid")
    assert free - account(chain, ALICE)["data"]["free"] == fee
    assert not any(n == "Transfer" for _, n, _ in recs)
    assert account(chain, ALICE)["nonce"] == 1


def test_transfer_below_ed_to_a_new_account_is_below_minimum():
    chain = make("kusama")
    chain.submit(signed(chain, ALICE, transfer(FRESH, chain.config.existential_deposit - 1)))
    failed = [p for pallet, n, p in named(events(chain)) if n == "ExtrinsicFailed"]
    assert failed[0]["dispatch_error"] == {"Token": "BelowMinimum"}


def _rpc_error(chain: Chain, xt: bytes) -> RpcFailure:
    with pytest.raises(RpcFailure) as caught:
        chain.submit(xt)
    return caught.value


def test_bad_signature_is_bad_proof():
    chain = make("kusama")
    good = bytearray(signed(chain, ALICE, transfer(BOB, 10 ** 10)))
    sig_at = 2 + 1 + 33 + 1   # compact(len) 2 bytes, version, MultiAddress::Id, MultiSignature tag
    good[sig_at] ^= 0xff
    err = _rpc_error(chain, bytes(good))
    assert (err.code, err.message, err.data) == (1010, "Invalid Transaction", "Transaction has a bad signature")
    assert chain.head().number == 0


@pytest.mark.parametrize("override", [{"genesis_hash": bytes(32)}, {"spec_version": 1}, {"transaction_version": 1}])
def test_wrong_signed_payload_data_is_bad_proof(override):
    chain = make("polkadot-asset-hub")
    err = _rpc_error(chain, signed(chain, ALICE, transfer(BOB, 10 ** 10), **override))
    assert (err.code, err.data) == (1010, "Transaction has a bad signature")


def test_stale_nonce_is_outdated_and_a_duplicate_is_already_imported():
    chain = make("kusama")
    xt = signed(chain, ALICE, transfer(BOB, 10 ** 10), nonce=0)
    chain.submit(xt)
    err = _rpc_error(chain, xt)
    assert (err.code, err.data) == (1010, "Transaction is outdated")
    manual = make("kusama", mode="manual")
    xt2 = signed(manual, ALICE, transfer(BOB, 10 ** 10), nonce=0)
    manual.submit(xt2)
    assert _rpc_error(manual, xt2).code == 1013


def test_future_nonce_waits_in_the_pool_until_the_gap_is_filled():
    chain = make("kusama")
    later = statuses(chain, signed(chain, ALICE, transfer(BOB, 10 ** 10), nonce=1))
    assert later == ["future"] and chain.head().number == 0
    assert chain.account_next_index(ALICE.public_key) == 0
    chain.submit(signed(chain, ALICE, transfer(BOB, 10 ** 10), nonce=0))
    assert account(chain, ALICE)["nonce"] == 2
    head = "0x" + chain.head().hash.hex()
    assert later == ["future", "ready", {"inBlock": head}, {"finalized": head}]
    assert chain.head().number == 1   # both went into the block the gap-filler triggered


def test_unfunded_sender_cannot_pay():
    chain = make("kusama")
    err = _rpc_error(chain, signed(chain, FRESH, transfer(BOB, 10 ** 10), nonce=0))
    assert (err.code, err.data) == (1010, "Inability to pay some fees (e.g. account balance too low)")


def test_mortal_transactions_check_the_birth_block():
    chain = make("kusama", mode="manual")
    chain.dev_new_block(3)
    head = chain.head()
    era = mortal_era(64, head.number)
    birth = chain.block_by_number(head.number).hash   # phase = current % 64 -> birth = current
    chain.submit(signed(chain, ALICE, transfer(BOB, 10 ** 10), era=era, birth_hash=birth))
    chain.dev_new_block()
    assert account(chain, ALICE)["nonce"] == 1
    # a birth hash that is not the chain's block at the era's birth: the signature does not match
    wrong = signed(chain, ALICE, transfer(BOB, 10 ** 10), era=mortal_era(64, chain.head().number),
                   birth_hash=bytes(32))
    assert _rpc_error(chain, wrong).data == "Transaction has a bad signature"
    # an era whose birth block has no recorded hash (here: one not built yet)
    ancient = signed(chain, ALICE, transfer(BOB, 10 ** 10), era=mortal_era(64, 50), birth_hash=birth)
    assert _rpc_error(chain, ancient).data == "Transaction has an ancient birth block"


def test_manual_mode_snapshot_revert_and_set_storage():
    chain = make("kusama", mode="manual")
    snap = chain.dev_snapshot()
    chain.submit(signed(chain, ALICE, transfer(BOB, 10 ** 10)))
    assert chain.head().number == 0
    chain.dev_new_block()
    assert account(chain, ALICE)["nonce"] == 1
    key = b":devnet-test"
    chain.dev_set_storage([(key, b"\x01\x02")])
    assert chain.storage(key) == b"\x01\x02" and chain.head().number == 2
    chain.dev_revert(snap)
    assert chain.head().number == 0 and chain.storage(key) is None
    assert account(chain, ALICE)["nonce"] == 0
    chain.dev_new_block(2)
    chain.dev_set_head(1)
    assert chain.head().number == 1


def test_hooks_and_storage_listener_see_each_block():
    chain = make("kusama-asset-hub", mode="manual")
    seen, changed = [], []
    chain.after_block.append(lambda c, b: seen.append(b.number))
    chain.on_storage(lambda b, ch: changed.append(ch))
    chain.dev_new_block(2)
    assert seen == [1, 2]
    now_key = chain.runtime.pallet("Timestamp").now.key()
    assert now_key in changed[0] and now_key in changed[1]
    assert chain.runtime.pallet("Timestamp").now.get(State(chain.head().state)) == \
        1_700_000_000_000 // 24_000 * 24_000 + 2 * 24_000


def test_ed25519_signer_is_accepted():
    from substrateinterface import KeypairType
    chain = make("kusama")
    ed = Keypair.create_from_seed("0x" + "11" * 32, crypto_type=KeypairType.ED25519)
    chain.submit(signed(chain, ALICE, transfer(ed, 10 ** 12)))
    chain.submit(signed(chain, ed, transfer(BOB, 10 ** 11), scheme="Ed25519"))
    assert account(chain, ed)["nonce"] == 1
    assert ("Balances", "Transfer", {"from": ed.public_key, "to": BOB.public_key, "amount": 10 ** 11}) in \
        named(events(chain))


def _execute(max_ref_time: int, message: list) -> dict:
    return {"PolkadotXcm": {"execute": {"message": {"V5": message},
                                        "max_weight": {"ref_time": max_ref_time, "proof_size": 100_000}}}}


def _applied(chain: Chain, xt: bytes) -> tuple[int, dict, str]:
    """The fee paid, the weight ExtrinsicSuccess/Failed reported, and which of them it was."""
    statuses(chain, xt)
    recs = named(events(chain))
    fee = next(p["actual_fee"] for pallet, n, p in recs if n == "TransactionFeePaid")
    pallet, name, payload = recs[-1]
    return fee, payload["dispatch_info"]["weight"], name


def test_execute_is_charged_for_the_weight_it_used_not_the_max_it_declared():
    # pallet-xcm execute returns Some(weight_used + WeightInfo::execute()) as its actual weight; transaction
    # payment charges that (PostDispatchInfo::calc_actual_weight), and ExtrinsicSuccess reports it. Both max
    # weights encode in 5 bytes, so the length fee is the same.
    withdraw = [{"WithdrawAsset": [{"id": {"parents": 1, "interior": "Here"}, "fun": {"Fungible": 10**10}}]}]
    deposit = withdraw + [{"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": {
        "parents": 0, "interior": {"X1": [{"AccountId32": {"network": None, "id": ALICE.public_key}}]}}}}]
    chain = make("kusama-asset-hub")
    fee_small, weight_small, outcome = _applied(chain, signed(chain, ALICE, _execute(2 * 10**9, deposit)))
    assert outcome == "ExtrinsicSuccess"
    fee_large, weight_large, _ = _applied(chain, signed(chain, ALICE, _execute(4 * 10**9, deposit)))
    assert (fee_large, weight_large) == (fee_small, weight_small)
    info = chain.query_info(signed(chain, ALICE, _execute(4 * 10**9, deposit)), chain.head().hash)
    assert int(info["partialFee"]) > fee_large  # the pool's estimate is for the declared weight
    assert weight_large["ref_time"] < 2 * 10**9
    # a message that fails part-way is charged for what ran too: its weight reaches neither max
    fee_failed, weight_failed, outcome = _applied(chain, signed(chain, ALICE, _execute(4 * 10**9, withdraw * 2 + [
        {"Trap": 7}])))
    assert outcome == "ExtrinsicFailed"
    assert weight_failed["ref_time"] < 2 * 10**9 and fee_failed < int(info["partialFee"])
