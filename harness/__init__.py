"""Test harness for XCM transfers between Kusama, Polkadot and their Asset Hubs."""
