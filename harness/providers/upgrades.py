"""Runtime upgrades on chopsticks, the way governance applies them: authorize as Root, then apply.

Root is reached through the relay's Scheduler, as a referendum's enactment does: an agenda entry written for
the next block, with the call inline or, when larger than Bounded's 128 inline bytes (frame-support
traits/preimages.rs), as a requested preimage (PET's and `chopsticks dry-run --preimage`'s way).
- Relay: System.authorize_upgrade + apply_authorized_upgrade where the runtime has them (fellows 2.x), else
  System.set_code (Kusama 1.0); `_without_checks` variants when check_version is off.
- Parachain: the relay's Root sends an XCM Transact with origin kind Superuser that authorizes the code hash
  (ParachainSystem.authorize_upgrade in polkadot-sdk 1.0-era runtimes, System.authorize_upgrade in current ones);
  then the code is applied by an unsigned extrinsic (validate_unsigned accepts it when authorized: no funds
  needed), ValidationFunctionStored, and a block later ValidationFunctionApplied (chopsticks gives the relay's
  go-ahead itself).
The preimage goes in raw through dev_setStorage: chopsticks' pallet/item form stored None for a 1.6 MB value.

Messages to the upgraded chain that are pending when the upgrade begins (a held UMP on the relay, a held DMP
on a parachain, in Manual block mode) wait until the chain runs the new code: the upgrade's own blocks are built
with chopsticks' `ump: {}` / `dmp: [...]` parameters, which leave its pool's pending messages in place
(chopsticks-core blockchain/txpool.ts buildBlock), and the block after the code change takes them. chopsticks
takes no empty `dmp` list, so a parachain's upgrade blocks are all given the authorizing message (setting the
same authorization again is harmless; the one left at the end is removed).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

from substrateinterface import SubstrateInterface
from substrateinterface.utils.hasher import blake2_256

from ..client.dispatch import dispatch_error_name
from ..client.substrate import Substrate
from ..errors import ChainCallError
from ..network.runtime_wasm import CODE_KEY, read_runtime_bytes
from .base import RunningNetwork
from .capabilities import UpgradeReport

INLINE_LIMIT = 128  # frame-support Bounded::Inline: BoundedVec<u8, ConstU32<128>>
# What each refusal means, by the error's name (frame-system and cumulus parachain-system Error enums)
MEANING = {
    "SpecVersionNeedsToIncrease": "the candidate's spec_version does not increase on the running one",
    "InvalidSpecName": "the candidate's spec_name differs from the running runtime's",
    "FailedToExtractRuntimeVersion": "the candidate has no readable runtime version",
    "OverlappingUpgrades": "an upgrade is already pending on this chain",
    "ProhibitedByPolkadot": "the relay chain prohibits an upgrade now (its upgrade restriction signal)",
    "TooBig": "the candidate is larger than the relay's max_code_size",
    "NothingAuthorized": "no upgrade was authorized",
    "Unauthorized": "the code's hash is not the authorized one",
}
_HINT = "set check_version: false to apply code whose version does not increase; see docs/upgrades.md"


def refused(chain: str, error: str) -> ChainCallError:
    meaning = MEANING.get(error.rpartition(".")[2])
    return ChainCallError(f"{chain} refused the runtime upgrade: {error}" + (f" ({meaning})" if meaning else ""),
                          _HINT)


@dataclass
class GovernanceUpgrades:
    network: RunningNetwork
    _authorized_item: tuple[str, str] = ("ParachainSystem", "AuthorizedUpgrade")  # set by the parachain path
    _authorizing: dict | None = None  # the downward message that authorizes a parachain's upgrade in progress

    def upgrade(self, chain: str, code: bytes, check_version: bool, timeout: float) -> UpgradeReport:
        spec = self.network.spec.chains[chain]
        relay_name = chain if spec.role == "relay" else spec.relay
        deadline = time.monotonic() + timeout
        self._authorizing = None
        target = _api(self.network.endpoints[chain])
        relay = target if relay_name == chain else _api(self.network.endpoints[relay_name])
        try:
            before = _spec_version(target)
            start = target.get_block_header()["header"]["number"]
            if spec.role == "relay":
                self._relay(chain, target, code, check_version)
            else:
                self._parachain(chain, spec.para_id, target, relay, relay_name, code, check_version, deadline)
            blocks = self._until_running(chain, target, code, deadline)
        finally:
            target.close()
            if relay is not target:
                relay.close()
        after = _api(self.network.endpoints[chain])  # a fresh connection: the new runtime's metadata
        try:
            spec_after = _spec_version(after)
        finally:
            after.close()
        numbers = tuple(range(start + 1, blocks + 1))
        return UpgradeReport(chain, before, spec_after, read_runtime_bytes(code).code_hash, numbers)

    # --- Root on the relay -----------------------------------------------------------------------------------
    def _block(self, chain: str) -> None:
        """A block on `chain` that takes no pending message in but the upgrade's own (`_authorizing`)."""
        if self.network.spec.chains[chain].role == "relay":
            hold = {"ump": {}}
        else:
            hold = {"dmp": [self._authorizing]} if self._authorizing else {}
        self.network.rpc(chain, "dev_newBlock", [{"count": 1, **hold}])

    def _as_root(self, chain: str, api: SubstrateInterface, pallet: str, call: str, args: dict) -> tuple[int, list]:
        """Dispatch the call as Root in the relay's next block (a Scheduler agenda entry): that block's number and
        events, or its error."""
        data = bytes(api.compose_call(pallet, call, args).data.data)
        number = api.get_block_header()["header"]["number"] + 1
        if len(data) <= INLINE_LIMIT:
            bounded = {"Inline": "0x" + data.hex()}
        else:
            preimage_hash = "0x" + _blake2(data)
            key = api.create_storage_key("Preimage", "PreimageFor", [(preimage_hash, len(data))]).to_hex()
            value = api.runtime_config.create_scale_object("Bytes").encode("0x" + data.hex()).to_hex()
            self.network.rpc(chain, "dev_setStorage", [[[key, value]]])
            self.network.rpc(chain, "dev_setStorage", [{"Preimage": {"StatusFor": [[[preimage_hash], {
                "Requested": {"deposit": None, "count": 1, "len": len(data)}}]]}}])
            bounded = {"Lookup": {"hash": preimage_hash, "len": len(data)}}
        self.network.rpc(chain, "dev_setStorage", [{"Scheduler": {
            "Agenda": [[[number], [{"call": bounded, "origin": {"system": "Root"}}]]], "IncompleteSince": number}}])
        self._block(chain)
        events = _events(api, number)
        for event in events:
            if (event["module_id"], event["event_id"]) == ("Scheduler", "Dispatched"):
                result = event["attributes"]["result"]
                if isinstance(result, dict) and "Err" in result:
                    raise refused(chain, _error_name(api, result["Err"]))
                return number, events
        raise ChainCallError(f"{chain}: the scheduled Root call {pallet}.{call} was not dispatched in block {number}",
                             "check the chain's log (is its Scheduler pallet present?)")

    def _relay(self, chain: str, api: SubstrateInterface, code: bytes, check: bool) -> None:
        suffix = "" if check else "_without_checks"
        if api.get_metadata_call_function("System", "apply_authorized_upgrade") is not None:
            self._as_root(chain, api, "System", f"authorize_upgrade{suffix}",
                          {"code_hash": read_runtime_bytes(code).code_hash})
            self._apply_unsigned(chain, api, "System", "apply_authorized_upgrade", code)
        else:
            self._as_root(chain, api, "System", f"set_code{suffix}", {"code": "0x" + code.hex()})

    def _parachain(self, chain: str, para_id: int, api: SubstrateInterface, relay: SubstrateInterface,
                   relay_name: str, code: bytes, check: bool, deadline: float) -> None:
        code_hash = read_runtime_bytes(code).code_hash
        if api.get_metadata_call_function("ParachainSystem", "enact_authorized_upgrade") is not None:
            pallet, apply = "ParachainSystem", "enact_authorized_upgrade"
            authorize = api.compose_call(pallet, "authorize_upgrade", {"code_hash": code_hash, "check_version": check})
        else:
            pallet, apply = "System", "apply_authorized_upgrade"
            authorize = api.compose_call(pallet, "authorize_upgrade" + ("" if check else "_without_checks"),
                                         {"code_hash": code_hash})
        start = api.get_block_header()["header"]["number"]
        # XCM v3 as Kusama 1.0 takes it (an Xcm is a Vec, hence the list in a list); Superuser is Root there
        message = [[{"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}},
                    {"Transact": {"origin_kind": "Superuser",
                                  "require_weight_at_most": {"ref_time": 10**10, "proof_size": 10**6},
                                  "call": {"encoded": "0x" + bytes(authorize.data.data).hex()}}}]]
        sent_at, events = self._as_root(relay_name, relay, "XcmPallet", "send", {
            "dest": {"V3": {"parents": 0, "interior": {"X1": {"Parachain": para_id}}}}, "message": {"V3": message}})
        self._authorizing = {"sentAt": sent_at, "msg": _downward_blob(relay, events)}
        self._block(chain)
        _wait_event(self, chain, api, start, {(pallet, "UpgradeAuthorized")}, deadline,
                    "the relay's XCM Transact to authorize the upgrade")
        self._apply_unsigned(chain, api, pallet, apply, code)
        self._authorized_item = (pallet, "AuthorizedUpgrade")

    def _apply_unsigned(self, chain: str, api: SubstrateInterface, pallet: str, call: str, code: bytes) -> None:
        extrinsic = api.create_unsigned_extrinsic(api.compose_call(pallet, call, {"code": "0x" + code.hex()}))
        try:
            api.rpc_request("author_submitExtrinsic", [str(extrinsic.data)])
        except Exception as exc:  # noqa: BLE001 - the pool's refusal, whatever substrate-interface raises for it
            raise ChainCallError(f"{chain} refused {pallet}.{call}: {exc}",
                                 "the transaction pool validates it against the authorization: is the code the "
                                 "authorized one, and does its version increase (check_version)?") from None

    def _until_running(self, chain: str, api: SubstrateInterface, code: bytes, deadline: float) -> int:
        """Blocks until `:code` is the new code, then one more, whose block runs it (and its migrations)."""
        start = api.get_block_header()["header"]["number"]
        if self.network.spec.chains[chain].role == "parachain":
            _wait_event(self, chain, api, start - 2, {("ParachainSystem", "ValidationFunctionApplied")},
                        deadline, "the new validation function to be applied")
        wanted = _blake2(code)
        while _blake2(bytes.fromhex((api.rpc_request("state_getStorage", [CODE_KEY])["result"] or "0x")[2:])) \
                != wanted:
            if time.monotonic() > deadline:
                raise ChainCallError(f"{chain} does not run the new code in time", "raise the step's timeout")
            self._block(chain)
        # the first block on the new code, which takes the messages held during the upgrade
        self.network.rpc(chain, "dev_newBlock", [{"count": 1}])
        if self.network.spec.chains[chain].role == "parachain":
            self._drop_second_authorization(chain, api)
            self._authorizing = None
        return api.get_block_header()["header"]["number"]

    def _drop_second_authorization(self, chain: str, api: SubstrateInterface) -> None:
        """The authorizing message reached the parachain again after the upgrade (given to its blocks, and from the
        pool with the held messages). The upgrade is done, so the authorization it left is removed."""
        pallet, item = self._authorized_item
        self.network.rpc(chain, "dev_setStorage", [[[api.create_storage_key(pallet, item, []).to_hex(), None]]])


def _wait_event(upgrades: GovernanceUpgrades, chain: str, api: SubstrateInterface, after: int, wanted: set,
                deadline: float, what: str) -> None:
    """Build blocks on `chain` until one after `after` has one of the `wanted` (pallet, event); a failed
    extrinsic on the way is reported by its error's name."""
    number = after + 1
    while time.monotonic() < deadline:
        head = api.get_block_header()["header"]["number"]
        while number <= head:
            for event in _events(api, number):
                key = (event["module_id"], event["event_id"])
                if key in wanted:
                    return
                if key == ("System", "ExtrinsicFailed"):
                    raise refused(chain, _error_name(api, event["attributes"]["dispatch_error"]))
            number += 1
        upgrades._block(chain)
    raise ChainCallError(f"{chain}: no {' or '.join('.'.join(w) for w in sorted(wanted))} in time, waiting for {what}",
                         "raise the step's timeout, or check the chain's log")


def _downward_blob(relay: SubstrateInterface, events: list) -> str:
    """The downward message XcmPallet.send queued, as the parachain receives it: the VersionedXcm V3 of the
    message with the SetTopic(message_id) that Kusama's router (WithUniqueTopic) appends."""
    sent = next(e["attributes"] for e in events if (e["module_id"], e["event_id"]) == ("XcmPallet", "Sent"))
    instructions = [*sent["message"], {"SetTopic": sent["message_id"]}]
    fields = {f["name"]: f["type"] for f in relay.get_metadata_call_function("XcmPallet", "send").value["fields"]}
    versioned = relay.runtime_config.create_scale_object(f"scale_info::{fields['message']}", metadata=relay.metadata)
    return versioned.encode({"V3": [instructions]}).to_hex()  # an Xcm wraps a Vec: a list in a list


def _api(url: str) -> SubstrateInterface:
    """A client of its own (the upgrade pins blocks and reads at them); its metadata decoded once per process
    (client/substrate.py), where a plain SubstrateInterface decoded a real runtime's again on every step."""
    return Substrate(url, 60.0)


def _spec_version(api: SubstrateInterface) -> int:
    return int(api.rpc_request("state_getRuntimeVersion", [])["result"]["specVersion"])


def _events(api: SubstrateInterface, number: int) -> list[dict]:
    return [e.value for e in api.get_events(api.get_block_hash(number))]


def _error_name(api: SubstrateInterface, error: object) -> str:
    return dispatch_error_name(api.metadata, error)


def _blake2(data: bytes) -> str:
    return blake2_256(data).hex()
