"""Test harness for XCM transfers between Kusama, Polkadot and their Asset Hubs.

PYTEST_DONT_REWRITE: the `harness` command imports this package before it starts pytest, whose entry-point
plugins live here; the marker keeps pytest from warning that it can no longer rewrite the package's asserts
(it has no test code to rewrite)."""
