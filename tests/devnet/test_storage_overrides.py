"""Storage overrides on the devnet: the set_storage step and a network file's `storage:` list, encoded from the
chain's metadata. NextFeeMultiplier doubled raises the transaction fee as pallet-transaction-payment computes it
(base + length + multiplier x weight fee), which shows the devnet reads the stored multiplier. Bad overrides get
one positioned message: at collection for the shape, at run for what the metadata refuses."""
from __future__ import annotations

import pytest

from devnet_network import _pool
from harness.engine.result import ScenarioFailure
from harness.engine.runner import run_scenario
from harness.errors import HarnessError
from harness.network.topology import load_network
from harness.scenario.parse import load_scenarios
from harness.scenario.positions import ScenarioErrors
from project_layout import with_networks

HUB = "kusama-asset-hub"
SCENARIO = """\
name: {name}
network: kusama-polkadot
accounts: {{sender: //Alice//storage-{name}, receiver: //Bob//storage-{name}}}
steps:
  - fund: {{chain: kusama-asset-hub, account: sender, amount: 100 KSM}}
{extra}  - name: pay
    transfer: {{chain: kusama-asset-hub, from: sender, to: receiver, amount: 1 KSM}}
"""
DOUBLE = ('  - set_storage: {chain: kusama-asset-hub, pallet: TransactionPayment, item: NextFeeMultiplier, '
          'value: "2000000000000000000"}\n')


def scenario(tmp_path, name: str, extra: str = ""):
    folder = tmp_path / name
    folder.mkdir()
    with_networks(folder, "kusama-polkadot")
    (folder / "s.yaml").write_text(SCENARIO.format(name=name, extra=extra))
    return load_scenarios(folder / "s.yaml")[0]


def transaction_fee(result) -> int:
    receipt = result.receipts[-1]
    return sum(int(e.attributes["actual_fee"]) for e in receipt.events
               if e.qualified == "TransactionPayment.TransactionFeePaid")


def run(loaded):
    network, clients = _pool().get(loaded.network)
    return run_scenario(loaded, network, clients, step_timeout=60)


def test_a_doubled_multiplier_adds_the_weight_fee_once_more(tmp_path):
    plain = transaction_fee(run(scenario(tmp_path, "plain")))
    doubled = transaction_fee(run(scenario(tmp_path, "doubled", DOUBLE)))
    # fee(m) = base + length + m x weight: fee(2) - fee(1) = weight fee, a part of fee(1)
    assert plain < doubled < 2 * plain
    # the scenario's revert undid the override: the next run pays as before
    assert transaction_fee(run(scenario(tmp_path, "after"))) == plain


def test_an_unknown_item_fails_the_step_naming_it(tmp_path):
    bad = DOUBLE.replace("NextFeeMultiplier", "NextFeeMultiplyer")
    with pytest.raises(ScenarioFailure) as failure:
        run(scenario(tmp_path, "unknown", bad))
    assert "kusama-asset-hub has no storage TransactionPayment.NextFeeMultiplyer" in failure.value.message
    assert failure.value.step.kind == "set_storage"


def test_a_value_the_type_refuses_fails_the_step(tmp_path):
    bad = DOUBLE.replace('"2000000000000000000"', '"two"')
    with pytest.raises(ScenarioFailure) as failure:
        run(scenario(tmp_path, "badvalue", bad))
    assert "does not take 'two'" in failure.value.message


def test_a_set_storage_without_value_is_refused_at_collection(tmp_path):
    with pytest.raises(ScenarioErrors) as errors:
        scenario(tmp_path, "novalue", DOUBLE.replace(', value: "2000000000000000000"', ""))
    assert "s.yaml:6:5: steps[1].set_storage" in errors.value.errors[0].line()
    assert "value" in errors.value.errors[0].line()


def network_with(tmp_path, storage: str):
    folder = with_networks(tmp_path, "kusama-polkadot")
    file = folder / "networks" / "kusama-polkadot.yaml"
    text = file.read_text().replace(f"\n  {HUB}:\n", f"\n  {HUB}:\n    storage: {storage}\n", 1)
    file.write_text(text.replace("name: kusama-polkadot", "name: kusama-polkadot-overridden"))
    return file


@pytest.mark.parametrize("storage, where, message", [
    ("{pallet: TransactionPayment}", "chains.kusama-asset-hub.storage", "must be a list"),
    ("[{pallet: TransactionPayment, item: NextFeeMultiplier}]", "chains.kusama-asset-hub.storage[0]",
     "missing value"),
    ("[{pallet: TransactionPayment, item: NextFeeMultiplier, value: 1, at: 3}]",
     "chains.kusama-asset-hub.storage[0].at", "unknown key 'at'"),
])
def test_a_malformed_override_is_refused_when_the_network_file_loads(tmp_path, storage, where, message):
    with pytest.raises(ScenarioErrors) as errors:
        load_network(network_with(tmp_path, storage))
    line = errors.value.errors[0].line()
    assert "kusama-polkadot.yaml:15:" in line and where in line and message in line, line


def test_an_override_the_metadata_refuses_is_reported_at_its_place_in_the_network_file(tmp_path):
    spec = load_network(network_with(tmp_path, "[{pallet: TransactionPayment, item: NoSuchItem, value: 1}]"))
    with pytest.raises(HarnessError) as error:
        _pool().get(spec)
    assert ("kusama-polkadot.yaml:15:15: chains.kusama-asset-hub.storage[0]: kusama-asset-hub has no storage "
            "TransactionPayment.NoSuchItem") in str(error.value)
