"""Plugin: scenario files under the scenario folders, or named on the command line, become test items, one per
scenario or matrix row."""
from __future__ import annotations

from pathlib import Path

import pytest

from ..engine.report import render_failure
from ..engine.result import ScenarioFailure, ScenarioResult
from ..engine.runner import ScenarioRunner
from ..errors import HarnessError
from ..engine.candidates import unknown_chains
from ..providers.capabilities import OFFERED_BY, REQUIRABLE, Capability, may_offer
from ..providers.registry import DEFAULT
from ..scenario.model import Scenario
from ..scenario.parse import load_scenarios
from ..scenario.positions import ScenarioErrors
from ..steps import KINDS
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
            reason = missing_capability(scenario, self.config.getoption("provider"),
                                        network_pool(self.config).runtimes)
            if reason:
                item.add_marker(pytest.mark.skip(reason=reason))
            yield item


def missing_capability(scenario: Scenario, requested: str | None, runtimes: dict[str, str] | None = None) -> str | None:
    """Why the scenario cannot run on its provider, from its `requires:`, its steps' kinds and the `--runtime`
    candidates for its chains; None if it can."""
    provider = requested or scenario.network.provider or DEFAULT
    needs = [(Capability.UPGRADE, f"--runtime {chain}=...") for chain in runtimes or {}
             if chain in scenario.network.chains]
    needs += [(REQUIRABLE[word], "requires: " + word) for word in scenario.requires]
    needs += [(capability, f"step {step.index + 1} ({step.kind})") for step in scenario.steps
              for capability in KINDS[step.kind].needs(step.action)]
    for capability, why in needs:
        if not may_offer(capability, provider):
            return (f"needs {capability.value} ({why}), which provider '{provider}' does not offer; "
                    f"it runs on: {', '.join(OFFERED_BY[capability])}")
    return None


def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list) -> None:
    scenarios = [item.scenario.network for item in items if isinstance(item, ScenarioItem)]
    runtimes = network_pool(config).runtimes
    error = unknown_chains(runtimes, scenarios) if runtimes else None
    if error:
        raise pytest.UsageError(error)


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
