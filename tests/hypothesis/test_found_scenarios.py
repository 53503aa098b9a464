"""A run of the transfer machine as a scenario file (harness/found.py): it loads, a failing run prints it,
and a passing run's scenario replays green under pytest."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import Phase, settings
from hypothesis.reporting import with_reporter
from hypothesis.stateful import run_state_machine_as_test

from harness import found
from harness.ledger import Ledger, native_asset
from harness.scenario.parse import load_scenarios
from harness.settings import PROJECT_ROOT
from test_transfer_machine import TransferMachine, devnet  # noqa: F401  (the module's devnet fixture)

NETWORKS = PROJECT_ROOT / "networks"
STEPS = [
    found.Step("transfer", "kusama", "//Alice", "//Bob//fuzz", 5_000_000_000, keep_alive=True, fees=1_000),
    found.Step("teleport", "kusama", "//Alice", "//Charlie//fuzz", 3_000_000_000, destination="kusama-asset-hub",
               fees=2_000, lost_on_arrival=4_000),
    found.Step("transfer", "polkadot", "//Alice", "//Alice", 0, included=False, accepted=False),
    found.Step("transfer", "kusama", "//Bob//fuzz", "//Alice", 10 ** 20, accepted=False, fees=500),
]


def _scenario_yaml(notes: list[str]) -> str:
    (text,) = [n for n in notes if "network: kusama-polkadot" in n]
    return text[text.index("name:"):]


def test_recorded_steps_become_a_scenario_that_loads(tmp_path):
    alice = 10 ** 18
    before = {("kusama", "//Alice"): alice}
    after = {("kusama", "//Alice"): alice - 5_000_000_000 - 1_000 - 3_000_000_000 - 2_000,
             ("kusama", "//Bob//fuzz"): 5_000_000_000 - 500,
             ("kusama-asset-hub", "//Charlie//fuzz"): 3_000_000_000 - 4_000}
    text = found.scenario_text(STEPS, before, after, name="two steps")
    path = found.save(text, tmp_path / "found")
    assert path.parent == tmp_path / "found" and found.save(text, tmp_path / "found") == path
    (scenario,) = load_scenarios(path, [NETWORKS])
    assert scenario.name == "two steps"
    assert len(scenario.steps) == 3  # the refused step is left out
    assert "change: -8000000000 planck" in text and "fee_bound: 4000 planck" in text
    assert "change: +5000000000 planck" in text and "success: false" in text


def _drop_fees(monkeypatch):
    def pay_fee(self, chain_name, payer, fee):  # charges nothing: the broken ledger
        return self.balance(chain_name, payer, native_asset(chain_name)) - fee >= \
            native_asset(chain_name).min_balance_on(chain_name)
    monkeypatch.setattr(Ledger, "_pay_fee", pay_fee)


def test_a_failure_prints_a_scenario_that_loads(devnet, monkeypatch, tmp_path):  # noqa: F811
    _drop_fees(monkeypatch)
    notes: list[str] = []
    with with_reporter(notes.append), pytest.raises(AssertionError) as failure:
        run_state_machine_as_test(lambda: TransferMachine(devnet),
                                  settings=settings(settings(), max_examples=5, stateful_step_count=3,
                                                    phases=[Phase.explicit, Phase.generate]))
    # Hypothesis attaches notes to the exception (PEP 678 __notes__); older versions print them via the reporter
    text = _scenario_yaml(notes + list(getattr(failure.value, "__notes__", [])))
    assert re.search(r"plus_fees: true", text)
    (scenario,) = load_scenarios(found.save(text, tmp_path), [NETWORKS])
    assert scenario.network.name == "kusama-polkadot"


def test_a_passing_run_replays_green_under_pytest(devnet, tmp_path):  # noqa: F811
    machines: list[TransferMachine] = []

    def machine():
        machines.append(TransferMachine(devnet))
        return machines[-1]

    run_state_machine_as_test(machine, settings=settings(settings(), max_examples=4, stateful_step_count=4))
    busiest = max(machines, key=lambda m: sum(s.replayable for s in m.steps))
    assert any(s.replayable for s in busiest.steps)
    text = busiest.scenario_text()
    # a copy of the project's layout: the scenario folder pytest collects, and the network file beside it
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\nharness_scenario_dirs = "scenarios"\n')
    (tmp_path / "networks").mkdir()
    (tmp_path / "networks" / f"{found.NETWORK}.yaml").write_text((NETWORKS / f"{found.NETWORK}.yaml").read_text())
    path = found.save(text, tmp_path / "scenarios" / "found")
    result = subprocess.run([sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider",
                             "--rootdir", str(tmp_path), "-c", str(tmp_path / "pyproject.toml")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{text}\n{result.stdout}\n{result.stderr}"
    assert "1 passed" in result.stdout
