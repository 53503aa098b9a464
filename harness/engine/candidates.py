"""Candidate runtimes given on the command line (`--runtime CHAIN=PATH`, repeatable) or in a network file (a
chain's `chopsticks: {wasm: PATH}`), laid onto a network for the provider that starts it.

The files themselves are checked where they are read (network/runtime_wasm.py); here: the option's shape, its
chain names, and that the provider can run wasm at all (a provider says so with `runs_wasm = True`)."""
from __future__ import annotations

import dataclasses

from ..errors import ProviderError
from ..network.topology import NetworkSpec

WASM_KEY = "wasm"  # the chain setting, under the provider's name, that names a candidate runtime


def parse_runtime_option(text: str) -> tuple[str, str]:
    """`CHAIN=PATH` -> (chain, path); ValueError with the expected shape otherwise."""
    chain, sep, path = text.partition("=")
    if not sep or not chain.strip() or not path.strip():
        raise ValueError(f"--runtime takes CHAIN=PATH, not {text!r} (e.g. --runtime kusama=./kusama_runtime.wasm)")
    return chain.strip(), path.strip()


def given_in_file(network: NetworkSpec) -> dict[str, str]:
    """chain -> the candidate its network-file settings name, under any provider's key."""
    return {chain.name: str(own[WASM_KEY]) for chain in network.chains.values()
            for own in chain.provider_settings.values() if isinstance(own, dict) and WASM_KEY in own}


def unknown_chains(runtimes: dict[str, str], networks: list[NetworkSpec]) -> str | None:
    """The error line for a `--runtime` chain that no network of the run has, or None."""
    known = sorted({chain for network in networks for chain in network.chains})
    unknown = sorted(set(runtimes) - set(known))
    if not unknown:
        return None
    return (f"--runtime names chain '{unknown[0]}', which no network of this run has; "
            f"hint: their chains: {', '.join(known) or 'none (no scenario collected)'}")


def with_candidates(network: NetworkSpec, provider, runtimes: dict[str, str]) -> NetworkSpec:
    """`network` with the `--runtime` candidates for its chains under `provider`'s settings; one ProviderError for
    candidates given to a provider that cannot run wasm."""
    runtimes = {chain: path for chain, path in runtimes.items() if chain in network.chains}
    given = {**given_in_file(network), **runtimes}
    if given and not getattr(provider, "runs_wasm", False):
        raise ProviderError(f"provider '{provider.name}' cannot run a candidate runtime (given for "
                            f"{', '.join(sorted(given))}): it runs no wasm",
                            "candidate runtimes run on chopsticks: use --provider chopsticks")
    if not runtimes:
        return network
    chains = {}
    for name, chain in network.chains.items():
        if name in runtimes:
            own = {**chain.provider_settings.get(provider.name, {}), WASM_KEY: runtimes[name]}
            chain = dataclasses.replace(chain, provider_settings={**chain.provider_settings, provider.name: own})
        chains[name] = chain
    return dataclasses.replace(network, chains=chains)
