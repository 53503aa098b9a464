"""The devnet: emulated Kusama and Polkadot chains that unmodified Substrate clients take for real nodes."""
