"""An unmodified substrate-interface session against one emulated chain over its JSON-RPC server."""
from __future__ import annotations

import concurrent.futures

import pytest
from substrateinterface import Keypair, SubstrateInterface

from tests.devnet.chain_server import CHAINS, TIMEOUT, ServedChain


@pytest.fixture(scope="module", params=CHAINS)
def served(request):
    s = ServedChain(request.param)
    yield s
    s.close()


@pytest.fixture(scope="module")
def substrate(served):
    si = SubstrateInterface(url=served.server.url)
    yield si
    si.close()


def bounded(fn, *args, **kwargs):
    """Guards a blocking client call with a timeout."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result(TIMEOUT)


@pytest.fixture(scope="module")
def keys(served):
    ss58 = served.chain.config.ss58
    return Keypair.create_from_uri("//Alice", ss58_format=ss58), Keypair.create_from_uri("//Bob", ss58_format=ss58)


def test_reads_account_state(served, substrate, keys):
    ALICE, BOB = keys
    info = substrate.query("System", "Account", [ALICE.ss58_address]).value
    assert info["data"]["free"] == served.chain.config.endowment
    accounts = {a.value: i.value for a, i in substrate.query_map("System", "Account")}
    assert ALICE.ss58_address in accounts and BOB.ss58_address in accounts
    assert substrate.get_constant("Balances", "ExistentialDeposit").value == served.chain.config.existential_deposit
    assert substrate.runtime_version == served.chain.config.spec_version
    assert substrate.ss58_format == served.chain.config.ss58


def test_transfer_receipt_fees_add_up(served, substrate, keys):
    ALICE, BOB = keys
    amount = 5 * 10 ** served.chain.config.decimals
    before = substrate.query("System", "Account", [ALICE.ss58_address]).value["data"]["free"]
    call = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": amount})
    estimate = substrate.get_payment_info(call, ALICE)
    assert estimate["partialFee"] > 0 and estimate["weight"]["ref_time"] > 0
    xt = substrate.create_signed_extrinsic(call, ALICE)
    receipt = bounded(substrate.submit_extrinsic, xt, wait_for_inclusion=True)
    assert receipt.is_success, receipt.error_message
    fee_paid = [e.value["attributes"] for e in receipt.triggered_events
                if (e.value["module_id"], e.value["event_id"]) == ("TransactionPayment", "TransactionFeePaid")]
    assert fee_paid and receipt.total_fee_amount == fee_paid[0]["actual_fee"]
    after = substrate.query("System", "Account", [ALICE.ss58_address]).value["data"]["free"]
    assert before - after - amount == receipt.total_fee_amount
    assert receipt.total_fee_amount == estimate["partialFee"]
    block = substrate.get_block(block_hash=receipt.block_hash)
    assert any(x.value.get("address") == ALICE.ss58_address for x in block["extrinsics"])
    assert block["header"]["number"] == served.call(lambda: served.chain.head().number)
    names = [(e.value["module_id"], e.value["event_id"]) for e in substrate.get_events(receipt.block_hash)]
    assert ("Balances", "Transfer") in names and ("System", "ExtrinsicSuccess") in names
    # a mortal one: the era's birth block hash is part of what was signed
    mortal = substrate.create_signed_extrinsic(call, ALICE, era={"period": 64})
    receipt = bounded(substrate.submit_extrinsic, mortal, wait_for_inclusion=True)
    assert receipt.is_success
    # one byte longer than immortal: a byte fee more
    assert receipt.total_fee_amount > estimate["partialFee"]


def test_failed_transfer_reports_its_dispatch_error(served, substrate, keys):
    ALICE, BOB = keys
    free = substrate.query("System", "Account", [ALICE.ss58_address]).value["data"]["free"]
    call = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": free * 2})
    receipt = bounded(substrate.submit_extrinsic, substrate.create_signed_extrinsic(call, ALICE),
                      wait_for_inclusion=True)
    assert not receipt.is_success
    failed = [e.value["attributes"] for e in receipt.triggered_events if e.value["event_id"] == "ExtrinsicFailed"]
    assert failed[0]["dispatch_error"] == {"Token": "FundsUnavailable"}
    root_only = substrate.compose_call("Balances", "force_set_balance", {"who": BOB.ss58_address, "new_free": 1})
    receipt = bounded(substrate.submit_extrinsic, substrate.create_signed_extrinsic(root_only, ALICE),
                      wait_for_inclusion=True)
    assert not receipt.is_success and receipt.error_message["name"] == "BadOrigin"


def test_invalid_transaction_is_refused_like_a_node(served, substrate, keys):
    ALICE, BOB = keys
    from substrateinterface.exceptions import SubstrateRequestException
    call = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": 10 ** 9})
    stale = substrate.create_signed_extrinsic(call, ALICE, nonce=0)
    with pytest.raises(SubstrateRequestException) as caught:
        bounded(substrate.submit_extrinsic, stale, wait_for_inclusion=True)
    error = caught.value.args[0]
    assert error["code"] == 1010 and error["data"] == "Transaction is outdated"
