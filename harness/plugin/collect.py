"""Plugin: scenario files under the scenario folders, or named on the command line, become test items, one per
scenario or matrix row."""
from __future__ import annotations

from pathlib import Path

import pytest

from ..engine.report import render_failure
from ..engine.result import ScenarioFailure, ScenarioResult
from ..engine.runner import ScenarioRunner
from ..errors import HarnessError
from ..scenario.model import Scenario
from ..scenario.parse import load_scenarios
from ..scenario.positions import ScenarioErrors
from .running_network import network_pool

pytest_plugins = ["harness.plugin.report", "harness.plugin.compare"]  # --report DIR, --compare-to BASE: plugins of
# their own, loaded with this one


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addini("harness_scenario_dirs", "folders (from the rootdir) whose YAML files are scenarios",
                  type="linelist", default=["scenarios"])


def _scenario_dirs(config: pytest.Config) -> list[Path]:
    return [(config.rootpath / d).resolve() for d in config.getini("harness_scenario_dirs")]


def _named_paths(config: pytest.Config) -> list[Path]:
    """Scenario files and folders named on the command line. A folder inside the project's testpaths is left
    to harness_scenario_dirs (tests/broken holds broken scenarios on purpose); a file is always named."""
    if config.args_source != pytest.Config.ArgsSource.ARGS:
        return []
    testpaths = [(config.rootpath / t).resolve() for t in config.getini("testpaths")]
    named = []
    for arg in config.args:
        path = (config.invocation_params.dir / arg.split("::")[0]).resolve()
        if path.is_file() or (path.is_dir() and not any(path.is_relative_to(t) for t in testpaths)):
            named.append(path)
    return named


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix not in (".yaml", ".yml"):
        return None
    resolved = file_path.resolve()
    if any(resolved.is_relative_to(d) for d in [*_scenario_dirs(parent.config), *_named_paths(parent.config)]):
        return ScenarioFile.from_parent(parent, path=file_path)
    return None


class ScenarioFile(pytest.File):
    def collect(self):
        try:
            scenarios = load_scenarios(self.path, network_override=self.config.getoption("network"))
        except ScenarioErrors as exc:
            raise self.CollectError("\n".join(e.render() for e in exc.errors)) from None
        for scenario in scenarios:
            item = ScenarioItem.from_parent(self, name=scenario.name, scenario=scenario)
            for tag in scenario.tags:
                self.config.addinivalue_line("markers", f"{tag}: scenario tag")
                item.add_marker(tag)
            yield item


class ScenarioItem(pytest.Item):
    def __init__(self, *, scenario: Scenario, **kwargs) -> None:
        super().__init__(**kwargs)
        self.scenario = scenario
        self.user_properties.append(("network", scenario.network.name))

    result: ScenarioResult | None = None  # what the run produced, passed or failed (the report plugin reads it)

    def runtest(self) -> None:
        network, clients = network_pool(self.config).get(self.scenario.network)
        self._network = network
        try:
            self.result = ScenarioRunner(self.scenario, network, clients,
                                         network_pool(self.config).settings.step_timeout).run()
        except ScenarioFailure as failure:
            self.result = failure.result
            raise
        self.user_properties.append(("seconds", f"{self.result.seconds:.3f}"))

    def repr_failure(self, excinfo, style=None):
        if isinstance(excinfo.value, ScenarioFailure) and excinfo.value.result is not None:
            return render_failure(excinfo.value, self._network.logs)
        if isinstance(excinfo.value, HarnessError):
            pos = self.scenario.line
            return f"{self.scenario.file}:{pos}: scenario '{self.scenario.name}': {excinfo.value}"
        return super().repr_failure(excinfo, style)

    def reportinfo(self):
        return self.path, self.scenario.line - 1, f"scenario: {self.scenario.name}"
