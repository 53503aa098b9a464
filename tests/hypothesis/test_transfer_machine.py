"""Stateful testing of the devnet beside the model ledger: random relay <-> Asset Hub teleports on both
networks and local transfers, amounts on the existential-deposit edges. The ledger is told the transaction
fees the chain reports, and the delivery and execution fees measured once per session (every later charge
is checked against those). After every step each tracked balance on every chain must be what the ledger
says, the chain must have accepted exactly what the ledger accepted, and the ledger's invariants must hold.

Every example starts from the devnet's genesis (dev_revert to a snapshot taken once). Bridge routes come
once the devnet's bridge relays messages (see harness/ledger.py: it models them already).
"""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from devnet_session import DevnetSession, Outcome, trapped_amount
from harness import found
from harness.ledger import Ledger, Receipt, native_asset
from harness.strategies import amounts, routes, transfers
from harness.strategies_chains import CHAIN_NAMES

# one account endowed at genesis, two fresh ones: deposits to those meet the existential deposit
TRACKED = ("//Alice", "//Bob//fuzz", "//Charlie//fuzz")


@pytest.fixture(scope="module")
def devnet():
    session = DevnetSession()
    yield session
    session.close()


def _chain_said(outcome: Outcome) -> str:
    if outcome.receipt is None:
        return "the pool refused it"
    return "it succeeded" if outcome.receipt.success else f"it failed with {outcome.receipt.error}"


class TransferMachine(RuleBasedStateMachine):
    def __init__(self, devnet: DevnetSession) -> None:
        super().__init__()
        self.devnet = devnet
        self.route_fees = devnet.route_fees()  # measured once per session: the ledger predicts with them
        devnet.reset()
        self.ledger = Ledger({(c, a, native_asset(c)): free for c in CHAIN_NAMES for a in TRACKED
                              if (free := devnet.free(c, a))})
        self.origin_fees: dict[str, int] = {}   # the last fee paid on each chain: an amount edge
        self.steps: list[found.Step] = []        # what ran, for the scenario a failure prints
        self.start = self._ledger_balances()

    def _ledger_balances(self) -> dict[tuple[str, str], int]:
        return {(c, a): self.ledger.balance(c, a, native_asset(c)) for c in CHAIN_NAMES for a in TRACKED}

    def teardown(self):
        """Runs after every example, failing or not; Hypothesis prints the note only for the final failure."""
        note("This run as a scenario (save it with harness.found.save, replay with pytest "
             "scenarios/found/<file>.yaml):\n" + self.scenario_text())

    def scenario_text(self) -> str:
        return found.scenario_text(self.steps, self.start, self._ledger_balances())

    def _agree(self, modelled: Receipt, outcome: Outcome, what: str) -> None:
        chain_accepted = outcome.receipt is not None and outcome.receipt.success
        assert (modelled.accepted, modelled.included) == (chain_accepted, outcome.receipt is not None), \
            f"{what}: the ledger says {modelled.reason or 'accepted'}, the chain {_chain_said(outcome)}"

    @rule(route=routes(across_bridge=False), sender=st.sampled_from(TRACKED), beneficiary=st.sampled_from(TRACKED),
          data=st.data())
    def teleport(self, route, sender, beneficiary, data):
        asset = native_asset(route.origin)
        balance = self.ledger.balance(route.origin, sender, asset)
        transfer = data.draw(transfers(route=st.just(route), sender=st.just(sender),
                                       beneficiary=st.just(beneficiary), balance=balance,
                                       fee=min(balance, self.origin_fees.get(route.origin, 0)),
                                       max_amount=2 * max(balance, asset.min_balance_on(route.origin) + 1)))
        if transfer.amount == 0:  # no XCM version decodes Fungible(0): the chain refuses the extrinsic itself
            event("a teleport of 0, refused")
            self.steps.append(found.Step("teleport", route.origin, sender, beneficiary, 0,
                                         destination=route.destination, included=False, accepted=False))
            assert self.devnet.teleport(route.origin, route.destination, sender, beneficiary, 0).receipt is None
            return
        destination_head = self.devnet.head(route.destination)
        fees = self.route_fees[(route.origin, route.destination)]
        outcome = self.devnet.teleport(route.origin, route.destination, sender, beneficiary, transfer.amount)
        delivery_fee = fees.delivery(transfer.amount)
        if outcome.delivery_fee:  # paid, so the chain says what it was
            assert outcome.delivery_fee == delivery_fee, f"{transfer}: delivery fee {outcome.delivery_fee}, " \
                                                         f"{delivery_fee} for the same message size before"
        sent = self.ledger.send(route, sender, beneficiary, asset, transfer.amount, outcome.fee, delivery_fee)
        step = found.Step("teleport", route.origin, sender, beneficiary, transfer.amount,
                          destination=route.destination, included=sent.included, accepted=sent.accepted,
                          fees=(outcome.fee + (delivery_fee if sent.accepted else 0)) if sent.included else 0)
        self.steps.append(step)
        self._agree(sent, outcome, f"teleport {transfer}")
        self.origin_fees[route.origin] = outcome.fee + delivery_fee
        if sent.accepted:
            arrived = self.ledger.balance(route.destination, beneficiary, asset)
            try:
                self._check_delivery(sent.message, fees, destination_head)
            finally:
                lost = transfer.amount - (self.ledger.balance(route.destination, beneficiary, asset) - arrived)
                self.steps[-1] = dataclasses.replace(step, lost_on_arrival=lost)
        assert not self.ledger.in_flight, "instant mode delivers every message before the call returns"

    def _check_delivery(self, message, fees, destination_head) -> None:
        destination, asset = message.route.destination, message.asset
        before = self.ledger.balance(destination, message.beneficiary, asset)
        credited = self.devnet.free(destination, message.beneficiary) - before
        trapped = trapped_amount(self.devnet.events_after(destination, destination_head))
        trapped_before = self.ledger.trapped[(destination, asset)]
        delivered = self.ledger.deliver(message.id, fees.execution, unspent=fees.unspent)
        modelled_trap = self.ledger.trapped[(destination, asset)] - trapped_before
        assert (delivered.accepted, modelled_trap) == (credited > 0, trapped), \
            f"{message}: the ledger says {delivered.reason or 'deposited'} (trapping {modelled_trap}), " \
            f"the chain credited {credited} and trapped {trapped}"

    @rule(chain_name=st.sampled_from(CHAIN_NAMES), sender=st.sampled_from(TRACKED),
          receiver=st.sampled_from(TRACKED), keep_alive=st.booleans(), data=st.data())
    def transfer(self, chain_name, sender, receiver, keep_alive, data):
        asset = native_asset(chain_name)
        balance, minimum = self.ledger.balance(chain_name, sender, asset), asset.min_balance_on(chain_name)
        fee = min(balance, self.origin_fees.get(chain_name, 0))
        amount = data.draw(amounts(min_balance=minimum, balance=balance, fee=fee,
                                   max_value=2 * max(balance, minimum + 1)))
        outcome = self.devnet.transfer(chain_name, sender, receiver, amount, keep_alive)
        done = self.ledger.transfer(chain_name, sender, receiver, amount, outcome.fee, keep_alive=keep_alive)
        self.steps.append(found.Step("transfer", chain_name, sender, receiver, amount, keep_alive=keep_alive,
                                     included=done.included, accepted=done.accepted,
                                     fees=outcome.fee if done.included else 0))
        self._agree(done, outcome, f"transfer of {amount} on {chain_name} {sender} -> {receiver}")
        self.origin_fees[chain_name] = outcome.fee

    @invariant()
    def balances_are_what_the_ledger_says(self):
        for chain_name in CHAIN_NAMES:
            for account in TRACKED:
                on_chain = self.devnet.free(chain_name, account)
                modelled = self.ledger.balance(chain_name, account, native_asset(chain_name))
                assert on_chain == modelled, f"{account} on {chain_name}: chain {on_chain}, ledger {modelled}"

    @invariant()
    def ledger_invariants_hold(self):
        self.ledger.check_all()


def machine_settings() -> settings:
    """A quarter of the profile's examples (each step is a few extrinsics on the devnet), same step count."""
    return settings(settings(), max_examples=max(3, settings().max_examples // 4))


def test_teleports_and_transfers_on_the_devnet_follow_the_ledger(devnet):
    run_state_machine_as_test(lambda: TransferMachine(devnet), settings=machine_settings())


def test_devnet2_a_teleport_of_nothing_is_refused(devnet):
    devnet.reset()
    assert devnet.teleport("kusama", "kusama-asset-hub", "//Alice", "//Alice", 0).receipt is None
