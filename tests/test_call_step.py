"""The generic `call` step: placeholders read at collection, positioned errors, arguments shaped for the encoder
from the chain's types, unknown pallets and calls named at run time (on fake chains, and on the devnet)."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from substrateinterface import Keypair

from devnet_network import devnet_clients  # noqa: F401 - a fixture
from fake_chain import FakeChain, FakeNetwork
from project_layout import with_networks
from harness.client.call_values import for_encoding
from harness.client.chain import Receipt
from harness.engine.result import ScenarioFailure
from harness.engine.runner import ScenarioRunner
from harness.errors import ChainCallError
from harness.scenario.model import AccountArg, PlanckArg, SavedArg
from harness.steps.call import Call
from harness.scenario.parse import load_scenarios
from harness.scenario.positions import ScenarioErrors


TRAP = """\
name: trap
network: kusama-polkadot
accounts: {sender: //Alice//call-step}
steps:
  - fund: {chain: kusama-asset-hub, account: sender, amount: 10 KSM}
  - call:
      chain: kusama-asset-hub
      signer: sender
      call: PolkadotXcm.claim_assets
      args:
        assets: {V5: [{id: {parents: 1, interior: Here}, fun: {Fungible: "%(amount)s"}}]}
        beneficiary: {V5: {parents: 0, interior: {X1: [{AccountId32: {network: null, id: "%(who)s"}}]}}}
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return with_networks(tmp_path, "kusama-polkadot", "kusama-local")


def load(project: Path, text: str):
    path = project / "s.yaml"
    path.write_text(text)
    return load_scenarios(path)


def errors(project: Path, text: str) -> list[str]:
    with pytest.raises(ScenarioErrors) as info:
        load(project, text)
    return [e.line().split("s.yaml:", 1)[1] for e in info.value.errors]


# --- collection ----------------------------------------------------------------------------------------------

def test_placeholders_become_typed_arguments(project):
    [scenario] = load(project, TRAP % {"amount": "$planck:1.5 KSM", "who": "$account:sender"})
    call = scenario.steps[1].action
    assert isinstance(call, Call)
    assert (call.chain, call.signer, call.pallet, call.function) == ("kusama-asset-hub", "sender", "PolkadotXcm",
                                                                   "claim_assets")
    [asset] = call.args["assets"]["V5"]
    assert asset["fun"]["Fungible"] == PlanckArg(asset["fun"]["Fungible"].amount)
    assert (asset["fun"]["Fungible"].amount.value, asset["fun"]["Fungible"].amount.unit) == (Decimal("1.5"), "KSM")
    junction = call.args["beneficiary"]["V5"]["interior"]["X1"][0]["AccountId32"]
    assert junction == {"network": None, "id": AccountArg("sender")}
    assert asset["id"] == {"parents": 1, "interior": "Here"}  # everything else as written


def test_a_bridged_token_may_be_counted_in_a_call(project):
    [scenario] = load(project, TRAP.replace("kusama-asset-hub, account: sender, amount: 10 KSM",
                                            "polkadot-asset-hub, account: sender, amount: 10 DOT")
                      .replace("chain: kusama-asset-hub", "chain: polkadot-asset-hub")
                      % {"amount": "$planck:1 KSM", "who": "$account:sender"})
    assert scenario.steps[1].action.args["assets"]["V5"][0]["fun"]["Fungible"].amount.unit == "KSM"


def test_an_undeclared_account_is_reported_at_the_placeholder(project):
    assert errors(project, TRAP % {"amount": "$planck:1 KSM", "who": "$account:carol"}) == [
        "12:86: steps[1].call.args.beneficiary.V5.interior.X1[0].AccountId32.id: unknown account 'carol' "
        "(hint: declare it under 'accounts:' (declared: sender))"]


@pytest.mark.parametrize("amount, message", [
    ("$planck:1", "'1' is not an amount with a unit (hint: write a number and a unit, e.g. '10 KSM', '0.5 DOT' or "
                  "'1_000_000 planck')"),
    ("$planck:-1 KSM", "'-1 KSM' must be positive (hint: write the amount without a sign)"),
    ("$planck:1 ETH", "unknown asset 'ETH' on chain 'kusama-asset-hub' (hint: 'kusama-asset-hub' counts in KSM, and "
                      "takes the bridged DOT (or planck))"),
    ("$plank:1 KSM", "unknown placeholder '$plank:' "
                     "(hint: use $account:NAME, $planck:AMOUNT (e.g. '$planck:1 KSM') or $saved:NAME)"),
])
def test_a_bad_amount_is_reported_at_the_placeholder(project, amount, message):
    assert errors(project, TRAP % {"amount": amount, "who": "$account:sender"}) == [
        f"11:64: steps[1].call.args.assets.V5[0].fun.Fungible: {message}"]


SAVED = TRAP + """\
  - wait:
      chain: kusama-asset-hub
      event: PolkadotXcm.AssetsTrapped
      save: {trapped: assets.V5, first: assets.V5.0.fun.Fungible}
  - call:
      chain: kusama-asset-hub
      signer: sender
      call: PolkadotXcm.claim_assets
      args:
        assets: {V5: "%(saved)s"}
        beneficiary: {V5: {parents: 0, interior: Here}}
"""


def test_a_wait_saves_event_fields_for_later_calls(project):
    [scenario] = load(project, SAVED % {"amount": "$planck:1 KSM", "who": "$account:sender", "saved": "$saved:trapped"})
    assert scenario.steps[2].action.save == (("trapped", ("assets", "V5")), ("first", ("assets", "V5", "0", "fun",
                                                                                          "Fungible")))
    assert scenario.steps[3].action.args["assets"] == {"V5": SavedArg("trapped")}


@pytest.mark.parametrize("edit, message", [
    (("$saved:trapped", "$saved:traped"),
     "22:18: steps[3].call.args.assets.V5: no earlier wait saves 'traped' (hint: saved so far: trapped, first; a wait "
     "for an event saves its fields with save: {NAME: FIELD})"),
    (("      event: PolkadotXcm.AssetsTrapped\n", "      blocks: 1\n"),
     "16:7: steps[2].wait.save: 'save' needs 'event' (hint: 'save' keeps fields of the awaited event; a wait for "
     "blocks or delivery has none)"),
    (("  - call:\n      chain: kusama-asset-hub\n      signer: sender\n      call: PolkadotXcm.claim_assets\n"
      "      args:\n        assets: {V5: \"$saved",
      "  - wait: {chain: kusama-asset-hub, event: PolkadotXcm.AssetsTrapped, save: {trapped: assets}}\n"
      "  - call:\n      chain: kusama-asset-hub\n      signer: sender\n      call: PolkadotXcm.claim_assets\n"
      "      args:\n        assets: {V5: \"$saved"),
     "17:78: steps[3].wait.save.trapped: an earlier wait already saves 'trapped' (hint: give each saved value its own "
     "name)"),
])
def test_saved_values_are_checked_at_collection(project, edit, message):
    text = SAVED % {"amount": "$planck:1 KSM", "who": "$account:sender", "saved": "$saved:trapped"}
    assert edit[0] in text
    assert errors(project, text.replace(*edit)) == [message]


def test_call_needs_pallet_dot_name_and_a_known_signer_and_chain(project):
    text = (TRAP % {"amount": "$planck:1 KSM", "who": "$account:sender"})
    assert errors(project, text.replace("call: PolkadotXcm.claim_assets", "call: claim_assets")) == [
        "9:7: steps[1].call.call: 'claim_assets' is not Pallet.Name (hint: e.g. Balances.Transfer)"]
    assert errors(project, text.replace("signer: sender", "signer: eve")
                  .replace("      chain: kusama-asset-hub\n", "      chain: kusama-hub\n")) == [
        "7:7: steps[1].call.chain: unknown chain 'kusama-hub' (hint: network 'kusama-polkadot' has: kusama, "
        "kusama-asset-hub, kusama-bridge-hub, polkadot, polkadot-asset-hub, polkadot-bridge-hub)",
        "8:7: steps[1].call.signer: unknown account 'eve' (hint: declare it under 'accounts:' (declared: sender))"]


# --- argument shapes -----------------------------------------------------------------------------------------

# A miniature portable registry: VersionedXcm::V5(Xcm(Vec<Instruction>)), Instruction::WithdrawAsset(Assets),
# Assets(Vec<Asset>), Asset {id: u8, fun: u128}
TYPES = {
    0: {"def": {"variant": {"variants": [{"name": "V5", "fields": [{"name": None, "type": 1}]}]}}},
    1: {"def": {"composite": {"fields": [{"name": None, "type": 2}]}}},
    2: {"def": {"sequence": {"type": 3}}},
    3: {"def": {"variant": {"variants": [{"name": "WithdrawAsset", "fields": [{"name": None, "type": 4}]},
                                         {"name": "ClearOrigin", "fields": []}]}}},
    4: {"def": {"composite": {"fields": [{"name": None, "type": 5}]}}},
    5: {"def": {"sequence": {"type": 6}}},
    6: {"def": {"composite": {"fields": [{"name": "id", "type": 7}, {"name": "fun", "type": 7}]}}},
    7: {"def": {"primitive": "u128"}},
}
ASSET = {"id": 1, "fun": 5}


def test_newtype_lists_are_wrapped_for_the_encoder():
    written = {"V5": [{"WithdrawAsset": [ASSET]}, "ClearOrigin"]}
    assert for_encoding(TYPES, 0, written) == {"V5": [[{"WithdrawAsset": [[ASSET]]}, "ClearOrigin"]]}


def test_lists_already_wrapped_are_left_as_they_are():
    wrapped = {"V5": [[{"WithdrawAsset": [[ASSET]]}]]}
    assert for_encoding(TYPES, 0, wrapped) == wrapped


# --- running (fake chains) -----------------------------------------------------------------------------------

class CallChain(FakeChain):
    """A FakeChain that knows one call and records what was submitted."""

    CALLS = {"PolkadotXcm": ["claim_assets", "execute"]}

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.submitted: list[tuple[str, str, dict]] = []

    def check_call(self, pallet: str, call: str) -> None:
        if call not in self.CALLS.get(pallet, []):
            raise ChainCallError(f"{self.name} has no call {pallet}.{call}", "PolkadotXcm calls: claim_assets, execute")

    def call_args(self, pallet: str, call: str, args: dict) -> dict:
        return args

    def submit(self, pallet, call, params, signer, *, produce_block=None, timeout=None, fee_asset=None):
        self.submitted.append((pallet, call, params))
        self.free[signer.ss58_address] -= 1_000
        number = self.build([("TransactionPayment.TransactionFeePaid",
                              {"who": signer.ss58_address, "actual_fee": 1_000, "tip": 0}),
                             ("System.ExtrinsicSuccess", {})], extrinsic_index=1)
        return Receipt(self.name, f"0x{number:064x}", self.block_hash(number), number, True, None, 1_000,
                       self.blocks[number])


def run_on_fakes(scenario):
    chains = {name: CallChain(name) for name in scenario.network.chains}
    net = FakeNetwork(scenario.network, "fake", {}, dev_rpcs=True, chains=chains)
    return ScenarioRunner(scenario, net, chains, 5.0).run(), chains


def test_placeholders_are_resolved_before_the_call_is_submitted(project):
    [scenario] = load(project, TRAP % {"amount": "$planck:1.5 KSM", "who": "$account:sender"})
    _, chains = run_on_fakes(scenario)
    [(pallet, call, params)] = chains["kusama-asset-hub"].submitted
    assert (pallet, call) == ("PolkadotXcm", "claim_assets")
    assert params["assets"]["V5"][0]["fun"]["Fungible"] == 1_500_000_000_000  # KSM has 12 decimals
    public = Keypair.create_from_uri("//Alice//call-step").public_key
    assert params["beneficiary"]["V5"]["interior"]["X1"][0]["AccountId32"]["id"] == "0x" + public.hex()


class TrappingChain(CallChain):
    """A CallChain whose first call also traps some assets."""

    TRAPPED = {"V5": [{"id": {"parents": 1, "interior": "Here"}, "fun": {"Fungible": 7}}]}

    def submit(self, pallet, call, params, signer, *, produce_block=None, timeout=None, fee_asset=None):
        receipt = super().submit(pallet, call, params, signer, produce_block=produce_block, timeout=timeout)
        if len(self.submitted) == 1:
            self.build([("PolkadotXcm.AssetsTrapped", {"hash": "0x00", "origin": {}, "assets": self.TRAPPED})])
        return receipt


def test_a_saved_field_is_what_the_later_call_submits(project, monkeypatch):
    [scenario] = load(project, SAVED % {"amount": "$planck:1 KSM", "who": "$account:sender", "saved": "$saved:trapped"})
    monkeypatch.setattr(__name__ + ".CallChain", TrappingChain)
    _, chains = run_on_fakes(scenario)
    first, second = chains["kusama-asset-hub"].submitted
    assert second[2]["assets"] == TrappingChain.TRAPPED


def test_a_saved_field_the_event_lacks_fails_the_wait(project, monkeypatch):
    [scenario] = load(project, (SAVED % {"amount": "$planck:1 KSM", "who": "$account:sender", "saved": "$saved:first"})
                      .replace("assets.V5.0.fun.Fungible", "assets.V5.1.fun.Fungible"))
    monkeypatch.setattr(__name__ + ".CallChain", TrappingChain)
    with pytest.raises(ScenarioFailure) as info:
        run_on_fakes(scenario)
    assert info.value.message.startswith("PolkadotXcm.AssetsTrapped has no field 'assets.V5.1.fun.Fungible' to save "
                                         "as 'first' (no '1')")
    assert info.value.step.index == 2


def test_an_unknown_call_fails_the_step_naming_the_known_ones(project):
    [scenario] = load(project, (TRAP % {"amount": "$planck:1 KSM", "who": "$account:sender"})
                      .replace("claim_assets", "claim_asset"))
    with pytest.raises(ScenarioFailure) as info:
        run_on_fakes(scenario)
    assert info.value.message == ("kusama-asset-hub has no call PolkadotXcm.claim_asset; hint: PolkadotXcm calls: "
                                  "claim_assets, execute")
    assert info.value.step.index == 1


# --- the devnet's metadata -----------------------------------------------------------------------------------

def test_unknown_pallet_and_call_name_what_the_runtime_has(devnet_clients):
    client = devnet_clients["kusama-asset-hub"]
    with pytest.raises(ChainCallError) as info:
        client.check_call("PolkadotXcm", "claim_asset")
    assert info.value.message == "kusama-asset-hub has no call PolkadotXcm.claim_asset"
    assert info.value.hint.startswith("did you mean claim_assets? PolkadotXcm calls: ")
    assert "limited_reserve_transfer_assets" in info.value.hint
    with pytest.raises(ChainCallError) as info:
        client.check_call("PolkadotXcn", "send")
    assert info.value.hint.startswith("did you mean PolkadotXcm? pallets: ")


def test_execute_arguments_are_shaped_from_the_runtime_types(devnet_clients):
    client = devnet_clients["kusama-asset-hub"]
    asset = {"id": {"parents": 1, "interior": "Here"}, "fun": {"Fungible": 10}}
    args = client.call_args("PolkadotXcm", "execute", {"message": {"V5": [{"WithdrawAsset": [asset]}]},
                                                      "max_weight": {"ref_time": 1, "proof_size": 1}})
    assert args == {"message": {"V5": [[{"WithdrawAsset": [[asset]]}]]}, "max_weight": {"ref_time": 1, "proof_size": 1}}
    client.api.compose_call("PolkadotXcm", "execute", args)  # the encoder takes them
