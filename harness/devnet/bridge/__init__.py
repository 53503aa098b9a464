"""The Polkadot <> Kusama bridge in the devnet: Bridge Hub pallets, the Asset Hub router, the relayer.

Module map:
  constants.py       numbers and names taken from the live runtimes (each cited)
  accounts.py        sovereign and reward accounts the bridge moves funds through
  fixed.py           FixedU128 arithmetic (the router's fee factor)
  types.py           the bridge types as the runtimes' metadata carries them
  lanes.py           outbound/inbound lane state machines (bp_messages semantics)
  payload.py         the exported blob (HaulBlobExporter) and its dispatch (BridgeBlobDispatcher)
  messages.py        pallet_bridge_messages
  finality.py        pallet_bridge_grandpa and pallet_bridge_parachains
  relayers.py        pallet_bridge_relayers
  xcm_bridge_hub.py  pallet_xcm_bridge_hub (bridge registry, exporter, dispatcher, congestion)
  router.py          pallet_xcm_bridge_hub_router on the Asset Hubs
  proofs.py          storage proofs as the emulation carries them
  owned.py           owner and operating mode, shared by the bridge pallets
  relayer.py         the in-process relayer (pause / resume / delay)
  control.py         the relayer's dev RPCs
  compose.py         Asset Hub / Bridge Hub genesis, the XCMP channel status the pallets read
The pallets sit at their indices in harness/devnet/runtimes/{asset_hub,bridge_hub}.py.
"""
