"""One chain, through substrate-interface: queries, signed submission with timeouts, decoded events."""
from __future__ import annotations

import difflib
import re
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Callable

from substrateinterface import Keypair
from substrateinterface.exceptions import SubstrateRequestException
from substrateinterface.storage import StorageKey
from substrateinterface.utils.hasher import blake2_256
from scalecodec.base import ScaleBytes
from scalecodec.utils.ss58 import ss58_decode

from ..errors import ChainCallError
from .call_values import for_encoding
from .dispatch import dispatch_error_name
from .keys import keypair_from_uri
from .messages import as_bytes
from .substrate import KEPT_BLOCKS, Substrate
from .xcm import Location, choose_version, versions_in_metadata, xcm_pallet


@dataclass(frozen=True)
class Event:
    pallet: str
    name: str
    attributes: object
    extrinsic_index: int | None
    block_number: int
    index: int = 0  # its place among the block's events: what a message's execution emitted comes before its
    # MessageQueue.Processed

    @property
    def qualified(self) -> str:
        return f"{self.pallet}.{self.name}"


XCM_PALLETS = ("XcmPallet", "PolkadotXcm")
KEPT_KEYS = 4096  # storage keys a client keeps (accounts x items a run reads again and again)


def fee_paid(event: Event, payer: str | None = None) -> int:
    """The native token an event says was paid as a fee (by `payer`, an ss58 address, when given):
    TransactionPayment.TransactionFeePaid{who, actual_fee} (the tip included), and pallet-xcm's
    FeesPaid{paying, fees}, the delivery fees it took. The native token is `Here` seen from the relay
    (parents 0) or from one of its parachains (parents 1)."""
    if event.qualified == "TransactionPayment.TransactionFeePaid":
        return int(event.attributes["actual_fee"]) if payer in (None, event.attributes["who"]) else 0
    if event.name != "FeesPaid" or event.pallet not in XCM_PALLETS:
        return 0
    if payer is not None and _account_of(event.attributes["paying"]) != "0x" + ss58_decode(payer):
        return 0
    total = 0
    for asset in event.attributes["fees"] or []:
        location = asset.get("id") or {}
        location = location.get("Concrete", location)  # a V3 AssetId wraps the location
        fungible = (asset.get("fun") or {}).get("Fungible")
        if location.get("interior") == "Here" and location.get("parents") in (0, 1) and fungible is not None:
            total += int(fungible)
    return total


def _account_of(location: dict) -> str | None:
    """The AccountId32 a local location `{parents: 0, interior: X1(AccountId32)}` names, as 0x hex."""
    interior = (location or {}).get("interior") or {}
    junctions = interior.get("X1") if isinstance(interior, dict) else None
    junction = junctions[0] if isinstance(junctions, list) else junctions
    if location.get("parents") == 0 and isinstance(junction, dict) and "AccountId32" in junction:
        return junction["AccountId32"]["id"]
    return None


@dataclass
class Receipt:
    chain: str
    extrinsic_hash: str
    block_hash: str
    block_number: int
    success: bool
    error: str | None  # the dispatch error by name, when not successful
    fee: int  # what the signer paid in the native token: the transaction fee (tip included) + XCM delivery fees
    events: list[Event] = field(default_factory=list)


@dataclass(frozen=True)
class AccountBalance:
    free: int
    reserved: int
    frozen: int

    def field(self, name: str) -> int:
        return getattr(self, name)


class ChainClient:
    def __init__(self, name: str, url: str, timeout: float = 60.0) -> None:
        self.name, self.url, self.timeout = name, url, timeout
        self._events: OrderedDict[str, list[Event]] = OrderedDict()  # block hash -> its events
        self._facts: dict[tuple, object] = {}  # what the runtime's metadata says, for `_facts_of`
        self._keys: OrderedDict[tuple, StorageKey] = OrderedDict()  # storage keys built for `_keys_of`
        self._keys_of: object = None
        self._facts_of: object = None
        try:
            self.api = Substrate(url, timeout)
        except (OSError, SubstrateRequestException) as exc:
            raise ChainCallError(f"cannot connect to {name} at {url}: {exc}", "is the network up?") from None
        props = self.api.properties or {}
        self.ss58_format = int(props.get("ss58Format", self.api.ss58_format or 42))
        self.decimals = int(_first(props.get("tokenDecimals", 12)))
        self.symbol = str(_first(props.get("tokenSymbol", "UNIT")))

    def close(self) -> None:
        self.api.close()

    # --- queries -------------------------------------------------------------------------------------
    def head(self) -> tuple[int, str]:
        block_hash = self.api.rpc_request("chain_getBlockHash", [])["result"]
        return self.api.get_block_number(block_hash), block_hash  # a header read once per block (substrate.py)

    def head_number(self) -> int:
        return int(self.api.rpc_request("chain_getHeader", [])["result"]["number"], 16)

    def block_hash(self, number: int) -> str | None:
        return self.api.rpc_request("chain_getBlockHash", [number])["result"]

    def block_hashes(self, numbers: list[int]) -> list[str | None]:
        """The hashes of many blocks in one request (chain_getBlockHash takes a list: ListOrValue<NumberOrHex>)."""
        if len(numbers) < 2:
            return [self.block_hash(number) for number in numbers]
        found = self.api.rpc_request("chain_getBlockHash", [numbers])["result"]
        return found if isinstance(found, list) and len(found) == len(numbers) else [
            self.block_hash(number) for number in numbers]  # a node that takes one number only

    def read(self, items: list[tuple[str, str, list]]) -> tuple[list[object], int]:
        """The values of storage items (pallet, item, params), as substrate-interface decodes them, all read at
        the head in one request (state_queryStorageAt), and the head's number."""
        number, block_hash = self.head()
        with self.api.pinned(block_hash):  # a storage key asks for the head's runtime otherwise
            keys = [self.storage_key(pallet, item, params) for pallet, item, params in items]
            found = {key.to_hex(): value for key, value in self.api.query_multi(keys, block_hash)}
        return [(found[key.to_hex()] if key.to_hex() in found else key.decode_scale_value()).value
                for key in keys], number

    def storage_key(self, pallet: str, item: str, params: list) -> StorageKey:
        """`pallet.item(params)`'s key, built once per runtime: encoding and hashing the params took longer than
        reading the value. Call it with the runtime pinned (`read`), or the head's runtime is asked for first."""
        if self._keys_of is not self.api.metadata:
            self._keys.clear()
            self._keys_of = self.api.metadata
        cached = (pallet, item, repr(params))
        key = self._keys.get(cached)
        if key is None:
            key = self._keys[cached] = self.api.create_storage_key(pallet, item, params)
            if len(self._keys) > KEPT_KEYS:
                self._keys.popitem(last=False)
        else:
            self._keys.move_to_end(cached)
        return key

    def events(self, block_hash: str) -> list[Event]:
        """A block's events, read once: a block hash names one block for good."""
        if block_hash in self._events:
            return self._events[block_hash]
        number = self.api.get_block_number(block_hash)
        with self.api.pinned(block_hash):  # that block's runtime decodes its events
            key = self.storage_key("System", "Events", [])  # built once per runtime, not once per block
            raw = self.api.rpc_request("state_getStorage", [key.to_hex(), block_hash])["result"]
            records = key.decode_scale_value(None if raw is None else ScaleBytes(raw)).elements
        out = []
        for index, record in enumerate(records):
            value = record.value
            out.append(Event(value["module_id"], value["event_id"], value.get("attributes"),
                             value.get("extrinsic_idx"), number, index))
        self._events[block_hash] = out
        if len(self._events) > KEPT_BLOCKS:
            self._events.popitem(last=False)
        return out

    def asset_balance(self, pallet: str, asset: Location, address: str) -> tuple[int, int]:
        """(balance, block) of `address` in the asset at `asset` of pallet-assets instance `pallet`
        (ForeignAssets); an account that does not exist holds 0."""
        (value,), number = self.read([self.asset_account(pallet, asset, address)])
        return (int(value["balance"]) if value else 0), number

    def asset_account(self, pallet: str, asset: Location, address: str) -> tuple[str, str, list]:
        """The storage item of `address`'s holding of the asset at `asset` in pallet-assets instance `pallet`
        (ForeignAssets), for `read`: its value is None for an account that does not exist, which holds 0."""
        return pallet, "Account", [self._asset_key(pallet, asset), address]

    def asset_min_balance(self, pallet: str, asset: Location) -> int | None:
        """The asset's min_balance (an account below it is not kept); None when the asset does not exist."""
        value = self.api.query(pallet, "Asset", [self._asset_key(pallet, asset)]).value
        return int(value["min_balance"]) if value else None

    def _asset_key(self, pallet: str, asset: Location) -> dict:
        return asset.encode(self.asset_location_version(pallet))

    def _known(self, key: tuple, find: Callable[[], object]) -> object:
        """What the current runtime's metadata says about `key`, found once per runtime (a runtime upgrade brings
        new metadata, and with it new answers)."""
        self.api.init_runtime()
        if self._facts_of is not self.api.metadata:
            self._facts, self._facts_of = {}, self.api.metadata
        if key not in self._facts:
            self._facts[key] = find()
        return self._facts[key]

    def asset_location_version(self, pallet: str) -> int:
        """The XCM version whose Location the pallet keys assets by (its type path: staging_xcm::v5::...)."""
        return self._known(("asset_location_version", pallet), lambda: self._asset_location_version(pallet))

    def _asset_location_version(self, pallet: str) -> int:
        function = self.api.get_metadata_storage_function(pallet, "Asset")
        if function is None:
            raise ChainCallError(f"{self.name} has no {pallet}.Asset", f"is {pallet} a pallet-assets instance here?")
        type_id = int(function.get_params_type_string()[0].removeprefix("scale_info::"))
        path = next(t["type"]["path"] for t in self.api.metadata.portable_registry.value["types"] if t["id"] == type_id)
        return next((int(m[1]) for part in path if (m := re.fullmatch(r"v(\d+)", part))), 3)

    def has_pallet(self, name: str) -> bool:
        return self._known(("has_pallet", name), lambda: any(p.name == name for p in self.api.metadata.pallets))

    def has_call(self, pallet: str, call: str) -> bool:
        self.api.init_runtime()
        return self.api.get_metadata_call_function(pallet, call) is not None

    def check_call(self, pallet: str, call: str) -> None:
        """A ChainCallError naming what the runtime has, when it lacks `pallet` or its `call`."""
        self.api.init_runtime()
        pallets = {p.name: p for p in self.api.metadata.pallets}
        if pallet not in pallets:
            raise ChainCallError(f"{self.name} has no pallet {pallet}", _known("pallets", pallet, list(pallets)))
        if self.api.get_metadata_call_function(pallet, call) is None:
            calls = [c.name for c in pallets[pallet].calls or []]
            raise ChainCallError(f"{self.name} has no call {pallet}.{call}", _known(f"{pallet} calls", call, calls))

    def call_args(self, pallet: str, call: str, args: dict) -> dict:
        """`args` written as events show values, in the shapes compose_call encodes (see call_values.py)."""
        self.api.init_runtime()
        types = {t["id"]: t["type"] for t in self.api.metadata.portable_registry.value["types"]}
        fields = {f["name"]: f["type"] for f in self.api.get_metadata_call_function(pallet, call).value["fields"]}
        return {key: for_encoding(types, fields[key], value) if key in fields else value for key, value in args.items()}

    def storage_item(self, pallet: str, item: str, value: object, params: list | None = None) -> tuple[str, str | None]:
        """The raw key of a storage item (a map's entry at `params`) and `value` encoded in its type, or None for
        a value of None: what a storage write (Capability.STORAGE) takes to set or to remove it."""
        self.api.init_runtime()
        function = self.api.get_metadata_storage_function(pallet, item)
        if function is None:
            raise ChainCallError(f"{self.name} has no storage {pallet}.{item}", "is this the right chain?")
        key = self.api.create_storage_key(pallet, item, params or []).to_hex()
        if value is None:
            return key, None
        obj = self.api.runtime_config.create_scale_object(function.get_value_type_string(), metadata=self.api.metadata)
        try:
            return key, str(obj.encode(value))
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise ChainCallError(f"{self.name}: {pallet}.{item} does not take {value!r}: {exc}",
                                 "its type in this runtime's metadata differs from what the harness writes") from None

    def storage_value(self, pallet: str, item: str) -> object:
        """A plain storage value as substrate-interface decodes it (the type's default when unset)."""
        return self.api.query(pallet, item).value

    def pallets_with_storage(self, item: str) -> list[str]:
        return list(self._known(("pallets_with_storage", item), lambda: [
            p.name for p in self.api.metadata.pallets if any(s.name == item for s in p.storage or [])]))

    def xcm_transfer_call(self, call: str) -> tuple[str, int]:
        """The XCM pallet that has `call`, and the highest XCM version that both its `dest` and the harness take."""
        return self._known(("xcm_transfer_call", call), lambda: self._xcm_transfer_call(call))

    def _xcm_transfer_call(self, call: str) -> tuple[str, int]:
        pallet = xcm_pallet({p.name for p in self.api.metadata.pallets})
        function = self.api.get_metadata_call_function(pallet, call)
        if function is None:
            raise ChainCallError(f"{self.name} has no {pallet}.{call}", "is this runtime too old?")
        return pallet, choose_version(versions_in_metadata(function.get_param_info()["dest"]))

    # --- XCM messages in flight (see messages.py) --------------------------------------------------------
    def upward_messages(self, block_hash: str) -> list[bytes]:
        """The messages this parachain sent to its relay in that block."""
        value = self.api.query("ParachainSystem", "UpwardMessages", [], block_hash=block_hash).value
        return [as_bytes(m) for m in value or []]

    def downward_messages(self, block_hash: str) -> list[tuple[int, bytes]]:
        """(relay block sent at, message) for each downward message this parachain received in that block."""
        for extrinsic in self.api.get_block(block_hash=block_hash)["extrinsics"]:
            call = extrinsic.value["call"]
            if (call["call_module"], call["call_function"]) == ("ParachainSystem", "set_validation_data"):
                data = next(arg["value"] for arg in call["call_args"] if arg["name"] == "data")
                return [(int(m["sent_at"]), as_bytes(m["msg"])) for m in data["downward_messages"]]
        return []

    # --- signing and submission ------------------------------------------------------------------------
    def keypair(self, uri: str) -> Keypair:
        return keypair_from_uri(uri, self.ss58_format)

    def submit(self, pallet: str, call: str, params: dict, signer: Keypair, *,
               produce_block=None, timeout: float | None = None, fee_asset: dict | None = None) -> Receipt:
        """Sign, submit, and wait for inclusion by watching new blocks (no subscription that can hang).

        `fee_asset`: the asset to pay the fee in (ChargeAssetTxPayment's asset_id, an XCM Location).

        A transaction the pool refuses (`1010 Invalid Transaction`) comes back at once as ChainCallError.
        `produce_block` is called after submitting when the chain builds blocks only on request.
        """
        timeout = timeout or self.timeout
        start_number, head = self.head()
        try:
            with self.api.pinned(head):
                composed = self.api.compose_call(pallet, call, params)
                extrinsic = self.api.create_signed_extrinsic(composed, signer, tip_asset_id=fee_asset)
        except (ValueError, TypeError, NotImplementedError) as exc:
            raise ChainCallError(f"{self.name}: cannot build {pallet}.{call}: {exc}",
                                 "check the call's parameters against the chain's metadata") from None
        encoded = str(extrinsic.data)
        try:
            ext_hash = self.api.rpc_request("author_submitExtrinsic", [encoded])["result"]
        except SubstrateRequestException as exc:
            raise ChainCallError(f"{self.name}: {pallet}.{call} was refused by the transaction pool: {exc}",
                                 "1010 means the signature, nonce, mortality or fee payment is wrong") from None
        if produce_block:
            produce_block()
        block_hash, number, index = self._find_inclusion(ext_hash, start_number, timeout)
        events = [e for e in self.events(block_hash) if e.extrinsic_index == index]
        return self._receipt(ext_hash, block_hash, number, events)

    def _find_inclusion(self, ext_hash: str, after: int, timeout: float) -> tuple[str, int, int]:
        deadline = time.monotonic() + timeout
        number = after + 1
        while True:
            block_hash = self.block_hash(number)
            if block_hash:
                block = self.api.rpc_request("chain_getBlock", [block_hash])["result"]["block"]
                for index, ext in enumerate(block["extrinsics"]):
                    if "0x" + blake2_256(bytes.fromhex(ext[2:])).hex() == ext_hash:
                        return block_hash, number, index
                number += 1
                continue
            if time.monotonic() > deadline:
                raise ChainCallError(f"{self.name}: extrinsic {ext_hash} not included within {timeout:g}s",
                                     "is the chain building blocks? (in Manual block mode the harness must build them)")
            time.sleep(0.05)

    def _receipt(self, ext_hash: str, block_hash: str, number: int, events: list[Event]) -> Receipt:
        fee, success, error = 0, False, None
        for event in events:
            fee += fee_paid(event)
            if event.qualified == "System.ExtrinsicSuccess":
                success = True
            elif event.qualified == "System.ExtrinsicFailed":
                error = dispatch_error_name(self.api.metadata, event.attributes["dispatch_error"])
        return Receipt(self.name, ext_hash, block_hash, number, success, error, fee, events)

    # --- raw storage (for the fund step) ----------------------------------------------------------------
    def account_storage(self, address: str, free: int) -> tuple[str, str]:
        """The System.Account key for `address` and a value with `free` set, other fields kept."""
        (current,), _ = self.read([("System", "Account", [address])])
        key = self.storage_key("System", "Account", [address])  # the one `read` built: it knows the value's type
        current["data"]["free"] = free
        current["providers"] = max(1, current["providers"])
        obj = self.api.runtime_config.create_scale_object(key.value_scale_type, metadata=self.api.metadata)
        return key.to_hex(), str(obj.encode(current))


def account_balance(account: dict) -> AccountBalance:
    """A System.Account value's balances."""
    data = account["data"]
    # pre-2023 runtimes split frozen into misc_frozen/fee_frozen; current ones have `frozen`
    frozen = data.get("frozen", max(data.get("misc_frozen", 0), data.get("fee_frozen", 0)))
    return AccountBalance(int(data["free"]), int(data["reserved"]), int(frozen))


def _first(value):
    return value[0] if isinstance(value, list) else value


def _known(what: str, wanted: str, names: list[str]) -> str:
    close = difflib.get_close_matches(wanted, names, n=1)
    return (f"did you mean {close[0]}? " if close else "") + f"{what}: {', '.join(sorted(names)) or 'none'}"

