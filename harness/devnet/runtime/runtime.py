"""A runtime: pallets at their indices, the outer enums, the metadata, and dispatch.

construct_runtime! in the real runtimes builds RuntimeCall/RuntimeEvent/RuntimeError as enums whose
variant index is the pallet index; we do the same so encoded calls and events match byte for byte.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from ..metadata import ApiSpec, ExtrinsicSpec, MetadataSpec, encode_v14, encode_v15
from ..scale import TypeRegistry
from ..types.primitives import declare_primitives
from ..xcm.versions import LATEST
from .code import Code
from .frame import Ctx, DispatchError, Origin, Pallet, State


@dataclass
class ChainConfig:
    """Identity and genesis of one chain, from the network file and the runtime module."""

    name: str                      # topology name, e.g. "kusama-asset-hub"
    chain_name: str                # system_chain, e.g. "Kusama Asset Hub"
    spec_name: str                 # RuntimeVersion.specName, e.g. "statemine"
    crate: str                     # the runtime crate, for type paths, e.g. "asset_hub_kusama_runtime"
    spec_version: int
    transaction_version: int
    ss58: int
    decimals: int
    symbol: str
    network: str                   # "Kusama" | "Polkadot" (the XCM NetworkId)
    para_id: int | None = None     # None for a relay
    existential_deposit: int = 0
    endowment: int = 0
    endowed: list[str] = field(default_factory=list)   # dev seeds, //Alice ...
    impl_name: str = "parity-polkadot"
    authoring_version: int = 0
    state_version: int = 1
    extra: dict = field(default_factory=dict)          # runtime-specific settings

    @property
    def is_relay(self) -> bool:
        return self.para_id is None


class Runtime:
    """One chain's runtime: construct_runtime!'s outer enums over `pallets` (class, index) in index
    order. harness/devnet/runtimes/ composes one per runtime kind."""

    def __init__(self, config: ChainConfig, pallets: list[tuple[type[Pallet], int]], account_index_u32: bool,
                 extension_weights: dict[str, tuple[int, int]] | None = None):
        self.config = config
        self.registry = reg = TypeRegistry()
        self.types = declare_primitives(reg, reg.prim("u32") if account_index_u32 else None)
        self.call_enum = reg.reserve("RuntimeCall")
        self.event_enum = reg.reserve("RuntimeEvent")
        self.origin_caller: int | None = None         # OriginCaller, when a pallet's call takes one (Utility)
        self.pallets: list[Pallet] = [cls(self, index) for cls, index in pallets]
        self.by_name = {p.NAME: p for p in self.pallets}
        for p in self.pallets:
            p.declare()
        crate = config.crate
        reg.define(self.call_enum, "variant", f"{crate}::RuntimeCall", variants=[
            (p.NAME, p.index, [(None, p.calls, f"self::sp_api_hidden_includes_construct_runtime::hidden_include"
                                               f"::dispatch::CallableCallFor<{p.NAME}, Runtime>")])
            for p in self.pallets if p.calls is not None])
        reg.define(self.event_enum, "variant", f"{crate}::RuntimeEvent", variants=[
            (p.NAME, p.index, [(None, p.events, f"{p.NAME.lower()}::Event<Runtime>")])
            for p in self.pallets if p.events is not None])
        self.error_enum = reg.variant(f"{crate}::RuntimeError", [
            (p.NAME, p.index, [(None, p.errors, f"{p.NAME.lower()}::Error<Runtime>")])
            for p in self.pallets if p.errors is not None])
        self.runtime_type = reg.composite(f"{crate}::Runtime", [])
        self.extrinsic: ExtrinsicSpec | None = None   # set by the extrinsic format (extrinsic.py)
        self.apis: list[ApiSpec] = []
        self.api_handlers: dict[str, Any] = {}        # "Api_method" -> fn(runtime, state, data) -> bytes
        self.api_versions: dict[str, int] = {}        # set by runtime/apis.install
        self.api_types: dict[str, int] = {}           # set by runtime/apis.install
        self.version_type: int | None = None          # set by runtime/apis.install
        self.xcm_api_types: Any = None                # set by xcm/dispatch_apis.install
        self.extension_weights = extension_weights or {}   # benchmarked TransactionExtension weights
        # Parts the runtime-kind module (harness/devnet/runtimes/) creates once the pallets exist:
        self.executive: Any = None                    # runtime.executive.Executive
        self.xcm_router: Any = None                   # xcm.router.XcmRouter (SendXcm)
        self.bridge_router: Any = None                # the Asset Hubs' pallet_xcm_bridge_hub_router
        self.xcm_outbox: list = []                    # xcm/transport.py: sent, not yet handed over
        self.xcm_inbox: list = []                     # xcm/transport.py: delivered, not yet processed
        self.genesis_code = Code(config.spec_version, LATEST)   # the code it starts with (runtime/code.py)
        self.code_constants: dict[tuple[str, str], Any] = {}   # (pallet, constant) -> fn(Code) -> value
        self._metadata: dict[tuple[int, Code], bytes] = {}
        self._xcm_version = LATEST

    # --- the code the chain runs (runtime/code.py) -----------------------------------------
    @property
    def code(self) -> Code:
        """The code the runtime runs now: its spec version (config) and pallet-xcm's advertised version."""
        return Code(self.config.spec_version, self._xcm_version)

    def use_code(self, code: Code) -> None:
        """Run `code` from now on: what the version-bearing parts read (CheckSpecVersion, Core_version,
        WrapVersion) and the constants that carry it (System.Version, pallet-xcm's AdvertisedXcmVersion)."""
        if code == self.code:
            return
        self.config.spec_version, self._xcm_version = code.spec_version, code.xcm_version
        for (pallet, name), value_of in self.code_constants.items():
            constants = self.by_name[pallet].constants
            index = next(i for i, c in enumerate(constants) if c.name == name)
            old = constants[index]
            constants[index] = replace(old, value=self.registry.encode(old.type, value_of(code)))

    # --- metadata --------------------------------------------------------------------------
    def metadata_spec(self) -> MetadataSpec:
        return MetadataSpec(self.registry, [p.spec() for p in self.pallets], self.extrinsic, self.runtime_type,
                            self.call_enum, self.event_enum, self.error_enum, self.apis)

    def metadata(self, version: int = 14) -> bytes:
        """The metadata of the code it runs now (its constants carry the versions)."""
        key = (version, self.code)
        if key not in self._metadata:
            encode = {14: encode_v14, 15: encode_v15}[version]
            self._metadata[key] = encode(self.metadata_spec())
        return self._metadata[key]

    # --- dispatch --------------------------------------------------------------------------
    def pallet(self, name: str) -> Pallet:
        return self.by_name[name]

    def dispatch(self, ctx: Ctx, origin: Origin, call: Any) -> tuple[int, int] | None:
        """Run one RuntimeCall value transactionally: on DispatchError nothing it wrote remains. Returns the
        actual weight a call reports (PostDispatchInfo.actual_weight: a handler returns it), else None."""
        (pallet_name, inner), = call.items()
        name, args = (inner, None) if isinstance(inner, str) else next(iter(inner.items()))
        handler = getattr(self.by_name[pallet_name], f"call_{name}", None)
        if handler is None:
            raise DispatchError.simple("Unavailable")  # declared in metadata, not emulated
        ctx.state.begin()
        try:
            actual_weight = handler(ctx, origin, **(args or {}))
        except DispatchError:
            ctx.state.rollback()
            raise
        ctx.state.commit()
        return actual_weight

    def call_weight(self, call: Any) -> tuple[int, int]:
        (pallet_name, inner), = call.items()
        name, args = (inner, None) if isinstance(inner, str) else next(iter(inner.items()))
        return self.by_name[pallet_name].weight(name, args)

    def dispatch_class(self, call: Any) -> str:
        (pallet_name, inner), = call.items()
        name, args = (inner, None) if isinstance(inner, str) else next(iter(inner.items()))
        return self.by_name[pallet_name].dispatch_class(name, args)

    def deposit_event(self, ctx: Ctx, pallet: str, event: Any, topics: list[bytes]) -> None:
        self.by_name["System"].deposit_event(ctx, {pallet: event}, topics)

    def new_ctx(self, state: State, block_number: int) -> Ctx:
        return Ctx(self, state, block_number)
