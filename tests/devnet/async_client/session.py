"""An unmodified async-substrate-interface session against one endpoint.

Runs under the separate virtualenv .venv-async (ci/setup.sh makes it): async-substrate-interface
depends on cyscale, which installs a module named `scalecodec` that would shadow the real one in
the harness's own .venv. Signing uses bittensor-wallet's Keypair, the keypair this library is
written for, behind the library's own Keypair protocol (to give addresses in the chain's format).

Connects (runtime metadata V15 through state_call Metadata_metadata_at_version), reads metadata,
a constant and System.Account (single, multi, map, at a block), estimates a fee, composes, signs
and submits a transfer waiting for inclusion and for finalization, then reads the receipt, the
block and its events. Prints exactly one JSON line ({"ok": true, ...} or {"ok": false, "error",
"traceback", "wire"}) and exits 0 / 1; "wire" is the tail of the raw WebSocket exchange.

Usage: .venv-async/bin/python session.py ws://127.0.0.1:PORT [timeout_seconds]
"""
from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
import traceback

from async_substrate_interface import AsyncSubstrateInterface
from bittensor_wallet import Keypair as WalletKeypair
from scalecodec.utils.ss58 import ss58_encode   # cyscale's scalecodec, as the library uses it

STARTED = time.monotonic()
steps: dict[str, int] = {}


def mark(name: str) -> None:
    steps[name] = int((time.monotonic() - STARTED) * 1000)


class Wire(logging.Handler):
    """Collects what the library logs of the raw WebSocket traffic (_log_raw_websockets=True)."""

    def __init__(self):
        super().__init__(logging.DEBUG)
        self.methods: set[str] = set()
        self.state_calls: set[str] = set()
        self.log: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        text = record.getMessage()
        self.log.append(text if len(text) < 600 else text[:600] + f"...({len(text)} chars)")
        if not text.startswith("WEBSOCKET_SEND> "):
            return
        try:
            sent = json.loads(text.removeprefix("WEBSOCKET_SEND> "))
        except ValueError:
            return
        for request in sent if isinstance(sent, list) else [sent]:
            method = request.get("method")
            self.methods.add(method)
            if method == "state_call":
                self.state_calls.add(request["params"][0])


class ChainKeypair:
    """The library's Keypair protocol over a bittensor-wallet Keypair, with addresses in `ss58_format`
    (bittensor-wallet always gives SS58 prefix 42)."""

    def __init__(self, uri: str, ss58_format: int):
        self._inner = WalletKeypair.create_from_uri(uri)
        self.ss58_format = ss58_format
        self.ss58_address = ss58_encode(self._inner.public_key, ss58_format)

    @property
    def crypto_type(self) -> int:
        return self._inner.crypto_type

    @property
    def public_key(self) -> bytes:
        return self._inner.public_key

    def sign(self, data):
        return self._inner.sign(data)


def value(obj):
    return obj.value if hasattr(obj, "value") else obj


def event_name(event) -> str:
    e = value(event)
    return f"{e['module_id']}.{e['event_id']}"


WIRE: "Wire"


async def phase(work) -> dict:
    """Runs an optional part of the session: {"ok": True, **result} or {"ok": False, "error",
    "exchange": the last messages on the wire}, so a refusal is reported with the exact exchange."""
    start = len(WIRE.log)
    try:
        return {"ok": True, **await work()}
    except Exception as error:   # noqa: BLE001
        return {"ok": False, "error": f"{type(error).__name__}: {error}", "exchange": WIRE.log[start:][-6:]}


async def session(url: str) -> dict:
    out: dict = {}
    # ss58_format=None: the library reads it from the System.SS58Prefix constant.
    async with AsyncSubstrateInterface(url, ss58_format=None, _log_raw_websockets=True,
                                       max_retries=1, retry_timeout=20) as substrate:
        mark("connected")
        runtime = await substrate.init_runtime()
        mark("runtime loaded")
        ss58 = substrate.ss58_format
        alice, bob = ChainKeypair("//Alice", ss58), ChainKeypair("//Bob", ss58)
        properties = await substrate.properties
        out.update(
            chain=(await substrate.rpc_request("system_chain", []))["result"],
            libraryChain=substrate.chain,
            properties=properties,
            ss58=ss58,
            specVersion=runtime.runtime_version,
            transactionVersion=runtime.transaction_version,
            specName=runtime.runtime_info.get("specName"),
            metadataV15=runtime.metadata_v15 is not None,
            metadataVersion=next(iter(value(runtime.metadata)[1])),   # ["0x6d657461", {"V15": {...}}]
            pallets=[p.name for p in runtime.metadata.pallets],
            runtimeApis=sorted(runtime.runtime_api_map),
            existentialDeposit=value(await substrate.get_constant("Balances", "ExistentialDeposit")),
            ss58Prefix=value(await substrate.get_constant("System", "SS58Prefix")),
            alice=alice.ss58_address, bob=bob.ss58_address,
        )
        mark("metadata read")

        def free(account) -> int:
            return value(account)["data"]["free"]

        alice_before = free(await substrate.query("System", "Account", [alice.ss58_address]))
        bob_before = free(await substrate.query("System", "Account", [bob.ss58_address]))
        storage_keys = [await substrate.create_storage_key("System", "Account", [who.ss58_address])
                        for who in (alice, bob)]
        multi = await substrate.query_multi(storage_keys)
        out["multiMatches"] = [free(v) for _, v in multi] == [alice_before, bob_before]
        accounts = {}
        async for key, info in await substrate.query_map("System", "Account", page_size=2):
            accounts[value(key)] = free(info)
        out["mapHasAlice"] = accounts.get(alice.ss58_address) == alice_before
        out["mapHasBob"] = accounts.get(bob.ss58_address) == bob_before
        out["mapSize"] = len(accounts)
        out["aliceBefore"] = alice_before
        mark("accounts read")

        # Runtime API calls (state_call with SCALE-encoded arguments). Kept apart: if the node
        # refuses them, the rest of the session still runs and the failure is reported as is.
        amount = 2 * 10 ** properties["tokenDecimals"]
        call = await substrate.compose_call("Balances", "transfer_keep_alive",
                                            {"dest": bob.ss58_address, "value": amount})

        async def runtime_calls() -> dict:
            estimate = await substrate.get_payment_info(call, alice)
            # field names come from the runtime's RuntimeDispatchInfo type info (partial_fee); the
            # library's docstring still shows the node's JSON spelling (partialFee)
            return {"nonce": await substrate.get_account_nonce(alice.ss58_address),
                    "paymentInfo": {"partialFee": estimate.get("partial_fee", estimate.get("partialFee")),
                                    "weight": estimate["weight"], "class": estimate["class"]}}

        out["runtimeCalls"] = await phase(runtime_calls)
        out["nextIndexBefore"] = await substrate.get_account_next_index(alice.ss58_address, use_cache=False)
        mark("runtime calls")

        # Mortal, included: waits for {"inBlock"}.
        xt = await substrate.create_signed_extrinsic(call, alice, era={"period": 64})
        receipt = await substrate.submit_extrinsic(xt, wait_for_inclusion=True)
        mark("transfer included")
        events = await receipt.triggered_events
        out.update(
            amount=amount,
            extrinsicHash=receipt.extrinsic_hash,
            computedHash="0x" + xt.extrinsic_hash.hex(),
            block=receipt.block_hash,
            finalized=receipt.finalized,
            isSuccess=await receipt.is_success,
            errorMessage=await receipt.error_message,
            totalFee=await receipt.total_fee_amount,
            weight=await receipt.weight,
            extrinsicIdx=await receipt.extrinsic_idx,
            identifier=await receipt.get_extrinsic_identifier(),
            events=[event_name(e) for e in events],
        )
        transfer = next((value(e)["attributes"] for e in events if event_name(e) == "Balances.Transfer"), None)
        out["transferEvent"] = transfer
        fee_paid = next((value(e)["attributes"] for e in events
                         if event_name(e) == "TransactionPayment.TransactionFeePaid"), None)
        out["feePaid"] = fee_paid and fee_paid["actual_fee"]

        alice_after = free(await substrate.query("System", "Account", [alice.ss58_address]))
        bob_after = free(await substrate.query("System", "Account", [bob.ss58_address]))
        out["credited"] = bob_after - bob_before
        out["debited"] = alice_before - alice_after
        out["bobAtBlock"] = free(await substrate.query("System", "Account", [bob.ss58_address],
                                                       block_hash=receipt.block_hash)) - bob_before
        parent = await substrate.get_parent_block_hash(receipt.block_hash)
        out["bobAtParent"] = free(await substrate.query("System", "Account", [bob.ss58_address],
                                                        block_hash=parent)) - bob_before
        out["nextIndexAfter"] = await substrate.get_account_next_index(alice.ss58_address, use_cache=False)

        block = await substrate.get_block(block_hash=receipt.block_hash)
        out["blockNumber"] = block["header"]["number"]
        out["headNumber"] = await substrate.get_block_number(await substrate.get_chain_head())
        out["finalizedHead"] = await substrate.get_chain_finalised_head()
        extrinsics = [value(x) for x in block["extrinsics"]]
        out["blockExtrinsics"] = [f"{x['call']['call_module']}.{x['call']['call_function']}" for x in extrinsics]
        mine = next((x for x in extrinsics if x.get("extrinsic_hash") == receipt.extrinsic_hash), None)
        out["inBlock"] = mine is not None
        if mine is not None:
            args = {a["name"]: a["value"] for a in mine["call"]["call_args"]}
            out["extrinsic"] = {"address": mine.get("address"), "nonce": mine.get("nonce"),
                                "call": f"{mine['call']['call_module']}.{mine['call']['call_function']}",
                                "dest": args.get("dest"), "value": args.get("value"),
                                "mortal": mine.get("era") not in (None, "00", "Immortal")}
        out["eventsAtBlock"] = [event_name(e) for e in await substrate.get_events(receipt.block_hash)]
        mark("block read")

        # Immortal, finalized: waits for {"finalized"}.
        xt2 = await substrate.create_signed_extrinsic(call, alice)
        receipt2 = await substrate.submit_extrinsic(xt2, wait_for_finalization=True)
        out["finalizedReceipt"] = {"finalized": receipt2.finalized, "isSuccess": await receipt2.is_success,
                                   "block": receipt2.block_hash, "totalFee": await receipt2.total_fee_amount}
        out["creditedTotal"] = free(await substrate.query("System", "Account", [bob.ss58_address])) - bob_before
        mark("second transfer finalized")
    mark("closed")
    return out


async def main(url: str, timeout: float) -> int:
    global WIRE
    wire = WIRE = Wire()
    raw = logging.getLogger("raw_websocket")
    raw.setLevel(logging.DEBUG)
    raw.addHandler(wire)
    raw.propagate = False
    problems: list[str] = []

    class Problems(logging.Handler):
        def emit(self, record):
            problems.append(f"{record.name} {record.levelname}: {record.getMessage()[:500]}")

    logging.getLogger("async_substrate_interface").addHandler(Problems(logging.WARNING))
    try:
        out = await asyncio.wait_for(session(url), timeout)
        result, code = {"ok": True, **out}, 0
    except BaseException as error:   # noqa: BLE001 - everything goes into the JSON line
        if isinstance(error, (asyncio.TimeoutError, TimeoutError)):
            error = TimeoutError(f"timed out after {timeout} s (last step: {list(steps)[-1:] or 'none'})")
        result = {"ok": False, "error": f"{type(error).__name__}: {error}", "traceback": traceback.format_exc(),
                  "wire": wire.log[-30:]}
        code = 1
    result.update(rpcMethods=sorted(m for m in wire.methods if m), stateCalls=sorted(wire.state_calls),
                  warnings=problems, steps=steps)
    print(json.dumps(result, default=str), flush=True)
    return code


if __name__ == "__main__":
    url = sys.argv[1]
    timeout = float(sys.argv[2]) if len(sys.argv) > 2 else 60.0
    sys.exit(asyncio.run(main(url, timeout)))
