"""The bridge's controls on a dev network: the relayer, a Bridge Hub's messages pallet mode, and an Asset Hub
router's congestion flag.

Relayer: pause, resume, delay by N blocks; the network's relayer-controls capability (the devnet's own relayer).

Mode: pallet-bridge-messages' PalletOperatingMode, a MessagesOperatingMode (S bridges/primitives/messages:
Basic(Normal | Halted) | RejectingOutboundMessages), written with the storage-writes capability: what
`set_operating_mode` by the pallet owner or Root would store, with no owner key or sudo needed. The pallet is the
one named Bridge<Remote>Messages on that chain (F bridge-hubs/bridge-hub-kusama/src/lib.rs: BridgePolkadotMessages).

Congestion: pallet-xcm-bridge-hub-router's Bridge {delivery_fee_factor, is_congested} on an Asset Hub
(To<Remote>XcmRouter), whose is_congested the Bridge Hub sets with report_bridge_status once its outbound lane
holds more than OUTBOUND_LANE_CONGESTED_THRESHOLD (8192) messages (S bridges/modules/xcm-bridge-hub). Only the flag
is written, as that report would; the router then raises its delivery fee factor with each message it sends.

Reserves: pallet-assets' Reserves (AssetId -> BoundedVec<ReserveData>) of ForeignAssets on an Asset Hub, whose
ReserveData is {reserve: Location, teleportable: bool} (F asset-hubs/*/src/lib.rs `type ReserveData`); the
Asset Hubs trust a reserve deposit of a foreign asset only from a reserve listed there (IsReserve:
NonTeleportableAssetFromTrustedReserve). The step writes what set_reserves by the asset's owner would store
(an empty list removes the entry, as set_reserves([]) does); the owner of a bridged token is the other Asset
Hub's sovereign account, which only that Asset Hub's governance can move.

Neither the relayer's settings nor (without a revert) a chain's storage go back with a scenario's snapshot, so
whatever a scenario changed is put back as it found it when it ends, passed or failed.
"""
from __future__ import annotations

from ..errors import HarnessError
from ..network import routes
from ..network.facts import BRIDGE_MODES
from ..providers.base import RunningNetwork
from ..providers.capabilities import Capability, RelayerControls, RelayerState
from ..steps.bridge_mode import BridgeMode
from ..steps.congestion import Congestion
from ..steps.relayer import Relayer
from ..steps.reserves import Reserves
OPERATING_MODE = "PalletOperatingMode"
ROUTER_STATE = "Bridge"
FOREIGN_ASSETS, RESERVES = "ForeignAssets", "Reserves"


class BridgeControls:
    def __init__(self, network: RunningNetwork, clients) -> None:
        self.network, self.clients = network, clients
        # the relayer's settings before the scenario's first relayer step, and the controls that read them
        self.relayer_before: tuple[RelayerControls, RelayerState] | None = None
        self.storage_before: dict[tuple[str, str], str | None] = {}  # (chain, key) -> raw value it had

    def relayer(self, action: Relayer) -> None:
        controls = self.network.capability(Capability.RELAYER, f"{action.command} the relayer")
        if self.relayer_before is None:
            self.relayer_before = (controls, controls.state())
        if action.command == "delay":
            controls.delay(action.blocks)
        elif action.command == "pause":
            controls.pause()
        else:
            controls.resume()

    def mode(self, action: BridgeMode) -> None:
        self.network.capability(Capability.STORAGE, "set a bridge's operating mode (the bridge_mode step)")
        pallet = self._pallet(action.chain, OPERATING_MODE, "Bridge", "Messages", "bridge_mode", "a Bridge Hub")
        self._write(action.chain, pallet, OPERATING_MODE, BRIDGE_MODES[action.mode])

    def congestion(self, action: Congestion) -> None:
        self.network.capability(Capability.STORAGE, "set a router's congestion (the congestion step)")
        pallet = self._pallet(action.chain, ROUTER_STATE, "To", "XcmRouter", "congestion", "an Asset Hub")
        state = self.clients[action.chain].storage_value(pallet, ROUTER_STATE)
        self._write(action.chain, pallet, ROUTER_STATE, {**state, "is_congested": action.congested})

    def reserves(self, action: Reserves) -> None:
        self.network.capability(Capability.STORAGE, "set an asset's reserves (the reserves step)")
        client, spec = self.clients[action.chain], self.network.spec
        if FOREIGN_ASSETS not in client.pallets_with_storage(RESERVES):
            raise HarnessError(f"'{action.chain}' keeps no {FOREIGN_ASSETS}.{RESERVES}",
                               "its runtime predates reserves configured per asset (pallet-assets set_reserves)")
        version = client.asset_location_version(FOREIGN_ASSETS)
        asset = routes.asset_location(spec, action.chain, action.asset).encode(version)
        value = [{"reserve": routes.location_of(spec, action.chain, chain).encode(version), "teleportable": False}
                 for chain in action.trusted]
        # a BoundedVec is a composite of one unnamed field, which scalecodec encodes from a one-item tuple
        self._write(action.chain, FOREIGN_ASSETS, RESERVES, (value,) if value else None, [asset])

    def _pallet(self, chain: str, item: str, prefix: str, suffix: str, step: str, where: str) -> str:
        """The one pallet on `chain` named prefix...suffix that has storage `item`."""
        pallets = [p for p in self.clients[chain].pallets_with_storage(item)
                   if p.startswith(prefix) and p.endswith(suffix)]
        if len(pallets) != 1:
            raise HarnessError(f"'{chain}' has {'no' if not pallets else 'more than one'} {prefix}...{suffix} pallet"
                               f"{': ' + ', '.join(pallets) if pallets else ''}",
                               f"{step} acts on {where} with one {prefix}<Remote>{suffix} pallet")
        return pallets[0]

    def _write(self, chain: str, pallet: str, item: str, value: object, params: list | None = None) -> None:
        key, encoded = self.clients[chain].storage_item(pallet, item, value, params)
        if (chain, key) not in self.storage_before:
            self.storage_before[(chain, key)] = self.network.rpc(chain, "state_getStorage", [key])
        self.network.set_storage(chain, [(key, encoded)])

    def restore(self) -> None:
        """The relayer and the modes as the scenario found them."""
        if self.relayer_before is not None:
            controls, state = self.relayer_before
            controls.restore(state)
        for (chain, key), value in self.storage_before.items():
            self.network.set_storage(chain, [(key, value)])
