"""The model ledger (harness/testing/ledger.py): what it says a few transfers do, that random steps keep every
invariant, and that each invariant catches a ledger broken on purpose (a test double per fault)."""
from __future__ import annotations

import pytest
from hypothesis import Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from harness.testing.ledger import InvariantViolation, Ledger, Message, native_asset, reserve_account
from harness.testing.strategies import amounts, routes
from harness.testing.model_chains import ASSET_HUBS, CHAIN_NAMES, Asset, ModelRoute, chain

KSM, DOT = Asset("Kusama"), Asset("Polkadot")
ENDOWED = ("//Alice", "//Bob")
ACCOUNTS = (*ENDOWED, "//Alice//1")  # the child starts empty: deposits to it meet the minimum balance
ENDOWMENT = {name: 10 * 10 ** chain(name).decimals for name in CHAIN_NAMES}  # 10 KSM / 10 DOT
KSM_AH, DOT_AH = ASSET_HUBS["Kusama"], ASSET_HUBS["Polkadot"]


def endowed_ledger(cls: type[Ledger] = Ledger, **options) -> Ledger:
    return cls({(c, a, native_asset(c)): ENDOWMENT[c] for c in CHAIN_NAMES for a in ENDOWED}, **options)


# --- what the correct ledger says ------------------------------------------------------------------

def test_a_teleport_moves_the_amount_less_the_destination_fee():
    ledger = endowed_ledger()
    receipt = ledger.send(ModelRoute("kusama", KSM_AH), "//Alice", "//Alice//1", KSM, 10 ** 12, fee=10 ** 9)
    assert receipt.accepted and ledger.balance("kusama", "//Alice", KSM) == ENDOWMENT["kusama"] - 10 ** 12 - 10 ** 9
    ledger.check_all()  # in flight, conserved
    assert ledger.deliver(receipt.message.id, fee=10 ** 8).accepted
    assert ledger.balance(KSM_AH, "//Alice//1", KSM) == 10 ** 12 - 10 ** 8
    assert ledger.fees == {("kusama", KSM): 10 ** 9, (KSM_AH, KSM): 10 ** 8}
    ledger.check_all()


def test_a_deposit_below_the_minimum_balance_is_trapped():
    ledger = endowed_ledger()
    ed = KSM.min_balance_on(KSM_AH)
    message = ledger.send(ModelRoute("kusama", KSM_AH), "//Alice", "//Alice//1", KSM, ed, fee=0).message
    assert not ledger.deliver(message.id, fee=1).accepted
    assert ledger.trapped[(KSM_AH, KSM)] == ed - 1 and ledger.balance(KSM_AH, "//Alice//1", KSM) == 0
    ledger.check_all()


def test_the_bridge_keeps_a_reserve_and_releases_it_on_the_way_home():
    ledger = endowed_ledger()
    ledger.start_relayer()
    out = ledger.send(ModelRoute(KSM_AH, DOT_AH), "//Alice", "//Bob", KSM, 10 ** 12, fee=10 ** 6).message
    assert ledger.balances[reserve_account(KSM)] == 10 ** 12 and out.nonce == 1
    ledger.deliver(out.id, fee=10 ** 7)
    assert ledger.balance(DOT_AH, "//Bob", KSM) == 10 ** 12 - 10 ** 7
    home = ledger.send(ModelRoute(DOT_AH, KSM_AH), "//Bob", "//Alice//1", KSM, 10 ** 11, fee=10 ** 6).message
    ledger.check_all()
    ledger.deliver(home.id, fee=0)
    assert ledger.balances[reserve_account(KSM)] == 9 * 10 ** 11
    assert ledger.balance(KSM_AH, "//Alice//1", KSM) == 10 ** 11
    ledger.check_all()


def test_a_sender_left_below_the_existential_deposit_is_reaped_and_its_dust_burned():
    ledger = endowed_ledger()
    ed = KSM.min_balance_on("kusama")
    assert ledger.transfer("kusama", "//Alice", "//Bob", ENDOWMENT["kusama"] - 2 * ed, fee=ed + 1).accepted
    assert ledger.balance("kusama", "//Alice", KSM) == 0 and ledger.dust[("kusama", KSM)] == ed - 1
    ledger.check_all()


def test_keep_alive_refuses_what_allow_death_reaps():
    ledger = endowed_ledger()
    receipt = ledger.transfer("kusama", "//Alice", "//Bob", ENDOWMENT["kusama"] - 1, fee=0, keep_alive=True)
    assert (receipt.accepted, receipt.reason) == (False, "would reap the sender")


def test_an_unpayable_fee_changes_nothing():
    ledger = endowed_ledger()
    before = dict(ledger.balances)
    refused = ledger.send(ModelRoute("kusama", KSM_AH), "//Alice//1", "//Bob", KSM, 1, fee=0)
    assert refused.reason == "cannot pay the fee"
    assert ledger.balances == before


def test_a_halted_bridge_strands_what_it_does_not_export_and_holds_what_it_does_not_receive():
    ledger = endowed_ledger()
    ledger.start_relayer()
    ledger.set_mode("Kusama", "RejectingOutboundMessages")
    receipt = ledger.send(ModelRoute(KSM_AH, DOT_AH), "//Alice", "//Bob", KSM, 10 ** 12, fee=0)
    assert receipt.accepted and receipt.message is None and ledger.stranded[KSM] == 10 ** 12
    assert ledger.balances[reserve_account(KSM)] == 10 ** 12 and not ledger.generated
    ledger.set_mode("Kusama", "Halted")
    message = ledger.send(ModelRoute(DOT_AH, KSM_AH), "//Alice", "//Bob", DOT, 10 ** 11, fee=0).message
    assert message.nonce == 1 and ledger.deliverable() == []
    ledger.tick(10)
    ledger.check_all()  # waiting for a halted Bridge Hub is not late
    ledger.set_mode("Kusama", "Normal")
    assert ledger.deliverable() == [message]
    ledger.check_all()


def test_trapped_assets_are_claimed_once_by_their_owner():
    ledger = endowed_ledger()
    assert ledger.trap("kusama", "//Alice", 10 ** 9, fee=10).accepted
    assert ledger.trapped[("kusama", KSM)] == 10 ** 9
    assert not ledger.claim("kusama", "//Bob", 10 ** 9, fee=10).accepted
    assert ledger.claim("kusama", "//Alice", 10 ** 9, fee=10).accepted
    assert not ledger.claim("kusama", "//Alice", 10 ** 9, fee=10).accepted
    assert ledger.balance("kusama", "//Alice", KSM) == ENDOWMENT["kusama"] - 30 and not ledger.trapped[("kusama", KSM)]
    ledger.check_all()


def test_a_first_reserve_deposit_below_the_minimum_balance_fails():
    ledger = endowed_ledger()
    receipt = ledger.send(ModelRoute(DOT_AH, KSM_AH), "//Alice", "//Bob", DOT, 5, fee=7)
    assert (receipt.accepted, receipt.included) == (False, True)
    assert ledger.balance(DOT_AH, "//Alice", DOT) == ENDOWMENT[DOT_AH] - 7


def test_observed_lane_nonces_must_not_go_back():
    ledger = endowed_ledger()
    ledger.observe_lane((KSM_AH, DOT_AH), generated=3, delivered=2)
    with pytest.raises(InvariantViolation, match="went back"):
        ledger.observe_lane((KSM_AH, DOT_AH), generated=3, delivered=1)
    with pytest.raises(InvariantViolation, match="only gave out"):
        endowed_ledger().observe_lane((KSM_AH, DOT_AH), generated=1, delivered=2)


# --- random steps: the machine ---------------------------------------------------------------------

class LedgerMachine(RuleBasedStateMachine):
    """Random transfers, blocks and relayer switches on a ledger, checking every invariant after each."""

    ledger_class: type[Ledger] = Ledger

    def __init__(self) -> None:
        super().__init__()
        # the block rule delivers whatever may go, so one block is the bound (a looser one would let a ledger that
        # loses messages hide behind every relayer stop and halt that restarts the clock)
        self.ledger = endowed_ledger(self.ledger_class, delivery_bound=1)
        self.ledger.start_relayer()  # mostly running, as on a live bridge; stop_relayer holds messages back

    def _amount(self, data, holding_chain: str, account: str, asset: Asset, fee: int) -> int:
        balance = self.ledger.balance(holding_chain, account, asset)
        minimum = asset.min_balance_on(holding_chain)
        # up to a quarter above the balance: most draws affordable, some not
        return data.draw(amounts(min_balance=minimum, balance=balance, fee=min(fee, balance),
                                 max_value=max(balance, minimum + 1) * 5 // 4))

    @rule(route=routes(), sender=st.sampled_from(ACCOUNTS), beneficiary=st.sampled_from(ACCOUNTS), data=st.data())
    def send(self, route, sender, beneficiary, data):
        self._send(route, sender, beneficiary, data)

    @rule(route=routes(across_bridge=True), sender=st.sampled_from(ENDOWED), beneficiary=st.sampled_from(ACCOUNTS),
          data=st.data())
    def send_across_the_bridge(self, route, sender, beneficiary, data):
        """More of the bridge (two of six routes above), from accounts that hold something to send."""
        self._send(route, sender, beneficiary, data)

    def _send(self, route, sender, beneficiary, data):
        asset = data.draw(st.sampled_from(route.assets()))
        native_minimum = native_asset(route.origin).min_balance_on(route.origin)
        fee, delivery_fee = data.draw(st.integers(0, 2 * native_minimum)), data.draw(st.integers(0, native_minimum))
        amount = self._amount(data, route.origin, sender, asset, fee + delivery_fee)
        self.ledger.send(route, sender, beneficiary, asset, amount, fee, delivery_fee)

    @rule(chain_name=st.sampled_from(CHAIN_NAMES), sender=st.sampled_from(ACCOUNTS),
          receiver=st.sampled_from(ACCOUNTS), keep_alive=st.booleans(), data=st.data())
    def transfer(self, chain_name, sender, receiver, keep_alive, data):
        asset = native_asset(chain_name)
        fee = data.draw(st.integers(0, 2 * asset.min_balance_on(chain_name)))
        amount = self._amount(data, chain_name, sender, asset, fee)
        self.ledger.transfer(chain_name, sender, receiver, amount, fee, keep_alive=keep_alive)

    @rule(data=st.data())
    def block(self, data):
        """One block: messages the transports carry arrive, each paying a fee at its destination."""
        self.ledger.tick()
        for message in self.ledger.deliverable():
            limit = message.asset.min_balance_on(message.route.destination)
            fee = data.draw(st.integers(0, 2 * limit), label="execution fee")
            self.ledger.deliver(message.id, fee, unspent=data.draw(st.integers(0, fee), label="unspent"))
        for lane, history in self.ledger.lane_history.items():  # what the devnet machine reads from the chain
            self.ledger.observe_lane(lane, *history[-1])

    @rule(network=st.sampled_from(("Kusama", "Polkadot")),
          mode=st.sampled_from(("Normal", "Halted", "RejectingOutboundMessages")))
    def set_mode(self, network, mode):
        self.ledger.set_mode(network, mode)

    @rule(chain_name=st.sampled_from(CHAIN_NAMES), account=st.sampled_from(ACCOUNTS), data=st.data())
    def trap(self, chain_name, account, data):
        asset = native_asset(chain_name)
        fee = data.draw(st.integers(0, asset.min_balance_on(chain_name)))
        self.ledger.trap(chain_name, account, self._amount(data, chain_name, account, asset, fee), fee)

    @precondition(lambda self: self.ledger.claimable)
    @rule(data=st.data())
    def claim(self, data):
        chain_name, account, _, amount = data.draw(st.sampled_from(sorted(self.ledger.claimable, key=str)))
        self.ledger.claim(chain_name, account, amount, fee=0)

    @precondition(lambda self: self.ledger.relayer_since is None)
    @rule()
    def start_relayer(self):
        self.ledger.start_relayer()

    @precondition(lambda self: self.ledger.relayer_since is not None)
    @rule()
    def stop_relayer(self):
        self.ledger.stop_relayer()

    @invariant()
    def invariants_hold(self):
        self.ledger.check_all()


TestLedgerMachine = LedgerMachine.TestCase


# --- broken ledgers: each invariant catches its fault ----------------------------------------------

class DropsFees(Ledger):
    def _pay_fee(self, chain_name, payer, fee):
        holding = (chain_name, payer, native_asset(chain_name))
        if self.balance(*holding) - fee < holding[2].min_balance_on(chain_name):
            return False
        self._debit(holding, fee)  # ...and the fee is never counted as collected
        return True


class DeliversTwice(Ledger):
    def deliver(self, message_id, fee, *, unspent=0):
        message = self.in_flight[message_id]
        receipt = super().deliver(message_id, fee, unspent=unspent)
        self.in_flight[message_id] = message  # still in flight: the next block delivers it again
        return receipt


class KeepsDust(Ledger):
    def _debit(self, holding, amount):
        self.balances[holding] = self.balances.get(holding, 0) - amount  # never reaps


class Overdraws(Ledger):
    def _left_after(self, holding, amount, *, keep_alive):
        return self.balances.get(holding, 0) - amount if amount > 0 else "nothing to send"


class MintsUnbacked(Ledger):
    def deliver(self, message_id, fee, *, unspent=0):
        receipt = super().deliver(message_id, fee, unspent=unspent)
        message = receipt.message
        if receipt.accepted and message.asset.is_foreign_on(message.route.destination):
            self._credit((message.route.destination, message.beneficiary, message.asset), 1)  # one planck extra
        return receipt


class RewindsLanes(Ledger):
    def send(self, route, *args):
        receipt = super().send(route, *args)
        if receipt.message is not None and receipt.message.nonce is not None:  # a stranded one has no message
            lane = (route.origin, route.destination)
            self._move_lane(lane, generated=self.delivered[lane])  # forgets what it gave out
        return receipt


class LosesBridgeMessages(Ledger):
    def deliverable(self) -> list[Message]:
        return [m for m in super().deliverable() if m.nonce is None]  # the relayer never carries anything


class ForgetsStranded(Ledger):
    def send(self, route, *args):
        receipt = super().send(route, *args)
        self.stranded.clear()  # what a halted Bridge Hub kept back is no longer counted
        return receipt


class ClaimsTwice(Ledger):
    def claim(self, chain_name, account, amount, fee):
        key = (chain_name, account, native_asset(chain_name), amount)
        left = self.claimable[key]
        receipt = super().claim(chain_name, account, amount, fee)
        self.claimable[key] = left  # the claim is never used up
        return receipt


class TrapsIntoNothing(Ledger):
    def trap(self, chain_name, account, amount, fee):
        receipt = super().trap(chain_name, account, amount, fee)
        if receipt.accepted:
            self.trapped[(chain_name, native_asset(chain_name))] -= amount  # withdrawn, but never trapped
        return receipt


@pytest.mark.parametrize("broken, caught_by", [
    (ForgetsStranded, "reserve backing"),
    (ClaimsTwice, "negative trapped|conservation"),
    (TrapsIntoNothing, "conservation|negative trapped"),
    (DropsFees, "conservation"),
    (DeliversTwice, "conservation|reserve backing|delivered after"),
    (KeepsDust, "below the minimum balance"),
    (Overdraws, "negative"),
    (MintsUnbacked, "reserve backing"),
    (RewindsLanes, "went back"),
    (LosesBridgeMessages, "in flight for"),
])
def test_each_invariant_catches_a_broken_ledger(broken, caught_by):
    machine = type(f"{broken.__name__}Machine", (LedgerMachine,), {"ledger_class": broken})
    # the same search under every profile (finding the fault is the point: no shrinking)
    search = settings(settings(), max_examples=2000, stateful_step_count=30, derandomize=True, database=None,
                      report_multiple_bugs=False, phases=[Phase.explicit, Phase.generate])
    with pytest.raises(InvariantViolation, match=caught_by):
        run_state_machine_as_test(machine, settings=search)

