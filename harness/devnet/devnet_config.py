"""What the devnet runs, read from a network file: the chains, their runtimes, ports and genesis.

Per chain (`chains.<name>.devnet`): `port`, `endowment`, `endowed`, and `runtime` for a chain whose
name is not one of the four runtimes. Network-wide (`providers.devnet`): `block_mode`, `interval_ms`,
`endowed` for every chain, `endpoints_file` (where to write the endpoints; `--endpoints-file`
puts it there for a pytest run) and `state_pruning` (how many recent blocks keep their state, as a node's
`--state-pruning`; default 256). Every mistake is reported at its place in the file.
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import bip39
import sr25519

from ..endpoints import parse_port
from ..network.topology import ChainSpec, NetworkSpec
from ..scenario.amounts import PLANCK, Amount, AmountError
from ..scenario.loader import load_documents
from ..scenario.positions import KeyPath, ScenarioErrors, error_at
from .chain import STATE_PRUNING
from .runtimes.presets import default_config
from .runtime.runtime import ChainConfig
from .scale import encode_compact
from .xcm import locations as L

RUNTIMES = ("kusama", "kusama-asset-hub", "kusama-bridge-hub", "polkadot", "polkadot-asset-hub", "polkadot-bridge-hub")
BLOCK_MODES = ("instant", "manual", "interval")
CHAIN_KEYS = ("port", "endowment", "endowed", "runtime")
NETWORK_KEYS = ("block_mode", "interval_ms", "endowed", "endpoints_file", "state_pruning")
DEFAULT_INTERVAL_MS = 6000  # a relay chain's slot
DEV_PHRASE = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"  # substrate's dev mnemonic
# substrate-interface's Keypair.create_from_uri grammar: [phrase][/soft|//hard ...][///password]
_SURI = re.compile(r"^(?P<phrase>.[^/]+( .[^/]+)*)(?P<path>(//?[^/]+)*)(///(?P<password>.*))?$")
_JUNCTION = re.compile(r"(//?)([^/]+)")


@dataclass(frozen=True)
class DevnetChainConfig:
    name: str
    runtime: str            # one of RUNTIMES
    relay: str | None       # the relay a parachain belongs to
    port: int               # 0: any free port
    chain: ChainConfig      # identity and genesis, for build_runtime
    endowed_keys: tuple[bytes, ...]  # sr25519 public keys of chain.endowed

    @property
    def para_id(self) -> int | None:
        return self.chain.para_id


@dataclass(frozen=True)
class DevnetConfig:
    network: str
    chains: dict[str, DevnetChainConfig]
    block_mode: str
    interval_ms: int
    endpoints_file: Path | None = None
    state_pruning: int = STATE_PRUNING  # blocks whose state each chain keeps


class _Problems:
    """Positioned errors, reading the file's positions only once something is wrong."""

    def __init__(self, spec: NetworkSpec):
        self.spec = spec
        self.found: list[tuple[KeyPath, str, str | None]] = []

    def add(self, path: KeyPath, message: str, hint: str | None = None) -> None:
        if (path, message, hint) not in self.found:  # a network-wide setting is checked once per chain
            self.found.append((path, message, hint))

    def raise_any(self) -> None:
        if not self.found:
            return
        doc = load_documents(self.spec.file)[0]
        errors = [error_at(doc, path, message, hint) for path, message, hint in self.found]
        raise ScenarioErrors(sorted(errors, key=lambda e: (e.position.line, e.position.column)))


def _port(raw: object, path: KeyPath, problems: _Problems) -> int:
    if raw is None:
        return 0
    port = parse_port(raw)
    if port is None:
        problems.add(path, f"port must be a port number (1-65535), not {raw!r}", "remove it to get a free port")
        return 0
    return port


def _endowment(raw: object, chain: ChainSpec, base: ChainConfig, path: KeyPath, problems: _Problems) -> int:
    if raw is None:
        return base.endowment
    if isinstance(raw, int) and not isinstance(raw, bool) and raw > 0:
        return raw  # planck
    try:
        amount = Amount.parse(raw)
        if amount.unit not in (PLANCK, base.symbol):
            raise AmountError(f"'{raw}' is not in {base.symbol}", f"chain '{chain.name}' holds {base.symbol}")
        return amount.to_planck(base.decimals)
    except AmountError as exc:
        problems.add(path, f"endowment: {exc}", exc.hint)
        return base.endowment


def dev_public_key(uri: str) -> bytes:
    """The sr25519 public key substrate-interface's Keypair.create_from_uri(uri) has, without importing it
    (a quarter of a second at devnet start). Raises ValueError for what it would refuse."""
    match = _SURI.match(DEV_PHRASE + uri if uri.startswith("/") else uri)
    if match is None or match["password"]:
        raise ValueError(f"{uri!r} is not a secret URI without password, like //Alice or //Bob//stash")
    public, private = sr25519.pair_from_seed(bytes(bip39.bip39_to_mini_secret(match["phrase"], "")))
    for separator, name in _JUNCTION.findall(match["path"]):
        derive = sr25519.hard_derive_keypair if separator == "//" else sr25519.derive_keypair
        _, public, private = derive((_chain_code(name), public, private), b"")
    return bytes(public)


def _chain_code(junction: str) -> bytes:
    """substrateinterface.key.DeriveJunction: a number as little-endian, else its SCALE bytes, padded to 32."""
    if junction.isnumeric():
        number = int(junction)
        return number.to_bytes((number.bit_length() + 7) // 8, "little").ljust(32, b"\0")
    data = junction.encode()
    scale = encode_compact(len(data)) + data
    return hashlib.blake2b(scale, digest_size=32).digest() if len(scale) > 32 else scale.ljust(32, b"\0")


def _endowed(raw: object, default: list[str], path: KeyPath, problems: _Problems) -> list[str]:
    if raw is None:
        return default
    if not isinstance(raw, list) or not all(isinstance(s, str) and s.strip() for s in raw):
        problems.add(path, "endowed must be a list of dev account URIs", "e.g. endowed: [//Alice, //Bob]")
        return default
    return list(raw)


def _keys(uris: list[str], path: KeyPath, problems: _Problems) -> tuple[bytes, ...]:
    keys = []
    for uri in uris:
        try:
            keys.append(dev_public_key(uri))
        except ValueError as exc:  # bip39 refuses a phrase with ValueError too
            problems.add(path, f"endowed account {uri!r}: {exc}", "use //Name paths, or a valid mnemonic")
    return tuple(keys)


def _runtime(chain: ChainSpec, raw: object, path: KeyPath, problems: _Problems) -> str | None:
    kind = raw if raw is not None else (chain.name if chain.name in RUNTIMES else None)
    if kind is None:
        problems.add(path[:-1], f"chain '{chain.name}' has no devnet runtime",
                     f"name the chain after one, or set devnet.runtime: one of {', '.join(RUNTIMES)}")
    elif kind not in RUNTIMES:
        problems.add(path, f"unknown devnet runtime {kind!r}", f"one of {', '.join(RUNTIMES)}")
        return None
    return kind


def _unknown_keys(raw: dict, allowed: tuple[str, ...], path: KeyPath, problems: _Problems) -> None:
    for key in raw:
        if key not in allowed:
            problems.add(path + (key,), f"unknown devnet setting '{key}'", f"allowed: {', '.join(allowed)}")


def _chain(chain: ChainSpec, spec: NetworkSpec, endowed: list[str], problems: _Problems) -> DevnetChainConfig | None:
    own = chain.provider_settings.get("devnet", {})
    path: KeyPath = ("chains", chain.name, "devnet")
    _unknown_keys(own, CHAIN_KEYS, path, problems)
    kind = _runtime(chain, own.get("runtime"), path + ("runtime",), problems)
    if kind is None:
        return None
    base = default_config(kind)
    role = "relay" if base.is_relay else "parachain"
    if chain.role != role:
        problems.add(("chains", chain.name, "role"), f"the {kind} runtime is a {role}, not a {chain.role}",
                     f"set role: {role}, or another devnet.runtime")
        return None
    if chain.token != base.symbol:
        problems.add(("chains", chain.name, "token"), f"the {kind} runtime's token is {base.symbol}, not {chain.token}",
                     f"set token: {base.symbol}")
    if chain.relay is not None:
        relay = spec.chains[chain.relay]
        relay_kind = relay.provider_settings.get("devnet", {}).get("runtime", relay.name)
        if relay_kind in RUNTIMES and default_config(relay_kind).network != base.network:
            problems.add(("chains", chain.name, "relay"), f"a {base.network} parachain cannot sit on the "
                         f"{default_config(relay_kind).network} relay '{relay.name}'", "pick a relay of its network")
    endowed_path = path + ("endowed",) if "endowed" in own else ("providers", "devnet", "endowed")
    config = dataclasses.replace(
        base, name=chain.name, para_id=chain.para_id if chain.role == "parachain" else None,
        endowment=_endowment(own.get("endowment"), chain, base, path + ("endowment",), problems),
        endowed=_endowed(own.get("endowed"), endowed or base.endowed, path + ("endowed",), problems))
    return DevnetChainConfig(chain.name, kind, chain.relay, _port(own.get("port"), path + ("port",), problems),
                             config, _keys(config.endowed, endowed_path, problems))


def _interval_ms(raw: object, problems: _Problems) -> int:
    if raw is None:
        return DEFAULT_INTERVAL_MS
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        problems.add(("providers", "devnet", "interval_ms"), f"interval_ms must be a positive number of "
                     f"milliseconds, not {raw!r}", "e.g. interval_ms: 1000")
        return DEFAULT_INTERVAL_MS
    return raw


def _state_pruning(raw: object, problems: _Problems) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or raw < 1:
        problems.add(("providers", "devnet", "state_pruning"),
                     f"state_pruning must be a whole number of blocks (1 or more), not {raw!r}",
                     f"a node keeps {STATE_PRUNING}; keep more for scenarios that read older blocks' state")
        return STATE_PRUNING
    return raw


def build_config(spec: NetworkSpec, block_mode: str | None = None) -> DevnetConfig:
    """The devnet for `spec`; `block_mode` (from the command line) overrides the file's. Raises ScenarioErrors."""
    problems = _Problems(spec)
    options = spec.provider_settings.get("devnet", {})
    _unknown_keys(options, NETWORK_KEYS, ("providers", "devnet"), problems)
    mode = block_mode or options.get("block_mode", "instant")
    if mode not in BLOCK_MODES:
        problems.add(("providers", "devnet", "block_mode"), f"block_mode must be one of {', '.join(BLOCK_MODES)}, "
                     f"not {mode!r}", "instant builds a block per transaction; manual waits for dev_newBlock")
    endowed = _endowed(options.get("endowed"), [], ("providers", "devnet", "endowed"), problems)
    chains = {c.name: _chain(c, spec, endowed, problems) for c in spec.chains.values()}
    by_port: dict[int, str] = {}
    for name, chain in chains.items():
        if chain is None or not chain.port:
            continue
        if chain.port in by_port:
            problems.add(("chains", name, "devnet", "port"),
                         f"port {chain.port} is also given to '{by_port[chain.port]}'", "give each chain its own port")
        by_port[chain.port] = name
    interval = _interval_ms(options.get("interval_ms"), problems)
    pruning = _state_pruning(options.get("state_pruning", STATE_PRUNING), problems)
    endpoints_file = options.get("endpoints_file")
    if endpoints_file is not None and not isinstance(endpoints_file, str):
        problems.add(("providers", "devnet", "endpoints_file"), "endpoints_file must be a path",
                     "e.g. endpoints_file: ./endpoints.json")
        endpoints_file = None
    problems.raise_any()
    return DevnetConfig(spec.name, _negotiated(chains), mode, interval,
                        Path(endpoints_file) if endpoints_file else None, pruning)


def _peer(of: DevnetChainConfig, peer: DevnetChainConfig) -> dict:
    """`peer` as `of` names it in XCM: a child (0, [Parachain]), the parent (1, Here), a sibling (1, [Parachain])."""
    if peer.para_id is None:
        return L.PARENT
    return L.parachain(peer.para_id, parents=0 if of.para_id is None else 1)


def _negotiated(chains: dict[str, DevnetChainConfig]) -> dict[str, DevnetChainConfig]:
    """Each chain as live chains are after pallet-xcm's version negotiation with its relay, children and siblings
    (xcm/pallet_xcm/negotiation.py genesis_subscriptions): subscribed to each peer with query ids 0, 1, .. in peer
    order (the relay first, then by para id), and each peer's subscription to it noted as a notify target."""
    def group(chain: DevnetChainConfig) -> str:
        return chain.relay or chain.name

    peers = {name: sorted((c for c in chains.values() if c.name != name and group(c) == group(chain)),
                          key=lambda c: -1 if c.para_id is None else c.para_id)
             for name, chain in chains.items()}
    negotiated = {}
    for name, chain in chains.items():
        subscriptions = [(_peer(chain, peer), query_id) for query_id, peer in enumerate(peers[name])]
        targets = [(_peer(chain, peer), [p.name for p in peers[peer.name]].index(name)) for peer in peers[name]]
        extra = {**chain.chain.extra, "version_subscriptions": subscriptions, "version_targets": targets}
        negotiated[name] = dataclasses.replace(chain, chain=dataclasses.replace(chain.chain, extra=extra))
    return negotiated
