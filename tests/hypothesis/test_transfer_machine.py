"""Stateful testing of the devnet beside the model ledger. Rules: relay <-> Asset Hub teleports on both
networks, local transfers, bridge (reserve) transfers Asset Hub <-> Asset Hub both ways of KSM and DOT (a
network's own token out of its reserve, or the other's bridged token going home), pausing and resuming the
relayer, halting / rejecting outbound / resuming either Bridge Hub's messages pallet, and trapping assets
(execute [WithdrawAsset]) then claiming them (claim_assets) on relays and Asset Hubs. Amounts sit on the
existential-deposit edges.

The ledger is told the transaction fees the chain reports, the teleports' delivery and execution fees
measured once per session (every later charge is checked against those), and each bridge message's
execution fee as its arrival's events show it (it is a pool swap whose price moves: the bridged token the
swap put into the pool, or the native fee deposited). After every step: each tracked native and bridged
balance on every chain is what the ledger says; the chain accepted exactly what the ledger accepted; the
reserve (sovereign) accounts are what the ledger says and back the bridged supply on chain
(ForeignAssets.Asset supply, less the devnet's genesis pool liquidity, plus what is in flight, stranded,
trapped or burned abroad); the Bridge Hubs' lane nonces are the ledger's and never go back; and the
ledger's own invariants hold (conservation, reserve backing, no negative or sub-minimum balance, lanes,
delivery within a bound once the relayer runs: in instant mode, in the step that lets a message go).

Every example starts from the devnet's genesis (dev_revert to a snapshot taken once, which also forgets the
relayer's plans); the relayer is resumed and the bridge set Normal again at the start of each example.

A bug this machine found in the devnet: a Bridge Hub whose messages pallet was Halted, with the relayer
running and a message for it, made the relayer retry the failing delivery until the settle loop gave up
(fixed in harness/devnet/bridge/relayer.py; regression test in tests/devnet/test_bridge_end_to_end.py).
"""
from __future__ import annotations

import dataclasses

import pytest
from hypothesis import Phase, event, note, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from devnet_session import BRIDGE_HUB_OF, DevnetSession, Outcome, trapped_amount
from harness.network.facts import BRIDGE_MODES
from harness.testing import found
from harness.testing.ledger import Ledger, LedgerReceipt, native_asset, reserve_account
from harness.testing.strategies import amounts, routes, transfers
from harness.testing.model_chains import ASSET_HUBS, CHAIN_NAMES, NETWORKS, Asset, ModelRoute

# one account endowed at genesis, two fresh ones: deposits to those meet the existential deposit
TRACKED = ("//Alice", "//Bob//fuzz", "//Charlie//fuzz")
BRIDGE_ROUTES = (ModelRoute(ASSET_HUBS["Kusama"], ASSET_HUBS["Polkadot"]),
                 ModelRoute(ASSET_HUBS["Polkadot"], ASSET_HUBS["Kusama"]))


def foreign_holdings() -> list[tuple[str, Asset]]:
    """(Asset Hub, the other network's token held there)."""
    return [(ASSET_HUBS[n], Asset(other)) for n in NETWORKS for other in NETWORKS if other != n]


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
        devnet.relayer("resume")
        self.ledger = Ledger({(c, a, native_asset(c)): free for c in CHAIN_NAMES for a in TRACKED
                              if (free := devnet.free(c, a))}, delivery_bound=0)
        self.ledger.start_relayer()
        # the devnet's genesis issues the pools' bridged liquidity with no reserve behind it
        self.unbacked = {asset: devnet.foreign_supply(hub, asset.symbol) for hub, asset in foreign_holdings()}
        assert all(devnet.reserve(n) == 0 for n in NETWORKS), "reserve accounts are empty at genesis"
        self.origin_fees: dict[str, int] = {}   # the last fee paid on each chain: an amount edge
        self.trapped_amounts: list[tuple[str, str, int]] = []  # traps to try claiming
        self.steps: list[found.FoundStep] = []        # what ran, for the scenario a failure prints
        self.start = self._ledger_balances()

    def _ledger_balances(self) -> dict[tuple, int]:
        native = {(c, a): self.ledger.balance(c, a, native_asset(c)) for c in CHAIN_NAMES for a in TRACKED}
        return native | {(hub, a, asset.symbol): self.ledger.balance(hub, a, asset)
                         for hub, asset in foreign_holdings() for a in TRACKED}

    def teardown(self):
        """Runs after every example, failing or not; Hypothesis prints the note only for the final failure."""
        note("This run as a scenario (save it with harness.testing.found.save, replay with pytest "
             "scenarios/found/<file>.yaml):\n" + self.scenario_text())

    def scenario_text(self) -> str:
        return found.scenario_text(self.steps, self.start, self._ledger_balances())

    def _agree(self, modelled: LedgerReceipt, outcome: Outcome, what: str) -> None:
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
            self.steps.append(found.FoundStep("teleport", route.origin, sender, beneficiary, 0,
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
        step = found.FoundStep("teleport", route.origin, sender, beneficiary, transfer.amount,
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
        assert not any(m.nonce is None for m in self.ledger.in_flight.values()), \
            "instant mode delivers every teleport before the call returns"

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

    # --- the bridge --------------------------------------------------------------------------------

    def _holders(self, chain_name: str, asset: Asset) -> list[str]:
        """Who holds `asset` on the chain and the chain's token to pay a fee with (as far as the last fee goes)."""
        native = native_asset(chain_name)
        can_pay = native.min_balance_on(chain_name) + self.origin_fees.get(chain_name, 0)
        return [a for a in TRACKED if self.ledger.balance(chain_name, a, asset) > 0
                and self.ledger.balance(chain_name, a, native) > can_pay]

    @rule(route=st.sampled_from(BRIDGE_ROUTES), beneficiary=st.sampled_from(TRACKED), data=st.data())
    def bridge_out(self, route, beneficiary, data):
        """The origin's own token across the bridge: out of its reserve."""
        self.bridge_transfer(route, route.assets()[0], beneficiary, data)

    @rule(route=st.sampled_from(BRIDGE_ROUTES), beneficiary=st.sampled_from(TRACKED), data=st.data())
    def bridge_home(self, route, beneficiary, data):
        """The other network's token, held here as a foreign asset, going home."""
        self.bridge_transfer(route, route.assets()[1], beneficiary, data)

    def bridge_transfer(self, route, asset, beneficiary, data):
        # mostly from someone who holds it, so that most transfers get across; sometimes anyone, to be refused
        holders = self._holders(route.origin, asset)
        sender = data.draw(st.sampled_from(holders or TRACKED) | st.sampled_from(TRACKED), label="sender")
        balance = self.ledger.balance(route.origin, sender, asset)
        fee = self.origin_fees.get(route.origin, 0) if not asset.is_foreign_on(route.origin) else 0
        minimum = asset.min_balance_on(route.origin)
        amount = data.draw(st.one_of(st.integers(10 ** 10, 10 ** 12),
                                     amounts(min_balance=minimum, balance=balance, fee=min(balance, fee),
                                             max_value=2 * max(balance, minimum + 1))), label="amount")
        if amount == 0:  # Fungible(0) does not decode: see teleport
            return
        heads = {c: self.devnet.head(c) for c in ASSET_HUBS.values()}
        outcome = self.devnet.bridge_transfer(route.origin, route.destination, sender, beneficiary, asset.symbol,
                                              amount)
        sent = self.ledger.send(route, sender, beneficiary, asset, amount, outcome.fee, outcome.delivery_fee)
        step = found.FoundStep("bridge", route.origin, sender, beneficiary, amount, destination=route.destination,
                          included=sent.included, accepted=sent.accepted, asset=asset.symbol,
                          fees=(outcome.fee + (outcome.delivery_fee if sent.accepted else 0)) if sent.included else 0,
                          await_delivery=sent.message is not None and self.ledger._relayed(sent.message))
        self.steps.append(step)
        event(f"bridge {asset.symbol} {route.origin}: {sent.reason or 'sent'}")
        self._agree(sent, outcome, f"bridge transfer of {amount} {asset.symbol} {route.origin} -> {route.destination}")
        if not sent.accepted:
            assert outcome.delivery_fee == 0
        self.origin_fees[route.origin] = outcome.fee + outcome.delivery_fee
        self._settle(heads)

    def _settle(self, heads: dict[str, int]) -> None:
        """Delivers in the ledger the bridge messages it says could go, one per arrival on the chain: the
        fee each paid is what of its amount was neither deposited nor trapped (and, for a bridged token,
        the pool must have received exactly that: the swap)."""
        self.ledger.tick()
        for hub in ASSET_HUBS.values():
            waiting = [m for m in self.ledger.deliverable() if m.route.destination == hub]
            arrivals = self.devnet.arrivals(hub, heads[hub])
            assert len(arrivals) == len(waiting), \
                f"{hub}: {len(arrivals)} bridge messages arrived, the ledger expected {[str(m) for m in waiting]}"
            for message, arrival in zip(waiting, arrivals):
                credited = arrival.credited.get(self.devnet.address(hub, message.beneficiary), 0)
                fee = message.amount - credited - arrival.trapped
                foreign = message.asset.is_foreign_on(hub)
                if foreign:
                    assert arrival.pooled == fee, f"{message}: the swap pooled {arrival.pooled}, the fee was {fee}"
                if credited == 0 and arrival.trapped == message.amount:
                    fee = message.amount + 1  # nothing could pay the fee: all of it trapped
                trapped_before = self.ledger.trapped[(hub, message.asset)]
                delivered = self.ledger.deliver(message.id, fee)
                modelled_trap = self.ledger.trapped[(hub, message.asset)] - trapped_before
                assert (delivered.accepted, modelled_trap) == (credited > 0, arrival.trapped), \
                    f"{message}: the ledger says {delivered.reason or 'deposited'} (trapping {modelled_trap}), " \
                    f"the chain credited {credited} and trapped {arrival.trapped}"
                for i in range(len(self.steps) - 1, -1, -1):  # what the scenario's fee bound allows
                    s = self.steps[i]
                    if s.kind == "bridge" and s.accepted and s.amount == message.amount and \
                            s.destination == hub and s.beneficiary == message.beneficiary and s.lost_on_arrival == 0:
                        self.steps[i] = dataclasses.replace(s, lost_on_arrival=message.amount - credited)
                        break

    @precondition(lambda self: self.ledger.relayer_since is not None)
    @rule()
    def pause_relayer(self):
        self.devnet.relayer("pause")
        self.ledger.stop_relayer()
        self.steps.append(found.FoundStep("relayer", "", "", "", 0, mode="pause"))

    @precondition(lambda self: self.ledger.relayer_since is None)
    @rule()
    def resume_relayer(self):
        heads = {c: self.devnet.head(c) for c in ASSET_HUBS.values()}
        self.devnet.relayer("resume")
        self.ledger.start_relayer()
        self.steps.append(found.FoundStep("relayer", "", "", "", 0, mode="resume"))
        self._settle(heads)

    @rule(network=st.sampled_from(NETWORKS), mode=st.sampled_from(tuple(BRIDGE_MODES)))
    def bridge_mode(self, network, mode):
        heads = {c: self.devnet.head(c) for c in ASSET_HUBS.values()}
        self.devnet.bridge_mode(network, mode)
        self.ledger.set_mode(network, mode)
        self.steps.append(found.FoundStep("bridge_mode", BRIDGE_HUB_OF[network], "", "", 0, mode=mode))
        self._settle(heads)

    # --- trapped assets ------------------------------------------------------------------------------

    @rule(chain_name=st.sampled_from(CHAIN_NAMES), sender=st.sampled_from(TRACKED), data=st.data())
    def trap(self, chain_name, sender, data):
        asset = native_asset(chain_name)
        balance, minimum = self.ledger.balance(chain_name, sender, asset), asset.min_balance_on(chain_name)
        fee = min(balance, self.origin_fees.get(chain_name, 0))
        amount = data.draw(amounts(min_balance=minimum, balance=balance, fee=fee,
                                   max_value=2 * max(balance, minimum + 1)), label="amount")
        if amount == 0:
            return
        outcome = self.devnet.trap(chain_name, sender, amount)
        done = self.ledger.trap(chain_name, sender, amount, outcome.fee, held=outcome.held)
        self.steps.append(found.FoundStep("trap", chain_name, sender, sender, amount, included=done.included,
                                     accepted=done.accepted, fees=outcome.fee if done.included else 0))
        self._agree(done, outcome, f"trap of {amount} on {chain_name} by {sender}")
        self.origin_fees[chain_name] = outcome.fee
        if done.accepted:
            self.trapped_amounts.append((chain_name, sender, amount))

    @precondition(lambda self: self.trapped_amounts)
    @rule(data=st.data(), other=st.booleans())
    def claim(self, data, other):
        chain_name, sender, amount = data.draw(st.sampled_from(self.trapped_amounts), label="trap")
        if other:  # someone else's trap (or a second claim): the chain must refuse it
            sender = data.draw(st.sampled_from(TRACKED), label="claimer")
        outcome = self.devnet.claim(chain_name, sender, amount)
        done = self.ledger.claim(chain_name, sender, amount, outcome.fee)
        self.steps.append(found.FoundStep("claim", chain_name, sender, sender, amount, included=done.included,
                                     accepted=done.accepted, fees=outcome.fee if done.included else 0))
        self._agree(done, outcome, f"claim of {amount} on {chain_name} by {sender}")
        if done.accepted:
            self.trapped_amounts.remove((chain_name, sender, amount))

    # --- local transfers ----------------------------------------------------------------------------

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
        self.steps.append(found.FoundStep("transfer", chain_name, sender, receiver, amount, keep_alive=keep_alive,
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

        for hub, asset in foreign_holdings():
            for account in TRACKED:
                on_chain = self.devnet.foreign(hub, asset.symbol, account)
                modelled = self.ledger.balance(hub, account, asset)
                assert on_chain == modelled, f"{account}'s {asset.symbol} on {hub}: chain {on_chain}, ledger {modelled}"

    @invariant()
    def reserves_back_the_bridged_supply(self):
        for hub, asset in foreign_holdings():
            reserve = self.devnet.reserve(asset.network)
            modelled = self.ledger.balances.get(reserve_account(asset), 0)
            assert reserve == modelled, f"the {asset.symbol} reserve: chain {reserve}, ledger {modelled}"
            supply = self.devnet.foreign_supply(hub, asset.symbol) - self.unbacked[asset]
            crossing = sum(m.amount for m in self.ledger.in_flight.values() if m.asset == asset)
            outside = (crossing + self.ledger.stranded[asset] + self.ledger.trapped[(hub, asset)]
                       + self.ledger.dust[(hub, asset)])
            assert reserve == supply + outside, \
                f"the {asset.symbol} reserve on chain {reserve} != bridged supply on {hub} {supply} + in flight " \
                f"{crossing} + stranded {self.ledger.stranded[asset]} + trapped or burned there"

    @invariant()
    def lane_nonces_are_the_ledgers_and_never_go_back(self):
        for network in NETWORKS:
            lane = (ASSET_HUBS[network], next(ASSET_HUBS[n] for n in NETWORKS if n != network))
            generated, delivered = self.devnet.lane(network)
            assert (generated, delivered) == (self.ledger.generated[lane], self.ledger.delivered[lane]), \
                f"lane {lane}: chain (generated, delivered) {(generated, delivered)}, ledger " \
                f"{(self.ledger.generated[lane], self.ledger.delivered[lane])}"
            self.ledger.observe_lane(lane, generated, delivered)

    @invariant()
    def ledger_invariants_hold(self):
        self.ledger.check_all()


def machine_settings() -> settings:
    """A quarter of the profile's examples (each step is a few extrinsics on the devnet), same step count."""
    return settings(settings(), max_examples=max(3, settings().max_examples // 4))


def test_teleports_and_transfers_on_the_devnet_follow_the_ledger(devnet):
    run_state_machine_as_test(lambda: TransferMachine(devnet), settings=machine_settings())


def test_a_teleport_of_nothing_is_refused_by_the_pool(devnet):
    devnet.reset()
    assert devnet.teleport("kusama", "kusama-asset-hub", "//Alice", "//Alice", 0).receipt is None


def _duplicates_bridge_messages(self, lane, *, generated=None, delivered=None):
    """A broken ledger: every bridge message it sends counts twice on its lane."""
    if generated is not None:
        generated = self.generated[lane] + 2 * (generated - self.generated[lane])
    Ledger._move_lane_correct(self, lane, generated=generated, delivered=delivered)


def _drops_reserve_deposits(self, holding, amount):
    """A broken ledger: what goes into a reserve account is not counted there."""
    if holding != reserve_account(holding[2]):
        Ledger._credit_correct(self, holding, amount)


@pytest.mark.parametrize("method, broken, caught_by", [
    ("_move_lane", _duplicates_bridge_messages, "lane|delivered after"),
    ("_credit", _drops_reserve_deposits, "reserve|conservation"),
])
def test_the_chain_side_invariants_catch_a_broken_ledger(devnet, monkeypatch, method, broken, caught_by):
    monkeypatch.setattr(Ledger, f"{method}_correct", getattr(Ledger, method), raising=False)
    monkeypatch.setattr(Ledger, method, broken)
    search = settings(settings(), max_examples=100, stateful_step_count=6, derandomize=True, database=None,
                      phases=[Phase.explicit, Phase.generate], report_multiple_bugs=False)
    with pytest.raises(AssertionError, match=caught_by):
        run_state_machine_as_test(lambda: TransferMachine(devnet), settings=search)

