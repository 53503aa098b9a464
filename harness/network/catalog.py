"""Where network files are found: a project's own networks/ folders first, then the networks built into the
package (harness/networks). A project's file overrides a built-in one of the same name."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import HarnessError

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "networks"
_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class NetworkEntry:
    name: str
    path: Path
    builtin: bool

    @property
    def origin(self) -> str:
        return "built-in" if self.builtin else str(self.path)


def with_builtin(search_dirs: list[Path]) -> list[Path]:
    """The search order: the given folders, then the built-in one (last, so projects override it)."""
    return [*search_dirs, BUILTIN_DIR]


def entries(search_dirs: list[Path]) -> list[NetworkEntry]:
    """Every network by name, the first folder holding a name winning, sorted by name."""
    found: dict[str, NetworkEntry] = {}
    for directory in with_builtin(search_dirs):
        if not directory.is_dir():
            continue
        for path in sorted(p for p in directory.iterdir() if p.suffix in _SUFFIXES):
            found.setdefault(path.stem, NetworkEntry(path.stem, path.resolve(), directory == BUILTIN_DIR))
    return [found[name] for name in sorted(found)]


def not_found_message(name: str, search_dirs: list[Path]) -> tuple[str, str]:
    """The one message (and its hint) for a network that is nowhere: the names there are and the folders searched."""
    if "/" in name or name.endswith((".yaml", ".yml")):  # a path, not a name: nothing was searched
        return f"network file '{name}' not found", "check the path, or name a network instead (harness networks)"
    known = ", ".join(e.name for e in entries(search_dirs)) or "none"
    own = [str(d) for d in search_dirs if d.is_dir()]
    searched = f"{', '.join(own)}, then the built-in networks" if own else "the built-in networks (no networks/ folder)"
    return (f"network file '{name}' not found",
            f"known networks: {known}; searched {searched}; add networks/{name}.yaml or give its path")


def not_found(name: str, search_dirs: list[Path]) -> HarnessError:
    return HarnessError(*not_found_message(name, search_dirs))
