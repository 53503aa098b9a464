"""What a running network can do beyond answering standard RPCs, asked for by name.

The engine asks `network.capability(Capability.RELAYER, "pause the relayer")` and gets a small object, or one
MissingCapability naming the capability and the providers that offer it. Each provider declares what it can
offer (`offers`, read by the registry for that hint); its running network holds the objects that do it.
Adding a capability: a member here, a Protocol for its object, and the object in each provider that has it.
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
    UPGRADE = "runtime upgrades"  # declared for the runtime-upgrade step; no provider offers it yet


class MissingCapability(ProviderError):
    """A step needs what this network's provider cannot do; `offered_by` names the providers that can."""

    def __init__(self, capability: Capability, provider: str, doing: str, offered_by: list[str]) -> None:
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


class RuntimeUpgrades(Protocol):
    """The runtime-upgrade step's capability: its methods come with the step."""
