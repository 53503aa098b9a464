"""A `--report` folder: results/NNN-<test id>.json, one per scenario, result.schema.json and index.html."""
from __future__ import annotations

import json
import re
from pathlib import Path

from .html import render_page
from .result_schema import SCHEMA


class ReportFolder:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.results: list[dict] = []

    def add(self, nodeid: str, text: str) -> None:
        """One scenario's result, as JSON text (report/json_result.py), numbered in the order added."""
        folder = self.directory / "results"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", nodeid).strip("-")[:120]
        (folder / f"{len(self.results):03d}-{slug}.json").write_text(text)
        self.results.append(json.loads(text))  # as a reader of the file sees it

    def finish(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "result.schema.json").write_text(json.dumps(SCHEMA, indent=2))
        (self.directory / "index.html").write_text(render_page(self.results))
