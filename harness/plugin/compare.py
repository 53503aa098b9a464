"""Plugin: `--compare-to BASE [--tolerances FILE]` runs the suite and compares its report with BASE (a --report
folder) at the end: the table is printed, the comparison written to REPORT/compare/, and a regression fails the
session (exit 1). Without --report the run's report goes to a temporary folder."""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from ..compare.cli import rules_from, run_compare
from ..compare.records import CompareInputError, read_report
from ..scenario.positions import ScenarioErrors


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("harness", "bridge harness networks")
    group.addoption("--compare-to", metavar="BASE", help="compare this run with BASE, a --report folder; a "
                                                           "regression fails the run")
    group.addoption("--tolerances", metavar="FILE", help="tolerance rules for --compare-to (docs/compare.md)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    base = config.getoption("compare_to")
    if not base:
        return
    try:  # bad input is told before anything runs
        read_report(Path(base))
        rules_from(config.getoption("tolerances"))
    except CompareInputError as exc:
        pytest.exit(f"harness compare: error: {exc}", returncode=2)
    except ScenarioErrors as exc:
        pytest.exit("\n".join(e.render() for e in exc.errors), returncode=2)
    if not config.getoption("report"):
        config.option.report = tempfile.mkdtemp(prefix="harness-report-")


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    config = session.config
    base = config.getoption("compare_to")
    if not base or not (Path(config.getoption("report")) / "results").is_dir():
        return
    candidate = Path(config.getoption("report"))
    print(f"\ncomparison with {base}:", file=sys.stdout)
    code = run_compare(Path(base), candidate, config.getoption("tolerances"), None, sys.stdout)
    if code and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
