"""The emulated Kusama + Polkadot devnet (networks/kusama-polkadot.yaml, `devnet` provider) for stateful
tests: one process per session, clients to its four chains, a genesis snapshot to revert to between
examples, and the few chain reads and writes the transfer machine needs."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from substrateinterface import Keypair
from substrateinterface.exceptions import SubstrateRequestException

from harness.client.chain import ChainClient, Event, Receipt
from harness.client.xcm import CALLS, Location, transfer_params
from harness.errors import ChainCallError
from harness.network import routes
from harness.network.topology import NetworkSpec, load_network
from harness.providers.registry import choose_provider
from harness.settings import PROJECT_ROOT, Settings

NETWORK_FILE = PROJECT_ROOT / "networks" / "kusama-polkadot.yaml"
TIMEOUT = 30.0  # per extrinsic; in instant mode one takes milliseconds
POOL_REFUSED = "refused by the transaction pool"  # ChainCallError text for a 1010 Invalid Transaction
FEES_PAID = ("XcmPallet.FeesPaid", "PolkadotXcm.FeesPaid")
TRAPPED = ("XcmPallet.AssetsTrapped", "PolkadotXcm.AssetsTrapped")
PROBE_SENDER = "//Ferdie"  # endowed everywhere, and not one of the machine's accounts


@dataclass(frozen=True)
class RouteFees:
    """What a teleport route charges besides the transaction fee. The delivery fee grows by a fixed
    price per byte of message (ExponentialPrice, at factor 1 while nothing queues up): the amount's
    compact encoding is the only part of the message whose size varies."""

    delivery_base: int        # the delivery fee with a one-byte amount
    delivery_per_byte: int
    execution: int            # the destination's fee for executing the message
    unspent: int              # what of it the destination refunds when the deposit fails (post_process)

    def delivery(self, amount: int) -> int:
        return self.delivery_base + self.delivery_per_byte * (compact_length(amount) - 1)


def compact_length(value: int) -> int:
    """Bytes of SCALE's compact encoding of `value` (the amount inside the XCM message)."""
    if value < 1 << 6:
        return 1
    if value < 1 << 14:
        return 2
    if value < 1 << 30:
        return 4
    return 1 + (value.bit_length() + 7) // 8


@dataclass
class Outcome:
    """An extrinsic: its receipt, or None when the pool refused it; `fee` is the one it paid, or would have."""

    receipt: Receipt | None
    fee: int
    delivery_fee: int = 0


class DevnetSession:
    def __init__(self) -> None:
        self.spec: NetworkSpec = load_network(NETWORK_FILE)
        self.network = choose_provider("devnet", self.spec.provider).start(self.spec, Settings.from_env())
        try:
            self.clients = {name: ChainClient(name, url, TIMEOUT) for name, url in self.network.endpoints.items()}
            self.genesis = self.network.snapshot()
        except BaseException:
            self.network.stop()
            raise

    def close(self) -> None:
        for client in self.clients.values():
            client.close()
        self.network.stop()

    @cache
    def route_fees(self) -> dict[tuple[str, str], RouteFees]:
        """Measured once per session by a teleport per message size and route, then back to genesis."""
        fees = {}
        for route in self.spec_routes():
            origin, destination = route
            small, big = 1, 2 ** 33  # amounts of 1 and 6 bytes
            delivery = [self.teleport(origin, destination, PROBE_SENDER, PROBE_SENDER, amount).delivery_fee
                        for amount in (small, big)]
            before = self.free(destination, PROBE_SENDER)
            self.teleport(origin, destination, PROBE_SENDER, PROBE_SENDER, big)
            execution = big - (self.free(destination, PROBE_SENDER) - before)
            # a fresh account given one planck less than the existential deposit: the deposit fails
            short = execution + self.minimum(destination) - 1
            head = self.head(destination)
            self.teleport(origin, destination, PROBE_SENDER, f"{PROBE_SENDER}//probe", short)
            trapped = trapped_amount(self.events_after(destination, head))
            per_byte = (delivery[1] - delivery[0]) // (compact_length(big) - 1)
            fees[route] = RouteFees(delivery[0], per_byte, execution, execution - (short - trapped))
        self.reset()
        return fees

    def spec_routes(self) -> list[tuple[str, str]]:
        """Relay <-> parachain pairs of the network file, both ways."""
        pairs = [(c.relay, c.name) for c in self.spec.chains.values() if c.relay]
        return pairs + [(b, a) for a, b in pairs]

    def minimum(self, chain: str) -> int:
        return int(self.clients[chain].api.get_constant("Balances", "ExistentialDeposit").value)

    def reset(self) -> None:
        """Back to genesis. A revert uses its snapshot up (as evm_revert does), so take it again."""
        self.network.revert(self.genesis)
        self.genesis = self.network.snapshot()

    @cache
    def keypair(self, chain: str, uri: str) -> Keypair:
        return self.clients[chain].keypair(uri)

    def free(self, chain: str, uri: str) -> int:
        api = self.clients[chain].api
        return int(api.query("System", "Account", [self.keypair(chain, uri).ss58_address]).value["data"]["free"])

    def head(self, chain: str) -> int:
        return self.clients[chain].head()[0]

    def events_after(self, chain: str, number: int) -> list[Event]:
        client = self.clients[chain]
        return [e for n in range(number + 1, self.head(chain) + 1) for e in client.events(client.block_hash(n))]

    def transfer(self, chain: str, sender: str, receiver: str, amount: int, keep_alive: bool) -> Outcome:
        call = "transfer_keep_alive" if keep_alive else "transfer_allow_death"
        return self._submit(chain, "Balances", call, {"dest": self.keypair(chain, receiver).ss58_address,
                                                      "value": amount}, sender)

    def teleport(self, origin: str, destination: str, sender: str, beneficiary: str, amount: int) -> Outcome:
        route = routes.route(self.spec, origin, destination, "teleport")
        pallet, version = self._xcm_call(origin)
        who = Location(0, (("AccountId32", self.keypair(destination, beneficiary).public_key),))
        outcome = self._submit(origin, pallet, CALLS["teleport"],
                               transfer_params(route.dest, who, route.asset, amount, version), sender)
        if outcome.receipt is not None:
            outcome.delivery_fee = sum(_fungible(e.attributes["fees"]) for e in outcome.receipt.events
                                       if e.qualified in FEES_PAID)
        return outcome

    @cache
    def _xcm_call(self, chain: str) -> tuple[str, int]:
        return self.clients[chain].xcm_transfer_call(CALLS["teleport"])

    def _submit(self, chain: str, pallet: str, call: str, params: dict, sender: str) -> Outcome:
        client = self.clients[chain]
        try:
            receipt = client.submit(pallet, call, params, self.keypair(chain, sender), timeout=TIMEOUT)
        except ChainCallError as exc:
            if POOL_REFUSED not in str(exc):
                raise
            try:
                info = client.api.get_payment_info(client.api.compose_call(pallet, call, params),
                                                   self.keypair(chain, sender))
            except SubstrateRequestException:  # a call that does not decode (e.g. Fungible(0)) has no price
                return Outcome(None, 0)
            return Outcome(None, int(info["partialFee"]))
        # the transaction fee alone: Receipt.fee adds pallet-xcm's delivery fees to it
        return Outcome(receipt, sum(int(e.attributes["actual_fee"]) for e in receipt.events
                                    if e.qualified == "TransactionPayment.TransactionFeePaid"))


def trapped_amount(events: list[Event]) -> int:
    return sum(_fungible(e.attributes["assets"]) for e in events if e.qualified in TRAPPED)


def _fungible(assets: object) -> int:
    """The fungible amounts in an XCM assets value, versioned ({"V5": [...]}) or not."""
    if isinstance(assets, dict):
        (assets,) = assets.values()
    return sum(int(a["fun"]["Fungible"]) for a in assets if "Fungible" in a["fun"])
