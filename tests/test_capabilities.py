"""What a running network can do: the one message a step gets when its provider lacks a capability, the
opaque snapshot token, and the provider names a network file may use (checked by the registry)."""
from __future__ import annotations

from pathlib import Path

import pytest

from fake_chain import FakeChain, FakeNetwork
from harness.engine.runner import ScenarioRunner
from harness.errors import ProviderError
from harness.network.topology import load_network
from harness.providers.base import RunningNetwork
from harness.providers.capabilities import OFFERED_BY, Capability, MissingCapability, Snapshot
from harness.providers.devnet import DevnetSnapshots
from harness.providers.dev_rpcs import HeadSnapshots
from harness.providers.registry import PROVIDERS, choose_provider
from harness.scenario.parse import load_scenarios
from project_layout import with_networks

PAUSE = """\
name: pause
network: kusama-polkadot
steps:
  - relayer: pause
"""
DELAY = PAUSE.replace("relayer: pause", "relayer: {delay: 3}")
FUND = """\
name: fund
network: kusama-local
accounts: {sender: //Alice//capabilities}
steps:
  - fund: {chain: kusama, account: sender, amount: 10 KSM}
"""


def run_on(tmp_path: Path, text: str, provider: str, *, dev_rpcs: bool, snapshots=None):
    project = with_networks(tmp_path, "kusama-local", "kusama-polkadot")
    (project / "s.yaml").write_text(text)
    [loaded] = load_scenarios(project / "s.yaml")
    chains = {name: FakeChain(name) for name in loaded.network.chains}
    net = FakeNetwork(loaded.network, provider, {}, dev_rpcs=dev_rpcs, chains=chains)
    if snapshots:
        net.capabilities[Capability.SNAPSHOT] = snapshots
    return ScenarioRunner(loaded, net, chains, 5.0).run()


def missing(tmp_path: Path, text: str, provider: str, *, dev_rpcs: bool) -> str:
    with pytest.raises(MissingCapability) as info:
        run_on(tmp_path, text, provider, dev_rpcs=dev_rpcs)
    return str(info.value)


# --- a provider without the capability: one message, naming the providers that have it -------------------------

def test_a_relayer_step_on_an_attached_network(tmp_path):
    assert missing(tmp_path, PAUSE, "attach", dev_rpcs=True) == (
        "relayer controls: provider 'attach' cannot pause the relayer; "
        "hint: providers with relayer controls: devnet")


def test_a_relayer_step_on_chopsticks_is_refused_before_any_rpc(tmp_path):
    """chopsticks serves dev RPCs, but not the devnet's relayer: the step says so instead of an RPC error."""
    assert missing(tmp_path, DELAY, "chopsticks", dev_rpcs=True) == (
        "relayer controls: provider 'chopsticks' cannot delay the relayer; "
        "hint: providers with relayer controls: devnet")


def test_a_fund_step_on_an_attached_network_without_dev_rpcs(tmp_path):
    assert missing(tmp_path, FUND, "attach", dev_rpcs=False) == (
        "storage writes: provider 'attach' cannot fund an account (the fund step); "
        "hint: providers with storage writes: devnet, chopsticks, attach (with dev_rpcs: true or --dev-rpcs)")


def test_the_error_carries_what_a_skip_needs():
    net = RunningNetwork(None, "attach", {})
    with pytest.raises(MissingCapability) as info:
        net.capability(Capability.UPGRADE, "upgrade the runtime of 'kusama'")
    assert (info.value.capability, info.value.provider, info.value.offered_by) == (
        Capability.UPGRADE, "attach", ["chopsticks"])
    assert str(info.value) == ("runtime upgrades from wasm: provider 'attach' cannot upgrade the runtime of 'kusama'; "
                               "hint: providers with runtime upgrades from wasm: chopsticks")


def test_every_capability_names_registered_providers():
    """What each provider's network really holds is checked where it starts (test_provider_start_and_stop,
    test_real_network_up_and_down, test_real_network_up_and_down's attach)."""
    assert set(OFFERED_BY) == set(Capability)
    assert {entry.split(" ")[0] for entries in OFFERED_BY.values() for entry in entries} == set(PROVIDERS)


# --- the snapshot token is opaque: the engine hands back what it got ---------------------------------------------

class Recording(RunningNetwork):
    """Answers dev RPCs from a script and records every call."""

    def __init__(self, spec, answers: dict[str, object]) -> None:
        super().__init__(spec, "recording", {name: "ws://unused" for name in spec.chains})
        self.answers, self.calls = answers, []

    def rpc(self, chain: str, method: str, params: list, timeout: float = 30.0) -> object:
        self.calls.append((chain, method, params))
        return self.answers.get(method)


@pytest.fixture
def spec(tmp_path):
    return load_network(with_networks(tmp_path, "kusama-local") / "networks" / "kusama-local.yaml")


def test_a_devnet_snapshot_reverts_by_the_id_the_devnet_gave(spec):
    net = Recording(spec, {"dev_snapshot": "snap-7"})
    snapshots = DevnetSnapshots(net)
    token = snapshots.take()
    assert isinstance(token, Snapshot) and "snap-7" not in repr(token)
    snapshots.revert(token)
    assert net.calls == [("kusama", "dev_snapshot", []), ("kusama", "dev_revert", ["snap-7"])]


def test_head_snapshots_set_parachains_back_before_the_relay(spec):
    net = Recording(spec, {"chain_getBlockHash": "0xab"})
    snapshots = HeadSnapshots(net)
    token = snapshots.take()
    net.calls.clear()
    snapshots.revert(token)
    assert net.calls == [("kusama-asset-hub", "dev_setHead", ["0xab"]), ("kusama", "dev_setHead", ["0xab"])]


def test_a_token_from_another_network_is_refused(spec):
    net = Recording(spec, {"dev_snapshot": "snap-1"})
    token = DevnetSnapshots(net).take()
    with pytest.raises(ValueError, match="taken on another network"):
        DevnetSnapshots(net).revert(token)


def test_the_runner_reverts_to_the_token_it_took(tmp_path):
    class Kept:
        def __init__(self) -> None:
            self.taken, self.reverted = [], []

        def take(self) -> Snapshot:
            self.taken.append(Snapshot(self, object()))
            return self.taken[-1]

        def revert(self, snapshot: Snapshot) -> None:
            self.reverted.append(snapshot)

    kept = Kept()
    run_on(tmp_path, FUND, "fake", dev_rpcs=True, snapshots=kept)
    assert len(kept.taken) == 1 and kept.reverted == kept.taken


# --- provider names in network files: checked by the registry, with positions ----------------------------------

def test_a_misspelt_provider_in_a_network_file(tmp_path):
    file = tmp_path / "n.yaml"
    file.write_text("name: n\nprovider: chopstiks\nchains:\n  kusama: {role: relay, token: KSM}\n")
    spec = load_network(file)  # the file's shape is right; the name is the registry's to check
    with pytest.raises(ProviderError) as info:
        choose_provider(None, spec)
    assert str(info.value) == (f"{file}:2:1: provider: unknown provider 'chopstiks' (hint: did you mean "
                               "'chopsticks'? providers: devnet, chopsticks, attach, zombienet)")
