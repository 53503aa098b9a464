"""Differential fidelity: the spine's relay <-> Asset Hub scenarios on the real Kusama runtimes
(chopsticks) and on the devnet, unchanged, with their outcomes compared.

Compared per scenario: success or failure of every step; the sender's debit minus the fees it
reported (that is, the amount that left); the receiver's credit (within the scenario's own fee
bound); and the semantic event trail (withdrawn, sent, processed, deposited) per chain. Differences
the old runtimes explain are in ALLOWED, each with its reason; docs/devnet.md lists them too.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from harness.client.chain import fee_paid
from harness.engine.pool import NetworkPool
from harness.engine.runner import run_scenario
from harness.scenario.parse import load_scenarios
from harness.settings import PROJECT_ROOT, Settings

pytestmark = pytest.mark.chopsticks

SCENARIOS = ["scenarios/xcm/relay_to_asset_hub.yaml", "scenarios/xcm/asset_hub_to_relay.yaml",
             "scenarios/relay/local_transfer.yaml", "scenarios/relay/insufficient_funds.yaml",
             "scenarios/relay/existential_deposit.yaml"]
REAL, DEVNET = "kusama-local", "kusama-polkadot"

# Event -> semantic kind. Names from the live runtimes (pallet_balances, pallet_xcm, cumulus
# parachain-system and xcmp-queue, pallet-message-queue, polkadot-sdk dmp/ump).
KINDS = {
    "Balances.Withdraw": "withdrawn", "Balances.Burned": "withdrawn",
    "XcmPallet.Sent": "sent", "PolkadotXcm.Sent": "sent", "ParachainSystem.UpwardMessageSent": "sent",
    "XcmpQueue.XcmpMessageSent": "sent",
    "MessageQueue.Processed": "processed", "DmpQueue.ExecutedDownward": "processed",
    "ParachainSystem.DownwardMessagesProcessed": "processed",
    "Balances.Minted": "deposited", "Balances.Deposit": "deposited", "Balances.Endowed": "deposited",
    "Balances.Transfer": "transferred",
}

# (chain, kind) present on one side only, and why.
ALLOWED = {
    # Kusama 1.0's cumulus parachain-system sends UMP without an UpwardMessageSent event, and its
    # pallet-xcm (V3) emits Sent only for `send`, not for teleports; current runtimes emit both.
    ("kusama-asset-hub", "sent"): "1.0-era cumulus/pallet-xcm emit no sent event for a teleport",
    ("kusama", "sent"): "1.0-era pallet-xcm emits Sent only for `send`",
    # Kusama 1.0's Asset Hub executes DMP in DmpQueue / parachain-system without a MessageQueue; the
    # trail still has `processed` on both sides, but 1.0 reports it only when the queue is drained.
    ("kusama-asset-hub", "processed"): "DmpQueue (1.0) against MessageQueue (current) for downward messages",
    # current Asset Hubs track KSM teleports in their checking account (Balances.Burned from it when a
    # teleport arrives, fellows system-parachains/asset-hubs/*/xcm_config.rs TeleportTracking); 1.0 did not
    ("kusama-asset-hub", "withdrawn"): "the current Asset Hub's teleport checking account is debited on arrival",
    # current pallet-xcm charges the sender delivery fees (FeesPaid) and pays them on to the fee
    # account; the 1.0 Asset Hub priced upward messages at zero
    ("kusama-asset-hub", "transferred"): "delivery fees for upward messages (none in 1.0)",
    # the 1.0 relay tracked teleports in its check account (debited when one arrives); since the Asset
    # Hub migration the relay's xcm_config tracks none (fellows relay/kusama/src/xcm_config.rs)
    ("kusama", "withdrawn"): "the 1.0 relay's teleport check account is debited on arrival",
}


@dataclass
class Outcome:
    passed: bool
    failure: str | None
    steps: list[tuple[bool, str | None]]
    left: dict[tuple[str, str], int]        # (chain, account) -> debit less the fees it reported
    credited: dict[tuple[str, str], int]    # (chain, account) -> credit
    trail: dict[str, set[str]]              # chain -> semantic kinds seen


def outcome(result) -> Outcome:
    left, credited = {}, {}
    for row in result.balances:
        events = [e for r in result.receipts if r.chain == row.chain for e in r.events]
        fees = sum(fee_paid(e, row.address) for e in events)
        # a reaped account also loses its dust, whose size depends on the fee
        dust = sum(int(e.attributes["amount"]) for e in events
                   if e.qualified == "Balances.DustLost" and e.attributes["account"] == row.address)
        key = (row.chain, row.account)
        if row.actual < 0:
            left[key] = -row.actual - fees - dust
        else:
            credited[key] = row.actual
    trail = {chain: {KINDS[e.qualified] for e in events if e.qualified in KINDS}
             for chain, events in result.events.items()}
    return Outcome(result.passed, result.failure, [(r.success, r.error) for r in result.receipts],
                   left, credited, trail)


@pytest.fixture(scope="module")
def pools():
    if not (PROJECT_ROOT / "node_modules" / ".bin" / "chopsticks").exists():
        pytest.fail("chopsticks is not installed: run `bash ci/setup.sh`")
    settings = Settings.from_env()
    real, devnet = NetworkPool(settings), NetworkPool(settings)
    yield real, devnet
    real.stop()
    devnet.stop()


def run_both(pools, file: str):
    real_pool, devnet_pool = pools
    pairs = []
    real_runs = load_scenarios(PROJECT_ROOT / file, network_override=REAL)
    devnet_runs = load_scenarios(PROJECT_ROOT / file, network_override=DEVNET)
    for on_real, on_devnet in zip(real_runs, devnet_runs, strict=True):
        results = []
        for scenario, pool in ((on_real, real_pool), (on_devnet, devnet_pool)):
            network, clients = pool.get(scenario.network)
            results.append(outcome(run_scenario(scenario, network, clients, step_timeout=60)))
        pairs.append((on_real, *results))
    return pairs


def fee_bound_planck(scenario, chain: str, account: str) -> int:
    for expect in scenario.balances:
        if (expect.chain, expect.account) == (chain, account) and expect.fee_bound:
            return expect.fee_bound.to_planck(12)  # KSM: both networks run Kusama with 12 decimals
    return 0


@pytest.mark.parametrize("file", SCENARIOS)
def test_the_devnet_agrees_with_the_real_runtimes(pools, file):
    for scenario, real, devnet in run_both(pools, file):
        where = f"{file} :: {scenario.name}"
        assert real.passed, f"{where} fails on the real runtimes: {real.failure}"
        assert devnet.passed, f"{where} fails on the devnet: {devnet.failure}"
        assert devnet.steps == real.steps, f"{where}: step outcomes differ"
        assert devnet.left == real.left, f"{where}: the amounts that left the senders differ"
        assert devnet.credited.keys() == real.credited.keys(), where
        for key, credit in real.credited.items():
            bound = fee_bound_planck(scenario, *key)
            assert abs(devnet.credited[key] - credit) <= bound, f"{where}: credit of {key} differs beyond {bound}"
        for chain in set(real.trail) | set(devnet.trail):
            only = real.trail.get(chain, set()) ^ devnet.trail.get(chain, set())
            unexplained = {kind for kind in only if (chain, kind) not in ALLOWED}
            assert not unexplained, f"{where}: on {chain} only one side has {sorted(unexplained)}"
