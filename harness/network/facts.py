"""Facts about the Kusama and Polkadot networks that the scenario language, the engine and the property tests
share, each defined once here with its source. The devnet's runtimes (harness/devnet) keep their own copies, as
the real runtimes do: they are the chains under test, not clients of the harness."""
from __future__ import annotations

LOWEST_PUBLIC_ID = 2000  # S polkadot/parachain/src/primitives.rs: LOWEST_PUBLIC_ID; system parachains are below
ASSET_HUB_ID = 1000  # F system-parachains/constants: ASSET_HUB_ID
BRIDGE_HUB_ID = 1002  # F system-parachains/constants: BRIDGE_HUB_ID

# The bridged chain id in a Bridge Hub's RewardsAccountParams: the other side's Bridge Hub
# (S bridges/chains/chain-bridge-hub-kusama|polkadot: BRIDGE_HUB_KUSAMA_CHAIN_ID, BRIDGE_HUB_POLKADOT_CHAIN_ID)
BRIDGE_HUB_CHAIN_ID = {"Kusama": b"bhks", "Polkadot": b"bhpd"}

# A relay's global consensus by its token: ThisNetwork in F relay/kusama|polkadot/src/xcm_config.rs
NETWORK_OF_TOKEN = {"KSM": "Kusama", "DOT": "Polkadot"}
TOKEN_OF_NETWORK = {network: token for token, network in NETWORK_OF_TOKEN.items()}

# The well-known dev accounts every dev chain endows (S substrate/primitives/keyring: Sr25519Keyring)
DEV_SEEDS = ("//Alice", "//Bob", "//Charlie", "//Dave", "//Eve", "//Ferdie")

# The bridge's operating modes as the scenario language names them -> the MessagesOperatingMode value that
# pallet-bridge-messages stores in PalletOperatingMode (S bridges/primitives/messages:
# MessagesOperatingMode = Basic(BasicOperatingMode::Normal | Halted) | RejectingOutboundMessages)
BRIDGE_MODES = {"Normal": {"Basic": "Normal"}, "Halted": {"Basic": "Halted"},
                "RejectingOutboundMessages": "RejectingOutboundMessages"}
