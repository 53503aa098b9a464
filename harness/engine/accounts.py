"""Scenario accounts -> keypairs and addresses on a chain. Secrets from the environment are used, never printed."""
from __future__ import annotations

import os

from scalecodec.utils.ss58 import ss58_decode, ss58_encode
from substrateinterface import Keypair

from ..client.keys import keypair_from_uri
from ..errors import HarnessError
from ..network import routes
from ..scenario.model import AccountRef, AccountSpec, RewardsAccount, Scenario, Sovereign


def keypair(spec: AccountSpec, ss58_format: int) -> Keypair:
    if spec.uri is not None:
        return keypair_from_uri(spec.uri, ss58_format)
    secret = os.environ.get(spec.env or "")
    if not secret:
        raise HarnessError(f"account '{spec.name}' reads its secret from ${spec.env}, which is not set",
                           f"export {spec.env}=<mnemonic, seed or //path> before running")
    try:
        if secret.startswith("0x"):
            return Keypair.create_from_seed(secret, ss58_format=ss58_format)
        return Keypair.create_from_uri(secret, ss58_format=ss58_format)
    except Exception:  # noqa: BLE001 - the message must not echo the secret
        raise HarnessError(f"account '{spec.name}': ${spec.env} does not hold a valid secret",
                           "use a mnemonic, a 0x seed or a //derivation path") from None


class Accounts:
    """A scenario's accounts (and sovereign accounts) as each chain writes them."""

    def __init__(self, scenario: Scenario, clients) -> None:
        self.scenario, self.clients = scenario, clients
        self._pairs: dict[tuple[str, int], Keypair] = {}  # a derivation takes milliseconds; steps ask again and again

    def pair(self, account: str, chain: str) -> Keypair:
        key = (account, self.clients[chain].ss58_format)
        if key not in self._pairs:
            self._pairs[key] = keypair(self.scenario.accounts[account], key[1])
        return self._pairs[key]

    def address(self, account: AccountRef, chain: str) -> str:
        if isinstance(account, Sovereign):
            public = routes.sovereign_account(self.scenario.network, chain, account.of)
        elif isinstance(account, RewardsAccount):
            public = routes.rewards_account(self.scenario.network, chain, account.lane, account.owner)
        else:
            return self.pair(account, chain).ss58_address
        return ss58_encode(public, self.clients[chain].ss58_format)

    def addresses(self, chain: str) -> dict[str, str]:
        return {name: self.address(name, chain) for name in self.scenario.accounts}

    def roles(self, chain: str) -> dict[str, str]:
        """address (ss58 and 0x hex) -> the scenario's name for it: its accounts and the derived accounts its
        balance expectations name (sovereign, lane rewards), so a report can write accounts by role."""
        named: dict[str, str] = {}
        derived = {e.account for e in self.scenario.balances if not isinstance(e.account, str)}
        for account in [*self.scenario.accounts, *derived]:
            try:
                address = self.address(account, chain)
            except HarnessError:  # an account whose secret is not set: the steps that use it will say so
                continue
            name = str(account)
            named[address] = named["0x" + ss58_decode(address)] = name
        return named
