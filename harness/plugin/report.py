"""Plugin: `--report DIR` writes each scenario's result as JSON (DIR/results/*.json, schema in
DIR/result.schema.json) and, at the end of the session, one self-contained page, DIR/index.html.

Under pytest-xdist each worker only turns its scenarios' results into JSON and hands them on with the test
report (a report's extra attributes travel to the controller); the controller alone writes the folder, so
one run gives one results folder and one page however many workers ran it."""
from __future__ import annotations

from pathlib import Path

import pytest

from ..engine.report import failure_position
from ..engine.result import ScenarioFailure
from ..report.folder import ReportFolder
from ..report.json_result import ScenarioOutcome, dumps, to_json
from .collect import ScenarioItem


class ReportWriter(ReportFolder):
    """Registered as a plugin of its own in the process that writes: the only one in a serial run, the
    controller under xdist."""

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        text = getattr(report, RESULT_ATTR, None)
        if text is not None:
            self.add(report.nodeid, text)

    def pytest_sessionfinish(self) -> None:
        self.finish()


RESULT_ATTR = "harness_result"  # the scenario's result as JSON text, on its call-phase TestReport


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("harness", "bridge harness networks").addoption(
        "--report", metavar="DIR", help="write each scenario's result as JSON and one HTML page into DIR")


def pytest_configure(config: pytest.Config) -> None:
    directory = config.getoption("report")
    if directory and not hasattr(config, "workerinput"):  # xdist sets workerinput on its workers only
        config.pluginmanager.register(ReportWriter(Path(directory)), "harness-report-writer")


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
    """The result travels with the report, so the writer gets it wherever the scenario ran."""
    outcome = yield
    if item.config.getoption("report") and call.when == "call" and isinstance(item, ScenarioItem):
        setattr(outcome.get_result(), RESULT_ATTR, dumps(to_json(outcome_of(item, call.excinfo))))
