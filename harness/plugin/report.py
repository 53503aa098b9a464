"""Plugin: `--report DIR` writes each scenario's result as JSON (DIR/results/*.json, schema in
DIR/result.schema.json) and, at the end of the session, one self-contained page, DIR/index.html."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ..engine.report import failure_position
from ..engine.result import ScenarioFailure
from ..report.html import render_page
from ..report.json_result import ScenarioOutcome, dumps, to_json
from ..report.result_schema import SCHEMA
from .collect import ScenarioItem


class ReportWriter:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.results: list[dict] = []

    def add(self, nodeid: str, outcome: ScenarioOutcome) -> None:
        data = to_json(outcome)
        folder = self.directory / "results"
        folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^A-Za-z0-9._-]+", "-", nodeid).strip("-")[:120]
        (folder / f"{len(self.results):03d}-{slug}.json").write_text(dumps(data))
        self.results.append(json.loads(dumps(data)))  # as a reader of the file sees it

    def finish(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / "result.schema.json").write_text(json.dumps(SCHEMA, indent=2))
        (self.directory / "index.html").write_text(render_page(self.results))


WRITER_KEY = pytest.StashKey[ReportWriter]()


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("harness", "bridge harness networks").addoption(
        "--report", metavar="DIR", help="write each scenario's result as JSON and one HTML page into DIR")


def pytest_configure(config: pytest.Config) -> None:
    directory = config.getoption("report")
    if directory:
        config.stash[WRITER_KEY] = ReportWriter(Path(directory))


def outcome_of(item: ScenarioItem, excinfo: pytest.ExceptionInfo | None) -> ScenarioOutcome:
    """The item's outcome from what its run recorded: no chain is asked while the report is written."""
    scenario = item.scenario
    if excinfo is None:
        return ScenarioOutcome(scenario, "passed", item.result)
    failure = excinfo.value
    if isinstance(failure, ScenarioFailure) and failure.result is not None:
        return ScenarioOutcome(scenario, "failed", failure.result, failure.message, failure_position(failure))
    return ScenarioOutcome(scenario, "error", item.result, str(failure), f"{scenario.file}:{scenario.line}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    yield
    writer = item.config.stash.get(WRITER_KEY, None)
    if writer is not None and call.when == "call" and isinstance(item, ScenarioItem):
        writer.add(item.nodeid, outcome_of(item, call.excinfo))


def pytest_sessionfinish(session: pytest.Session) -> None:
    writer = session.config.stash.get(WRITER_KEY, None)
    if writer is not None:
        writer.finish()
