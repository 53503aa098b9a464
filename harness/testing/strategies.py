"""Hypothesis strategies for XCM transfers: accounts, amounts, assets, routes and whole transfers.

    from hypothesis import given, strategies as st
    from harness.testing.strategies import Transfer, transfers

    @given(st.from_type(Transfer))           # or transfers(balance=10**12, fee=10**9)
    def test_something(transfer): ...

`st.from_type(Transfer)` (and ModelRoute, Asset) works in any test once the package is installed
(`pip install -e .`): pyproject's [project.entry-points.hypothesis] names `_hypothesis_setup_hook`,
which Hypothesis calls when it is imported. Every option is keyword-only; bad ones raise
hypothesis.errors.InvalidArgument when the strategy is built, not at the first draw.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from harness.network.facts import DEV_SEEDS

from .model_chains import NETWORKS, ROUTES, U128_MAX, Asset, ModelRoute

__all__ = ["Transfer", "accounts", "amounts", "assets", "routes", "transfers"]


@dataclass(frozen=True)
class Transfer:
    route: ModelRoute
    sender: str             # a dev seed URI on the origin, e.g. "//Alice//3"
    beneficiary: str        # a dev seed URI on the destination
    asset: Asset
    amount: int             # planck
    kind: str               # "teleport" | "reserve", as in the scenario language


def _check_planck(name: str, value: object, *, optional: bool = False) -> None:
    if value is None and optional:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidArgument(f"{name}={value!r} must be an int number of planck")
    if not 0 <= value <= U128_MAX:
        raise InvalidArgument(f"{name}={value} must be between 0 and 2**128 - 1 (a u128 balance)")


def _check_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, st.SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a Hypothesis strategy (or None for the default)")


def accounts(*, seeds: Iterable[str] = DEV_SEEDS, derived: bool = True, max_index: int = 9) -> st.SearchStrategy[str]:
    """Dev account URIs: a seed (`//Alice`), or with `derived` a hard-derived child `//Alice//n`, n <= max_index.

    Derived children are fresh accounts with no endowment, which is where ED edges are easiest to reach."""
    if isinstance(seeds, str):
        raise InvalidArgument(f"seeds={seeds!r} must be a collection of seeds, not one string")
    seeds = tuple(seeds)
    if not seeds:
        raise InvalidArgument("seeds must not be empty")
    for seed in seeds:
        if not isinstance(seed, str) or not seed.startswith("//") or len(seed) < 3:
            raise InvalidArgument(f"seed {seed!r} is not a dev seed like '//Alice'")
    if not isinstance(derived, bool):
        raise InvalidArgument(f"derived={derived!r} must be True or False")
    if isinstance(max_index, bool) or not isinstance(max_index, int) or max_index < 0:
        raise InvalidArgument(f"max_index={max_index!r} must be an int >= 0")
    plain = st.sampled_from(seeds)
    if not derived:
        return plain
    return plain | st.builds("{}//{}".format, plain, st.integers(0, max_index))


def amounts(*, min_balance: int, balance: int | None = None, fee: int | None = None,
            max_value: int = U128_MAX) -> st.SearchStrategy[int]:
    """Planck amounts in [0, max_value], half of them edge values: 0, min_balance - 1, min_balance,
    min_balance + 1, balance, balance - fee and max_value ("huge").

    `min_balance` is the existential deposit of a native token or the pallet-assets min_balance of a
    foreign one; `balance` the sender's balance and `fee` what the transfer costs it."""
    _check_planck("min_balance", min_balance)
    _check_planck("balance", balance, optional=True)
    _check_planck("fee", fee, optional=True)
    _check_planck("max_value", max_value)
    if fee is not None and balance is None:
        raise InvalidArgument(f"fee={fee} needs balance=: the edge it gives is balance - fee")
    for name, value in (("min_balance", min_balance), ("balance", balance)):
        if value is not None and value > max_value:
            raise InvalidArgument(f"{name}={value} is above max_value={max_value}")
    candidates = (0, min_balance - 1, min_balance, min_balance + 1, balance,
                  None if balance is None or fee is None else balance - fee, max_value)
    edges = sorted({e for e in candidates if e is not None and 0 <= e <= max_value})
    return st.sampled_from(edges) | st.integers(0, max_value)


def assets(*, networks: Iterable[str] = NETWORKS) -> st.SearchStrategy[Asset]:
    """KSM and DOT; each is native on its own network's chains and a bridged foreign asset on the other's AH."""
    if isinstance(networks, str):
        raise InvalidArgument(f"networks={networks!r} must be a collection, e.g. ['Kusama']")
    networks = tuple(networks)
    unknown = [n for n in networks if n not in NETWORKS]
    if unknown or not networks:
        raise InvalidArgument(f"networks={list(networks)!r} must be a non-empty subset of {list(NETWORKS)}")
    return st.sampled_from([Asset(n) for n in networks])


def routes(*, across_bridge: bool | None = None) -> st.SearchStrategy[ModelRoute]:
    """Relay <-> Asset Hub on each side (teleports), and Asset Hub <-> Asset Hub across the bridge, both ways.

    across_bridge=True keeps only the bridge routes, False only the teleports, None (default) all six."""
    if across_bridge is not None and not isinstance(across_bridge, bool):
        raise InvalidArgument(f"across_bridge={across_bridge!r} must be True, False or None")
    return st.sampled_from([r for r in ROUTES if across_bridge in (None, r.across_bridge)])


def transfers(*, route: st.SearchStrategy[ModelRoute] | None = None, sender: st.SearchStrategy[str] | None = None,
              beneficiary: st.SearchStrategy[str] | None = None, balance: int | None = None,
              fee: int | None = None, max_amount: int = U128_MAX) -> st.SearchStrategy[Transfer]:
    """Whole transfers: a route, an asset that may travel it, the kind that route takes, accounts, and an
    amount up to max_amount with edges at the asset's minimum balance on both the origin and the
    destination (and at the sender's balance, and balance - fee, when given)."""
    for name, value in (("route", route), ("sender", sender), ("beneficiary", beneficiary)):
        _check_strategy(name, value)
    amounts(min_balance=0, balance=balance, fee=fee, max_value=max_amount)  # the same checks, now

    @st.composite
    def build(draw) -> Transfer:
        chosen = draw(route if route is not None else routes())
        if not isinstance(chosen, ModelRoute):
            raise InvalidArgument(f"route= drew {chosen!r}, not a ModelRoute")
        asset = draw(st.sampled_from(chosen.assets()))
        limits = sorted({asset.min_balance_on(chosen.origin), asset.min_balance_on(chosen.destination)})
        amount = draw(st.one_of([amounts(min_balance=m, balance=balance, fee=fee, max_value=max_amount)
                                 for m in limits if m <= max_amount] or [st.integers(0, max_amount)]))
        return Transfer(chosen, draw(sender if sender is not None else accounts()),
                        draw(beneficiary if beneficiary is not None else accounts()), asset, amount, chosen.kind)

    return build()


def _hypothesis_setup_hook() -> None:
    """Called by Hypothesis when it is imported (pyproject: [project.entry-points.hypothesis])."""
    # functions, so nothing is built (and no chain facts are read) until a test asks for the type
    st.register_type_strategy(Transfer, lambda _: transfers())
    st.register_type_strategy(ModelRoute, lambda _: routes())
    st.register_type_strategy(Asset, lambda _: assets())
