"""An unmodified @polkadot/api session (tests/devnet/js/polkadot_api_session.mjs, run by node) against
each emulated chain over its JSON-RPC server: connect (metadata V15 through the Metadata runtime API),
read metadata, constants and balances, estimate a fee, sign and send a transfer, follow it to
finalization and find it again in the block and its events. The script prints one JSON line; these
tests assert on it. The pinned @polkadot/api comes from package.json (ci/setup.sh runs npm ci)."""
from __future__ import annotations

import re
import shutil

import pytest

from tests.devnet.chain_server import CHAINS, REPO, client_session, require

SCRIPT = REPO / "tests" / "devnet" / "js" / "polkadot_api_session.mjs"
SESSION_TIMEOUT_S = 60          # the script's own watchdog
PROCESS_TIMEOUT_S = 90          # the subprocess's hard limit, above the watchdog

# What @polkadot/api 16.5.6 logs against the real chains too, and nothing else:
#  - transaction extensions it has no definition for, all of them empty (no payload, no implicit),
#    which it rightly treats as no-effect: frame_system::AuthorizeCall (every chain here),
#    EthSetOrigin (pallet_revive) and cumulus StorageWeightReclaim (the Asset Hubs);
#  - the devnet's dev_* RPCs (which chopsticks serves too), absent from its RPC definitions.
TOLERATED_UNKNOWN_EXTENSIONS = {"AuthorizeCall", "EthSetOrigin", "StorageWeightReclaim"}
UNKNOWN_EXTENSIONS = re.compile(r"Unknown signed extensions (.+) found, treating them as no-effect")
UNDECORATED_RPCS = re.compile(r"RPC methods not decorated: (.+)$")



@pytest.fixture(scope="module")
def node_bin() -> str:
    node = require(shutil.which("node"), "node", "ci/setup.sh expects Node.js 18+ on PATH")
    require(REPO / "node_modules" / "@polkadot" / "api" / "package.json", "@polkadot/api",
            "run `npm ci` in the repository root")
    return node


@pytest.fixture(scope="module", params=CHAINS)
def session(request, node_bin):
    yield from client_session(request.param, lambda url: [node_bin, str(SCRIPT), url, str(SESSION_TIMEOUT_S * 1000)],
                              PROCESS_TIMEOUT_S)


def ok(session):
    served, result = session
    assert result["ok"] and result["_returncode"] == 0, (
        f"@polkadot/api session failed: {result.get('error')}\nsteps: {result.get('steps')}\n"
        f"warnings: {result.get('warnings')}\nstderr: {result.get('_stderr')}")
    return served.chain.config, result


def test_connects_with_v15_metadata_from_the_runtime_api(session):
    config, r = ok(session)
    assert r["chain"] == config.chain_name
    assert r["specName"] == config.spec_name and r["specVersion"] == config.spec_version
    assert r["genesisHash"] == r["apiGenesisHash"]
    assert r["metadataVersion"] == 15
    # the API took the metadata from Metadata_metadata_at_version, never from state_getMetadata
    assert {"Metadata_metadata_versions", "Metadata_metadata_at_version"} <= set(r["stateCalls"])
    assert "state_getMetadata" not in r["rpcMethods"]
    assert {"System", "Balances", "TransactionPayment"} <= set(r["pallets"])
    assert {"Core", "Metadata", "AccountNonceApi", "TransactionPaymentApi"} <= set(r["runtimeApis"])
    assert r["ss58"] == config.ss58 and r["decimals"] == config.decimals
    assert r["properties"]["ss58Format"] == config.ss58
    assert int(r["existentialDeposit"]) == config.existential_deposit


def test_library_logs_nothing_unexpected(session):
    _, r = ok(session)
    unexpected = []
    for line in r["warnings"]:
        if m := UNKNOWN_EXTENSIONS.search(line):
            unknown = {name.strip() for name in m.group(1).split(",")}
            if unknown <= TOLERATED_UNKNOWN_EXTENSIONS:
                continue
        elif m := UNDECORATED_RPCS.search(line):
            if all(name.strip().startswith("dev_") for name in m.group(1).split(",")):
                continue
        unexpected.append(line)
    assert not unexpected


def test_balances_read_plainly_by_multi_query_and_subscription(session):
    config, r = ok(session)
    assert int(r["aliceBefore"]) > 0 and r["singleQueryMatches"]
    assert {"state_queryStorageAt", "state_subscribeStorage"} <= set(r["rpcMethods"])
    # the storage subscription's first value, then the credit
    assert r["bobSubscription"][0] == "0" and r["bobSubscription"][-1] == r["amount"]


def test_signed_transfer_is_credited_and_charged_its_fee(session):
    config, r = ok(session)
    assert r["amount"] == str(10 ** config.decimals)
    assert r["credited"] == r["amount"]
    assert r["transferEvent"] == {"from": r["alice"], "to": r["bob"], "amount": r["amount"]}
    assert {"balances.Transfer", "system.ExtrinsicSuccess", "transactionPayment.TransactionFeePaid"} <= set(r["events"])
    assert r["events"][-1] == "system.ExtrinsicSuccess"
    # the estimate (TransactionPaymentApi_query_info) is what was charged, no tip
    assert int(r["feePaid"]) > 0 and r["feePaid"] == r["paymentInfo"]["partialFee"] and r["tip"] == "0"
    assert int(r["debited"]) == int(r["amount"]) + int(r["feePaid"])
    assert r["paymentInfo"]["class"] == "Normal" and int(r["paymentInfo"]["refTime"]) > 0
    assert r["nonceAfter"] == r["nonceBefore"] + 1 == r["accountNextIndex"]
    assert {"TransactionPaymentApi_query_info", "AccountNonceApi_account_nonce"} <= set(r["stateCalls"])


def test_transfer_is_found_in_its_block(session):
    served, _ = session
    _, r = ok(session)
    assert r["statuses"][0] == "Ready" and r["statuses"][-1] == "Finalized"
    assert r["blockHashMatches"] and r["inBlock"]
    assert r["extrinsic"] == {"signer": r["alice"], "call": "balances.transferKeepAlive", "dest": r["bob"],
                              "value": r["amount"], "nonce": r["nonceBefore"], "mortal": True,
                              "index": r["txIndex"]}
    # the block's inherents come first (a parachain's setValidationData, then timestamp.set)
    assert "timestamp.set" in r["blockExtrinsics"][:r["txIndex"]]
    # the events stored at the block hold the ones the watch delivered, in order
    assert r["eventsAtBlock"][-len(r["events"]):] == r["events"]
    assert r["bobAtBlock"] == r["amount"] and r["bobAtParent"] == "0"
    head = served.call(lambda: served.chain.head())
    assert r["blockNumber"] == head.number and r["block"] == "0x" + head.hash.hex()
    assert r["finalizedHead"] == r["block"]
    assert r["blockNumber"] in r["newHeads"] and r["blockNumber"] in r["finalizedHeads"]


def test_watch_reports_in_block_before_finalized(session):
    _, r = ok(session)
    assert r["statuses"] == ["Ready", "InBlock", "Finalized"]
    assert r["inBlockHash"] == r["block"]
