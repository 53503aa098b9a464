"""The XCM executor and pallet-xcm over State: teleports and reserve transfers between a relay and
its Asset Hub, barriers, error handling, the asset trap and claims."""
from __future__ import annotations

import pytest

from harness.devnet.runtime.frame import DispatchError, Origin
from harness.devnet.xcm import executor as X
from harness.devnet.xcm import locations as L
from harness.devnet.xcm.config import check_account, staking_pot_account

from .xcm_fixtures import ALICE, BIG, BOB, DELIVERY_FEE, make_chain

UNIT = 10**12


def teleport_call(pallet: str, dest: dict, asset_id: dict, amount: int, who: bytes = ALICE) -> dict:
    return {pallet: {"limited_teleport_assets": {
        "dest": {"V5": dest}, "beneficiary": {"V5": L.account32(who)},
        "assets": {"V5": [{"id": asset_id, "fun": {"Fungible": amount}}]}, "fee_asset_item": 0,
        "weight_limit": "Unlimited"}}}


def names(program: list) -> list[str]:
    return [X.split_instruction(i)[0] for i in program]


def test_teleport_relay_to_asset_hub_burns_sends_and_mints():
    relay, ah = make_chain("kusama"), make_chain("kusama-asset-hub")
    relay_before = relay.free(ALICE)
    relay.runtime.dispatch(relay.ctx, Origin.signed(ALICE),
                           teleport_call("XcmPallet", L.parachain(1000), L.HERE, UNIT))
    assert relay_before - relay.free(ALICE) == UNIT + DELIVERY_FEE
    kinds = [k for k, _ in relay.xcm_events()]
    assert kinds == ["Attempted", "FeesPaid", "Sent"]
    (dest, message), = relay.router.sent
    assert dest == L.parachain(1000)
    assert names(message) == ["ReceiveTeleportedAsset", "ClearOrigin", "BuyExecution", "DepositAsset", "SetTopic"]
    assert message[0]["ReceiveTeleportedAsset"] == [{"id": L.PARENT, "fun": {"Fungible": UNIT}}]

    checking_before = ah.free(check_account())
    ah_before = ah.free(ALICE)
    outcome = X.execute(ah.ctx, L.PARENT, message, BIG, b"\1" * 32)
    assert outcome.complete, outcome
    assert outcome.message_id == message[-1]["SetTopic"]
    fee = UNIT - (ah.free(ALICE) - ah_before)
    assert 0 < fee < UNIT // 100
    assert ah.free(staking_pot_account()) == fee        # UsingComponents pays the collators' pot
    assert checking_before - ah.free(check_account()) == UNIT   # MintLocation::Local: checked in


def test_teleport_asset_hub_to_relay_checks_out_and_relay_accepts():
    relay, ah = make_chain("polkadot"), make_chain("polkadot-asset-hub")
    checking_before = ah.free(check_account())
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), teleport_call("PolkadotXcm", L.PARENT, L.PARENT, 10**10))
    assert ah.free(check_account()) - checking_before == 10**10
    (dest, message), = ah.router.sent
    assert dest == L.PARENT and message[0]["ReceiveTeleportedAsset"][0]["id"] == L.HERE
    before = relay.free(ALICE)
    outcome = X.execute(relay.ctx, L.parachain(1000), message, BIG, b"\2" * 32)
    assert outcome.complete, outcome
    assert 0 < relay.free(ALICE) - before < 10**10


def test_teleport_from_an_untrusted_origin_is_refused():
    ah = make_chain("kusama-asset-hub")
    message = [{"ReceiveTeleportedAsset": [{"id": L.PARENT, "fun": {"Fungible": UNIT}}]}, "ClearOrigin",
               {"BuyExecution": {"fees": {"id": L.PARENT, "fun": {"Fungible": UNIT}}, "weight_limit": "Unlimited"}},
               {"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": L.account32(BOB)}}]
    outcome = X.execute(ah.ctx, L.parachain(2000, parents=1), message, BIG, b"\3" * 32)
    assert not outcome.complete and outcome.executed
    assert (outcome.error, outcome.error_index) == ("UntrustedTeleportLocation", 0)
    assert ah.free(BOB) == 0


def test_reserve_transfer_of_the_relay_token_from_asset_hub_to_a_parachain():
    ah = make_chain("kusama-asset-hub")
    sibling = L.parachain(2000, parents=1)
    sovereign = L.sibling_parachain_converts_via(sibling)
    call = {"PolkadotXcm": {"transfer_assets": {
        "dest": {"V4": sibling}, "beneficiary": {"V4": L.account32(BOB)},
        "assets": {"V4": [{"id": L.PARENT, "fun": {"Fungible": UNIT}}]}, "fee_asset_item": 0,
        "weight_limit": "Unlimited"}}}
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), call)
    assert ah.free(sovereign) == UNIT                   # LocalReserve: held by the sibling's sovereign
    (dest, message), = ah.router.sent
    assert names(message) == ["ReserveAssetDeposited", "ClearOrigin", "BuyExecution", "DepositAsset", "SetTopic"]
    assert message[0]["ReserveAssetDeposited"] == [{"id": L.PARENT, "fun": {"Fungible": UNIT}}]


def test_reserve_deposit_from_the_sibling_reserve_mints_foreign_assets_and_back():
    ah = make_chain("kusama-asset-hub")
    sibling = L.parachain(2000, parents=1)
    token = L.location(1, [{"Parachain": 2000}, {"GeneralIndex": 7}])
    ksm_fee = {"id": L.PARENT, "fun": {"Fungible": UNIT}}
    foreign = ah.xcm.hooks.foreign_assets
    # the token's owner made its home chain its one trusted reserve (ForeignAssets.Reserves)
    foreign.reserves[repr(L.normalize(token))] = [{"reserve": sibling, "teleportable": False}]
    # the sibling pays execution in KSM it holds here, and deposits its own token
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), {"Balances": {"transfer_allow_death": {
        "dest": {"Id": L.sibling_parachain_converts_via(sibling)}, "value": 2 * UNIT}}})
    message = [{"WithdrawAsset": [ksm_fee]}, {"BuyExecution": {"fees": ksm_fee, "weight_limit": "Unlimited"}},
               {"ReserveAssetDeposited": [{"id": token, "fun": {"Fungible": 500}}]}, "ClearOrigin",
               {"DepositAsset": {"assets": {"Wild": {"AllCounted": 2}}, "beneficiary": L.account32(BOB)}}]
    outcome = X.execute(ah.ctx, sibling, message, BIG, b"\4" * 32)
    assert outcome.complete, outcome
    assert foreign.balance(ah.ctx, token, BOB) == 500
    # the same deposit from another parachain is refused: it is not that token's reserve
    other = L.parachain(2001, parents=1)
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), {"Balances": {"transfer_allow_death": {
        "dest": {"Id": L.sibling_parachain_converts_via(other)}, "value": 2 * UNIT}}})
    outcome = X.execute(ah.ctx, other, message, BIG, b"\5" * 32)
    assert (outcome.error, outcome.error_index) == ("UntrustedReserveLocation", 2)

    # Bob sends it home: DestinationReserve (withdraw + burn here, WithdrawAsset there)
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), {"Balances": {"transfer_allow_death": {
        "dest": {"Id": BOB}, "value": UNIT}}})
    ah.router.sent.clear()
    call = {"PolkadotXcm": {"transfer_assets": {
        "dest": {"V5": sibling}, "beneficiary": {"V5": L.account32(BOB)},
        "assets": {"V5": [{"id": token, "fun": {"Fungible": 200}}]}, "fee_asset_item": 0,
        "weight_limit": "Unlimited"}}}
    ah.runtime.dispatch(ah.ctx, Origin.signed(BOB), call)
    assert foreign.balance(ah.ctx, token, BOB) == 300
    (dest, sent), = ah.router.sent
    assert names(sent)[:3] == ["WithdrawAsset", "ClearOrigin", "BuyExecution"]
    assert sent[0]["WithdrawAsset"][0]["id"] == L.location(0, [{"GeneralIndex": 7}])


def test_unpaid_message_from_a_public_parachain_hits_the_barrier():
    ah = make_chain("kusama-asset-hub")
    message = [{"WithdrawAsset": [{"id": L.PARENT, "fun": {"Fungible": UNIT}}]},
               {"DepositAsset": {"assets": {"Wild": "All"}, "beneficiary": L.account32(BOB)}}]
    outcome = X.execute(ah.ctx, L.parachain(2000, parents=1), message, BIG, b"\6" * 32)
    assert (outcome.executed, outcome.error) == (False, "Barrier")
    assert outcome.value == {"Error": {"index": 0, "error": "Barrier"}}


def test_system_parachain_may_run_unpaid_on_the_relay():
    relay = make_chain("kusama")
    message = [{"UnpaidExecution": {"weight_limit": "Unlimited", "check_origin": None}}, {"Trap": 3}]
    outcome = X.execute(relay.ctx, L.parachain(1000), message, BIG, b"\7" * 32)
    assert outcome.executed and outcome.value["Incomplete"]["error"] == {"index": 1, "error": {"Trap": 3}}


def test_error_handler_runs_and_appendix_follows():
    relay = make_chain("kusama")
    here = L.HERE
    handler = [{"ExpectError": [1, {"Trap": 9}]}, "ClearError"]
    message = [{"SetErrorHandler": handler}, {"Trap": 9}, "ClearOrigin"]
    vm_outcome = X.prepare_and_execute(relay.ctx, relay.xcm, here, message, b"\0" * 32, BIG, BIG)
    assert vm_outcome.complete, vm_outcome          # the handler cleared the error
    message = [{"SetAppendix": [{"Trap": 2}]}, {"Trap": 1}]
    outcome = X.prepare_and_execute(relay.ctx, relay.xcm, here, message, b"\0" * 32, BIG, BIG)
    assert (outcome.error, outcome.error_index) == ({"Trap": 2}, 0)   # the appendix ran after the error


def test_leftover_assets_are_trapped_and_can_be_claimed():
    ah = make_chain("kusama-asset-hub")
    asset = {"id": L.PARENT, "fun": {"Fungible": UNIT}}
    message = [{"ReceiveTeleportedAsset": [asset]}, "ClearOrigin",
               {"BuyExecution": {"fees": asset, "weight_limit": "Unlimited"}}]
    outcome = X.execute(ah.ctx, L.PARENT, message, BIG, b"\x08" * 32)
    assert outcome.complete
    (kind, trapped), = [e for e in ah.xcm_events() if e[0] == "AssetsTrapped"]
    assert trapped["origin"] == L.PARENT
    left = trapped["assets"]["V5"]
    assert ah.xcm.asset_traps.get(ah.state, trapped["hash"]) == 1
    claim = [{"ClaimAsset": {"assets": left, "ticket": L.HERE}},
             {"BuyExecution": {"fees": left[0], "weight_limit": "Unlimited"}},
             {"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}}, "beneficiary": L.account32(BOB)}}]
    outcome = X.execute(ah.ctx, L.PARENT, claim, BIG, b"\x09" * 32)
    assert outcome.complete, outcome
    assert ah.xcm.asset_traps.get(ah.state, trapped["hash"]) == 0
    assert 0 < ah.free(BOB) < left[0]["fun"]["Fungible"]
    outcome = X.execute(ah.ctx, L.PARENT, claim, BIG, b"\x0a" * 32)
    assert outcome.error == "UnknownClaim"


def test_execute_call_reports_the_failing_instruction():
    relay = make_chain("kusama")
    message = {"V5": [{"WithdrawAsset": [{"id": L.HERE, "fun": {"Fungible": 10**30}}]}]}
    with pytest.raises(DispatchError) as failed:
        relay.runtime.dispatch(relay.ctx, Origin.signed(ALICE), {"XcmPallet": {"execute": {
            "message": message, "max_weight": {"ref_time": 10**10, "proof_size": 10**6}}}})
    assert failed.value.label == "XcmPallet.LocalExecutionIncompleteWithError"
    # error: [variant 28, instruction 0, ExecutionError::FailedToTransactAsset = 9, 0]
    assert failed.value.value["Module"]["error"] == bytes([28, 0, 9, 0])


def test_weighing_uses_the_benchmarked_weights_and_refuses_too_many_instructions():
    relay = make_chain("kusama")
    weigher = relay.xcm.weigher
    w = weigher.weight(["ClearOrigin", {"Trap": 1}])
    assert w == {"ref_time": 646_000 + 2_874_000, "proof_size": 0}
    with pytest.raises(X.Unweighable):
        weigher.weight(["ClearOrigin"] * 101)
    outcome = X.execute(relay.ctx, L.HERE, ["ClearOrigin"], {"ref_time": 1, "proof_size": 0}, b"\0" * 32)
    assert not outcome.executed and "WeightLimitReached" in outcome.error


def test_initiate_transfer_builds_the_v5_remote_program():
    ah = make_chain("kusama-asset-hub")
    ksm = lambda n: {"id": L.PARENT, "fun": {"Fungible": n}}   # noqa: E731
    program = {"V5": [
        {"WithdrawAsset": [ksm(UNIT)]},
        {"PayFees": {"asset": ksm(UNIT // 10)}},
        {"InitiateTransfer": {
            "destination": L.PARENT,
            "remote_fees": {"Teleport": {"Definite": [ksm(UNIT // 10)]}},
            "preserve_origin": True,
            "assets": [{"Teleport": {"Wild": {"AllCounted": 1}}}],
            "remote_xcm": [{"DepositAsset": {"assets": {"Wild": {"AllCounted": 1}},
                                             "beneficiary": L.account32(BOB)}}]}}]}
    checking_before = ah.free(check_account())
    ah.runtime.dispatch(ah.ctx, Origin.signed(ALICE), {"PolkadotXcm": {"execute": {
        "message": program, "max_weight": {"ref_time": 10**11, "proof_size": 10**6}}}})
    (dest, sent), = ah.router.sent
    assert dest == L.PARENT
    assert names(sent) == ["ReceiveTeleportedAsset", "PayFees", "ReceiveTeleportedAsset", "AliasOrigin",
                           "DepositAsset", "SetTopic"]
    assert sent[0]["ReceiveTeleportedAsset"] == [{"id": L.HERE, "fun": {"Fungible": UNIT // 10}}]
    # the alias is Alice as the relay sees her: inside Asset Hub
    assert sent[3]["AliasOrigin"] == L.location(0, [{"Parachain": 1000},
                                                    L.junctions(L.account32(ALICE, "Kusama"))[0]])
    teleported = ah.free(check_account()) - checking_before
    assert UNIT // 10 < teleported < UNIT                  # all but the local execution fee left


def test_execute_with_origin_restores_the_origin():
    relay = make_chain("kusama")
    inner = [{"ExpectOrigin": L.location(0, [{"Parachain": 7}, {"PalletInstance": 1}])}]
    message = [{"ExecuteWithOrigin": {"descendant_origin": {"X1": [{"PalletInstance": 1}]}, "xcm": inner}},
               {"ExpectOrigin": L.parachain(7)}]
    weigher = relay.xcm.weigher
    with pytest.raises(X.Unweighable):          # the live weight of ExecuteWithOrigin is Weight::MAX
        weigher.weight(message)
    vm = X.Vm(relay.ctx, relay.xcm, L.parachain(7), b"\0" * 32)
    assert vm.process(message) is None
    assert vm.origin == L.parachain(7)
