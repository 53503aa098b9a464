"""The emulated Kusama + Polkadot devnet (networks/kusama-polkadot.yaml, `devnet` provider) for stateful
tests: one process per session, clients to its six chains, a genesis snapshot to revert to between
examples, and the chain reads and writes the transfer machine needs: teleports, local transfers, bridge
transfers between the Asset Hubs, the relayer's dev RPCs, the Bridge Hubs' operating modes, trapping and
claiming assets, foreign-asset balances and supplies, sovereign (reserve) accounts and bridge lane nonces."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from substrateinterface import Keypair
from substrateinterface.exceptions import SubstrateRequestException

from substrateinterface.utils.ss58 import ss58_encode

from harness.client.chain import ChainClient, Event, Receipt
from harness.client.xcm import CALLS, Location, transfer_params
from harness.engine.bridge_controls import OPERATING_MODE
from harness.errors import ChainCallError
from harness.network import routes
from harness.network.facts import BRIDGE_MODES
from harness.network.topology import NetworkSpec, load_network
from harness.providers.registry import choose_provider
from harness.settings import PROJECT_ROOT, Settings

NETWORK_FILE = PROJECT_ROOT / "harness" / "networks" / "kusama-polkadot.yaml"
TIMEOUT = 30.0  # per extrinsic; in instant mode one takes milliseconds
POOL_REFUSED = "refused by the transaction pool"  # ChainCallError text for a 1010 Invalid Transaction
FEES_PAID = ("XcmPallet.FeesPaid", "PolkadotXcm.FeesPaid")
TRAPPED = ("XcmPallet.AssetsTrapped", "PolkadotXcm.AssetsTrapped")
PROBE_SENDER = "//Ferdie"  # endowed everywhere, and not one of the machine's accounts
FOREIGN_ASSETS = "ForeignAssets"
LANE = "0x00000001"  # the Asset Hubs' lane (harness/devnet/bridge/constants.py LEGACY_LANE)
ASSET_HUB_OF = {"Kusama": "kusama-asset-hub", "Polkadot": "polkadot-asset-hub"}
BRIDGE_HUB_OF = {"Kusama": "kusama-bridge-hub", "Polkadot": "polkadot-bridge-hub"}
OTHER = {"Kusama": "Polkadot", "Polkadot": "Kusama"}
TRAP_WEIGHT = {"ref_time": 1_000_000_000, "proof_size": 100_000}  # as scenarios/xcm/trap_and_claim.yaml


@dataclass(frozen=True)
class Arrival:
    """One bridge message executed on an Asset Hub (the events up to its MessageQueue.Processed): what it
    deposited to each account, what it trapped, and the bridged asset the fee swap put into the pool."""

    credited: dict[str, int]   # ss58 address -> amount deposited
    trapped: int
    pooled: int


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
    """An extrinsic: its receipt, or None when the pool refused it; `fee` is the one it paid, or would have;
    `held` the fee withdrawn before dispatch where a refund after it makes the two differ (execute)."""

    receipt: Receipt | None
    fee: int
    delivery_fee: int = 0
    held: int | None = None


class DevnetSession:
    def __init__(self) -> None:
        self.spec: NetworkSpec = load_network(NETWORK_FILE)
        self.network = choose_provider("devnet", self.spec).start(self.spec, Settings.from_env())
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

    # --- the bridge ---------------------------------------------------------------------------------

    def bridge_transfer(self, origin: str, destination: str, sender: str, beneficiary: str, symbol: str,
                        amount: int) -> Outcome:
        """limited_reserve_transfer_assets across the bridge, as the engine's xcm_transfer builds it."""
        return self._xcm_transfer(routes.route(self.spec, origin, destination, "reserve", symbol), sender,
                                  beneficiary, amount)

    def address(self, chain: str, uri: str) -> str:
        return self.keypair(chain, uri).ss58_address

    def foreign(self, chain: str, symbol: str, uri: str) -> int:
        """ForeignAssets.Account of the bridged `symbol` on an Asset Hub (0 for no account)."""
        location = routes.asset_location(self.spec, chain, symbol)
        return self.clients[chain].asset_balance(FOREIGN_ASSETS, location, self.address(chain, uri))[0]

    def foreign_supply(self, chain: str, symbol: str) -> int:
        """ForeignAssets.Asset(..).supply of the bridged `symbol` on an Asset Hub."""
        client = self.clients[chain]
        key = client._asset_key(FOREIGN_ASSETS, routes.asset_location(self.spec, chain, symbol))
        return int(client.api.query(FOREIGN_ASSETS, "Asset", [key]).value["supply"])

    def sovereign_address(self, on: str, of: str) -> str:
        """`of`'s sovereign account on `on` (harness/network/routes.py sovereign_account)."""
        return ss58_encode(routes.sovereign_account(self.spec, on, of), self.clients[on].ss58_format)

    def reserve(self, network: str) -> int:
        """What `network`'s Asset Hub keeps for the other network's Asset Hub: the other one's sovereign account."""
        here, there = ASSET_HUB_OF[network], ASSET_HUB_OF[OTHER[network]]
        api = self.clients[here].api
        return int(api.query("System", "Account", [self.sovereign_address(here, there)]).value["data"]["free"])

    def lane(self, network: str) -> tuple[int, int]:
        """(latest generated nonce on `network`'s Bridge Hub outbound lane, last delivered nonce on the other
        Bridge Hub's inbound lane), from the messages pallets' OutboundLanes / InboundLanes (S bridges/modules/
        messages: last delivered = the last relayer entry's messages.end, else last_confirmed_nonce)."""
        out_api = self.clients[BRIDGE_HUB_OF[network]].api
        in_api = self.clients[BRIDGE_HUB_OF[OTHER[network]]].api
        out = out_api.query(f"Bridge{OTHER[network]}Messages", "OutboundLanes", [LANE]).value
        inbound = in_api.query(f"Bridge{network}Messages", "InboundLanes", [LANE]).value
        relayers = inbound["relayers"] if inbound else []
        delivered = relayers[-1]["messages"]["end"] if relayers else (inbound or {}).get("last_confirmed_nonce", 0)
        return (out or {}).get("latest_generated_nonce", 0), int(delivered)

    def relayer(self, command: str) -> None:
        """dev_relayerPause / dev_relayerResume on a Bridge Hub's endpoint (in instant mode a resume delivers
        what waited before it returns)."""
        self.network.rpc(BRIDGE_HUB_OF["Kusama"], {"pause": "dev_relayerPause", "resume": "dev_relayerResume"}[command],
                         [])

    def bridge_mode(self, network: str, mode: str) -> None:
        """Bridge<Other>Messages.PalletOperatingMode on `network`'s Bridge Hub, by dev_setStorage (which builds
        a block), as harness/engine/bridge_controls.py writes it."""
        hub = BRIDGE_HUB_OF[network]
        key, encoded = self.clients[hub].storage_item(f"Bridge{OTHER[network]}Messages", OPERATING_MODE,
                                                      BRIDGE_MODES[mode])
        self.network.set_storage(hub, [(key, encoded)])

    def arrivals(self, chain: str, after: int) -> list[Arrival]:
        """The bridge messages (from the sibling Bridge Hub) executed on an Asset Hub since block `after`."""
        pool = self.pool_address(chain)
        out, credited, trapped, pooled = [], {}, 0, 0
        for event in self.events_after(chain, after):
            a = event.attributes
            if event.qualified == "MessageQueue.Processed":
                if a["origin"] == {"Sibling": 1002}:
                    out.append(Arrival(credited, trapped, pooled))
                credited, trapped, pooled = {}, 0, 0
            elif event.qualified in ("ForeignAssets.Issued", "ForeignAssets.Deposited"):   # Deposited: a swap's credit
                owner = a["owner"] if "owner" in a else a["who"]
                if owner == pool:
                    pooled += int(a["amount"])
                else:
                    credited[owner] = credited.get(owner, 0) + int(a["amount"])
            elif event.qualified in ("Balances.Minted", "Balances.Deposit"):
                credited[a["who"]] = credited.get(a["who"], 0) + int(a["amount"])
            elif event.qualified in TRAPPED:
                trapped += _fungible(a["assets"])
        return out

    @cache
    def pool_address(self, chain: str) -> str:
        """The asset-conversion pool of the bridged token on an Asset Hub (harness/devnet/assets/pools.py)."""
        from harness.devnet.assets.pools import bridged_pool

        network = next(n for n, c in ASSET_HUB_OF.items() if c == chain)
        return ss58_encode(bridged_pool(network).account, self.clients[chain].ss58_format)

    # --- trapped assets ------------------------------------------------------------------------------

    def trap(self, chain: str, sender: str, amount: int) -> Outcome:
        """execute([WithdrawAsset(amount of the chain's token)]): the holding is trapped under the signer. The
        fee for the declared weight (what payment_queryInfo quotes) is held during dispatch; execute's actual
        weight is smaller, and the rest comes back after."""
        pallet, _ = self._xcm_call(chain)
        client = self.clients[chain]
        args = client.call_args(pallet, "execute", {"message": {"V5": [{"WithdrawAsset": [self._native(chain, amount)]}]},
                                                    "max_weight": TRAP_WEIGHT})
        quote = client.api.get_payment_info(client.api.compose_call(pallet, "execute", args), self.keypair(chain, sender))
        outcome = self._submit(chain, pallet, "execute", args, sender)
        outcome.held = int(quote["partialFee"])
        return outcome

    def claim(self, chain: str, sender: str, amount: int) -> Outcome:
        """claim_assets of what a trap of `amount` left, to the signer."""
        pallet, _ = self._xcm_call(chain)
        beneficiary = {"parents": 0, "interior": {"X1": [{"AccountId32": {
            "network": None, "id": "0x" + self.keypair(chain, sender).public_key.hex()}}]}}
        return self._call(chain, pallet, "claim_assets", {"assets": {"V5": [self._native(chain, amount)]},
                                                         "beneficiary": {"V5": beneficiary}}, sender)

    def _native(self, chain: str, amount: int) -> dict:
        parents = 0 if self.spec.chain(chain).role == "relay" else 1
        return {"id": {"parents": parents, "interior": "Here"}, "fun": {"Fungible": amount}}

    def _call(self, chain: str, pallet: str, call: str, args: dict, sender: str) -> Outcome:
        return self._submit(chain, pallet, call, self.clients[chain].call_args(pallet, call, args), sender)

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
        return self._xcm_transfer(routes.route(self.spec, origin, destination, "teleport"), sender, beneficiary,
                                  amount)

    def _xcm_transfer(self, route: routes.Route, sender: str, beneficiary: str, amount: int) -> Outcome:
        """The route's limited_* call; the delivery fee is what the chain's FeesPaid events say it charged."""
        pallet, version = self._xcm_call(route.origin.name, route.kind)
        who = Location(0, (("AccountId32", self.keypair(route.destination.name, beneficiary).public_key),))
        outcome = self._submit(route.origin.name, pallet, CALLS[route.kind],
                               transfer_params(route.dest, who, route.asset, amount, version), sender)
        if outcome.receipt is not None:
            outcome.delivery_fee = sum(_fungible(e.attributes["fees"]) for e in outcome.receipt.events
                                       if e.qualified in FEES_PAID)
        return outcome

    @cache
    def _xcm_call(self, chain: str, kind: str = "teleport") -> tuple[str, int]:
        return self.clients[chain].xcm_transfer_call(CALLS[kind])

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
