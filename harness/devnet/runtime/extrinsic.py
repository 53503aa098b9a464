"""The extrinsic format v4 and its transaction extensions: types, metadata, decoding, signatures.

Sources (polkadot-sdk): substrate/primitives/runtime/src/generic/unchecked_extrinsic.rs (0x84
signed / 0x04 bare, the manual TypeInfo with Address/Call/Signature/Extra params, the signed
payload `(call, extension, implicit)` hashed with blake2_256 when longer than 256 bytes),
generic/era.rs (mortal era encoding, birth/death), traits/mod.rs (MultiSignature::verify),
transaction_validity.rs (InvalidTransaction and its Display strings),
substrate/client/rpc-api/src/author/error.rs (1010 "Invalid Transaction" with that string,
1011 "Unknown Transaction Validity"), frame/system/src/extensions/*.rs (each extension's type,
IDENTIFIER and implicit), frame/metadata-hash-extension, cumulus/pallets/weight-reclaim (its
metadata() appends "StorageWeightReclaim" after the wrapped tuple), frame/revive/src/evm/
tx_extension.rs ("EthSetOrigin"). Each chain's TxExtension tuple: relay/kusama/src/lib.rs,
relay/polkadot/src/lib.rs, system-parachains/asset-hubs/asset-hub-*/src/lib.rs,
system-parachains/bridge-hubs/bridge-hub-*/src/lib.rs (BridgeRejectObsoleteHeadersAndMessages from
generate_bridge_reject_obsolete_headers_and_messages!, and the relayers' refund extension
BridgeRelayersTransactionExtension, whose IDENTIFIER is the static str of bridge_to_*_config.rs
generate_static_str_provider!: the same on both Bridge Hubs).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable

import ed25519_zebra
import sr25519

from ..hashing import blake2_256
from ..metadata import ExtrinsicSpec
from ..node import RpcFailure
from ..scale import ScaleError, decode_compact, encode_compact

if TYPE_CHECKING:
    from .runtime import Runtime

SIGNED_V4, BARE_V4 = 0x84, 0x04

# sp_runtime::transaction_validity: `impl From<InvalidTransaction> for &'static str`
INVALID_MESSAGES = {
    "Call": "Transaction call is not expected",
    "Payment": "Inability to pay some fees (e.g. account balance too low)",
    "Future": "Transaction will be valid in the future",
    "Stale": "Transaction is outdated",
    "BadProof": "Transaction has a bad signature",
    "AncientBirthBlock": "Transaction has an ancient birth block",
    "ExhaustsResources": "Transaction would exhaust the block limits",
    "BadMandatory": "A call was labelled as mandatory, but resulted in an Error.",
    "MandatoryValidation": "Transaction dispatch is mandatory; transactions must not be validated.",
    "BadSigner": "Invalid signing address",
    "IndeterminateImplicit": "The implicit data was unable to be calculated",
    "UnknownOrigin": "The transaction extension did not authorize any origin",
}


class TransactionInvalid(Exception):
    """A TransactionValidityError: Invalid(kind), or Unknown(kind) with unknown=True."""

    def __init__(self, kind: str, unknown: bool = False):
        super().__init__(kind)
        self.kind = kind
        self.unknown = unknown

    def rpc_failure(self) -> RpcFailure:
        if self.unknown:   # author/error.rs: format!("{:?}", e)
            return RpcFailure(1011, "Unknown Transaction Validity", self.kind)
        return RpcFailure(1010, "Invalid Transaction", INVALID_MESSAGES[self.kind])


@dataclass(frozen=True)
class Extension:
    identifier: str
    ty: int
    implicit: int


# Which extensions each chain's TxExtension lists, in order. "StorageWeightReclaim" marks the
# Asset Hubs' wrapper, whose own metadata entry comes last.
RELAY_KUSAMA_EXTENSIONS = ("AuthorizeCall", "CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion",
                           "CheckGenesis", "CheckMortality", "CheckNonce", "CheckWeight",
                           "ChargeTransactionPayment", "CheckMetadataHash")
RELAY_POLKADOT_EXTENSIONS = RELAY_KUSAMA_EXTENSIONS[:-1] + ("PrevalidateAttests", "CheckMetadataHash")
ASSET_HUB_EXTENSIONS = ("AuthorizeCall", "CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion",
                        "CheckGenesis", "CheckMortality", "CheckNonce", "CheckWeight", "ChargeAssetTxPayment",
                        "PrevalidateAttests", "CheckMetadataHash", "EthSetOrigin", "StorageWeightReclaim")
RELAYER_REFUND_EXTENSION = "OnBridgeHubPolkadotRefundBridgeHubKusamaMessages"
BRIDGE_HUB_EXTENSIONS = ("AuthorizeCall", "CheckNonZeroSender", "CheckSpecVersion", "CheckTxVersion",
                         "CheckGenesis", "CheckMortality", "CheckNonce", "CheckWeight", "ChargeTransactionPayment",
                         "BridgeRejectObsoleteHeadersAndMessages", RELAYER_REFUND_EXTENSION, "CheckMetadataHash",
                         "StorageWeightReclaim")


@dataclass
class Extrinsic:
    """A decoded extrinsic. `extra` maps extension identifiers to their values (signed only)."""

    encoded: bytes               # with its compact length prefix, as in a block
    call: Any
    call_bytes: bytes
    signer: bytes | None = None
    signature: Any = None
    extra: dict | None = None
    extra_bytes: bytes = b""

    @property
    def signed(self) -> bool:
        return self.signer is not None

    @property
    def hash(self) -> bytes:
        return blake2_256(self.encoded)

    @property
    def length(self) -> int:
        return len(self.encoded)

    @property
    def nonce(self) -> int:
        return self.extra["CheckNonce"]

    @property
    def tip(self) -> int:
        payment = self.extra.get("ChargeTransactionPayment")
        if payment is None:
            payment = self.extra["ChargeAssetTxPayment"]["tip"]
        return payment

    @property
    def era(self) -> tuple[int, int] | None:
        """(period, phase) of a mortal era; None when immortal."""
        return decode_era(self.extra["CheckMortality"])


def decode_era(value: Any) -> tuple[int, int] | None:
    if value == "Immortal":
        return None
    (name, second), = value.items()
    encoded = int(name[len("Mortal"):]) + (second << 8)
    period = 2 << (encoded % 16)
    quantize = max(period >> 12, 1)
    return period, (encoded >> 4) * quantize


def era_birth(era: tuple[int, int] | None, current: int) -> int:
    if era is None:
        return 0
    period, phase = era
    return (max(current, phase) - phase) // period * period + phase


class ExtrinsicFormat:
    """The v4 extrinsic of one runtime: declares its types and metadata, decodes and verifies."""

    def __init__(self, runtime: "Runtime", identifiers: tuple[str, ...]):
        self.runtime = runtime
        reg, t = runtime.registry, runtime.types
        self.reg = reg
        wrapped = identifiers[-1] == "StorageWeightReclaim"
        inner_ids = identifiers[:-1] if wrapped else identifiers
        self.extensions = [self._extension(name) for name in inner_ids]
        self.identifiers = inner_ids
        inner = reg.tuple(*(e.ty for e in self.extensions))
        if wrapped:
            self.extra = reg.composite("cumulus_pallet_weight_reclaim::StorageWeightReclaim",
                                       [(None, inner, "S")], params=[("T", None), ("S", inner)])
            listed = self.extensions + [Extension("StorageWeightReclaim", t.unit, t.unit)]
        else:
            self.extra = inner
            listed = self.extensions
        self.implicit_type = reg.tuple(*(e.implicit for e in self.extensions))
        self.type = reg.composite("sp_runtime::generic::unchecked_extrinsic::UncheckedExtrinsic",
                                  [(None, t.bytes, None)],
                                  params=[("Address", t.multi_address), ("Call", runtime.call_enum),
                                          ("Signature", t.multi_signature), ("Extra", self.extra)],
                                  docs=("UncheckedExtrinsic raw bytes, requires custom decoding routine",))
        runtime.extrinsic = ExtrinsicSpec(self.type, t.multi_address, runtime.call_enum, t.multi_signature,
                                          self.extra, [(e.identifier, e.ty, e.implicit) for e in listed])

    def _extension(self, name: str) -> Extension:
        reg, t = self.reg, self.runtime.types
        sysx = "frame_system::extensions"
        T = [("T", None)]

        def empty(path: str) -> int:
            return reg.composite(path, [], params=T)
        if name == "AuthorizeCall":
            return Extension(name, empty(f"{sysx}::authorize_call::AuthorizeCall"), t.unit)
        if name == "CheckNonZeroSender":
            return Extension(name, empty(f"{sysx}::check_non_zero_sender::CheckNonZeroSender"), t.unit)
        if name == "CheckSpecVersion":
            return Extension(name, empty(f"{sysx}::check_spec_version::CheckSpecVersion"), t.u32)
        if name == "CheckTxVersion":
            return Extension(name, empty(f"{sysx}::check_tx_version::CheckTxVersion"), t.u32)
        if name == "CheckGenesis":
            return Extension(name, empty(f"{sysx}::check_genesis::CheckGenesis"), t.h256)
        if name == "CheckMortality":
            ty = reg.composite(f"{sysx}::check_mortality::CheckMortality", [(None, t.era, "Era")], params=T)
            return Extension(name, ty, t.h256)
        if name == "CheckNonce":
            ty = reg.composite(f"{sysx}::check_nonce::CheckNonce", [(None, reg.compact(t.u32), "T::Nonce")],
                               params=T)
            return Extension(name, ty, t.unit)
        if name == "CheckWeight":
            return Extension(name, empty(f"{sysx}::check_weight::CheckWeight"), t.unit)
        if name == "ChargeTransactionPayment":
            ty = reg.composite("pallet_transaction_payment::ChargeTransactionPayment",
                               [(None, reg.compact(t.u128), "BalanceOf<T>")], params=T)
            return Extension(name, ty, t.unit)
        if name == "ChargeAssetTxPayment":
            asset_id = self.runtime.pallet("AssetTxPayment").asset_id
            ty = reg.composite("pallet_asset_conversion_tx_payment::ChargeAssetTxPayment", [
                ("tip", reg.compact(t.u128), "BalanceOf<T>"),
                ("asset_id", reg.option(asset_id), "Option<T::AssetId>")], params=T)
            return Extension(name, ty, t.unit)
        if name == "PrevalidateAttests":
            return Extension(name, empty("polkadot_runtime_common::claims::PrevalidateAttests"), t.unit)
        if name == "CheckMetadataHash":
            mode = reg.variant("frame_metadata_hash_extension::Mode", [("Disabled", 0, []), ("Enabled", 1, [])])
            ty = reg.composite("frame_metadata_hash_extension::CheckMetadataHash", [("mode", mode, "Mode")],
                               params=T)
            return Extension(name, ty, reg.option(reg.array(t.u8, 32)))
        if name == "EthSetOrigin":
            return Extension(name, empty("pallet_revive::evm::tx_extension::SetOrigin"), t.unit)
        if name == "BridgeRejectObsoleteHeadersAndMessages":
            ty = reg.composite(f"{self.runtime.config.crate}::BridgeRejectObsoleteHeadersAndMessages", [])
            return Extension(name, ty, t.unit)
        if name == RELAYER_REFUND_EXTENSION:
            ty = reg.composite("pallet_bridge_relayers::extension::BridgeRelayersTransactionExtension", [],
                               params=[("Runtime", None), ("Config", None)])
            return Extension(name, ty, t.unit)
        raise ValueError(f"unknown transaction extension {name}")

    # --- decoding --------------------------------------------------------------------------
    def decode(self, encoded: bytes) -> Extrinsic:
        """Raises ScaleError for bytes that are not an extrinsic of this runtime."""
        reg, t = self.reg, self.runtime.types
        length, offset = decode_compact(encoded, 0)
        if offset + length != len(encoded):
            raise ScaleError(f"extrinsic length prefix {length} does not match {len(encoded) - offset} bytes")
        if length == 0:
            raise ScaleError("an empty extrinsic has no version byte")
        version = encoded[offset]
        offset += 1
        if version == BARE_V4:
            call, end = reg.decode_at(self.runtime.call_enum, encoded, offset)
            return Extrinsic(encoded, call, encoded[offset:end]) if end == len(encoded) else _trailing()
        if version != SIGNED_V4:
            raise ScaleError(f"unsupported extrinsic version byte {version:#04x}")
        address, offset = reg.decode_at(t.multi_address, encoded, offset)
        signature, offset = reg.decode_at(t.multi_signature, encoded, offset)
        extra_start = offset
        extra, offset = reg.decode_at(self.extra, encoded, offset)
        extra_bytes = encoded[extra_start:offset]
        call, end = reg.decode_at(self.runtime.call_enum, encoded, offset)
        if end != len(encoded):
            _trailing()
        signer = address.get("Id") if isinstance(address, dict) else None
        if signer is None:
            raise ScaleError("only MultiAddress::Id senders are supported (no pallet-indices lookup)")
        return Extrinsic(encoded, call, encoded[offset:end], signer, signature,
                         dict(zip(self.identifiers, extra)), extra_bytes)

    # --- checking (UncheckedExtrinsic::check) ----------------------------------------------
    def implicit(self, state, xt: Extrinsic, current_block: int) -> bytes:
        """The extensions' implicit data; AncientBirthBlock when the era's birth hash is gone."""
        system = self.runtime.pallet("System")
        cfg = self.runtime.config
        values = []
        for ext in self.extensions:
            name = ext.identifier
            if name == "CheckSpecVersion":
                values.append(cfg.spec_version)
            elif name == "CheckTxVersion":
                values.append(cfg.transaction_version)
            elif name == "CheckGenesis":
                values.append(system.block_hash.get(state, 0))
            elif name == "CheckMortality":
                birth = era_birth(xt.era, current_block)
                if not system.block_hash.exists(state, birth):
                    raise TransactionInvalid("AncientBirthBlock")
                values.append(system.block_hash.get(state, birth))
            elif name == "CheckMetadataHash":
                # the live runtimes embed their metadata hash; we have none to offer
                if xt.extra[name]["mode"] == "Enabled":
                    raise TransactionInvalid("BadProof")
                values.append(None)
            else:
                values.append([])   # ()
        return self.reg.encode(self.implicit_type, values)

    def encode_signed(self, call: Any, signer: bytes, sign: Callable[[bytes], bytes], *, nonce: int,
                      genesis_hash: bytes, era: Any = "Immortal", birth_hash: bytes | None = None, tip: int = 0,
                      spec_version: int | None = None, transaction_version: int | None = None,
                      scheme: str = "Sr25519", fee_asset: Any = None) -> bytes:
        """A signed v4 extrinsic as a wallet builds it (the tests' and tools' signer).

        sign(payload) -> 64-byte signature; birth_hash is the era's birth block hash (the
        genesis hash when immortal); the versions default to the runtime's own; fee_asset is
        ChargeAssetTxPayment's asset_id (the Asset Hubs: pay the fee in that asset)."""
        cfg = self.runtime.config
        values, implicit = [], []
        for ext in self.extensions:
            name = ext.identifier
            values.append({"CheckMortality": era, "CheckNonce": nonce, "ChargeTransactionPayment": tip,
                           "ChargeAssetTxPayment": {"tip": tip, "asset_id": fee_asset},
                           "CheckMetadataHash": {"mode": "Disabled"}}.get(name))
            implicit.append({"CheckSpecVersion": cfg.spec_version if spec_version is None else spec_version,
                             "CheckTxVersion": cfg.transaction_version if transaction_version is None
                             else transaction_version,
                             "CheckGenesis": genesis_hash,
                             "CheckMortality": genesis_hash if birth_hash is None else birth_hash,
                             "CheckMetadataHash": None}.get(name, []))
        extra_bytes = self.reg.encode(self.extra, values)
        call_bytes = self.reg.encode(self.runtime.call_enum, call)
        payload = call_bytes + extra_bytes + self.reg.encode(self.implicit_type, implicit)
        if len(payload) > 256:
            payload = blake2_256(payload)
        t = self.runtime.types
        body = (bytes([SIGNED_V4]) + self.reg.encode(t.multi_address, {"Id": signer})
                + self.reg.encode(t.multi_signature, {scheme: sign(payload)}) + extra_bytes + call_bytes)
        return encode_compact(len(body)) + body

    def verify_signature(self, state, xt: Extrinsic, current_block: int) -> None:
        payload = xt.call_bytes + xt.extra_bytes + self.implicit(state, xt, current_block)
        if len(payload) > 256:
            payload = blake2_256(payload)
        if not verify_multisignature(xt.signature, payload, xt.signer):
            raise TransactionInvalid("BadProof")


def mortal_era(period: int, current: int) -> Any:
    """Era::mortal(period, current) as the registry's Era value ({"MortalN": byte})."""
    period = min(max(1 << (period - 1).bit_length(), 4), 1 << 16)
    quantize = max(period >> 12, 1)
    phase = current % period // quantize * quantize
    low = min(15, max(1, (period & -period).bit_length() - 2))
    encoded = low | ((phase // quantize) << 4)
    return {f"Mortal{encoded & 0xff}": encoded >> 8}


def verify_multisignature(signature: Any, message: bytes, signer: bytes) -> bool:
    """MultiSignature::verify against an AccountId32 (ECDSA signers are not supported)."""
    (scheme, sig), = signature.items()
    try:
        if scheme == "Sr25519":
            return bool(sr25519.verify(bytes(sig), message, signer))
        if scheme == "Ed25519":
            return bool(ed25519_zebra.ed_verify(bytes(sig), message, signer))
    except (ValueError, TypeError):
        return False
    return False


def encode_bare(runtime: "Runtime", call: Any) -> bytes:
    """A bare (unsigned) v4 extrinsic with its length prefix, e.g. an inherent."""
    body = bytes([BARE_V4]) + runtime.registry.encode(runtime.call_enum, call)
    return encode_compact(len(body)) + body


def _trailing():
    raise ScaleError("bytes left over after the call")
