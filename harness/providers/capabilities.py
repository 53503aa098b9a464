"""What a running network can do beyond answering standard RPCs, asked for by name.

The engine asks `network.capability(Capability.RELAYER, "pause the relayer")` and gets a small object, or one
MissingCapability naming the capability and the providers that offer it (OFFERED_BY). Each provider's running
network holds the objects that do what it offers (harness/providers/<name>.py).
Adding a capability: a member here, a Protocol for its object, its OFFERED_BY row, and the object in each
provider that has it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Protocol

from ..errors import ProviderError


class Capability(Enum):
    SNAPSHOT = "snapshot and revert"
    STORAGE = "storage writes"
    BLOCKS = "block building"
    RELAYER = "relayer controls"
    UPGRADE = "runtime upgrades from wasm"  # real wasm, the way governance applies it (chopsticks)
    VERSIONS = "emulated version changes"  # spec and XCM version bumps without wasm (the devnet)


# The providers whose networks offer each capability, with the condition where there is one. Kept here, not on
# the provider classes, so that the error below needs no import of the providers (they import this module).
_DEV_CHAINS = "attach (with dev_rpcs: true or --dev-rpcs)"
OFFERED_BY: dict[Capability, tuple[str, ...]] = {
    Capability.SNAPSHOT: ("devnet", "chopsticks (with isolation: revert)"),
    Capability.STORAGE: ("devnet", "chopsticks", _DEV_CHAINS),
    Capability.BLOCKS: ("devnet", "chopsticks", _DEV_CHAINS),
    Capability.RELAYER: ("devnet",),
    Capability.UPGRADE: ("chopsticks",),
    Capability.VERSIONS: ("devnet",),
}


# A scenario's `requires:` names capabilities by these words
REQUIRABLE: dict[str, Capability] = {"snapshot": Capability.SNAPSHOT, "storage": Capability.STORAGE,
                                     "blocks": Capability.BLOCKS, "relayer": Capability.RELAYER,
                                     "runtime_upgrade": Capability.UPGRADE, "version_changes": Capability.VERSIONS}


def may_offer(capability: Capability, provider: str) -> bool:
    """Whether `provider` offers `capability`, at least under the condition OFFERED_BY states."""
    return any(entry.split()[0] == provider for entry in OFFERED_BY[capability])


class MissingCapability(ProviderError):
    """A step needs what this network's provider cannot do; `offered_by` names the providers that can."""

    def __init__(self, capability: Capability, provider: str, doing: str) -> None:
        offered_by = list(OFFERED_BY[capability])
        super().__init__(f"{capability.value}: provider '{provider}' cannot {doing}",
                         f"providers with {capability.value}: {', '.join(offered_by) or 'none yet'}")
        self.capability, self.provider, self.offered_by = capability, provider, offered_by


@dataclass(frozen=True)
class Snapshot:
    """An opaque token for a network's state: only the Snapshots object that took it reads it."""

    taken_by: object = field(repr=False)
    state: object = field(repr=False)


class Snapshots(Protocol):
    def take(self) -> Snapshot: ...

    def revert(self, snapshot: Snapshot) -> None: ...


class StorageWrites(Protocol):
    def write(self, chain: str, items: list[tuple[str, str | None]]) -> None:
        """Raw storage: (hex key, hex SCALE value, or None to remove it)."""


class BlockBuilding(Protocol):
    def new_block(self, chain: str) -> None: ...


@dataclass(frozen=True)
class RelayerState:
    """The relayer's settings a scenario may change, to put back when it ends."""

    paused: bool
    delay_blocks: int


class RelayerControls(Protocol):
    def pause(self) -> None: ...

    def resume(self) -> None: ...

    def delay(self, blocks: int) -> None: ...

    def state(self) -> RelayerState: ...

    def restore(self, state: RelayerState) -> None: ...


@dataclass(frozen=True)
class UpgradeReport:
    """What a runtime upgrade did on one chain: the versions either side and the blocks it took."""

    chain: str
    spec_before: int
    spec_after: int
    code_hash: str  # 0x blake2_256 of the code the chain runs afterwards
    blocks: tuple[int, ...]  # the blocks built while applying it, in order


class RuntimeUpgrades(Protocol):
    def upgrade(self, chain: str, code: bytes, check_version: bool, timeout: float) -> UpgradeReport:
        """Authorize `code` as Root and apply it, as governance does; return once the chain runs it."""


class VersionChanges(Protocol):
    def set_spec_version(self, chain: str, spec_version: int) -> UpgradeReport:
        """The chain presents `spec_version` from its next block, as after a code upgrade (CodeUpdated,
        LastRuntimeUpgrade, runtime-version subscribers notified)."""

    def set_xcm_version(self, chain: str, version: int) -> None:
        """The chain's pallet-xcm supports XCM up to `version`; negotiation with its peers follows."""
