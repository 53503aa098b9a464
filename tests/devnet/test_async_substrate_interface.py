"""An unmodified async-substrate-interface session (tests/devnet/async_client/session.py) against each
emulated chain over its JSON-RPC server. The library runs under its own virtualenv, .venv-async
(ci/setup.sh makes it): it depends on cyscale, which installs a module named `scalecodec` that must
never shadow the real one in .venv. The script prints one JSON line; these tests assert on it."""
from __future__ import annotations

import pytest

from tests.devnet.chain_server import CHAINS, REPO, client_session, require

PYTHON = REPO / ".venv-async" / "bin" / "python"
SCRIPT = REPO / "tests" / "devnet" / "async_client" / "session.py"
SESSION_TIMEOUT_S = 60          # the script's own asyncio.wait_for
PROCESS_TIMEOUT_S = 90          # the subprocess's hard limit, above it



@pytest.fixture(scope="module")
def python_async() -> str:
    return require(PYTHON, "the .venv-async virtualenv with async-substrate-interface",
                   "run ci/setup.sh")


@pytest.fixture(scope="module", params=CHAINS)
def session(request, python_async):
    yield from client_session(request.param, lambda url: [python_async, str(SCRIPT), url, str(SESSION_TIMEOUT_S)],
                              PROCESS_TIMEOUT_S, env={"PYTHONPATH": "", "PYTHONNOUSERSITE": "1"})


def ok(session):
    served, result = session
    assert result["ok"] and result["_returncode"] == 0, (
        f"async-substrate-interface session failed: {result.get('error')}\n{result.get('traceback')}\n"
        f"steps: {result.get('steps')}\nlast on the wire:\n" + "\n".join(result.get("wire", [])))
    return served.chain.config, result


def test_connects_with_v15_metadata(session):
    config, r = ok(session)
    assert r["chain"] == r["libraryChain"] == config.chain_name
    assert r["specName"] == config.spec_name and r["specVersion"] == config.spec_version
    assert r["metadataV15"] and r["metadataVersion"] == "V15"
    assert "Metadata_metadata_at_version" in r["stateCalls"] and "state_getMetadata" not in r["rpcMethods"]
    assert {"System", "Balances", "TransactionPayment"} <= set(r["pallets"])
    assert {"Core", "Metadata", "AccountNonceApi", "TransactionPaymentApi"} <= set(r["runtimeApis"])
    # ss58_format=None: read from the System.SS58Prefix constant
    assert r["ss58"] == r["ss58Prefix"] == config.ss58 == r["properties"]["ss58Format"]
    assert r["existentialDeposit"] == config.existential_deposit


def test_reads_system_account_every_way(session):
    config, r = ok(session)
    assert r["aliceBefore"] > 0 and r["multiMatches"]
    assert r["mapHasAlice"] and r["mapHasBob"] and r["mapSize"] >= len(config.endowed)
    assert {"state_getStorageAt", "state_queryStorageAt", "state_getKeysPaged"} <= set(r["rpcMethods"])


def test_signed_transfer_is_included_and_credited(session):
    config, r = ok(session)
    assert r["amount"] == 2 * 10 ** config.decimals
    assert r["extrinsicHash"] == r["computedHash"]
    assert r["isSuccess"] and r["errorMessage"] is None and not r["finalized"]
    assert {"Balances.Transfer", "System.ExtrinsicSuccess", "TransactionPayment.TransactionFeePaid"} <= set(r["events"])
    assert r["transferEvent"] == {"from": r["alice"], "to": r["bob"], "amount": r["amount"]}
    assert r["credited"] == r["amount"]
    assert r["totalFee"] == r["feePaid"] > 0
    assert r["debited"] == r["amount"] + r["feePaid"]
    assert r["weight"]["ref_time"] > 0
    assert r["nextIndexAfter"] == r["nextIndexBefore"] + 1


def test_transfer_is_found_in_its_block(session):
    served, _ = session
    _, r = ok(session)
    assert r["inBlock"]
    assert r["extrinsic"] == {"address": r["alice"], "nonce": r["nextIndexBefore"],
                              "call": "Balances.transfer_keep_alive", "dest": r["bob"], "value": r["amount"],
                              "mortal": True}
    assert r["identifier"] == f"{r['blockNumber']}-{r['extrinsicIdx']}"
    assert r["blockExtrinsics"][r["extrinsicIdx"]] == "Balances.transfer_keep_alive"
    assert "Timestamp.set" in r["blockExtrinsics"][:r["extrinsicIdx"]]
    assert r["eventsAtBlock"][-len(r["events"]):] == r["events"]
    assert r["bobAtBlock"] == r["amount"] and r["bobAtParent"] == 0
    assert r["finalizedHead"] == r["block"] and r["headNumber"] == r["blockNumber"]


def test_waits_for_finalization(session):
    served, _ = session
    _, r = ok(session)
    second = r["finalizedReceipt"]
    assert second["finalized"] and second["isSuccess"]
    assert second["block"] == served.call(lambda: "0x" + served.chain.finalized().hash.hex())
    assert r["creditedTotal"] == 2 * r["amount"]
    assert {"author_submitAndWatchExtrinsic", "author_unwatchExtrinsic"} <= set(r["rpcMethods"])


def test_runtime_api_calls(session):
    _, r = ok(session)
    calls = r["runtimeCalls"]
    assert calls["ok"], calls
    assert calls["nonce"] == r["nextIndexBefore"]
    # the estimate was for the immortal form: the second transfer's fee
    assert calls["paymentInfo"]["partialFee"] == r["finalizedReceipt"]["totalFee"]
    assert calls["paymentInfo"]["weight"]["ref_time"] > 0
