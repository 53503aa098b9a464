"""Amounts in a chain's terms: planck with the decimals a token's home chain reports, and back to text.

A chain's own token counts with that chain's decimals. A token of another consensus (KSM on Polkadot Asset Hub)
counts with the decimals of the relay whose token it is: a bridged asset keeps its home's planck.

The chains' decimals and symbols are read once, when a run starts, and kept in its result: the reports format
amounts from that record and never ask a chain.
"""
from __future__ import annotations

from ..network.topology import NetworkSpec
from ..scenario.amounts import PLANCK, Amount, format_planck


class Units:
    def __init__(self, network: NetworkSpec, chains: dict[str, tuple[int, str]]) -> None:
        self.network = network
        self.chains = chains  # chain -> (decimals, symbol), as the chain reports them

    @classmethod
    def read(cls, network: NetworkSpec, clients) -> Units:
        return cls(network, {c: (clients[c].decimals, clients[c].symbol) for c in network.chains})

    def home(self, chain: str, symbol: str) -> str:
        """The chain whose decimals count `symbol` when it is held on `chain`."""
        if symbol in (PLANCK, self.network.chain(chain).token):
            return chain
        chains = self.network.chains.values()
        relays = [c.name for c in chains if c.token == symbol and c.role == "relay"]
        return (relays or [c.name for c in chains if c.token == symbol] or [chain])[0]

    def decimals(self, chain: str, symbol: str) -> int:
        return self.chains[self.home(chain, symbol)][0]

    def planck(self, amount: Amount, chain: str) -> int:
        return amount.to_planck(self.decimals(chain, amount.unit))

    def text(self, planck: int, chain: str, symbol: str | None = None) -> str:
        """`planck` of `symbol` (default: the chain's token, as the chain reports it) as `1.5 KSM`."""
        if symbol is None or symbol == self.network.chain(chain).token:
            return format_planck(planck, *self.chains[chain])
        return format_planck(planck, self.decimals(chain, symbol), symbol)

    def tokens(self) -> dict[str, int]:
        """symbol -> decimals, for each token a chain of the network reports as its own."""
        return {symbol: self.decimals(chain, symbol) for chain, (_, symbol) in self.chains.items()}
