"""A pure model of what XCM transfers do to the money: balances per (chain, account, asset), fees
collected, messages in flight, assets trapped (and who may claim them), bridge reserves, messages stranded
at a halted Bridge Hub, lane nonces, and the invariants that must hold after every step. A stateful test runs the same steps on the devnet and on this ledger.

Accounting. A token (KSM, DOT) is *native* on its own network's chains and a *derivative* (a foreign
asset) on the other network's Asset Hub, backed by the reserve its home Asset Hub keeps in the
sovereign account of the other network. So, per token:
  conservation:    native balances + fees + trapped + burned dust + teleports in flight == supply
  reserve backing: reserve account == derivative balances + fees + trapped + burned dust
                                      + bridge messages in flight or stranded (either way)
A bridge message is stranded when its origin's Bridge Hub does not export (messages pallet Halted or
RejectingOutboundMessages): the reserve keeps what went out, or a derivative going home is already burned,
and nothing arrives (scenarios/bridge/bridge_halted.yaml); a Halted Bridge Hub takes no inbound messages
either, so they wait in flight until it runs again.
Burned dust is what an account below the minimum balance loses when it is reaped: the chain burns it,
the model keeps count so that both sums stay exact. Fees are inputs (the devnet says what it charged).

Simplifications: transaction and delivery fees are paid in the origin's native token; the destination's
execution fee comes out of the transferred amount. A reserve (sovereign) account is an account like any
other: a first deposit below the minimum balance fails the transfer, a release that leaves it below is reaped.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Mapping

from .model_chains import ASSET_HUBS, CHAIN_NAMES, NETWORKS, Asset, ModelRoute, chain

Holding = tuple[str, str, Asset]  # chain, account, asset
Pot = tuple[str, Asset]           # chain, asset: where fees, trapped assets and burned dust are counted
Lane = tuple[str, str]            # origin Asset Hub, destination Asset Hub


class InvariantViolation(AssertionError):
    pass


def native_asset(chain_name: str) -> Asset:
    return Asset(chain(chain_name).network)


def reserve_account(asset: Asset) -> Holding:
    """Where `asset`'s home Asset Hub keeps what backs it on the other network."""
    other = next(n for n in NETWORKS if n != asset.network)
    return ASSET_HUBS[asset.network], f"sovereign of {other}", asset


@dataclass(frozen=True)
class Message:
    id: int
    route: ModelRoute
    asset: Asset
    amount: int             # what left the origin; the destination's fee comes out of it
    beneficiary: str
    sent_at: int            # the ledger's block clock
    nonce: int | None       # the lane nonce, across the bridge only


@dataclass(frozen=True)
class LedgerReceipt:
    accepted: bool
    reason: str = ""
    message: Message | None = None
    included: bool = True   # False: the transaction pool refuses it, no fee is paid


class Ledger:
    def __init__(self, endowments: Mapping[Holding, int], *, delivery_bound: int = 3) -> None:
        self.balances: dict[Holding, int] = {}
        self.fees: Counter[Pot] = Counter()
        self.trapped: Counter[Pot] = Counter()
        self.claimable: Counter[tuple[str, str, Asset, int]] = Counter()  # (chain, origin account, asset, amount)
        self.stranded: Counter[Asset] = Counter()  # bridge messages a halted Bridge Hub did not export
        self.modes: dict[str, str] = {}            # network -> its Bridge Hub's messages pallet mode, if not Normal
        self.dust: Counter[Pot] = Counter()
        self.in_flight: dict[int, Message] = {}
        self.supply: Counter[Asset] = Counter()
        self.generated: Counter[Lane] = Counter()  # the last nonce each lane gave out
        self.delivered: Counter[Lane] = Counter()  # the last nonce each lane delivered
        self.lane_history: dict[Lane, list[tuple[int, int]]] = {}      # (generated, delivered) after each change
        self.observed_lanes: dict[Lane, list[tuple[int, int]]] = {}    # the same, as read from the chain
        self.now = 0
        self.relayer_since: int | None = None
        self.delivery_bound = delivery_bound
        self._ids = 0
        for (chain_name, account, asset), amount in endowments.items():
            if asset.is_foreign_on(chain_name) or amount < asset.min_balance_on(chain_name):
                raise ValueError(f"endow native tokens of at least the minimum balance, not {amount} "
                                 f"{asset.symbol} on {chain_name}")
            self.balances[(chain_name, account, asset)] = amount
            self.supply[asset] += amount

    # --- reading ---------------------------------------------------------------------------------

    def balance(self, chain_name: str, account: str, asset: Asset) -> int:
        return self.balances.get((chain_name, account, asset), 0)

    def deliverable(self) -> list[Message]:
        """What the transports deliver in the next block: teleports always, bridge messages while the
        relayer runs; in order."""
        return [m for m in self.in_flight.values() if m.nonce is None or self._relayed(m)]

    def _relayed(self, message: Message) -> bool:
        """Whether the relayer can deliver a bridge message now: it runs, and neither Bridge Hub's messages
        pallet is Halted (RejectingOutboundMessages still takes inbound messages; substrate-relay waits while
        either side is halted)."""
        return self.relayer_since is not None and all(
            self.modes.get(chain(end).network) != "Halted" for end in (message.route.origin, message.route.destination))

    def exports(self, network: str) -> bool:
        return network not in self.modes

    # --- steps -----------------------------------------------------------------------------------

    def transfer(self, chain_name: str, sender: str, receiver: str, amount: int, fee: int, *,
                 keep_alive: bool = False) -> LedgerReceipt:
        """Balances.transfer_* of the native token on one chain."""
        asset = native_asset(chain_name)
        if not self._pay_fee(chain_name, sender, fee):
            return LedgerReceipt(False, "cannot pay the fee", included=False)
        if amount == 0:
            return LedgerReceipt(True)  # Balances lets it through and changes nothing
        source, target = (chain_name, sender, asset), (chain_name, receiver, asset)
        left = self._left_after(source, amount, keep_alive=keep_alive)
        if isinstance(left, str):
            return LedgerReceipt(False, left)
        if sender == receiver:
            return LedgerReceipt(True)  # Balances lets it through and changes nothing
        if not self._can_credit(target, amount):
            return LedgerReceipt(False, "receiver would stay below the minimum balance")
        self._debit(source, amount)
        self._credit(target, amount)
        return LedgerReceipt(True)

    def send(self, route: ModelRoute, sender: str, beneficiary: str, asset: Asset, amount: int, fee: int,
             delivery_fee: int = 0) -> LedgerReceipt:
        """An XCM transfer leaving its origin: teleports burn there, the origin's own token crossing the
        bridge goes into its reserve, a derivative going home is burned.

        `fee` is the transaction fee, taken keeping the sender alive (else the pool refuses the transaction);
        the amount and then `delivery_fee` (origin's native token) are withdrawn as pallet-xcm does, either
        of them allowed to reap the sender; if either cannot be paid the call fails, the fee stays paid."""
        if asset not in route.assets():
            raise ValueError(f"{asset.symbol} does not travel {route.origin} -> {route.destination}")
        if amount <= 0:  # XCM refuses to decode Fungible(0) (xcm v3+ asset.rs): the call cannot be decoded
            return LedgerReceipt(False, "a zero amount is not an XCM asset", included=False)
        if not self._pay_fee(route.origin, sender, fee):
            return LedgerReceipt(False, "cannot pay the fee", included=False)
        native = (route.origin, sender, native_asset(route.origin))
        kept = dict(self.balances), Counter(self.dust)
        if not self._withdraw((route.origin, sender, asset), amount) or not self._withdraw(native, delivery_fee):
            self.balances, self.dust = kept
            return LedgerReceipt(False, "insufficient balance")
        if route.across_bridge and not asset.is_foreign_on(route.origin):
            if not self._can_credit(reserve_account(asset), amount):
                self.balances, self.dust = kept
                return LedgerReceipt(False, "the reserve account would stay below the minimum balance")
            self._credit(reserve_account(asset), amount)
        self.fees[(route.origin, native[2])] += delivery_fee
        if route.across_bridge and not self.exports(chain(route.origin).network):
            self.stranded[asset] += amount
            return LedgerReceipt(True, "stranded: the Bridge Hub does not export")
        nonce = None
        if route.across_bridge:
            lane = (route.origin, route.destination)
            nonce = self.generated[lane] + 1
            self._move_lane(lane, generated=nonce)
        self._ids += 1
        message = Message(self._ids, route, asset, amount, beneficiary, self.now, nonce)
        self.in_flight[message.id] = message
        return LedgerReceipt(True, message=message)

    def deliver(self, message_id: int, fee: int, *, unspent: int = 0) -> LedgerReceipt:
        """The message executing at its destination: `fee` buys execution, the rest is deposited, or
        trapped when it cannot be (fee above the amount, or a new account left below the minimum). When the
        deposit fails, `unspent` of the fee comes back and is trapped too: the XCM executor refunds the
        weight of what did not run before it traps the holding (XcmExecutor::post_process)."""
        message = self.in_flight.pop(message_id)
        route, asset = message.route, message.asset
        if message.nonce is not None:
            lane = (route.origin, route.destination)
            if message.nonce != self.delivered[lane] + 1:
                raise InvariantViolation(f"lane {lane}: nonce {message.nonce} delivered after {self.delivered[lane]}")
            self._move_lane(lane, delivered=message.nonce)
            if not asset.is_foreign_on(route.destination):  # coming home: released from the reserve
                if self.balances.get(reserve_account(asset), 0) < message.amount:
                    raise InvariantViolation(f"the {asset.symbol} reserve cannot release {message.amount}")
                self._debit(reserve_account(asset), message.amount)
        destination = route.destination
        if fee > message.amount:
            self.trapped[(destination, asset)] += message.amount
            return LedgerReceipt(False, "the fee is more than what arrived", message)
        deposit = message.amount - fee
        target = (destination, message.beneficiary, asset)
        if not self._can_credit(target, deposit):
            self.fees[(destination, asset)] += fee - unspent
            self.trapped[(destination, asset)] += deposit + unspent
            return LedgerReceipt(False, "beneficiary would stay below the minimum balance", message)
        self.fees[(destination, asset)] += fee
        self._credit(target, deposit)
        return LedgerReceipt(True, message=message)

    def tick(self, blocks: int = 1) -> None:
        self.now += blocks

    def trap(self, chain_name: str, account: str, amount: int, fee: int, *, held: int | None = None) -> LedgerReceipt:
        """execute([WithdrawAsset(amount)]) of the chain's token: what is withdrawn and deposited nowhere is
        trapped under the signer's origin (pallet-xcm drop_assets), which alone may claim it back.

        The transaction fee is withdrawn before dispatch for the declared weight (`held`, default `fee`), so the
        message sees the balance less that; execute reports a smaller actual weight, and the difference comes back
        after dispatch (transaction-payment correct_and_deposit_fee) unless the withdrawal reaped the account."""
        asset = native_asset(chain_name)
        held = fee if held is None else held
        if not self._pay_fee(chain_name, account, held):
            return LedgerReceipt(False, "cannot pay the fee", included=False)
        holding = (chain_name, account, asset)
        withdrawn = amount > 0 and self._withdraw(holding, amount)
        if holding in self.balances and held > fee:
            self.fees[(chain_name, asset)] -= held - fee
            self._credit(holding, held - fee)
        if not withdrawn:
            return LedgerReceipt(False, "cannot withdraw it")
        self.trapped[(chain_name, asset)] += amount
        self.claimable[(chain_name, account, asset, amount)] += 1
        return LedgerReceipt(True)

    def claim(self, chain_name: str, account: str, amount: int, fee: int) -> LedgerReceipt:
        """claim_assets of a trap of `amount` under this account, deposited to it."""
        asset = native_asset(chain_name)
        if not self._pay_fee(chain_name, account, fee):
            return LedgerReceipt(False, "cannot pay the fee", included=False)
        if not self.claimable[(chain_name, account, asset, amount)]:
            return LedgerReceipt(False, "nothing trapped like that")
        if not self._can_credit((chain_name, account, asset), amount):
            return LedgerReceipt(False, "the claimer would stay below the minimum balance")
        self.claimable[(chain_name, account, asset, amount)] -= 1
        self.trapped[(chain_name, asset)] -= amount
        self._credit((chain_name, account, asset), amount)
        return LedgerReceipt(True)

    def set_mode(self, network: str, mode: str) -> None:
        """`network`'s Bridge Hub messages pallet: Normal, Halted or RejectingOutboundMessages."""
        if mode == "Normal":
            if self.modes.pop(network, None) == "Halted" and self.relayer_since is not None:
                self.relayer_since = self.now  # what waited for this Bridge Hub is deliverable from now on
        else:
            self.modes[network] = mode

    def start_relayer(self) -> None:
        if self.relayer_since is None:
            self.relayer_since = self.now

    def stop_relayer(self) -> None:
        self.relayer_since = None

    def observe_lane(self, lane: Lane, generated: int, delivered: int) -> None:
        """Nonces read from the bridge's lane storage: they must never go back from what was seen before."""
        self.observed_lanes.setdefault(lane, []).append((generated, delivered))
        self.check_lane_nonces()

    # --- invariants ------------------------------------------------------------------------------

    def check_conservation(self) -> None:
        for network in NETWORKS:
            asset = Asset(network)
            held = self._sum(asset, [c for c in CHAIN_NAMES if not asset.is_foreign_on(c)])
            flying = sum(m.amount for m in self.in_flight.values() if m.asset == asset and m.nonce is None)
            off = held + flying - self.supply[asset]
            if off:
                raise InvariantViolation(f"conservation of {asset.symbol}: held {held} + in flight {flying} "
                                         f"!= supply {self.supply[asset]} (off by {off})")

    def check_reserve_backing(self) -> None:
        for network in NETWORKS:
            asset = Asset(network)
            reserve = self.balances.get(reserve_account(asset), 0)
            abroad = self._sum(asset, [c for c in CHAIN_NAMES if asset.is_foreign_on(c)])
            crossing = sum(m.amount for m in self.in_flight.values() if m.asset == asset and m.nonce is not None)
            if reserve != abroad + crossing + self.stranded[asset]:
                raise InvariantViolation(f"reserve backing of {asset.symbol}: reserve {reserve} != held abroad "
                                         f"{abroad} + crossing the bridge {crossing} + stranded "
                                         f"{self.stranded[asset]}")

    def check_balances(self) -> None:
        for pots, what in ((self.fees, "fees"), (self.trapped, "trapped"), (self.dust, "burned dust"),
                           (self.stranded, "stranded"), (self.claimable, "claims")):
            for pot, amount in pots.items():
                if amount < 0:
                    raise InvariantViolation(f"negative {what} {amount} at {pot}")
        for message in self.in_flight.values():
            if message.amount <= 0:
                raise InvariantViolation(f"message {message.id} carries {message.amount}")
        for (chain_name, account, asset), amount in self.balances.items():
            if amount < 0:
                raise InvariantViolation(f"{account} has a negative balance {amount} {asset.symbol} on {chain_name}")
            if amount < asset.min_balance_on(chain_name):
                raise InvariantViolation(f"{account} survives with {amount} {asset.symbol} on {chain_name}, below "
                                         f"the minimum balance {asset.min_balance_on(chain_name)}")

    def check_lane_nonces(self) -> None:
        for lane, history in (*self.lane_history.items(), *self.observed_lanes.items()):
            for (generated, delivered), (later_generated, later_delivered) in zip(history, history[1:]):
                if later_generated < generated or later_delivered < delivered:
                    raise InvariantViolation(f"lane {lane} went back from {(generated, delivered)} to "
                                             f"{(later_generated, later_delivered)}")
            generated, delivered = history[-1]
            if delivered > generated:
                raise InvariantViolation(f"lane {lane} delivered nonce {delivered} but only gave out {generated}")

    def check_delivery(self) -> None:
        """Every accepted message is delivered within delivery_bound blocks of when its transport could."""
        for message in self.in_flight.values():
            if message.nonce is not None and not self._relayed(message):
                continue  # the bridge waits for its relayer, or for the destination's Bridge Hub to run again
            since = message.sent_at if message.nonce is None else max(message.sent_at, self.relayer_since)
            if self.now - since > self.delivery_bound:
                raise InvariantViolation(f"message {message.id} ({message.route.origin} -> "
                                         f"{message.route.destination}) in flight for {self.now - since} blocks, "
                                         f"bound {self.delivery_bound}")

    def check_all(self) -> None:
        self.check_balances()
        self.check_conservation()
        self.check_reserve_backing()
        self.check_lane_nonces()
        self.check_delivery()

    # --- the mechanics ---------------------------------------------------------------------------

    def _sum(self, asset: Asset, chains: list[str]) -> int:
        return (sum(v for (c, _, a), v in self.balances.items() if a == asset and c in chains)
                + sum(pots[(c, asset)] for pots in (self.fees, self.trapped, self.dust) for c in chains))

    def _pay_fee(self, chain_name: str, payer: str, fee: int) -> bool:
        """Transaction payment withdraws keeping the payer alive; if it cannot, nothing happens at all."""
        holding = (chain_name, payer, native_asset(chain_name))
        if self.balance(*holding) - fee < native_asset(chain_name).min_balance_on(chain_name):
            return False
        self._debit(holding, fee)
        self.fees[(chain_name, holding[2])] += fee
        return True

    def _left_after(self, holding: Holding, amount: int, *, keep_alive: bool) -> int | str:
        """What `holding` keeps after paying `amount`, or why it cannot."""
        left = self.balances.get(holding, 0) - amount
        if amount <= 0:
            return "nothing to send"
        if left < 0:
            return "insufficient balance"
        if keep_alive and left < holding[2].min_balance_on(holding[0]):
            return "would reap the sender"
        return left

    def _withdraw(self, holding: Holding, amount: int) -> bool:
        """Takes `amount` if it is there (reaping what stays below the minimum); False if it is not."""
        if amount and self.balances.get(holding, 0) < amount:
            return False
        if amount:
            self._debit(holding, amount)
        return True

    def _can_credit(self, holding: Holding, amount: int) -> bool:
        return self.balances.get(holding, 0) + amount >= holding[2].min_balance_on(holding[0])

    def _debit(self, holding: Holding, amount: int) -> None:
        left = self.balances.get(holding, 0) - amount
        minimum = holding[2].min_balance_on(holding[0])
        if left >= minimum and left > 0:
            self.balances[holding] = left
            return
        self.balances.pop(holding, None)
        self.dust[(holding[0], holding[2])] += left  # the chain burns what a reaped account kept

    def _credit(self, holding: Holding, amount: int) -> None:
        self.balances[holding] = self.balances.get(holding, 0) + amount

    def _move_lane(self, lane: Lane, *, generated: int | None = None, delivered: int | None = None) -> None:
        if generated is not None:
            self.generated[lane] = generated
        if delivered is not None:
            self.delivered[lane] = delivered
        self.lane_history.setdefault(lane, []).append((self.generated[lane], self.delivered[lane]))
