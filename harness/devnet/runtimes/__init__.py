"""The devnet's runtimes, one module per runtime kind, as polkadot-fellows/runtimes has one crate each.

  relay.py       Kusama and Polkadot relay chains
  asset_hub.py   Kusama and Polkadot Asset Hubs
  bridge_hub.py  Kusama and Polkadot Bridge Hubs
Each lists every pallet with its index (construct_runtime!) and its Config in pallets(config), and
connects the parts that exist only once the runtime does in wire(runtime). parts.py holds the
Config impls the kinds share, params.py the numbers (fees, limits, weights), presets.py the six
chains' identities and genesis settings. build_runtime() below is the same for every kind.
"""
from __future__ import annotations

from types import ModuleType

from ..runtime.apis import install as install_apis
from ..runtime.apis import runtime_version
from ..runtime.executive import Executive
from ..runtime.extrinsic import ExtrinsicFormat
from ..runtime.runtime import ChainConfig, Runtime
from ..xcm.dispatch_apis import declare_origin_caller
from ..xcm.dispatch_apis import install as install_xcm_apis
from . import asset_hub, bridge_hub, relay
from .params import EXTENSION_WEIGHTS, EXTENSIONS, LIMITS, SLOT_DURATION

KINDS: dict[str, ModuleType] = {spec: kind for kind in (relay, asset_hub, bridge_hub) for spec in kind.SPECS}


def build_runtime(config: ChainConfig) -> Runtime:
    """The runtime of config.spec_name: its kind's pallets, then the extrinsic format, executive and
    runtime APIs, the kind's wiring, the XCM runtime APIs, and last System's constants (which list the APIs)."""
    spec = config.spec_name
    if spec not in KINDS:
        raise ValueError(f"unknown runtime {spec!r}; known: {', '.join(KINDS)}")
    kind = KINDS[spec]
    # Address = MultiAddress<AccountId, ()>
    runtime = Runtime(config, kind.pallets(config), account_index_u32=False,
                      extension_weights=EXTENSION_WEIGHTS[spec])
    fmt = ExtrinsicFormat(runtime, EXTENSIONS[spec])
    runtime.executive = Executive(runtime, fmt, "babe" if config.is_relay else "aura", SLOT_DURATION[spec])
    install_apis(runtime)
    kind.wire(runtime)
    if runtime.origin_caller is not None:     # reserved by a call that takes one (Utility.dispatch_as)
        declare_origin_caller(runtime)
    install_xcm_apis(runtime)  # DryRunApi, XcmPaymentApi: every live runtime of the six serves both
    runtime.pallet("System").declare_constants(LIMITS[spec], runtime_version(runtime))  # Version lists them all
    # the constants that carry the versions of the code a dev RPC may change (runtime/code.py)
    runtime.code_constants[("System", "Version")] = lambda code: runtime_version(runtime)
    xcm_pallet = "XcmPallet" if config.is_relay else "PolkadotXcm"
    runtime.code_constants[(xcm_pallet, "AdvertisedXcmVersion")] = lambda code: code.xcm_version
    return runtime
