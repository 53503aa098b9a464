"""A `--report` folder read for comparison: per scenario (and matrix row), its comparable record, the provider and
the runtimes, and the whole result for the page. A folder that is not a report gets one clear CompareInputError."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HarnessError


class CompareInputError(HarnessError):
    """A folder, result or tolerance file that cannot be compared (the command exits 2)."""


@dataclass
class Record:
    key: str  # folder/file.yaml::scenario name, the same in any checkout
    outcome: str
    compared: dict  # report/comparable.py's record
    provider: str | None
    network: str
    runtimes: dict[str, dict]
    result: dict = field(repr=False)  # the whole JSON result, for the page


@dataclass
class Report:
    folder: Path
    records: dict[str, Record]

    @property
    def provider(self) -> str:
        return ", ".join(sorted({r.provider or "?" for r in self.records.values()})) or "?"


def scenario_key(scenario: dict) -> str:
    file = Path(scenario["file"])
    return f"{file.parent.name}/{file.name}::{scenario['name']}"


def _record(file: Path) -> Record:
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CompareInputError(f"{file}: not a readable JSON result ({exc})",
                                "the folder's results/*.json are written by `harness run --report DIR`") from None
    if not isinstance(data, dict) or not str(data.get("schema", "")).startswith("harness-result/"):
        raise CompareInputError(f"{file}: not a harness result (no 'schema: harness-result/...')",
                                "give a folder written by `harness run --report DIR`")
    if "compared" not in data:
        raise CompareInputError(f"{file}: this result has no 'compared' record (written by an older harness)",
                                "run the suite again with this harness to make a baseline")
    return Record(scenario_key(data["scenario"]), data["outcome"], data["compared"], data.get("provider"),
                  data["scenario"]["network"], data.get("runtimes") or {}, data)


def read_report(folder: Path) -> Report:
    if not folder.is_dir():
        raise CompareInputError(f"{folder}: no such folder", "give a folder written by `harness run --report DIR`")
    files = sorted((folder / "results").glob("*.json"))
    if not files:
        raise CompareInputError(f"{folder}: no results/*.json in it",
                                "give a folder written by `harness run --report DIR` (it holds results/)")
    records: dict[str, Record] = {}
    for file in files:
        record = _record(file)
        if record.key in records:  # two matrix rows that read alike: told apart by their order
            record.key = f"{record.key} [{sum(k.startswith(record.key) for k in records) + 1}]"
        records[record.key] = record
    return Report(folder, records)
