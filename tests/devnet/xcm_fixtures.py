"""Chains with pallet-xcm for the executor tests: state after genesis, a recording router, a
fungibles fake, and a helper to run a sent message on the other chain."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from substrateinterface import Keypair

from harness.devnet.runtime.frame import DispatchError, State
from harness.devnet.runtime.runtime import Runtime
from harness.devnet.runtimes import KINDS
from harness.devnet.runtimes.presets import default_config
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.executor import SendFailure
from harness.devnet.xcm.pallet_xcm import XcmPallet

ALICE = Keypair.create_from_uri("//Alice").public_key
BOB = Keypair.create_from_uri("//Bob").public_key
BIG = {"ref_time": 10**13, "proof_size": 10**7}
DELIVERY_FEE = 1_000_000
# the composition's FRAME pallets these chains keep, beside pallet-xcm
FRAME_PALLETS = {"System", "Timestamp", "Balances", "TransactionPayment", "AssetTxPayment"}


class RecordingRouter:
    """validate/deliver like XcmRouter (WithUniqueTopic), fixed fee, messages kept in `sent`."""

    def __init__(self, fee_asset: dict, reachable=lambda dest: True):
        self.fee_asset = fee_asset
        self.reachable = reachable
        self.sent: list[tuple[dict, list]] = []

    def validate(self, ctx, dest, message):
        if not self.reachable(dest):
            raise SendFailure("NotApplicable")
        message = list(message)
        if not (message and isinstance(message[-1], dict) and "SetTopic" in message[-1]):
            message.append({"SetTopic": hashlib.blake2b(repr(message).encode(), digest_size=32).digest()})
        return (dest, message), [{"id": self.fee_asset, "fun": {"Fungible": DELIVERY_FEE}}]

    def deliver(self, ctx, ticket):
        self.sent.append(ticket)
        return ticket[1][-1]["SetTopic"]


class FakeFungibles:
    """pallet-assets semantics enough for the adapters: balances per (asset, who) kept in State."""

    def __init__(self, name: str):
        self.prefix = name.encode()
        self.reserves: dict[str, list] = {}     # repr(asset id) -> its reserve data (ForeignAssets.Reserves)

    def reserves_of(self, ctx, asset_id):
        return self.reserves.get(repr(L.normalize(asset_id)), [])

    def _key(self, asset_id, who: bytes) -> bytes:
        return self.prefix + repr(L.normalize(asset_id)).encode() + b"/" + who

    def balance(self, ctx, asset_id, who):
        raw = ctx.state.get(self._key(asset_id, who))
        return int.from_bytes(raw, "little") if raw else 0

    def total_issuance(self, ctx, asset_id):
        raw = ctx.state.get(self._key(asset_id, b"*"))
        return int.from_bytes(raw, "little") if raw else 0

    def _set(self, ctx, asset_id, who, value):
        ctx.state.set(self._key(asset_id, who), value.to_bytes(16, "little"))

    def mint_into(self, ctx, asset_id, who, amount):
        self._set(ctx, asset_id, who, self.balance(ctx, asset_id, who) + amount)
        self._set(ctx, asset_id, b"*", self.total_issuance(ctx, asset_id) + amount)

    def burn_from(self, ctx, asset_id, who, amount):
        if self.balance(ctx, asset_id, who) < amount:
            raise DispatchError.token("FundsUnavailable")
        self._set(ctx, asset_id, who, self.balance(ctx, asset_id, who) - amount)
        self._set(ctx, asset_id, b"*", self.total_issuance(ctx, asset_id) - amount)

    def transfer(self, ctx, asset_id, source, dest, amount):
        self.burn_from(ctx, asset_id, source, amount)
        self.mint_into(ctx, asset_id, dest, amount)


@dataclass
class Chain:
    runtime: Runtime
    state: State
    router: RecordingRouter
    block: int = 1
    extra: dict = field(default_factory=dict)

    @property
    def ctx(self):
        return self.runtime.new_ctx(self.state, self.block)

    @property
    def xcm(self) -> XcmPallet:
        return next(p for p in self.runtime.pallets if isinstance(p, XcmPallet))

    def free(self, who: bytes) -> int:
        return self.runtime.pallet("Balances").free_balance(self.state, who)

    def events(self, pallet: str | None = None) -> list:
        out = [r["event"] for r in self.runtime.pallet("System").events_item.get(self.state)]
        return [e for e in out if pallet is None or pallet in e]

    def xcm_events(self) -> list[tuple[str, dict]]:
        return [next(iter(e[self.xcm.NAME].items())) for e in self.events(self.xcm.NAME)]


def make_chain(name: str) -> Chain:
    config = default_config(name)
    index = 99 if config.is_relay else 31
    frame = [(cls, i) for cls, i in KINDS[config.spec_name].pallets(config) if cls.NAME in FRAME_PALLETS]
    runtime = Runtime(config, sorted(frame + [(XcmPallet, index)], key=lambda e: e[1]), account_index_u32=False)
    state = State()
    ctx = runtime.new_ctx(state, 0)
    for pallet in runtime.pallets:
        pallet.genesis(ctx, {"balances": [(ALICE, config.endowment)]})
    router = RecordingRouter(L.HERE if config.is_relay else L.PARENT)
    xcm = next(p for p in runtime.pallets if isinstance(p, XcmPallet))
    xcm.hooks.router = router
    xcm.hooks.foreign_assets = FakeFungibles("foreign")
    return Chain(runtime, state, router)
