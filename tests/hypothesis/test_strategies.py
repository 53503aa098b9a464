"""harness.testing.strategies: what each strategy draws, its edge values, its argument checks, and the entry point."""
from __future__ import annotations

import importlib.metadata
import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from harness.testing.strategies import Transfer, accounts, amounts, assets, routes, transfers
from harness.testing.model_chains import ASSET_HUBS, RELAYS, ROUTES, U128_MAX, Asset, ModelRoute, chain

DEV_URI = re.compile(r"^//(Alice|Bob|Charlie|Dave|Eve|Ferdie)(//[0-9])?$")


def test_chain_facts_are_the_live_runtimes():
    # relay/{kusama,polkadot}/constants: ED = CENTS on Kusama (UNITS / 3000), 100 * CENTS on Polkadot
    assert (chain("kusama").existential_deposit, chain("kusama").decimals) == (333_333_333, 12)
    assert (chain("polkadot").existential_deposit, chain("polkadot").decimals) == (10_000_000_000, 10)
    # the Asset Hubs' ED is the relay's / 100 (0.01 DOT on Polkadot Asset Hub), as the devnet says
    assert chain("kusama-asset-hub").existential_deposit == 3_333_333
    assert chain("polkadot-asset-hub").existential_deposit == 100_000_000


def test_routes_cover_teleports_on_both_sides_and_the_bridge_both_ways():
    pairs = {(r.origin, r.destination) for r in ROUTES}
    for network in ("Kusama", "Polkadot"):
        assert (RELAYS[network], ASSET_HUBS[network]) in pairs
        assert (ASSET_HUBS[network], RELAYS[network]) in pairs
    assert (ASSET_HUBS["Kusama"], ASSET_HUBS["Polkadot"]) in pairs
    assert (ASSET_HUBS["Polkadot"], ASSET_HUBS["Kusama"]) in pairs
    assert len(pairs) == len(ROUTES) == 6


def test_bridged_assets_sit_under_the_other_global_consensus():
    ksm = Asset("Kusama")
    assert ksm.location_on("polkadot-asset-hub") == {"parents": 2, "interior": {"X1": [{"GlobalConsensus": "Kusama"}]}}
    assert ksm.location_on("kusama-asset-hub") == {"parents": 1, "interior": "Here"}
    assert ksm.location_on("kusama") == {"parents": 0, "interior": "Here"}
    assert Asset("Polkadot").is_foreign_on("kusama-asset-hub") and not ksm.is_foreign_on("kusama-asset-hub")


@given(accounts())
def test_accounts_are_dev_seeds_or_their_children(uri):
    assert DEV_URI.match(uri), uri


@given(accounts(seeds=["//Alice"], derived=False))
def test_accounts_without_derivation_are_the_seeds(uri):
    assert uri == "//Alice"


@given(amounts(min_balance=100, balance=1_000, fee=30, max_value=5_000))
def test_amounts_stay_in_range(amount):
    assert 0 <= amount <= 5_000


@pytest.mark.parametrize("edge", [0, 99, 100, 101, 1_000, 970, U128_MAX])
def test_every_edge_value_is_drawn(edge):
    found = find(amounts(min_balance=100, balance=1_000, fee=30), lambda a: a == edge,
                 settings=settings(database=None, max_examples=200))
    assert found == edge


@given(transfers(balance=10 ** 13, fee=10 ** 9))
def test_transfers_take_a_route_their_asset_may_travel(transfer):
    route = transfer.route
    assert transfer.asset in route.assets()
    assert transfer.kind == ("reserve" if route.across_bridge else "teleport")
    assert DEV_URI.match(transfer.sender) and DEV_URI.match(transfer.beneficiary)
    assert 0 <= transfer.amount <= U128_MAX
    if not route.across_bridge:  # teleports move the network's own token only
        assert not transfer.asset.is_foreign_on(route.origin) and not transfer.asset.is_foreign_on(route.destination)


@given(transfers(route=routes(across_bridge=True)))
def test_bridge_transfers_carry_a_token_that_is_foreign_on_exactly_one_side(transfer):
    route = transfer.route
    assert route.across_bridge
    assert transfer.asset.is_foreign_on(route.origin) != transfer.asset.is_foreign_on(route.destination)


def test_transfers_reach_both_bridged_directions_and_a_returning_foreign_asset():
    quick = settings(database=None, max_examples=500, phases=[Phase.generate])  # found is enough, no shrinking
    for origin, network in (("kusama-asset-hub", "Polkadot"), ("polkadot-asset-hub", "Kusama")):
        found = find(transfers(), lambda t: t.route.origin == origin and t.asset.network == network, settings=quick)
        assert found.asset.is_foreign_on(origin)


@given(st.from_type(Transfer))
def test_from_type_gives_the_registered_strategy(transfer):
    # the registered strategy, not Hypothesis' dataclass inference (which would invent kinds and routes)
    assert transfer.route in ROUTES and transfer.kind in ("teleport", "reserve")
    assert transfer.asset in transfer.route.assets()


def test_the_entry_point_is_installed():
    hooks = {e.value for e in importlib.metadata.entry_points(group="hypothesis")}
    assert "harness.testing.strategies:_hypothesis_setup_hook" in hooks, "re-run: pip install -e ."


_DRAW = """
import json, warnings
warnings.simplefilter("ignore")
import hypothesis.strategies as st
from harness.testing.strategies import Transfer
from harness.testing.model_chains import ROUTES
drawn = [st.from_type(Transfer).example() for _ in range(5)]
print(json.dumps(all(t.route in ROUTES and t.kind in ("teleport", "reserve") for t in drawn)))
"""


@pytest.mark.parametrize("plugins, registered", [(True, True), (False, False)])
def test_a_fresh_interpreter_registers_through_the_entry_point_alone(plugins, registered):
    # nothing here imports the hook: with plugins off Hypothesis falls back to inferring the dataclass
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_NO_PLUGINS"}
    if not plugins:
        env["HYPOTHESIS_NO_PLUGINS"] = "1"
    out = subprocess.run([sys.executable, "-c", _DRAW], env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) is registered


@pytest.mark.parametrize("build, complaint", [
    (lambda: amounts(min_balance=-1), "min_balance=-1"),
    (lambda: amounts(min_balance=1.5), "must be an int"),
    (lambda: amounts(min_balance=True), "must be an int"),
    (lambda: amounts(min_balance=U128_MAX + 1), "u128"),
    (lambda: amounts(min_balance=10, fee=1), "needs balance"),
    (lambda: amounts(min_balance=10, balance=11, max_value=10), "above max_value"),
    (lambda: accounts(seeds="//Alice"), "not one string"),
    (lambda: accounts(seeds=[]), "must not be empty"),
    (lambda: accounts(seeds=["Alice"]), "is not a dev seed"),
    (lambda: accounts(max_index=-1), "max_index"),
    (lambda: accounts(derived="yes"), "derived"),
    (lambda: assets(networks=["Westend"]), "subset"),
    (lambda: assets(networks="Kusama"), "collection"),
    (lambda: routes(across_bridge="both"), "across_bridge"),
    (lambda: transfers(route=ModelRoute("kusama", "kusama-asset-hub")), "must be a Hypothesis strategy"),
    (lambda: transfers(balance=-5), "balance=-5"),
])
def test_bad_arguments_are_rejected_at_once(build, complaint):
    with pytest.raises(InvalidArgument, match=re.escape(complaint)):
        build()


def test_options_are_keyword_only():
    with pytest.raises(TypeError):
        amounts(100)  # type: ignore[misc]


def test_a_route_strategy_drawing_something_else_is_an_invalid_argument():
    @given(transfers(route=st.just("kusama")))
    def draw(transfer):
        pass

    with pytest.raises(InvalidArgument, match="not a ModelRoute"):
        draw()
