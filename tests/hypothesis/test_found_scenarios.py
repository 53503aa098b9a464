"""A run of the transfer machine as a scenario file (harness/testing/found.py): it loads, a failing run prints it,
and a passing run's scenario replays green under pytest."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from hypothesis.reporting import with_reporter
from hypothesis.stateful import run_state_machine_as_test

from harness.testing import found
from harness.testing.ledger import Ledger, native_asset
from harness.scenario.parse import load_scenarios
from harness.settings import PROJECT_ROOT
from test_transfer_machine import BRIDGE_ROUTES, TransferMachine, devnet  # noqa: F401  (the module's devnet fixture)

NETWORKS = PROJECT_ROOT / "harness" / "networks"
STEPS = [
    found.FoundStep("transfer", "kusama", "//Alice", "//Bob//fuzz", 5_000_000_000, keep_alive=True, fees=1_000),
    found.FoundStep("teleport", "kusama", "//Alice", "//Charlie//fuzz", 3_000_000_000, destination="kusama-asset-hub",
               fees=2_000, lost_on_arrival=4_000),
    found.FoundStep("transfer", "polkadot", "//Alice", "//Alice", 0, included=False, accepted=False),
    found.FoundStep("transfer", "kusama", "//Bob//fuzz", "//Alice", 10 ** 20, accepted=False, fees=500),
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


def replays_green(text: str, tmp_path) -> None:
    """`text` saved under scenarios/found/ of a copy of the project's layout (the folder pytest collects, the
    network file beside it) passes under pytest."""
    (tmp_path / "pyproject.toml").write_text('[tool.pytest.ini_options]\nharness_scenario_dirs = "scenarios"\n')
    (tmp_path / "networks").mkdir()
    (tmp_path / "networks" / f"{found.NETWORK}.yaml").write_text((NETWORKS / f"{found.NETWORK}.yaml").read_text())
    path = found.save(text, tmp_path / "scenarios" / "found")
    result = subprocess.run([sys.executable, "-m", "pytest", str(path), "-q", "-p", "no:cacheprovider",
                             "--rootdir", str(tmp_path), "-c", str(tmp_path / "pyproject.toml")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"{text}\n{result.stdout}\n{result.stderr}"
    assert "1 passed" in result.stdout


def test_a_passing_run_replays_green_under_pytest(devnet, tmp_path):  # noqa: F811
    machines: list[TransferMachine] = []

    def machine():
        machines.append(TransferMachine(devnet))
        return machines[-1]

    run_state_machine_as_test(machine, settings=settings(settings(), max_examples=4, stateful_step_count=4))
    busiest = max(machines, key=lambda m: sum(s.replayable for s in m.steps))
    assert any(s.replayable for s in busiest.steps)
    text = busiest.scenario_text()
    replays_green(text, tmp_path)


class Drawn:
    """What st.data() would draw, given in order: drives the machine's rules through one fixed run."""

    def __init__(self, *values):
        self.values = list(values)

    def draw(self, strategy, label=None):
        return self.values.pop(0)


def test_every_kind_of_step_replays_green_under_pytest(devnet, tmp_path):  # noqa: F811
    """Bridge transfers both ways, a message held by a paused relayer and a halted Bridge Hub, the relayer and
    bridge-mode steps, a trap and its claim: the machine's record of them replays as a scenario that passes."""
    machines: list[TransferMachine] = []

    @settings(max_examples=1, database=None, phases=[Phase.generate], deadline=None)
    @given(st.none())
    def fixed_run(_):  # inside a Hypothesis test, where the rules may record events
        machine = TransferMachine(devnet)
        kah_to_pah, pah_to_kah = BRIDGE_ROUTES

        def check():
            for invariant in (machine.balances_are_what_the_ledger_says, machine.reserves_back_the_bridged_supply,
                              machine.lane_nonces_are_the_ledgers_and_never_go_back, machine.ledger_invariants_hold):
                invariant()

        machine.bridge_out(kah_to_pah, "//Bob//fuzz", Drawn("//Alice", 10 ** 12))
        check()
        machine.pause_relayer()
        machine.bridge_out(pah_to_kah, "//Charlie//fuzz", Drawn("//Alice", 3 * 10 ** 10))
        machine.bridge_mode("Polkadot", "Halted")
        machine.resume_relayer()
        check()
        assert machine.ledger.in_flight, "held while the sending Bridge Hub is halted"
        machine.bridge_mode("Polkadot", "Normal")
        check()
        assert not machine.ledger.in_flight
        machine.trap("kusama", "//Alice", Drawn(10 ** 10))
        machine.claim(Drawn(("kusama", "//Alice", 10 ** 10)), False)
        check()
        kinds = {s.kind for s in machine.steps if s.replayable}
        assert kinds == {"bridge", "relayer", "bridge_mode", "trap", "claim"}, kinds
        assert all(s.accepted for s in machine.steps)

        machines.append(machine)

    fixed_run()
    (machine,) = machines
    text = machine.scenario_text()
    replays_green(text, tmp_path)
