"""`harness init`: a scenario project with one example per kind, its pytest configuration and a CI workflow."""
from __future__ import annotations

from importlib import metadata
from pathlib import Path

from ..errors import HarnessError
from .schema import SCHEMA_FILE, schema_text

TEMPLATE = Path(__file__).resolve().parent / "template"
FILES = ("scenarios/relay_transfer.yaml", "scenarios/teleport.yaml", "scenarios/bridge_round_trip.yaml",
         "pytest.ini", ".github/workflows/scenarios.yml")


def _requirement() -> str:
    """What the workflow installs: this very version of the harness."""
    try:
        return f"bridge-harness=={metadata.version('bridge-harness')}"
    except metadata.PackageNotFoundError:
        return "bridge-harness"


def _texts() -> dict[str, str]:
    texts = {rel: (TEMPLATE / rel).read_text() for rel in FILES}
    texts[".github/workflows/scenarios.yml"] = texts[".github/workflows/scenarios.yml"].replace(
        "{requirement}", _requirement())
    texts[SCHEMA_FILE] = schema_text()
    return texts


def scaffold(target: Path, force: bool = False) -> list[str]:
    """Writes the project into `target`; returns the files written. Refuses to overwrite unless `force`."""
    texts = _texts()
    existing = [rel for rel in texts if (target / rel).exists()]
    if existing and not force:
        raise HarnessError(f"{target / existing[0]} already exists"
                           + (f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""),
                           "give --force to overwrite, or init another folder")
    for rel, text in texts.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return list(texts)


def next_steps(target: Path) -> list[str]:
    go = [] if target.resolve() == Path.cwd().resolve() else [f"  cd {target}"]
    return ["next:", *go,
            "  harness run                     # run the scenarios on the devnet (network: kusama-polkadot)",
            "  harness validate scenarios      # check them without running",
            "  harness networks                # the networks a scenario can name"]
