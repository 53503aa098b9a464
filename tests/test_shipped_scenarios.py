"""The shipped scenarios, read without a chain: what keeps them independent of each other."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from harness.steps.call import Call
from harness.steps.fund import Fund
from harness.steps.transfer import Transfer
from harness.steps.xcm_transfer import XcmTransfer
from harness.scenario.parse import load_scenarios

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = sorted((ROOT / "scenarios").rglob("*.y*ml"))
DERIVED = re.compile(r"^//[^/]+//.+")  # a dev seed with a derivation path of the scenario's own


def signers(scenario) -> set[str]:
    """Names of the accounts that sign an extrinsic in the scenario."""
    return {step.action.signer if isinstance(step.action, Call) else step.action.sender
            for step in scenario.steps if isinstance(step.action, (Transfer, XcmTransfer, Call))}


def test_no_two_files_sign_with_the_same_key():
    # Scenarios share one network per session (and an attached network with anyone else): a key that signs in
    # two of them shares its nonce and its balance between them.
    files_by_uri = defaultdict(set)
    for file in SHIPPED:
        for scenario in load_scenarios(file):
            for name in signers(scenario):
                uri = scenario.accounts[name].uri
                assert uri and DERIVED.match(uri), f"{file.name}: '{name}' signs with {uri!r}, a shared dev key"
                files_by_uri[uri].add(file.name)
    assert files_by_uri, "no shipped scenario signs anything"
    shared = {uri: files for uri, files in files_by_uri.items() if len(files) > 1}
    assert shared == {}


def test_every_signer_is_funded_by_the_scenario_before_it_signs():
    # a funded account starts each run from the same balance, whatever earlier runs left
    for file in SHIPPED:
        for scenario in load_scenarios(file):
            funded = set()
            for step in scenario.steps:
                if isinstance(step.action, Fund):
                    funded.add((step.action.account, step.action.chain))
                elif isinstance(step.action, Transfer):
                    assert (step.action.sender, step.action.chain) in funded, f"{file.name}: {scenario.name}"
                elif isinstance(step.action, Call):
                    assert (step.action.signer, step.action.chain) in funded, f"{file.name}: {scenario.name}"
                elif isinstance(step.action, XcmTransfer):
                    origin = (step.action.sender, step.action.origin)
                    arrived = (step.action.beneficiary, step.action.destination)
                    assert origin in funded, f"{file.name}: {scenario.name}: {origin} signs unfunded"
                    funded.add(arrived)  # what it brings there funds the beneficiary
