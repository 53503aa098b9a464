"""Amounts in a chain's terms: planck with the decimals a token's home chain reports, and back to text.

A chain's own token counts with that chain's decimals. A token of another consensus (KSM on Polkadot Asset Hub)
counts with the decimals of the relay whose token it is: a bridged asset keeps its home's planck.
"""
from __future__ import annotations

from ..network.topology import NetworkSpec
from ..scenario.amounts import PLANCK, Amount, format_planck


class Units:
    def __init__(self, network: NetworkSpec, clients) -> None:
        self.network, self.clients = network, clients

    def home(self, chain: str, symbol: str) -> str:
        """The chain whose decimals count `symbol` when it is held on `chain`."""
        if symbol in (PLANCK, self.network.chain(chain).token):
            return chain
        relays = [c.name for c in self.network.chains.values() if c.token == symbol and c.role == "relay"]
        return (relays or [c.name for c in self.network.chains.values() if c.token == symbol])[0]

    def decimals(self, chain: str, symbol: str) -> int:
        return self.clients[self.home(chain, symbol)].decimals

    def planck(self, amount: Amount, chain: str) -> int:
        return amount.to_planck(self.decimals(chain, amount.unit))

    def text(self, planck: int, chain: str, symbol: str | None = None) -> str:
        """`planck` of `symbol` (default: the chain's token, as the chain reports it) as `1.5 KSM`."""
        client = self.clients[chain]
        if symbol is None or symbol == self.network.chain(chain).token:
            return format_planck(planck, client.decimals, client.symbol)
        return format_planck(planck, self.decimals(chain, symbol), symbol)
