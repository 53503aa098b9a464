"""Network files (zombienet-style): chains, their roles (relay, para id), and provider settings.

Provider settings are read here as named mappings; which names are providers only the provider registry
knows, and it checks them (harness/providers/registry.py: check_names) with the positions kept in `source`."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..scenario.loader import load_documents
from ..scenario.positions import ScenarioErrors, SourceDoc, error_at
from .storage import StorageOverride, parse_overrides
from .catalog import with_builtin

ROLES = ("relay", "parachain")
CHAIN_KEYS = ("para_id", "relay", "role", "storage", "token")  # a chain's other keys are provider settings
_ENV = re.compile(r"\$\{(?P<name>[A-Za-z_][A-Za-z0-9_]*)(:-(?P<default>[^}]*))?\}")


@dataclass(frozen=True)
class ChainSpec:
    name: str
    role: str
    token: str
    para_id: int | None = None
    relay: str | None = None
    # settings per provider, e.g. {"chopsticks": {"genesis": "/abs/path.json"}}
    provider_settings: dict[str, dict] = field(default_factory=dict)
    storage: tuple[StorageOverride, ...] = ()  # written when the network is up (network/storage.py)


@dataclass(frozen=True)
class NetworkSpec:
    name: str
    file: Path
    provider: str | None
    chains: dict[str, ChainSpec]
    provider_settings: dict[str, dict]
    source: SourceDoc | None = field(default=None, compare=False, repr=False)  # for positioned errors

    def chain(self, name: str) -> ChainSpec:
        return self.chains[name]

    def parachains_of(self, relay: str) -> list[ChainSpec]:
        return [c for c in self.chains.values() if c.relay == relay]


def expand(value: str, base: Path) -> str:
    """`${VAR:-default}` from the environment; relative paths are taken from the network file's folder."""
    text = _ENV.sub(lambda m: os.environ.get(m["name"], m["default"] or ""), value)
    if text.startswith(("./", "../")):
        return str((base / text).resolve())
    return text


def _settings(raw: dict, base: Path) -> dict:
    return {k: expand(v, base) if isinstance(v, str) else v for k, v in raw.items()}


def _parse(doc: SourceDoc) -> NetworkSpec:
    data = doc.data
    errors = []
    if not isinstance(data, dict):
        raise ScenarioErrors([error_at(doc, (), "a network file is a mapping", "see harness networks")])
    allowed = {"name", "provider", "chains", "providers", "description"}
    for key in data:
        if key not in allowed:
            errors.append(error_at(doc, (key,), f"unknown key '{key}'", f"allowed: {', '.join(sorted(allowed))}"))
    chains_raw = data.get("chains")
    if not isinstance(chains_raw, dict) or not chains_raw:
        errors.append(error_at(doc, ("chains",), "'chains' must map chain names to their settings",
                               "e.g. chains: {kusama: {role: relay, token: KSM}}"))
        raise ScenarioErrors(errors)
    base = doc.file.parent
    chains: dict[str, ChainSpec] = {}
    relays = [n for n, c in chains_raw.items() if isinstance(c, dict) and c.get("role") == "relay"]
    for name, raw in chains_raw.items():
        path = ("chains", name)
        if not isinstance(raw, dict):
            errors.append(error_at(doc, path, "a chain is a mapping", "give at least role and token"))
            continue
        role = raw.get("role")
        if role not in ROLES:
            errors.append(error_at(doc, path + ("role",), f"role must be one of {', '.join(ROLES)}, not {role!r}",
                                   "a relay, or a parachain with para_id"))
            continue
        token = raw.get("token")
        if not isinstance(token, str) or not token:
            errors.append(error_at(doc, path + ("token",), "token must name the native token, e.g. KSM",
                                   "amounts in scenarios are checked against it"))
            continue
        para_id, relay = raw.get("para_id"), raw.get("relay")
        if role == "parachain":
            if not isinstance(para_id, int) or isinstance(para_id, bool) or para_id < 0:
                errors.append(error_at(doc, path + ("para_id",), "a parachain needs an integer para_id",
                                       "Asset Hubs are 1000"))
                continue
            relay = relay or (relays[0] if len(relays) == 1 else None)
            if relay not in relays:
                errors.append(error_at(doc, path + ("relay",), f"relay {relay!r} is not a relay of this network",
                                       f"relays: {', '.join(relays) or 'none'}"))
                continue
        storage, storage_errors = parse_overrides(doc, path + ("storage",), raw["storage"]) if "storage" in raw \
            else ([], [])
        errors.extend(storage_errors)
        settings = {k: _settings(v, base) for k, v in raw.items() if k not in CHAIN_KEYS and isinstance(v, dict)}
        for k, v in raw.items():
            if k not in CHAIN_KEYS and not isinstance(v, dict):
                errors.append(error_at(doc, path + (k,), f"unknown key '{k}': neither a chain setting "
                                       f"({', '.join(CHAIN_KEYS)}) nor a provider's settings (a mapping)",
                                       f"e.g. {k}: {{port: 9944}} if '{k}' is a provider"))
        chains[name] = ChainSpec(name, role, token, para_id if role == "parachain" else None, relay, settings,
                                 tuple(storage))
    providers = data.get("providers") or {}
    if not isinstance(providers, dict):
        errors.append(error_at(doc, ("providers",), "providers must be a mapping", "e.g. providers: {devnet: {}}"))
        providers = {}
    for name, value in providers.items():
        if value is not None and not isinstance(value, dict):
            errors.append(error_at(doc, ("providers", name), f"'{name}' settings must be a mapping",
                                   f"e.g. providers: {{{name}: {{block_mode: ...}}}}"))
    provider = data.get("provider")
    if provider is not None and not isinstance(provider, str):
        errors.append(error_at(doc, ("provider",), f"provider must be a name, not {provider!r}",
                               "e.g. provider: devnet"))
    if errors:
        raise ScenarioErrors(sorted(errors, key=lambda e: (e.position.line, e.position.column)))
    return NetworkSpec(
        name=str(data.get("name") or doc.file.stem),
        file=doc.file,
        provider=provider,
        chains=chains,
        provider_settings={k: _settings(v or {}, base) for k, v in providers.items()},
        source=doc,
    )


def load_network(file: Path) -> NetworkSpec:
    docs = load_documents(file)
    if len(docs) != 1:
        raise ScenarioErrors([error_at(SourceDoc(file, None, {}, []), (), "a network file holds one document",
                                       "remove the extra '---'")])
    return _parse(docs[0])


def find_network(name_or_path: str, search_dirs: list[Path]) -> Path | None:
    """A network by name (`kusama-local` -> networks/kusama-local.yaml, else the built-in one) or by path."""
    candidate = Path(name_or_path)
    if candidate.suffix in (".yaml", ".yml") and candidate.is_file():
        return candidate.resolve()
    for directory in with_builtin(search_dirs):
        for suffix in (".yaml", ".yml"):
            path = directory / f"{name_or_path}{suffix}"
            if path.is_file():
                return path.resolve()
    return None


