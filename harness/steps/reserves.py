"""`reserves`: the reserves an Asset Hub trusts for a foreign asset, as its owner's set_reserves would set them."""
from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .base import StepContext, StepKind, StepParser

SCHEMA = {"type": "object", "required": ["chain", "asset", "trusted"], "additionalProperties": False,
          "properties": {"chain": {"type": "string"}, "asset": {"type": "string"},
                         "trusted": {"type": "array", "items": {"type": "string"}}}}


@dataclass(frozen=True)
class Reserves:
    KEY: ClassVar[str] = "reserves"
    chain: str  # an asset hub
    asset: str  # a token of another consensus, held there as a foreign asset
    trusted: tuple[str, ...]  # chains of the network; empty: no reserve is trusted


def parse(p: StepParser, body: dict, at: tuple) -> Reserves:
    chain = p.chain(at + ("chain",), body["chain"])
    asset = p.asset(at + ("asset",), body["asset"], chain)
    if asset is None and chain in p.network.chains:
        p.fail(at + ("asset",), f"'{body['asset']}' is the own token of '{chain}', not a foreign asset there",
               f"reserves are set for a token of another consensus: one of "
               f"{', '.join(t for t in p.tokens if t != p.network.chains[chain].token)}")
    trusted = tuple(p.chain(at + ("trusted", i), name) for i, name in enumerate(body["trusted"]))
    if chain in trusted:
        p.fail(at + ("trusted", trusted.index(chain)), f"'{chain}' cannot be a reserve of its own foreign asset",
               "name the chains whose deposits of the asset it trusts, e.g. the other Asset Hub")
    return Reserves(chain, asset or "", trusted)


def run(ctx: StepContext, step, action: Reserves, since: dict[str, int]) -> None:
    ctx.bridge.reserves(action)


STEP = StepKind(Reserves, SCHEMA, parse, run)
